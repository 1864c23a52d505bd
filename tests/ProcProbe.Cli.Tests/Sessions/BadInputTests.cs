namespace ProcProbe.Cli.Tests.Sessions;

/// <summary>Bad command lines: one clear line, the right exit status, and nothing mounted or created.</summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class BadInputTests
{
    private const string Script = "probe procfs(\"x\").read { $value = \"x\\n\" }";

    private static (int Rc, string Stdout, string[] StderrLines, string Root) Run(params string[] args)
    {
        string root = ProbeRun.NewRoot();
        var (rc, stdout, stderr) = Shell.Run(ProcProbeBinary.Path, ["--root", root, .. args]);
        Assert.False(Directory.Exists(root), "nothing may be created for a refused command line");
        return (rc, stdout, stderr.TrimEnd('\n').Split('\n'), root);
    }

    [Fact]
    public void UnknownOption_IsUsageError_WithPointerToHelp()
    {
        var (rc, stdout, err, _) = Run("--frobnicate", "-e", Script);
        Assert.Equal(2, rc);
        Assert.Equal("", stdout);
        Assert.Equal(["procprobe: unrecognized option '--frobnicate'", "Try 'procprobe --help' for more information."], err);
    }

    [Fact]
    public void KernelOnlyOption_IsRefusedWithReason()
    {
        var (rc, _, err, _) = Run("-k", "-e", Script);
        Assert.Equal(2, rc);
        Assert.Contains("user space", err[0]);
    }

    [Fact]
    public void MissingScriptFile_NamesTheFile_ThenFailsPass1AsStap_ExitOne()
    {
        var (rc, stdout, err, _) = Run("/nonexistent/script.stp");
        Assert.Equal(1, rc);
        Assert.Equal("", stdout);
        Assert.Equal(["Input file '/nonexistent/script.stp' is missing.", "Pass 1: parse failed.  [man error::pass1]"], err);
    }

    [Fact]
    public void InvalidModuleName_GetsStapsMessage_ExitOne()
    {
        var (rc, _, err, _) = Run("-m", "bad-name", "-e", Script);
        Assert.Equal(1, rc);
        Assert.Equal(["ERROR: Safety pattern mismatch for -m parameter ('bad-name' vs. '^[a-z0-9_]+$') rc=1"], err);
    }

    [Fact]
    public void UnwritableOutputFile_IsOneLine_ExitOne()
    {
        var (rc, _, err, _) = Run("-o", "/nonexistent-dir/out.txt", "-e", Script);
        Assert.Equal(1, rc);
        string line = Assert.Single(err);
        Assert.StartsWith("procprobe: cannot open output file '/nonexistent-dir/out.txt'", line);
    }

    [Fact]
    public void WithoutDevFuse_OneLineSaysWhatToDo_ExitOne()
    {
        // A private mount namespace with an empty /dev hides /dev/fuse from procprobe alone.
        string root = ProbeRun.NewRoot();
        var (rc, stdout, stderr) = Shell.Run("/usr/bin/unshare", "-m", "/bin/sh", "-c",
            $"mount -t tmpfs none /dev && exec '{ProcProbeBinary.Path}' --root '{root}' -e '{Script}'");
        Assert.Equal(1, rc);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("/dev/fuse", line);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public void WithoutLibfuse_OneLineSaysWhatToInstall_ExitOne()
    {
        // Hide every libfuse3 soname in a private mount namespace by binding /dev/null over it.
        string root = ProbeRun.NewRoot();
        string hide = "for f in /usr/lib/x86_64-linux-gnu/libfuse3.so* /lib/x86_64-linux-gnu/libfuse3.so*; do [ -e \"$f\" ] && mount --bind /dev/null \"$f\"; done; true";
        var (rc, stdout, stderr) = Shell.Run("/usr/bin/unshare", "-m", "/bin/sh", "-c",
            $"{hide} && exec '{ProcProbeBinary.Path}' --root '{root}' -e '{Script}'");
        Assert.Equal(1, rc);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("fuse3", line);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public void Help_And_Version_ExitZero()
    {
        var (rc, stdout, _, _) = Run("--help");
        Assert.Equal(0, rc);
        Assert.StartsWith("Usage: procprobe", stdout);
        (rc, stdout, _, _) = Run("-V");
        Assert.Equal(0, rc);
        Assert.StartsWith("procprobe ", stdout);
    }
}
