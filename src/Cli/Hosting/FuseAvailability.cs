using ProcProbe.Native;

namespace ProcProbe.Cli.Hosting;

/// <summary>The two things a machine needs before files can be served; each missing one is one line saying what to install.</summary>
internal static class FuseAvailability
{
    public static bool Check(out string? error)
    {
        if (!File.Exists("/dev/fuse"))
        {
            error = "/dev/fuse is missing: load the fuse kernel module ('modprobe fuse'), or give the container the device ('--device /dev/fuse')";
            return false;
        }
        return LibFuse.TryLoad(out error);
    }
}
