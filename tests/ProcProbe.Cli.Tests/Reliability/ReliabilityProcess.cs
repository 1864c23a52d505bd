using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using ProcProbe.Cli.Tests.Sessions;

namespace ProcProbe.Cli.Tests.Reliability;

/// <summary>How procprobe's standard output is wired in a reliability run.</summary>
internal enum StdoutMode
{
    /// <summary>A pipe the test reads (and may close to make a broken pipe).</summary>
    Pipe,

    /// <summary>File descriptor 1 closed before procprobe starts.</summary>
    Closed,
}

/// <summary>
/// A procprobe process for fault and security tests. Unlike <see cref="ProbeRun"/> it can run under
/// another uid (a prefix such as setpriv), with a chosen umask, with standard output closed or a pipe
/// the test breaks. Readiness comes from procprobe itself: the <c>-c</c> command writes a marker line
/// to standard error once the files are ready, so standard output stays free for the test.
/// </summary>
internal sealed partial class ReliabilityProcess : IDisposable
{
    public const string ReadyMarker = "__procprobe_reliability_ready__";
    public const string ReadyCommand = "echo " + ReadyMarker + " >&2; exec sleep 600";

    private readonly Process _process;
    private readonly MemoryStream _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task? _stdoutPump;
    private readonly bool _ownsRoot;

    public string Root { get; }
    public string ModuleName { get; }
    public string Directory => Path.Combine(Root, ModuleName);
    public int Pid { get; }

    /// <summary>Dispose leaves a (dead) mount in place, for a restart to recover.</summary>
    public bool LeaveMount { get; set; }

