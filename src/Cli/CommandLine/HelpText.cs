using System.Text;

namespace ProcProbe.Cli.CommandLine;

/// <summary>--help: the usage forms, then every accepted option of <see cref="OptionTable"/> in stap's
/// two-column layout, the refused kernel-only options, files and exit status.</summary>
internal static class HelpText
{
    private const string Head = """
        Usage: procprobe [options] FILE [ARGS ...]      run the script in FILE (- stdin)
           or: procprobe [options] -e SCRIPT [ARGS ...] run the script given here
           or: procprobe [options] -l PROBE             list matching probe points
           or: procprobe [options] -L PROBE             ... and their variables
           or: procprobe [options] --dump-probe-types   list the probe point types
           or: procprobe [options] --dump-probe-aliases list the probe aliases

        SystemTap's procfs probes in user space: each procfs("PATH") probe of the script
        is served through FUSE as the file ROOT/MODNAME/PATH while the script runs.

        Options (stap's letters and meanings):
           --         end of options; the rest are script arguments ($1, @1, ...)

        """;

    private const string Tail = """

        Exit status: 0 success, 1 parse, semantic or run-time failure, 2 usage error.
        More in procprobe(1): files, environment, troubleshooting, differences
        from stap.

        """;

    public static string Usage { get; } = Build();

    private static string Build()
    {
        const int column = 11;
        var b = new StringBuilder(Head);
        foreach (OptionSpec o in OptionTable.Accepted)
        {
            string label = o.Label;
            string[] help = o.Help.Split('\n');
            b.Append("   ").Append(label);
            if (label.Length < column)
            {
                b.Append(' ', column - label.Length);
            }
            else
            {
                b.Append('\n').Append(' ', 3 + column);
            }
            b.Append(help[0]).Append('\n');
            for (int i = 1; i < help.Length; i++)
            {
                b.Append(' ', 3 + column).Append(help[i]).Append('\n');
            }
        }

        b.Append("\nRefused, since they only mean something for a kernel module:\n  ");
        int width = 2;
        foreach (OptionSpec o in OptionTable.Refused)
        {
            string name = o.Short != '\0' ? "-" + o.Short : o.Long!;
            if (width + name.Length + 1 > 78)
            {
                b.Append("\n  ");
                width = 2;
            }
            b.Append(' ').Append(name);
            width += name.Length + 1;
        }
        b.Append('\n');
        b.Append(Tail);
        return b.ToString();
    }
}
