namespace ProcProbe.Interpreter.Tests.Evaluation;

public class SpineTests
{
    private const string ProcfsScript = """
        global saved_value
        probe procfs("command").read { $value = saved_value }
        probe procfs("command").write { saved_value = $value }
        probe begin { saved_value = "100\n"; printf("systemtap starting probe\n") }
        probe end { printf("systemtap ending probe\n"); printf("final value = %s", saved_value) }
        """;

    [Fact]
    public void SystemTapProcfsTest_ReadsWritesAndEnds()
    {
        using var run = new ScriptRun(ProcfsScript);
        Assert.True(run.Compilation.Succeeded, run.Diagnostics);
        var file = Assert.Single(run.Compilation.Files);
        Assert.Equal("command", file.Path);
        Assert.Equal(0x180u, file.Mode); // 0600
        Assert.True(file.HasRead && file.HasWrite);
        Assert.Equal(512, file.BufferSize);

        run.Session!.RunBegin();
        Assert.Equal("systemtap starting probe\n", run.Stdout);
        Assert.Equal("100\n", run.Read("command"));
        Assert.Equal(0, run.Write("command", "200\n"));
        Assert.Equal("200\n", run.Read("command"));
        Assert.Equal("200\n", run.Read("command"));
        Assert.Equal(0, run.Write("command", "hello\n"));
        Assert.Equal("hello\n", run.Read("command"));
        Assert.Equal(0, run.Write("command", "goodbye\n"));
        Assert.Equal("goodbye\n", run.Read("command"));
        run.Session.RunEnd();
        Assert.Equal("systemtap starting probe\nsystemtap ending probe\nfinal value = goodbye\n", run.Stdout);
        Assert.Equal(0, run.Session.ExitCode);
        Assert.Equal("", run.Err.ToString());
    }

    [Fact]
    public void ConcatenationAndAppend_BuildReadContent()
    {
        using var run = new ScriptRun("""
            global n = 3
            probe procfs("x").read { $value = "a"; $value .= "b" . "c"; for (i = 0; i < n; i++) $value .= sprintf("%d ", i) }
            """);
        Assert.True(run.Compilation.Succeeded, run.Diagnostics);
        run.Session!.RunBegin();
        Assert.Equal("abc0 1 2 ", run.Read("x"));
    }

    [Fact]
    public void ExitStopsAfterTheHandlerAndRunsEnd()
    {
        using var run = new ScriptRun("""
            probe begin { print("a"); exit(); println("b") }
            probe begin(1) { println("never") }
            probe end { println("end") }
            """);
        bool stopped = false;
        Assert.True(run.Compilation.Succeeded, run.Diagnostics);
        run.Session!.Stopping += () => stopped = true;
        run.Session.RunBegin();
        Assert.True(run.Session.StopRequested);
        Assert.True(stopped);
        run.Session.RunEnd();
        Assert.Equal("ab\nend\n", run.Stdout);
    }

    [Theory]
    [InlineData("probe procfs(\"f\").read { $value = \"x\" }", 0x100u)]           // 0400
    [InlineData("probe procfs(\"f\").write { print($value) }", 0x80u)]            // 0200
    [InlineData("probe procfs(\"f\").umask(0).read { $value = \"x\" }", 0x124u)]  // 0444
    [InlineData("probe procfs(\"f\").umask(0404).read { $value = \"x\" }", 0x20u)] // 0040
    [InlineData("probe procfs(\"f\").umask(0222).write { print($value) }", 0x124u)] // 0 becomes 0444
    [InlineData("probe procfs(\"f\").umask(400).read { $value = \"x\" }", 0x24u)]  // decimal 400 = 0620 -> 044
    [InlineData("probe procfs(\"f\").umask(0002).read { $value = \"x\" } probe procfs(\"f\").umask(0040).write { print($value) }", 0x194u)] // 0624
    [InlineData("probe procfs(\"f\").read { $value = \"x\" } probe procfs(\"f\").umask(0040).write { print($value) }", 0x192u)] // 0622
    public void FileModesFollowTheUmaskRule(string script, uint mode)
    {
        using var run = new ScriptRun(script);
        Assert.True(run.Compilation.Succeeded, run.Diagnostics);
        Assert.Equal(mode, Assert.Single(run.Compilation.Files).Mode);
    }

