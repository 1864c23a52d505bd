using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native type names are kept verbatim on purpose

internal static unsafe partial class Interop
{
    internal static partial class LibC
    {
        /// <summary><c>struct iovec</c>.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct iovec
        {
            public void* iov_base;
            public nuint iov_len;
        }

        [LibraryImport(Libraries.LibC, EntryPoint = "writev", SetLastError = true)]
        internal static partial nint Writev(int fd, iovec* iov, int iovcnt);
    }
}
