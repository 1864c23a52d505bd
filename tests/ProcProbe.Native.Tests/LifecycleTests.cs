using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace ProcProbe.Native.Tests;

/// <summary>Stopping, stale mounts and module directories, each with its own mount.</summary>
[Collection(FuseCollection.Name)]
public sealed class LifecycleTests
{
    [Fact]
    public void Stop_requested_inside_a_read_handler_ends_the_loop()
    {
        var handler = new TestHandler();
        using var module = new MountedModule(handler, TestHandler.Files);
        handler.OnCounterRead = module.Mount.RequestStop;
        ProcessResult cat = ProcessRunner.Run("cat", [module.PathOf("counter")]);
        Assert.Equal(0, cat.ExitCode);
        Assert.Equal("open 1\n", cat.StdOut);
        Assert.True(module.Mount.WaitForExit(TimeSpan.FromSeconds(5)), "the stop did not settle");
        Assert.False(MountInfo.IsMountPoint(module.Dir));
        Assert.True(SpinWait.SpinUntil(() => module.Mount.HasExited, TimeSpan.FromSeconds(10)), "the loop did not end after cat closed the file");
    }

    [Fact]
    public void Multithreaded_loop_serves_parallel_readers_and_stops()
    {
        var handler = new TestHandler();
        var options = new FuseMountOptions { MultiThreaded = true, MaxThreads = 4 };
        using var module = new MountedModule(handler, TestHandler.Files, options);
        int before = handler.ReadCalls(TestHandler.Hello);
        ProcessResult result = ProcessRunner.Sh(
            $"for i in 1 2 3 4; do (for j in $(seq 25); do cat {module.PathOf("hello")}; done > out.$i) & done; wait; cat out.1 out.2 out.3 out.4; rm -f out.*",
            workingDirectory: module.Root);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Concat(Enumerable.Repeat("hello world\n", 100)), result.StdOut);
        Assert.Equal(before + 100, handler.ReadCalls(TestHandler.Hello));
        Assert.Equal(0, module.Mount.OpenHandles);
    }

    [Fact]
    public void Private_descriptor_table_leaves_dev_fuse_to_the_loop_thread()
    {
        int before = FuseDescriptorsOfThisThread();
        var handler = new TestHandler();
        var options = new FuseMountOptions { PrivateDescriptorTable = true };
        using (var module = new MountedModule(handler, TestHandler.Files, options))
        {
            // The loop thread serves from its own copy of the table; the process's gave /dev/fuse up.
            Assert.Equal(before, FuseDescriptorsOfThisThread());
            ProcessResult cat = ProcessRunner.Run("cat", [module.PathOf("hello")]);
            Assert.Equal(0, cat.ExitCode);
            Assert.Equal("hello world\n", cat.StdOut);

            // Its copy is the only one: once the detached mount's last user is gone, the loop ends.
            module.Mount.RequestStop();
            Assert.True(module.Mount.WaitForExit(TimeSpan.FromSeconds(5)), "the stop did not settle");
            Assert.True(SpinWait.SpinUntil(() => module.Mount.HasExited, TimeSpan.FromSeconds(10)), "the loop did not end");
            Assert.False(MountInfo.IsMountPoint(module.Dir));
        }

        Assert.Equal(before, FuseDescriptorsOfThisThread());

        // The listing's own descriptor is closed by the time its link is read: skip what is gone.
        static int FuseDescriptorsOfThisThread() =>
            Directory.GetFiles("/proc/thread-self/fd").Count(fd => LinkOf(fd) == "/dev/fuse");

        static string? LinkOf(string fd)
        {
            try
            {
                return new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    [Fact]
    public void Prepare_refuses_a_module_served_by_a_live_procprobe()
    {
        using var module = new MountedModule(new TestHandler(), TestHandler.Files);
        FuseException e = Assert.Throws<FuseException>(() =>
            ModuleDirectory.Prepare(module.Root, module.ModName, ModuleDirectory.FsNameFor(Environment.ProcessId)));
        Assert.Equal($"module mod is already served by procprobe (pid {Environment.ProcessId})", e.Message);
        Assert.True(MountInfo.IsMountPoint(module.Dir));
        Assert.Equal("hello world\n", File.ReadAllText(module.PathOf("hello")));
    }

    [Fact]
    public void Prepare_takes_over_a_mount_whose_owner_pid_is_gone()
    {
        using Process gone = Process.Start("true")!;
        gone.WaitForExit();
        var options = new FuseMountOptions { FsName = ModuleDirectory.FsNameFor(gone.Id) };
        using var module = new MountedModule(new TestHandler(), TestHandler.Files, options);
        Assert.Contains($"procprobe:{gone.Id}", File.ReadAllText("/proc/self/mountinfo"));

        string dir = ModuleDirectory.Prepare(module.Root, module.ModName, ModuleDirectory.FsNameFor(Environment.ProcessId));
        Assert.Equal(module.Dir, dir);
        Assert.False(MountInfo.IsMountPoint(dir));
        Assert.True(Directory.Exists(dir));

        // With nothing open, the detached mount's connection ends and so does its loop.
        Assert.True(module.Mount.WaitForExit(TimeSpan.FromSeconds(5)), "the replaced mount's loop did not end");
    }

    [Fact]
    public void Prepare_cleans_up_the_dead_mount_of_a_killed_server()
    {
        // A minimal libfuse server that mounts with a procprobe fsname and never answers; SIGKILL
        // leaves exactly what a crashed procprobe leaves: a mount whose connection is dead.
        string exe = CTool.Compile("killed_server", """
            #define FUSE_USE_VERSION 31
            #include <fuse3/fuse_lowlevel.h>
            #include <stdio.h>
            #include <unistd.h>

            int main(int argc, char **argv)
            {
                char opts[64];
                snprintf(opts, sizeof opts, "fsname=procprobe:%d,subtype=procprobe", (int)getpid());
                char *argv2[] = { "killed_server", "-o", opts, NULL };
                struct fuse_args args = FUSE_ARGS_INIT(3, argv2);
                struct fuse_lowlevel_ops ops = { 0 };
                struct fuse_session *se = fuse_session_new(&args, &ops, sizeof ops, NULL);
                if (argc != 2 || se == NULL || fuse_session_mount(se, argv[1]) != 0)
                    return 1;
                puts("mounted");
                fflush(stdout);
                pause();
                return 0;
            }
            """, "-lfuse3");

        string root = Path.Combine("/tmp", "pp-native-test-" + Guid.NewGuid().ToString("N"));
        ModuleDirectory.CreateRoot(root);
        string fsName = ModuleDirectory.FsNameFor(Environment.ProcessId);
        string dir = ModuleDirectory.Prepare(root, "crashed", fsName);
        try
        {
            using (Process server = Process.Start(new ProcessStartInfo(exe, [dir]) { RedirectStandardOutput = true })!)
            {
                Assert.Equal("mounted", server.StandardOutput.ReadLine());
                server.Kill();
                server.WaitForExit();
            }

            Assert.True(MountInfo.IsMountPoint(dir));
            Assert.Equal(107, ModuleDirectory.StatError(dir)); // ENOTCONN

            Assert.Equal(dir, ModuleDirectory.Prepare(root, "crashed", fsName));
            Assert.False(MountInfo.IsMountPoint(dir));

            // And the directory serves again.
            using FuseMount mount = FuseMount.Mount(dir, TestHandler.Files, new TestHandler(), new FuseMountOptions());
            mount.Start();
            Assert.Equal("hello world\n", File.ReadAllText(Path.Combine(dir, "hello")));
            mount.RequestStop();
            Assert.True(mount.WaitForExit(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            if (MountInfo.IsMountPoint(dir))
            {
                ModuleDirectory.LazyUnmount(dir, out _);
            }

            ModuleDirectory.Remove(root, "crashed");
            Directory.Delete(root);
        }
    }

    [Fact]
    public void Mount_failure_leaves_nothing_mounted()
    {
        string missing = Path.Combine("/tmp", "pp-native-missing-" + Guid.NewGuid().ToString("N"));
        FuseException e = Assert.Throws<FuseException>(() => FuseMount.Mount(missing, TestHandler.Files, new TestHandler(), new FuseMountOptions()));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(missing, e.Message);
        Assert.False(MountInfo.IsMountPoint(missing));

        string dir = Directory.CreateTempSubdirectory("pp-native-bad-").FullName;
        try
        {
            ProbeFileSpec[] clash =
            [
                new() { Path = "a", Mode = 0x124, HasRead = true, HasWrite = false },
                new() { Path = "a/b", Mode = 0x124, HasRead = true, HasWrite = false },
            ];
            ArgumentException bad = Assert.Throws<ArgumentException>(() => FuseMount.Mount(dir, clash, new TestHandler(), new FuseMountOptions()));
            Assert.Contains("both a file and a directory", bad.Message);
            Assert.Throws<ArgumentException>(() => FuseMount.Mount(dir, TestHandler.Files, new TestHandler(), new FuseMountOptions { FsName = "a,b" }));
            Assert.False(MountInfo.IsMountPoint(dir));
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void Dispose_without_start_unmounts()
    {
        string dir = Directory.CreateTempSubdirectory("pp-native-nostart-").FullName;
        try
        {
            FuseMount mount = FuseMount.Mount(dir, TestHandler.Files, new TestHandler(), new FuseMountOptions());
            Assert.True(MountInfo.IsMountPoint(dir));
            mount.Dispose();
            Assert.False(MountInfo.IsMountPoint(dir));
            Assert.Throws<ObjectDisposedException>(mount.Start);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void CreateRoot_creates_parents_with_mode_0755_and_refuses_unsafe_roots()
    {
        string top = Path.Combine("/tmp", "pp-native-root-" + Guid.NewGuid().ToString("N"));
        try
        {
            string root = ModuleDirectory.CreateRoot(Path.Combine(top, "a", "b"));
            Assert.Equal(Path.Combine(top, "a", "b"), root);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                File.GetUnixFileMode(root));
            Assert.Equal(root, ModuleDirectory.CreateRoot(root + "/")); // existing is fine

            string link = Path.Combine(top, "link");
            File.CreateSymbolicLink(link, root);
            FuseException symlink = Assert.Throws<FuseException>(() => ModuleDirectory.CreateRoot(link));
            Assert.Equal($"{link} is a symbolic link; refusing to use it as the procprobe root", symlink.Message);

            string foreign = Path.Combine(top, "foreign");
            Directory.CreateDirectory(foreign);
            Assert.Equal(0, ProcessRunner.Run("chown", ["65534", foreign]).ExitCode);
            FuseException owner = Assert.Throws<FuseException>(() => ModuleDirectory.CreateRoot(foreign));
            Assert.Contains("owned by uid 65534", owner.Message);

            string file = Path.Combine(top, "file");
            File.WriteAllText(file, "x");
            Assert.Contains("not a directory", Assert.Throws<FuseException>(() => ModuleDirectory.CreateRoot(file)).Message);

            // Prepare creates the module directory, Remove removes exactly that.
            string mod = ModuleDirectory.Prepare(root, "m1", ModuleDirectory.FsNameFor(Environment.ProcessId));
            Assert.True(Directory.Exists(mod));
            ModuleDirectory.Remove(root, "m1");
            Assert.False(Directory.Exists(mod));
            Assert.True(Directory.Exists(root));
            ModuleDirectory.Remove(root, "m1"); // already gone: fine
        }
        finally
        {
            Directory.Delete(top, recursive: true);
        }
    }

    [Fact]
    public void LibFuse_loads_by_symbol_version_and_the_device_is_usable()
    {
        Assert.True(LibFuse.TryLoad(out string error), error);
        Assert.Equal(string.Empty, error);
        Assert.InRange(LibFuse.Version, 300, 399);
        Assert.StartsWith("3.", LibFuse.PackageVersion);
        Assert.True(LibFuse.CheckDevice(out error), error);
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
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void WaitUntil(Func<bool> condition, string message, int timeoutMs = 5000)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.ElapsedMilliseconds < timeoutMs, message);
            Thread.Sleep(5);
        }
    }
}
