namespace ProcProbe.Cli.CommandLine;

/// <summary>A command line that cannot be run. <see cref="ExitCode"/> follows stap: 2 for
/// syntax (unknown option, missing argument), 1 for a value stap itself rejects.
/// <see cref="PointToHelp"/> adds the "Try --help" line; a refusal that already says why does not need it.</summary>
internal sealed class UsageException(string message, int exitCode = 2, bool pointToHelp = true) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
    public bool PointToHelp { get; } = pointToHelp && exitCode == 2;
}
