using ProcProbe.Interpreter;
using ProcProbe.Native;

namespace ProcProbe.Cli.Hosting;

/// <summary>Connects the FUSE server's file operations to the script's procfs handlers.
/// Runs on the FUSE loop thread (or threads, with $PROCPROBE_FUSE_THREADS); stateless, the session
/// lock serialises the handlers. Allocates nothing per call.</summary>
internal sealed class ScriptFileHandler : IProbeFileHandler
{
    private const int EIO = 5;

    private readonly ScriptSession _session;

    // Per file, the longest chunk a write handler gets, looked up once rather than per write.
    private readonly int[] _writeLimits;

    public ScriptFileHandler(ScriptSession session, IReadOnlyList<ProcfsFile> files)
    {
        _session = session;
        _writeLimits = new int[files.Count];
        for (int i = 0; i < files.Count; i++)
        {
            _writeLimits[i] = files[i].WriteChunkSize - 1;
        }
    }

    public int Read(int fileIndex, in CallerContext caller, SnapshotBuffer content)
    {
        // The snapshot is written straight from the file's read buffer; even a failing handler leaves
        // what it produced (stap hands the reader the truncated buffer on overflow). The caller hands
        // over an empty buffer.
        return _session.RunRead(fileIndex, new Caller(caller.Pid, caller.Uid, caller.Gid), content);
    }

    public int Write(int fileIndex, in CallerContext caller, ReadOnlySpan<byte> data)
    {
        // CONTRACT §5: each write(2) is cut to the chunk limit and reports the short count,
        // so the writer's own loop hands over the rest as further handler runs.
        int limit = _writeLimits[fileIndex];
        if (data.Length > limit)
        {
            data = data[..limit];
        }
        int rc = _session.RunWrite(fileIndex, new Caller(caller.Pid, caller.Uid, caller.Gid), data);
        return rc == 0 ? data.Length : -(rc > 0 ? rc : EIO);
    }
}
