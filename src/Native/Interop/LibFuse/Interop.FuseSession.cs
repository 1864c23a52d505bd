internal static unsafe partial class Interop
{
    internal static partial class LibFuse
    {
        // Resolved by Interop.LibFuse.Load with dlvsym; see Interop.FuseLoad.cs for the versions.

        /// <summary><c>int fuse_version(void)</c>: major*100+minor, e.g. 314.</summary>
        internal static delegate* unmanaged[Cdecl]<int> fuse_version;

        /// <summary><c>const char *fuse_pkgversion(void)</c>: e.g. "3.14.0".</summary>
        internal static delegate* unmanaged[Cdecl]<byte*> fuse_pkgversion;

        internal static delegate* unmanaged[Cdecl]<fuse_args*, fuse_lowlevel_ops*, nuint, void*, fuse_session*> fuse_session_new;
        internal static delegate* unmanaged[Cdecl]<fuse_session*, byte*, int> fuse_session_mount;
        internal static delegate* unmanaged[Cdecl]<fuse_session*, void> fuse_session_unmount;
        internal static delegate* unmanaged[Cdecl]<fuse_session*, void> fuse_session_destroy;
        internal static delegate* unmanaged[Cdecl]<fuse_session*, int> fuse_session_fd;
        internal static delegate* unmanaged[Cdecl]<fuse_args*, void> fuse_opt_free_args;

        /// <summary><c>void fuse_session_process_buf(se, const struct fuse_buf *buf)</c>: dispatches one request to the callbacks.</summary>
        internal static delegate* unmanaged[Cdecl]<fuse_session*, fuse_buf*, void> fuse_session_process_buf;
    }
}
