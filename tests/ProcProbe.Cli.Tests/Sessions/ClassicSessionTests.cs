using System.Text;

namespace ProcProbe.Cli.Tests.Sessions;

/// <summary>The classic SystemTap procfs session, replayed against the published binary through the kernel.</summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class ClassicSessionTests
{
    private static string Uid => Shell.Bash("id -u").Trim();

    [Fact]
    public void DefaultPath_IsCommand_ReadOnlyForOwner_AndCatPrintsValue()
    {
        using var run = ProbeRun.Start("probe procfs.read { $value = \"abc\\n\"; }", "--vp", "05");
        string file = run.PathOf("command");
        Assert.Equal("-r--------", Shell.Bash($"stat -c %A '{file}'").Trim());
        Assert.Equal(Uid, Shell.Bash($"stat -c %u '{file}'").Trim());
        Assert.Equal("0", Shell.Bash($"stat -c %s '{file}'").Trim());
        Assert.Equal("abc\n", Shell.Bash($"cat '{file}'"));
        Assert.Equal(0, run.Stop());
    }

    [Fact]
    public void NamedReadProbe_CatPrintsValue()
    {
        using var run = ProbeRun.Start("probe procfs(\"digoal\").read { $value = \"abc\\n\"; }");
        Assert.Equal("abc\n", Shell.Bash($"cat '{run.PathOf("digoal")}'"));
        Assert.Equal("abc\n", Shell.Bash($"cat '{run.PathOf("digoal")}'"));
        Assert.Equal(0, run.Stop());
    }

    [Fact]
    public void WriteProbe_PrintsExactlyTheBytesWritten_AndIsWriteOnly()
    {
        using var run = ProbeRun.Start("probe procfs(\"digoal\").write { printf(\"%s\", $value) }");
        string file = run.PathOf("digoal");
        Assert.Equal("--w-------", Shell.Bash($"stat -c %A '{file}'").Trim());
        Shell.Bash($"echo -e \"Hello, I'm digoal\\nWho are you?\\n\" > '{file}'");
        Assert.Equal(0, run.Stop());
        Assert.Equal("Hello, I'm digoal\nWho are you?\n\n", run.Stdout);
    }

    [Fact]
    public void ReadAndWriteProbes_OnOnePath_GiveReadWriteFile()
    {
        using var run = ProbeRun.Start(
            "probe procfs(\"digoal\").read { $value = \"abc\\n\"; } probe procfs(\"digoal\").write { printf(\"%s\", $value) }");
        string file = run.PathOf("digoal");
        Assert.Equal("-rw-------", Shell.Bash($"stat -c %A '{file}'").Trim());
        Assert.Equal("abc\n", Shell.Bash($"cat '{file}'"));
        Shell.Bash($"echo hello > '{file}'");
        Assert.Equal("abc\n", Shell.Bash($"cat '{file}'"));
        Assert.Equal(0, run.Stop());
        Assert.Equal("hello\n", run.Stdout);
    }

    /// <summary>SystemTap's own procfs test (procfs-semantics C33): Tcl reads strip one trailing
    /// newline, Tcl puts appends one.</summary>
    [Fact]
    public void SystemTapProcfsTest_SavedValueRoundTrips_AndEndPrintsFinalValue()
    {
        const string script = """
            global saved_value
            probe procfs("command").read { $value = saved_value }
            probe procfs("command").write { saved_value = $value }
            probe begin { saved_value = "100\n"; printf("systemtap starting probe\n") }
            probe end { printf("systemtap ending probe\n"); printf("final value = %s", saved_value) }
            """;
        using var run = ProbeRun.Start(script);
        string file = run.PathOf("command");

        Assert.Equal("100", TclRead(file));
        TclPuts(file, "200");
        Assert.Equal("200", TclRead(file));
        Assert.Equal("200", TclRead(file));
        TclPuts(file, "hello");
        Assert.Equal("hello", TclRead(file));
        TclPuts(file, "goodbye");
        Assert.Equal("goodbye", TclRead(file));

        Assert.Equal(0, run.Stop(ProbeRun.SIGINT));
        Assert.Equal("systemtap starting probe\nsystemtap ending probe\nfinal value = goodbye\n", run.Stdout);
    }

    // Tcl's "open RDONLY; read -nonewline": read to EOF, drop one trailing newline.
    private static string TclRead(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
        using var ms = new MemoryStream();
        fs.CopyTo(ms);
        string s = Encoding.UTF8.GetString(ms.ToArray());
        return s.EndsWith('\n') ? s[..^1] : s;
    }

    // Tcl's "open WRONLY; puts": one write of the text plus a newline.
    private static void TclPuts(string path, string text)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        fs.Write(Encoding.UTF8.GetBytes(text + "\n"));
    }
}
