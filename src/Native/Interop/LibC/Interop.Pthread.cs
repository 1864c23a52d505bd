using System.Runtime.InteropServices;

internal static unsafe partial class Interop
{
    internal static partial class LibC
    {
        [LibraryImport(Libraries.LibC, EntryPoint = "pthread_create")]
        internal static partial int PthreadCreate(ulong* thread, void* attr, delegate* unmanaged[Cdecl]<void*, void*> start, void* arg);

        [LibraryImport(Libraries.LibC, EntryPoint = "pthread_detach")]
        internal static partial int PthreadDetach(ulong thread);

        internal const int CLONE_FILES = 0x400;

        /// <summary>unshare(2) for the calling thread; 0 or -1.</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "unshare")]
        internal static partial int Unshare(int flags);
    }
}
