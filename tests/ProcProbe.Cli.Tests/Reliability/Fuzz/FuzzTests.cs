using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace ProcProbe.Cli.Tests.Reliability.Fuzz;

/// <summary>
/// Hostile scripts in-process: the grammar-aware generator and the mutator feed lexer, parser,
/// checker and interpreter through the public facade (ScriptCompilation, ScriptSession). CI runs
/// 20,000 inputs; PROCPROBE_FUZZ_ITERATIONS=1000000 (and PROCPROBE_FUZZ_SEED) runs the full campaign
/// (see docs/RELIABILITY.md). Findings are saved under $TMPDIR/procprobe-fuzz/.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const long DefaultIterations = 20_000;

    internal static string CorpusDirectory => Path.Combine(ProcProbeBinary.RepoRoot, "tests", "corpus", "fuzz");

    /// <summary>The seed corpus: tests/corpus/fuzz/*.stp, then the differential corpus's scripts (minus any that run commands).</summary>
    internal static List<byte[]> LoadSeeds()
    {
        var seeds = Directory.EnumerateFiles(CorpusDirectory, "*.stp", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        string differential = Path.Combine(ProcProbeBinary.RepoRoot, "tests", "corpus", "differential");
        if (Directory.Exists(differential))
        {
            seeds.AddRange(Directory.EnumerateFiles(differential, "*.stp", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(File.ReadAllBytes)
                .Where(b => !Encoding.Latin1.GetString(b).Contains("system", StringComparison.Ordinal)));
        }
        return seeds;
    }

    [Fact]
    public void GeneratedAndMutatedScripts_NeverCrashHangOrThrow()
    {
        long iterations = long.TryParse(Environment.GetEnvironmentVariable("PROCPROBE_FUZZ_ITERATIONS"), CultureInfo.InvariantCulture, out long n) && n > 0 ? n : DefaultIterations;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("PROCPROBE_FUZZ_SEED"), CultureInfo.InvariantCulture, out int s) ? s : 20261127;
        var seeds = LoadSeeds();
        Assert.True(seeds.Count >= 20, $"seed corpus missing: {CorpusDirectory}");

        var runner = new FuzzRunner(Path.Combine(Path.GetTempPath(), "procprobe-fuzz"));
        var stats = runner.Run(iterations, seed, seeds);
        string summary = $"fuzz seed {seed}: {stats}; distinct findings {runner.Findings.Count}";
        output.WriteLine(summary);
        string? report = Environment.GetEnvironmentVariable("PROCPROBE_FUZZ_REPORT");
        if (!string.IsNullOrEmpty(report))
        {
            File.AppendAllText(report, summary + "\n");
        }
        Assert.True(runner.Failure is null && runner.Findings.Count == 0, runner.Report());
        Assert.Equal(iterations, stats.Inputs);
        // The generator must reach the interpreter, not only the parser's error paths.
        Assert.True(stats.Ran + stats.RanWithErrors > stats.Inputs / 10, $"too few inputs ran: {stats}");
    }
}
