using ProcProbe.Cli.Tests.Sessions;

namespace ProcProbe.Cli.Tests.Conformance;

/// <summary>
/// procfs-semantics.md §7.3, the run-time rows D10–D17 where procprobe follows stap (the translator
/// rows are in <see cref="TranslatorConformanceTests"/>, the rows where CONTRACT differs in
/// <see cref="ContractDifferenceTests"/>).
/// </summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class DerivedCaseTests
{
    /// <summary>D10: an empty probe body is elided (with stap's warning), so no file exists for it;
    /// with -u it is kept and the file exists (and reads empty).</summary>
    [Fact]
    public void D10_EmptyReadProbe_IsElided_NoFile_UnlessUnoptimised()
    {
        const string script = "probe procfs(\"x\").read {} probe procfs(\"y\").read { $value = \"y\" }";
        using (var run = ProbeRun.Start(script))
        {
            Assert.True(File.Exists(run.PathOf("y")));
            Assert.False(File.Exists(run.PathOf("x")));
            Assert.Equal(0, run.Stop());
            Assert.StartsWith("WARNING: Probe 'procfs' has been elided", run.Stderr);
        }
        using (var run = ProbeRun.Start(script, "-u"))
        {
            Assert.Equal("", File.ReadAllText(run.PathOf("x")));
            Assert.Equal(0, run.Stop());
        }
    }

    /// <summary>D11: an uncaught overflow: the reader still gets the truncated content (no EIO), the
    /// error is reported with stap's N, and the session ends with status 1 (MAXERRORS=0), end probes
    /// skipped.</summary>
    [Fact]
    public void D11_UncaughtOverflow_ReaderGetsTruncatedContent_SessionFails()
    {
        const string script = """
            probe procfs("x").read {
                $value = "0123456789"
                $value .= "abcdefghij"
                $value .= "never"
            }
            probe end { println("end ran") }
            """;
        using var run = ProbeRun.Start(script, "-DSTP_PROCFS_BUFSIZE=16");
        Assert.Equal("0123456789abcde", Tcl.ReadNoNewline(run.PathOf("x")));
        Assert.Equal(1, run.WaitForExit());
        Assert.Equal("", run.Stdout);
        Assert.StartsWith("ERROR: buffer size exceeded, consider .maxsize(21). near ", run.Stderr);
        Assert.False(Directory.Exists(run.Directory));
    }

    /// <summary>D14: root may open a write-only file for reading and a read-only file for writing
    /// (the modes do not stop root): reading a path without a read probe is EOF, writing a path without
    /// a write probe is EIO.</summary>
    [Fact]
    public void D14_Root_ReadsWriteOnlyFileAsEmpty_WriteToReadOnlyFileIsEio()
    {
        Assert.True(Sys.GetEuid() == 0, "D14 is about root's access to 0200/0400 files; run the suite as root");
        using var run = ProbeRun.Start("probe procfs(\"w\").write { printf(\"%s\", $value) } probe procfs(\"r\").read { $value = \"r\" }");
        Assert.Equal("200", RunExtensions.StatMode(run.PathOf("w")));
        Assert.Equal("400", RunExtensions.StatMode(run.PathOf("r")));
        int fd = Sys.MustOpen(run.PathOf("w"), Sys.O_RDONLY);
        Assert.Equal(0, Sys.ReadRaw(fd, 100));
        Sys.Close(fd);
        fd = Sys.MustOpen(run.PathOf("r"), Sys.O_WRONLY);
        Assert.Equal(-Sys.EIO, Sys.Write(fd, Sys.Bytes("x\n")));
        Sys.Close(fd);
        Assert.Equal(0, run.Stop());
        Assert.Equal("", run.Stdout);
    }

    /// <summary>D15: a read that reaches procprobe after shutdown began fails with EIO. The file is
    /// opened before SIGINT and first read once the mount is gone, while an end probe still runs.</summary>
    [Fact]
    public void D15_ReadAfterShutdownStarted_IsEio()
    {
        const string script = """
            probe procfs("x").read { $value = "x\n" }
            probe end {
                t = gettimeofday_ms()
                while (gettimeofday_ms() < t + 1500) { spins++ } // an empty body would be elided, as by stap
                println("end ran")
            }
            """;
        using var run = ProbeRun.Start(script, "-DMAXACTION=1000000000");
        int fd = Sys.MustOpen(run.PathOf("x"), Sys.O_RDONLY);
        try
        {
            Assert.Equal(0, ProbeRun.kill(run.Pid, ProbeRun.SIGINT));
            var deadline = DateTime.UtcNow.AddSeconds(1);
            while (Mounts.IsMountPoint(run.Directory) && DateTime.UtcNow < deadline) Thread.Sleep(2);
            Assert.False(Mounts.IsMountPoint(run.Directory), "the mount must be detached before end probes run");
            Assert.False(run.HasExited);
            Assert.Equal(-Sys.EIO, Sys.ReadRaw(fd, 100));
        }
        finally
        {
            Sys.Close(fd);
        }
        Assert.Equal(0, run.WaitForExit());
        Assert.Equal("end ran\n", run.Stdout);
    }

    /// <summary>D16: lseek back to 0 and read again on the same descriptor: the same snapshot, the
    /// handler does not run again.</summary>
    [Fact]
    public void D16_LseekZero_RereadsSameSnapshot_HandlerNotRerun()
    {
        using var run = ProbeRun.Start(ReadSemanticsTests.CounterScript);
        int fd = Sys.MustOpen(run.PathOf("n"), Sys.O_RDONLY);
        Assert.Equal("run 1\n", Sys.Text(Sys.ReadToEnd(fd)));
        Assert.Equal(0, Sys.LSeek(fd, 0, Sys.SEEK_SET));
        Assert.Equal("run 1\n", Sys.Text(Sys.ReadToEnd(fd)));
        Sys.Close(fd);
        Assert.Equal("run 2\n", File.ReadAllText(run.PathOf("n")));
        Assert.Equal(0, run.Stop());
    }

    /// <summary>D17: a `.maxsize(16)` read probe on a read/write path shrinks the write chunks to 15:
    /// a 40-byte write arrives as 15 + 15 + 10, each write(2) reporting its short count.</summary>
    [Fact]
    public void D17_SmallReadMaxsize_ShrinksWriteChunks()
    {
        const string script = """
            probe procfs("x").read.maxsize(16) { $value = "r" }
            probe procfs("x").write { printf("%d:%s|", strlen($value), $value) }
            """;
        using var run = ProbeRun.Start(script);
        const string data = "0123456789abcdefghijklmnopqrstuvwxyzABCD";
        Assert.Equal([15, 15, 10], Tcl.PutsNoNewline(run.PathOf("x"), data));
        Assert.Equal(0, run.Stop());
        Assert.Equal("15:0123456789abcde|15:fghijklmnopqrst|10:uvwxyzABCD|", run.Stdout);
    }
}
