using System.Diagnostics;

namespace ProcProbe.Native.Tests;

/// <summary>
/// The stop seen through the kernel (procfs-semantics §7.3 D11, D15): a request in flight gets its
/// reply, and requests that arrive after the stop are answered EIO by procprobe instead of finding
/// the connection torn down.
/// </summary>
[Collection(FuseCollection.Name)]
public sealed class ShutdownTests
{
    private const string EioText = "-5";

    /// <summary>
    /// D11: the read handler ends the session (another thread runs RequestStop + WaitForExit, as the
    /// CLI does, while the handler is still running). The reader gets its content, then its EOF read
    /// is answered too (from the snapshot) after WaitForExit has returned; later the loop ends by
    /// itself once the reader has closed.
    /// </summary>
    [Fact]
    public void A_read_whose_handler_ends_the_session_gets_its_content_and_its_EOF()
    {
        for (int round = 0; round < 5; round++)
        {
            var handler = new TestHandler();
            using var module = new MountedModule(handler, TestHandler.Files, new FuseMountOptions { DrainTimeout = TimeSpan.FromMilliseconds(20) });
            FuseMount mount = module.Mount;
            using var handlerEntered = new ManualResetEventSlim();
            using var stopSettled = new ManualResetEventSlim();
            var stopper = new Thread(() =>
            {
                handlerEntered.Wait();
                mount.RequestStop();
                mount.WaitForExit();
                stopSettled.Set();
            });
            stopper.Start();

            // The handler does not return before the stop has begun.
            handler.OnCounterRead = () =>
            {
                handlerEntered.Set();
                SpinWait.SpinUntil(() => mount.IsStopping);
            };

            int fd = Sys.MustOpen(module.PathOf("counter"), Sys.O_RDONLY);
            try
            {
                Assert.Equal("open 1\n", Sys.Read(fd));
                stopSettled.Wait();
                Assert.False(MountInfo.IsMountPoint(module.Dir));
                Assert.Equal(string.Empty, Sys.Read(fd));
                Assert.Equal("open 1\n", Sys.PRead(fd, 0));
            }
            finally
            {
                Sys.Close(fd);
            }

            stopper.Join();
            WaitUntil(() => mount.HasExited, "the loop did not end after the reader closed the detached mount's last file");
            Assert.Equal(0, mount.LoopResult);
            Assert.Equal(1, handler.ReadCalls(TestHandler.Counter));
        }
    }

