using System.Globalization;
using ProcProbe.Cli.Tests.Sessions;

namespace ProcProbe.Cli.Tests.Reliability;

/// <summary>
/// Security: who can enter the directory, that the kernel enforces file modes for other users, that
/// ROOT cannot be redirected by a planted symbolic link or a foreign owner, that procprobe works for a
/// non-root user, that no script can place a file outside ROOT/MODNAME, and that -o honours the umask.
/// </summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class SecurityTests
{
    private const int NobodyUid = 65534, OtherUid = 65533;

    private static string[] AsUid(int uid) =>
        ["/usr/bin/setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups"];

    /// <summary>Runs a bash command as <paramref name="uid"/>; returns exit status, stdout, stderr.</summary>
    private static (int Rc, string Out, string Err) As(int uid, string command, params string[] args) =>
        Shell.Run(AsUid(uid)[0], [.. AsUid(uid).Skip(1), "/bin/bash", "-c", command, "bash", .. args]);

    private const string ModesScript = """
        global n
        probe procfs("pub").umask(0).read { $value = "pub\n" }
        probe procfs("priv").read { $value = "priv\n" }
        probe procfs("inbox").umask(0).write { n++ }
        probe procfs("owner_in").write { n++ }
        probe procfs("count").umask(0).read { $value = sprintf("%d\n", n) }
        """;

    [Fact]
    public void DefaultMount_OnlyTheInvokingUserAndRootEnter()
    {
        using var run = ReliabilityProcess.Start(ModesScript);
        // Another uid: refused at the directory, whatever the file modes say.
        var ls = As(NobodyUid, "ls \"$1\"", run.Directory);
        Assert.True(ls.Rc != 0 && ls.Err.Contains("Permission denied", StringComparison.Ordinal), $"nobody listed the directory: {ls}");
        var cat = As(NobodyUid, "cat \"$1\"", run.PathOf("pub"));
        Assert.True(cat.Rc != 0 && cat.Err.Contains("Permission denied", StringComparison.Ordinal), $"nobody read a 0444 file without --allow-other: {cat}");
        // The invoking user (root here) gets in.
        Assert.Equal("pub\n", FaultTests.Cat(run.PathOf("pub")));
        Assert.Equal("priv\n", FaultTests.Cat(run.PathOf("priv")));
        Assert.Equal(0, run.Stop(ReliabilityProcess.SigTerm));
    }

    [Fact]
    public void AllowOther_KernelEnforcesEachFilesMode()
    {
        using var run = ReliabilityProcess.Start(ModesScript, ["--allow-other"]);
        Assert.Equal("444 400 222 200", Shell.Bash($"cd '{run.Directory}' && stat -c %a pub priv inbox owner_in | tr '\\n' ' '").Trim());

        Assert.Equal((0, "pub\n", ""), As(NobodyUid, "cat \"$1\"", run.PathOf("pub")));
        var denied = As(NobodyUid, "cat \"$1\"", run.PathOf("priv"));
        Assert.True(denied.Rc != 0 && denied.Err.Contains("Permission denied", StringComparison.Ordinal), $"nobody read a 0400 file: {denied}");
        Assert.Equal(0, As(NobodyUid, "printf x > \"$1\"", run.PathOf("inbox")).Rc);
        var wo = As(NobodyUid, "printf x > \"$1\"", run.PathOf("owner_in"));
        Assert.True(wo.Rc != 0 && wo.Err.Contains("Permission denied", StringComparison.Ordinal), $"nobody wrote a 0200 file: {wo}");
        var ro = As(NobodyUid, "printf x > \"$1\"", run.PathOf("pub"));
        Assert.True(ro.Rc != 0 && ro.Err.Contains("Permission denied", StringComparison.Ordinal), $"nobody wrote a read-only file: {ro}");
        var create = As(NobodyUid, "printf x > \"$1\"", run.PathOf("new"));
        Assert.True(create.Rc != 0, $"nobody created a file: {create}");

        // The owner may do what the modes allow it; exactly one write got through.
        Assert.Equal("priv\n", FaultTests.Cat(run.PathOf("priv")));
        Assert.Equal("1\n", FaultTests.Cat(run.PathOf("count")));
        Assert.Equal(0, run.Stop(ReliabilityProcess.SigTerm));
    }

    [Fact]
    public void NonRootUser_ServesThroughFusermount3()
    {
        // procprobe itself must be reachable by nobody: the checkout may sit under a 0700 home.
        string binary = Path.Combine(LoadClient.SharedDirectory, "procprobe");
        if (!File.Exists(binary))
        {
            File.Copy(ProcProbeBinary.Path, binary);
        }
        Sys.chmod(binary, 0x1ED);
        string root = ProbeRun.NewRoot();
        Directory.CreateDirectory(root);
        Assert.Equal(0, Sys.chown(root, NobodyUid, NobodyUid));
        uint devMode = Sys.ModeOf("/dev/fuse");
        // /dev/fuse is 0600 root on this machine; a non-root user needs it open (restored below).
        Assert.Equal(0, Sys.chmod("/dev/fuse", 0x1B6));
        // Root's way into a user's mount (allow_root) is granted by fusermount3 only with
        // user_allow_other in /etc/fuse.conf (restored below).
        string? fuseConf = File.Exists("/etc/fuse.conf") ? File.ReadAllText("/etc/fuse.conf") : null;
        File.WriteAllText("/etc/fuse.conf", (fuseConf ?? "") + "\nuser_allow_other\n");
        try
        {
            const string script = """
                global n
                probe procfs("who").read { $value = sprintf("%d %d\n", uid(), n) }
                probe procfs("in").write { n++ }
                probe end { printf("writes %d\n", n) }
                """;
            using var run = ReliabilityProcess.Start(script, root: root, prefix: AsUid(NobodyUid), binary: binary);
            Assert.True(Mounts.IsMountPoint(run.Directory));
            Assert.Equal((0, "", ""), As(NobodyUid, "printf hi > \"$1\"", run.PathOf("in")));
            Assert.Equal((0, "65534 1\n", ""), As(NobodyUid, "cat \"$1\"", run.PathOf("who")));
            var other = As(OtherUid, "cat \"$1\"", run.PathOf("who"));
            Assert.True(other.Rc != 0 && other.Err.Contains("Permission denied", StringComparison.Ordinal), $"uid {OtherUid} read nobody's file: {other}");
            // CONTRACT §3: "only the invoking user (and root) can enter the directory".
            var byRoot = Shell.Run("/bin/cat", run.PathOf("who"));
            // uid() is the reader's (CONTRACT §6), so root's read says 0.
            Assert.True(byRoot.ExitCode == 0 && byRoot.Stdout == "0 1\n", $"root could not read a non-root user's file: rc {byRoot.ExitCode}, '{byRoot.Stdout}' {byRoot.Stderr}");
            Assert.Equal(0, run.Stop(ReliabilityProcess.SigTerm));
            Assert.Equal("writes 1\n", run.Stdout);
            Assert.False(Mounts.IsMountPoint(run.Directory), "mount left behind");
            Assert.False(Directory.Exists(run.Directory), "module directory left behind");
        }
        finally
        {
            if (fuseConf is null)
            {
                File.Delete("/etc/fuse.conf");
            }
            else
            {
                File.WriteAllText("/etc/fuse.conf", fuseConf);
            }
            Sys.chmod("/dev/fuse", devMode);
            ReliabilityProcess.Cleanup(Path.Combine(root, "x"));
            ReliabilityProcess.RemoveTree(root);
        }
    }

    private static ProcessResult RunProbe(string root, string module, string script, params string[] extra) =>
        ProcProbeBinary.Run(["--root", root, "-m", module, .. extra, "-c", "true", "-e", script], timeout: TimeSpan.FromSeconds(30));

    private const string SimpleScript = "probe procfs(\"f\").read { $value = \"f\\n\" }";

    [Fact]
    public async Task Root_PlantedAsSymlink_OrOwnedByAnotherUser_IsRefused_AndNothingLandsElsewhere()
    {
        string work = Directory.CreateTempSubdirectory("procprobe-rootcheck-").FullName;
        try
        {
            string target = Path.Combine(work, "victim");
            Directory.CreateDirectory(target);

            // ROOT is a symbolic link to an existing directory.
            string link = Path.Combine(work, "link");
            File.CreateSymbolicLink(link, target);
            var r = RunProbe(link, "m1", SimpleScript);
            Assert.True(r.ExitCode == 1, $"a symlinked ROOT was used: {r.StderrText}");
            Assert.Single(r.StderrText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Empty(Directory.EnumerateFileSystemEntries(target));

            // ROOT is a dangling symbolic link: creating ROOT must not create its target.
            string dangling = Path.Combine(work, "dangling");
            string missing = Path.Combine(work, "missing");
            File.CreateSymbolicLink(dangling, missing);
            r = RunProbe(dangling, "m2", SimpleScript);
            Assert.True(r.ExitCode == 1, $"a dangling symlink ROOT was used: {r.StderrText}");
            Assert.False(Path.Exists(missing), "procprobe followed the dangling link and created its target");

            // ROOT/MODNAME is a symbolic link.
            string root = Path.Combine(work, "root");
            Directory.CreateDirectory(root);
            File.CreateSymbolicLink(Path.Combine(root, "m3"), target);
            r = RunProbe(root, "m3", SimpleScript);
            Assert.True(r.ExitCode == 1, $"a symlinked module directory was mounted on: {r.StderrText}");
            Assert.Empty(Directory.EnumerateFileSystemEntries(target));

            // ROOT owned by another non-root user.
            string foreign = Path.Combine(work, "foreign");
            Directory.CreateDirectory(foreign);
            Sys.chmod(foreign, 0x1FF);
            Assert.Equal(0, Sys.chown(foreign, NobodyUid, NobodyUid));
            r = RunProbe(foreign, "m4", SimpleScript);
            Assert.True(r.ExitCode == 1, $"a ROOT owned by uid {NobodyUid} was used: {r.StderrText}");
            Assert.Single(r.StderrText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Empty(Directory.EnumerateFileSystemEntries(foreign));

            // A missing ROOT is created as a real 0755 directory, whatever the umask.
            string fresh = Path.Combine(work, "fresh");
            var made = await ProcProbeBinary.RunProcessAsync("/bin/bash",
                ["-c", "umask 077; exec \"$@\"", "bash", ProcProbeBinary.Path, "--root", fresh, "-m", "m5", "-c", "stat -c %a \"$PROCPROBE_DIR\"/..", "-e", SimpleScript]);
            Assert.True(made.ExitCode == 0, made.StderrText);
            Assert.Equal("755\n", made.StdoutText);
            Assert.Null(new DirectoryInfo(fresh).LinkTarget);
            Assert.Empty(Directory.EnumerateFileSystemEntries(fresh));
            Assert.All(Directory.EnumerateFileSystemEntries(work), e => Assert.False(Mounts.IsMountPoint(e)));
        }
        finally
        {
            ReliabilityProcess.RemoveTree(work);
        }
    }

    public static TheoryData<string, string> EscapingPaths() => new()
    {
        { "../x", "procfs path cannot be relative (and contain '.' or '..')" },
        { "a/../../x", "procfs path cannot be relative (and contain '.' or '..')" },
        { "..", "procfs path cannot be relative (and contain '.' or '..')" },
        { ".", "procfs path cannot be relative (and contain '.' or '..')" },
        { "./x", "procfs path cannot be relative (and contain '.' or '..')" },
        { "a/./b", "procfs path cannot be relative (and contain '.' or '..')" },
        { "a/..", "procfs path cannot be relative (and contain '.' or '..')" },
        { "/etc/procprobe-escape", "procfs path cannot start with a '/'" },
        { "/", "procfs path cannot start with a '/'" },
        { "x/", "procfs path cannot end with a '/'" },
        { "", "procfs path cannot end with a '/'" },
        { "a//b", "procfs path component cannot be empty" },
    };

    [Theory]
    [MemberData(nameof(EscapingPaths))]
    public void ScriptPath_ThatWouldLeaveTheModuleDirectory_IsAPass2Error(string path, string message)
    {
        string root = ProbeRun.NewRoot();
        try
        {
            var r = RunProbe(root, "esc", $"probe procfs(\"{path}\").read {{ $value = \"x\\n\" }}");
            Assert.Equal(1, r.ExitCode);
            Assert.Contains($"semantic error: {message}: identifier 'procfs' at ", r.StderrText);
            Assert.Contains("Pass 2: analysis failed.", r.StderrText);
            Assert.False(Directory.Exists(root), "ROOT was created for a script that failed pass 2");
            Assert.False(File.Exists("/etc/procprobe-escape"));
        }
        finally
        {
            ReliabilityProcess.RemoveTree(root);
        }
    }

    [Fact]
    public void OddButValidPaths_StayInsideTheModuleDirectory()
    {
        string[] paths = ["...", ".hidden", "..x", "x..", "a b", "sub/dir/deep", "sub/..x", "-dash", "\\back"];
        string script = string.Concat(paths.Select(p => $"probe procfs(\"{p.Replace("\\", "\\\\", StringComparison.Ordinal)}\").read {{ $value = \"{p.Replace("\\", "\\\\", StringComparison.Ordinal)}\\n\" }}\n"));
        using var run = ReliabilityProcess.Start(script);
        Assert.Equal([run.ModuleName], Directory.EnumerateFileSystemEntries(run.Root).Select(Path.GetFileName));
        string[] found = Shell.Bash($"cd '{run.Directory}' && find . -type f | sort").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(paths.Select(p => "./" + p).Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
        foreach (string p in paths)
        {
            Assert.Equal(p + "\n", File.ReadAllText(Path.Combine(run.Directory, p)));
        }
        Assert.Equal(0, run.Stop(ReliabilityProcess.SigTerm));
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("a/b")]
    [InlineData(".")]
    [InlineData("bad-name")]
    [InlineData("")]
    public void ModuleName_ThatIsNotAPlainName_IsRefused(string name)
    {
        string root = ProbeRun.NewRoot();
        try
        {
            var r = RunProbe(root, name, SimpleScript);
            Assert.True(r.ExitCode is 1 or 2, $"-m '{name}' accepted: {r.StderrText}");
            Assert.False(Directory.Exists(root), "ROOT was created for a refused module name");
            Assert.False(Directory.Exists(Path.GetFullPath(Path.Combine(root, name))));
        }
        finally
        {
            ReliabilityProcess.RemoveTree(root);
        }
    }

    [Theory]
    [InlineData("077", "600")]
    [InlineData("022", "644")]
    [InlineData("027", "640")]
    [InlineData("000", "666")]
    public async Task OutputFile_GetsTheUsersUmask(string umask, string mode)
    {
        string dir = Directory.CreateTempSubdirectory("procprobe-umask-").FullName;
        try
        {
            string file = Path.Combine(dir, "out.txt");
            var r = await ProcProbeBinary.RunProcessAsync("/bin/bash",
                ["-c", $"umask {umask}; exec \"$@\"", "bash", ProcProbeBinary.Path, "-o", file, "-e", "probe begin { printf(\"x\\n\"); exit() }"]);
            Assert.True(r.ExitCode == 0, r.StderrText);
            Assert.Equal("x\n", File.ReadAllText(file));
            Assert.Equal(mode, Convert.ToString(Sys.ModeOf(file), 8).PadLeft(3, '0'));
        }
        finally
        {
            ReliabilityProcess.RemoveTree(dir);
        }
    }
}
