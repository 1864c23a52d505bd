using System.Runtime.InteropServices;

namespace ProcProbe.Native;

/// <summary>
/// Facts about this process that the command line needs at start-up, each from one system call
/// (reading and parsing /proc/self files for them costs more than the rest of a small script's start).
/// </summary>
public static class ProcessFacts
{
    /// <summary>Real and effective user and group ids.</summary>
    public static (uint RealUid, uint EffectiveUid, uint RealGid, uint EffectiveGid) Ids() =>
        (Interop.LibC.GetUid(), Interop.LibC.GetEUid(), Interop.LibC.GetGid(), Interop.LibC.GetEGid());

    /// <summary>
    /// True when <paramref name="fd"/> is not open or is close-on-exec. A descriptor inherited across
    /// exec never is close-on-exec, so for fds 0-2 this tells one the runtime opened itself because the
    /// process started with it closed.
    /// </summary>
    public static bool IsClosedOrCloseOnExec(int fd)
    {
        int flags = Interop.LibC.Fcntl(fd, Interop.LibC.F_GETFD, 0);
        return flags < 0 ? Marshal.GetLastPInvokeError() == Interop.LibC.EBADF : (flags & Interop.LibC.FD_CLOEXEC) != 0;
    }

    /// <summary>Whether <paramref name="fd"/> is a terminal.</summary>
    public static bool IsTerminal(int fd) => Interop.LibC.IsATty(fd) == 1;
}
