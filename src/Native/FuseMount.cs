using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using static Interop.LibFuse;

namespace ProcProbe.Native;

/// <summary>
/// One FUSE mount served with the libfuse low-level API: the files of a probe module, their
/// handlers, and the loop thread. Create with <see cref="Mount"/>, then <see cref="Start"/>;
/// stop with <see cref="RequestStop"/> and <see cref="WaitForExit()"/> (or <see cref="Dispose"/>).
/// </summary>
public sealed unsafe partial class FuseMount : IDisposable
{
    // The tree and its attributes never change while mounted, so the kernel may cache entries,
    // negative entries and attributes for a long time (timeout 0 would add a LOOKUP per open).
    private const double CacheTimeout = 86400.0;

    /// <summary>
    /// One request read from /dev/fuse: libfuse 3.14's own receive size (256 pages of data plus a
    /// page for the headers); <see cref="OnInit"/> keeps max_write within it, since the kernel
    /// refuses a read into a buffer that could not hold the largest write.
    /// </summary>
    private const int ReceiveBufferSize = (256 + 1) * 4096;

    /// <summary>The request headers' share of <see cref="ReceiveBufferSize"/>.</summary>
    private const int ReceiveHeaderSpace = 4096;

    private readonly string _mountPoint;
    private readonly byte[] _mountPointZ;
    private readonly IProbeFileHandler _handler;
    private readonly FuseMountOptions _options;
    private readonly bool[] _hasRead;
    private readonly bool[] _hasWrite;
    private readonly InodeTable _inodes;
    private readonly HandleTable _handles = new();

    // Guards _session against RequestStop racing with the loop threads' teardown.
    private readonly Lock _lifecycle = new();

    // Set once the last loop thread has returned and the session is torn down.
    private readonly ManualResetEventSlim _loopEnded = new();

    // Set, while stopping, once no handler runs any more (none can start after the stop).
    private readonly ManualResetEventSlim _handlersIdle = new();

    // Set, while stopping, once additionally no file of the mount is open.
    private readonly ManualResetEventSlim _drained = new();

    private fuse_session* _session;
    private fuse_lowlevel_ops* _ops;
    private GCHandle _self;
    private int _threadCount;
    private int _runningThreads;
    private volatile int _stopping;
    private long _stopTimestamp;
    private int _activeHandlers;
    private volatile bool _forceExit;
    private bool _started;
    private bool _detached;
    private bool _cleanedUp;
    private volatile bool _loopExited;
    private int _loopResult;
    private Thread[] _wakeThreads = [];
    private uint _rootDevMajor;
    private uint _rootDevMinor;

    // The mount whose loop this thread runs (null off the loop threads). The callbacks find their mount
    // here rather than through fuse_req_userdata (a native call) and a GCHandle; loop threads must
    // also never wait for the stop to settle.
    [ThreadStatic]
    private static FuseMount? t_loopMount;

    // True once started with a single loop thread: every callback then runs on that one thread, one
    // at a time, so an open file's state needs no lock.
    private bool _singleLoop;

    private static bool OnFuseThread => t_loopMount is not null;

    // FuseMountOptions.PrivateDescriptorTable: set by the loop thread once it has tried the unshare
    // (_loopUnshared: and succeeded), so that Start can close the process table's /dev/fuse.
    private ManualResetEventSlim? _unshareTried;
    private bool _loopUnshared;

