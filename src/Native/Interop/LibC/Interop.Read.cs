using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class LibC
    {
        [LibraryImport(Libraries.LibC, EntryPoint = "read", SetLastError = true)]
        internal static unsafe partial nint Read(int fd, byte* buf, nuint count);
    }
}
