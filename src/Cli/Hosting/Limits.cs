using System.Globalization;
using ProcProbe.Cli.CommandLine;
using ProcProbe.Interpreter;

namespace ProcProbe.Cli.Hosting;

/// <summary>The -D NAME=VALUE limits of CONTRACT §2. Other names are accepted and ignored, as stap
/// passes them to a C compiler that procprobe does not have.</summary>
internal static class Limits
{
    public static void Apply(ScriptOptions o, string name, string? value)
    {
        switch (name)
        {
            case "MAXSTRINGLEN": o.MaxStringLen = Number(name, value, min: 2); break;
            case "STP_PROCFS_BUFSIZE": o.ProcfsBufSize = Number(name, value, min: 2); break;
            case "MAXERRORS": o.MaxErrors = Number(name, value, min: 0); break;
            case "MAXACTION": o.MaxAction = Number(name, value, min: 1); break;
            case "MAXMAPENTRIES": o.MaxMapEntries = Number(name, value, min: 1); break;
            case "MAXNESTING": o.MaxNesting = Number(name, value, min: 0); break;
            case "MAXSKIPPED": o.MaxSkipped = Number(name, value, min: 0); break;
        }
    }

    private static int Number(string name, string? value, int min)
    {
        if (value is null || !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) || n < min)
        {
            throw new UsageException($"procprobe: -D {name} needs a whole number of at least {min}, not '{value}'", 1);
        }
        return n;
    }
}
