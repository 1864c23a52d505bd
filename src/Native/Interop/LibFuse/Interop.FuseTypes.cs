using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native type names are kept verbatim on purpose

internal static unsafe partial class Interop
{
    internal static partial class LibFuse
    {
        internal const ulong FUSE_ROOT_ID = 1;

        /// <summary>Opaque <c>struct fuse_session</c>.</summary>
        internal struct fuse_session
        {
        }

        /// <summary>Opaque <c>struct fuse_req</c> (<c>fuse_req_t</c> is a pointer to it).</summary>
        internal struct fuse_req
        {
        }

        /// <summary><c>struct fuse_buf</c> (40 bytes): one request read from /dev/fuse.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_buf
        {
            public nuint size;
            public int flags;
            public void* mem;
            public int fd;
            public long pos;
        }

        /// <summary><c>struct fuse_args</c> (24 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_args
        {
            public int argc;
            public byte** argv;
            public int allocated;
        }

        /// <summary><c>struct fuse_ctx</c> (16 bytes), the caller of a request.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_ctx
        {
            public uint uid;
            public uint gid;
            public int pid;
            public uint umask;
        }

        /// <summary><c>struct fuse_entry_param</c> (176 bytes); <c>ino == 0</c> is a negative entry.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_entry_param
        {
            public ulong ino;
            public ulong generation;
            public LibC.stat attr;
            public double attr_timeout;
            public double entry_timeout;
        }
    }
}
