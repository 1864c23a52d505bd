using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ProcProbe.Interpreter;

namespace ProcProbe.Cli.Tests.Reliability.Fuzz;

/// <summary>What happened to one input.</summary>
internal enum FuzzOutcome
{
    Pass1Failed,
    Pass2Failed,
    Pass3Failed,
    Ran,
    RanWithErrors,
}

/// <summary>Figures of a fuzz run.</summary>
internal sealed class FuzzStats
{
    public long Inputs;
    public long Generated;
    public long Mutated;
    public long Seeds;
    public long Pass1Failed;
    public long Pass2Failed;
    public long Pass3Failed;
    public long Ran;
    public long RanWithErrors;
    public long Handlers;
    public long InputBytes;
    public TimeSpan Slowest;
    public TimeSpan Elapsed;

    public override string ToString() =>
        $"inputs {Inputs} (generated {Generated}, mutated {Mutated}, seeds {Seeds}); pass-1 errors {Pass1Failed}, pass-2 errors {Pass2Failed}, pass-3 errors {Pass3Failed}, " +
        $"ran {Ran}, ran with run-time errors {RanWithErrors}; handler runs {Handlers}; {InputBytes} bytes; slowest input {Slowest.TotalMilliseconds:F0} ms CPU; " +
        $"elapsed {Elapsed.TotalSeconds:F0} s";
}

/// <summary>The machine as the fuzzed scripts see it.</summary>
internal sealed class FuzzHost : IScriptHost
{
    public int ProcessId => 4242;
    public uint Uid => 1000;
    public uint Gid => 1000;
    public string ExecName(int pid) => "fuzz";
    public int ParentPid(int pid) => 1;
}

/// <summary>
/// Drives one input through everything a script meets: lexer, preprocessor and parser (-p1 tree
/// printing), binder and checker (-p2 listing, diagnostics), and the interpreter through the
/// ScriptSession facade: begin probes, reads and writes of every procfs file (with hostile data), end
/// and error probes. An exception escaping any of it, or an "internal error" report, is a finding.
/// </summary>
internal static class FuzzHarness
{
    private static readonly FuzzHost Host = new();

    private static readonly byte[][] WriteData =
    [
        "hello\n"u8.ToArray(),
        [],
        "boom"u8.ToArray(),
        [0xff, 0xfe, 0x00, 0x41, 0x80],
        Encoding.ASCII.GetBytes(new string('w', 2000)),
        "0x7fffffffffffffff\n"u8.ToArray(),
    ];

    public static FuzzOutcome Run(byte[] input, Random random, FuzzStats stats)
    {
        var options = new ScriptOptions
        {
            Arguments = random.Next(3) == 0 ? ["arg1", "2", "\u00ff"] : [],
            SuppressHandlerErrors = random.Next(5) == 0,
            MaxErrors = random.Next(4) == 0 ? 1000 : 0,
            MaxStringLen = random.Next(6) == 0 ? random.Next(2, 64) : 512,
            MaxMapEntries = random.Next(6) == 0 ? random.Next(1, 10) : 2048,
            WarningsAsErrors = random.Next(10) == 0,
            Unoptimized = random.Next(5) == 0,
            Verbosity = random.Next(10) == 0 ? 2 : 0,
            ModuleName = "fuzz",
        };
        int lastPass = random.Next(8) == 0 ? 1 : 5;
        var compilation = ScriptCompilation.Compile("fuzz.stp", input, options, lastPass);
        var diagnostics = new StringWriter();
        compilation.WriteDiagnostics(diagnostics);
        CheckNoInternalError(diagnostics.ToString(), "diagnostics");
        if (compilation.FailedPass == 1)
        {
            stats.Pass1Failed++;
            return FuzzOutcome.Pass1Failed;
        }
        _ = compilation.PrintParseTreeBytes();
        if (lastPass == 1)
        {
            stats.Ran++;
            return FuzzOutcome.Ran;
        }
        if (compilation.FailedPass == 2)
        {
            stats.Pass2Failed++;
            return FuzzOutcome.Pass2Failed;
        }
        _ = compilation.PrintElaborated();
        if (compilation.FailedPass == 3)
        {
            // stap's translation errors (pass 3): reported, nothing runs
            stats.Pass3Failed++;
            return FuzzOutcome.Pass3Failed;
        }

        var errors = new StringWriter();
        var session = new ScriptSession(compilation, Stream.Null, errors, Host);
        using (session)
        {
            session.RunBegin();
            stats.Handlers++;
            var caller = new Caller(4243, 1000, 1000);
            foreach (var file in session.Files)
            {
                for (int i = 0; i < 2; i++)
                {
                    if (file.HasRead)
                    {
                        var content = new ArrayBufferWriter<byte>();
                        session.RunRead(file.Index, caller, content);
                        if (content.WrittenCount >= file.BufferSize && file.BufferSize > 0)
                        {
                            throw new InvalidOperationException($"read of {file.Path} returned {content.WrittenCount} bytes, capacity {file.BufferSize - 1}");
                        }
                        stats.Handlers++;
                    }
                    if (file.HasWrite)
                    {
                        session.RunWrite(file.Index, caller, WriteData[random.Next(WriteData.Length)]);
                        stats.Handlers++;
                    }
                }
                // An index the facade must refuse, not crash on.
                session.RunRead(-1, caller, new ArrayBufferWriter<byte>());
                session.RunWrite(session.Files.Count + 5, caller, "x"u8);
            }
            session.RunEnd();
            stats.Handlers++;
        }
        string err = errors.ToString();
        CheckNoInternalError(err, "run");
        if (err.Contains("ERROR:", StringComparison.Ordinal))
        {
            stats.RanWithErrors++;
            return FuzzOutcome.RanWithErrors;
        }
        stats.Ran++;
        return FuzzOutcome.Ran;
    }

