using System.Text;

namespace ProcProbe.Native.Tests;

/// <summary>
/// OPEN, READ, WRITE and RELEASE answered by the loop itself (FuseMountOptions.DirectReplies) and
/// through libfuse give the same results, with one loop thread and with two.
/// </summary>
[Collection(FuseCollection.Name)]
public sealed class DirectReplyTests
{
    // What every configuration must produce; one line per operation.
    private const string Expected = """
        read hello: hello world\n
        read hello again: <eof>
        pread hello 6: world\n
        read counter by bytes: open 1\n
        read counter, second open: open 2\n
        write sink 1000 bytes: 511
        write sink empty: 0
        sink holds: 511
        write echo: 4
        read echo: xyz\n
        write fail: -5
        read fail: -5
        read fail again: -5
        read silent: <eof>
        write hello: -5
        open nosuch: -2
        read hello, stopping, snapshot taken: hello
        pread hello, stopping: world\n
        read counter, stopping, no snapshot: -5
        write sink, stopping: -5
        open stats, stopping: ok
        read stats, stopping: -5

        """;

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    [InlineData(false, 2)]
    public void Results_are_the_same_with_and_without_direct_replies(bool direct, int threads)
    {
        var handler = new TestHandler();
        var options = new FuseMountOptions
        {
            DirectReplies = direct,
            MultiThreaded = threads > 1,
            MaxThreads = threads,
            DrainTimeout = TimeSpan.FromMilliseconds(20),
        };
        using var module = new MountedModule(handler, TestHandler.Files, options);
        var log = new StringBuilder();
        void Line(string what, string result) => log.Append(what).Append(": ").Append(result.Length == 0 ? "<eof>" : result.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');

        int fd = Sys.MustOpen(module.PathOf("hello"), Sys.O_RDONLY);
        Line("read hello", Sys.Read(fd));
        Line("read hello again", Sys.Read(fd));
        Line("pread hello 6", Sys.PRead(fd, 6));
        Sys.Close(fd);

        fd = Sys.MustOpen(module.PathOf("counter"), Sys.O_RDONLY);
        var bytes = new StringBuilder();
        string one;
        while ((one = Sys.Read(fd, 1)).Length > 0)
        {
            bytes.Append(one);
        }

        Line("read counter by bytes", bytes.ToString());
        Sys.Close(fd);
        fd = Sys.MustOpen(module.PathOf("counter"), Sys.O_RDONLY);
        Line("read counter, second open", Sys.Read(fd));
        Sys.Close(fd);

        fd = Sys.MustOpen(module.PathOf("sink"), Sys.O_WRONLY);
        Line("write sink 1000 bytes", Sys.Write(fd, new string('s', 1000)).ToString());
        Line("write sink empty", Sys.Write(fd, string.Empty).ToString());
        Line("sink holds", handler.SinkBytes().Length.ToString());
        Sys.Close(fd);

        fd = Sys.MustOpen(module.PathOf("echo"), Sys.O_WRONLY);
        Line("write echo", Sys.Write(fd, "xyz\n").ToString());
        Sys.Close(fd);
        fd = Sys.MustOpen(module.PathOf("echo"), Sys.O_RDONLY);
        Line("read echo", Sys.Read(fd));
        Sys.Close(fd);

        fd = Sys.MustOpen(module.PathOf("fail"), Sys.O_WRONLY);
        Line("write fail", Sys.Write(fd, "x").ToString());
        Sys.Close(fd);
        fd = Sys.MustOpen(module.PathOf("fail"), Sys.O_RDONLY);
        Line("read fail", Sys.Read(fd));
        Line("read fail again", Sys.Read(fd));
        Sys.Close(fd);

        fd = Sys.MustOpen(module.PathOf("silent"), Sys.O_RDONLY);
        Line("read silent", Sys.Read(fd));
        Sys.Close(fd);

        // Root may open a read-only file for writing; it has no write handler.
        fd = Sys.MustOpen(module.PathOf("hello"), Sys.O_WRONLY);
        Line("write hello", Sys.Write(fd, "x").ToString());
        Sys.Close(fd);

        Line("open nosuch", Sys.OpenAt(-100, module.PathOf("nosuch"), Sys.O_RDONLY).ToString());

        // The stop: handlers no longer start, snapshots taken before are still served.
        int reader = Sys.MustOpen(module.PathOf("hello"), Sys.O_RDONLY);
        int counter = Sys.MustOpen(module.PathOf("counter"), Sys.O_RDONLY);
        int writer = Sys.MustOpen(module.PathOf("sink"), Sys.O_WRONLY);
        int directory = Sys.MustOpen(module.PathOf("net"), Sys.O_RDONLY | Sys.O_DIRECTORY);
        string firstBytes = Sys.Read(reader, 5);
        module.Mount.RequestStop();
        Line("read hello, stopping, snapshot taken", firstBytes);
        Line("pread hello, stopping", Sys.PRead(reader, 6));
        Line("read counter, stopping, no snapshot", Sys.Read(counter));
        Line("write sink, stopping", Sys.Write(writer, "x").ToString());
        int late = Sys.OpenAt(directory, "stats", Sys.O_RDONLY);
        Line("open stats, stopping", late >= 0 ? "ok" : late.ToString());
        Line("read stats, stopping", Sys.Read(late));
        foreach (int open in (int[])[late, reader, counter, writer, directory])
        {
            Sys.Close(open);
        }

        // (Releases sent after the detach may meet a connection already ended: no open-handle count here.)
        Assert.Equal(Expected, log.ToString());
        if (direct)
        {
            // The synchronous requests above: 14 opens and 24 or 25 reads and writes (the kernel may
            // not send the empty write), besides the releases that made it before the detach.
            Assert.True(module.Mount.DirectReplies >= 35, $"only {module.Mount.DirectReplies} requests were answered directly");
        }
        else
        {
            Assert.Equal(0, module.Mount.DirectReplies);
        }
    }

    [Fact]
    public void A_cat_cycle_is_four_direct_replies()
    {
        var handler = new TestHandler();
        using var module = new MountedModule(handler, TestHandler.Files);

        // The first open of a name also sends LOOKUP (libfuse's); later ones hit the entry cache.
        Sys.Close(Sys.MustOpen(module.PathOf("hello"), Sys.O_RDONLY));
        WaitForNoOpenFiles(module);
        long before = module.Mount.DirectReplies;

        // OPEN, READ (runs the handler), READ at EOF, RELEASE.
        int fd = Sys.MustOpen(module.PathOf("hello"), Sys.O_RDONLY);
        Assert.Equal("hello world\n", Sys.Read(fd));
        Assert.Equal(string.Empty, Sys.Read(fd));
        Sys.Close(fd);
        WaitForNoOpenFiles(module);
        Assert.Equal(4, module.Mount.DirectReplies - before);
    }

    /// <summary>RELEASE is asynchronous: it may still be on its way when close(2) returns.</summary>
    private static void WaitForNoOpenFiles(MountedModule module)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (module.Mount.OpenHandles != 0 && clock.ElapsedMilliseconds < 5000)
        {
            Thread.Sleep(2);
        }

        Assert.Equal(0, module.Mount.OpenHandles);
    }
}
