using System.Buffers;
using BenchmarkDotNet.Attributes;
using ProcProbe.Interpreter;

namespace ProcProbe.Benchmarks.Interpreter;

/// <summary>
/// One procfs read: the session lock, the handler, and the snapshot copy, exactly what a FUSE read
/// callback runs. Warm handlers must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class ReadHandlerBenchmarks
{
    private ScriptSession _literal = null!;
    private ScriptSession _sprintf = null!;
    private ScriptSession _concatLoop = null!;
    private readonly Caller _caller = new(100, 1000, 1000);

    [GlobalSetup]
    public void Setup()
    {
        _literal = BenchHost.Start("probe procfs(\"f\").read { $value = \"abc\\n\" }");
        _sprintf = BenchHost.Start(
            "global n = 42, name = \"procprobe\" probe procfs(\"f\").read { $value = sprintf(\"%s %d %#x\\n\", name, n, n * 1000) }");
        _concatLoop = BenchHost.Start("probe procfs(\"f\").read { for (i = 0; i < 20; i++) $value .= \"step \" }");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _literal.Dispose();
        _sprintf.Dispose();
        _concatLoop.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int AssignLiteral() => Read(_literal);

    [Benchmark]
    public int AssignSprintf3Args() => Read(_sprintf);

    [Benchmark]
    public int ConcatLoop20Steps() => Read(_concatLoop);

    private readonly ArrayBufferWriter<byte> _content = new(4096);

    private int Read(ScriptSession session)
    {
        _content.ResetWrittenCount();
        session.RunRead(0, _caller, _content);
        return _content.WrittenCount;
    }
}
