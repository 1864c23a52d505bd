using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class LibC
    {
        [LibraryImport(Libraries.LibC, EntryPoint = "geteuid")]
        internal static partial uint GetEUid();

        [LibraryImport(Libraries.LibC, EntryPoint = "kill", SetLastError = true)]
        internal static partial int Kill(int pid, int sig);
    }
}
