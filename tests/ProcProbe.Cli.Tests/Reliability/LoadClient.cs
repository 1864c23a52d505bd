using System.Diagnostics;
using System.Globalization;

namespace ProcProbe.Cli.Tests.Reliability;

/// <summary>What one ppclient process reported: its pid, completed operations (snapshots read or
/// records written), successful read/write calls, bytes, whether it hit an error, the largest
/// snapshot counter it saw, its exit status and standard error.</summary>
internal sealed record ClientResult(int Pid, long Ops, long Calls, long Bytes, long Errors, long MaxN, int ExitCode, string Stderr, string Stdout)
{
    public override string ToString() => $"pid {Pid} ops {Ops} calls {Calls} bytes {Bytes} errors {Errors} exit {ExitCode} stderr '{Stderr.Trim()}'";
}

/// <summary>
/// The load client (ppclient.c beside this file), compiled once per test run with the system C
/// compiler into a world-readable directory, so that other uids can run it too. Every client is a
/// separate process doing real system calls on the probe files.
/// </summary>
internal static class LoadClient
{
    private static readonly Lazy<string> s_path = new(Compile);

    public static string Path => s_path.Value;

    /// <summary>A directory (mode 0755) for files that other uids must reach.</summary>
    public static string SharedDirectory => System.IO.Path.GetDirectoryName(Path)!;

    private static string Compile()
    {
        string source = System.IO.Path.Combine(ProcProbeBinary.RepoRoot, "tests", "ProcProbe.Cli.Tests", "Reliability", "ppclient.c");
        string dir = System.IO.Path.Combine("/tmp", "procprobe-reliability-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        Sys.chmod(dir, 0x1ED); // others run clients too
        string output = System.IO.Path.Combine(dir, "ppclient");
        var result = ProcProbeBinary.RunProcessAsync("cc", ["-O2", "-Wall", "-o", output, source], timeout: TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"cannot compile {source}: {result.StderrText}");
        }
        return output;
    }

    /// <summary>Starts a client; <paramref name="prefix"/> runs it under another uid (setpriv ...).</summary>
    public static Process Start(IReadOnlyList<string>? prefix, params string[] args)
    {
        var psi = new ProcessStartInfo(prefix is { Count: > 0 } ? prefix[0] : Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (prefix is { Count: > 0 })
        {
            foreach (string p in prefix.Skip(1))
            {
                psi.ArgumentList.Add(p);
            }
            psi.ArgumentList.Add(Path);
        }
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        return Process.Start(psi)!;
    }

    public static Process Start(params string[] args) => Start(null, args);

    /// <summary>Waits for a client; a client still running after <paramref name="timeout"/> is a deadlock and fails the test.</summary>
    public static ClientResult Finish(Process p, TimeSpan timeout)
    {
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit((int)timeout.TotalMilliseconds))
        {
            string stack = ProcessState(p.Id);
            p.Kill();
            p.WaitForExit();
            Assert.Fail($"client {p.Id} ({string.Join(' ', p.StartInfo.ArgumentList)}) still running after {timeout}: {stack}");
        }
        p.WaitForExit();
        return Parse(stdout.Result, stderr.Result, p.ExitCode);
    }

    public static ClientResult Run(TimeSpan timeout, params string[] args) => Finish(Start(args), timeout);

    private static ClientResult Parse(string stdout, string stderr, int exitCode)
    {
        string? line = stdout.Split('\n').LastOrDefault(l => l.StartsWith("pid ", StringComparison.Ordinal));
        if (line is null)
        {
            return new ClientResult(0, 0, 0, 0, 1, 0, exitCode, stderr, stdout);
        }
        string[] f = line.Split(' ');
        long At(string key) => long.Parse(f[Array.IndexOf(f, key) + 1], CultureInfo.InvariantCulture);
        return new ClientResult((int)At("pid"), At("ops"), At("calls"), At("bytes"), At("errors"), At("maxn"), exitCode, stderr, stdout);
    }

    /// <summary>The state and kernel stack of a stuck process, for the failure message.</summary>
    public static string ProcessState(int pid)
    {
        try
        {
            string state = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal)) ?? "";
            string wchan = File.Exists($"/proc/{pid}/wchan") ? File.ReadAllText($"/proc/{pid}/wchan") : "";
            return $"{state.Trim()} wchan={wchan}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "(gone)";
        }
    }

    /// <summary>The record ppclient's writer <paramref name="id"/> writes as number <paramref name="i"/> (see ppclient.c).</summary>
    public static string Record(string id, long i) =>
        $"{id}.{i.ToString(CultureInfo.InvariantCulture)};" + (i % 97 == 0 ? new string('x', 1200) : "");

    /// <summary>The read snapshot format ppclient checks: "N:PAD:N\n" with PAD 200 times 'p'.</summary>
    public static readonly string SnapshotPad = new('p', 200);
}
