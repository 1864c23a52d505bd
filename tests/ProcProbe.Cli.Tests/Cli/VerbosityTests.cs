using System.Text.RegularExpressions;
using ProcProbe.Cli.Tests.Listing;
using ProcProbe.Cli.Tests.Sessions;

namespace ProcProbe.Cli.Tests.Cli;

/// <summary>
/// What reaches stdout and stderr at each verbosity: script output only by default; stap's pass lines
/// with -v and --vp, in stap's order around failures; the directory line when stderr is a terminal.
/// </summary>
[Collection(nameof(FuseProcessCollection))]
public sealed partial class VerbosityTests
{
    private const string Script = "probe procfs(\"x\").read { $value = \"x\\n\" } probe begin { println(\"begun\") }";

    private static (ProcessResult Result, string Dir) Serve(params string[] extra)
    {
        string root = ProbeRun.NewRoot();
        string module = ProbeRun.NewModuleName();
        ProcessResult r = ProcProbeBinary.Run(["--root", root, "-m", module, "-c", "cat \"$PROCPROBE_DIR/x\"", .. extra, "-e", Script]);
        if (Directory.Exists(root))
        {
            Directory.Delete(root);
        }
        return (r, Path.Combine(root, module));
    }

    [Fact]
    public void DefaultLevel_StdoutIsScriptOutputOnly_StderrSilentWhenRedirected()
    {
        var (r, _) = Serve();
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("begun\nx\n", r.StdoutText);
        Assert.Equal("", r.StderrText);
    }

    /// <summary>stap 4.8 -v -p2 on this script: "2 probes, 1 function, 1 embed, 0 globals" (the function is
    /// the $value helper, the embed procfs's header).</summary>
    [Fact]
    public void Verbose_PrintsEveryPassLine_AndTheDirectory_InStapsOrder()
    {
        var (r, dir) = Serve("-v");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("begun\nx\n", r.StdoutText);
        string[] err = r.StderrText.TrimEnd('\n').Split('\n');
        Assert.Equal(5, err.Length);
        Assert.Matches(ListingTests.Pass1Line(), err[0]);
        Assert.Matches(ListingTests.Pass2Line(), err[1]);
        Assert.StartsWith("Pass 2: analyzed script: 2 probes, 1 function, 1 embed, 0 globals using ", err[1]);
        Assert.Equal("Pass 5: starting run.", err[2]);
        Assert.Equal($"procprobe: serving 1 file in {dir}", err[3]);
        Assert.Matches(Pass5Completed(), err[4]);
    }

    [Fact]
    public void Vp_SelectsPasses()
    {
        var (r, _) = Serve("--vp", "00001");
        Assert.Equal(0, r.ExitCode);
        string[] err = r.StderrText.TrimEnd('\n').Split('\n');
        Assert.Equal("Pass 5: starting run.", err[0]);
        Assert.Matches(Pass5Completed(), err[^1]);
        Assert.DoesNotContain(err, l => l.StartsWith("Pass 1", StringComparison.Ordinal) || l.StartsWith("Pass 2", StringComparison.Ordinal));

        (r, _) = Serve("--vp", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(ListingTests.Pass1Line(), Assert.Single(r.StderrText.TrimEnd('\n').Split('\n')));
    }

    [Fact]
    public void Verbose_ParseFailure_PassLineComesBeforeTheFailedLine()
    {
        ProcessResult r = ProcProbeBinary.Run(["-v", "-e", "probe begin { x = }"]);
        Assert.Equal(1, r.ExitCode);
        string[] err = r.StderrText.TrimEnd('\n').Split('\n');
        Assert.Equal("1 parse error.", err[^3]);
        Assert.Matches(ListingTests.Pass1Line(), err[^2]);
        Assert.Equal("Pass 1: parse failed.  [man error::pass1]", err[^1]);
    }

    [Fact]
    public void Verbose_SemanticFailure_PassLineComesBeforeTheFailedLine()
    {
        ProcessResult r = ProcProbeBinary.Run(["-v", "-e", "probe begin { foo() }"]);
        Assert.Equal(1, r.ExitCode);
        string[] err = r.StderrText.TrimEnd('\n').Split('\n');
        Assert.Matches(ListingTests.Pass1Line(), err[0]);
        Assert.StartsWith("semantic error: ", err[1]);
        Assert.Matches(ListingTests.Pass2Line(), err[^2]);
        Assert.Equal("Pass 2: analysis failed.  [man error::pass2]", err[^1]);
    }

    [Fact]
    public void Verbose_RunFailure_RunCompletedComesBeforeRunFailed()
    {
        ProcessResult r = ProcProbeBinary.Run(["-v", "-e", "probe begin { error(\"boom\") }"]);
        Assert.Equal(1, r.ExitCode);
        string[] err = r.StderrText.TrimEnd('\n').Split('\n');
        Assert.Matches(Pass5Completed(), err[^2]);
        Assert.Equal("Pass 5: run failed.  [man error::pass5]", err[^1]);
        Assert.Single(err, l => l.StartsWith("Pass 5: run failed", StringComparison.Ordinal));

        r = ProcProbeBinary.Run(["-e", "probe begin { error(\"boom\") }"]);
        Assert.Equal("Pass 5: run failed.  [man error::pass5]", r.StderrText.TrimEnd('\n').Split('\n')[^1]);
    }

    [Fact]
    public void StderrOnATerminal_NamesTheDirectory_StdoutStillScriptOutputOnly()
    {
        // script(1) gives procprobe a pseudo-terminal; stdout goes to a file, so the terminal shows stderr
        // alone, byte for byte (no terminal control sequences either). -T ends the run.
        string root = ProbeRun.NewRoot();
        string module = ProbeRun.NewModuleName();
        string outFile = Path.Combine(Path.GetTempPath(), $"procprobe-tty-{Guid.NewGuid():N}");
        string command = $"'{ProcProbeBinary.Path}' --root '{root}' -m {module} -T 1 -e '{Script}' >'{outFile}'";
        try
        {
            var (rc, terminal, _) = Shell.Run("/usr/bin/script", "-qec", command, "/dev/null");
            Assert.Equal(0, rc);
            Assert.Equal($"procprobe: serving 1 file in {Path.Combine(root, module)}", terminal.Replace("\r", "").TrimEnd('\n'));
            Assert.Equal("begun\n", File.ReadAllText(outFile));
        }
        finally
        {
            File.Delete(outFile);
            if (Directory.Exists(root))
            {
                Directory.Delete(root);
            }
        }
    }

    [GeneratedRegex(@"^Pass 5: run completed in \d+usr/\d+sys/\d+real ms\.$")]
    private static partial Regex Pass5Completed();
}
