namespace ProcProbe.Native;

/// <summary>
/// A shell without job control starts background commands with SIGINT ignored, and an ignored
/// signal stays ignored even once a handler is registered: `procprobe … &amp;` would then outlive
/// `kill -INT`, mount and all. The stop signals are returned to their default before procprobe
/// registers its own handlers.
/// </summary>
public static class StopSignals
{
    /// <summary>Resets SIGINT, SIGTERM and SIGHUP to SIG_DFL when they were inherited as ignored.
    /// Call before any signal handler is registered.</summary>
    public static void ClearInheritedIgnores()
    {
        ulong ignored = ReadSigIgn();
        foreach (int sig in (ReadOnlySpan<int>)[Interop.LibC.SIGINT, Interop.LibC.SIGTERM, Interop.LibC.SIGHUP])
        {
            if ((ignored & (1UL << (sig - 1))) != 0)
            {
                Interop.LibC.Signal(sig, 0 /* SIG_DFL, a null handler pointer */);
            }
        }
    }

    // The SigIgn: line of /proc/self/status is the ignored-signal mask in hex, bit N-1 for signal N.
    private static ulong ReadSigIgn()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
            {
                return Convert.ToUInt64(line[7..].Trim(), 16);
            }
        }
        return 0;
    }
}
