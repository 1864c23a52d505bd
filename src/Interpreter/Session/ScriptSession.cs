using System.Buffers;
using ProcProbe.Interpreter.Binding;
using ProcProbe.Interpreter.Evaluation;

namespace ProcProbe.Interpreter;

/// <summary>The process that triggered a procfs handler (FUSE supplies it).</summary>
public readonly record struct Caller(int Pid, uint Uid, uint Gid);

/// <summary>What built-in functions need from the machine.</summary>
public interface IScriptHost
{
    int ProcessId { get; }
    uint Uid { get; }
    uint Gid { get; }
    string ExecName(int pid);
    int ParentPid(int pid);
}

/// <summary>
/// A running script (pass 5): begin probes, procfs handlers, timers, end/error probes, run-time error
/// reporting in stap's format, and the end-of-run display of written-but-never-read globals.
/// Every Run* method takes one session-wide lock, so handlers never run concurrently (CONTRACT §6),
/// and writes the handler's output to the output stream (flushed) before returning. No exception
/// escapes a Run* method or the timer thread (reads and writes run inside native FUSE callbacks): an
/// unexpected one is reported as one "internal error" line and ends the session failed.
/// </summary>
public sealed class ScriptSession : IDisposable, IRuntimeHost
{
    private const int EIO = 5;

    private enum State : byte
    {
        Starting,
        Running,
        Stopping,
        Error,
    }

    private readonly object _lock = new();
    private readonly ScriptCompilation _compilation;
    private readonly BoundProgram _program;
    private readonly ScriptOptions _options;
    private readonly Stream _output;
    private readonly TextWriter _errors;
    private readonly IScriptHost _host;
    private readonly Evaluation.Interpreter _interpreter;
    private readonly ProcfsReadBuffer?[] _readBuffers;
    private readonly ProcfsPathInfo[] _paths;
    private readonly byte[] _writeStorage;
    private State _state = State.Starting;
    private int _errorCount;
    private int _suppressedCount;
    private int _skippedCount;
    private int _stopRaised;
    private volatile bool _stopPending;
    private bool _disposed;
    private bool _endDone;
    private TimerScheduler? _timers;

