using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native type names are kept verbatim on purpose

internal static unsafe partial class Interop
{
    internal static partial class LibC
    {
        internal const uint S_IFMT = 0xF000;
        internal const uint S_IFDIR = 0x4000;
        internal const uint S_IFREG = 0x8000;
        internal const uint S_IFLNK = 0xA000;

        /// <summary><c>struct timespec</c>.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct timespec
        {
            public long tv_sec;
            public long tv_nsec;
        }

        /// <summary><c>struct stat</c>, glibc x86_64 (144 bytes). Only filled in and handed to libfuse.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct stat
        {
            public ulong st_dev;
            public ulong st_ino;
            public ulong st_nlink;
            public uint st_mode;
            public uint st_uid;
            public uint st_gid;
            public int __pad0;
            public ulong st_rdev;
            public long st_size;
            public long st_blksize;
            public long st_blocks;
            public timespec st_atim;
            public timespec st_mtim;
            public timespec st_ctim;
            public fixed long __glibc_reserved[3];
        }
    }
}