    private static void CheckNoInternalError(string text, string where)
    {
        if (text.Contains("ERROR: internal error", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{where} reported an internal error: {text[..Math.Min(text.Length, 2000)]}");
        }
    }
}

/// <summary>
/// Runs inputs one at a time on a worker thread watched by a watchdog: an input that has used more
/// than the hang limit of CPU time, or is still running after the wall-clock ceiling, stops the run
/// with the input saved for replay; exceptions are collected.
/// </summary>
/// <remarks>
/// The limit is the worker thread's own CPU time (its POSIX thread CPU clock), not wall time: with
/// other jobs on the cores, or the whole test host paused, wall time can pass while the input is not
/// running at all (finding 9 of docs/RELIABILITY.md: one input "ran" 237 s of wall time on a loaded
/// machine and takes 8 ms alone). A hang that burns no CPU, such as a deadlock, still hits the
/// wall-clock ceiling.
/// </remarks>
internal sealed partial class FuzzRunner
{
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan WallCeiling = TimeSpan.FromSeconds(60);

    // The first inputs also pay for JIT compilation of the interpreter in this test host.
    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(20);
    private const int WarmUpInputs = 50;

    private readonly string _crashDirectory;

    public FuzzRunner(string crashDirectory) => _crashDirectory = crashDirectory;

    /// <summary>Where the input being run is kept, so that a crash that kills the test host leaves it behind.</summary>
    public string CurrentInputPath => Path.Combine(_crashDirectory, "current-input.stp");

    /// <summary>A hang, which ends the run; exceptions are collected in <see cref="Findings"/> and the run goes on.</summary>
    public string? Failure { get; private set; }

    /// <summary>PROCPROBE_FUZZ_DUMP: a directory that receives the first 200 generated scripts, to inspect the generator.</summary>
    public string? DumpDirectory { get; init; } = Environment.GetEnvironmentVariable("PROCPROBE_FUZZ_DUMP");

    /// <summary>Distinct exceptions (by type and throwing frame), each with its first input and how often it recurred.</summary>
    public Dictionary<string, (string Detail, int Count)> Findings { get; } = [];

    public string Report()
    {
        var sb = new StringBuilder();
        if (Failure is not null)
        {
            sb.Append(Failure).Append('\n');
        }
        foreach (var (key, (detail, count)) in Findings)
        {
            sb.Append(CultureInfo.InvariantCulture, $"--- {count} input(s): {key}\n{detail}\n");
        }
        return sb.ToString();
    }

