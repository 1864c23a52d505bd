using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native type names are kept verbatim on purpose

internal static unsafe partial class Interop
{
    internal static partial class LibC
    {
        /// <summary><c>struct statvfs</c>, glibc x86_64 (112 bytes); only built and handed to fuse_reply_statfs.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct statvfs
        {
            public ulong f_bsize;
            public ulong f_frsize;
            public ulong f_blocks;
            public ulong f_bfree;
            public ulong f_bavail;
            public ulong f_files;
            public ulong f_ffree;
            public ulong f_favail;
            public ulong f_fsid;
            public ulong f_flag;
            public ulong f_namemax;
            public fixed int __f_spare[6];
        }
    }
}
