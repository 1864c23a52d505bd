using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ProcProbe.Cli.Tests.Sessions;

/// <summary>
/// A live procprobe process serving a script under a private ROOT. Readiness comes from procprobe
/// itself: <c>-c</c> starts a command only once the files are ready, and that command prints a
/// marker line, so no test polls for files.
/// </summary>
internal sealed partial class ProbeRun : IDisposable
{
    public const string ReadyMarker = "__procprobe_ready__";
    public const int SIGINT = 2, SIGKILL = 9, SIGTERM = 15, SIGHUP = 1;

    private readonly MemoryStream _stdout = new();
    private Task? _stdoutPump;
    private string _sleeper = "";
    private readonly StringBuilder _stderr = new();
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Root { get; }
    public string ModuleName { get; }
    public string Directory => Path.Combine(Root, ModuleName);
    public int Pid => _process.Id;

    private ProbeRun(string root, string moduleName, IEnumerable<string> args)
    {
        Root = root;
        ModuleName = moduleName;
        var psi = new ProcessStartInfo(ProcProbeBinary.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        _process = new Process { StartInfo = psi };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Append(e.Data).Append('\n');
                }
            }
        };
        _process.Start();
        _process.StandardInput.Close();
        _stdoutPump = Task.Run(PumpStdout);
        _process.BeginErrorReadLine();
    }

    // Script output is compared byte for byte, so stdout is read raw rather than by lines.
    private async Task PumpStdout()
    {
        var buffer = new byte[4096];
        Stream stream = _process.StandardOutput.BaseStream;
        byte[] marker = Encoding.ASCII.GetBytes(ReadyMarker + "\n");
        while (true)
        {
            int n = await stream.ReadAsync(buffer);
            if (n == 0)
            {
                _ready.TrySetException(new InvalidOperationException("procprobe closed its output before the files were ready"));
                return;
            }
            lock (_stdout)
            {
                _stdout.Write(buffer, 0, n);
                if (!_ready.Task.IsCompleted)
                {
                    byte[] all = _stdout.ToArray();
                    int at = all.AsSpan().IndexOf(marker);
                    if (at >= 0)
                    {
                        _stdout.SetLength(0);
                        _stdout.Write(all, 0, at);
                        _stdout.Write(all, at + marker.Length, all.Length - at - marker.Length);
                        _ready.TrySetResult();
                    }
                }
            }
        }
    }

    /// <summary>Starts procprobe on <paramref name="script"/> and returns once its files are ready.</summary>
    public static ProbeRun Start(string script, params string[] extraArgs) =>
        StartWith(NewRoot(), NewModuleName(), script, extraArgs);

    public static ProbeRun StartWith(string root, string moduleName, string script, params string[] extraArgs)
    {
        // A sleep with a duration unique to this run, so that one orphaned by a SIGKILLed procprobe can be found and ended.
        string sleeper = $"sleep 3600.{Random.Shared.Next(100000, 999999)}";
        var args = new List<string> { "--root", root, "-m", moduleName, "-c", $"echo {ReadyMarker}; exec {sleeper}" };
        args.AddRange(extraArgs);
        args.Add("-e");
        args.Add(script);
        var run = new ProbeRun(root, moduleName, args) { _sleeper = sleeper };
        if (!run._ready.Task.Wait(TimeSpan.FromSeconds(20)))
        {
            run.Dispose();
            throw new TimeoutException($"procprobe did not get ready; stderr: {run.Stderr}");
        }
        return run;
    }

    public static string NewRoot() => Path.Combine(Path.GetTempPath(), "procprobe-tests-" + Guid.NewGuid().ToString("N")[..12]);

    public static string NewModuleName() => "t_" + Guid.NewGuid().ToString("N")[..16];

    public string PathOf(string file) => Path.Combine(Directory, file);

    public string Stdout { get { lock (_stdout) { return Encoding.UTF8.GetString(_stdout.ToArray()); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>Sends <paramref name="signal"/> and waits for the exit; returns the exit status.</summary>
    public int Stop(int signal = SIGINT, int timeoutMs = 5000)
    {
        Assert.Equal(0, kill(_process.Id, signal));
        return WaitForExit(timeoutMs);
    }

    public int WaitForExit(int timeoutMs = 5000)
    {
        if (!_process.WaitForExit(timeoutMs))
        {
            throw new TimeoutException($"procprobe did not exit within {timeoutMs} ms; stderr: {Stderr}");
        }
        // The -c child may outlive a SIGKILLed procprobe and hold the pipes open, so the streams
        // get a bounded wait rather than the unbounded parameterless WaitForExit.
        _stdoutPump?.Wait(2000);
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        if (_sleeper.Length > 0)
        {
            Shell.Run("/usr/bin/pkill", "-f", _sleeper);
        }
        Cleanup(Directory);
        try
        {
            System.IO.Directory.Delete(Root, recursive: false);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Unmounts and removes whatever a failed test left, so one failure cannot spread.</summary>
    public static void Cleanup(string directory)
    {
        if (Mounts.IsMountPoint(directory))
        {
            umount2(directory, 2 /* MNT_DETACH */);
        }
        try
        {
            System.IO.Directory.Delete(directory);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int kill(int pid, int sig);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int umount2(string target, int flags);
}

internal static class Mounts
{
    /// <summary>True when /proc/self/mountinfo lists <paramref name="path"/> as a mount point.</summary>
    public static bool IsMountPoint(string path)
    {
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            string[] fields = line.Split(' ');
            if (fields.Length > 4 && Unescape(fields[4]) == path)
            {
                return true;
            }
        }
        return false;
    }

    private static string Unescape(string s) =>
        s.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}

/// <summary>Runs another program to completion and captures its output; used for cat/stat/echo from a separate process.</summary>
internal static class Shell
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(20_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public static string Bash(string command)
    {
        var (rc, stdout, stderr) = Run("/bin/bash", "-c", command);
        Assert.True(rc == 0, $"bash -c '{command}' failed ({rc}): {stderr}");
        return stdout;
    }
}
