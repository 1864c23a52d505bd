using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native type names are kept verbatim on purpose

internal static unsafe partial class Interop
{
    internal static partial class LibC
    {
        internal const int AT_FDCWD = -100;
        internal const int AT_SYMLINK_NOFOLLOW = 0x100;
        internal const int AT_EMPTY_PATH = 0x1000;
        internal const int AT_STATX_FORCE_SYNC = 0x2000;
        internal const int AT_STATX_DONT_SYNC = 0x4000;
        internal const uint STATX_BASIC_STATS = 0x7FF;

        /// <summary><c>struct statx_timestamp</c>.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct statx_timestamp
        {
            public long tv_sec;
            public uint tv_nsec;
            public int __statx_timestamp_pad1;
        }

        /// <summary><c>struct statx</c> (256 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct statx
        {
            public uint stx_mask;
            public uint stx_blksize;
            public ulong stx_attributes;
            public uint stx_nlink;
            public uint stx_uid;
            public uint stx_gid;
            public ushort stx_mode;
            public ushort __statx_pad1;
            public ulong stx_ino;
            public ulong stx_size;
            public ulong stx_blocks;
            public ulong stx_attributes_mask;
            public statx_timestamp stx_atime;
            public statx_timestamp stx_btime;
            public statx_timestamp stx_ctime;
            public statx_timestamp stx_mtime;
            public uint stx_rdev_major;
            public uint stx_rdev_minor;
            public uint stx_dev_major;
            public uint stx_dev_minor;
            public fixed ulong __statx_pad2[14];
        }

        // statx (glibc 2.28) rather than stat/lstat/fstat, whose plain symbols only exist since glibc 2.33.
        [LibraryImport(Libraries.LibC, EntryPoint = "statx", SetLastError = true)]
        internal static partial int Statx(int dirfd, byte* pathname, int flags, uint mask, statx* statxbuf);
    }
}
