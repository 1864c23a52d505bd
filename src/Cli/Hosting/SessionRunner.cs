using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using ProcProbe.Cli.CommandLine;
using ProcProbe.Interpreter;
using ProcProbe.Native;

namespace ProcProbe.Cli.Hosting;

/// <summary>
/// One run of a script, in the order CONTRACT §3 and §7 fix: passes 1–2; begin probes; the files
/// appear (one FUSE mount); serve until a signal, exit(), the end of -c or -T; unmount and remove
/// the directory; end probes; exit.
/// </summary>
internal sealed class SessionRunner(CliOptions options, TextWriter stderr)
{
    private readonly ManualResetEventSlim _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public int Run()
    {
        if (!TryLoadScript(out string fileName, out byte[] script))
        {
            return 1;
        }

        ScriptOptions scriptOptions;
        try
        {
            scriptOptions = BuildScriptOptions();
        }
        catch (UsageException e)
        {
            stderr.WriteLine(e.Message);
            return 1;
        }

        var compilation = ScriptCompilation.Compile(fileName, script, scriptOptions, options.LastPass);
        if (options.Verbosity(1) > 0)
        {
            stderr.WriteLine($"Pass 1: parsed user script and 0 library scripts in {Times()}.");
        }
        if (!compilation.Succeeded)
        {
            compilation.WriteDiagnostics(stderr);
            return 1;
        }
        if (options.LastPass == 1)
        {
            Console.Out.Write(compilation.PrintParseTree());
            Console.Out.Flush();
            return 0;
        }
        compilation.WriteDiagnostics(stderr);
        if (options.Verbosity(2) > 0)
        {
            stderr.WriteLine($"Pass 2: analyzed script in {Times()}.");
        }
        if (options.LastPass == 2)
        {
            Console.Out.Write(compilation.PrintElaborated());
            Console.Out.Flush();
            return 0;
        }

        return Serve(compilation, script);
    }

    private int Serve(ScriptCompilation compilation, byte[] script)
    {
        var ids = ProcessInfo.CurrentIds();
        IReadOnlyList<ProcfsFile> files = compilation.Files;
        string moduleName = options.ModuleName ?? ModuleNaming.Default(script, Environment.ProcessId);
        string root = ProbeRoot.Resolve(options.Root, ids.EffectiveUid);
        string mountPoint = Path.Combine(root, moduleName);

        // Everything that can refuse the run is checked before a begin probe runs or anything is created.
        if (files.Count > 0 && !FuseAvailability.Check(out string? fuseError))
        {
            stderr.WriteLine($"procprobe: {fuseError}");
            return 1;
        }

        Stream output;
        try
        {
            output = options.OutputFile is null
                ? Console.OpenStandardOutput()
                : new FileStream(options.OutputFile, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"procprobe: cannot open output file '{options.OutputFile}': {e.Message}");
            return 1;
        }

        bool directoryMade = false, failed = false;
        FuseMount? mount = null;
        Process? child = null;
        using var signals = new SignalHandlers(_stop);
        using var session = new ScriptSession(compilation, output, stderr, new ProcessHost(ids.RealUid, ids.RealGid));
        session.Stopping += _stop.Set;
        try
        {
            if (files.Count > 0)
            {
                ModuleDirectory.CreateRoot(root);
                ModuleDirectory.Prepare(root, moduleName, ModuleDirectory.FsNameFor(Environment.ProcessId));
                directoryMade = true;
            }

            if (options.Verbosity(5) > 0)
            {
                stderr.WriteLine("Pass 5: starting run.");
            }
            session.RunBegin();

            if (!session.StopRequested && files.Count > 0)
            {
                var specs = new ProbeFileSpec[files.Count];
                for (int i = 0; i < specs.Length; i++)
                {
                    specs[i] = new ProbeFileSpec { Path = files[i].Path, Mode = files[i].Mode, HasRead = files[i].HasRead, HasWrite = files[i].HasWrite };
                }
                mount = FuseMount.Mount(mountPoint, specs, new ScriptFileHandler(session, files), new FuseMountOptions
                {
                    Uid = ids.RealUid,
                    Gid = ids.RealGid,
                    AllowOther = options.AllowOther,
                    FsName = ModuleDirectory.FsNameFor(Environment.ProcessId),
                });
                mount.Start();
                if (options.Verbosity(5) > 0 || IsTerminal(2))
                {
                    stderr.WriteLine($"procprobe: serving {files.Count} file{(files.Count == 1 ? "" : "s")} in {mountPoint}");
                }
            }

            if (!session.StopRequested)
            {
                session.StartTimers();
                if (options.Command is not null)
                {
                    child = StartCommand(options.Command, mount is null ? null : mountPoint, moduleName);
                }
                if (options.TimeoutSeconds is int seconds)
                {
                    _ = Task.Delay(TimeSpan.FromSeconds(seconds)).ContinueWith(_ => _stop.Set(), TaskScheduler.Default);
                }
                _stop.Wait();
            }
        }
        catch (FuseException e)
        {
            stderr.WriteLine($"procprobe: {e.Message}");
            failed = true;
        }
        finally
        {
            // Files go first, so nobody reads a file whose handlers can no longer run (CONTRACT §7).
            if (mount is not null)
            {
                mount.RequestStop();
                mount.WaitForExit();
                mount.Dispose();
            }
            if (directoryMade)
            {
                ModuleDirectory.Remove(root, moduleName);
            }
            session.StopTimers();
            if (child is { HasExited: false })
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit();
            }
        }

