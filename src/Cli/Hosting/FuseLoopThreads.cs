namespace ProcProbe.Cli.Hosting;

/// <summary>
/// How many threads serve the FUSE loop: $PROCPROBE_FUSE_THREADS, a benchmarking knob rather than an
/// option (bench/README.md, "Loop choice"). 1 is one loop thread; N ≥ 2 is N threads each reading
/// /dev/fuse. Handlers stay serialised by the session lock either way (CONTRACT §6).
/// </summary>
internal static class FuseLoopThreads
{
    public const string Variable = "PROCPROBE_FUSE_THREADS";

    /// <summary>Unset or empty: one loop thread, the faster loop for one client (bench/README.md, "Loop choice").</summary>
    public const int Default = 1;

    /// <summary>More threads than requests can be in flight at once only cost memory.</summary>
    public const int Max = 64;

    public static bool TryRead(out int threads, out string? error)
    {
        string? value = Environment.GetEnvironmentVariable(Variable);
        error = null;
        threads = Default;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        // Digits only: no sign, blanks or hex, so that what was measured is exactly what was asked for.
        if (value.Length <= 2 && value.All(char.IsAsciiDigit))
        {
            int n = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            if (n is >= 1 and <= Max)
            {
                threads = n;
                return true;
            }
        }

        error = $"procprobe: {Variable} needs a whole number from 1 to {Max}, not '{value}'";
        return false;
    }
}
