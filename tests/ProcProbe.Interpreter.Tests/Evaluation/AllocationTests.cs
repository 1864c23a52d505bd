using System.Buffers;
namespace ProcProbe.Interpreter.Tests.Evaluation;

/// <summary>The read/write hot path must not allocate once warm (aesthetics.md §3).</summary>
public class AllocationTests
{
    private static long Measure(Action action)
    {
        for (int i = 0; i < 50; i++)
            action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
            action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Theory]
    [InlineData("probe procfs(\"f\").read { $value = \"literal\" }")]
    [InlineData("global n = 7, s = \"str\" probe procfs(\"f\").read { $value = sprintf(\"%d %s\\n\", n, s) }")]
    [InlineData("probe procfs(\"f\").read { for (i = 0; i < 20; i++) $value .= \"step \" }")]
    [InlineData("global t probe procfs(\"f\").read { t = \"x\"; t .= \"y\" . t; $value = t . \"\\n\" }")]
    [InlineData("function f(x) { return x * 2 } function g:string(s:string) { return s . \"!\" } probe procfs(\"f\").read { $value = g(sprint(f(21))) }")]
    public void ReadHandler_AllocatesNothingWhenWarm(string script)
    {
        using var run = new ScriptRun(script);
        Assert.True(run.Compilation.Succeeded, run.Diagnostics);
        run.Session!.RunBegin();
        int index = run.FileIndex("f");
        var caller = new Caller(100, 1000, 1000);
        var content = new ArrayBufferWriter<byte>(4096);
        long bytes = Measure(() =>
        {
            content.ResetWrittenCount();
            run.Session.RunRead(index, caller, content);
        });
        Assert.Equal(0, bytes);
    }

    [Theory]
    [InlineData("global saved probe procfs(\"f\").write { saved = $value } probe end { print(saved) }")]
    [InlineData("global count probe procfs(\"f\").write { count[$value]++ } probe end { foreach (k in count) print(k) }")]
    [InlineData("global total probe procfs(\"f\").write { total += strtol($value, 10) } probe end { print(total) }")]
    [InlineData("global h probe procfs(\"f\").write { h <<< strtol($value, 10) } probe end { print(@hist_log(h)) }")]
    [InlineData("global n probe procfs(\"f\").write { if ($value =~ \"^[0-9]+\\n$\") n++ } probe end { print(n) }")]
    [InlineData("global s probe procfs(\"f\").write { if ($value =~ \"^([0-9])([0-9])\") s = matched(2) . matched_str() } probe end { print(s) }")]
    [InlineData("global a, n probe procfs(\"f\").write { a[1, $value] = 1; n += [1, *] in a; delete a[*, $value] } probe end { print(n) }")]
    public void WriteHandler_AllocatesNothingWhenWarm(string script)
    {
        using var run = new ScriptRun(script);
        Assert.True(run.Compilation.Succeeded, run.Diagnostics);
        run.Session!.RunBegin();
        int index = run.FileIndex("f");
        var caller = new Caller(100, 1000, 1000);
        byte[] data = "42\n"u8.ToArray();
        long bytes = Measure(() => run.Session.RunWrite(index, caller, data));
        Assert.Equal(0, bytes);
    }
}