    private FuseMount(string mountPoint, IReadOnlyList<ProbeFileSpec> files, IProbeFileHandler handler, FuseMountOptions options)
    {
        _mountPoint = mountPoint;
        _mountPointZ = Utf8Z(mountPoint);
        _handler = handler;
        _options = options;
        _hasRead = new bool[files.Count];
        _hasWrite = new bool[files.Count];
        for (int i = 0; i < files.Count; i++)
        {
            _hasRead[i] = files[i].HasRead;
            _hasWrite[i] = files[i].HasWrite;
        }

        _inodes = InodeTable.Build(files, options.Uid, options.Gid, DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// A mount's tables and handler with no session: lets benchmarks drive the callbacks without a
    /// kernel. <see cref="CallbackUserData"/> is what <c>fuse_req_userdata</c> must return for it.
    /// Like the default single loop thread, its callbacks must be entered one at a time.
    /// </summary>
    internal static FuseMount CreateUnmounted(IReadOnlyList<ProbeFileSpec> files, IProbeFileHandler handler, FuseMountOptions options)
    {
        var mount = new FuseMount("/", files, handler, options);
        mount._self = GCHandle.Alloc(mount);
        mount._singleLoop = true;
        return mount;
    }

    internal nint CallbackUserData => GCHandle.ToIntPtr(_self);

    /// <summary>The absolute mount point.</summary>
    public string MountPoint => _mountPoint;

    /// <summary>
    /// Set by <see cref="RequestStop"/>: handlers no longer start, so a read that would run one (the
    /// first read of an open) and every write fail with EIO; reads of a snapshot already taken are
    /// still served.
    /// </summary>
    public bool IsStopping => _stopping != 0;

    /// <summary>
    /// Whether the loop has returned: the connection ended (the detached mount's last user left, or
    /// it was unmounted from outside), or the mount could not be detached and the loop was ended.
    /// </summary>
    public bool HasExited => _loopExited;

    /// <summary>How the loop ended: 0 when the connection did (unmounted, detached and left by its last user, or aborted), else -errno of the failed read.</summary>
    public int LoopResult => _loopResult;

    /// <summary>Open file handles right now.</summary>
    public int OpenHandles => _handles.InUse;

    /// <summary>One line describing why the lazy unmount in <see cref="RequestStop"/> failed, or null.</summary>
    public string? StopError { get; private set; }

    /// <summary>
    /// Checks that every path can be served (relative, no empty/./.. component, components under
    /// 256 bytes, no name both a file and a directory, no duplicates). <paramref name="error"/> is one line.
    /// </summary>
    public static bool ValidatePaths(IReadOnlyList<ProbeFileSpec> files, out string error)
    {
        ArgumentNullException.ThrowIfNull(files);
        return InodeTable.Validate(files, out error);
    }

    /// <summary>
    /// Mounts <paramref name="files"/> at <paramref name="mountPoint"/> (an existing directory).
    /// Throws <see cref="FuseException"/> with a one-line message on failure, leaving nothing mounted.
    /// Requests queue in the kernel until <see cref="Start"/> runs the loop.
    /// </summary>
    public static FuseMount Mount(string mountPoint, IReadOnlyList<ProbeFileSpec> files, IProbeFileHandler handler, FuseMountOptions options)
    {
        ArgumentNullException.ThrowIfNull(mountPoint);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        if (options.FsName.Length == 0 || options.FsName.AsSpan().IndexOfAny(",\\ \t\n=") >= 0)
        {
            throw new ArgumentException("FsName must be non-empty and free of ',', '\\', '=' and whitespace", nameof(options));
        }

        if (!LibFuse.TryLoad(out string error) || !LibFuse.CheckDevice(out error))
        {
            throw new FuseException(error);
        }

        string full = Path.GetFullPath(mountPoint);
        if (!Directory.Exists(full))
        {
            throw new FuseException($"cannot mount at {full}: no such directory");
        }

        var mount = new FuseMount(full, files, handler, options);
        try
        {
            mount.MountCore();
        }
        catch
        {
            mount.Cleanup();
            throw;
        }

        return mount;
    }

    /// <summary>
    /// Runs the loop: one dedicated thread, or <see cref="FuseMountOptions.MaxThreads"/> with
    /// <see cref="FuseMountOptions.MultiThreaded"/>, each reading requests from /dev/fuse and
    /// dispatching them. Background threads: a mount that still has users at exit does not keep
    /// the process alive.
    /// </summary>
    public void Start()
    {
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_cleanedUp, this);
            if (_started)
            {
                throw new InvalidOperationException("the FUSE loop was already started");
            }

            _started = true;
            int count = _options.MultiThreaded ? Math.Max(1, _options.MaxThreads) : 1;
            _threadCount = count;
            _runningThreads = count;
            _singleLoop = count == 1;
            if (_singleLoop && _options.PrivateDescriptorTable)
            {
                // Blocks without spinning: the waiting main thread leaves the CPU to the loop thread.
                _unshareTried = new ManualResetEventSlim(false, spinCount: 0);
            }

            for (int i = 0; i < count; i++)
            {
                // Native threads entering the loop through an unmanaged entry point (the runtime attaches
                // each at that call): Thread.Start would spin here until the new thread runs, which on a
                // busy machine costs more CPU than the rest of the start. Like background threads, they
                // do not keep the process alive.
                ulong thread;
                int error = Interop.LibC.PthreadCreate(&thread, null, &LoopEntry, (void*)GCHandle.ToIntPtr(_self));
                if (error != 0)
                {
                    // The threads already running end the loop and clean up; with none, WaitForExit does.
                    _runningThreads -= count - i;
                    _threadCount = i;
                    _started = i > 0;
                    throw new FuseException($"cannot start the FUSE loop thread: {Marshal.GetPInvokeErrorMessage(error)}");
                }

                Interop.LibC.PthreadDetach(thread);
            }

            if (_unshareTried is not null)
            {
                // Once the loop thread holds its own copy of /dev/fuse, the process table's copy goes,
                // so that closing the device still ends the connection and nothing else holds it.
                _unshareTried.Wait();
                _unshareTried = null;
                if (_loopUnshared)
                {
                    Interop.LibC.Close(fuse_session_fd(_session));
                }
            }
        }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static void* LoopEntry(void* self)
    {
        Thread.CurrentThread.Name = "procprobe-fuse";
        ((FuseMount)GCHandle.FromIntPtr((nint)self).Target!).LoopMain();
        return null;
    }

    /// <summary>
    /// Begins the stop: handlers no longer start (reads that would run one, and writes, are answered
    /// EIO) and the mount is lazily detached at once, even while a file is open or a process has its
    /// working directory inside. The loop keeps answering whatever still reaches it through such
    /// users, so every request, including one in flight, gets its reply rather than a torn-down
    /// connection; it ends by itself when the last user leaves, or with the process. Only if the
    /// detach fails is the loop ended at once (its cleanup then unmounts). Thread-safe, idempotent,
    /// never throws; callable from a signal handler or from a handler.
    /// </summary>
    public void RequestStop()
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return;
        }

