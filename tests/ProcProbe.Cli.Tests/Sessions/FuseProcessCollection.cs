namespace ProcProbe.Cli.Tests.Sessions;

/// <summary>Process tests mount real FUSE file systems and send signals; they run one at a time.</summary>
[CollectionDefinition(nameof(FuseProcessCollection), DisableParallelization = true)]
public sealed class FuseProcessCollection;
