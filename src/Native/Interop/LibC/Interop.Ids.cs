using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class LibC
    {
        [LibraryImport(Libraries.LibC, EntryPoint = "getuid")]
        internal static partial uint GetUid();

        [LibraryImport(Libraries.LibC, EntryPoint = "getgid")]
        internal static partial uint GetGid();

        [LibraryImport(Libraries.LibC, EntryPoint = "getegid")]
        internal static partial uint GetEGid();
    }
}
