namespace ProcProbe.Interpreter.Binding;

/// <summary>A procfs path and what serves it, as the binder settles it (procfs-semantics.md §1.4, §2.2, §3.1).</summary>
internal sealed class ProcfsPathInfo
{
    public ProcfsPathInfo(string path) => Path = path;

    public string Path { get; }
    public BoundProbe? ReadProbe { get; set; }
    public List<BoundProbe> WriteProbes { get; } = new();
    public int Index { get; set; }
}

/// <summary>The bound, type-checked script: what the evaluator runs and the -p2 listing prints.</summary>
internal sealed class BoundProgram
{
    public List<VariableSymbol> Globals { get; } = new();
    public List<FunctionSymbol> Functions { get; } = new();
    public List<BoundProbe> Probes { get; } = new();
    public List<ProcfsPathInfo> Paths { get; } = new();

    /// <summary>Statements constant folding removed, with the function they were in (null: a probe):
    /// still type checked, as stap checks them before it folds.</summary>
    public List<(FunctionSymbol? Function, BoundStatement Statement)> FoldedAway { get; } = new();

    /// <summary>Synthesized end probe that prints written-but-never-read globals (language.md §3.12).</summary>
    public List<VariableSymbol> DisplayGlobals { get; } = new();

    /// <summary>Deepest static call chain (+1), or -1 when recursion makes it unbounded.</summary>
    public int StaticNesting { get; set; }
    public bool HasRecursion { get; set; }

    /// <summary>The script calls matched()/matched_str()/ngroups(), so regex matches keep their groups.</summary>
    public bool UsesMatched { get; set; }

    /// <summary>Some expression uses <c>&gt;&gt;&gt;</c> (only then can constant folding meet it).</summary>
    public bool HasShiftRightLogical { get; set; }

    /// <summary>Errors stap raises only when it translates the script (pass 3), after a successful pass 2:
    /// -p2 still succeeds, a run fails with them.</summary>
    public Diagnostics.DiagnosticBag TranslateDiagnostics { get; } = new();
}
