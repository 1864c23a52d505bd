using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class LibC
    {
        [LibraryImport(Libraries.LibC, EntryPoint = "write", SetLastError = true)]
        internal static unsafe partial nint Write(int fd, byte* buf, nuint count);
    }
}
