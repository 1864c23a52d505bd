using System.Runtime.InteropServices;

internal static unsafe partial class Interop
{
    internal static partial class LibC
    {
        internal const int MNT_DETACH = 0x2;

        [LibraryImport(Libraries.LibC, EntryPoint = "umount2", SetLastError = true)]
        internal static partial int Umount2(byte* target, int flags);
    }
}
