using System.Diagnostics;

namespace ProcProbe.Cli.Tests.Sessions;

/// <summary>CONTRACT §7: how a session ends, and that it leaves nothing behind.</summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class LifecycleTests
{
    private const string Script = "probe procfs(\"x\").read { $value = \"x\\n\" } probe end { printf(\"end ran\\n\") }";

    [Theory]
    [InlineData(ProbeRun.SIGINT)]
    [InlineData(ProbeRun.SIGTERM)]
    [InlineData(ProbeRun.SIGHUP)]
    public void Signal_Unmounts_RemovesDirectory_RunsEnd_ExitsZero(int signal)
    {
        using var run = ProbeRun.Start(Script);
        Assert.True(Mounts.IsMountPoint(run.Directory));
        Assert.Equal(0, run.Stop(signal));
        AssertNothingLeft(run);
        Assert.Equal("end ran\n", run.Stdout);
    }

    [Fact]
    public void Signal_WithShellInsideAndFileHeldOpen_StillUnmountsAndExits()
    {
        using var run = ProbeRun.Start(Script);
        using var squatter = Process.Start(new ProcessStartInfo("/bin/sleep", "60") { WorkingDirectory = run.Directory })!;
        using var held = new FileStream(run.PathOf("x"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        Assert.Equal((byte)'x', (byte)held.ReadByte());
        try
        {
            Assert.Equal(0, run.Stop(ProbeRun.SIGINT, timeoutMs: 1000));
            AssertNothingLeft(run);
        }
        finally
        {
            squatter.Kill();
        }
    }

    [Fact]
    public void CommandOption_StartsWhenFilesAreReady_WithEnvironment_AndEndsTheSession()
    {
        string root = ProbeRun.NewRoot();
        string name = ProbeRun.NewModuleName();
        var (rc, stdout, stderr) = Shell.Run(ProcProbeBinary.Path,
            "--root", root, "-m", name,
            "-c", "cat \"$PROCPROBE_DIR/x\"; echo \"module=$SYSTEMTAP_MODULE dir=$PROCPROBE_DIR\"",
            "-e", Script);
        Assert.True(rc == 0, stderr);
        Assert.Equal($"x\nmodule={name} dir={root}/{name}\nend ran\n", stdout);
        Assert.False(Directory.Exists(Path.Combine(root, name)));
        Assert.False(Mounts.IsMountPoint(Path.Combine(root, name)));
        Directory.Delete(root);
    }

    [Fact]
    public void SecondInstance_WithSameName_FailsNamingTheFirstPid()
    {
        using var first = ProbeRun.Start(Script);
        var (rc, stdout, stderr) = Shell.Run(ProcProbeBinary.Path,
            "--root", first.Root, "-m", first.ModuleName, "-e", Script);
        Assert.Equal(1, rc);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(first.Pid.ToString(), line);
        Assert.True(Mounts.IsMountPoint(first.Directory), "the first instance must keep serving");
        Assert.Equal("x\n", File.ReadAllText(first.PathOf("x")));
        Assert.Equal(0, first.Stop());
    }

    [Fact]
    public void AfterKill9_NextStartWithSameName_CleansDeadMountAndServes()
    {
        string root, name;
        using (var victim = ProbeRun.Start(Script))
        {
            root = victim.Root;
            name = victim.ModuleName;
            Assert.Equal(0, ProbeRun.kill(victim.Pid, ProbeRun.SIGKILL));
            victim.WaitForExit();
            Assert.True(Mounts.IsMountPoint(victim.Directory), "SIGKILL leaves the dead mount behind");
            using var next = ProbeRun.StartWith(root, name, Script);
            Assert.Equal("x\n", File.ReadAllText(next.PathOf("x")));
            Assert.Equal(0, next.Stop());
            AssertNothingLeft(next);
        }
    }

    private static void AssertNothingLeft(ProbeRun run)
    {
        Assert.False(Mounts.IsMountPoint(run.Directory), "mount left behind");
        Assert.False(Directory.Exists(run.Directory), "module directory left behind");
        Assert.DoesNotContain(run.Directory, File.ReadAllText("/proc/mounts"));
    }
}
