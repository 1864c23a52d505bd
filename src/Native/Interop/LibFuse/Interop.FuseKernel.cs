using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native type names are kept verbatim on purpose

internal static unsafe partial class Interop
{
    internal static partial class LibFuse
    {
        // The kernel's side of /dev/fuse (<linux/fuse.h>), for the requests FuseMount answers itself
        // (FuseMount.Direct.cs); everything else goes through libfuse. Valid from protocol 7.9 on,
        // when fuse_write_in took its 40-byte form.

        internal const uint FUSE_KERNEL_VERSION = 7;

        // enum fuse_opcode
        internal const int FUSE_OPEN = 14;
        internal const int FUSE_READ = 15;
        internal const int FUSE_WRITE = 16;
        internal const int FUSE_RELEASE = 18;

        // fuse_open_out.open_flags
        internal const uint FOPEN_DIRECT_IO = 1 << 0;
        internal const uint FOPEN_KEEP_CACHE = 1 << 1;

        /// <summary><c>struct fuse_in_header</c> (40 bytes): starts every request.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_in_header
        {
            public uint len;
            public uint opcode;
            public ulong unique;
            public ulong nodeid;
            public uint uid;
            public uint gid;
            public uint pid;

            /// <summary>Length of the request's extensions in 8-byte units (7.38+); 0 unless the daemon asked for them.</summary>
            public ushort total_extlen;
            public ushort padding;
        }

        /// <summary><c>struct fuse_out_header</c> (16 bytes): starts every reply; <c>error</c> is 0 or -errno.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_out_header
        {
            public uint len;
            public int error;
            public ulong unique;
        }

        /// <summary><c>struct fuse_open_in</c> (8 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_open_in
        {
            public uint flags;
            public uint open_flags;
        }

        /// <summary><c>struct fuse_open_out</c> (16 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_open_out
        {
            public ulong fh;
            public uint open_flags;
            public uint padding;
        }

        /// <summary><c>struct fuse_read_in</c> (40 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_read_in
        {
            public ulong fh;
            public ulong offset;
            public uint size;
            public uint read_flags;
            public ulong lock_owner;
            public uint flags;
            public uint padding;
        }

        /// <summary><c>struct fuse_write_in</c> (40 bytes); the data follows it.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_write_in
        {
            public ulong fh;
            public ulong offset;
            public uint size;
            public uint write_flags;
            public ulong lock_owner;
            public uint flags;
            public uint padding;
        }

        /// <summary><c>struct fuse_write_out</c> (8 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_write_out
        {
            public uint size;
            public uint padding;
        }

        /// <summary><c>struct fuse_release_in</c> (24 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_release_in
        {
            public ulong fh;
            public uint flags;
            public uint release_flags;
            public ulong lock_owner;
        }
    }
}
