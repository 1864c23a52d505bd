using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native type names are kept verbatim on purpose

internal static unsafe partial class Interop
{
    internal static partial class LibFuse
    {
        internal const uint FUSE_CAP_WRITEBACK_CACHE = 1 << 16;

        /// <summary><c>struct fuse_conn_info</c> (128 bytes; the first 40 are identical in every 3.x).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_conn_info
        {
            public uint proto_major;
            public uint proto_minor;
            public uint max_write;
            public uint max_read;
            public uint max_readahead;
            public uint capable;
            public uint want;
            public uint max_background;
            public uint congestion_threshold;
            public uint time_gran;
            public fixed uint reserved[22];
        }
    }
}
