using BenchmarkDotNet.Attributes;
using ProcProbe.Interpreter;

namespace ProcProbe.Benchmarks.Interpreter;

/// <summary>
/// One 4 KiB procfs write, as in the end-to-end stream rows (<c>-D MAXSTRINGLEN=4097 -D
/// STP_PROCFS_BUFSIZE=4097</c>, so the write is one whole handler run): a handler that never reads
/// <c>$value</c> (the benchmark's <c>n++</c>) and one that stores it. Warm handlers must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class StreamWriteBenchmarks
{
    private static readonly byte[] Data = MakeData();
    private ScriptSession _count = null!;
    private ScriptSession _save = null!;
    private readonly Caller _caller = new(100, 1000, 1000);

    private static byte[] MakeData()
    {
        var data = new byte[4096];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)('a' + i % 26);
        }
        return data;
    }

    [GlobalSetup]
    public void Setup()
    {
        var options = new ScriptOptions { MaxStringLen = 4097, ProcfsBufSize = 4097 };
        _count = BenchHost.Start("global n probe procfs(\"w\").write { n++ } probe end { print(n) }", options);
        _save = BenchHost.Start("global saved probe procfs(\"w\").write { saved = $value } probe end { print(saved) }", options);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _count.Dispose();
        _save.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int CountWrites() => _count.RunWrite(0, _caller, Data);

    [Benchmark]
    public int SaveValue() => _save.RunWrite(0, _caller, Data);
}
