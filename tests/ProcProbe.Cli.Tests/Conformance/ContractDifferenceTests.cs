using ProcProbe.Cli.Tests.Sessions;

namespace ProcProbe.Cli.Tests.Conformance;

/// <summary>
/// Each deliberate difference of CONTRACT from SystemTap, shown at work (and the §7.3 rows they
/// replace: D03, D12, D13, D18).
/// </summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class ContractDifferenceTests
{
    /// <summary>D13 / CONTRACT §4: any number of opens at once; none blocks, each gets its own snapshot
    /// (stap blocks the second open until the first closes).</summary>
    [Fact]
    public async Task D13_TwoOpensAtOnce_NeverBlock_EachHasItsOwnSnapshot()
    {
        using var run = ProbeRun.Start(ReadSemanticsTests.CounterScript + " probe procfs(\"n\").write { printf(\"%s\", $value) }");
        string path = run.PathOf("n");
        int first = Sys.MustOpen(path, Sys.O_RDONLY);
        var second = Task.Run(() => Sys.Open(path, Sys.O_RDONLY));
        Assert.True(await Task.WhenAny(second, Task.Delay(2000)) == second, "a second open blocked while the first is open");
        int fd2 = await second;
        Assert.True(fd2 >= 0, $"second open failed: {fd2}");
        var writer = Task.Run(() => Sys.Open(path, Sys.O_WRONLY));
        Assert.True(await Task.WhenAny(writer, Task.Delay(2000)) == writer, "a writer's open blocked while readers are open");
        int wfd = await writer;
        Assert.True(wfd >= 0);
        try
        {
            Assert.Equal("run 1\n", Sys.Text(Sys.ReadToEnd(fd2)));
            Assert.Equal(3, Sys.Write(wfd, Sys.Bytes("hi\n")));
            Assert.Equal("run 2\n", Sys.Text(Sys.ReadToEnd(first)));
            Assert.Equal("run 1\n", Sys.Text(Sys.PRead(fd2, 100, 0)));
            Assert.Equal("run 2\n", Sys.Text(Sys.PRead(first, 100, 0)));
        }
        finally
        {
            Sys.Close(first);
            Sys.Close(fd2);
            Sys.Close(wfd);
        }
        Assert.Equal(0, run.Stop());
        Assert.Equal("hi\n", run.Stdout);
    }

    /// <summary>D12 / CONTRACT §4: an O_RDWR open runs the read handler at its first read (stap serves
    /// stale content and never runs the handler).</summary>
    [Fact]
    public void D12_ReadWriteOpen_RunsTheReadHandler()
    {
        using var run = ProbeRun.Start(ReadSemanticsTests.CounterScript + " probe procfs(\"n\").write { printf(\"w:%s\", $value) }");
        int fd = Sys.MustOpen(run.PathOf("n"), Sys.O_RDWR);
        try
        {
            Assert.Equal("run 1\n", Sys.Text(Sys.ReadToEnd(fd)));
            Assert.Equal(2, Sys.Write(fd, Sys.Bytes("x\n")));
            Assert.Equal("run 1\n", Sys.Text(Sys.PRead(fd, 100, 0)));
        }
        finally
        {
            Sys.Close(fd);
        }
        fd = Sys.MustOpen(run.PathOf("n"), Sys.O_RDWR);
        Assert.Equal("run 2\n", Sys.Text(Sys.ReadToEnd(fd)));
        Sys.Close(fd);
        Assert.Equal(0, run.Stop());
        Assert.Equal("w:x\n", run.Stdout);
    }

    /// <summary>D18 / CONTRACT §5: a failing write handler makes write(2) fail with EIO (stap returns 0,
    /// and writers spin). With MAXERRORS=0 the session then ends with status 1.</summary>
    [Fact]
    public void D18_FailingWriteHandler_WriteFailsWithEio_SessionEnds()
    {
        const string script = """
            probe procfs("x").write { error("bad write") }
            probe end { println("end ran") }
            """;
        using var run = ProbeRun.Start(script);
        int fd = Sys.MustOpen(run.PathOf("x"), Sys.O_WRONLY);
        Assert.Equal(-Sys.EIO, Sys.Write(fd, Sys.Bytes("x\n")));
        Sys.Close(fd);
        Assert.Equal(1, run.WaitForExit());
        Assert.StartsWith("ERROR: bad write near ", run.Stderr);
        Assert.Equal("", run.Stdout);
        Assert.False(Directory.Exists(run.Directory));
    }

    /// <summary>CONTRACT §5 with --suppress-handler-errors: the session survives, and `echo x > file`
    /// finishes with an error every time instead of spinning on a 0 return.</summary>
    [Fact]
    public void FailingWriteHandler_UnderSuppressHandlerErrors_EchoFailsInsteadOfSpinning()
    {
        using var run = ProbeRun.Start("probe procfs(\"x\").write { error(\"bad write\") }", "--suppress-handler-errors");
        for (int i = 0; i < 2; i++)
        {
            var (rc, _, stderr) = Shell.Run("/usr/bin/timeout", "5", "/bin/sh", "-c", $"echo x > '{run.PathOf("x")}'");
            Assert.True(rc == 1 || rc == 2, $"echo must fail (not time out), rc={rc} {stderr}");
            Assert.Contains("I/O error", stderr); // dash's text for EIO
        }
        Assert.False(run.HasExited);
        Assert.Equal(0, run.Stop());
    }

    /// <summary>D03 / CONTRACT §3: paths with subdirectories are served; intermediate directories have
    /// mode 0555 (stap fails at start on every kernel since 3.10).</summary>
    [Fact]
    public void D03_SubdirectoryPaths_AreServed_IntermediateDirectories0555()
    {
        const string script = """
            global saved = "0\n"
            probe procfs("net/stats").read { $value = saved }
            probe procfs("net/ctl").write { saved = $value }
            probe procfs("a/b/c").read { $value = "deep\n" }
            probe procfs("top").read { $value = "top\n" }
            """;
        using var run = ProbeRun.Start(script);
        Assert.True(Directory.Exists(run.PathOf("net")));
        Assert.Equal("555", RunExtensions.StatMode(run.PathOf("net")));
        Assert.Equal("555", RunExtensions.StatMode(run.PathOf("a")));
        Assert.Equal("555", RunExtensions.StatMode(run.PathOf("a/b")));
        Assert.Equal("400", RunExtensions.StatMode(run.PathOf("net/stats")));
        Assert.Equal("200", RunExtensions.StatMode(run.PathOf("net/ctl")));
        Assert.Equal(["ctl", "stats"], Directory.GetFileSystemEntries(run.PathOf("net")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["a", "net", "top"], Directory.GetFileSystemEntries(run.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("0\n", File.ReadAllText(run.PathOf("net/stats")));
        Shell.Bash($"echo 42 > '{run.PathOf("net/ctl")}'");
        Assert.Equal("42\n", File.ReadAllText(run.PathOf("net/stats")));
        Assert.Equal("deep\n", File.ReadAllText(run.PathOf("a/b/c")));
        Assert.Equal(0, run.Stop());
    }

    /// <summary>CONTRACT §3: a name that cannot be served (a component of 256 bytes or more) is a
    /// pass-2 error, and nothing is mounted (stap silently creates no file). 255 bytes is served.</summary>
    [Fact]
    public void ComponentOf256Bytes_IsAPass2Error_255IsServed()
    {
        string longName = new('n', 256);
        var mine = ProcProbeBinary.Run(["-p2", "-e", $"probe procfs(\"ok/{longName}\").read {{ $value = \"x\" }}"]);
        Assert.Equal(1, mine.ExitCode);
        Assert.StartsWith("semantic error: ", mine.StderrText);
        Assert.Contains("Pass 2: analysis failed.", mine.StderrText);

        string root = ProbeRun.NewRoot(), name = ProbeRun.NewModuleName();
        var run5 = ProcProbeBinary.Run(["--root", root, "-m", name, "-c", "true", "-e", $"probe procfs(\"{longName}\").read {{ $value = \"x\" }}"]);
        Assert.Equal(1, run5.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(root, name)));

        string name255 = new('m', 255);
        using var run = ProbeRun.Start($"probe procfs(\"{name255}\").read {{ $value = \"x\\n\" }}");
        Assert.Equal("x\n", File.ReadAllText(run.PathOf(name255)));
        Assert.Equal(0, run.Stop());
    }

    /// <summary>CONTRACT §3: a file and a directory of the same name cannot both be served: pass-2 error.</summary>
    [Fact]
    public void FileAndDirectoryOfOneName_IsAPass2Error()
    {
        var mine = ProcProbeBinary.Run(["-p2", "-e", "probe procfs(\"a\").read { $value = \"x\" } probe procfs(\"a/b\").read { $value = \"y\" }"]);
        Assert.Equal(1, mine.ExitCode);
        Assert.StartsWith("semantic error: ", mine.StderrText);
        Assert.Contains("Pass 2: analysis failed.", mine.StderrText);
    }
}
