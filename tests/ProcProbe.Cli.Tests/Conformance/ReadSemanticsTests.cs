using ProcProbe.Cli.Tests.Sessions;

namespace ProcProbe.Cli.Tests.Conformance;

/// <summary>
/// CONTRACT §3–§4 and procfs-semantics.md §3.2 at the system-call level: when the read handler runs,
/// what later reads, seeks and preads return, and what the directory allows.
/// </summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class ReadSemanticsTests
{
    /// <summary>File `n`: each handler run counts, and the content says which run it was.</summary>
    public const string CounterScript = "global runs probe procfs(\"n\").read { runs++; $value = sprintf(\"run %d\\n\", runs) }";

    [Fact]
    public void HandlerRunsAtFirstRead_NotAtOpen_NotAtOpenWithoutRead()
    {
        using var run = ProbeRun.Start(CounterScript);
        string path = run.PathOf("n");
        int a = Sys.MustOpen(path, Sys.O_RDONLY);
        Sys.Close(Sys.MustOpen(path, Sys.O_RDONLY)); // open + close, no read: no run
        int b = Sys.MustOpen(path, Sys.O_RDONLY);
        Assert.Equal("run 1\n", Sys.Text(Sys.ReadToEnd(b)));
        Assert.Equal("run 2\n", Sys.Text(Sys.ReadToEnd(a)));
        Sys.Close(a);
        Sys.Close(b);
        Assert.Equal(0, run.Stop());
    }

    /// <summary>A zero-length read(2) never reaches a FUSE file system opened with direct I/O (the
    /// kernel returns 0 without a request), so it cannot run the handler (stap's runs it). The
    /// handler runs at the first read that asks for bytes.</summary>
    [Fact]
    public void ZeroLengthRead_ReturnsZero_DoesNotRunTheHandler()
    {
        using var run = ProbeRun.Start(CounterScript);
        string path = run.PathOf("n");
        int a = Sys.MustOpen(path, Sys.O_RDONLY);
        Assert.Equal(0, Sys.ReadRaw(a, 0));
        Assert.Equal("run 1\n", File.ReadAllText(path));
        Assert.Equal("run 2\n", Sys.Text(Sys.ReadToEnd(a)));
        Sys.Close(a);
        Assert.Equal(0, run.Stop());
    }

    [Fact]
    public void OneByteReads_ServeTheWholeSnapshot_ThenEofRepeatedly()
    {
        using var run = ProbeRun.Start(CounterScript);
        int fd = Sys.MustOpen(run.PathOf("n"), Sys.O_RDONLY);
        var got = new List<byte>();
        while (true)
        {
            byte[] b = Sys.Read(fd, 1);
            if (b.Length == 0) break;
            Assert.Single(b);
            got.AddRange(b);
        }
        Assert.Equal("run 1\n", Sys.Text([.. got]));
        Assert.Equal(0, Sys.ReadRaw(fd, 100));
        Assert.Equal(0, Sys.ReadRaw(fd, 100));
        Sys.Close(fd);
        Assert.Equal("run 2\n", File.ReadAllText(run.PathOf("n")));
        Assert.Equal(0, run.Stop());
    }

    [Fact]
    public void PreadAndSeek_ReserveTheSnapshot_SeekEndIsRelativeToSizeZero()
    {
        using var run = ProbeRun.Start(CounterScript);
        int fd = Sys.MustOpen(run.PathOf("n"), Sys.O_RDONLY);
        // The first read may be a pread at an offset: it runs the handler and serves from there.
        Assert.Equal("n 1\n", Sys.Text(Sys.PRead(fd, 100, 2)));
        Assert.Equal("run 1\n", Sys.Text(Sys.PRead(fd, 100, 0)));
        Assert.Equal("1", Sys.Text(Sys.PRead(fd, 1, 4)));
        Assert.Equal("", Sys.Text(Sys.PRead(fd, 100, 6)));
        Assert.Equal("", Sys.Text(Sys.PRead(fd, 100, 1000)));
        Assert.Equal("run 1\n", Sys.Text(Sys.ReadToEnd(fd)));
        Assert.Equal(4, Sys.LSeek(fd, 4, Sys.SEEK_SET));
        Assert.Equal("1\n", Sys.Text(Sys.ReadToEnd(fd)));
        Assert.Equal(0, Sys.LSeek(fd, 0, Sys.SEEK_END));
        Assert.Equal("run 1\n", Sys.Text(Sys.ReadToEnd(fd)));
        Sys.Close(fd);
        Assert.Equal(0, run.Stop());
    }

    [Fact]
    public void Reopen_RerunsTheHandler_EachTime()
    {
        using var run = ProbeRun.Start(CounterScript);
        for (int i = 1; i <= 5; i++)
        {
            Assert.Equal($"run {i}", Tcl.ReadNoNewline(run.PathOf("n")));
        }
        Assert.Equal(0, run.Stop());
    }

    /// <summary>st_size is 0 for every file whatever its content (stat(1) and fstat on an open, read
    /// descriptor); tools that read to EOF still get everything.</summary>
    [Fact]
    public void StSize_IsZero_ContentStillReadable()
    {
        using var run = ProbeRun.Start("probe procfs(\"big\").read.maxsize(4096) { for (i = 0; i < 30; i++) $value .= \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\\n\" }");
        string path = run.PathOf("big");
        Assert.Equal("0", Shell.Bash($"stat -c %s '{path}'").Trim());
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1))
        {
            Assert.Equal(0, fs.Length);
            Assert.Equal(1950, Shell.Bash($"cat '{path}'").Length);
        }
        Assert.Equal(1950, File.ReadAllBytes(path).Length);
        Assert.Equal(0, run.Stop());
    }

    /// <summary>Nothing can be created, removed or renamed, as in procfs: creating a file is EACCES;
    /// unlink, rename, mkdir and rmdir are EPERM (for root, who passes the 0555 directory's permission
    /// check; anyone else gets EACCES from that check, as in procfs). O_TRUNC and O_APPEND are
    /// accepted and ignored.</summary>
    [Fact]
    public void Directory_IsUnchangeable_LikeProcfs()
    {
        using var run = ProbeRun.Start("probe procfs(\"f\").read { $value = \"f\\n\" } probe procfs(\"f\").write { printf(\"%s\", $value) } probe procfs(\"d/g\").read { $value = \"g\\n\" }");
        int denied = Sys.GetEuid() == 0 ? Sys.EPERM : Sys.EACCES;
        Assert.Equal("555", RunExtensions.StatMode(run.Directory));
        Assert.Equal(-Sys.EACCES, Sys.Open(run.PathOf("new"), Sys.O_WRONLY | Sys.O_CREAT, 0x1a4));
        Assert.Equal(-Sys.EACCES, Sys.Open(run.PathOf("d/new"), Sys.O_WRONLY | Sys.O_CREAT | Sys.O_EXCL, 0x1a4));
        Assert.Equal(-denied, Sys.Unlink(run.PathOf("f")));
        Assert.Equal(-denied, Sys.Unlink(run.PathOf("d/g")));
        Assert.Equal(-denied, Sys.Rename(run.PathOf("f"), run.PathOf("f2")));
        Assert.Equal(-denied, Sys.Mkdir(run.PathOf("sub"), 0x1ed));
        Assert.Equal(-denied, Sys.Rmdir(run.PathOf("d")));
        Assert.Equal(["d", "f"], Directory.GetFileSystemEntries(run.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        int fd = Sys.MustOpen(run.PathOf("f"), Sys.O_WRONLY | Sys.O_TRUNC | Sys.O_APPEND);
        Assert.Equal(2, Sys.Write(fd, Sys.Bytes("a\n")));
        Sys.Close(fd);
        Shell.Bash($"echo b >> '{run.PathOf("f")}'; echo c > '{run.PathOf("f")}'");
        Assert.Equal("f\n", File.ReadAllText(run.PathOf("f")));
        Assert.Equal(0, run.Stop());
        Assert.Equal("a\nb\nc\n", run.Stdout);
    }

    /// <summary>Content is bytes: every byte value but NUL survives a write handler storing it and a
    /// read handler serving it.</summary>
    [Fact]
    public void Content_IsBytes()
    {
        using var run = ProbeRun.Start("global v probe procfs(\"b\").read { $value = v } probe procfs(\"b\").write { v = $value }");
        byte[] all = Enumerable.Range(1, 255).Select(i => (byte)i).ToArray();
        int fd = Sys.MustOpen(run.PathOf("b"), Sys.O_WRONLY);
        Assert.Equal(255, Sys.Write(fd, all));
        Sys.Close(fd);
        Assert.Equal(all, File.ReadAllBytes(run.PathOf("b")));
        Assert.Equal(0, run.Stop());
    }
}
