namespace ProcProbe.Interpreter.Tests.Evaluation;

/// <summary>
/// Timer probes through <see cref="ScriptSession.StartTimers"/>: each firing is one probe hit, exit()
/// from a timer stops the session and the end probes see the final state. The waits only guard against
/// a hang; nothing asserts on timing.
/// </summary>
public class TimerTests
{
    private static string RunUntilStopped(string script)
    {
        using var run = new ScriptRun(script);
        Assert.True(run.Compilation.Succeeded, run.Diagnostics);
        using var stopped = new ManualResetEventSlim();
        run.Session!.Stopping += stopped.Set;
        run.Session.RunBegin();
        run.Session.StartTimers();
        Assert.True(stopped.Wait(TimeSpan.FromMinutes(2)), "the timer never called exit()");
        run.Session.RunEnd();
        Assert.DoesNotContain("ERROR", run.Err.ToString());
        return run.Stdout;
    }

    [Theory]
    [InlineData("timer.ms(1)", "hrtimer")]
    [InlineData("timer.us(500)", "hrtimer")]
    [InlineData("timer.ns(200000)", "hrtimer")]
    [InlineData("timer.hz(1000)", "hrtimer")]
    [InlineData("timer.ms(2).randomize(1)", "hrtimer")]
    [InlineData("timer.jiffies(1)", "timer")]
    [InlineData("timer.jiffies(2).randomize(1)", "timer")]
    public void TimerFiresUntilExit(string point, string type)
    {
        string output = RunUntilStopped(
            "global n, kind, where " +
            $"probe {point} {{ n++; kind = probe_type(); where = pp(); if (n == 3) exit() }} " +
            "probe end { printf(\"n=%d %s %s\\n\", n, kind, where) }");
        Assert.Equal($"n=3 {type} {point}\n", output);
    }

    [Fact]
    public void TwoTimersInterleaveAndExitStopsBoth()
    {
        string output = RunUntilStopped(
            "global a, b " +
            "probe timer.ms(1) { a++ } " +
            "probe timer.ms(3) { b++; if (b == 2) exit() } " +
            "probe end { println(a >= b ? \"ok\" : \"fast timer starved\", \" b=\", b) }");
        Assert.Equal("ok b=2\n", output);
    }

    [Fact]
    public void TimerErrorStopsTheSession()
    {
        using var run = new ScriptRun(
            "global n probe timer.ms(1) { n++; if (n == 2) error(\"second hit\") } probe end { println(\"end\") } " +
            "probe error { println(\"error probe, n=\", n) }");
        Assert.True(run.Compilation.Succeeded, run.Diagnostics);
        using var stopped = new ManualResetEventSlim();
        run.Session!.Stopping += stopped.Set;
        run.Session.RunBegin();
        run.Session.StartTimers();
        Assert.True(stopped.Wait(TimeSpan.FromMinutes(2)), "the error never stopped the session");
        run.Session.RunEnd();
        Assert.Equal("error probe, n=2\n", run.Stdout);
        Assert.StartsWith("ERROR: second hit near identifier 'error' at <input>:1:", run.Err.ToString());
        Assert.Contains(" in probe timer.ms(1)\n", run.Err.ToString());
        Assert.Equal(1, run.Session.ExitCode);
    }
}
