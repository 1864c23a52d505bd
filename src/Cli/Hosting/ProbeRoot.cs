namespace ProcProbe.Cli.Hosting;

/// <summary>Where module directories live (CONTRACT §3): --root, $PROCPROBE_ROOT, /run/procprobe
/// for root, $XDG_RUNTIME_DIR/procprobe, else /tmp/procprobe-UID.</summary>
internal static class ProbeRoot
{
    public static string Resolve(string? option, uint euid)
    {
        if (!string.IsNullOrEmpty(option))
        {
            return Path.GetFullPath(option);
        }
        string? env = Environment.GetEnvironmentVariable("PROCPROBE_ROOT");
        if (!string.IsNullOrEmpty(env))
        {
            return Path.GetFullPath(env);
        }
        if (euid == 0)
        {
            return "/run/procprobe";
        }
        string? xdg = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(xdg))
        {
            return Path.Combine(xdg, "procprobe");
        }
        return $"/tmp/procprobe-{euid}";
    }
}
