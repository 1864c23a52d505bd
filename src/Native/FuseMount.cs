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

    private readonly string _mountPoint;
    private readonly byte[] _mountPointZ;
    private readonly IProbeFileHandler _handler;
    private readonly FuseMountOptions _options;
    private readonly bool[] _hasRead;
    private readonly bool[] _hasWrite;
    private readonly InodeTable _inodes;
    private readonly HandleTable _handles = new();
    private readonly FileInfoBits _bits;

    // Guards _session against RequestStop racing with the loop thread's teardown.
    private readonly Lock _lifecycle = new();

    private fuse_session* _session;
    private fuse_lowlevel_ops* _ops;
    private GCHandle _self;
    private Thread? _thread;
    private volatile int _stopping;
    private bool _started;
    private bool _detached;
    private bool _cleanedUp;
    private volatile bool _loopExited;
    private int _loopResult;
    private Thread? _wakeThread;
    private uint _rootDevMajor;
    private uint _rootDevMinor;

    // Set on threads that run FUSE callbacks: RequestStop must not wait on them.
    [ThreadStatic]
    private static bool t_onFuseThread;

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
        _bits = LibFuse.FileInfoBits;
    }

    /// <summary>The absolute mount point.</summary>
    public string MountPoint => _mountPoint;

    /// <summary>Set by <see cref="RequestStop"/>: reads and writes now fail with EIO.</summary>
    public bool IsStopping => _stopping != 0;

    /// <summary>Whether the loop has returned (after a stop, or because the mount was removed from outside).</summary>
    public bool HasExited => _loopExited;

    /// <summary>What the libfuse loop returned: 0 after an unmount, else -errno.</summary>
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

        if (options.MultiThreaded && !LibFuse.HasMultiThreadedLoop)
        {
            throw new FuseException($"the multi-threaded FUSE loop needs libfuse 3.12 or newer (found {LibFuse.PackageVersion})");
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

    /// <summary>Runs the libfuse loop on a dedicated foreground thread.</summary>
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
            _thread = new Thread(LoopMain) { IsBackground = false, Name = "procprobe-fuse" };
            _thread.Start();
        }
    }

    /// <summary>
    /// Ends the session: new reads and writes fail with EIO, libfuse's loop is told to exit, and the
    /// mount is lazily detached at once, even while a file is open or a process has its working
    /// directory inside. Thread-safe, idempotent, never throws; callable from a signal handler or a
    /// FUSE handler.
    /// </summary>
    public void RequestStop()
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return;
        }

        try
        {
            lock (_lifecycle)
            {
                if (_session == null)
                {
                    return;
                }

                fuse_session_exit(_session);

                // The loop may sit in read(2) on /dev/fuse, and while a file is open or a process has
                // its cwd inside, the detached mount keeps its connection and no request comes. So
                // before detaching, take an O_PATH handle on the mount root (sends no request), and
                // afterwards let a helper thread force one GETATTR through it: the loop answers it,
                // sees the exit flag and returns. Not needed (and skipped) on a FUSE thread, whose
                // loop checks the flag as soon as the current request is answered.
                int wakeFd = _started && !_loopExited && !t_onFuseThread ? OpenWakeHandle() : -1;
                _detached = Detach(out string? stopError);
                StopError = stopError;
                if (wakeFd >= 0)
                {
                    _wakeThread = new Thread(() => ForceGetattr(wakeFd)) { IsBackground = true, Name = "procprobe-fuse-wake" };
                    _wakeThread.Start();
                }
            }
        }
        catch (Exception e)
        {
            StopError = e.Message;
        }
    }

    /// <summary>Waits until the loop has ended and the session is torn down.</summary>
    public void WaitForExit()
    {
        Thread? thread;
        lock (_lifecycle)
        {
            thread = _thread;
        }

        if (thread is null)
        {
            Cleanup();
            return;
        }

        if (thread == Thread.CurrentThread)
        {
            throw new InvalidOperationException("WaitForExit cannot be called from the FUSE loop thread");
        }

        thread.Join();
    }

    /// <summary>Waits up to <paramref name="timeout"/>; true when the loop has ended.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        Thread? thread;
        lock (_lifecycle)
        {
            thread = _thread;
        }

        if (thread is null)
        {
            Cleanup();
            return true;
        }

        return thread.Join(timeout);
    }

    public void Dispose()
    {
        RequestStop();
        Thread? thread;
        lock (_lifecycle)
        {
            thread = _thread;
        }

        if (thread is null)
        {
            Cleanup();
        }
        else if (thread != Thread.CurrentThread)
        {
            thread.Join();
        }
    }

    private void MountCore()
    {
        _ops = (fuse_lowlevel_ops*)NativeMemory.AllocZeroed((nuint)sizeof(fuse_lowlevel_ops));
        FillOperations(_ops);
        _self = GCHandle.Alloc(this);

        string mountOptions = $"fsname={_options.FsName},subtype=procprobe,default_permissions" + (_options.AllowOther ? ",allow_other" : string.Empty);
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
        t_onFuseThread = true;
        int result;
        if (_options.MultiThreaded)
        {
            fuse_loop_config* config = fuse_loop_cfg_create();
            fuse_loop_cfg_set_max_threads(config, (uint)Math.Max(1, _options.MaxThreads));
            result = fuse_session_loop_mt(_session, config);
            fuse_loop_cfg_destroy(config);
        }
        else
        {
            result = fuse_session_loop(_session);
        }

        _loopResult = result;
        _loopExited = true;
        Cleanup();
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

            // Normally the wake helper is done as soon as the loop answered it; give it a moment to
            // close its handle so the connection can end and the unmount below stays quiet.
            _wakeThread?.Join(100);
            if (_session != null)
            {
                // fuse_session_unmount closes /dev/fuse and, unless the connection is already dead,
                // unmounts by path. After our own lazy detach the path is no longer a mount and that
                // second unmount would only print an error; closing the device in
                // fuse_session_destroy then aborts what is left of the connection.
                if (!_detached || ConnectionAborted(_session))
                {
                    fuse_session_unmount(_session);
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
}
