using System.Text;

namespace ProcProbe.Cli.Tests.Conformance;

/// <summary>
/// procfs-semantics.md §7.1 (C01–C32) and the translator rows of §7.3 (D01–D10): procprobe's
/// diagnostics against SystemTap's own, recorded from stap-oracle into Translator/ID.oracle.txt by
/// Translator/record-golden.sh. Same exit status, same first line of standard error, the same
/// `Pass N: … failed.` line; for cases stap accepts, the same standard error (warnings) and, for
/// `-l`, the same standard output.
/// </summary>
public sealed class TranslatorConformanceTests
{
    public static string Folder => Path.Combine(ProcProbeBinary.RepoRoot, "tests", "ProcProbe.Cli.Tests", "Conformance", "Translator");

    private static readonly Encoding Bytes = Encoding.Latin1;

    /// <summary>One recorded stap result.</summary>
    public sealed record Golden(string Command, int Exit, string Stdout, string Stderr);

    public static Golden ReadGolden(string id)
    {
        string path = Path.Combine(Folder, id + ".oracle.txt");
        Assert.True(File.Exists(path), $"no golden file for {id}: run Conformance/Translator/record-golden.sh {id}");
        string text = Bytes.GetString(File.ReadAllBytes(path));
        int pos = 0;
        string Line()
        {
            int nl = text.IndexOf('\n', pos);
            if (nl < 0) throw new FormatException($"{path}: truncated");
            string l = text[pos..nl];
            pos = nl + 1;
            return l;
        }
        string Block(string key)
        {
            string l = Line();
            if (!l.StartsWith(key + ": ", StringComparison.Ordinal) || !l.EndsWith(" bytes", StringComparison.Ordinal))
                throw new FormatException($"{path}: expected '{key}: N bytes', found '{l}'");
            int n = int.Parse(l[(key.Length + 2)..^" bytes".Length]);
            string b = text.Substring(pos, n);
            pos += n;
            return b;
        }
        string header;
        do header = Line(); while (header.StartsWith('#'));
        string command = header["command: ".Length..];
        int exit = int.Parse(Line()["exit: ".Length..]);
        string stdout = Block("stdout");
        string stderr = Block("stderr");
        return new Golden(command, exit, stdout, stderr);
    }

    /// <summary>The command line of a case: the `#! stap` options then ID.stp, or ID.args verbatim.</summary>
    public static string[] Arguments(string id)
    {
        string stp = Path.Combine(Folder, id + ".stp");
        if (File.Exists(stp))
        {
            string first = File.ReadLines(stp).First();
            Assert.StartsWith("#! stap", first);
            return [.. first["#! stap".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries), id + ".stp"];
        }
        return File.ReadAllLines(Path.Combine(Folder, id + ".args"));
    }

    public static ProcessResult RunProcProbe(string[] args) =>
        ProcProbeBinary.Run(args, env: new Dictionary<string, string?> { ["LC_ALL"] = "C" },
            timeout: TimeSpan.FromSeconds(30), workingDirectory: Folder);

    private static string FirstLine(string s)
    {
        int nl = s.IndexOf('\n');
        return nl < 0 ? s : s[..nl];
    }

    private static string? PassLine(string s) =>
        s.Split('\n').LastOrDefault(l => l.StartsWith("Pass ", StringComparison.Ordinal));

    /// <summary>Cases where procprobe must say what stap says.</summary>
    private static readonly string[] s_sameAsStap =
    [
        "C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08", "C09", "C10", "C11", "C12", "C13",
        "C14", "C15", "C16", "C17", "C18", "C19", "C20", "C21", "C22", "C23", "C24", "C25", "C26",
        "C28", "C30a", "C30b", "C30c", "C30d", "C30e", "C30f", "C30g", "C30h", "C30i", "C30j", "C30k",
        "C30l", "C31a", "C31b", "C31c", "C31d",
        "D01", "D02a", "D02b", "D04", "D05", "D06", "D07", "D08", "D09", "D10",
    ];

    public static TheoryData<string> SameAsStap => new(s_sameAsStap);

    [Theory]
    [MemberData(nameof(SameAsStap))]
    public void MatchesStap(string id) => AssertMatches(id, Arguments(id));

    /// <summary>C27 (semok/thirtyeight, `-Wp2`): `@defined($value)` must raise no warning, so the
    /// script passes even with warnings as errors. The oracle's fake kernel tree trips -W on its own,
    /// so the golden is stap's -p2 (no warning, exit 0) and procprobe runs with -W.</summary>
    [Fact]
    public void C27_DefinedValue_NoWarningUnderW()
    {
        var golden = ReadGolden("C27");
        Assert.Equal(0, golden.Exit);
        Assert.Equal("", golden.Stderr);
        AssertMatches("C27", ["-W", .. Arguments("C27")]);
    }

