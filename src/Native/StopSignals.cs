namespace ProcProbe.Native;

/// <summary>
/// A shell without job control starts background commands with SIGINT ignored, and an ignored
/// signal stays ignored even once a handler is registered: `procprobe … &amp;` would then outlive
/// `kill -INT`, mount and all. The stop signals are returned to their default before procprobe
/// registers its own handlers.
/// </summary>
public static class StopSignals
{
    // glibc's struct sigaction is 152 bytes on x86_64 and arm64; only its first member, the handler, is read.
    private const int SigactionBufferSize = 256;

    // SIG_IGN, the handler value of an ignored signal: ((void (*)(int)) 1).
    private const nint SigIgn = 1;

    /// <summary>Resets SIGINT, SIGTERM and SIGHUP to SIG_DFL when they were inherited as ignored.
    /// Call before any signal handler is registered.</summary>
    public static unsafe void ClearInheritedIgnores()
    {
        byte* action = stackalloc byte[SigactionBufferSize];
        foreach (int sig in (ReadOnlySpan<int>)[Interop.LibC.SIGINT, Interop.LibC.SIGTERM, Interop.LibC.SIGHUP])
        {
            // A query (no new action) answers with the current disposition; its handler comes first.
            if (Interop.LibC.Sigaction(sig, null, action) == 0 && *(nint*)action == SigIgn)
            {
                Interop.LibC.Signal(sig, 0 /* SIG_DFL, a null handler pointer */);
            }
        }
    }
}
