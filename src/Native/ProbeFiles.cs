namespace ProcProbe.Native;

/// <summary>Who issued a FUSE request, from <c>fuse_req_ctx</c>.</summary>
public readonly record struct CallerContext(int Pid, uint Uid, uint Gid);

/// <summary>One file to serve.</summary>
public sealed class ProbeFileSpec
{
    /// <summary>Relative, '/'-separated path, e.g. "net/stats"; served as UTF-8 unless <see cref="PathBytes"/> is set.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// The path as raw bytes ('/'-separated), served exactly so: a script's path need not be UTF-8, and
    /// a round trip through <see cref="string"/> would re-encode its bytes. Null serves <see cref="Path"/>.
    /// </summary>
    public byte[]? PathBytes { get; init; }

    /// <summary>The bytes the file system shows, one char per byte (Latin-1), so that paths split and compare as bytes.</summary>
    internal string ByteString => System.Text.Encoding.Latin1.GetString(PathBytes ?? System.Text.Encoding.UTF8.GetBytes(Path));

    /// <summary>Permission bits, e.g. 0x124 (0444). Only the low nine bits are used.</summary>
    public required uint Mode { get; init; }

    /// <summary>Whether a read handler exists; without one the file reads as empty and the handler is not called.</summary>
    public required bool HasRead { get; init; }

    /// <summary>Whether a write handler exists; without one every write fails with EIO and the handler is not called.</summary>
    public required bool HasWrite { get; init; }
}

/// <summary>
/// Runs the script's handlers. With <see cref="FuseMountOptions.MultiThreaded"/> the methods are
/// called from several threads at once; otherwise always from the one loop thread.
/// </summary>
public interface IProbeFileHandler
{
    /// <summary>
    /// Once per open, at the first read. Fill <paramref name="content"/> (it arrives empty). Return 0,
    /// or a positive errno (e.g. EIO = 5) to fail this read and every later read of the same open file.
    /// </summary>
    int Read(int fileIndex, in CallerContext caller, SnapshotBuffer content);

    /// <summary>
    /// Each write(2). Return the number of bytes consumed (1..data.Length; fewer is a short write, so
    /// the writer retries the rest) or a negative errno.
    /// </summary>
    int Write(int fileIndex, in CallerContext caller, ReadOnlySpan<byte> data);
}

/// <summary>How to mount.</summary>
public sealed class FuseMountOptions
{
    /// <summary>Owner of every file and directory.</summary>
    public uint Uid;

    /// <summary>Group of every file and directory.</summary>
    public uint Gid;

    /// <summary>Adds <c>allow_other</c> (a non-root user needs <c>user_allow_other</c> in /etc/fuse.conf).</summary>
    public bool AllowOther;

    /// <summary>
    /// The mount's source name. The default, <c>procprobe:PID</c>, names the owner so that
    /// <see cref="ModuleDirectory.Prepare"/> can tell a live mount from a dead one.
    /// </summary>
    public string FsName = ModuleDirectory.FsNameFor(Environment.ProcessId);

    /// <summary>
    /// Serves requests on <see cref="MaxThreads"/> managed threads, each reading /dev/fuse itself,
    /// instead of one; the handler is then called from several threads at once.
    /// </summary>
    public bool MultiThreaded;

    /// <summary>Loop threads when <see cref="MultiThreaded"/> is set.</summary>
    public int MaxThreads = 2;

    /// <summary>
    /// With one loop thread: the thread gets its own copy of the file descriptor table (unshare
    /// CLONE_FILES) before serving, and the process's table gives up /dev/fuse. A thread whose table
    /// nobody shares skips the file reference count on each read(2) and writev(2) of /dev/fuse, which
    /// in a multi-threaded process costs more than a single-threaded C server spends on a whole
    /// request's user-space work. The copy keeps every descriptor open at <see cref="FuseMount.Start"/>
    /// open until the loop ends, and descriptors opened afterwards by other threads are not in it,
    /// so only a host whose handlers use no descriptor opened later, and which opens no descriptor
    /// that must be closed by then (a pipe end) while <see cref="FuseMount.Start"/> runs, may set it.
    /// </summary>
    public bool PrivateDescriptorTable;

    /// <summary>
    /// Once INIT is done, the loop answers OPEN, READ, WRITE and RELEASE itself, straight from the
    /// kernel's request and with one writev(2) per reply, instead of handing them to libfuse (which
    /// allocates a request, calls back into managed code and calls libfuse again to reply). The
    /// replies are the same bytes either way; false sends every request through libfuse.
    /// </summary>
    public bool DirectReplies = true;

    /// <summary>
    /// How long <see cref="FuseMount.WaitForExit()"/> waits after the stop for files that are still
    /// open (e.g. a reader between its last read and its close) before returning anyway.
    /// </summary>
    public TimeSpan DrainTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Called (on the FUSE thread) when a handler or callback throws; the request has already been
    /// answered with EIO. Null ignores such exceptions.
    /// </summary>
    public Action<Exception>? CallbackFailed;
}

/// <summary>A mount, unmount or directory failure; <see cref="Exception.Message"/> is one line.</summary>
public sealed class FuseException : Exception
{
    public FuseException(string message)
        : base(message)
    {
    }

    public FuseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
