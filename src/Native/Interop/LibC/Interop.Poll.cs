using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native type names are kept verbatim on purpose

internal static unsafe partial class Interop
{
    internal static partial class LibC
    {
        internal const short POLLERR = 0x8;

        /// <summary><c>struct pollfd</c>.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct pollfd
        {
            public int fd;
            public short events;
            public short revents;
        }

        [LibraryImport(Libraries.LibC, EntryPoint = "poll", SetLastError = true)]
        internal static partial int Poll(pollfd* fds, ulong nfds, int timeout);
    }
}