    private ReliabilityProcess(string root, string moduleName, bool ownsRoot, IReadOnlyList<string> procprobeArgs,
        IReadOnlyList<string>? prefix, string? umask, StdoutMode stdoutMode, string binary)
    {
        Root = root;
        ModuleName = moduleName;
        _ownsRoot = ownsRoot;

        // bash sets the umask and fd 1 up, then execs (the prefix and) procprobe: one pid throughout.
        var setup = new StringBuilder();
        if (umask is not null)
        {
            setup.Append("umask ").Append(umask).Append("; ");
        }
        if (stdoutMode == StdoutMode.Closed)
        {
            setup.Append("exec 1>&-; ");
        }
        setup.Append("exec \"$@\"");
        var psi = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(setup.ToString());
        psi.ArgumentList.Add("procprobe-reliability");
        foreach (string p in prefix ?? [])
        {
            psi.ArgumentList.Add(p);
        }
        psi.ArgumentList.Add(binary);
        foreach (string a in procprobeArgs)
        {
            psi.ArgumentList.Add(a);
        }
        _process = new Process { StartInfo = psi };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            if (e.Data == ReadyMarker)
            {
                _ready.TrySetResult();
                return;
            }
            lock (_stderr)
            {
                _stderr.Append(e.Data).Append('\n');
            }
        };
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException("procprobe exited before its files were ready"));
        _process.EnableRaisingEvents = true;
        _process.Start();
        Pid = _process.Id;
        _process.StandardInput.Close();
        _process.BeginErrorReadLine();
        _stdoutPump = Task.Run(PumpStdout);
    }

    /// <summary>Starts procprobe with <c>--root ROOT -m NAME</c>, the ready command unless <paramref name="waitReady"/> is false, and the extra arguments.</summary>
    public static ReliabilityProcess Start(string? script, IEnumerable<string>? extraArgs = null, string? root = null, string? moduleName = null,
        IReadOnlyList<string>? prefix = null, string? umask = null, StdoutMode stdout = StdoutMode.Pipe, bool waitReady = true,
        string? binary = null, TimeSpan? readyTimeout = null, string? scriptFile = null)
    {
        bool ownsRoot = root is null;
        root ??= ProbeRun.NewRoot();
        moduleName ??= ProbeRun.NewModuleName();
        var args = new List<string> { "--root", root, "-m", moduleName };
        if (waitReady)
        {
            args.Add("-c");
            args.Add(ReadyCommand);
        }
        args.AddRange(extraArgs ?? []);
        if (script is not null)
        {
            args.Add("-e");
            args.Add(script);
        }
        else
        {
            args.Add(scriptFile ?? throw new ArgumentNullException(nameof(scriptFile)));
        }
        var run = new ReliabilityProcess(root, moduleName, ownsRoot, args, prefix, umask, stdout, binary ?? ProcProbeBinary.Path);
        if (waitReady)
        {
            try
            {
                if (!run._ready.Task.Wait(readyTimeout ?? TimeSpan.FromSeconds(30)))
                {
                    throw new TimeoutException($"procprobe did not get ready; stderr: {run.Stderr}");
                }
            }
            catch (AggregateException e)
            {
                run.WaitForExit(5000);
                string detail = $"{e.InnerException?.Message}; exit {run.ExitCodeOrNull}; stderr: {run.Stderr}";
                run.Dispose();
                throw new InvalidOperationException(detail);
            }
            catch
            {
                run.Dispose();
                throw;
            }
        }
        return run;
    }

    private async Task PumpStdout()
    {
        var buffer = new byte[65536];
        Stream stream = _process.StandardOutput.BaseStream;
        try
        {
            while (true)
            {
                int n = await stream.ReadAsync(buffer);
                if (n == 0)
                {
                    return;
                }
                lock (_stdout)
                {
                    _stdout.Write(buffer, 0, n);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // the test closed its end on purpose (broken pipe)
        }
    }

    public string PathOf(string file) => Path.Combine(Directory, file);

    public byte[] StdoutBytes { get { lock (_stdout) { return _stdout.ToArray(); } } }

    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public bool HasExited => _process.HasExited;

    public int? ExitCodeOrNull => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Closes the test's reading end of procprobe's standard output: its next write gets EPIPE.</summary>
    public void BreakStdoutPipe()
    {
        _process.StandardOutput.BaseStream.Dispose();
    }

    public const int SigInt = Sys.SIGINT, SigTerm = Sys.SIGTERM, SigKill = Sys.SIGKILL, SigHup = Sys.SIGHUP;

    public void Signal(int signal) => Assert.Equal(0, Sys.kill(Pid, signal));

    /// <summary>Sends <paramref name="signal"/> and returns the exit status.</summary>
    public int Stop(int signal, int timeoutMs = 10_000)
    {
        Signal(signal);
        return WaitForExit(timeoutMs);
    }

    /// <summary>Waits for the exit and returns the status (128+N for death by signal N).</summary>
    public int WaitForExit(int timeoutMs = 10_000)
    {
        if (!_process.WaitForExit(timeoutMs))
        {
            throw new TimeoutException($"procprobe did not exit within {timeoutMs} ms; stderr: {Stderr}");
        }
        _process.WaitForExit();
        _stdoutPump?.Wait(5000);
        return _process.ExitCode;
    }

    /// <summary>procprobe's resident set in KiB, from /proc/PID/status.</summary>
    public long RssKb() => ReadRssKb(Pid);

    public static long ReadRssKb(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"no VmRSS for pid {pid}");
    }

    /// <summary>Lines procprobe wrote to standard error (the ready marker excluded).</summary>
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>SIGKILLs procprobe as a crash would, then ends the -c child it orphans (the test's own cleanup).</summary>
    public void Crash()
    {
        var children = ChildPids(Pid);
        Signal(SigKill);
        Assert.True(_process.WaitForExit(10_000), "procprobe survived SIGKILL");
        foreach (int child in children)
        {
            Sys.kill(child, SigKill);
        }
    }

    /// <summary>The direct children of <paramref name="pid"/>.</summary>
    public static List<int> ChildPids(int pid)
    {
        var result = new List<int>();
        foreach (string task in System.IO.Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                foreach (string c in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    result.Add(int.Parse(c, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (IOException)
            {
            }
        }
        return result;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            _process.WaitForExit(10_000);
        }
        if (!LeaveMount)
        {
            Cleanup(Directory);
        }
        if (_ownsRoot)
        {
            RemoveTree(Root);
        }
    }

    /// <summary>Lazily unmounts and removes a module directory a failed test left behind.</summary>
    public static void Cleanup(string directory)
    {
        for (int i = 0; i < 4 && Mounts.IsMountPoint(directory); i++)
        {
            Sys.umount2(directory, Sys.MNT_DETACH);
        }
        try
        {
            System.IO.Directory.Delete(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Removes a test-made tree, never descending into a mount.</summary>
    public static void RemoveTree(string path)
    {
        if (!System.IO.Directory.Exists(path) && !File.Exists(path))
        {
            return;
        }
        foreach (string line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            string[] f = line.Split(' ');
            if (f.Length > 4 && (f[4] == path || f[4].StartsWith(path + "/", StringComparison.Ordinal)))
            {
                Sys.umount2(f[4], Sys.MNT_DETACH);
            }
        }
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                info.Delete();
                return;
            }
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>The few libc calls the reliability tests make directly.</summary>
internal static partial class Sys
{
    public const int MNT_DETACH = 2;
    public const int SIGINT = 2, SIGKILL = 9, SIGTERM = 15, SIGHUP = 1, SIGSTOP = 19, SIGCONT = 18;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int umount2(string target, int flags);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int chmod(string path, uint mode);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int chown(string path, int owner, int group);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int mount(string source, string target, string fstype, ulong flags, string data);

    public static uint ModeOf(string path) =>
        OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException() : (uint)File.GetUnixFileMode(path);
}
