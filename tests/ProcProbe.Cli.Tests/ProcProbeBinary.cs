using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace ProcProbe.Cli.Tests;

/// <summary>What a finished (or killed) child process did. Output is kept as raw bytes:
/// procprobe's output must match stap's byte for byte, whatever the encoding.</summary>
public sealed record ProcessResult(int ExitCode, byte[] Stdout, byte[] Stderr, bool TimedOut, TimeSpan Elapsed)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);
    public string StderrText => Encoding.UTF8.GetString(Stderr);
}

/// <summary>Finds the published procprobe executable and runs it (or any other program) as a child
/// process with arguments, standard input, environment and a timeout.</summary>
public static class ProcProbeBinary
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly Lazy<string> s_path = new(Locate);

    /// <summary>The procprobe executable: $PROCPROBE_BIN, else artifacts/procprobe found by walking up
    /// from the test assembly, else artifacts/procprobe of the repository holding this source file
    /// (which is what a build with --artifacts-path elsewhere needs).</summary>
    public static string Path => s_path.Value;

    /// <summary>The repository root: the first directory above the test assembly (or the current
    /// directory, or this source file) that holds ProcProbe.sln.</summary>
    public static string RepoRoot => s_repoRoot.Value;

    private static readonly Lazy<string> s_repoRoot = new(() => FindRepoRoot());

    public static ProcessResult Run(IEnumerable<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string?>? env = null, TimeSpan? timeout = null, string? workingDirectory = null)
        => RunProcessAsync(Path, args, stdin, env, timeout, workingDirectory).GetAwaiter().GetResult();

    public static Task<ProcessResult> RunAsync(IEnumerable<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string?>? env = null, TimeSpan? timeout = null, string? workingDirectory = null)
        => RunProcessAsync(Path, args, stdin, env, timeout, workingDirectory);

    /// <summary>Runs any program. Standard input gets <paramref name="stdin"/> (or is closed at once, so a
    /// child never waits on the terminal). On timeout the whole process tree is killed and
    /// <see cref="ProcessResult.TimedOut"/> is set. An env value of null removes the variable.</summary>
    public static async Task<ProcessResult> RunProcessAsync(string fileName, IEnumerable<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string?>? env = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                if (v is null) psi.Environment.Remove(k);
                else psi.Environment[k] = v;
            }
        }

        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var outTask = p.StandardOutput.BaseStream.CopyToAsync(stdout);
        var errTask = p.StandardError.BaseStream.CopyToAsync(stderr);
        try
        {
            if (stdin is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(stdin);
                await p.StandardInput.BaseStream.WriteAsync(bytes);
            }
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child exited (or closed stdin) before reading all of it; that is its business.
        }

        var timedOut = false;
        using (var cts = new CancellationTokenSource(timeout ?? DefaultTimeout))
        {
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await p.WaitForExitAsync();
            }
        }
        // A grandchild that inherited the pipes could keep them open; don't wait for it forever.
        await Task.WhenAny(Task.WhenAll(outTask, errTask), Task.Delay(TimeSpan.FromSeconds(5)));
        return new ProcessResult(timedOut ? -1 : p.ExitCode, stdout.ToArray(), stderr.ToArray(), timedOut, sw.Elapsed);
    }

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("PROCPROBE_BIN");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            if (!File.Exists(fromEnv))
                throw new FileNotFoundException($"PROCPROBE_BIN={fromEnv} does not exist");
            return System.IO.Path.GetFullPath(fromEnv);
        }
        foreach (var start in new[] { AppContext.BaseDirectory, RepoRoot })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "artifacts", "procprobe");
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new FileNotFoundException(
            "procprobe binary not found (looked for artifacts/procprobe above the test assembly and in the repository): run build/aot.sh first, or set PROCPROBE_BIN");
    }

    private static string FindRepoRoot([CallerFilePath] string sourceFile = "")
    {
        var starts = new[] { AppContext.BaseDirectory, Environment.CurrentDirectory, System.IO.Path.GetDirectoryName(sourceFile) ?? "" };
        foreach (var start in starts)
        {
            if (start.Length == 0 || !Directory.Exists(start)) continue;
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "ProcProbe.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("could not find the repository root (a directory holding ProcProbe.sln)");
    }
}