        session.RunEnd();
        output.Flush();
        if (options.OutputFile is not null)
        {
            output.Dispose();
        }
        if (options.Verbosity(5) > 0)
        {
            stderr.WriteLine($"Pass 5: run completed in {Times()}.");
        }
        return failed ? 1 : session.ExitCode;
    }

    private Process StartCommand(string command, string? directory, string moduleName)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        if (directory is not null)
        {
            psi.Environment["PROCPROBE_DIR"] = directory;
        }
        psi.Environment["SYSTEMTAP_MODULE"] = moduleName;
        var child = new Process { StartInfo = psi, EnableRaisingEvents = true };
        child.Exited += (_, _) => _stop.Set();
        child.Start();
        return child;
    }

    private bool TryLoadScript(out string fileName, out byte[] script)
    {
        fileName = "<input>";
        if (options.ScriptText is not null)
        {
            script = Encoding.UTF8.GetBytes(options.ScriptText);
            return true;
        }
        if (options.ScriptFile == "-")
        {
            using var stdin = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            stdin.CopyTo(buffer);
            script = buffer.ToArray();
            return true;
        }
        fileName = options.ScriptFile!;
        try
        {
            script = File.ReadAllBytes(fileName);
            return true;
        }
        catch (FileNotFoundException)
        {
            stderr.WriteLine($"Input file '{fileName}' is missing.");
        }
        catch (DirectoryNotFoundException)
        {
            stderr.WriteLine($"Input file '{fileName}' is missing.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"Input file '{fileName}' cannot be read: {e.Message}");
        }
        script = [];
        return false;
    }

    private ScriptOptions BuildScriptOptions()
    {
        var o = new ScriptOptions
        {
            Arguments = options.Arguments,
            Unoptimized = options.Unoptimized,
            SuppressWarnings = options.SuppressWarnings,
            WarningsAsErrors = options.WarningsAsErrors,
            SuppressHandlerErrors = options.SuppressHandlerErrors,
            Guru = options.Guru,
            TargetPid = options.TargetPid ?? 0,
            Verbosity = options.Verbosity(2),
        };
        foreach (var (name, value) in options.Defines)
        {
            Limits.Apply(o, name, value);
        }
        return o;
    }

    private string Times()
    {
        var self = Process.GetCurrentProcess();
        return $"{(long)self.UserProcessorTime.TotalMilliseconds}usr/{(long)self.PrivilegedProcessorTime.TotalMilliseconds}sys/{_clock.ElapsedMilliseconds}real ms";
    }

    private static bool IsTerminal(int fd) => fd == 2 ? !Console.IsErrorRedirected : !Console.IsOutputRedirected;
}
