using ProcProbe.Cli.Tests.Sessions;

namespace ProcProbe.Cli.Tests.Cli;

/// <summary>Scripts as files: a <c>#!</c> line naming procprobe or stap, run directly or through
/// procprobe, with their arguments as <c>$1</c>/<c>@1</c>.</summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class ScriptFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("procprobe-script-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteScript(string name, string text, bool executable)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        if (executable)
        {
            Assert.Equal(0, Shell.Run("/bin/chmod", "0755", path).ExitCode);
        }
        return path;
    }

    [Fact]
    public void EnvShebang_RunsTheScriptDirectly_WithItsArguments()
    {
        // "#!/usr/bin/env procprobe" finds procprobe on PATH, as an installed copy would be found.
        string bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "procprobe"), ProcProbeBinary.Path);
        string script = WriteScript("hello.stp", """
            #!/usr/bin/env procprobe
            probe begin { printf("hello %s, %d and %s\n", @1, $2 + 1, @3); exit() }

            """, executable: true);
        ProcessResult r = ProcessRun(script, ["world", "41", "last word"],
            new Dictionary<string, string?> { ["PATH"] = bin + ":/usr/bin:/bin" });
        Assert.Equal("", r.StderrText);
        Assert.Equal("hello world, 42 and last word\n", r.StdoutText);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void StapShebang_RunsThroughProcprobe_AndServesItsFiles()
    {
        string script = WriteScript("greet.stp", """
            #!/usr/bin/stap
            # A procfs probe named by the first argument, content from the second.
            probe procfs(@1).read { $value = sprintf("hello %s\n", @2) }

            """, executable: false);
        string root = ProbeRun.NewRoot();
        string module = ProbeRun.NewModuleName();
        ProcessResult r = ProcProbeBinary.Run(["--root", root, "-m", module, "-c", "cat \"$PROCPROBE_DIR/greeting\"", script, "greeting", "Alice"]);
        Assert.Equal("", r.StderrText);
        Assert.Equal("hello Alice\n", r.StdoutText);
        Assert.Equal(0, r.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(root, module)), "the module directory must be gone after the run");
        Directory.Delete(root);
    }

    [Fact]
    public void OptionsAfterTheScriptFile_AreStillOptions_AndDashDashEndsThem()
    {
        string script = WriteScript("args.stp", "probe begin { printf(\"%d:%s\\n\", argc, argv[1]); exit() }\n", executable: false);
        ProcessResult r = ProcProbeBinary.Run([script, "-w", "--", "-x"]);
        Assert.Equal("1:-x\n", r.StdoutText);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void ScriptFromStandardInput_TakesArguments()
    {
        ProcessResult r = ProcProbeBinary.Run(["-", "stdin-arg"], stdin: "#!/usr/bin/env procprobe\nprobe begin { println(@1); exit() }\n");
        Assert.Equal("stdin-arg\n", r.StdoutText);
        Assert.Equal(0, r.ExitCode);
    }

    private static ProcessResult ProcessRun(string file, string[] args, IReadOnlyDictionary<string, string?> env) =>
        ProcProbeBinary.RunProcessAsync(file, args, env: env).GetAwaiter().GetResult();
}