    [Fact]
    public void PathBytes_AreTheScriptsBytes_UnchangedEvenWhenNotUtf8()
    {
        byte[] script = [.. "probe procfs(\"bin"u8, 0xff, 0xfe, .. "/caf\u00e9\").read { $value = \"x\" }"u8];
        var compilation = ScriptCompilation.Compile("<input>", script, new ScriptOptions(), 2);
        Assert.True(compilation.Succeeded);
        byte[] expected = [.. "bin"u8, 0xff, 0xfe, .. "/caf"u8, 0xc3, 0xa9];
        Assert.Equal(expected, Assert.Single(compilation.Files).PathBytes);
    }

    [Fact]
    public void ReadOverflow_KeepsTruncatedContentAndRaisesStapError()
    {
        using var run = new ScriptRun("""
            probe procfs("f").read.maxsize(8) { $value = "abcdef"; $value .= "ghij" }
            probe end { println("end") }
            """);
        Assert.True(run.Compilation.Succeeded, run.Diagnostics);
        run.Session!.RunBegin();
        Assert.Equal("abcdefg", run.Read("f"));
        Assert.True(run.Session.StopRequested);
        run.Session.RunEnd();
        Assert.Equal("", run.Stdout); // end probes are skipped after a fatal error
        Assert.Equal(1, run.Session.ExitCode);
        Assert.Equal(
            "ERROR: buffer size exceeded, consider .maxsize(11). near identifier '$value' at <input>:1:56 in probe procfs(\"f\").read.maxsize(8)\n" +
            "WARNING: Number of errors: 1, skipped probes: 0\n" +
            "Pass 5: run failed.  [man error::pass5]\n",
            run.Err.ToString());
    }

    [Fact]
    public void CaughtOverflow_LeavesTruncatedContent()
    {
        using var run = new ScriptRun("""
            global error
            probe procfs.read { try { $value = "123456789012345"; $value .= "abc" } catch (err) { error = err } }
            probe end { println(error) }
            """, new ScriptOptions { ProcfsBufSize = 16 });
        Assert.True(run.Compilation.Succeeded, run.Diagnostics);
        run.Session!.RunBegin();
        Assert.Equal("123456789012345", run.Read("command"));
        run.Session.RunEnd();
        Assert.Equal("buffer size exceeded, consider .maxsize(19).\n", run.Stdout);
    }

    [Fact]
    public void MultipleWriteProbes_RunInDeclarationOrder()
    {
        using var run = new ScriptRun("""
            global val
            probe procfs.write { val = $value . "a" }
            probe procfs.read { $value = val }
            probe procfs.write { val .= $value . "b" }
            probe procfs("test").write { val .= $value . "1" }
            probe procfs("test").write { val .= $value . "2" }
            probe procfs("test").write { val .= $value . "3" }
            probe begin { val = "" }
            """);
        Assert.True(run.Compilation.Succeeded, run.Diagnostics);
        run.Session!.RunBegin();
        Assert.Equal(0, run.Write("command", "x"));
        Assert.Equal("xaxb", run.Read("command"));
        Assert.Equal(0, run.Write("test", "y"));
        Assert.Equal("xaxby1y2y3", run.Read("command"));
        Assert.Equal(0, run.Write("command", "zzz"));
        Assert.Equal("zzzazzzb", run.Read("command"));
    }

    [Fact]
    public void WrittenButNeverReadGlobals_AreDisplayedAtEnd()
    {
        using var run = new ScriptRun("""
            global value, count, names
            probe begin { value = "600\n"; count = 3; names["a", 1] = 5; names["b", 2] = 7 }
            probe end { println("Testing permissions") }
            """);
        Assert.Equal("Testing permissions\nvalue=\"600\n\"\ncount=3\nnames[\"b\",2]=7\nnames[\"a\",1]=5\n", run.RunToEnd());
    }
}
