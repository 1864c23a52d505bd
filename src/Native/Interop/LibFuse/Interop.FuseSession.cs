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
        internal static delegate* unmanaged[Cdecl]<fuse_session*, void> fuse_session_exit;
        internal static delegate* unmanaged[Cdecl]<fuse_session*, int> fuse_session_loop;
        internal static delegate* unmanaged[Cdecl]<fuse_session*, int> fuse_session_fd;
        internal static delegate* unmanaged[Cdecl]<fuse_args*, void> fuse_opt_free_args;

        // 3.12 ABI of the multi-threaded loop; null when the library is older than 3.12.
        internal static delegate* unmanaged[Cdecl]<fuse_session*, fuse_loop_config*, int> fuse_session_loop_mt;
        internal static delegate* unmanaged[Cdecl]<fuse_loop_config*> fuse_loop_cfg_create;
        internal static delegate* unmanaged[Cdecl]<fuse_loop_config*, void> fuse_loop_cfg_destroy;
        internal static delegate* unmanaged[Cdecl]<fuse_loop_config*, uint, void> fuse_loop_cfg_set_max_threads;
    }
}
