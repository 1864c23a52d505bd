using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native type names are kept verbatim on purpose

internal static unsafe partial class Interop
{
    internal static partial class LibFuse
    {
        internal const int FUSE_SET_ATTR_MODE = 1 << 0;
        internal const int FUSE_SET_ATTR_UID = 1 << 1;
        internal const int FUSE_SET_ATTR_GID = 1 << 2;
        internal const int FUSE_SET_ATTR_SIZE = 1 << 3;
        internal const int FUSE_SET_ATTR_ATIME = 1 << 4;
        internal const int FUSE_SET_ATTR_MTIME = 1 << 5;
        internal const int FUSE_SET_ATTR_ATIME_NOW = 1 << 7;
        internal const int FUSE_SET_ATTR_MTIME_NOW = 1 << 8;
        internal const int FUSE_SET_ATTR_CTIME = 1 << 10;
        internal const int FUSE_SET_ATTR_KILL_SUID = 1 << 11;
        internal const int FUSE_SET_ATTR_KILL_SGID = 1 << 12;

        /// <summary>
        /// <c>struct fuse_lowlevel_ops</c> as of 3.14 (44 slots, 352 bytes). The struct is append-only
        /// upstream and libfuse copies <c>op_size</c> bytes, so passing this size works on newer
        /// versions too. Slots procprobe leaves NULL are typed <c>void*</c>.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_lowlevel_ops
        {
            public delegate* unmanaged[Cdecl]<void*, fuse_conn_info*, void> init;
            public void* destroy;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, byte*, void> lookup;
            public void* forget;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, fuse_file_info*, void> getattr;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, LibC.stat*, int, fuse_file_info*, void> setattr;
            public void* readlink;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, byte*, uint, ulong, void> mknod;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, byte*, uint, void> mkdir;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, byte*, void> unlink;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, byte*, void> rmdir;
            public delegate* unmanaged[Cdecl]<fuse_req*, byte*, ulong, byte*, void> symlink;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, byte*, ulong, byte*, uint, void> rename;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, ulong, byte*, void> link;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, fuse_file_info*, void> open;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, nuint, long, fuse_file_info*, void> read;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, byte*, nuint, long, fuse_file_info*, void> write;
            public void* flush;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, fuse_file_info*, void> release;
            public void* fsync;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, fuse_file_info*, void> opendir;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, nuint, long, fuse_file_info*, void> readdir;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, fuse_file_info*, void> releasedir;
            public void* fsyncdir;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, void> statfs;
            public void* setxattr;
            public void* getxattr;
            public void* listxattr;
            public void* removexattr;
            public void* access;
            public delegate* unmanaged[Cdecl]<fuse_req*, ulong, byte*, uint, fuse_file_info*, void> create;
            public void* getlk;
            public void* setlk;
            public void* bmap;
            public void* ioctl;
            public void* poll;
            public void* write_buf;
            public void* retrieve_reply;
            public void* forget_multi;
            public void* flock;
            public void* fallocate;
            public void* readdirplus;
            public void* copy_file_range;
            public void* lseek;
        }
    }
}