    public FuzzStats Run(long iterations, int seed, IReadOnlyList<byte[]> seeds)
    {
        Directory.CreateDirectory(_crashDirectory);
        var stats = new FuzzStats();
        long current = -1;
        long startedAt = 0;
        long startedCpu = 0;
        int workerClock = 0;
        bool done = false;
        byte[] currentInput = [];
        var clock = Stopwatch.StartNew();

        var worker = new Thread(() =>
        {
            Volatile.Write(ref workerClock, ThreadCpuClock.OfCurrentThread());
            var random = new Random(seed);
            var generator = new ScriptGenerator(random);
            var pool = new List<byte[]>(seeds);
            for (long i = 0; i < iterations && Failure is null; i++)
            {
                byte[] input;
                int kind = i < seeds.Count ? 0 : random.Next(10);
                if (i < seeds.Count)
                {
                    input = seeds[(int)i];
                    stats.Seeds++;
                }
                else if (kind < 5)
                {
                    input = Encoding.UTF8.GetBytes(generator.Generate());
                    stats.Generated++;
                    if (DumpDirectory is not null && stats.Generated <= 200)
                    {
                        File.WriteAllBytes(Path.Combine(DumpDirectory, $"generated-{stats.Generated}.stp"), input);
                    }
                    if (pool.Count < 5000 && random.Next(20) == 0)
                    {
                        pool.Add(input);
                    }
                }
                else
                {
                    byte[] parent = kind < 8 && pool.Count > 0 ? pool[random.Next(pool.Count)] : Encoding.UTF8.GetBytes(generator.Generate());
                    input = ScriptMutator.Mutate(parent, random, pool);
                    stats.Mutated++;
                }
                currentInput = input;
                if (i % 64 == 0 || i < WarmUpInputs)
                {
                    // Cheap enough every 64 inputs; the exact input is also kept in memory for the watchdog.
                    File.WriteAllBytes(CurrentInputPath, input);
                }
                Volatile.Write(ref startedCpu, ThreadCpuClock.Nanoseconds(workerClock));
                Volatile.Write(ref startedAt, clock.ElapsedTicks);
                Volatile.Write(ref current, i);
                try
                {
                    FuzzHarness.Run(input, new Random(seed ^ (int)i), stats);
                }
                catch (Exception e)
                {
                    string frame = e.StackTrace?.Split('\n').FirstOrDefault(l => !l.Contains("ThrowHelper", StringComparison.Ordinal))?.Trim() ?? "";
                    string key = $"{e.GetType().Name} {frame}";
                    lock (Findings)
                    {
                        Findings[key] = Findings.TryGetValue(key, out var f)
                            ? (f.Detail, f.Count + 1)
                            : ($"input {i} threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}\nsaved as {Save(input, i)}", 1);
                    }
                }
                var elapsed = TimeSpan.FromTicks((ThreadCpuClock.Nanoseconds(workerClock) - Volatile.Read(ref startedCpu)) / 100);
                if (elapsed > stats.Slowest && i >= WarmUpInputs)
                {
                    stats.Slowest = elapsed;
                }
                stats.Inputs++;
                stats.InputBytes += input.Length;
                Volatile.Write(ref current, -1);
            }
            Volatile.Write(ref done, true);
        }, 16 << 20)
        {
            IsBackground = true,
            Name = "procprobe-fuzz",
        };
        worker.Start();

        while (!Volatile.Read(ref done))
        {
            Thread.Sleep(50);
            long i = Volatile.Read(ref current);
            if (i < 0)
            {
                continue;
            }
            var wall = TimeSpan.FromSeconds((double)(clock.ElapsedTicks - Volatile.Read(ref startedAt)) / Stopwatch.Frequency);
            var cpu = TimeSpan.FromTicks((ThreadCpuClock.Nanoseconds(workerClock) - Volatile.Read(ref startedCpu)) / 100);
            var limit = i < WarmUpInputs ? WarmUpLimit : HangLimit;
            if ((cpu > limit || wall > WallCeiling) && Volatile.Read(ref current) == i)
            {
                Failure = $"input {i} still running after {cpu.TotalSeconds:F1} s of CPU time, {wall.TotalSeconds:F1} s of wall time " +
                    $"(limits {limit.TotalSeconds} s CPU, {WallCeiling.TotalSeconds} s wall); saved as {Save(currentInput, i)}";
                break; // the worker is a background thread; the test host ends it
            }
        }
        stats.Elapsed = clock.Elapsed;
        return stats;
    }

    /// <summary>A thread's CPU clock (pthread_getcpuclockid), readable from any thread.</summary>
    private static partial class ThreadCpuClock
    {
#pragma warning disable CS8981 // C name kept
        [StructLayout(LayoutKind.Sequential)]
        private struct timespec
        {
            public long tv_sec;
            public long tv_nsec;
        }
#pragma warning restore CS8981

        [LibraryImport("libc", EntryPoint = "pthread_self")]
        private static partial nuint pthread_self();

        [LibraryImport("libc", EntryPoint = "pthread_getcpuclockid")]
        private static partial int pthread_getcpuclockid(nuint thread, out int clockId);

        [LibraryImport("libc", EntryPoint = "clock_gettime")]
        private static partial int clock_gettime(int clockId, out timespec value);

        public static int OfCurrentThread() =>
            pthread_getcpuclockid(pthread_self(), out int id) == 0 ? id : throw new InvalidOperationException("pthread_getcpuclockid failed");

        public static long Nanoseconds(int clockId) =>
            clockId != 0 && clock_gettime(clockId, out var t) == 0 ? t.tv_sec * 1_000_000_000 + t.tv_nsec : 0;
    }

    private string Save(byte[] input, long index)
    {
        string path = Path.Combine(_crashDirectory, $"finding-{index}.stp");
        File.WriteAllBytes(path, input);
        return $"{path} (base64 {Convert.ToBase64String(input.AsSpan(0, Math.Min(input.Length, 4000)))})";
    }
}
