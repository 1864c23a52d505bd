using System.Text.RegularExpressions;
using ProcProbe.Cli.Listing;

namespace ProcProbe.Cli.Tests.Listing;

/// <summary>
/// -l, -L and the --dump-* switches against what stap 4.8 itself prints (recorded with stap-oracle in
/// the stap-*.txt files next to this one): canonical forms, wildcards, validation, order, exit status.
/// </summary>
public sealed partial class ListingTests
{
    private static readonly string Folder = Path.Combine(ProcProbeBinary.RepoRoot, "tests", "ProcProbe.Cli.Tests", "Listing");

    public sealed record Case(string Option, string Pattern, int Exit, string Stdout, string Stderr)
    {
        public override string ToString() => $"{Option} {Pattern}";
    }

    private static readonly Lazy<Dictionary<string, Case>> s_cases = new(LoadCases);

    private static Dictionary<string, Case> LoadCases()
    {
        var cases = new Dictionary<string, Case>(StringComparer.Ordinal);
        string[] lines = File.ReadAllText(Path.Combine(Folder, "stap-listings.txt")).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("=== ", StringComparison.Ordinal))
            {
                continue;
            }
            string head = lines[i][4..];
            string option = head[..2], pattern = head[3..];
            int exit = int.Parse(lines[++i]["exit ".Length..]);
            var stdout = new List<string>();
            var stderr = new List<string>();
            List<string> into = stdout;
            for (i++; i < lines.Length && !lines[i].StartsWith("=== ", StringComparison.Ordinal); i++)
            {
                if (lines[i] == "--- stderr")
                {
                    into = stderr;
                    continue;
                }
                into.Add(lines[i]);
            }
            if (i == lines.Length && into.Count > 0 && into[^1].Length == 0)
            {
                into.RemoveAt(into.Count - 1); // the file's final newline, not an empty line of output
            }
            i--;
            cases[head] = new Case(option, pattern, exit, Join(stdout), Join(stderr));
        }
        return cases;
    }

    private static string Join(List<string> lines) => lines.Count == 0 ? "" : string.Join('\n', lines) + "\n";

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in s_cases.Value.Keys)
        {
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Listing_IsWhatStapPrints(string name)
    {
        Case c = s_cases.Value[name];
        ProcessResult r = ProcProbeBinary.Run([c.Option, c.Pattern]);
        Assert.Equal(c.Stdout, r.StdoutText);
        Assert.Equal(c.Stderr, r.StderrText);
        Assert.Equal(c.Exit, r.ExitCode);
    }

    [Fact]
    public void RecordedCases_CoverEveryProcfsFormAndWildcards()
    {
        // The twelve forms of procfs-semantics.md C30, listed exactly once each, with umask in decimal.
        Assert.Equal("procfs.umask(256).read\n", s_cases.Value["-l procfs.umask(0400).read"].Stdout);
        Assert.Equal("procfs(\"string\").umask(256).read.maxsize(100)\n", s_cases.Value["-l procfs(\"string\").umask(0400).read.maxsize(100)"].Stdout);
        Assert.True(s_cases.Value.Count >= 200, "the recorded file must hold the whole pattern set");
    }

    [Fact]
    public void DumpProbeTypes_IsStapsListForTheServedFamilies()
    {
        string expected = string.Concat(File.ReadAllLines(Path.Combine(Folder, "stap-probe-types.txt"))
            .Where(l => !l.StartsWith('#')).Select(l => l + "\n"));
        ProcessResult r = ProcProbeBinary.Run(["--dump-probe-types"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(expected, r.StdoutText);
        Assert.Equal("", r.StderrText);
    }

    [Fact]
    public void DumpProbeAliases_PrintsStapsLinesForTheBuiltInAliases()
    {
        var stap = File.ReadAllLines(Path.Combine(Folder, "stap-probe-aliases.txt")).Where(l => !l.StartsWith('#')).ToHashSet();
        ProcessResult r = ProcProbeBinary.Run(["--dump-probe-aliases"]);
        Assert.Equal(0, r.ExitCode);
        string[] lines = r.StdoutText.TrimEnd('\n').Split('\n');
        Assert.Contains("oneshot += begin", lines);
        Assert.Contains("init = begin(-9223372036854775808)", lines);
        Assert.All(lines, l => Assert.Contains(l, stap));
        Assert.Equal(lines.Order(StringComparer.Ordinal), lines);
    }

    [Fact]
    public void DumpWithArguments_WarnsAboutEachUnusedOne_AsStapDoes()
    {
        ProcessResult r = ProcProbeBinary.Run(["--dump-probe-types", "foo", "bar"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("WARNING: unused command line option $1/@1\nWARNING: unused command line option $2/@2\n", r.StderrText);
    }

    [Fact]
    public void PatternArguments_AreScriptArguments()
    {
        ProcessResult r = ProcProbeBinary.Run(["-l", "procfs(@1).read", "foo", "bar"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("procfs(\"foo\").read\n", r.StdoutText);
        Assert.Equal("", r.StderrText);
        r = ProcProbeBinary.Run(["-l", "timer.s($1)", "5"]);
        Assert.Equal("timer.s(5)\n", r.StdoutText);
    }

    [Fact]
    public void Verbose_PrintsStapsPassLines_WithThisProcessesNumbers()
    {
        ProcessResult r = ProcProbeBinary.Run(["-v", "-l", "begin,begin"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("begin\n", r.StdoutText);
        string[] err = r.StderrText.TrimEnd('\n').Split('\n');
        Assert.Equal(2, err.Length);
        Assert.Matches(Pass1Line(), err[0]);
        Assert.Matches(Pass2Line(), err[1]);
        Assert.StartsWith("Pass 2: analyzed script: 2 probes, 0 functions, 0 embeds, 0 globals using ", err[1]);
        long virt = long.Parse(Pass1Line().Match(err[0]).Groups["virt"].Value);
        Assert.True(virt > 1000, $"virtual size {virt} kB is not a real process's");
    }

    [Fact]
    public void NothingMatched_ExitsOne_Silently()
    {
        ProcessResult r = ProcProbeBinary.Run(["-l", "kernel.function(\"x\")"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.StdoutText);
        Assert.Equal("", r.StderrText);
    }

    [Theory]
    [InlineData("*", "begin", true)]
    [InlineData("b*n", "begin", true)]
    [InlineData("b*x", "begin", false)]
    [InlineData("*a*", "read", true)]
    [InlineData("read", "read", true)]
    [InlineData("rea", "read", false)]
    [InlineData("**", "", true)]
    public void Glob_MatchesStarOnly(string pattern, string name, bool expected) =>
        Assert.Equal(expected, ProbeLister.Glob(pattern, name));

    [GeneratedRegex(@"^Pass 1: parsed user script and 0 library scripts using (?<virt>\d+)virt/\d+res/\d+shr/\d+data kb, in \d+usr/\d+sys/\d+real ms\.$")]
    internal static partial Regex Pass1Line();

    [GeneratedRegex(@"^Pass 2: analyzed script: \d+ probes?, \d+ functions?, \d+ embeds?, \d+ globals? using \d+virt/\d+res/\d+shr/\d+data kb, in \d+usr/\d+sys/\d+real ms\.$")]
    internal static partial Regex Pass2Line();
}
