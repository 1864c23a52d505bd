using System.Collections.Concurrent;

namespace ProcProbe.Cli.Tests.Differential;

/// <summary>The verdict for one script: does procprobe agree with stap at -p1 and at -p2, and (live
/// mode only) does the golden file still agree with the oracle. The -p2 listing (stdout) is judged on
/// its own: <see cref="ListingAgrees"/> is null for kernel-only scripts, whose -p2 procprobe refuses.</summary>
public sealed record Verdict(string Script, bool P1Agrees, bool P2Agrees, IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;

    public bool? ListingAgrees { get; init; }

    /// <summary>How the -p2 stdout differs from stap's, when it does.</summary>
    public string ListingProblem { get; init; } = "";
}

/// <summary>Shared by every case of <see cref="DifferentialTests"/>. Runs procprobe (and, with
/// PROCPROBE_LIVE_ORACLE=1, the oracle) a few scripts ahead of the case xunit is running, as many at
/// a time as there are CPUs: run one by one, the live oracle alone would take minutes.</summary>
public sealed class DifferentialFixture : IDisposable
{
    public const string GoldenOutOfDate = "golden file out of date";
    public static readonly TimeSpan ProcProbeTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan OracleTimeout = TimeSpan.FromSeconds(120);

    public bool Live { get; } = Environment.GetEnvironmentVariable("PROCPROBE_LIVE_ORACLE") == "1";

    private readonly SemaphoreSlim _slots = new(Math.Max(1, Environment.ProcessorCount));
    private readonly ConcurrentDictionary<string, Lazy<Task<Verdict>>> _verdicts = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    private readonly Dictionary<string, int> _index = DifferentialCorpus.Scripts
        .Select((rel, i) => (rel, i)).ToDictionary(x => x.rel, x => x.i, StringComparer.Ordinal);

    /// <summary>The verdict for one script. Asking for script i also starts scripts i+1 .. i+2*CPUs (in
    /// corpus order; xunit picks its own order, and results are cached either way), so the slots stay
    /// busy while the caller waits; a filtered run of a few cases starts only a few extra.</summary>
    public Task<Verdict> VerdictAsync(string rel)
    {
        var task = Start(rel);
        if (_index.TryGetValue(rel, out var i))
        {
            var window = 2 * Math.Max(1, Environment.ProcessorCount);
            for (var j = i + 1; j < DifferentialCorpus.Scripts.Count && j <= i + window; j++)
                Start(DifferentialCorpus.Scripts[j]);
        }
        return task;
    }

    private Task<Verdict> Start(string rel) =>
        _verdicts.GetOrAdd(rel, r => new Lazy<Task<Verdict>>(() => Task.Run(() => ComputeAsync(r)))).Value;

    private async Task<T> Throttled<T>(Func<Task<T>> work)
    {
        await _slots.WaitAsync(_stop.Token);
        try { return await work(); }
        finally { _slots.Release(); }
    }

