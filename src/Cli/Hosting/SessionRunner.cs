using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using ProcProbe.Cli.CommandLine;
using ProcProbe.Interpreter;
using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Native;

namespace ProcProbe.Cli.Hosting;

/// <summary>
/// One run of a script, in the order CONTRACT §3 and §7 fix: passes 1–2; begin probes; the files
/// appear (one FUSE mount); serve until a signal, exit(), the end of -c or -T; unmount and remove
/// the directory; end probes; exit.
/// </summary>
internal sealed class SessionRunner(CliOptions options, TextWriter stdout, TextWriter stderr)
{
    // No spinning before blocking: the main thread waits for the whole session, and at start-up its
    // spin (sched_yield rounds) would take the CPU from the loop thread answering INIT and the first reads.
    private readonly ManualResetEventSlim _stop = new(false, spinCount: 0);
    private readonly PassReporter _passes = new();
    private const string RunFailedLine = "Pass 5: run failed.  [man error::pass5]\n";
    private string _moduleName = "";

    public int Run()
    {
        // As in stap, a script that cannot be read fails pass 1, with the pass's lines after the reason.
        _passes.StartPass();
        if (!TryLoadScript(out string fileName, out byte[] script))
        {
            if (options.Verbosity(1) > 0)
            {
                stderr.WriteLine(_passes.Pass1Parsed());
            }
            stderr.WriteLine(DiagnosticFormatter.Pass1FailedLine);
            return 1;
        }

        _moduleName = options.ModuleName ?? ModuleNaming.Default(script, Environment.ProcessId);
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

        // Pass 1 and pass 2 run apart so that each -v line times its own pass.
        var compilation = ScriptCompilation.Compile(fileName, script, scriptOptions, lastPass: 1);
        string? pass1Line = options.Verbosity(1) > 0 ? _passes.Pass1Parsed() : null;
        if (!compilation.Succeeded)
        {
            WriteDiagnostics(compilation, 1, pass1Line, DiagnosticFormatter.Pass1FailedLine);
            return 1;
        }
        // parse warnings belong to pass 1, so they come before its -v line, even at -p1
        WriteDiagnostics(compilation, 1, null, DiagnosticFormatter.Pass1FailedLine);
        if (pass1Line is not null)
        {
            stderr.WriteLine(pass1Line);
        }
        if (options.LastPass == 1)
        {
            stdout.Flush();
            using Stream raw = StandardStreams.Output();
            raw.Write(compilation.PrintParseTreeBytes());
            return 0;
        }

        _passes.StartPass();
        compilation.ContinueToPass2();
        string? pass2Line = options.Verbosity(2) > 0
            ? _passes.Pass2Analyzed(new ElaboratedCounts().Add(compilation.PrintElaborated()))
            : null;
        if (options.LastPass > 2)
        {
            compilation.ContinueToPass3();
        }
        WriteDiagnostics(compilation, 2, pass2Line, DiagnosticFormatter.Pass2FailedLine);
        if (compilation.FailedPass == 3)
        {
            WriteDiagnostics(compilation, 3, null, DiagnosticFormatter.Pass3FailedLine);
        }
        if (!compilation.Succeeded)
        {
            return 1;
        }
        if (options.LastPass == 2)
        {
            stdout.Write(compilation.PrintElaborated());
            stdout.Flush();
            return 0;
        }

        return Serve(compilation);
    }

