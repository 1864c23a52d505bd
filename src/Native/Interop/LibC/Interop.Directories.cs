using System.Runtime.InteropServices;

internal static unsafe partial class Interop
{
    internal static partial class LibC
    {
        [LibraryImport(Libraries.LibC, EntryPoint = "mkdir", SetLastError = true)]
        internal static partial int Mkdir(byte* pathname, uint mode);

        [LibraryImport(Libraries.LibC, EntryPoint = "rmdir", SetLastError = true)]
        internal static partial int Rmdir(byte* pathname);

        /// <summary>Returns a malloc'ed canonical path, or null; free it with <see cref="Free"/>.</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "realpath", SetLastError = true)]
        internal static partial byte* Realpath(byte* path, byte* resolvedPath);

        [LibraryImport(Libraries.LibC, EntryPoint = "free")]
        internal static partial void Free(void* ptr);
    }
}
