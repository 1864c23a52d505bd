internal static unsafe partial class Interop
{
    internal static partial class LibFuse
    {
        // Every reply function copies what it is given before returning, so stack or pinned
        // buffers are fine. Return values are 0 or -errno (e.g. -ENOENT when the request was interrupted).

        internal static delegate* unmanaged[Cdecl]<fuse_req*, int, int> fuse_reply_err;
        internal static delegate* unmanaged[Cdecl]<fuse_req*, fuse_entry_param*, int> fuse_reply_entry;
        internal static delegate* unmanaged[Cdecl]<fuse_req*, LibC.stat*, double, int> fuse_reply_attr;
        internal static delegate* unmanaged[Cdecl]<fuse_req*, fuse_file_info*, int> fuse_reply_open;
        internal static delegate* unmanaged[Cdecl]<fuse_req*, byte*, nuint, int> fuse_reply_buf;
        internal static delegate* unmanaged[Cdecl]<fuse_req*, nuint, int> fuse_reply_write;
        internal static delegate* unmanaged[Cdecl]<fuse_req*, LibC.statvfs*, int> fuse_reply_statfs;

        /// <summary>Fills one readdir entry if it fits; returns the size it needs either way.</summary>
        internal static delegate* unmanaged[Cdecl]<fuse_req*, byte*, nuint, byte*, LibC.stat*, long, nuint> fuse_add_direntry;

        // Field getters: no GC transition for a call that only returns a pointer into the request.
        internal static delegate* unmanaged[Cdecl, SuppressGCTransition]<fuse_req*, fuse_ctx*> fuse_req_ctx;
        internal static delegate* unmanaged[Cdecl, SuppressGCTransition]<fuse_req*, void*> fuse_req_userdata;
    }
}