    public ScriptSession(ScriptCompilation compilation, Stream output, TextWriter errors, IScriptHost host)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(host);
        // A compilation with pass-3 errors (stap's translation errors) must not run either.
        if (compilation.Program is null || !compilation.Succeeded)
            throw new InvalidOperationException("The compilation did not succeed.");
        _compilation = compilation;
        _program = compilation.Program;
        _options = compilation.Options;
        _output = output;
        _errors = errors;
        _host = host;
        _interpreter = new Evaluation.Interpreter(_program, _options, this);
        _paths = _program.Paths.ToArray();
        _readBuffers = new ProcfsReadBuffer?[_paths.Length];
        for (int i = 0; i < _paths.Length; i++)
        {
            if (_paths[i].ReadProbe is not null)
                _readBuffers[i] = new ProcfsReadBuffer(ProcfsRules.BufferSize(_paths[i], _options));
        }
        _writeStorage = new byte[Math.Max(1, _options.MaxStringLen)];
    }

    /// <summary>exit() was called, a fatal error happened, or the session is shutting down.</summary>
    public bool StopRequested => _state is State.Stopping or State.Error;

    /// <summary>Raised once, from whichever thread first makes <see cref="StopRequested"/> true.</summary>
    public event Action? Stopping;

    /// <summary>
    /// 0, or 1 once a run-time error was reported or a probe skipped: stap then closes with the
    /// "Number of errors" warning and "Pass 5: run failed" and exits 1 (language.md §3.11), whether the
    /// error stopped the session or was tolerated by MAXERRORS. An error hidden by
    /// --suppress-handler-errors only counts in the warning: staprun fails a run on the ERROR lines it
    /// sees, and there is none (CONTRACT §5: the session survives, the failed write says EIO).
    /// </summary>
    public int ExitCode => _state == State.Error || _errorCount > _suppressedCount || _skippedCount > 0 || _outputFailed ? 1 : 0;

    /// <summary>Run-time errors so far (including suppressed and caught-by-limit ones).</summary>
    public int ErrorCount => _errorCount;

    /// <summary>Timer hits dropped because another handler held the globals for too long (stap's skipped probes).</summary>
    public int SkippedCount => _skippedCount;

    /// <summary>
    /// How long a timer hit waits for the session lock before it is skipped. stap's probe prologue gives
    /// up after about 1 ms (MAXTRYLOCK x TRYLOCKDELAY), but its lock holders cannot be preempted; here the
    /// holder is an ordinary thread the scheduler may park, so only a much longer wait means starvation.
    /// </summary>
    private static readonly TimeSpan TimerLockWait = TimeSpan.FromMilliseconds(100);

    public IReadOnlyList<ProcfsFile> Files => _compilation.Files;

    // ------------------------------------------------------------------ life cycle

    /// <summary>Runs the begin probes in sequence order while the session is still starting.</summary>
    public void RunBegin()
    {
        try
        {
            lock (_lock)
            {
                foreach (var probe in Ordered(ProbeKind.Begin))
                {
                    if (_state != State.Starting)
                        break;
                    RunHandler(probe, null, false);
                }
                if (_state == State.Starting)
                    _state = State.Running;
            }
        }
        catch (Exception e)
        {
            ReportInternal(e);
        }
        RaiseStoppingNow();
    }

    /// <summary>
    /// Runs the read probe of a file once and writes its content to <paramref name="content"/>.
    /// Overflow keeps the truncated content and raises stap's buffer error. 0 or EIO.
    /// </summary>
    public int RunRead(int fileIndex, in Caller caller, IBufferWriter<byte> content)
    {
        try
        {
            lock (_lock)
            {
                if ((uint)fileIndex >= (uint)_paths.Length || _state != State.Running || _disposed)
                    return EIO;
                var probe = _paths[fileIndex].ReadProbe;
                var buffer = _readBuffers[fileIndex];
                if (probe is null || buffer is null)
                    return 0;
                buffer.Clear();
                RunHandler(probe, buffer, false, caller);
                // Copied out under the lock: the file's buffer belongs to the next reader once it is released.
                content.Write(buffer.Content);
            }
            RaiseStoppingNow();
            return 0;
        }
        catch (Exception e)
        {
            ReportInternal(e);
            return EIO;
        }
    }

    /// <summary>Runs every write probe of the file, in declaration order, with $value = data. 0 or EIO.</summary>
    public unsafe int RunWrite(int fileIndex, in Caller caller, ReadOnlySpan<byte> data)
    {
        int result = 0;
        try
        {
            lock (_lock)
            {
                if ((uint)fileIndex >= (uint)_paths.Length || _state != State.Running || _disposed)
                    return EIO;
                var probes = _paths[fileIndex].WriteProbes;
                if (probes.Count == 0)
                    return EIO;
                // The interpreter makes $value of the data (cut at the first NUL and at MAXSTRINGLEN-1,
                // copied into _writeStorage) when a handler reads it; until then the data stays in place.
                bool lastFailed = false;
                fixed (byte* raw = data)
                {
                    _interpreter.BeginWrite(raw, data.Length, _writeStorage);
                    try
                    {
                        foreach (var probe in probes)
                        {
                            if (_state != State.Running)
                            {
                                lastFailed = true;
                                break;
                            }
                            lastFailed = !RunHandler(probe, null, true, caller);
                        }
                    }
                    finally
                    {
                        _interpreter.EndWrite();
                    }
                }
                if (lastFailed)
                    result = EIO;
            }
            RaiseStoppingNow();
            return result;
        }
        catch (Exception e)
        {
            ReportInternal(e);
            return EIO;
        }
    }

    /// <summary>Starts the timer probes on their own thread.</summary>
    public void StartTimers()
    {
        try
        {
            lock (_lock)
            {
                if (_timers is not null)
                    return;
                var timers = _program.Probes.Where(p => p.Kind == ProbeKind.Timer).ToList();
                if (timers.Count == 0)
                    return;
                _timers = new TimerScheduler(timers, FireTimer);
                _timers.Start();
            }
        }
        catch (Exception e)
        {
            ReportInternal(e);
        }
        RaiseStoppingNow();
    }

    public void StopTimers()
    {
        TimerScheduler? timers;
        lock (_lock)
        {
            timers = _timers;
            _timers = null;
        }
        timers?.Stop();
    }

    private void FireTimer(BoundProbe probe)
    {
        try
        {
            bool taken = false;
            try
            {
                Monitor.TryEnter(_lock, TimerLockWait, ref taken);
                if (!taken)
                {
                    // a hit that would not have run anyway (stopping, disposed) is not a skip
                    if (_state == State.Running && !_disposed)
                        Interlocked.Increment(ref _skippedCount);
                    return;
                }
                if (_state != State.Running || _disposed)
                    return;
                if (_skippedCount > _options.MaxSkipped)
                {
                    // stap checks the skip count as the next handler starts
                    ReportFatal("Skipped too many probes, check MAXSKIPPED or try again with stap -t for more details.");
                    return;
                }
                RunHandler(probe, null, false);
            }
            finally
            {
                if (taken)
                    Monitor.Exit(_lock);
            }
            RaiseStoppingNow();
        }
        catch (Exception e)
        {
            ReportInternal(e);
        }
    }

    /// <summary>
    /// End probes (or error probes after a fatal error), the display of written-but-never-read globals,
    /// and stap's closing lines: the error-count warning and, after a fatal error, "Pass 5: run failed".
    /// </summary>
    public void RunEnd()
    {
        try
        {
            StopTimers();
        }
        catch (Exception e)
        {
            ReportInternal(e);
        }
        lock (_lock)
        {
            if (_endDone)
                return;
            _endDone = true;
            try
            {
                RunEndProbes();
            }
            catch (Exception e)
            {
                ReportInternal(e);
            }
            try
            {
                WriteClosingLines();
            }
            catch (Exception e)
            {
                ReportInternal(e);
            }
        }
        RaiseStopping();
        RaiseStoppingNow();
    }

    private void RunEndProbes()
    {
        if (_state == State.Error)
        {
            foreach (var probe in Ordered(ProbeKind.Error))
                RunHandler(probe, null, false, runInAnyState: true);
        }
        else
        {
            _state = State.Stopping;
            foreach (var probe in Ordered(ProbeKind.End))
            {
                if (_state == State.Error)
                    break;
                RunHandler(probe, null, false, runInAnyState: true);
            }
            if (_state != State.Error)
            {
                _interpreter.DisplayGlobals();
                FlushOutput();
            }
            else
            {
                foreach (var probe in Ordered(ProbeKind.Error))
                    RunHandler(probe, null, false, runInAnyState: true);
            }
        }
    }

    private void WriteClosingLines()
    {
        if (_errorCount > 0 || _skippedCount > 0)
            _errors.Write($"WARNING: Number of errors: {_errorCount}, skipped probes: {_skippedCount}\n");
        // A failed output has said so in its own message; the script itself did not fail.
        if (ExitCode != 0 && !(_outputFailed && _errorCount == _suppressedCount && _skippedCount == 0 && _state != State.Error))
            _errors.Write("Pass 5: run failed.  [man error::pass5]\n");
        _errors.Flush();
    }

    public void Dispose()
    {
        StopTimers();
        lock (_lock)
            _disposed = true;
    }

    private List<BoundProbe> Ordered(ProbeKind kind)
    {
        // a plain sort, total because the binder numbers every probe's Order: LINQ's OrderBy/ThenBy are
        // generic virtual methods that Native AOT instantiates at run time, on the start-up path
        var probes = _program.Probes.FindAll(p => p.Kind == kind);
        probes.Sort((x, y) => x.Sequence != y.Sequence ? x.Sequence.CompareTo(y.Sequence) : x.Order.CompareTo(y.Order));
        return probes;
    }

    // ------------------------------------------------------------------ handlers

    /// <summary>
    /// Runs one handler under the lock; returns false if it ended in a run-time error, even one that
    /// --suppress-handler-errors hides: a failed write handler still fails the write (CONTRACT §5).
    /// </summary>
    private bool RunHandler(BoundProbe probe, ProcfsReadBuffer? readBuffer, bool isWrite,
                            in Caller caller = default, bool runInAnyState = false)
    {
        var who = caller.Pid == 0 ? new Caller(_host.ProcessId, _host.Uid, _host.Gid) : caller;
        string? error = _interpreter.RunProbe(probe, who, readBuffer, isWrite, out bool failed);
        FlushOutput();
        if (!failed)
            return true;
        HandleError(error);
        return false;
    }

    /// <summary>An error outside any handler that stops the session (stap's _stp_error from the runtime).</summary>
    private void ReportFatal(string message)
    {
        _errors.Write("ERROR: ");
        _errors.Write(message);
        _errors.Write('\n');
        _errors.Flush();
        if (_state != State.Error)
        {
            _state = State.Error;
            RaiseStopping();
        }
    }

    private void FlushOutput()
    {
        if (!_interpreter.HasOutput)
            return;
        try
        {
            _interpreter.TakeOutput(_output);
            _output.Flush();
        }
        catch (IOException e)
        {
            // Output that can no longer be delivered (a broken pipe, a full disk) ends the session:
            // one message, then the normal shutdown, rather than serving on while output is lost.
            _interpreter.Output.Clear();
            if (!_outputFailed)
            {
                _outputFailed = true;
                try
                {
                    _errors.Write($"ERROR: cannot write the script's output: {e.Message}\n");
                    _errors.Flush();
                }
                catch (IOException)
                {
                }
                RaiseStopping();
            }
        }
    }

    private bool _outputFailed;

    private void HandleError(string? message)
    {
        _errorCount++;
        if (_options.SuppressHandlerErrors)
        {
            _suppressedCount++;
            return;
        }
        if (message is not null)
        {
            _errors.Write("ERROR: ");
            _errors.Write(message);
            _errors.Write('\n');
            _errors.Flush();
        }
        if (_errorCount > _options.MaxErrors && _state != State.Error)
        {
            _state = State.Error;
            RaiseStopping();
        }
    }

    /// <summary>
    /// An exception nobody expected: the session's state is in doubt, so it says so in one line and
    /// ends failed (error probes, exit 1) instead of letting the exception take the process down.
    /// </summary>
    private void ReportInternal(Exception e)
    {
        try
        {
            string message = e.Message.ReplaceLineEndings(" ");
            _errors.Write($"ERROR: internal error: {e.GetType().Name}: {message}\n");
            _errors.Flush();
        }
        catch (Exception)
        {
            // the report itself failed (stderr gone, no memory): the failed state below still ends the run
        }
        lock (_lock)
        {
            if (_state != State.Error)
            {
                _state = State.Error;
                RaiseStopping();
            }
        }
        // under the lock (end probes) the caller raises the event once it lets go
        if (!Monitor.IsEntered(_lock))
            RaiseStoppingNow();
    }

    /// <summary>Marks the stop; the event itself is raised once the session lock is released.</summary>
    private void RaiseStopping() => _stopPending = true;

    private void RaiseStoppingNow()
    {
        if (!_stopPending)
            return;
        if (Interlocked.Exchange(ref _stopRaised, 1) == 0)
        {
            try
            {
                Stopping?.Invoke();
            }
            catch (Exception e)
            {
                ReportInternal(e);
            }
        }
    }

    // ------------------------------------------------------------------ IRuntimeHost

    void IRuntimeHost.RequestExit()
    {
        if (_state is State.Starting or State.Running)
        {
            _state = State.Stopping;
            RaiseStopping();
        }
    }

    int IRuntimeHost.ProcessId => _host.ProcessId;

    string IRuntimeHost.ExecName(int pid) => _host.ExecName(pid);

    int IRuntimeHost.ParentPid(int pid) => _host.ParentPid(pid);

    void IRuntimeHost.Warn(ReadOnlySpan<byte> message)
    {
        _errors.Write("WARNING: ");
        _errors.Write(System.Text.Encoding.Latin1.GetString(message));
        _errors.Write('\n');
        _errors.Flush();
    }
}
