using System.Text.RegularExpressions;
using System.Xml.Linq;
using ProcProbe.Cli.Tests.Sessions;

namespace ProcProbe.Cli.Tests.Portability;

/// <summary>
/// procprobe-static (build/aot.sh --static-fuse): the same program with libfuse3.a linked in, so a
/// machine needs only glibc and /dev/fuse (and fusermount3 for a non-root user) to run it.
/// </summary>
[Collection(nameof(FuseProcessCollection))]
public sealed partial class StaticFuseTests
{
    private static readonly string[] GlibcSonames =
        ["libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "ld-linux-x86-64.so.2"];

    private const string Script = """
        global v = "initial\n"
        probe procfs("x").read { $value = v }
        probe procfs("x").write { v = $value }
        """;

    // Read, write, read again: both directions through the kernel and libfuse.
    private const string Client = "cat \"$PROCPROBE_DIR/x\" && echo hello > \"$PROCPROBE_DIR/x\" && cat \"$PROCPROBE_DIR/x\"";

    private static string StaticPath
    {
        get
        {
            string path = Path.Combine(Path.GetDirectoryName(ProcProbeBinary.Path)!, "procprobe-static");
            Assert.True(File.Exists(path), $"{path} is missing: build it with 'build/aot.sh --static-fuse' (needs libfuse3-dev)");
            return path;
        }
    }

    [Fact]
    public void StaticBinary_NeedsOnlyGlibc_AndExportsTheLibfuseFunctionsAtFuse30()
    {
        string binary = StaticPath;
        var (rc, dynamic, stderr) = Shell.Run("/usr/bin/readelf", "-d", "-W", binary);
        Assert.True(rc == 0, stderr);
        string[] needed = Needed().Matches(dynamic).Select(m => m.Groups[1].Value).ToArray();
        Assert.Contains("libc.so.6", needed);
        Assert.All(needed, soname => Assert.True(GlibcSonames.Contains(soname), $"procprobe-static needs {soname}"));

        // LibFuse.TryLoad finds these in the program itself by the same dlvsym lookups it makes in
        // libfuse3.so.3; the list is the one the link takes from the source tree.
        (rc, string symbols, stderr) = Shell.Run("/usr/bin/readelf", "--dyn-syms", "-W", binary);
        Assert.True(rc == 0, stderr);
        HashSet<string> exported = Exported().Matches(symbols).Select(m => m.Groups[1].Value).ToHashSet();
        string props = Path.Combine(ProcProbeBinary.RepoRoot, "src/Native/Interop/LibFuse/LibFuseFunctions.props");
        string[] functions = XDocument.Load(props).Descendants("LibFuseFunction")
            .SelectMany(e => e.Attribute("Include")!.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToArray();
        Assert.Contains("fuse_version", functions); // the list itself is checked against the bindings by StaticLinkListTests
        Assert.All(functions, f => Assert.True(exported.Contains(f), $"procprobe-static does not export {f}@@FUSE_3.0"));

        (rc, string versions, stderr) = Shell.Run("/usr/bin/readelf", "-V", "-W", binary);
        Assert.True(rc == 0, stderr);
        Version newest = GlibcVersion().Matches(versions).Select(m => Version.Parse(m.Groups[1].Value)).Max()!;
        Assert.True(newest <= new Version(2, 34), $"procprobe-static needs GLIBC_{newest}; the README promises 2.34");
    }

    [Fact]
    public void WithLibfuseHidden_StaticBinaryServesAsRootAndAsUser_DynamicOneSaysWhatToInstall()
    {
        // A private mount namespace: /dev/null is bound over every libfuse3 soname, and a private
        // 0666 node for the FUSE device lets nobody open it without touching the host's /dev/fuse.
        string scratch = Directory.CreateTempSubdirectory("procprobe-static-").FullName;
        try
        {
            string binary = Path.Combine(scratch, "procprobe-static");
            File.Copy(StaticPath, binary);
            string rootOfRoot = Path.Combine(scratch, "root");
            string userRoot = Path.Combine(scratch, "user");
            Directory.CreateDirectory(Path.Combine(scratch, "dev"));
            Directory.CreateDirectory(userRoot);
            string setup = string.Join("\n",
                "set -e",
                $"chmod 0755 '{scratch}' '{binary}'",
                $"chown 65534:65534 '{userRoot}'",
                $"mount -t tmpfs -o mode=0755 none '{scratch}/dev'",
                $"mknod -m 0666 '{scratch}/dev/fuse' c $((0x$(stat -c %t /dev/fuse))) $((0x$(stat -c %T /dev/fuse)))",
                $"mount --bind '{scratch}/dev/fuse' /dev/fuse",
                "for f in /usr/lib/x86_64-linux-gnu/libfuse3.so* /lib/x86_64-linux-gnu/libfuse3.so*; do if [ -e \"$f\" ]; then mount --bind /dev/null \"$f\"; fi; done",
                "test ! -s /lib/x86_64-linux-gnu/libfuse3.so.3",
                $"if '{ProcProbeBinary.Path}' --root '{rootOfRoot}' -e '{Script}' 2>&1; then exit 10; fi",
                $"'{binary}' --root '{rootOfRoot}' -m static_root -c '{Client}' -e '{Script}'",
                $"exec /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/env -i PATH=/usr/bin:/bin '{binary}' --root '{userRoot}' -m static_user -c 'id -u && {Client}' -e '{Script}'");
            var (rc, stdout, stderr) = Shell.Run("/usr/bin/unshare", "-m", "/bin/sh", "-c", setup);
            Assert.Equal("", stderr);
            Assert.Equal(
                "procprobe: libfuse3 not found: install it with 'apt-get install fuse3' (the library is libfuse3.so.3 or libfuse3.so.4)\n" +
                "initial\nhello\n" +
                "65534\ninitial\nhello\n",
                stdout);
            Assert.Equal(0, rc);
            Assert.False(Directory.Exists(Path.Combine(userRoot, "static_user")), "module directory left behind");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")]
    private static partial Regex Needed();

    [GeneratedRegex(@"\sFUNC\s+GLOBAL\s+DEFAULT\s+\d+\s+(fuse_\w+)@@FUSE_3\.0$", RegexOptions.Multiline)]
    private static partial Regex Exported();

    [GeneratedRegex(@"GLIBC_(\d+\.\d+(?:\.\d+)?)")]
    private static partial Regex GlibcVersion();
}
