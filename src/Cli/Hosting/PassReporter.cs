using System.Diagnostics;
using System.Globalization;

namespace ProcProbe.Cli.Hosting;

/// <summary>What pass 2 produced, counted from the -p2 listing (so the numbers are those of the listing stap would print).</summary>
internal sealed class ElaboratedCounts
{
    public int Probes { get; private set; }
    public HashSet<string> Functions { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Embeds { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Globals { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds the entries of one -p2 listing: its section headers are <c># global embedded code</c>,
    /// <c># globals</c>, <c># functions</c> and <c># probes</c>; indented lines are a probe's locals.</summary>
    public ElaboratedCounts Add(string listing)
    {
        string section = "";
        foreach (string line in listing.Split('\n'))
        {
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                section = line;
                continue;
            }
            if (line.Length == 0 || line.StartsWith("  ", StringComparison.Ordinal))
            {
                continue;
            }
            switch (section)
            {
                case "# global embedded code": Embeds.Add(line); break;
                case "# globals": Globals.Add(line); break;
                case "# functions": Functions.Add(line); break;
                case "# probes": Probes++; break;
            }
        }
        return this;
    }
}

/// <summary>
/// stap's -v pass lines: <c>Pass 1: parsed user script and N library scripts using
/// Avirt/Bres/Cshr/Ddata kb, in Uusr/Ssys/Rreal ms.</c> and the like, each with the memory of this
/// process (from /proc/self/statm, as stap reads it) and the CPU and wall time of that pass alone.
/// </summary>
internal sealed class PassReporter
{
    private readonly Stopwatch _wall = new();
    private TimeSpan _user, _system;

    /// <summary>Marks the start of a pass: the times of the next line are counted from here.</summary>
    public void StartPass()
    {
        (_user, _system) = CpuTimes();
        _wall.Restart();
    }

    public string Pass1Parsed() =>
        $"Pass 1: parsed user script and 0 library scripts {MemoryUsage()}{Times()}";

    public string Pass2Analyzed(ElaboratedCounts c) =>
        $"Pass 2: analyzed script: {Count(c.Probes, "probe")}, {Count(c.Functions.Count, "function")}, " +
        $"{Count(c.Embeds.Count, "embed")}, {Count(c.Globals.Count, "global")} {MemoryUsage()}{Times()}";

    public static string Pass5Starting => "Pass 5: starting run.";

    public string Pass5Completed() => $"Pass 5: run completed in {Elapsed()}.";

    private string Times() => $"in {Elapsed()}.";

    private string Elapsed()
    {
        var (user, system) = CpuTimes();
        return string.Create(CultureInfo.InvariantCulture,
            $"{(long)(user - _user).TotalMilliseconds}usr/{(long)(system - _system).TotalMilliseconds}sys/{_wall.ElapsedMilliseconds}real ms");
    }

    private static string Count(int n, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");

    /// <summary><c>using Avirt/Bres/Cshr/Ddata kb, </c>: fields 1, 2, 3 and 6 of /proc/self/statm, in kB.</summary>
    public static string MemoryUsage()
    {
        long[] pages = new long[6];
        try
        {
            string[] fields = File.ReadAllText("/proc/self/statm").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < pages.Length && i < fields.Length; i++)
            {
                pages[i] = long.Parse(fields[i], CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // Without /proc the line still appears, with zeros, so tools that match on it keep working.
        }
        long kb = Environment.SystemPageSize / 1024;
        return string.Create(CultureInfo.InvariantCulture,
            $"using {pages[0] * kb}virt/{pages[1] * kb}res/{pages[2] * kb}shr/{pages[5] * kb}data kb, ");
    }

    private static (TimeSpan User, TimeSpan System) CpuTimes()
    {
        using var self = Process.GetCurrentProcess();
        return (self.UserProcessorTime, self.PrivilegedProcessorTime);
    }
}
