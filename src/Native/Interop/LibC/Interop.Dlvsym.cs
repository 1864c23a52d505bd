using System.Runtime.InteropServices;

internal static unsafe partial class Interop
{
    internal static partial class LibC
    {
        // dlvsym lives in libc.so.6 since glibc 2.34; it is the only way to reach a non-default
        // symbol version (on libfuse 3.17 the plain name of fuse_session_new does not resolve).
        [LibraryImport(Libraries.LibC, EntryPoint = "dlvsym")]
        internal static partial void* dlvsym(nint handle, byte* symbol, byte* version);
    }
}