    private async Task<Verdict> ComputeAsync(string rel)
    {
        var problems = new List<string>();
        var golden = DifferentialCorpus.ReadGolden(rel);

        if (Live)
        {
            var oracle = DifferentialCorpus.OraclePath();
            var live = DifferentialCorpus.ScrubAll(
                await Throttled(() => DifferentialCorpus.RunAsync(oracle, rel, OracleTimeout)));
            // The golden file must still be what stap says; otherwise the corpus has rotted.
            foreach (var d in Differences(live, golden, compareP2Stdout: true))
                problems.Add($"{GoldenOutOfDate} ({d}): rerun tests/corpus/record-oracle.sh {rel}");
        }

        var pp = ProcProbeBinary.Path;
        var mine = await Throttled(() => DifferentialCorpus.RunAsync(pp, rel, ProcProbeTimeout));

        var p1 = new List<string>();
        if (mine.P1Exit != golden.P1Exit) p1.Add($"-p1 exit status: stap {golden.P1Exit}, procprobe {mine.P1Exit}");
        if (mine.P1StderrFirst != golden.P1StderrFirst)
            p1.Add($"-p1 first stderr line:\n  stap:      {golden.P1StderrFirst}\n  procprobe: {mine.P1StderrFirst}");
        if (mine.P1Stdout != golden.P1Stdout)
            p1.Add($"-p1 stdout differs:\n--- stap\n{golden.P1Stdout}--- procprobe\n{mine.P1Stdout}---");

        var p2 = new List<string>();
        if (DifferentialCorpus.IsKernelOnly(rel))
        {
            // Deliberate difference: stap elaborates kernel probes; procprobe refuses them in one line.
            if (mine.P2Exit != 1) p2.Add($"-p2 exit status: expected 1 (kernel-only script), procprobe {mine.P2Exit}");
            // The refusal is the first error. Only a warning stap itself prints first (from pass 1, e.g.
            // about the embedded code) may come before it, exactly as stap words it.
            if (!mine.P2FirstError.StartsWith("semantic error: ", StringComparison.Ordinal)
                || !mine.P2FirstError.Contains(DifferentialCorpus.UserSpacePhrase, StringComparison.Ordinal))
                p2.Add($"-p2 first error must be a one-line 'semantic error: ' containing '{DifferentialCorpus.UserSpacePhrase}', procprobe: {mine.P2FirstError}");
            else if (mine.P2StderrFirst != mine.P2FirstError
                     && !(mine.P2StderrFirst.StartsWith("WARNING: ", StringComparison.Ordinal) && mine.P2StderrFirst == golden.P2StderrFirst))
                p2.Add($"-p2 first stderr line must be the refusal or stap's own first warning:\n  stap:      {golden.P2StderrFirst}\n  procprobe: {mine.P2StderrFirst}");
        }
        else
        {
            if (mine.P2Exit != golden.P2Exit) p2.Add($"-p2 exit status: stap {golden.P2Exit}, procprobe {mine.P2Exit}");
            if (mine.P2StderrFirst != golden.P2StderrFirst)
                p2.Add($"-p2 first stderr line:\n  stap:      {golden.P2StderrFirst}\n  procprobe: {mine.P2StderrFirst}");
        }

        problems.AddRange(p1);
        problems.AddRange(p2);
        bool? listing = DifferentialCorpus.IsKernelOnly(rel) ? null : mine.P2Stdout == golden.P2Stdout;
        return new Verdict(rel, p1.Count == 0, p2.Count == 0, problems)
        {
            ListingAgrees = listing,
            ListingProblem = listing == false
                ? $"-p2 stdout (the listing) differs:\n--- stap\n{golden.P2Stdout}--- procprobe\n{mine.P2Stdout}---"
                : "",
        };
    }

    private static IEnumerable<string> Differences(PassResults a, PassResults b, bool compareP2Stdout)
    {
        if (a.P1Exit != b.P1Exit) yield return $"p1.exit {a.P1Exit} vs {b.P1Exit}";
        if (a.P1StderrFirst != b.P1StderrFirst) yield return $"p1.stderr '{a.P1StderrFirst}' vs '{b.P1StderrFirst}'";
        if (a.P1Stdout != b.P1Stdout) yield return "p1.stdout";
        if (a.P2Exit != b.P2Exit) yield return $"p2.exit {a.P2Exit} vs {b.P2Exit}";
        if (a.P2StderrFirst != b.P2StderrFirst) yield return $"p2.stderr '{a.P2StderrFirst}' vs '{b.P2StderrFirst}'";
        if (compareP2Stdout && a.P2Stdout != b.P2Stdout) yield return "p2.stdout";
    }

    /// <summary>"differential: N scripts, agree p1 X/N, p2 Y/N, p2 listing Z/M" over the verdicts of every
    /// script (M: the scripts that are not kernel-only).</summary>
    public async Task<string> SummaryAsync()
    {
        var verdicts = new List<Verdict>();
        foreach (var rel in DifferentialCorpus.Scripts)
        {
            try { verdicts.Add(await VerdictAsync(rel)); }
            catch (Exception e)
            {
                verdicts.Add(new Verdict(rel, false, false, [e.Message]) { ListingAgrees = DifferentialCorpus.IsKernelOnly(rel) ? null : false });
            }
        }
        static string Listing(IEnumerable<Verdict> vs)
        {
            var judged = vs.Where(v => v.ListingAgrees is not null).ToList();
            return judged.Count == 0 ? "" : $", p2 listing {judged.Count(v => v.ListingAgrees == true)}/{judged.Count}";
        }
        var n = verdicts.Count;
        var line = $"differential: {n} scripts, agree p1 {verdicts.Count(v => v.P1Agrees)}/{n}, p2 {verdicts.Count(v => v.P2Agrees)}/{n}{Listing(verdicts)}";
        var perFolder = verdicts
            .GroupBy(v => v.Script.Split('/')[0])
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"  {g.Key}: {g.Count()} scripts, agree p1 {g.Count(v => v.P1Agrees)}/{g.Count()}, p2 {g.Count(v => v.P2Agrees)}/{g.Count()}{Listing(g)}");
        return string.Join('\n', [line, .. perFolder]) + "\n";
    }

    public void Dispose()
    {
        // Only cancel: background cases may still be reading the token; let them end on their own.
        _stop.Cancel();
    }
}