    /// <summary>
    /// D15: files opened before the stop, a directory handle and a shell inside the directory keep the
    /// detached connection alive. WaitForExit returns anyway; what still arrives is answered by the
    /// server: a first read and a write fail with EIO without running a handler, a lookup and an open
    /// through the directory handle succeed and that open's read fails with EIO. The loop ends by
    /// itself when the last of them goes away.
    /// </summary>
    [Fact]
    public void Requests_after_the_stop_are_answered_EIO_and_the_loop_ends_with_the_last_user()
    {
        var handler = new TestHandler();
        using var module = new MountedModule(handler, TestHandler.Files, new FuseMountOptions { DrainTimeout = TimeSpan.FromMilliseconds(20) });
        FuseMount mount = module.Mount;
        int reader = Sys.MustOpen(module.PathOf("counter"), Sys.O_RDONLY);
        int writer = Sys.MustOpen(module.PathOf("sink"), Sys.O_WRONLY);
        int directory = Sys.MustOpen(module.PathOf("net"), Sys.O_RDONLY | Sys.O_DIRECTORY);
        using Process shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "cd net && exec sleep 30"]) { WorkingDirectory = module.Dir })!;
        try
        {
            WaitUntil(() => ReadLink($"/proc/{shell.Id}/cwd") == module.PathOf("net"), "the shell never entered the mount");

            mount.RequestStop();
            Assert.True(mount.IsStopping);
            Assert.False(MountInfo.IsMountPoint(module.Dir));
            Assert.True(mount.WaitForExit(TimeSpan.FromSeconds(10)), "WaitForExit did not return with files held open");
            Assert.False(mount.HasExited);

            Assert.Equal(EioText, Sys.Read(reader));
            Assert.Equal(-Sys.EIO, Sys.Write(writer, "x\n"));
            int late = Sys.OpenAt(directory, "stats", Sys.O_RDONLY);
            Assert.True(late >= 0, $"openat after the stop: errno {-late}");
            Assert.Equal(EioText, Sys.Read(late));
            Sys.Close(late);
            Assert.Equal(0, handler.ReadCalls(TestHandler.Counter));
            Assert.Equal(0, handler.ReadCalls(TestHandler.Stats));
            Assert.Empty(handler.SinkChunkSizes());
            Assert.False(mount.HasExited);
        }
        finally
        {
            Sys.Close(reader);
            Sys.Close(writer);
            Sys.Close(directory);
            shell.Kill();
            shell.WaitForExit();
        }

        WaitUntil(() => mount.HasExited, "the loop did not end after the last user of the detached mount left");
        Assert.Equal(0, mount.LoopResult);
    }

    /// <summary>The same through several loop threads: every thread ends with the connection.</summary>
    [Fact]
    public void Multithreaded_loop_answers_EIO_after_the_stop_and_ends_with_the_last_user()
    {
        var handler = new TestHandler();
        var options = new FuseMountOptions { MultiThreaded = true, MaxThreads = 3, DrainTimeout = TimeSpan.FromMilliseconds(20) };
        using var module = new MountedModule(handler, TestHandler.Files, options);
        FuseMount mount = module.Mount;
        Assert.Equal("hello world\n", File.ReadAllText(module.PathOf("hello")));
        int reader = Sys.MustOpen(module.PathOf("hello"), Sys.O_RDONLY);
        try
        {
            mount.RequestStop();
            Assert.True(mount.WaitForExit(TimeSpan.FromSeconds(10)), "WaitForExit did not return with a file held open");
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(EioText, Sys.Read(reader));
            }
        }
        finally
        {
            Sys.Close(reader);
        }

        WaitUntil(() => mount.HasExited, "the loop threads did not end after the last user left");
        Assert.Equal(1, handler.ReadCalls(TestHandler.Hello));
    }

    /// <summary>
    /// A connection aborted under the loop (here through fusectl's abort file; the same read error
    /// meets a loop that is taking a release off the queue as the last user of a detached mount
    /// leaves) ends the loop as an ordinary end of the connection: result 0, not -ECONNABORTED; and
    /// the dead mount, which libfuse would leave behind, is gone.
    /// </summary>
    [Fact]
    public void A_connection_aborted_under_the_loop_ends_it_as_an_ordinary_end()
    {
        const string Connections = "/sys/fs/fuse/connections";
        bool mountedControl = false;
        if (!Directory.EnumerateFileSystemEntries(Connections).Any())
        {
            ProcessResult mount = ProcessRunner.Run("mount", ["-t", "fusectl", "fusectl", Connections]);
            Assert.True(mount.ExitCode == 0, "cannot mount fusectl: " + mount.StdErr);
            mountedControl = true;
        }

        try
        {
            var handler = new TestHandler();
            using var module = new MountedModule(handler, TestHandler.Files);
            Assert.Equal("hello world\n", File.ReadAllText(module.PathOf("hello")));

            File.WriteAllText(Path.Combine(Connections, ConnectionNumber(module.Dir), "abort"), "1");

            Assert.True(module.Mount.WaitForExit(TimeSpan.FromSeconds(10)), "the loop did not end after the connection was aborted");
            Assert.Equal(0, module.Mount.LoopResult);
            Assert.False(MountInfo.IsMountPoint(module.Dir), "the aborted connection's mount is still there");
        }
        finally
        {
            if (mountedControl)
            {
                ProcessRunner.Run("umount", [Connections]);
            }
        }
    }

    /// <summary>A FUSE connection's name under fusectl: the minor number of its mount's device.</summary>
    private static string ConnectionNumber(string mountPoint)
    {
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            string[] fields = line.Split(' ');
            if (fields[4] == mountPoint)
            {
                return fields[2].Split(':')[1];
            }
        }

        throw new InvalidOperationException($"{mountPoint} is not in /proc/self/mountinfo");
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void WaitUntil(Func<bool> condition, string message)
    {
        if (!SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(10)))
        {
            Assert.Fail(message);
        }
    }
}
