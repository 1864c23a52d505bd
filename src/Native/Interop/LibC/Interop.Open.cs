using System.Runtime.InteropServices;

internal static unsafe partial class Interop
{
    internal static partial class LibC
    {
        internal const int O_RDONLY = 0x0;
        internal const int O_WRONLY = 0x1;
        internal const int O_RDWR = 0x2;
        internal const int O_ACCMODE = 0x3;
        internal const int O_TRUNC = 0x200;
        internal const int O_DIRECTORY = 0x10000;
        internal const int O_NOFOLLOW = 0x20000;
        internal const int O_CLOEXEC = 0x80000;
        internal const int O_PATH = 0x200000;

        // open(2) is variadic in C; on x86_64 the SysV convention passes the optional mode exactly
        // like a fixed third argument, so a fixed signature is sound here.
        [LibraryImport(Libraries.LibC, EntryPoint = "open", SetLastError = true)]
        internal static partial int Open(byte* pathname, int flags, uint mode);

        internal const int R_OK = 4;
        internal const int W_OK = 2;

        [LibraryImport(Libraries.LibC, EntryPoint = "access", SetLastError = true)]
        internal static partial int Access(byte* pathname, int mode);

        [LibraryImport(Libraries.LibC, EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);

        [LibraryImport(Libraries.LibC, EntryPoint = "fchmod", SetLastError = true)]
        internal static partial int FChmod(int fd, uint mode);
    }
}
