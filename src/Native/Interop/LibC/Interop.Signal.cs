using System.Runtime.InteropServices;

internal static unsafe partial class Interop
{
    internal static partial class LibC
    {
        internal const int SIGHUP = 1;
        internal const int SIGINT = 2;
        internal const int SIGTERM = 15;

        [LibraryImport(Libraries.LibC, EntryPoint = "signal")]
        internal static partial nint Signal(int signum, nint handler);

        [LibraryImport(Libraries.LibC, EntryPoint = "sigaction", SetLastError = true)]
        internal static partial int Sigaction(int signum, void* act, void* oldact);
    }
}
