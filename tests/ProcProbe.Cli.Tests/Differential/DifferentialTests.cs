using Xunit.Abstractions;

namespace ProcProbe.Cli.Tests.Differential;

/// <summary>procprobe against SystemTap's translator on the corpus in tests/corpus/differential:
/// same exit status, same -p1 stdout, same first diagnostic line at -p1 and -p2, same -p2 stdout (the
/// listing; kernel-only/ scripts: a one-line user-space error at -p2 instead). Golden results come from tests/corpus/record-oracle.sh;
/// with PROCPROBE_LIVE_ORACLE=1 the oracle is also run and must still agree with them.</summary>
public sealed class DifferentialTests(DifferentialFixture fixture, ITestOutputHelper output)
    : IClassFixture<DifferentialFixture>
{
    public static TheoryData<string> Scripts => new(DifferentialCorpus.Scripts);

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task MatchesStap(string script)
    {
        var verdict = await fixture.VerdictAsync(script);
        foreach (var problem in verdict.Problems) output.WriteLine(problem);
        if (verdict.ListingProblem.Length > 0) output.WriteLine(verdict.ListingProblem);
        var rotted = verdict.Problems.Where(p => p.StartsWith(DifferentialFixture.GoldenOutOfDate, StringComparison.Ordinal)).ToList();
        Assert.True(rotted.Count == 0, string.Join("\n", rotted));
        // the listing has a ratchet of its own (tests/corpus/known-p2-listing-differences.txt)
        if (DifferentialCorpus.KnownListingDifferences.Contains(script))
            Assert.False(verdict.ListingAgrees == true,
                $"{script}: the -p2 listing now matches stap's: remove it from tests/corpus/known-p2-listing-differences.txt");
        else if (verdict.ListingAgrees == false)
            Assert.Fail($"{script}: {verdict.ListingProblem}");
        if (DifferentialCorpus.KnownDisagreements.Contains(script))
        {
            // A ratchet, not a waiver: a listed script must still disagree, so every fix shrinks the list.
            Assert.False(verdict.P1Agrees && verdict.P2Agrees,
                $"{script} now agrees with stap: remove it from tests/corpus/known-disagreements.txt");
            return;
        }
        Assert.True(verdict.Passed,
            $"{script}: procprobe differs from stap (p1 {(verdict.P1Agrees ? "agrees" : "differs")}, p2 {(verdict.P2Agrees ? "agrees" : "differs")}):\n"
            + string.Join("\n", verdict.Problems));
    }

    [Fact]
    public void KnownDisagreements_NameCorpusScripts()
    {
        foreach (var script in DifferentialCorpus.KnownDisagreements)
            Assert.Contains(script, DifferentialCorpus.Scripts);
        // kernel-only scripts have no listing to compare
        foreach (var script in DifferentialCorpus.KnownListingDifferences)
        {
            Assert.Contains(script, DifferentialCorpus.Scripts);
            Assert.False(DifferentialCorpus.IsKernelOnly(script), script);
        }
    }

    /// <summary>Prints and writes the agreement rate (TestResults/differential-summary.txt under the
    /// repository root), and checks the corpus is whole: enough scripts, every folder populated, every
    /// script with a readable golden file and no golden file without its script.</summary>
    [Fact]
    public async Task CorpusIsCompleteAndSummaryIsWritten()
    {
        var summary = await fixture.SummaryAsync();
        output.WriteLine(summary);
        var dir = Path.Combine(ProcProbeBinary.RepoRoot, "TestResults");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "differential-summary.txt"), summary);

        var scripts = DifferentialCorpus.Scripts;
        Assert.True(scripts.Count >= 250, $"corpus has {scripts.Count} scripts, want at least 250");
        foreach (var folder in DifferentialCorpus.Folders)
            Assert.Contains(scripts, s => s.StartsWith(folder + "/", StringComparison.Ordinal));
        Assert.All(scripts, s => Assert.Contains(s.Split('/')[0], DifferentialCorpus.Folders));
        Assert.All(scripts, s => DifferentialCorpus.ReadGolden(s));
        var orphans = Directory.EnumerateFiles(DifferentialCorpus.Root, "*.oracle.txt", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(DifferentialCorpus.Root, f).Replace('\\', '/'))
            .Where(g => !scripts.Contains(g[..^".oracle.txt".Length] + ".stp"));
        Assert.Empty(orphans);
        // kernel-only scripts exist to check -p1 against stap, so stap must parse every one of them.
        Assert.All(scripts.Where(DifferentialCorpus.IsKernelOnly), s => Assert.Equal(0, DifferentialCorpus.ReadGolden(s).P1Exit));
    }

    /// <summary>Every pass-1 message of language.md §2.10 (listed in tests/corpus/pass1-messages.txt)
    /// is the first diagnostic of at least one corpus script, so the corpus really exercises it.</summary>
    [Fact]
    public void EveryPass1MessageIsCovered()
    {
        var messages = File.ReadAllLines(Path.Combine(DifferentialCorpus.CorpusRoot, "pass1-messages.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToArray();
        Assert.NotEmpty(messages);
        var firstLines = DifferentialCorpus.Scripts
            .Select(DifferentialCorpus.ReadGolden)
            .SelectMany(g => new[] { g.P1StderrFirst, g.P2StderrFirst })
            .ToHashSet(StringComparer.Ordinal);
        var missing = messages.Where(m => !firstLines.Contains("parse error: " + m)).ToArray();
        Assert.True(missing.Length == 0, "no golden file starts with these parse errors:\n" + string.Join("\n", missing));
    }
}
