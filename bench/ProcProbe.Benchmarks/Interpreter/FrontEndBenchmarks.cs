using BenchmarkDotNet.Attributes;
using ProcProbe.Interpreter;

namespace ProcProbe.Benchmarks.Interpreter;

/// <summary>
/// Passes 1 and 2 (lex, parse, bind, type-check) of a 2,000-line script: the start-up cost a user pays
/// before the files appear. Target: under 2 ms.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn] // the VM is shared: the minimum is the least disturbed figure
public class FrontEndBenchmarks
{
    private byte[] _source = [];
    private readonly ScriptOptions _options = new();

    [GlobalSetup]
    public void Setup()
    {
        _source = File.ReadAllBytes(InputPath("frontend-2000.stp"));
        var check = ScriptCompilation.Compile("frontend-2000.stp", _source, _options, 2);
        if (!check.Succeeded)
        {
            var errors = new StringWriter();
            check.WriteDiagnostics(errors);
            throw new InvalidOperationException("frontend-2000.stp does not pass -p2:\n" + errors);
        }
    }

    [Benchmark]
    public ScriptCompilation LexParse2000Lines() => ScriptCompilation.Compile("frontend-2000.stp", _source, _options, 1);

    [Benchmark(Baseline = true)]
    public ScriptCompilation LexParseCheck2000Lines() => ScriptCompilation.Compile("frontend-2000.stp", _source, _options, 2);

    /// <summary>bench/inputs, found from the working directory BenchmarkDotNet starts in (somewhere below bench/).</summary>
    internal static string InputPath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "bench", "inputs", name);
            if (File.Exists(candidate))
                return candidate;
            candidate = Path.Combine(dir.FullName, "inputs", name);
            if (File.Exists(candidate))
                return candidate;
        }
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "bench", "inputs", name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"bench/inputs/{name} not found above {AppContext.BaseDirectory}");
    }
}