        Volatile.Write(ref _stopTimestamp, Stopwatch.GetTimestamp());
        try
        {
            lock (_lifecycle)
            {
                if (_session != null && !_loopExited)
                {
                    _detached = Detach(out string? stopError);
                    StopError = stopError;
                    if (!_detached && _started)
                    {
                        ForceExit();
                    }
                }
            }
        }
        catch (Exception e)
        {
            StopError = e.Message;
        }
        finally
        {
            UpdateStopProgress();
        }
    }

    /// <summary>
    /// Waits until the stop has settled: the loop has ended, or, after <see cref="RequestStop"/>, no
    /// handler runs and no file is open any more. Files still held open after
    /// <see cref="FuseMountOptions.DrainTimeout"/> no longer delay it; the loop goes on answering
    /// them EIO (or from their snapshot). A handler that is running is always waited for.
    /// </summary>
    public void WaitForExit() => WaitForExit(Timeout.InfiniteTimeSpan);

    /// <summary>Like <see cref="WaitForExit()"/>, for at most <paramref name="timeout"/>; true when settled.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        bool started;
        lock (_lifecycle)
        {
            started = _started;
        }

        if (!started)
        {
            Cleanup();
            return true;
        }

        if (OnFuseThread)
        {
            throw new InvalidOperationException("WaitForExit cannot be called from a FUSE loop thread");
        }

        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        if (_stopping == 0)
        {
            // Not stopping: only the end of the connection (an unmount from outside) ends the loop.
            return _loopEnded.Wait(Remaining(deadline));
        }

        long drainEnd = Volatile.Read(ref _stopTimestamp) + (long)(_options.DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        return _drained.Wait(Remaining(Math.Min(deadline, drainEnd))) || _handlersIdle.Wait(Remaining(deadline));

        static TimeSpan Remaining(long until)
        {
            if (until == long.MaxValue)
            {
                return Timeout.InfiniteTimeSpan;
            }

            long ticks = until - Stopwatch.GetTimestamp();
            return ticks <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
        }
    }

    /// <summary><see cref="RequestStop"/>, then <see cref="WaitForExit()"/> (not on a loop thread).</summary>
    public void Dispose()
    {
        RequestStop();
        if (!OnFuseThread)
        {
            WaitForExit();
        }
    }

    private void MountCore()
    {
        _ops = (fuse_lowlevel_ops*)NativeMemory.AllocZeroed((nuint)sizeof(fuse_lowlevel_ops));
        FillOperations(_ops);
        _self = GCHandle.Alloc(this);

        // allow_root makes libfuse refuse other users' requests itself (fuse_session_new takes the
        // owner from getuid()); the direct replies leave such OPENs to it.
        _denyOthers = !_options.AllowOther && AsksForAllowRoot();
        _owner = Interop.LibC.GetUid();
        string access = _options.AllowOther ? ",allow_other" : _denyOthers ? ",allow_root" : "";
        string mountOptions = $"fsname={_options.FsName},subtype=procprobe,default_permissions" + access;
        byte*[] owned = [Alloc("procprobe"), Alloc("-o"), Alloc(mountOptions)];
        byte** argv = (byte**)NativeMemory.AllocZeroed((nuint)(owned.Length + 1), (nuint)sizeof(byte*));
        try
        {
            for (int i = 0; i < owned.Length; i++)
            {
                argv[i] = owned[i];
            }

            var args = new fuse_args { argc = owned.Length, argv = argv, allocated = 0 };
            _session = fuse_session_new(&args, _ops, (nuint)sizeof(fuse_lowlevel_ops), (void*)GCHandle.ToIntPtr(_self));

            // libfuse may have replaced argv with its own copy (allocated = 1); ours is freed below.
            fuse_opt_free_args(&args);
        }
        finally
        {
            foreach (byte* s in owned)
            {
                NativeMemory.Free(s);
            }

            NativeMemory.Free(argv);
        }

        if (_session == null)
        {
            throw new FuseException($"fuse_session_new refused the options '{mountOptions}'");
        }

        int result;
        fixed (byte* mnt = _mountPointZ)
        {
            result = fuse_session_mount(_session, mnt);
        }

        if (result != 0)
        {
            throw new FuseException($"cannot mount FUSE at {_mountPoint} (libfuse printed the reason above)");
        }

        // Remember which device the mount root is, to recognise it again at stop. DONT_SYNC: no
        // request, since nothing serves the connection yet.
        Interop.LibC.statx st;
        fixed (byte* mnt = _mountPointZ)
        {
            if (Interop.LibC.Statx(Interop.LibC.AT_FDCWD, mnt, Interop.LibC.AT_STATX_DONT_SYNC, Interop.LibC.STATX_BASIC_STATS, &st) == 0)
            {
                _rootDevMajor = st.stx_dev_major;
                _rootDevMinor = st.stx_dev_minor;
            }
        }

        static byte* Alloc(string text)
        {
            byte[] bytes = Utf8Z(text);
            byte* p = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
            bytes.CopyTo(new Span<byte>(p, bytes.Length));
            return p;
        }
    }

    private void LoopMain()
    {
        t_loopMount = this;
        if (_unshareTried is { } unshareTried)
        {
            try
            {
                _loopUnshared = Interop.LibC.Unshare(Interop.LibC.CLONE_FILES) == 0;
            }
            finally
            {
                unshareTried.Set();
            }
        }

        int fd = fuse_session_fd(_session);
        byte* request = (byte*)NativeMemory.Alloc(ReceiveBufferSize);
        int result = 0;
        try
        {
            // What fuse_session_loop does, on a managed thread, with the read done here: libfuse's own
            // receive checks its exit flag after reading (dropping a request already taken, whose
            // caller is then left to the connection abort) and prints to stderr when the connection
            // is aborted under a read. The loop ends when the connection does.
            fuse_buf buffer = default;
            buffer.mem = request;
            while (!_forceExit)
            {
                nint received = Interop.LibC.Read(fd, request, ReceiveBufferSize);
                if (received > 0)
                {
                    if (!_directReady || !TryReplyDirectly(fd, request, received))
                    {
                        buffer.size = (nuint)received;
                        fuse_session_process_buf(_session, &buffer);
                    }

                    continue;
                }

                int errno = received == 0 ? Interop.LibC.ENODEV : Marshal.GetLastPInvokeError();
                if (errno is Interop.LibC.EINTR or Interop.LibC.EAGAIN or Interop.LibC.ENOENT)
                {
                    // ENOENT: the request being read was interrupted by its caller; the next one is fine.
                    continue;
                }

                // ENODEV: unmounted, or the last user of a detached mount left. ECONNABORTED: the
                // same end met while a request (typically a release) was being taken off the queue,
                // or an abort through /sys/fs/fuse/connections. Either way nobody is left to answer.
                if (errno is not (Interop.LibC.ENODEV or Interop.LibC.ECONNABORTED))
                {
                    result = -errno;
                }

                break;
            }
        }
        finally
        {
            NativeMemory.Free(request);
        }

        if (result != 0)
        {
            Interlocked.CompareExchange(ref _loopResult, result, 0);
        }

        if (Interlocked.Decrement(ref _runningThreads) == 0)
        {
            _loopExited = true;
            Cleanup();
            _loopEnded.Set();
            _handlersIdle.Set();
            _drained.Set();
        }
    }

    /// <summary>Sets the stop events whose condition now holds; called at the stop, when a handler ends and when a file is released.</summary>
    private void UpdateStopProgress()
    {
        if (_stopping == 0)
        {
            return;
        }

        if (Volatile.Read(ref _activeHandlers) == 0)
        {
            _handlersIdle.Set();
            if (_handles.InUse == 0)
            {
                _drained.Set();
            }
        }
    }

    /// <summary>
    /// Claims the right to run a handler; false once stopping. Pairs with <see cref="EndHandler"/>.
    /// Increment before the check, so RequestStop either sees this handler running or this sees the stop.
    /// </summary>
    private bool BeginHandler()
    {
        Interlocked.Increment(ref _activeHandlers);
        if (_stopping != 0)
        {
            EndHandler();
            return false;
        }

        return true;
    }

    private void EndHandler()
    {
        if (Interlocked.Decrement(ref _activeHandlers) == 0 && _stopping != 0)
        {
            UpdateStopProgress();
        }
    }

    /// <summary>
    /// Ends the loop threads after the request each is serving: used when the mount cannot be
    /// detached. A loop blocked in read(2) is woken by one GETATTR, sent by a helper thread through
    /// an O_PATH handle on the mount root (opening it sends no request); a loop thread calling this
    /// stops by itself after its current request.
    /// </summary>
    private void ForceExit()
    {
        _forceExit = true;
        int wakes = _threadCount - (OnFuseThread ? 1 : 0);
        var helpers = new List<Thread>();
        for (int i = 0; i < wakes && !_loopExited; i++)
        {
            int fd = OpenWakeHandle();
            if (fd < 0)
            {
                break;
            }

            var helper = new Thread(() => ForceGetattr(fd)) { IsBackground = true, Name = "procprobe-fuse-wake" };
            helper.Start();
            helpers.Add(helper);
        }

        _wakeThreads = [.. helpers];
    }

    /// <summary>Unmounts (unless already detached), destroys the session, frees native memory. Idempotent.</summary>
    private void Cleanup()
    {
        lock (_lifecycle)
        {
            if (_cleanedUp)
            {
                return;
            }

            _cleanedUp = true;

            // Normally a wake helper is done as soon as the loop answered it; give it a moment to
            // close its handle so the connection can end and the unmount below stays quiet.
            foreach (Thread helper in _wakeThreads)
            {
                helper.Join(100);
            }

            if (_session != null)
            {
                // fuse_session_unmount closes /dev/fuse and, unless the connection is already dead,
                // unmounts by path. After our own lazy detach the path is no longer a mount and that
                // second unmount would only print an error; closing the device in
                // fuse_session_destroy then aborts what is left of the connection.
                bool aborted = ConnectionAborted(_session);
                if (!_detached || aborted)
                {
                    fuse_session_unmount(_session);
                }

                // libfuse takes an aborted connection for an unmounted one and skips its unmount, but
                // an abort through /sys/fs/fuse/connections leaves the dead mount (ENOTCONN) in place.
                if (aborted && !_detached && MountInfo.Find(_mountPoint) is { } entry && entry.Source == _options.FsName)
                {
                    _detached = Detach(out _);
                }

                fuse_session_destroy(_session);
                _session = null;
            }

            if (_ops != null)
            {
                NativeMemory.Free(_ops);
                _ops = null;
            }

            if (_self.IsAllocated)
            {
                _self.Free();
            }
        }
    }

    /// <summary>An O_PATH descriptor of the mount root if the mount point still shows this mount, else -1.</summary>
    private int OpenWakeHandle()
    {
        int fd;
        fixed (byte* mnt = _mountPointZ)
        {
            fd = Interop.LibC.Open(mnt, Interop.LibC.O_PATH | Interop.LibC.O_DIRECTORY | Interop.LibC.O_CLOEXEC, 0);
        }

        if (fd < 0)
        {
            return -1;
        }

        Interop.LibC.statx st;
        int result;
        fixed (byte* empty = "\0"u8)
        {
            result = Interop.LibC.Statx(fd, empty, Interop.LibC.AT_EMPTY_PATH | Interop.LibC.AT_STATX_DONT_SYNC, Interop.LibC.STATX_BASIC_STATS, &st);
        }

        if (result != 0 || st.stx_dev_major != _rootDevMajor || st.stx_dev_minor != _rootDevMinor)
        {
            Interop.LibC.Close(fd);
            return -1;
        }

        return fd;
    }

    /// <summary>Sends one GETATTR through <paramref name="fd"/>; returns once answered or once the connection is gone.</summary>
    private static void ForceGetattr(int fd)
    {
        Interop.LibC.statx st;
        fixed (byte* empty = "\0"u8)
        {
            Interop.LibC.Statx(fd, empty, Interop.LibC.AT_EMPTY_PATH | Interop.LibC.AT_STATX_FORCE_SYNC, Interop.LibC.STATX_BASIC_STATS, &st);
        }

        Interop.LibC.Close(fd);
    }

    private static bool ConnectionAborted(fuse_session* session)
    {
        var pfd = new Interop.LibC.pollfd { fd = fuse_session_fd(session), events = 0 };
        return pfd.fd >= 0 && Interop.LibC.Poll(&pfd, 1, 0) == 1 && (pfd.revents & Interop.LibC.POLLERR) != 0;
    }

    /// <summary>Lazy unmount: umount2(MNT_DETACH) as root, <c>fusermount3 -u -q -z</c> otherwise.</summary>
    private bool Detach(out string? error)
    {
        error = null;
        if (Interop.LibC.GetEUid() == 0)
        {
            fixed (byte* mnt = _mountPointZ)
            {
                if (Interop.LibC.Umount2(mnt, Interop.LibC.MNT_DETACH) == 0)
                {
                    return true;
                }
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != Interop.LibC.EINVAL)
            {
                error = $"cannot unmount {_mountPoint}: {Marshal.GetPInvokeErrorMessage(errno)}";
            }

            return false;
        }

        return RunFusermountUnmount(_mountPoint, out error);
    }

    internal static bool RunFusermountUnmount(string mountPoint, out string? error)
    {
        error = null;
        string? fusermount = LibFuse.FindFusermount();
        if (fusermount is null)
        {
            error = $"cannot unmount {mountPoint}: fusermount3 not found";
            return false;
        }

        var start = new ProcessStartInfo(fusermount) { UseShellExecute = false, RedirectStandardError = true };
        foreach (string arg in (ReadOnlySpan<string>)["-u", "-q", "-z", "--", mountPoint])
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            error = $"fusermount3 -u -z {mountPoint} failed: {stderr.Trim().ReplaceLineEndings(" ")}";
            return false;
        }

        return true;
    }

    internal static byte[] Utf8Z(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    /// <summary>
    /// CONTRACT §3 lets root into every mount. A root mount has that already; a user's mount needs
    /// allow_root, which fusermount3 grants only when /etc/fuse.conf says user_allow_other (and
    /// refuses the whole mount otherwise), so it is asked for only then: true when it is.
    /// </summary>
    private static bool AsksForAllowRoot()
    {
        if (Interop.LibC.GetEUid() == 0)
        {
            return false;
        }
        try
        {
            foreach (string line in File.ReadLines("/etc/fuse.conf"))
            {
                if (line.Trim() == "user_allow_other")
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return false;
    }
}
