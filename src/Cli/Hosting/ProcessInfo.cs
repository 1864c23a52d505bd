namespace ProcProbe.Cli.Hosting;

/// <summary>Facts about processes read from /proc, so the CLI needs no libc binding of its own.</summary>
internal static class ProcessInfo
{
    /// <summary>Real and effective ids of this process, from the Uid:/Gid: lines of /proc/self/status.</summary>
    public static (uint RealUid, uint EffectiveUid, uint RealGid, uint EffectiveGid) CurrentIds()
    {
        uint ruid = 0, euid = 0, rgid = 0, egid = 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                (ruid, euid) = FirstTwo(line);
            }
            else if (line.StartsWith("Gid:", StringComparison.Ordinal))
            {
                (rgid, egid) = FirstTwo(line);
            }
        }
        return (ruid, euid, rgid, egid);

        static (uint, uint) FirstTwo(string line)
        {
            string[] parts = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return (uint.Parse(parts[1]), uint.Parse(parts[2]));
        }
    }

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
    public static bool WasClosedAtStart(int fd)
    {
        const int O_CLOEXEC = 0x80000;
        try
        {
            foreach (string line in File.ReadLines($"/proc/self/fdinfo/{fd}"))
            {
                if (line.StartsWith("flags:", StringComparison.Ordinal))
                {
                    int flags = Convert.ToInt32(line[6..].Trim(), 8);
                    return (flags & O_CLOEXEC) != 0;
                }
            }
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
