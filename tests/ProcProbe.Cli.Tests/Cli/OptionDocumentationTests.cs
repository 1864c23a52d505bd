using System.Text.RegularExpressions;
using ProcProbe.Cli.CommandLine;

namespace ProcProbe.Cli.Tests.Cli;

/// <summary>
/// The option table the parser dispatches on is the one list of options: every accepted option has a
/// meaning in the parser and appears in --help, the man page and the README; every refused one is
/// refused in one line.
/// </summary>
public sealed partial class OptionDocumentationTests
{
    public static TheoryData<string> AcceptedOptions()
    {
        var data = new TheoryData<string>();
        foreach (OptionSpec o in OptionTable.Accepted)
        {
            data.Add(o.Key);
        }
        return data;
    }

    public static TheoryData<string> RefusedOptions()
    {
        var data = new TheoryData<string>();
        foreach (OptionSpec o in OptionTable.Refused)
        {
            data.Add(o.Key);
        }
        return data;
    }

    private static OptionSpec Spec(string key) => OptionTable.All.Single(o => o.Key == key);

    /// <summary>A value each option accepts, so that parsing reaches its meaning.</summary>
    private static string SampleValue(OptionSpec o) => o.Key switch
    {
        "--vp" => "01",
        "-p" => "2",
        "-m" => "name",
        "-x" => "1",
        "-D" => "MAXSTRINGLEN=64",
        "-T" => "3",
        _ => "x",
    };

    [Theory]
    [MemberData(nameof(AcceptedOptions))]
    public void EveryAcceptedOption_HasAMeaningInTheParser(string key)
    {
        OptionSpec o = Spec(key);
        var args = new List<string> { key };
        if (o.Value is not null)
        {
            args.Add(SampleValue(o));
        }
        bool listing = key is "-l" or "-L" or "--dump-probe-types" or "--dump-probe-aliases";
        if (!listing && key != "-e")
        {
            args.AddRange(["-e", "probe begin {}"]);
        }
        CliOptions parsed = CommandLineParser.Parse(args);
        Assert.NotNull(parsed);
        if (o.Long is not null && o.Short != '\0')
        {
            // Both spellings reach the same meaning.
            args[0] = o.Long;
            Assert.Equal(parsed, CommandLineParser.Parse(args), new OptionsComparer());
        }
    }

    [Theory]
    [MemberData(nameof(AcceptedOptions))]
    public void EveryAcceptedOption_IsInTheHelp(string key)
    {
        ProcessResult r = ProcProbeBinary.Run(["--help"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(new Regex("^   " + Regex.Escape(Spec(key).Label) + "( |$)", RegexOptions.Multiline), r.StdoutText);
    }

    [Theory]
    [MemberData(nameof(AcceptedOptions))]
    public void EveryAcceptedOption_IsInTheManPage(string key)
    {
        OptionSpec o = Spec(key);
        string man = File.ReadAllText(Path.Combine(ProcProbeBinary.RepoRoot, "docs", "procprobe.1"));
        // An option entry is ".TP" then ".B" with the option (dashes escaped) and its argument in italics.
        string name = (o.Short != '\0' ? (o.Long is null ? "-" + o.Short : $"-{o.Short} {o.Long}") : o.Long!).Replace("-", "\\-");
        string entry = ".TP\n.B " + name + (o.Value is null ? "" : $" \\fI{o.Value}\\fR") + "\n";
        Assert.Contains(entry, man);
    }

    [Theory]
    [MemberData(nameof(AcceptedOptions))]
    public void EveryAcceptedOption_IsInTheReadme(string key)
    {
        string readme = File.ReadAllText(Path.Combine(ProcProbeBinary.RepoRoot, "README.md"));
        Assert.Contains("| `" + Spec(key).Label + "` |", readme);
    }

    [Theory]
    [MemberData(nameof(RefusedOptions))]
    public void EveryRefusedOption_IsRefusedInOneLine_AndNamedInHelpAndManPage(string key)
    {
        var e = Assert.Throws<UsageException>(() => CommandLineParser.Parse([key, "-e", "probe begin {}"]));
        Assert.Equal(2, e.ExitCode);
        Assert.False(e.PointToHelp);
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith($"option '{key}' ", e.Message);
        Assert.EndsWith("; procprobe runs in user space and has no use for it", e.Message);

        Assert.Matches(new Regex("(^|\\s)" + Regex.Escape(key) + "(\\s|$)"), ProcProbeBinary.Run(["--help"]).StdoutText);
        string man = File.ReadAllText(Path.Combine(ProcProbeBinary.RepoRoot, "docs", "procprobe.1"));
        Assert.Matches(new Regex("^\\.BR " + Regex.Escape(key.Replace("-", "\\-")) + " [,.]$", RegexOptions.Multiline), man);
    }

    [Fact]
    public void Help_IsShort()
    {
        ProcessResult r = ProcProbeBinary.Run(["-h"]);
        string[] lines = r.StdoutText.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length <= 60, $"--help has {lines.Length} lines");
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"help line longer than 80 columns: '{l}'"));
    }

    [Fact]
    public void ManPage_RendersWithoutWarnings()
    {
        string man = Path.Combine(ProcProbeBinary.RepoRoot, "docs", "procprobe.1");
        var (rc, stdout, stderr) = Sessions.Shell.Run("/usr/bin/groff", "-man", "-Tutf8", "-ww", "-z", man);
        Assert.Equal(0, rc);
        Assert.Equal("", stdout + stderr);
        foreach (string section in (string[])["OPTIONS", "FILES", "ENVIRONMENT", "EXIT STATUS", "EXAMPLES", "DIFFERENCES FROM STAP"])
        {
            Assert.Contains("\n.SH " + section + "\n", File.ReadAllText(man));
        }
    }

    private sealed class OptionsComparer : IEqualityComparer<CliOptions>
    {
        public bool Equals(CliOptions? a, CliOptions? b) =>
            a is not null && b is not null && a.ShowHelp == b.ShowHelp && a.ShowVersion == b.ShowVersion;

        public int GetHashCode(CliOptions o) => 0;
    }
}
