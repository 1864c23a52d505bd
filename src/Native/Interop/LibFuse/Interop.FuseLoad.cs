using System.Text;

internal static unsafe partial class Interop
{
    internal static partial class LibFuse
    {
        private const string V30 = "FUSE_3.0";

        /// <summary>
        /// Resolves every function procprobe calls by explicit symbol version. Returns the first
        /// required "name@version" that is missing, or null.
        /// </summary>
        internal static string? Load(nint library)
        {
            string? missing = null;
            fuse_version = (delegate* unmanaged[Cdecl]<int>)Resolve(library, "fuse_version", V30, ref missing);
            fuse_pkgversion = (delegate* unmanaged[Cdecl]<byte*>)Resolve(library, "fuse_pkgversion", V30, ref missing);
            fuse_session_new = (delegate* unmanaged[Cdecl]<fuse_args*, fuse_lowlevel_ops*, nuint, void*, fuse_session*>)Resolve(library, "fuse_session_new", V30, ref missing);
            fuse_session_mount = (delegate* unmanaged[Cdecl]<fuse_session*, byte*, int>)Resolve(library, "fuse_session_mount", V30, ref missing);
            fuse_session_unmount = (delegate* unmanaged[Cdecl]<fuse_session*, void>)Resolve(library, "fuse_session_unmount", V30, ref missing);
            fuse_session_destroy = (delegate* unmanaged[Cdecl]<fuse_session*, void>)Resolve(library, "fuse_session_destroy", V30, ref missing);
            fuse_session_process_buf = (delegate* unmanaged[Cdecl]<fuse_session*, fuse_buf*, void>)Resolve(library, "fuse_session_process_buf", V30, ref missing);
            fuse_session_fd = (delegate* unmanaged[Cdecl]<fuse_session*, int>)Resolve(library, "fuse_session_fd", V30, ref missing);
            fuse_opt_free_args = (delegate* unmanaged[Cdecl]<fuse_args*, void>)Resolve(library, "fuse_opt_free_args", V30, ref missing);

            fuse_reply_err = (delegate* unmanaged[Cdecl]<fuse_req*, int, int>)Resolve(library, "fuse_reply_err", V30, ref missing);
            fuse_reply_entry = (delegate* unmanaged[Cdecl]<fuse_req*, fuse_entry_param*, int>)Resolve(library, "fuse_reply_entry", V30, ref missing);
            fuse_reply_attr = (delegate* unmanaged[Cdecl]<fuse_req*, LibC.stat*, double, int>)Resolve(library, "fuse_reply_attr", V30, ref missing);
            fuse_reply_open = (delegate* unmanaged[Cdecl]<fuse_req*, fuse_file_info*, int>)Resolve(library, "fuse_reply_open", V30, ref missing);
            fuse_reply_buf = (delegate* unmanaged[Cdecl]<fuse_req*, byte*, nuint, int>)Resolve(library, "fuse_reply_buf", V30, ref missing);
            fuse_reply_write = (delegate* unmanaged[Cdecl]<fuse_req*, nuint, int>)Resolve(library, "fuse_reply_write", V30, ref missing);
            fuse_reply_statfs = (delegate* unmanaged[Cdecl]<fuse_req*, LibC.statvfs*, int>)Resolve(library, "fuse_reply_statfs", V30, ref missing);
            fuse_add_direntry = (delegate* unmanaged[Cdecl]<fuse_req*, byte*, nuint, byte*, LibC.stat*, long, nuint>)Resolve(library, "fuse_add_direntry", V30, ref missing);
            fuse_req_ctx = (delegate* unmanaged[Cdecl, SuppressGCTransition]<fuse_req*, fuse_ctx*>)Resolve(library, "fuse_req_ctx", V30, ref missing);
            fuse_req_userdata = (delegate* unmanaged[Cdecl, SuppressGCTransition]<fuse_req*, void*>)Resolve(library, "fuse_req_userdata", V30, ref missing);

            return missing;
        }

        /// <summary>
        /// Whether <paramref name="library"/> defines fuse_version@FUSE_3.0: true for the program's
        /// own handle in procprobe-static, which carries libfuse3.a and exports its functions at
        /// their libfuse versions (see LibFuseFunctions.props).
        /// </summary>
        internal static bool Defines(nint library)
        {
            string? missing = null;
            return Resolve(library, "fuse_version", V30, ref missing) != null;
        }

        private static void* Resolve(nint library, string name, string version, ref string? firstMissing)
        {
            // Runs once per process at load time, so the transient UTF-8 copies do not matter.
            byte[] nameZ = NullTerminated(name);
            byte[] versionZ = NullTerminated(version);
            void* address;
            fixed (byte* n = nameZ)
            fixed (byte* v = versionZ)
            {
                address = LibC.dlvsym(library, n, v);
            }

            if (address == null)
            {
                firstMissing ??= name + "@" + version;
            }

            return address;
        }

        private static byte[] NullTerminated(string text)
        {
            byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
            Encoding.UTF8.GetBytes(text, bytes);
            return bytes;
        }
    }
}
