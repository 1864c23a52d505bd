using System.Text;
using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Binding;

/// <summary>
/// The checks that follow type inference: empty-probe elision, "no probes found", the procfs file table
/// (modes, sizes, path conflicts), the end-of-run display of written-but-never-read globals, warnings,
/// and storage slot assignment.
/// </summary>
internal sealed class SemanticChecker
{
    private readonly BoundProgram _program;
    private readonly ScriptOptions _options;
    private readonly DiagnosticBag _diagnostics;

    public SemanticChecker(BoundProgram program, ScriptOptions options, DiagnosticBag diagnostics)
    {
        _program = program;
        _options = options;
        _diagnostics = diagnostics;
    }

    public void Run()
    {
        if (!_options.Unoptimized)
            ElideEmptyProbes();
        if (_program.Probes.Count == 0)
        {
            _diagnostics.ReportSemanticError("elaborate:no-probes", "no probes found", null);
            return;
        }
        BuildPaths();
        ChooseDisplayGlobals();
        AssignSlots();
    }

    private void Warn(string origin, string message, Token token)
    {
        if (!_options.SuppressWarnings)
            _diagnostics.ReportWarning("warning:" + message, message, token);
    }

    internal void ElideEmptyProbes()
    {
        // compacted in place: usually every probe stays
        var probes = _program.Probes;
        int kept = 0;
        for (int i = 0; i < probes.Count; i++)
        {
            var p = probes[i];
            if (p.Body.Statements.Length == 0 || IsEmptyBlock(p.Body))
            {
                string name = p.UserPointText.Split('.', '(')[0];
                Warn("elaborate:probe-elided", $"Probe '{name}' has been elided", p.Token);
                continue;
            }
            probes[kept++] = p;
        }
        probes.RemoveRange(kept, probes.Count - kept);
    }

    private static bool IsEmptyBlock(BoundStatement s) => s switch
    {
        BoundBlock b => AllEmpty(b.Statements),
        // constant folding keeps only the branch a constant condition selects
        BoundIf i when Binder.ConstantValue(i.Condition) is long known
            => known != 0 ? IsEmptyBlock(i.Then) : i.Else is null || IsEmptyBlock(i.Else),
        _ => false,
    };

    private static bool AllEmpty(BoundStatement[] statements)
    {
        foreach (var s in statements)
        {
            if (!IsEmptyBlock(s))
                return false;
        }
        return true;
    }

    private void BuildPaths()
    {
        var byPath = new SortedDictionary<string, ProcfsPathInfo>(StringComparer.Ordinal);
        foreach (var p in _program.Probes)
        {
            if (p.Kind is not (ProbeKind.ProcfsRead or ProbeKind.ProcfsWrite))
                continue;
            if (!byPath.TryGetValue(p.ProcfsPath, out var info))
                byPath[p.ProcfsPath] = info = new ProcfsPathInfo(p.ProcfsPath);
            if (p.Kind == ProbeKind.ProcfsRead)
                info.ReadProbe ??= p;
            else
                info.WriteProbes.Add(p);
        }
        // A path that is both a file and a directory of another path cannot be served.
        var files = new HashSet<string>(byPath.Keys, StringComparer.Ordinal);
        foreach (var path in byPath.Keys)
        {
            int slash = path.IndexOf('/');
            while (slash > 0)
            {
                string dir = path[..slash];
                if (files.Contains(dir))
                {
                    var probe = byPath[path].ReadProbe ?? byPath[path].WriteProbes[0];
                    _diagnostics.ReportSemanticError("procfs:file-dir",
                        $"procfs path \"{dir}\" is both a file and a directory", probe.Token);
                }
                slash = path.IndexOf('/', slash + 1);
            }
        }
        int index = 0;
        foreach (var info in byPath.Values)
        {
            info.Index = index++;
            if (info.ReadProbe is not null)
                info.ReadProbe.FileIndex = info.Index;
            foreach (var w in info.WriteProbes)
                w.FileIndex = info.Index;
            _program.Paths.Add(info);
        }
    }

