using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native type names are kept verbatim on purpose

internal static unsafe partial class Interop
{
    internal static partial class LibFuse
    {
        /// <summary>
        /// <c>struct fuse_file_info</c> as far as procprobe reads or writes it: 40 bytes up to 3.16,
        /// 64 bytes from 3.17 (new fields appended after <c>poll_events</c>). libfuse always owns the
        /// memory; procprobe only touches the fields below through the pointer it is given.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct fuse_file_info
        {
            public int flags;

            /// <summary>The C bit-field word (writepage, direct_io, keep_cache, ...); see <see cref="FileInfoBits"/>.</summary>
            public uint bits;

            /// <summary>The C <c>padding2</c> bit-field word.</summary>
            public uint padding2;

            private uint _alignment;

            public ulong fh;
            public ulong lock_owner;
            public uint poll_events;
        }

        /// <summary>
        /// Masks of the two <c>fuse_file_info</c> bits procprobe sets. The bits after keep_cache moved
        /// in 3.14.1-3.16 and moved back in 3.17; direct_io and keep_cache never did, but the masks
        /// are still chosen from the loaded version so a future move is a one-line change.
        /// </summary>
        internal readonly struct FileInfoBits
        {
            public readonly uint DirectIo;
            public readonly uint KeepCache;

            private FileInfoBits(uint directIo, uint keepCache)
            {
                DirectIo = directIo;
                KeepCache = keepCache;
            }

            /// <param name="version">The value of <c>fuse_version()</c>, e.g. 314.</param>
            public static FileInfoBits ForVersion(int version) => version switch
            {
                // 3.0 .. 3.13, 3.14.0, 3.14.1 .. 3.16 and 3.17+ all keep bit 1 / bit 2.
                _ => new FileInfoBits(directIo: 0x2, keepCache: 0x4),
            };
        }
    }
}
