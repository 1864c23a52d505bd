namespace ProcProbe.Cli.Tests.Sessions;

/// <summary>
/// $PROCPROBE_FUSE_THREADS, the benchmarking knob that picks the FUSE loop (bench/README.md, "Loop
/// choice"): N loop threads serve the files with the same results as one, handlers stay serialised,
/// and a bad value is refused in one line before anything is created.
/// </summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class FuseLoopThreadsTests
{
    /// <summary>What the CLI uses when the variable is unset (FuseLoopThreads.Default).</summary>
    private const int DefaultLoopThreads = 1;

    // Each read shows the write count; n++ is a read-modify-write, so a lost or doubled write handler
    // call, or two handlers running at once, shows up in the final count.
    private const string Script =
        "global n; probe procfs(\"r\").read { $value = sprintf(\"n=%d\\n\", n) } " +
        "probe procfs(\"w\").write { n++ } probe end { printf(\"end n=%d\\n\", n) }";

    // Counts procprobe's loop threads by name (the -c command's parent is procprobe; each thread names
    // itself once it runs, which may be just after the files are ready, so the count is polled for up
    // to 5 s), then runs four writers and four readers at once; every read must be a whole "n=K" line.
    private static string Command(int expectedThreads) =>
        "count() { cat /proc/$PPID/task/*/comm | grep -c '^procprobe-fuse$'; }; " +
        $"k=0; while [ $(count) -lt {expectedThreads} ] && [ $k -lt 100 ]; do sleep 0.05; k=$((k + 1)); done; " +
        "echo threads=$(count); " +
        "for i in 1 2 3 4; do (for j in $(seq 50); do echo x > \"$PROCPROBE_DIR/w\"; done) & done; " +
        "for i in 1 2 3 4; do (for j in $(seq 50); do cat \"$PROCPROBE_DIR/r\" | grep -qx 'n=[0-9]*' || echo bad-read; done) & done; " +
        "wait; cat \"$PROCPROBE_DIR/r\"";

    [Theory]
    [InlineData("1", 1)]
    [InlineData("3", 3)]
    [InlineData("", DefaultLoopThreads)]
    [InlineData(null, DefaultLoopThreads)]
    public async Task LoopThreads_ServeReadsAndWritesExactly(string? value, int expectedThreads)
    {
        string root = ProbeRun.NewRoot();
        string name = ProbeRun.NewModuleName();
        ProcessResult result = await ProcProbeBinary.RunAsync(
            ["--root", root, "-m", name, "-c", Command(expectedThreads), "-e", Script],
            env: new Dictionary<string, string?> { ["PROCPROBE_FUSE_THREADS"] = value });
        Assert.True(result.ExitCode == 0, result.StderrText);
        Assert.Equal($"threads={expectedThreads}\nn=200\nend n=200\n", result.StdoutText);
        Assert.False(Directory.Exists(Path.Combine(root, name)));
        Directory.Delete(root);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("two")]
    [InlineData("-2")]
    [InlineData(" 2")]
    public void InvalidValue_IsRefusedInOneLine_ExitOne_NothingCreated(string value)
    {
        string root = ProbeRun.NewRoot();
        ProcessResult result = ProcProbeBinary.Run(
            ["--root", root, "-m", ProbeRun.NewModuleName(), "-e", Script],
            env: new Dictionary<string, string?> { ["PROCPROBE_FUSE_THREADS"] = value });
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.StdoutText);
        Assert.Equal($"procprobe: PROCPROBE_FUSE_THREADS needs a whole number from 1 to 64, not '{value}'\n", result.StderrText);
        Assert.False(Directory.Exists(root), "nothing may be created for a refused run");
    }
}
