using System.Text.RegularExpressions;
using ProcProbe.Cli.Tests.Sessions;

namespace ProcProbe.Cli.Tests.Portability;

/// <summary>
/// The published binary on a machine that has only what a user installs to run it: glibc and
/// libfuse3's runtime library, no -dev package, no headers, an empty environment.
/// </summary>
[Collection(nameof(FuseProcessCollection))]
public sealed partial class CleanEnvironmentTests
{
    private const string LibDir = "/usr/lib/x86_64-linux-gnu";

    [Fact]
    public void Ldd_ShowsOnlyGlibcLibraries()
    {
        var (rc, stdout, stderr) = Shell.Run("/usr/bin/ldd", ProcProbeBinary.Path);
        Assert.True(rc == 0, stderr);
        string[] allowed = ["linux-vdso.so.1", "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "ld-linux-x86-64.so.2"];
        foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string soname = Path.GetFileName(line.Trim().Split(' ')[0]);
            Assert.True(allowed.Contains(soname), $"procprobe links {soname}, which is not part of glibc: {line.Trim()}");
        }
    }

    [Fact]
    public void GlibcSymbolVersions_NeedAtMost2_34()
    {
        var (rc, stdout, stderr) = Shell.Run("/usr/bin/readelf", "-V", "-W", ProcProbeBinary.Path);
        Assert.True(rc == 0, stderr);
        Version newest = GlibcVersion().Matches(stdout).Select(m => Version.Parse(m.Groups[1].Value)).Max()!;
        Assert.True(newest <= new Version(2, 34), $"procprobe needs GLIBC_{newest}; the README promises 2.34");
        Assert.Equal(new Version(2, 34), newest); // dlvsym in libc.so.6 is why 2.34 is the floor
    }

    [Fact]
    public void RunsWithEmptyEnvironment_WithoutLibfuseDevPackageOrHeaders()
    {
        // A private mount namespace: an overlay over the library directory deletes the -dev files
        // (libfuse3.so, libfuse3.a) in this namespace only, and a tmpfs hides the headers.
        string scratch = Directory.CreateTempSubdirectory("procprobe-clean-").FullName;
        string root = ProbeRun.NewRoot();
        string module = ProbeRun.NewModuleName();
        bool hostHasDevLink = File.Exists($"{LibDir}/libfuse3.so");
        try
        {
            Directory.CreateDirectory(Path.Combine(scratch, "upper"));
            Directory.CreateDirectory(Path.Combine(scratch, "work"));
            string setup = string.Join(" && ",
                $"mount -t overlay overlay -o lowerdir={LibDir},upperdir={scratch}/upper,workdir={scratch}/work {LibDir}",
                $"rm -f {LibDir}/libfuse3.so {LibDir}/libfuse3.a",
                "if [ -d /usr/include/fuse3 ]; then mount -t tmpfs none /usr/include/fuse3; fi",
                $"test ! -e {LibDir}/libfuse3.so && test ! -e /usr/include/fuse3/fuse.h && test -e {LibDir}/libfuse3.so.3",
                $"exec /usr/bin/env -i '{ProcProbeBinary.Path}' --root '{root}' -m {module} -c '/bin/cat \"$PROCPROBE_DIR/x\"' -e 'probe procfs(\"x\").read {{ $value = \"clean\\n\" }}'");
            var (rc, stdout, stderr) = Shell.Run("/usr/bin/unshare", "-m", "/bin/sh", "-c", setup);
            Assert.Equal("", stderr);
            Assert.Equal("clean\n", stdout);
            Assert.Equal(0, rc);
            Assert.Equal(hostHasDevLink, File.Exists($"{LibDir}/libfuse3.so")); // the namespace left the host's files alone
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
            if (Directory.Exists(root))
            {
                Directory.Delete(root);
            }
        }
    }

    [GeneratedRegex(@"GLIBC_(\d+\.\d+(?:\.\d+)?)")]
    private static partial Regex GlibcVersion();
}
