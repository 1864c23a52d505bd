using ProcProbe.Cli.CommandLine;
using ProcProbe.Cli.Hosting;
using ProcProbe.Cli.Listing;

namespace ProcProbe.Cli;

internal static class Program
{
    public const string Version = "0.1.0";

    private static int Main(string[] args)
    {
        // Started with fd 2 closed, "stderr" is whatever the runtime opened there (possibly its own
        // signal pipe): writing a message could break signal handling, so exit without one.
        if (ProcessInfo.WasClosedAtStart(2))
        {
            return 1;
        }
        // Writers over the raw descriptors, not System.Console's (see StandardStreams).
        TextWriter stderr = RawWriter(StandardStreams.Error());
        TextWriter stdout = RawWriter(StandardStreams.Output());
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
            stdout.Write(HelpText.Usage);
            return 0;
        }
        if (options.ShowVersion)
        {
            stdout.WriteLine($"procprobe {Version}: SystemTap procfs probes in user space (script language of SystemTap 5.6)");
            return 0;
        }
        foreach (string notice in options.Notices)
        {
            stderr.WriteLine(notice);
        }

        if (options.IsListing)
        {
            return new ProbeLister(options, stdout, stderr).Run();
        }
        return new SessionRunner(options, stdout, stderr).Run();
    }

    // Synchronized: handlers on FUSE threads report errors while the main thread writes too.
    private static TextWriter RawWriter(Stream stream) => TextWriter.Synchronized(
        new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true, NewLine = "\n" });
}
