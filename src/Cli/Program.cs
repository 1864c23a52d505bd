using ProcProbe.Cli.CommandLine;
using ProcProbe.Cli.Hosting;
using ProcProbe.Cli.Listing;

namespace ProcProbe.Cli;

internal static class Program
{
    public const string Version = "0.1.0";

    private static int Main(string[] args)
    {
        TextWriter stderr = Console.Error;
        CliOptions options;
        try
        {
            options = CommandLineParser.Parse(args);
        }
        catch (UsageException e)
        {
            stderr.WriteLine(e.ExitCode == 2 ? $"procprobe: {e.Message}" : e.Message);
            if (e.PointToHelp)
            {
                stderr.WriteLine("Try 'procprobe --help' for more information.");
            }
            return e.ExitCode;
        }

        if (options.ShowHelp)
        {
            Console.Out.Write(HelpText.Usage);
            return 0;
        }
        if (options.ShowVersion)
        {
            Console.Out.WriteLine($"procprobe {Version}: SystemTap procfs probes in user space (script language of SystemTap 5.6)");
            return 0;
        }
        foreach (string notice in options.Notices)
        {
            stderr.WriteLine(notice);
        }

        if (options.IsListing)
        {
            return new ProbeLister(options, Console.Out, stderr).Run();
        }
        return new SessionRunner(options, stderr).Run();
    }
}
