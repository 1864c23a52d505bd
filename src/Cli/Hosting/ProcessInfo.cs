using ProcProbe.Native;

namespace ProcProbe.Cli.Hosting;

/// <summary>Facts about processes, from /proc or (this process's own) from ProcProbe.Native, so the CLI needs
/// no libc binding of its own.</summary>
internal static class ProcessInfo
{
    /// <summary>Real and effective ids of this process.</summary>
    public static (uint RealUid, uint EffectiveUid, uint RealGid, uint EffectiveGid) CurrentIds() => ProcessFacts.Ids();

    /// <summary>The command name of a process (/proc/PID/comm), or "" when it is gone.</summary>
    public static string CommandName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The parent pid of a process (field 4 of /proc/PID/stat), or 0 when it is gone.</summary>
    public static int ParentPid(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may contain spaces and parentheses; fields restart after the last ')'.
            int close = stat.LastIndexOf(')');
            string[] rest = stat[(close + 2)..].Split(' ');
            return int.Parse(rest[1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>
    /// True when procprobe was started with fd 1 closed. The runtime then takes fd 1 for a
    /// close-on-exec copy of stderr, which an inherited standard output never is; script output
    /// written there would land on stderr (or, after another open, in an unrelated file).
    /// </summary>
    public static bool StandardOutputWasClosed() => WasClosedAtStart(1);

    /// <summary>The same test for any of fds 0-2: a descriptor inherited across exec can never be close-on-exec.</summary>
    public static bool WasClosedAtStart(int fd) => ProcessFacts.IsClosedOrCloseOnExec(fd);
}