    private static void AssertMatches(string id, string[] args)
    {
        var golden = ReadGolden(id);
        var mine = RunProcProbe(args);
        string stderr = Bytes.GetString(mine.Stderr);
        string stdout = Bytes.GetString(mine.Stdout);
        string where = $"{id}: procprobe {string.Join(' ', args)}\n--- stap stderr\n{golden.Stderr}--- procprobe stderr\n{stderr}---";
        Assert.False(mine.TimedOut, where);
        Assert.True(golden.Exit == mine.ExitCode, $"exit status: stap {golden.Exit}, procprobe {mine.ExitCode}\n{where}");
        Assert.True(FirstLine(golden.Stderr) == FirstLine(stderr),
            $"first stderr line:\n  stap:      {FirstLine(golden.Stderr)}\n  procprobe: {FirstLine(stderr)}\n{where}");
        if (golden.Exit != 0)
        {
            Assert.True(PassLine(golden.Stderr) == PassLine(stderr),
                $"'Pass N' line:\n  stap:      {PassLine(golden.Stderr)}\n  procprobe: {PassLine(stderr)}\n{where}");
            Assert.Equal("", stdout);
        }
        else
        {
            Assert.True(golden.Stderr == stderr, $"stderr differs\n{where}");
        }
        if (args.Contains("-l"))
        {
            Assert.True(golden.Stdout == stdout, $"-l output:\n  stap:      {golden.Stdout}  procprobe: {stdout}");
            Assert.Single(stdout.TrimEnd('\n').Split('\n'));
        }
    }

    /// <summary>C30: every listed type is also in --dump-probe-types (the 12 procfs patterns).</summary>
    [Fact]
    public void C30_DumpProbeTypes_ListsTheTwelveProcfsPatterns()
    {
        var mine = RunProcProbe(["--dump-probe-types"]);
        Assert.Equal(0, mine.ExitCode);
        var lines = mine.StdoutText.Split('\n').Where(l => l.StartsWith("procfs", StringComparison.Ordinal)).ToArray();
        // stap --dump-probe-types, the procfs lines, in stap's order.
        string[] expected =
        [
            "procfs.read", "procfs.read.maxsize(number)", "procfs.umask(number).read",
            "procfs.umask(number).read.maxsize(number)", "procfs.umask(number).write", "procfs.write",
            "procfs(string).read", "procfs(string).read.maxsize(number)", "procfs(string).umask(number).read",
            "procfs(string).umask(number).read.maxsize(number)", "procfs(string).umask(number).write",
            "procfs(string).write",
        ];
        Assert.Equal(expected, lines);
    }

    /// <summary>C31 with --privilege=stapusr, and D05 under --bpf: a deliberate difference. Privilege
    /// levels govern who may load a kernel module and --bpf picks stap's BPF back end; CONTRACT §2
    /// refuses such options "with one line naming the option and why" (exit 2, a usage error).
    /// stap's own messages are in the golden files for the record.</summary>
    [Theory]
    [InlineData("C31-stapusr", "--privilege")]
    [InlineData("D05-bpf", "--bpf")]
    public void KernelOnlyOption_IsRefusedInOneLine(string id, string option)
    {
        var golden = ReadGolden(id);
        Assert.Equal(1, golden.Exit); // C31: "probe point is not allowed"; D05: the bpf read+write rule
        var mine = RunProcProbe(Arguments(id));
        Assert.Equal(2, mine.ExitCode);
        Assert.Equal("", mine.StdoutText);
        string line = Assert.Single(mine.StderrText.TrimEnd('\n').Split('\n'));
        Assert.Contains(option, line);
    }

    /// <summary>C32 (semantic_keep_going.exp) runs `-p2 --semantic-keep-going --privilege=stapusr`.
    /// The stap on this machine (4.8) does not know --semantic-keep-going and stops there (see the
    /// golden file); procprobe has neither option (CONTRACT §2): a usage error, exit 2, naming the
    /// first one, nothing on standard output.</summary>
    [Fact]
    public void C32_SemanticKeepGoingWithPrivilege_IsAUsageError()
    {
        var golden = ReadGolden("C32");
        Assert.Equal(1, golden.Exit);
        Assert.Contains("--semantic-keep-going", FirstLine(golden.Stderr));
        var mine = RunProcProbe(Arguments("C32"));
        Assert.Equal(2, mine.ExitCode);
        Assert.Equal("", mine.StdoutText);
        Assert.Contains("--semantic-keep-going", FirstLine(mine.StderrText));
    }

    /// <summary>C31 alone: `--privilege=stapusr` is refused even for a script stap would accept.</summary>
    [Fact]
    public void C31_PrivilegeOption_RefusedByName()
    {
        var mine = RunProcProbe(["--privilege=stapusr", "-p2", "-e", "probe procfs.read { $value = \"x\" }"]);
        Assert.Equal(2, mine.ExitCode);
        string line = Assert.Single(mine.StderrText.TrimEnd('\n').Split('\n'));
        Assert.Contains("--privilege", line);
    }

    /// <summary>Every case file has a golden file and the other way round.</summary>
    [Fact]
    public void EveryCaseHasAGoldenFile()
    {
        var cases = Directory.EnumerateFiles(Folder)
            .Where(f => f.EndsWith(".stp", StringComparison.Ordinal) || f.EndsWith(".args", StringComparison.Ordinal))
            .Select(f => Path.GetFileName(f)[..Path.GetFileName(f).LastIndexOf('.')])
            .ToHashSet(StringComparer.Ordinal);
        var goldens = Directory.EnumerateFiles(Folder, "*.oracle.txt")
            .Select(f => Path.GetFileName(f)[..^".oracle.txt".Length])
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(cases.Order(StringComparer.Ordinal), goldens.Order(StringComparer.Ordinal));
        foreach (string id in cases) ReadGolden(id);
        var covered = s_sameAsStap
            .Concat(["C27", "C31-stapusr", "C32", "D05-bpf"]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(cases.Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
    }
}
