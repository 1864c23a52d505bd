using BenchmarkDotNet.Attributes;
using ProcProbe.Interpreter;

namespace ProcProbe.Benchmarks.Interpreter;

/// <summary>One procfs write of "42\n": what a FUSE write callback runs. Warm handlers must allocate nothing.</summary>
[MemoryDiagnoser]
public class WriteHandlerBenchmarks
{
    private static readonly byte[] Data = "42\n"u8.ToArray();
    private ScriptSession _save = null!;
    private ScriptSession _increment = null!;
    private ScriptSession _countByValue = null!;
    private readonly Caller _caller = new(100, 1000, 1000);

    [GlobalSetup]
    public void Setup()
    {
        _save = BenchHost.Start("global saved probe procfs(\"f\").write { saved = $value } probe end { print(saved) }");
        _increment = BenchHost.Start("global n probe procfs(\"f\").write { n++ } probe end { print(n) }");
        _countByValue = BenchHost.Start(
            "global count probe procfs(\"f\").write { count[$value]++ } probe end { foreach (k in count) print(k) }");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _save.Dispose();
        _increment.Dispose();
        _countByValue.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int SaveValue() => _save.RunWrite(0, _caller, Data);

    [Benchmark]
    public int IncrementGlobal() => _increment.RunWrite(0, _caller, Data);

    [Benchmark]
    public int CountByValue() => _countByValue.RunWrite(0, _caller, Data);
}
