using ProcProbe.Native;

namespace ProcProbe.Cli.Hosting;

/// <summary>What a machine needs before files can be served; each missing piece is one line saying what to install.</summary>
internal static class FuseAvailability
{
    public static bool Check(out string? error)
    {
        if (!LibFuse.CheckDevice(out string deviceError))
        {
            error = deviceError;
            return false;
        }
        bool loaded = LibFuse.TryLoad(out string loadError);
        error = loaded ? null : loadError;
        return loaded;
    }
}
