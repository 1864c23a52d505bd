using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Interop.LibC;
using static Interop.LibFuse;

namespace ProcProbe.Native;

// The libfuse callbacks. Each [UnmanagedCallersOnly] entry point is a forwarder: it finds the
// FuseMount from the request's userdata and calls an instance method that replies exactly once,
// as its last action. Exceptions never cross into libfuse: the forwarder answers EIO instead.
// Open, Read, Write and Release are generic over how they reply (IReply): through libfuse here
// (LibFuseReply), or straight to the kernel from the loop (KernelReply, FuseMount.Direct.cs).
// Nothing on the open/read/write/release path allocates.
public sealed unsafe partial class FuseMount
{
    private const int ReaddirBufferLimit = 16 * 1024;

    private static readonly byte[] s_dot = [(byte)'.', 0];
    private static readonly byte[] s_dotDot = [(byte)'.', (byte)'.', 0];

    private static void FillOperations(fuse_lowlevel_ops* ops)
    {
        ops->init = &OnInit;
        ops->lookup = &OnLookup;
        ops->getattr = &OnGetattr;
        ops->setattr = &OnSetattr;
        ops->open = &OnOpen;
        ops->read = &OnRead;
        ops->write = &OnWrite;
        ops->release = &OnRelease;
        ops->opendir = &OnOpendir;
        ops->readdir = &OnReaddir;
        ops->releasedir = &OnReleasedir;
        ops->statfs = &OnStatfs;

        // What a procfs directory answers: creating is not permitted by its mode, everything else
        // is an operation the file system does not allow.
        ops->create = &OnCreate;
        ops->mknod = &OnMknod;
        ops->mkdir = &OnMkdir;
        ops->unlink = &OnUnlink;
        ops->rmdir = &OnRmdir;
        ops->rename = &OnRename;
        ops->symlink = &OnSymlink;
        ops->link = &OnLink;

        // flush, write_buf and getxattr stay NULL: libfuse answers ENOSYS once and the kernel stops
        // asking, while a flush op would cost a round trip per close and write_buf would turn on
        // splice reads (fuse.md §1.3).
    }

    // On a loop thread the request belongs to that thread's mount; the userdata is the way in for
    // callers without a loop (benchmarks).
    private static FuseMount FromRequest(fuse_req* req) =>
        t_loopMount ?? (FuseMount)GCHandle.FromIntPtr((nint)fuse_req_userdata(req)).Target!;

    private static void Fail(fuse_req* req, FuseMount? mount, Exception exception) =>
        Fail(new LibFuseReply(req, null), mount, exception);

    private static void Fail<TReply>(TReply reply, FuseMount? mount, Exception exception)
        where TReply : struct, IReply
    {
        reply.Error(EIO);
        try
        {
            mount?._options.CallbackFailed?.Invoke(exception);
        }
        catch
        {
            // A failing observer must not take the loop down.
        }
    }

    /// <summary>
    /// How the open/read/write/release logic answers a request. Each reply method sends one reply
    /// and returns 0, or -errno when it could not be delivered (-ENOENT: the caller was interrupted
    /// and no longer waits).
    /// </summary>
    private interface IReply
    {
        /// <summary>Who made the request.</summary>
        CallerContext Caller { get; }

        /// <summary>Fails the request with a positive errno, or succeeds with no data (0).</summary>
        int Error(int errno);

        /// <summary>Opens as every probe file is opened: direct_io on, keep_cache off (see <see cref="Open{TReply}"/>).</summary>
        int Open(ulong fh);

        int Data(byte* data, nuint size);

        int Written(nuint count);
    }