    private void ChooseDisplayGlobals()
    {
        // stap counts a delete (of a variable, an element or a histogram bucket) as a read here: such a
        // global is not displayed
        HashSet<VariableSymbol>? deleted = null;
        bool anyCandidate = false;
        foreach (var g in _program.Globals)
            anyCandidate |= IsDisplayCandidate(g);
        // the walk below only vetoes candidates: without one there is nothing to look for
        if (!anyCandidate)
            return;
        // a delete is a statement, and no expression holds a statement: the walk visits statements only
        var pending = new Stack<BoundStatement>();
        foreach (var p in _program.Probes)
            pending.Push(p.Body);
        foreach (var f in _program.Functions)
        {
            if (f.Body is not null)
                pending.Push(f.Body);
        }
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case BoundBlock b:
                    foreach (var s in b.Statements)
                        pending.Push(s);
                    break;
                case BoundIf i:
                    pending.Push(i.Then);
                    if (i.Else is not null)
                        pending.Push(i.Else);
                    break;
                case BoundFor f:
                    pending.Push(f.Body);
                    break;
                case BoundForeach fe:
                    pending.Push(fe.Body);
                    break;
                case BoundHistogramForeach hf:
                    pending.Push(hf.Body);
                    break;
                case BoundTry t:
                    pending.Push(t.TryBlock);
                    pending.Push(t.CatchBlock);
                    break;
                case BoundDelete { Target: BoundVariable { Symbol: var whole } }:
                    // a whole variable or array has no operands to look into
                    if (whole.IsGlobal)
                        (deleted ??= new()).Add(whole);
                    break;
                case BoundDelete d:
                    foreach (var target in BoundTreeWalker.Descendants(d.Target))
                    {
                        var symbol = target switch
                        {
                            BoundVariable v => v.Symbol,
                            BoundElement e => e.Array,
                            _ => null,
                        };
                        if (symbol is { IsGlobal: true })
                            (deleted ??= new()).Add(symbol);
                    }
                    break;
            }
        }
        foreach (var g in _program.Globals)
        {
            if (IsDisplayCandidate(g) && deleted?.Contains(g) != true)
                _program.DisplayGlobals.Add(g);
        }
    }

    private static bool IsDisplayCandidate(VariableSymbol g)
        => g.IsWritten && !g.IsRead && !g.IsTapset && g.Type != ScriptType.Unknown;

    private void AssignSlots()
    {
        for (int i = 0; i < _program.Globals.Count; i++)
            _program.Globals[i].Slot = i;
        foreach (var f in _program.Functions)
        {
            for (int i = 0; i < f.Locals.Count; i++)
                f.Locals[i].Slot = i;
            if (f.IsBuiltin)
            {
                for (int i = 0; i < f.Parameters.Length; i++)
                    f.Parameters[i].Slot = i;
            }
        }
        foreach (var p in _program.Probes)
        {
            for (int i = 0; i < p.Locals.Count; i++)
                p.Locals[i].Slot = i;
        }
    }
}

/// <summary>File mode and sizes of a procfs path (procfs-semantics.md §2.2, CONTRACT §4-5).</summary>
internal static class ProcfsRules
{
    public static uint Mode(ProcfsPathInfo info)
    {
        long baseMode = (info.ReadProbe is not null ? 0x124 /* 0444 */ : 0) | (info.WriteProbes.Count > 0 ? 0x92 /* 0222 */ : 0);
        long mask = (info.ReadProbe?.Umask ?? 0) | (info.WriteProbes.Count > 0 ? info.WriteProbes[0].Umask : 0);
        long mode = baseMode & ~mask & 0x1ff;
        // the kernel substitutes 0444 for an all-zero mode, and procprobe keeps that
        return mode == 0 ? 0x124u : (uint)mode;
    }

    /// <summary>The read buffer size (capacity + 1): .maxsize(N), else STP_PROCFS_BUFSIZE, else MAXSTRINGLEN.</summary>
    public static int BufferSize(ProcfsPathInfo info, ScriptOptions options)
    {
        if (info.ReadProbe is { MaxSize: > 0 } r)
            return (int)Math.Min(r.MaxSize, int.MaxValue);
        return info.ReadProbe is not null ? options.DefaultProcfsBufSize : options.MaxStringLen;
    }

    /// <summary>Largest write chunk + 1: min(MAXSTRINGLEN, bufsize).</summary>
    public static int WriteChunkSize(ProcfsPathInfo info, ScriptOptions options)
        => Math.Min(options.MaxStringLen, BufferSize(info, options));

    public static string FormatMode(uint mode)
    {
        var sb = new StringBuilder();
        sb.Append('0').Append(Convert.ToString(mode, 8));
        return sb.ToString();
    }
}
