using System.Diagnostics;
using ProcProbe.Cli.Tests.Sessions;

namespace ProcProbe.Cli.Tests.Conformance;

/// <summary>
/// procfs-semantics.md §2.4 and CONTRACT §3, §6, §7: begin probes finish before any file exists,
/// files are gone before end probes run, and a run-time error removes the files, runs error probes,
/// skips end probes and exits 1.
/// </summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class OrderingTests
{
    /// <summary>A begin probe busy-loops for 300 ms, then sets the value the file serves. A watcher
    /// polling every millisecond must never see the file before that value is set, and the -c command
    /// (started when the files are ready) reads it at once.</summary>
    [Fact]
    public async Task BeginProbesFinish_BeforeAnyFileExists()
    {
        const string script = """
            global v
            probe begin {
                t = gettimeofday_ms()
                while (gettimeofday_ms() < t + 300) { spins++ } // an empty body would be elided, as by stap
                v = "set at the end of begin\n"
            }
            probe procfs("v").read { $value = v }
            """;
        string root = ProbeRun.NewRoot(), name = ProbeRun.NewModuleName();
        string file = Path.Combine(root, name, "v");
        string? firstSeen = null;
        var stop = new CancellationTokenSource();
        var watcher = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (File.Exists(file))
                {
                    try { firstSeen = File.ReadAllText(file); } catch (IOException e) { firstSeen = "error: " + e.Message; }
                    return;
                }
                Thread.Sleep(1);
            }
        });
        try
        {
            var (rc, stdout, stderr) = Shell.Run(ProcProbeBinary.Path, "--root", root, "-m", name,
                "-DMAXACTION=1000000000", "-c", "test -f \"$PROCPROBE_DIR/v\" && cat \"$PROCPROBE_DIR/v\"", "-e", script);
            Assert.True(rc == 0, stderr);
            Assert.Equal("set at the end of begin\n", stdout);
            Assert.True(await Task.WhenAny(watcher, Task.Delay(1000)) == watcher, "the watcher never saw the file");
            Assert.Equal("set at the end of begin\n", firstSeen);
        }
        finally
        {
            stop.Cancel();
            ProbeRun.Cleanup(Path.Combine(root, name));
            try { Directory.Delete(root); } catch (IOException) { }
        }
    }

    /// <summary>After SIGINT the directory disappears before end probes run: the end probe here takes
    /// 600 ms before it prints, and the directory must be gone well before that output arrives.</summary>
    [Fact]
    public void FilesAreGone_BeforeEndProbesRun()
    {
        const string script = """
            probe procfs("x").read { $value = "x\n" }
            probe end {
                t = gettimeofday_ms()
                while (gettimeofday_ms() < t + 600) { spins++ } // an empty loop body would be elided, as by stap
                println("end ran")
            }
            """;
        using var run = ProbeRun.Start(script, "-DMAXACTION=1000000000");
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, ProbeRun.kill(run.Pid, ProbeRun.SIGINT));
        long gone = -1, ended = -1;
        while (clock.ElapsedMilliseconds < 5000 && ended < 0)
        {
            if (gone < 0 && !Directory.Exists(run.Directory) && !Mounts.IsMountPoint(run.Directory)) gone = clock.ElapsedMilliseconds;
            if (run.Stdout.Contains("end ran")) ended = clock.ElapsedMilliseconds;
            Thread.Sleep(1);
        }
        Assert.True(gone >= 0, "the directory was still there when the end probe finished");
        Assert.True(ended >= 0, "the end probe never printed");
        Assert.True(gone + 300 < ended, $"directory gone at {gone} ms, end output at {ended} ms: removal must precede the end probe");
        Assert.Equal(0, run.WaitForExit());
        Assert.Equal("end ran\n", run.Stdout);
    }

    /// <summary>An uncaught run-time error in a read handler: the reader still gets what was assigned
    /// before the error, then the session ends: files removed, error probes run, end probes skipped,
    /// stap's ERROR line, exit 1.</summary>
    [Fact]
    public void RuntimeError_RemovesFiles_RunsErrorProbes_SkipsEnd_ExitsOne()
    {
        const string script = """
            probe procfs("x").read {
                $value = "partial\n"
                error("boom")
            }
            probe error { println("error probe ran") }
            probe end { println("end probe ran") }
            """;
        using var run = ProbeRun.Start(script);
        Assert.Equal("partial\n", File.ReadAllText(run.PathOf("x")));
        Assert.Equal(1, run.WaitForExit());
        Assert.Equal("error probe ran\n", run.Stdout);
        string first = run.Stderr.Split('\n')[0];
        Assert.StartsWith("ERROR: boom near ", first);
        Assert.EndsWith(" in probe procfs(\"x\").read", first);
        Assert.False(Directory.Exists(run.Directory));
        Assert.False(Mounts.IsMountPoint(run.Directory));
    }
}
