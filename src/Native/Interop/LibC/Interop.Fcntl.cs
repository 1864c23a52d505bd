using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class LibC
    {
        internal const int F_GETFD = 1;
        internal const int FD_CLOEXEC = 1;

        // fcntl(2) is variadic in C; F_GETFD takes no third argument, and on x86_64 and arm64 passing
        // a zero in its place is harmless.
        [LibraryImport(Libraries.LibC, EntryPoint = "fcntl", SetLastError = true)]
        internal static partial int Fcntl(int fd, int cmd, nint arg);

        [LibraryImport(Libraries.LibC, EntryPoint = "isatty")]
        internal static partial int IsATty(int fd);
    }
}
