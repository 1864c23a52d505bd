namespace ProcProbe.Interpreter;

/// <summary>Command-line settings that shape compilation and run time (stap's -D limits, -u, -w, -W, ...).</summary>
public sealed class ScriptOptions
{
    /// <summary>Script arguments, for <c>$1</c>/<c>@1</c>, <c>argc</c> and <c>argv</c>.</summary>
    public IReadOnlyList<string> Arguments { get; set; } = [];

    /// <summary>-DMAXSTRINGLEN: strings hold at most this minus one bytes (512 on 64-bit hosts).</summary>
    public int MaxStringLen { get; set; } = 512;

    /// <summary>-DSTP_PROCFS_BUFSIZE: default procfs read buffer size; null means MAXSTRINGLEN.</summary>
    public int? ProcfsBufSize { get; set; }

    /// <summary>-DMAXERRORS: run-time errors tolerated before the session stops.</summary>
    public int MaxErrors { get; set; }

    /// <summary>
    /// -DMAXACTION: statements per probe hit. stap's default INTERRUPTIBLE=1 multiplies it by 10, so the
    /// effective budget is <see cref="EffectiveMaxAction"/> (10000 by default).
    /// </summary>
    public long MaxAction { get; set; } = 1000;

    /// <summary>-DMAXMAPENTRIES: default array capacity.</summary>
    public int MaxMapEntries { get; set; } = 2048;

    /// <summary>-DMAXNESTING: maximum nested function calls; null computes stap's default from the call graph.</summary>
    public int? MaxNesting { get; set; }

    /// <summary>-DMAXSKIPPED.</summary>
    public int MaxSkipped { get; set; } = 100;

    /// <summary>-u: keep empty probes and unused code.</summary>
    public bool Unoptimized { get; set; }

    /// <summary>-w: no warnings.</summary>
    public bool SuppressWarnings { get; set; }

    /// <summary>-W: warnings are errors.</summary>
    public bool WarningsAsErrors { get; set; }

    /// <summary>--suppress-handler-errors.</summary>
    public bool SuppressHandlerErrors { get; set; }

    /// <summary>-g (accepted; embedded C is still refused since it cannot run in user space).</summary>
    public bool Guru { get; set; }

    /// <summary>-x PID: value of target().</summary>
    public int TargetPid { get; set; }

    /// <summary>-v count (pass-2 verbosity when per-pass values are given).</summary>
    public int Verbosity { get; set; }

    /// <summary>-m NAME or the generated module name, for module_name().</summary>
    public string ModuleName { get; set; } = "stap_procprobe";

    public long EffectiveMaxAction => MaxAction * 10;

    /// <summary>Read capacity + 1 for a path without .maxsize.</summary>
    public int DefaultProcfsBufSize => ProcfsBufSize ?? MaxStringLen;
}
