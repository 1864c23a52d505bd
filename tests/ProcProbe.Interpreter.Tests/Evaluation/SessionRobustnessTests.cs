using System.Buffers;
using System.Text;

namespace ProcProbe.Interpreter.Tests.Evaluation;

/// <summary>
/// An exception the session does not expect (here: from the host, when execname() asks it) must not
/// escape any public entry of <see cref="ScriptSession"/>: in the binary it would abort the process
/// with "Unhandled exception" (exit 134) from a begin probe, a FUSE callback or the timer thread. It
/// becomes one "internal error" line, the session stops and ends failed (exit 1).
/// </summary>
public class SessionRobustnessTests
{
    private sealed class FailingHost : IScriptHost
    {
        public int ProcessId => 4242;
        public uint Uid => 1000;
        public uint Gid => 1000;
        public string ExecName(int pid) => throw new InvalidOperationException("host failure\nsecond line");
        public int ParentPid(int pid) => 1;
    }

    private sealed class Run : IDisposable
    {
        public readonly StringWriter Err = new();
        public readonly MemoryStream Out = new();
        public readonly ScriptSession Session;
        public readonly ManualResetEventSlim Stopped = new();

        public Run(string script)
        {
            var compilation = ScriptCompilation.Compile("<input>", Encoding.UTF8.GetBytes(script), new ScriptOptions(), 5);
            var diagnostics = new StringWriter();
            compilation.WriteDiagnostics(diagnostics);
            Assert.True(compilation.Succeeded, diagnostics.ToString());
            Session = new ScriptSession(compilation, Out, Err, new FailingHost());
            Session.Stopping += Stopped.Set;
        }

        public string[] ErrorLines => Err.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        public void Dispose()
        {
            Session.Dispose();
            Stopped.Dispose();
        }
    }

    private static void AssertEndedFailed(Run run)
    {
        run.Session.RunEnd();
        Assert.Equal(1, run.Session.ExitCode);
        var lines = run.ErrorLines;
        Assert.Single(lines, l => l.StartsWith("ERROR: internal error: InvalidOperationException: host failure second line", StringComparison.Ordinal));
        Assert.Equal("Pass 5: run failed.  [man error::pass5]", lines[^1]);
    }

    [Fact]
    public void BeginProbe_ExceptionStopsTheSession()
    {
        using var run = new Run("probe begin { print(execname()) } probe end { print(\"end\") }");
        run.Session.RunBegin();
        Assert.True(run.Session.StopRequested);
        Assert.True(run.Stopped.IsSet);
        AssertEndedFailed(run);
        // a failed session runs error probes, not end probes
        Assert.Equal(0, run.Out.Length);
    }

    [Fact]
    public void ReadHandler_ExceptionIsEioAndStopsTheSession()
    {
        using var run = new Run("probe procfs(\"f\").read { $value = execname() }");
        run.Session.RunBegin();
        Assert.Equal(5, run.Session.RunRead(0, new Caller(100, 1000, 1000), new ArrayBufferWriter<byte>()));
        Assert.True(run.Stopped.IsSet);
        // the session no longer serves
        Assert.Equal(5, run.Session.RunRead(0, new Caller(100, 1000, 1000), new ArrayBufferWriter<byte>()));
        AssertEndedFailed(run);
    }

    [Fact]
    public void WriteHandler_ExceptionIsEioAndStopsTheSession()
    {
        using var run = new Run("probe procfs(\"f\").write { print(execname()) }");
        run.Session.RunBegin();
        Assert.Equal(5, run.Session.RunWrite(0, new Caller(100, 1000, 1000), "x"u8));
        Assert.True(run.Stopped.IsSet);
        AssertEndedFailed(run);
    }

    [Fact]
    public void TimerHandler_ExceptionStopsTheSession()
    {
        using var run = new Run("probe timer.ms(1) { print(execname()) }");
        run.Session.RunBegin();
        run.Session.StartTimers();
        Assert.True(run.Stopped.Wait(TimeSpan.FromMinutes(2)), "the failing timer never stopped the session");
        AssertEndedFailed(run);
    }

    [Fact]
    public void EndProbe_ExceptionStillWritesTheClosingLines()
    {
        using var run = new Run("probe begin { print(\"begin\\n\") } probe end { print(execname()) }");
        run.Session.RunBegin();
        Assert.False(run.Session.StopRequested);
        AssertEndedFailed(run);
        Assert.Equal("begin\n", Encoding.UTF8.GetString(run.Out.ToArray()));
    }

    [Fact]
    public void ErrorProbe_ExceptionAfterARunTimeError_DoesNotEscape()
    {
        using var run = new Run("probe begin { error(\"boom\") } probe error { print(execname()) }");
        run.Session.RunBegin();
        run.Session.RunEnd();
        Assert.Equal(1, run.Session.ExitCode);
        var lines = run.ErrorLines;
        Assert.StartsWith("ERROR: boom", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("ERROR: internal error: ", lines[1], StringComparison.Ordinal);
        Assert.Equal("Pass 5: run failed.  [man error::pass5]", lines[^1]);
    }
}