    /// <summary>Replies through libfuse's request, as the callbacks are given it.</summary>
    private readonly struct LibFuseReply : IReply
    {
        private readonly fuse_req* _req;
        private readonly fuse_file_info* _fi;

        public LibFuseReply(fuse_req* req, fuse_file_info* fi)
        {
            _req = req;
            _fi = fi;
        }

        public CallerContext Caller
        {
            get
            {
                fuse_ctx* ctx = fuse_req_ctx(_req);
                return new CallerContext(ctx->pid, ctx->uid, ctx->gid);
            }
        }

        public int Error(int errno) => fuse_reply_err(_req, errno);

        public int Open(ulong fh)
        {
            // libfuse turns these fuse_file_info bits into FOPEN_DIRECT_IO / FOPEN_KEEP_CACHE.
            FileInfoBits bits = LibFuse.FileInfoBits;
            _fi->fh = fh;
            _fi->bits = (_fi->bits | bits.DirectIo) & ~bits.KeepCache;
            return fuse_reply_open(_req, _fi);
        }

        public int Data(byte* data, nuint size) => fuse_reply_buf(_req, data, size);

        public int Written(nuint count) => fuse_reply_write(_req, count);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnInit(void* userdata, fuse_conn_info* conn)
    {
        try
        {
            // Keep libfuse's default `want`; only make sure writeback caching (which would merge
            // writes) is off.
            if ((conn->want & FUSE_CAP_WRITEBACK_CACHE) != 0)
            {
                conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
            }

            conn->max_write = Math.Min(conn->max_write, ReceiveBufferSize - ReceiveHeaderSpace);

            var mount = (FuseMount)GCHandle.FromIntPtr((nint)userdata).Target!;
            mount._directReady = mount._options.DirectReplies && conn->proto_major == FUSE_KERNEL_VERSION && conn->proto_minor >= 9;
        }
        catch
        {
            // init has no reply; nothing to report to.
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLookup(fuse_req* req, ulong parent, byte* name)
    {
        FuseMount? mount = null;
        try
        {
            mount = FromRequest(req);
            mount.Lookup(req, parent, name);
        }
        catch (Exception e)
        {
            Fail(req, mount, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnGetattr(fuse_req* req, ulong ino, fuse_file_info* fi)
    {
        FuseMount? mount = null;
        try
        {
            mount = FromRequest(req);
            mount.Getattr(req, ino);
        }
        catch (Exception e)
        {
            Fail(req, mount, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnSetattr(fuse_req* req, ulong ino, stat* attr, int toSet, fuse_file_info* fi)
    {
        FuseMount? mount = null;
        try
        {
            mount = FromRequest(req);
            mount.Setattr(req, ino, toSet);
        }
        catch (Exception e)
        {
            Fail(req, mount, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static void OnOpen(fuse_req* req, ulong ino, fuse_file_info* fi)
    {
        FuseMount? mount = null;
        try
        {
            mount = FromRequest(req);
            mount.Open(new LibFuseReply(req, fi), ino);
        }
        catch (Exception e)
        {
            Fail(req, mount, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static void OnRead(fuse_req* req, ulong ino, nuint size, long offset, fuse_file_info* fi)
    {
        FuseMount? mount = null;
        try
        {
            mount = FromRequest(req);
            mount.Read(new LibFuseReply(req, fi), fi->fh, size, offset);
        }
        catch (Exception e)
        {
            Fail(req, mount, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static void OnWrite(fuse_req* req, ulong ino, byte* buffer, nuint size, long offset, fuse_file_info* fi)
    {
        FuseMount? mount = null;
        try
        {
            mount = FromRequest(req);
            mount.Write(new LibFuseReply(req, fi), fi->fh, buffer, size);
        }
        catch (Exception e)
        {
            Fail(req, mount, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static void OnRelease(fuse_req* req, ulong ino, fuse_file_info* fi)
    {
        FuseMount? mount = null;
        try
        {
            mount = FromRequest(req);
            mount.Release(new LibFuseReply(req, fi), fi->fh);
        }
        catch (Exception e)
        {
            Fail(req, mount, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnOpendir(fuse_req* req, ulong ino, fuse_file_info* fi)
    {
        FuseMount? mount = null;
        try
        {
            mount = FromRequest(req);
            mount.Opendir(req, ino, fi);
        }
        catch (Exception e)
        {
            Fail(req, mount, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnReaddir(fuse_req* req, ulong ino, nuint size, long offset, fuse_file_info* fi)
    {
        FuseMount? mount = null;
        try
        {
            mount = FromRequest(req);
            mount.Readdir(req, ino, size, offset);
        }
        catch (Exception e)
        {
            Fail(req, mount, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnReleasedir(fuse_req* req, ulong ino, fuse_file_info* fi)
    {
        // Directory handles carry no state.
        fuse_reply_err(req, 0);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnStatfs(fuse_req* req, ulong ino)
    {
        FuseMount? mount = null;
        try
        {
            mount = FromRequest(req);
            var st = new statvfs
            {
                f_bsize = 4096,
                f_frsize = 4096,
                f_files = (ulong)mount._inodes.Count,
                f_namemax = InodeTable.MaxNameBytes,
            };
            fuse_reply_statfs(req, &st);
        }
        catch (Exception e)
        {
            Fail(req, mount, e);
        }
    }

    // The refusals below make one native call with constant arguments and cannot throw.

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnCreate(fuse_req* req, ulong parent, byte* name, uint mode, fuse_file_info* fi) => fuse_reply_err(req, EACCES);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnMknod(fuse_req* req, ulong parent, byte* name, uint mode, ulong rdev) => fuse_reply_err(req, EACCES);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnMkdir(fuse_req* req, ulong parent, byte* name, uint mode) => fuse_reply_err(req, EPERM);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnUnlink(fuse_req* req, ulong parent, byte* name) => fuse_reply_err(req, EPERM);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnRmdir(fuse_req* req, ulong parent, byte* name) => fuse_reply_err(req, EPERM);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnRename(fuse_req* req, ulong parent, byte* name, ulong newParent, byte* newName, uint flags) => fuse_reply_err(req, EPERM);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnSymlink(fuse_req* req, byte* link, ulong parent, byte* name) => fuse_reply_err(req, EPERM);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLink(fuse_req* req, ulong ino, ulong newParent, byte* newName) => fuse_reply_err(req, EPERM);

    private void Lookup(fuse_req* req, ulong parent, byte* name)
    {
        Inode? directory = _inodes.Get(parent);
        if (directory is null || !directory.IsDirectory)
        {
            fuse_reply_err(req, directory is null ? ENOENT : ENOTDIR);
            return;
        }

        Inode? node = _inodes.Lookup(directory, MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name));

        // ino 0 is a negative entry: the tree is static, so "no such name" may be cached as long.
        var entry = new fuse_entry_param { entry_timeout = CacheTimeout };
        if (node is not null)
        {
            entry.ino = node.Ino;
            entry.attr = node.Attr;
            entry.attr_timeout = CacheTimeout;
        }

        fuse_reply_entry(req, &entry);
    }

    private void Getattr(fuse_req* req, ulong ino)
    {
        Inode? node = _inodes.Get(ino);
        if (node is null)
        {
            fuse_reply_err(req, ENOENT);
            return;
        }

        fixed (stat* attr = &node.Attr)
        {
            fuse_reply_attr(req, attr, CacheTimeout);
        }
    }

    private void Setattr(fuse_req* req, ulong ino, int toSet)
    {
        // Truncation (truncate(2), or O_TRUNC when it does not travel inside OPEN) of a writable file
        // succeeds and changes nothing, as on procfs; the kernel may add time updates to it.
        const int TruncateBits = FUSE_SET_ATTR_SIZE | FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME |
            FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_MTIME_NOW | FUSE_SET_ATTR_CTIME |
            FUSE_SET_ATTR_KILL_SUID | FUSE_SET_ATTR_KILL_SGID;

        Inode? node = _inodes.Get(ino);
        if (node is null)
        {
            fuse_reply_err(req, ENOENT);
            return;
        }

        if (node.IsDirectory || (toSet & FUSE_SET_ATTR_SIZE) == 0 || (toSet & ~TruncateBits) != 0 || !_hasWrite[node.FileIndex])
        {
            fuse_reply_err(req, EPERM);
            return;
        }

        fixed (stat* attr = &node.Attr)
        {
            fuse_reply_attr(req, attr, CacheTimeout);
        }
    }

    private void Open<TReply>(TReply reply, ulong ino)
        where TReply : struct, IReply
    {
        Inode? node = _inodes.Get(ino);
        if (node is null || node.IsDirectory)
        {
            reply.Error(node is null ? ENOENT : EISDIR);
            return;
        }

        int handle = _handles.Rent(node.FileIndex);

        // direct_io: every read(2) reaches us and st_size 0 does not cut content short, and each
        // write(2) arrives whole so a short count reaches the writer. keep_cache off: never stale.
        if (reply.Open((ulong)handle) != 0)
        {
            // The open was interrupted; no RELEASE will come for this handle.
            _handles.Return((ulong)handle, lockSlot: !_singleLoop);
        }
    }

    private void Read<TReply>(TReply reply, ulong fh, nuint size, long offset)
        where TReply : struct, IReply
    {
        HandleSlot? slot = _handles.Get(fh);
        if (slot is null)
        {
            reply.Error(EBADF);
            return;
        }

        if (_singleLoop)
        {
            // The one loop thread is the only one touching the slot.
            ReadSlot(reply, slot, size, offset);
            return;
        }

        // Several loop threads: reads of one open may arrive together, and only one may take the snapshot.
        lock (slot)
        {
            ReadSlot(reply, slot, size, offset);
        }
    }

    private void ReadSlot<TReply>(TReply reply, HandleSlot slot, nuint size, long offset)
        where TReply : struct, IReply
    {
        if (!slot.SnapshotTaken)
        {
            // The first read of an open runs the handler, unless the stop has begun: then it
            // fails (CONTRACT §4). A snapshot taken before the stop is still served, so a reader
            // whose handler ended the session gets its content and its EOF.
            if (!BeginHandler())
            {
                reply.Error(EIO);
                return;
            }

            try
            {
                TakeSnapshot(reply.Caller, slot);
                Reply(reply, slot, size, offset);
            }
            catch (Exception e)
            {
                // Answered here rather than by the forwarder, so the reply precedes EndHandler.
                Fail(reply, this, e);
            }
            finally
            {
                // After the reply: WaitForExit must not return while a reply is still owed.
                EndHandler();
            }

            return;
        }

        Reply(reply, slot, size, offset);

        static void Reply(TReply reply, HandleSlot slot, nuint size, long offset)
        {
            if (slot.Error != 0)
            {
                reply.Error(slot.Error);
                return;
            }

            ReadOnlySpan<byte> content = slot.Buffer.Content;
            if (offset < 0 || offset >= content.Length)
            {
                reply.Data(null, 0);
                return;
            }

            ReadOnlySpan<byte> slice = content.Slice((int)offset);
            int count = (int)Math.Min((ulong)slice.Length, size);
            fixed (byte* data = slice)
            {
                reply.Data(data, (nuint)count);
            }
        }
    }

    private void TakeSnapshot(in CallerContext caller, HandleSlot slot)
    {
        slot.SnapshotTaken = true;
        slot.Buffer.Clear();
        if (!_hasRead[slot.FileIndex])
        {
            return;
        }

        int result;
        try
        {
            result = _handler.Read(slot.FileIndex, in caller, slot.Buffer);
        }
        catch
        {
            // This open's later reads fail the same way instead of re-running the handler.
            slot.Error = EIO;
            throw;
        }

        // Accept -errno too, and never hand libfuse an errno it cannot send.
        int errno = result < 0 ? -result : result;
        slot.Error = errno is > 0 and < 4096 ? errno : (errno == 0 ? 0 : EIO);
    }

    private void Write<TReply>(TReply reply, ulong fh, byte* buffer, nuint size)
        where TReply : struct, IReply
    {
        HandleSlot? slot = _handles.Get(fh);
        if (slot is null)
        {
            reply.Error(EBADF);
            return;
        }

        int fileIndex = slot.FileIndex;
        if (!_hasWrite[fileIndex])
        {
            reply.Error(EIO);
            return;
        }

        if (!BeginHandler())
        {
            reply.Error(EIO);
            return;
        }

        try
        {
            if (size == 0)
            {
                reply.Written(0);
                return;
            }

            int length = (int)Math.Min(size, (nuint)int.MaxValue);
            CallerContext caller = reply.Caller;
            int consumed = _handler.Write(fileIndex, in caller, new ReadOnlySpan<byte>(buffer, length));
            if (consumed < 0)
            {
                reply.Error(-consumed < 4096 ? -consumed : EIO);
            }
            else if (consumed == 0)
            {
                // A zero count would make the writer retry forever.
                reply.Error(EIO);
            }
            else
            {
                reply.Written((nuint)Math.Min(consumed, length));
            }
        }
        catch (Exception e)
        {
            // Answered here rather than by the forwarder, so the reply precedes EndHandler.
            Fail(reply, this, e);
        }
        finally
        {
            EndHandler();
        }
    }

    private void Release<TReply>(TReply reply, ulong fh)
        where TReply : struct, IReply
    {
        _handles.Return(fh, lockSlot: !_singleLoop);
        reply.Error(0);
        if (_stopping != 0)
        {
            UpdateStopProgress();
        }
    }

    private void Opendir(fuse_req* req, ulong ino, fuse_file_info* fi)
    {
        Inode? node = _inodes.Get(ino);
        if (node is null || !node.IsDirectory)
        {
            fuse_reply_err(req, node is null ? ENOENT : ENOTDIR);
            return;
        }

        fi->fh = 0;
        fuse_reply_open(req, fi);
    }

    [SkipLocalsInit]
    private void Readdir(fuse_req* req, ulong ino, nuint size, long offset)
    {
        Inode? node = _inodes.Get(ino);
        if (node is null || !node.IsDirectory)
        {
            fuse_reply_err(req, node is null ? ENOENT : ENOTDIR);
            return;
        }

        // Entry i is ".", "..", then the children; the offset handed back with entry i is i + 1,
        // so a listing that does not fit continues where it stopped.
        int capacity = (int)Math.Min(size, (nuint)ReaddirBufferLimit);
        byte* buffer = stackalloc byte[capacity];
        nuint used = 0;
        long total = 2L + node.Children.Length;
        for (long i = Math.Max(offset, 0); i < total; i++)
        {
            Inode entry = i switch
            {
                0 => node,
                1 => _inodes.Get(node.Parent)!,
                _ => _inodes.ByIndex(node.Children[i - 2]),
            };
            byte[] name = i switch
            {
                0 => s_dot,
                1 => s_dotDot,
                _ => entry.NameZ,
            };

            nuint needed;
            fixed (byte* namePtr = name)
            fixed (stat* attr = &entry.Attr)
            {
                needed = fuse_add_direntry(req, buffer + used, (nuint)capacity - used, namePtr, attr, i + 1);
            }

            if (needed > (nuint)capacity - used)
            {
                break;
            }

            used += needed;
        }

        fuse_reply_buf(req, buffer, used);
    }
}
