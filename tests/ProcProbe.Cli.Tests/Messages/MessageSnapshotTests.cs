using System.Text;

namespace ProcProbe.Cli.Tests.Messages;

/// <summary>
/// Every error a user can trigger from the command line, as a snapshot: the command, the exit status,
/// stdout and stderr, in Messages/NAME.txt. Each message must name what went wrong and what to do, in
/// one line or in stap's multi-line layout. <c>PROCPROBE_ACCEPT=1</c> rewrites the snapshots.
/// </summary>
public sealed class MessageSnapshotTests
{
    private const string Begin = "probe begin { exit() }";
    private const string ProcfsScript = "probe procfs(\"x\").read { $value = \"x\\n\" }";

    /// <summary>(snapshot name, arguments, standard input).</summary>
    private static readonly (string Name, string[] Args, string? Stdin)[] s_cases =
    [
        ("unknown-long-option", ["--frobnicate", "-e", Begin], null),
        ("unknown-short-option", ["-Q", "-e", Begin], null),
        ("missing-short-argument", ["-e"], null),
        ("missing-long-argument", ["--root"], null),
        ("flag-given-a-value", ["--allow-other=yes", "-e", Begin], null),
        ("kernel-only-short-option", ["-k", "-e", Begin], null),
        ("kernel-only-long-option", ["--runtime=bpf", "-e", Begin], null),
        ("no-script", [], null),
        ("script-with-listing", ["-l", "begin", "-e", Begin], null),
        ("two-listing-switches", ["-l", "begin", "-L", "end"], null),
        ("pass-with-listing", ["-l", "begin", "-p2"], null),
        ("pass-out-of-range", ["-p", "7", "-e", Begin], null),
        ("pass-needing-a-kernel", ["-p3", "-e", Begin], null),
        ("bad-target-pid", ["-x", "abc", "-e", Begin], null),
        ("bad-timeout", ["-T", "0", "-e", Begin], null),
        ("bad-vp", ["--vp", "123456", "-e", Begin], null),
        ("bad-define", ["-D", "a-b", "-e", Begin], null),
        ("bad-limit-value", ["-D", "MAXSTRINGLEN=x", "-e", Begin], null),
        ("bad-module-name", ["-m", "bad-name", "-e", Begin], null),
        ("empty-module-name", ["-m", "", "-e", Begin], null),
        ("two-scripts", ["-e", Begin, "-e", Begin], null),
        ("missing-script-file", ["/nonexistent/script.stp"], null),
        ("script-file-is-a-directory", ["/"], null),
        ("unwritable-output-file", ["-o", "/nonexistent-dir/out.txt", "-e", Begin], null),
        ("parse-error", ["-e", "probe begin { x = }"], null),
        ("parse-error-from-stdin", ["-"], "probe begin {\n  printf(\"%d\\n\", 1\n}\n"),
        ("semantic-error", ["-e", "probe begin { foo() }"], null),
        ("kernel-probe", ["-e", "probe kernel.function(\"vfs_read\") { }"], null),
        ("procfs-path-error", ["-e", "probe procfs(\"/x\").read { $value = \"x\" }"], null),
        ("listing-parse-error", ["-l", "procfs.umask(0880).read"], null),
        ("missing-argument-in-script", ["-e", "probe begin { printf(\"%s\\n\", @1); exit() }"], null),
        ("root-through-a-symlink", ["--root", "/proc/self/cwd", "-m", "msg_test", "-e", ProcfsScript], null),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in s_cases)
        {
            data.Add(c.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Message_MatchesSnapshot(string name)
    {
        var (_, args, stdin) = s_cases.Single(c => c.Name == name);
        ProcessResult r = ProcProbeBinary.Run(args, stdin, timeout: TimeSpan.FromSeconds(20));
        Assert.False(r.TimedOut);
        string actual = Render(args, stdin, r);
        string path = Path.Combine(ProcProbeBinary.RepoRoot, "tests", "ProcProbe.Cli.Tests", "Messages", name + ".txt");
        if (Environment.GetEnvironmentVariable("PROCPROBE_ACCEPT") == "1")
        {
            File.WriteAllText(path, actual);
        }
        Assert.True(File.Exists(path), $"no snapshot {path}; run with PROCPROBE_ACCEPT=1 to write it");
        Assert.Equal(File.ReadAllText(path), actual);

        // An error is never silent and never a stack trace.
        Assert.NotEqual(0, r.ExitCode);
        Assert.NotEqual("", r.StderrText);
        Assert.DoesNotContain("   at ", r.StderrText);
        Assert.DoesNotContain("Exception", r.StderrText);
        Assert.DoesNotContain("_IO", r.StderrText); // an untranslated .NET resource key
    }

    [Fact]
    public void EverySnapshotFile_BelongsToACase()
    {
        string folder = Path.Combine(ProcProbeBinary.RepoRoot, "tests", "ProcProbe.Cli.Tests", "Messages");
        var names = s_cases.Select(c => c.Name + ".txt").ToHashSet();
        Assert.All(Directory.GetFiles(folder, "*.txt"), f => Assert.Contains(Path.GetFileName(f), names));
    }

    private static string Render(string[] args, string? stdin, ProcessResult r)
    {
        var b = new StringBuilder();
        b.Append("$ procprobe");
        foreach (string a in args)
        {
            b.Append(' ').Append(a.Length > 0 && a.All(ch => char.IsAsciiLetterOrDigit(ch) || "-_=./".Contains(ch)) ? a : "'" + a.Replace("'", "'\\''") + "'");
        }
        b.Append('\n');
        if (stdin is not null)
        {
            b.Append("--- stdin\n").Append(stdin);
        }
        b.Append("--- exit ").Append(r.ExitCode).Append('\n');
        b.Append("--- stdout\n").Append(r.StdoutText);
        b.Append("--- stderr\n").Append(r.StderrText);
        return b.ToString();
    }
}
