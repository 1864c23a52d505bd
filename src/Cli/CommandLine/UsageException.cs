namespace ProcProbe.Cli.CommandLine;

/// <summary>A command line that cannot be run. <see cref="ExitCode"/> follows stap: 2 for
/// syntax (unknown option, missing argument), 1 for a value stap itself rejects.</summary>
internal sealed class UsageException(string message, int exitCode = 2) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
