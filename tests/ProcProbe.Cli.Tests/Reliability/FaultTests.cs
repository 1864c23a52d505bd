using System.Diagnostics;
using System.Globalization;
using ProcProbe.Cli.Tests.Sessions;

namespace ProcProbe.Cli.Tests.Reliability;

/// <summary>
/// Faults: clients and procprobe killed at bad moments, output that cannot be written, handlers
/// that fail or never end, and stops that arrive while handlers run. Each must end in a served
/// mount or a clean exit — never a hang, a lost mount or a crash.
/// </summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class FaultTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // Handlers that run long enough for a client to be killed while it waits on them: the read
    // loop takes about 1 s, each write chunk about 0.2 s.
    private const string SlowScript = """
        global reads, writes, bytes
        probe procfs("slow").read { for (i = 0; i < 15000000; i++) { reads += 0 } reads++; $value = sprintf("slow %d\n", reads) }
        probe procfs("slow").write { for (i = 0; i < 3000000; i++) { writes += 0 } writes++; bytes += strlen($value) }
        probe procfs("big").read.maxsize(2000) { for (i = 0; i < 100; i++) $value .= "0123456789" }
        probe procfs("fast").read { $value = sprintf("%d %d %d\n", reads, writes, bytes) }
        probe procfs("fast").write { writes++; bytes += strlen($value) }
        probe end { printf("end reads %d writes %d\n", reads, writes) }
        """;

    [Fact]
    public void ClientKilledMidRead_ServerKeepsServing()
    {
        using var run = ReliabilityProcess.Start(SlowScript, ["-DMAXACTION=1000000000"]);

        // 1: killed while its read(2) waits for the slow handler.
        var waiting = LoadClient.Start("readraw", run.PathOf("slow"), "1");
        Thread.Sleep(300);
        KillAndReap(waiting);

        // 2: killed holding an open file after reading part of its snapshot.
        var holder = Process.Start("/bin/bash", ["-c", "exec 3<\"$0\"; head -c 5 <&3 >/dev/null; exec sleep 600", run.PathOf("big")])!;
        Thread.Sleep(300);
        KillAndReap(holder);

        AssertStillServes(run);
        Assert.Equal(0, run.Stop(ReliabilityProcess.SigTerm));
        Assert.False(Mounts.IsMountPoint(run.Directory));
        Assert.Matches(@"^end reads \d+ writes \d+\n$", run.Stdout);
    }

    [Fact]
    public void ClientKilledMidWrite_ServerKeepsServing()
    {
        using var run = ReliabilityProcess.Start(SlowScript, ["-DMAXACTION=1000000000"]);

        // A writer whose 1 MiB write loop is cut into 511-byte handler runs, killed in the middle.
        var writer = LoadClient.Start("stream", run.PathOf("slow"), (1 << 20).ToString(CultureInfo.InvariantCulture), "65536");
        Thread.Sleep(500);
        KillAndReap(writer);

        AssertStillServes(run);

        // Writes after the kill are counted exactly: "fast" reports writes and bytes.
        string before = Cat(run.PathOf("fast"));
        var w = LoadClient.Run(Deadline, "write", run.PathOf("fast"), "200", "after");
        Assert.True(w.ExitCode == 0, w.ToString());
        string[] b = before.Trim().Split(' '), a = Cat(run.PathOf("fast")).Trim().Split(' ');
        Assert.Equal(long.Parse(b[1], CultureInfo.InvariantCulture) + w.Calls, long.Parse(a[1], CultureInfo.InvariantCulture));
        Assert.Equal(long.Parse(b[2], CultureInfo.InvariantCulture) + w.Bytes, long.Parse(a[2], CultureInfo.InvariantCulture));

        Assert.Equal(0, run.Stop(ReliabilityProcess.SigTerm));
        Assert.False(Mounts.IsMountPoint(run.Directory));
    }

    [Fact]
    public void Sigkill_UnderLoad_ThenRestartWithSameName_RecoversAndServes()
    {
        string root = ProbeRun.NewRoot(), name = ProbeRun.NewModuleName();
        try
        {
            var clients = new List<Process>();
            using (var first = ReliabilityProcess.Start(LoadTests.SnapshotScript, ["-DMAXMAPENTRIES=400000"], root: root, moduleName: name))
            {
                for (int i = 0; i < 2 * Environment.ProcessorCount + 2; i++)
                {
                    clients.Add(i % 2 == 0
                        ? LoadClient.Start("read", first.PathOf("snap"), "100000000", "16")
                        : LoadClient.Start("write", first.PathOf("data"), "100000000", "k" + i.ToString(CultureInfo.InvariantCulture)));
                }
                Thread.Sleep(1000);
                first.Crash();
                first.LeaveMount = true; // the restart below must find the dead mount
            }

            // Every client notices the dead server (ENOTCONN and the like) instead of hanging, and
            // none ever saw a torn snapshot before the crash.
            foreach (var c in clients)
            {
                var r = LoadClient.Finish(c, Deadline);
                Assert.True(r.ExitCode == 4 && r.Ops > 0, $"client should have run, then failed on the dead mount: {r}");
            }
            Assert.True(Mounts.IsMountPoint(Path.Combine(root, name)), "the killed procprobe's mount should still be there (dead) for the restart to recover");

            using var second = ReliabilityProcess.Start(LoadTests.SnapshotScript, [], root: root, moduleName: name);
            var reader = LoadClient.Run(Deadline, "read", second.PathOf("snap"), "1000", "4096");
            var writer = LoadClient.Run(Deadline, "write", second.PathOf("data"), "1000", "again");
            Assert.True(reader.ExitCode == 0 && writer.ExitCode == 0, $"{reader} / {writer}");
            Assert.Equal(0, second.Stop(ReliabilityProcess.SigTerm, 60_000));
            Assert.StartsWith($"writes {writer.Calls}\n", second.Stdout);
            Assert.False(Mounts.IsMountPoint(Path.Combine(root, name)));
            Assert.False(Directory.Exists(Path.Combine(root, name)));
        }
        finally
        {
            ReliabilityProcess.RemoveTree(root);
        }
    }

    [Fact]
    public void ClosedStandardOutput_EndsSessionCleanly_WithOneMessage()
    {
        const string script = """
            probe begin { printf("hello\n") }
            probe procfs("f").read { printf("read\n"); $value = "x\n" }
            probe end { printf("bye\n") }
            """;
        using var run = ReliabilityProcess.Start(script, ["-c", ReliabilityProcess.ReadyCommand], stdout: StdoutMode.Closed, waitReady: false);
        AssertEndsCleanlyWithOneMessage(run);
    }

    [Fact]
    public void BrokenPipe_EndsSessionCleanly_WithOneMessage()
    {
        const string script = """
            probe procfs("f").read { printf("read\n"); $value = "x\n" }
            probe end { printf("bye\n") }
            """;
        using var run = ReliabilityProcess.Start(script);
        run.BreakStdoutPipe();
        // The handler's output now meets a pipe nobody reads (EPIPE; SIGPIPE is ignored).
        for (int i = 0; i < 3 && !run.HasExited; i++)
        {
            Shell.Run("/bin/cat", run.PathOf("f"));
        }
        AssertEndsCleanlyWithOneMessage(run);
    }

    [Fact]
    public void OutputFileOnFullFilesystem_EndsSessionCleanly_WithOneMessage()
    {
        string fs = Path.Combine(Path.GetTempPath(), "procprobe-fullfs-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(fs);
        Assert.True(Sys.mount("tmpfs", fs, "tmpfs", 0, "size=16k,mode=0755") == 0, "cannot mount a tmpfs for the test");
        try
        {
            const string script = """
                probe procfs("f").read { for (i = 0; i < 10; i++) printf("%s\n", "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"); $value = "x\n" }
                """;
            using var run = ReliabilityProcess.Start(script, ["-o", Path.Combine(fs, "out.txt")]);
            // 1 KiB of output per read: the 16 KiB file system is full after a few dozen reads.
            for (int i = 0; i < 200 && !run.HasExited; i++)
            {
                Shell.Run("/bin/cat", run.PathOf("f"));
            }
            AssertEndsCleanlyWithOneMessage(run);
        }
        finally
        {
            Sys.umount2(fs, Sys.MNT_DETACH);
            Directory.Delete(fs, recursive: true);
        }
    }

    [Fact]
    public void HandlerErrorsUnderLoad_FollowMaxErrors()
    {
        string script = $$"""
            global writes, pad
            probe begin { pad = "{{LoadClient.SnapshotPad}}" }
            probe procfs("snap").read { $value = sprintf("%d:%s:%d\n", writes, pad, writes) }
            probe procfs("data").write { if ($value == "boom") error("boom requested"); writes++ }
            probe error { printf("error probe ran\n") }
            probe end { printf("end probe ran\n") }
            """;
        using var run = ReliabilityProcess.Start(script, ["-DMAXERRORS=3"]);
        var clients = new List<Process>();
        for (int i = 0; i < 2 * Environment.ProcessorCount + 2; i++)
        {
            clients.Add(i % 2 == 0
                ? LoadClient.Start("read", run.PathOf("snap"), "100000000", "64")
                : LoadClient.Start("write", run.PathOf("data"), "100000000", "e" + i.ToString(CultureInfo.InvariantCulture)));
        }
        Thread.Sleep(300);

        // MAXERRORS=3 tolerates three errors: each failing write gets EIO, the session goes on.
        for (int i = 0; i < 3; i++)
        {
            var (rc, _, stderr) = Shell.Run("/bin/sh", "-c", "printf boom > \"$0\"", run.PathOf("data"));
            Assert.True(rc != 0 && IsEio(stderr), $"failing write {i} should fail with EIO: {rc} {stderr}");
            Thread.Sleep(100);
            Assert.False(run.HasExited, $"the session ended after {i + 1} error(s) with MAXERRORS=3: {run.Stderr}");
        }
        Assert.Matches(@"^\d+:p+:\d+\n$", Cat(run.PathOf("snap")));

        // The fourth ends it: error probes, no end probes, exit 1, nothing left.
        Shell.Run("/bin/sh", "-c", "printf boom > \"$0\"", run.PathOf("data"));
        Assert.Equal(1, run.WaitForExit(30_000));
        foreach (var c in clients)
        {
            var r = LoadClient.Finish(c, Deadline);
            Assert.True(r.ExitCode is 0 or 4, $"client saw a torn snapshot or crashed: {r}");
        }
        string[] errors = run.StderrLines.Where(l => l.StartsWith("ERROR:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, errors.Length);
        Assert.All(errors, e => Assert.StartsWith("ERROR: boom requested near ", e));
        Assert.Contains("WARNING: Number of errors: 4, skipped probes: 0", run.StderrLines);
        Assert.Equal("Pass 5: run failed.  [man error::pass5]", run.StderrLines[^1]);
        Assert.Equal("error probe ran\n", run.Stdout);
        Assert.False(Mounts.IsMountPoint(run.Directory));
        Assert.False(Directory.Exists(run.Directory));
    }

    [Fact]
    public void Sigint_DuringBeginProbes_RunsThemOut_ThenEndsCleanly()
    {
        // The begin probe runs about 4 s; its output only appears when it ends (output is flushed per handler).
        const string script = """
            probe begin { printf("begin start\n"); for (i = 0; i < 60000000; i++) { } printf("begin done\n") }
            probe procfs("f").read { $value = "x\n" }
            probe end { printf("end ran\n") }
            """;
        using var run = ReliabilityProcess.Start(script, ["-DMAXACTION=1000000000", "-c", ReliabilityProcess.ReadyCommand], waitReady: false);
        Thread.Sleep(700);
        Assert.True(run.Stdout.Length == 0 && !run.HasExited, $"the begin probe was over before the signal; raise its loop count: '{run.Stdout}' {run.Stderr}");
        run.Signal(ReliabilityProcess.SigInt);
        Assert.Equal(0, run.WaitForExit(60_000));
        Assert.Equal("begin start\nbegin done\nend ran\n", run.Stdout);
        Assert.Equal("", run.Stderr);
        Assert.False(Mounts.IsMountPoint(run.Directory));
        Assert.False(Directory.Exists(run.Directory));
    }

    [Fact]
    public void Exit_FromReadHandler_WhileOtherReadsAreInFlight()
    {
        string script = $$"""
            global n, pad
            probe begin { pad = "{{LoadClient.SnapshotPad}}" }
            probe procfs("snap").read { n++; $value = sprintf("%d:%s:%d\n", n, pad, n) }
            probe procfs("quit").read { exit(); $value = "bye\n" }
            probe end { printf("end ran\n") }
            """;
        using var run = ReliabilityProcess.Start(script);
        var readers = Enumerable.Range(0, 2 * Environment.ProcessorCount + 2)
            .Select(i => LoadClient.Start("read", run.PathOf("snap"), "100000000", i % 2 == 0 ? "7" : "4096")).ToList();
        Thread.Sleep(500);
        var (rc, content, stderr) = Shell.Run("/bin/cat", run.PathOf("quit"));
        Assert.True(rc == 0 && content == "bye\n", $"the exiting handler runs to its end and its reader gets the content: rc {rc} '{content}' {stderr}");
        Assert.Equal(0, run.WaitForExit(30_000));
        foreach (var r in readers.Select(p => LoadClient.Finish(p, Deadline)))
        {
            // Reads in flight complete or fail; none is torn and none hangs.
            Assert.True(r.ExitCode is 0 or 4 && r.Ops > 0, r.ToString());
        }
        Assert.Equal("end ran\n", run.Stdout);
        Assert.Equal("", run.Stderr);
        Assert.False(Mounts.IsMountPoint(run.Directory));
    }

    [Fact]
    public void EndlessHandlers_StopAtMaxActionAndMaxNesting_AndTheSessionGoesOn()
    {
        const string script = """
            function down(n) { if (n < 0) return 0; return down(n + 1) }
            probe procfs("spin").read { while (1) { spins++ } }
            probe procfs("recurse").read { $value = sprintf("%d\n", down(0)) }
            probe procfs("ok").read { $value = "ok\n" }
            """;
        using var run = ReliabilityProcess.Start(script, ["-DMAXERRORS=100"]);
        var spinners = Enumerable.Range(0, 6).Select(i => Process.Start(new ProcessStartInfo("/bin/cat", [run.PathOf(i % 2 == 0 ? "spin" : "recurse")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!).ToList();
        foreach (var p in spinners)
        {
            Assert.True(p.WaitForExit(30_000), "a read of an endless handler did not return");
        }
        Assert.Equal("ok\n", Cat(run.PathOf("ok")));
        Assert.Equal(0 /* session still up */, run.HasExited ? 1 : 0);
        Assert.Equal(1, run.Stop(ReliabilityProcess.SigTerm));
        string[] errors = run.StderrLines.Where(l => l.StartsWith("ERROR:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, errors.Count(e => e.StartsWith("ERROR: MAXACTION exceeded near ", StringComparison.Ordinal)));
        Assert.Equal(3, errors.Count(e => e.StartsWith("ERROR: MAXNESTING exceeded near ", StringComparison.Ordinal)));
        Assert.Contains("WARNING: Number of errors: 6, skipped probes: 0", run.StderrLines);
    }

    [Fact]
    public void EndlessHandler_WithDefaultMaxErrors_EndsTheSession()
    {
        const string script = """
            probe procfs("spin").read { while (1) { spins++ } }
            probe end { printf("end ran\n") }
            """;
        using var run = ReliabilityProcess.Start(script);
        // The read returns what the handler left (nothing) or, once shutdown began, EIO (CONTRACT §4).
        var (rc, _, stderr) = Shell.Run("/bin/cat", run.PathOf("spin"));
        Assert.True(rc == 0 || IsEio(stderr), $"cat: {rc} {stderr}");
        Assert.Equal(1, run.WaitForExit(30_000));
        Assert.StartsWith("ERROR: MAXACTION exceeded near ", run.StderrLines[0]);
        Assert.Equal("", run.Stdout);
        Assert.False(Mounts.IsMountPoint(run.Directory));
        Assert.False(Directory.Exists(run.Directory));
    }

    // ------------------------------------------------------------------ helpers

    private static bool IsEio(string stderr) =>
        stderr.Contains("Input/output error", StringComparison.Ordinal) || stderr.Contains("I/O error", StringComparison.Ordinal);

    private static void KillAndReap(Process p)
    {
        Assert.False(p.HasExited, "the client finished before it could be killed mid-operation");
        p.Kill();
        // Once a FUSE request is sent, a killed caller waits (uninterruptibly) for its answer, so it dies
        // when the running handler ends: bounded by the handler's run time, never by procprobe hanging.
        Assert.True(p.WaitForExit(30_000), $"killed client {p.Id} did not die: {LoadClient.ProcessState(p.Id)}");
    }

    private static void AssertStillServes(ReliabilityProcess run)
    {
        Assert.False(run.HasExited, run.Stderr);
        Assert.StartsWith("slow ", Cat(run.PathOf("slow")));
        Assert.Equal(1000, Cat(run.PathOf("big")).Length);
        var w = LoadClient.Run(Deadline, "write", run.PathOf("fast"), "100", "x");
        Assert.True(w.ExitCode == 0, w.ToString());
    }

    internal static string Cat(string path)
    {
        var (rc, stdout, stderr) = Shell.Run("/bin/cat", path);
        Assert.True(rc == 0, $"cat {path}: {stderr}");
        return stdout;
    }

    /// <summary>The session ends by itself, exit 1 (its output was lost), one line on stderr, nothing mounted or left.</summary>
    private static void AssertEndsCleanlyWithOneMessage(ReliabilityProcess run)
    {
        int exit;
        try
        {
            exit = run.WaitForExit(15_000);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"procprobe went on serving after its output failed (mounted: {Mounts.IsMountPoint(run.Directory)}); stderr: '{run.Stderr}'");
            return;
        }
        Assert.True(exit == 1, $"exit {exit}; stderr: {run.Stderr}");
        Assert.True(run.StderrLines.Length == 1, $"expected one message, got: '{run.Stderr}'");
        Assert.False(Mounts.IsMountPoint(run.Directory), "mount left behind");
        Assert.False(Directory.Exists(run.Directory), "module directory left behind");
    }
}
