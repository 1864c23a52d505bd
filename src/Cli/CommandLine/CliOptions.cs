namespace ProcProbe.Cli.CommandLine;

/// <summary>What the command line asked for, after validation. Immutable once parsed.</summary>
internal sealed record CliOptions
{
    /// <summary>The script text given with -e, or null when it comes from a file or stdin.</summary>
    public string? ScriptText { get; init; }

    /// <summary>The script file (<c>-</c> for standard input), or null with -e.</summary>
    public string? ScriptFile { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];
    public string? ModuleName { get; init; }
    public string? OutputFile { get; init; }
    public string? Command { get; init; }
    public int? TargetPid { get; init; }

    /// <summary>Last pass to run (1, 2 or 5).</summary>
    public int LastPass { get; init; } = 5;

    /// <summary>Verbosity per pass, index 0 = pass 1; -v raises all of them.</summary>
    public IReadOnlyList<int> PassVerbosity { get; init; } = [0, 0, 0, 0, 0];

    public IReadOnlyList<KeyValuePair<string, string?>> Defines { get; init; } = [];
    public bool Unoptimized { get; init; }
    public bool SuppressWarnings { get; init; }
    public bool WarningsAsErrors { get; init; }
    public bool Guru { get; init; }
    public bool SuppressHandlerErrors { get; init; }
    public string? ListPattern { get; init; }
    public bool ListWithVariables { get; init; }
    public bool DumpProbeTypes { get; init; }
    public bool DumpProbeAliases { get; init; }

    /// <summary>-l, -L or a --dump-* switch: list, don't run a script.</summary>
    public bool IsListing => ListPattern is not null || DumpProbeTypes || DumpProbeAliases;
    public int? TimeoutSeconds { get; init; }
    public string? Root { get; init; }
    public bool AllowOther { get; init; }
    public bool ShowHelp { get; init; }
    public bool ShowVersion { get; init; }

    /// <summary>Messages stap prints while accepting an option (e.g. module-name truncation).</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    public int Verbosity(int pass) => PassVerbosity[pass - 1];
}