    private int Serve(ScriptCompilation compilation)
    {
        var ids = ProcessInfo.CurrentIds();
        IReadOnlyList<ProcfsFile> files = compilation.Files;
        string moduleName = _moduleName;
        string root = ProbeRoot.Resolve(options.Root, ids.EffectiveUid);
        string mountPoint = Path.Combine(root, moduleName);

        // Everything that can refuse the run is checked before a begin probe runs or anything is created.
        if (!FuseLoopThreads.TryRead(out int loopThreads, out string? threadsError))
        {
            stderr.WriteLine(threadsError);
            return 1;
        }

        if (files.Count > 0 && !FuseAvailability.Check(out string? fuseError))
        {
            stderr.WriteLine($"procprobe: {fuseError}");
            return 1;
        }

        if (options.OutputFile is null && ProcessInfo.StandardOutputWasClosed())
        {
            stderr.WriteLine("procprobe: standard output is closed: give the script's output a file with -o FILE");
            return 1;
        }

        Stream output;
        try
        {
            output = options.OutputFile is null
                ? new DescriptorOutputStream(1)
                : new FileStream(options.OutputFile, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"procprobe: cannot open output file '{options.OutputFile}': {FileErrors.Reason(options.OutputFile!, e)}");
            return 1;
        }

        // A name served by a live procprobe, or a ROOT that is unsafe, refuses the run before any probe runs.
        if (files.Count > 0)
        {
            try
            {
                ModuleDirectory.CreateRoot(root);
                ModuleDirectory.Prepare(root, moduleName, ModuleDirectory.FsNameFor(Environment.ProcessId));
            }
            catch (FuseException e)
            {
                stderr.WriteLine($"procprobe: {e.Message}");
                return 1;
            }
        }

        FuseMount? mount = null;
        Process? child = null;
        bool started = true;
        using var signals = new SignalHandlers(_stop);
        // At -v stap prints "run completed" before "run failed"; the session writes the latter itself, so it is held back.
        var sessionErrors = options.Verbosity(5) > 0 ? new HoldBackWriter(stderr, RunFailedLine) : null;
        using var session = new ScriptSession(compilation, output, (TextWriter?)sessionErrors ?? stderr, new ProcessHost(ids.RealUid, ids.RealGid));
        session.Stopping += _stop.Set;
        try
        {
            if (options.Verbosity(5) > 0)
            {
                _passes.StartPass();
                stderr.WriteLine(PassReporter.Pass5Starting);
            }
            session.RunBegin();

            if (!session.StopRequested && files.Count > 0)
            {
                mount = FuseMount.Mount(mountPoint, ToSpecs(files), new ScriptFileHandler(session, files), new FuseMountOptions
                {
                    Uid = ids.RealUid,
                    Gid = ids.RealGid,
                    AllowOther = options.AllowOther,
                    FsName = ModuleDirectory.FsNameFor(Environment.ProcessId),
                    MultiThreaded = loopThreads > 1,
                    MaxThreads = loopThreads,
                    // Safe here: the handlers write only to descriptors open before the mount (the
                    // output and stderr), and nothing else runs while Start does.
                    PrivateDescriptorTable = true,
                });
                mount.Start();
                if (options.Verbosity(5) > 0 || Terminal.IsTerminal(2))
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
            // The files could not be served: like a failed module start, the session ends without end probes.
            stderr.WriteLine($"procprobe: {e.Message}");
            started = false;
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
            if (files.Count > 0)
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

        if (!started)
        {
            output.Flush();
            return 1;
        }
        session.RunEnd();
        // Unbuffered streams: anything that could fail here already failed in a handler and was reported.
        try
        {
            output.Flush();
            if (options.OutputFile is not null)
            {
                output.Dispose();
            }
        }
        catch (IOException)
        {
        }
        if (options.Verbosity(5) > 0)
        {
            stderr.WriteLine(_passes.Pass5Completed());
            if (sessionErrors!.HeldBack)
            {
                stderr.Write(RunFailedLine);
            }
            stderr.Flush();
        }
        return session.ExitCode;
    }

    private static ProbeFileSpec[] ToSpecs(IReadOnlyList<ProcfsFile> files)
    {
        var specs = new ProbeFileSpec[files.Count];
        for (int i = 0; i < specs.Length; i++)
        {
            specs[i] = new ProbeFileSpec
            {
                Path = files[i].Path,
                PathBytes = files[i].PathBytes, // the script's bytes, not a UTF-8 re-encoding of them
                Mode = files[i].Mode,
                HasRead = files[i].HasRead,
                HasWrite = files[i].HasWrite,
            };
        }
        return specs;
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
            using var stdin = StandardStreams.Input();
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
            stderr.WriteLine($"Input file '{fileName}' cannot be read: {FileErrors.Reason(fileName, e)}.");
        }
        script = [];
        return false;
    }

    /// <summary>
    /// The diagnostics of passes 1-2, byte for byte, with stap's -v pass line where stap puts it: after
    /// the error and warning blocks, before <paramref name="failedLine"/> when the pass failed.
    /// </summary>
    private void WriteDiagnostics(ScriptCompilation compilation, int pass, string? passLine, string failedLine)
    {
        using var buffer = new MemoryStream();
        compilation.WriteDiagnostics(buffer, pass);
        byte[] text = buffer.ToArray();
        if (passLine is not null)
        {
            int at = text.AsSpan().IndexOf(Encoding.ASCII.GetBytes(failedLine + "\n"));
            at = at < 0 ? text.Length : at;
            text = [.. text.AsSpan(0, at), .. Encoding.ASCII.GetBytes(passLine + "\n"), .. text.AsSpan(at)];
        }
        if (text.Length > 0)
        {
            stderr.Flush();
            using Stream raw = StandardStreams.Error();
            raw.Write(text);
        }
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
            ModuleName = _moduleName,
            Verbosity = options.Verbosity(2),
        };
        foreach (var (name, value) in options.Defines)
        {
            Limits.Apply(o, name, value);
        }
        return o;
    }
}
