using System.Text;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter.Binding;

/// <summary>
/// stap -p2's listing: <c># globals</c> (name:type, arrays with their index types), <c># functions</c>
/// (reachable functions by name, including the helpers stap synthesizes for procfs <c>$value</c>), and
/// <c># probes</c> (each derived probe with its origin chain and locals).
/// </summary>
/// <summary>
/// stap -p2's listing: <c># global embedded code</c>, <c># globals</c> (name:type, arrays with their
/// index types), <c># functions</c> (the functions stap keeps, tapset ones included, and the helpers it
/// synthesizes for procfs <c>$value</c>, each with its locals), and <c># probes</c> (each derived probe
/// with its origin chain and locals).
/// </summary>
internal static class ElaboratedPrinter
{
    /// <summary>Tapset functions that call other tapset functions, which stap then lists too.</summary>
    private static readonly Dictionary<BuiltinId, BuiltinId[]> s_tapsetCallees = new()
    {
        [BuiltinId.GettimeofdayUs] = [BuiltinId.GettimeofdayNs],
        [BuiltinId.GettimeofdayMs] = [BuiltinId.GettimeofdayNs],
        [BuiltinId.GettimeofdayS] = [BuiltinId.GettimeofdayNs],
        [BuiltinId.LocalClockUs] = [BuiltinId.LocalClockNs],
        [BuiltinId.LocalClockMs] = [BuiltinId.LocalClockNs],
        [BuiltinId.LocalClockS] = [BuiltinId.LocalClockNs],
        [BuiltinId.CpuClockUs] = [BuiltinId.CpuClockNs],
        [BuiltinId.CpuClockMs] = [BuiltinId.CpuClockNs],
        [BuiltinId.CpuClockS] = [BuiltinId.CpuClockNs],
        [BuiltinId.Ctime0] = [BuiltinId.Ctime1, BuiltinId.GettimeofdayS],
        [BuiltinId.Tokenize1] = [BuiltinId.Tokenize2],
        [BuiltinId.MatchedStr] = [BuiltinId.Matched],
        [BuiltinId.Assert1] = [BuiltinId.Error],
        [BuiltinId.Assert2] = [BuiltinId.Error],
    };

    /// <summary>
    /// The global embedded code a tapset function's file brings in, where it is a single definition
    /// the runtime tests (a fact about the runtime, not code to reproduce). The files of the clock
    /// functions and errno_str also carry larger C blocks, which procprobe does not print.
    /// </summary>
    private static string? EmbeddedDefinition(BuiltinId id) => id switch
    {
        BuiltinId.GettimeofdayNs or BuiltinId.GettimeofdayUs or BuiltinId.GettimeofdayMs or BuiltinId.GettimeofdayS
            => "%{\n#define STAP_NEED_GETTIMEOFDAY 1\n%}\n",
        BuiltinId.Pn => "%{\n#ifndef STP_NEED_PROBE_NAME\n#define STP_NEED_PROBE_NAME 1\n#endif\n%}\n",
        BuiltinId.Tokenize1 or BuiltinId.Tokenize2 => "%{\n#define STAP_NEED_CONTEXT_TOKENIZE 1\n%}\n",
        BuiltinId.Matched or BuiltinId.MatchedStr or BuiltinId.Ngroups => "%{\n#define STAP_NEED_CONTEXT_SUBEXPRESSION 1\n%}\n",
        _ => null,
    };

    /// <summary>Tapset functions marked stable: with optimization on, stap calls each once per probe or
    /// function body and keeps the value in a local (<c>__stable_NAME_value</c>), which -p2 lists.</summary>
    private static bool IsStable(BuiltinId id) => id is BuiltinId.Pp or BuiltinId.Pn or BuiltinId.ProbeType
        or BuiltinId.ModuleName or BuiltinId.Execname or BuiltinId.Pexecname or BuiltinId.Uid or BuiltinId.Gid
        or BuiltinId.Euid or BuiltinId.Egid or BuiltinId.Ppid or BuiltinId.Cpu or BuiltinId.StpPid;

    /// <summary>The tapset's argument variables argv_1 .. argv_32, which fill <c>argv</c>.</summary>
    private const int ArgvSize = 32;

    /// <summary>The tapset probe that fills <c>argc</c> and <c>argv</c>.</summary>
    private const string ArgvInitProbe = "begin(-9223372036854775808) /* <- init = begin(-9223372036854775808) <- init */\n";

    public static string Print(BoundProgram program, SourceText source, bool unoptimized)
    {
        var sb = new StringBuilder();
        var helpers = ProcfsHelpers(program);
        var functions = ListedFunctions(program);

        // tapset files are read, and their embedded code gathered, in the order their functions are first met
        var embedded = new List<string>();
        foreach (var f in functions.Builtins)
        {
            if (EmbeddedDefinition(f.Id) is { } code && !embedded.Contains(code))
                embedded.Add(code);
        }
        if (program.Paths.Count > 0)
            embedded.Add("%{#include \"procfs-probes.h\"%}\n");
        if (embedded.Count > 0)
        {
            sb.Append("# global embedded code\n");
            foreach (var code in embedded)
                sb.Append(code);
        }

        var globals = program.Globals.OrderBy(g => g.ReferenceOrder).ToList();
        bool argvTapset = globals.Any(IsArgumentGlobal);
        if (globals.Count > 0)
        {
            sb.Append("# globals\n");
            foreach (var g in globals)
                AppendGlobal(sb, g);
            if (argvTapset)
            {
                // the tapset's init probe reads argv_N and fills argv, so both stay even when the script names only argc
                if (!globals.Any(g => IsArgumentGlobal(g) && g.Name == "argv"))
                    sb.Append("argv[").Append(ArgvSize).Append("]:string [long]\n");
                for (int i = 1; i <= ArgvSize; i++)
                    sb.Append("argv_").Append(i).Append(":string\n");
            }
        }

        // stap lists functions by their C names: __global_NAME__overload_K (K counting the declarations of
        // NAME, the script's before the tapset's), then __private_FILE_NAME (the procfs helpers among them)
        var functionLines = new List<(string Key, string Text)>();
        foreach (var group in functions.Script.GroupBy(f => f.Name))
        {
            int overload = 0;
            foreach (var f in group.OrderBy(f => f.Token.Line).ThenBy(f => f.Token.Column))
            {
                var line = new StringBuilder();
                AppendSignature(line, f.Name, f.ReturnType, f.Parameters.Select(x => (x.Name, x.Type)));
                var locals = f.Locals.Where(l => !l.IsParameter).Select(l => $"{l.Name}:{ScriptTypeFacts.Name(l.Type)}").ToList();
                if (!unoptimized && f.Body is not null)
                    locals.AddRange(StableLocals(f.Body, null, helpers));
                AppendLocals(line, locals);
                string key = f.Declaration is { IsPrivate: true }
                    ? "__private_" + Detox(f.Token.Source.FileName) + f.Name
                    : $"__global_{f.Name}__overload_{overload++}";
                functionLines.Add((key, line.ToString()));
            }
        }
        foreach (var b in functions.Builtins)
        {
            var line = new StringBuilder();
            AppendSignature(line, b.Name, b.ReturnType, b.Parameters);
            int overload = functions.Script.Count(f => f.Name == b.Name && f.Declaration is { IsPrivate: false }) + TapsetOverloadIndex(b);
            functionLines.Add(($"__global_{b.Name}__overload_{overload}", line.ToString()));
        }
        foreach (var h in helpers.Functions)
            functionLines.Add((h[..h.IndexOf(':')], h + "\n"));
        var lines = functionLines.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Text).ToList();
        if (lines.Count > 0)
        {
            sb.Append("# functions\n");
            foreach (var l in lines)
                sb.Append(l);
        }

        sb.Append("# probes\n");
        foreach (var p in program.Probes)
        {
            AppendDerivation(sb, p);
            var locals = p.Locals.Select(l => $"{l.Name}:{ScriptTypeFacts.Name(l.Type)}").ToList();
            if (!unoptimized)
                locals.AddRange(StableLocals(p.Body, p, helpers));
            else if (helpers.StableLocals.TryGetValue(p, out var extra))
                locals.AddRange(extra);
            AppendLocals(sb, locals);
        }
        if (argvTapset)
            sb.Append(ArgvInitProbe);
        // the end-of-run display: one end probe per global, arrays iterated with index and value locals
        foreach (var g in program.DisplayGlobals)
        {
            sb.Append("end /* <- end */\n");
            if (!g.IsArray)
                continue;
            var locals = g.IndexTypes.Select((t, i) => $"__idx{i}:{ScriptTypeFacts.Name(t)}").ToList();
            if (g.Type != ScriptType.Stats)
                locals.Add($"__val:{ScriptTypeFacts.Name(g.Type)}");
            AppendLocals(sb, locals);
        }
        // stap arms conditional probes from a begin probe of its own
        if (program.Probes.Any(p => p.Condition is not null
                && BoundTreeWalker.Descendants(p.Condition).Prepend(p.Condition).Any(n => n is BoundVariable { Symbol.IsGlobal: true } or BoundElement or BoundIn)))
            sb.Append("begin /* <- begin */\n");
        return sb.ToString();
    }

    /// <summary>Where a tapset function stands among the tapset's functions of its name.</summary>
    private static int TapsetOverloadIndex(BuiltinSignature b) => b.Id switch
    {
        // ctime.stp defines ctime(epochsecs) before ctime()
        BuiltinId.Ctime1 => 0,
        BuiltinId.Ctime0 => 1,
        _ => BuiltinTable.All.Where(x => x.Name == b.Name).TakeWhile(x => x.Id != b.Id).Count(),
    };

    private static bool IsArgumentGlobal(VariableSymbol g) => g.IsTapset && g.Token.IsDefault && g.Name is "argc" or "argv";

    private static void AppendGlobal(StringBuilder sb, VariableSymbol g)
    {
        sb.Append(g.Name);
        if (g.Wrap)
            sb.Append('%');
        if (g.IsArray && (g.MaxSize ?? (IsArgumentGlobal(g) ? ArgvSize : null)) is int max)
            sb.Append('[').Append(max).Append(']');
        sb.Append(':').Append(ScriptTypeFacts.Name(g.Type));
        if (g.IsArray)
        {
            sb.Append(" [");
            for (int i = 0; i < g.IndexTypes.Length; i++)
            {
                if (i > 0)
                    sb.Append(", ");
                sb.Append(ScriptTypeFacts.Name(g.IndexTypes[i]));
            }
            sb.Append(']');
        }
        sb.Append('\n');
    }

    private static void AppendSignature(StringBuilder sb, string name, ScriptType returnType, IEnumerable<(string Name, ScriptType Type)> parameters)
    {
        sb.Append(name).Append(':').Append(ScriptTypeFacts.Name(returnType)).Append(" (");
        bool first = true;
        foreach (var (pname, ptype) in parameters)
        {
            if (!first)
                sb.Append(", ");
            first = false;
            sb.Append(pname).Append(':').Append(ScriptTypeFacts.Name(ptype));
        }
        sb.Append(")\n");
    }

    private static void AppendLocals(StringBuilder sb, List<string> locals)
    {
        if (locals.Count == 0)
            return;
        sb.Append("  # locals\n");
        foreach (var l in locals)
            sb.Append("  ").Append(l).Append('\n');
    }

    /// <summary>The locals stap adds to one body for its stable calls, in the order it meets them: the
    /// stable tapset functions, and the procfs <c>$value</c> reader in a write probe.</summary>
    private static List<string> StableLocals(BoundBlock body, BoundProbe? probe, HelperInfo helpers)
    {
        var locals = new List<string>();
        foreach (var node in BoundTreeWalker.Descendants(body))
        {
            string? local = null;
            if (node is BoundBuiltinCall call && IsStable(call.Id))
                local = $"__stable___global_{call.Function.Name}__overload_0_value:{ScriptTypeFacts.Name(call.Function.ReturnType)}";
            else if (probe is not null && helpers.Readers.TryGetValue(node, out var reader))
                local = $"__stable_{reader}_value:string";
            if (local is not null && !locals.Contains(local))
                locals.Add(local);
        }
        return locals;
    }

    private sealed class FunctionListing
    {
        public readonly List<FunctionSymbol> Script = new();
        public readonly List<BuiltinSignature> Builtins = new();
    }

    /// <summary>
    /// The functions stap keeps, in the order it meets them (probes first, then the functions they
    /// reach, then the tapset functions those call). A call binds to the highest-priority overload and to each later one only while the one
    /// before can fall through with <c>next</c>, so the others are never referenced; a tapset function
    /// brings in the tapset functions it calls.
    /// </summary>
    private static FunctionListing ListedFunctions(BoundProgram program)
    {
        var listing = new FunctionListing();
        var seen = new HashSet<FunctionSymbol>();
        var seenBuiltins = new HashSet<BuiltinId>();
        var pending = new Queue<FunctionSymbol>();
        void AddBuiltin(BuiltinId id)
        {
            if (!seenBuiltins.Add(id))
                return;
            listing.Builtins.Add(BuiltinTable.All.First(b => b.Id == id));
        }
        void Visit(BoundNode root)
        {
            foreach (var node in BoundTreeWalker.Descendants(root))
            {
                FunctionSymbol? target = node switch
                {
                    BoundCall call => call.Function,
                    BoundBuiltinCall builtin => builtin.Function,
                    _ => null,
                };
                for (var f = target; f is not null; f = f.NextOverload)
                {
                    if (f.IsBuiltin)
                    {
                        AddBuiltin(f.Builtin);
                        break;
                    }
                    if (seen.Add(f))
                    {
                        listing.Script.Add(f);
                        pending.Enqueue(f);
                    }
                    if (f.Body is null || !BoundTreeWalker.Descendants(f.Body).Any(n => n is BoundSimpleStatement { Kind: BoundKind.Next }))
                        break;
                }
            }
        }
        foreach (var p in program.Probes)
        {
            Visit(p.Body);
            if (p.Condition is not null)
                Visit(p.Condition);
        }
        while (pending.Count > 0)
        {
            var f = pending.Dequeue();
            if (f.Body is not null)
                Visit(f.Body);
        }
        // the tapset files come after the script, each bringing in the files of the functions it calls
        for (int i = 0; i < listing.Builtins.Count; i++)
        {
            if (s_tapsetCallees.TryGetValue(listing.Builtins[i].Id, out var callees))
            {
                foreach (var c in callees)
                    AddBuiltin(c);
            }
        }
        return listing;
    }

    /// <summary><c>POINT [if (COND)] /* &lt;- ALIAS = TARGETS ... &lt;- USER POINT [if (COND)] */</c>.</summary>
    private static void AppendDerivation(StringBuilder sb, BoundProbe p)
    {
        sb.Append(p.PointText).Append(p.PointMarker);
        if (p.Condition is not null)
            sb.Append(" if (").Append(Condition(p.Condition)).Append(')');
        sb.Append(" /*");
        foreach (var link in p.AliasChain)
            sb.Append(" <- ").Append(link);
        // every point of the user's declaration; a point resolved without an alias shares its condition
        // with its derived probe, which stap resolved in place, so it prints resolved
        sb.Append(" <- ");
        for (int i = 0; i < p.UserPoints.Length; i++)
        {
            var point = p.UserPoints[i];
            if (i > 0)
                sb.Append(',');
            sb.Append(point.Text);
            if (point.Condition is null)
                continue;
            string text = point.Direct is { Condition: { } resolved }
                ? Condition(resolved)
                : Syntax.ParseTreePrinter.PrintNode(point.Condition);
            sb.Append(" if (").Append(text).Append(')');
        }
        sb.Append(" */\n");
    }

    /// <summary>A resolved probe condition as stap prints it: globals by their C names, every operand parenthesized.</summary>
    private static string Condition(BoundExpression e)
    {
        var sb = new StringBuilder();
        AppendCondition(sb, e);
        return sb.ToString();
    }

    private static void AppendCondition(StringBuilder sb, BoundExpression e)
    {
        void Paren(BoundExpression x)
        {
            sb.Append('(');
            AppendCondition(sb, x);
            sb.Append(')');
        }
        void Binary(BoundExpression l, string op, BoundExpression r)
        {
            Paren(l);
            sb.Append(' ').Append(op).Append(' ');
            Paren(r);
        }
        void Indexes(BoundExpression?[] indexes)
        {
            for (int i = 0; i < indexes.Length; i++)
            {
                if (i > 0)
                    sb.Append(", ");
                if (indexes[i] is { } x)
                    AppendCondition(sb, x);
                else
                    sb.Append('*');
            }
        }
        switch (e)
        {
            case BoundLongLiteral l:
                sb.Append(l.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case BoundStringLiteral s:
                sb.Append('"').Append(Encoding.Latin1.GetString(s.Stored)).Append('"');
                break;
            case BoundVariable v:
                sb.Append(VariableName(v.Symbol));
                break;
            case BoundElement el:
                sb.Append(VariableName(el.Array)).Append('[');
                Indexes(el.Indexes);
                sb.Append(']');
                break;
            case BoundIn i:
                sb.Append('[');
                Indexes(i.Element.Indexes);
                sb.Append("] in ").Append(VariableName(i.Element.Array));
                break;
            case BoundBinary b:
                Binary(b.Left, OperatorText(b.Op), b.Right);
                break;
            case BoundComparison c:
                Binary(c.Left, OperatorText(c.Op), c.Right);
                break;
            case BoundLogical lg:
                Binary(lg.Left, lg.Op == BoundOp.LogicalOr ? "||" : "&&", lg.Right);
                break;
            case BoundConcat cc:
                Binary(cc.Left, ".", cc.Right);
                break;
            case BoundUnary u:
                sb.Append(OperatorText(u.Op));
                Paren(u.Operand);
                break;
            case BoundTernary t:
                Paren(t.Condition);
                sb.Append('?');
                Paren(t.WhenTrue);
                sb.Append(':');
                Paren(t.WhenFalse);
                break;
            default:
                sb.Append(e.Token.GetTextString());
                break;
        }
    }

    private static string VariableName(VariableSymbol s) => s.IsGlobal ? "__global_" + s.Name : s.Name;

    private static string OperatorText(BoundOp op) => op switch
    {
        BoundOp.Add or BoundOp.Plus => "+",
        BoundOp.Sub or BoundOp.Negate => "-",
        BoundOp.Mul => "*",
        BoundOp.Div => "/",
        BoundOp.Mod => "%",
        BoundOp.Shl => "<<",
        BoundOp.Shr => ">>",
        BoundOp.ShrLogical => ">>>",
        BoundOp.And => "&",
        BoundOp.Or => "|",
        BoundOp.Xor => "^",
        BoundOp.Not => "!",
        BoundOp.Complement => "~",
        BoundOp.Lt => "<",
        BoundOp.Le => "<=",
        BoundOp.Gt => ">",
        BoundOp.Ge => ">=",
        BoundOp.Eq => "==",
        BoundOp.Ne => "!=",
        _ => "?",
    };

    private sealed class HelperInfo
    {
        public readonly List<string> Functions = new();
        public readonly Dictionary<BoundProbe, List<string>> StableLocals = new();

        /// <summary>Each <c>$value</c> read of a write probe, with the name of the helper that reads it.</summary>
        public readonly Dictionary<BoundNode, string> Readers = new(ReferenceEqualityComparer.Instance);
    }

    /// <summary>
    /// stap turns each <c>$value</c> use into a call of a generated function (set, append or get),
    /// numbered in the order the uses are expanded. Identical generated functions are merged, so each
    /// kind keeps the name of its first use (prefixed by that use's file); reads in write probes are
    /// hoisted into one local per probe.
    /// </summary>
    private static HelperInfo ProcfsHelpers(BoundProgram program)
    {
        var info = new HelperInfo();
        var byKind = new Dictionary<string, string>(StringComparer.Ordinal);
        int n = 0;
        string Helper(string kind, BoundNode use)
        {
            n++;
            if (!byKind.TryGetValue(kind, out var name))
            {
                name = "__private_" + Detox(use.Token.Source.FileName) + "__procfs_value_" + kind + n;
                byKind[kind] = name;
                info.Functions.Add(kind == "get" ? name + ":string ()" : name + ":string (value:string)");
            }
            return name;
        }
        foreach (var p in program.Probes)
        {
            if (p.Kind is not (ProbeKind.ProcfsRead or ProbeKind.ProcfsWrite))
                continue;
            foreach (var node in BoundTreeWalker.Descendants(p.Body))
            {
                if (node is BoundLongLiteral { FromDefinedProcfsValue: true })
                {
                    n++; // its helper was made and dropped with the folded @defined
                }
                else if (node is BoundAssignment { Target: BoundProcfsValue { IsFoldedAway: false } } a)
                {
                    Helper(a.Op == BoundOp.ConcatAssign ? "append" : "set", a.Target);
                }
                else if (node is BoundProcfsValue { IsFoldedAway: false } && p.Kind == ProbeKind.ProcfsWrite)
                {
                    string name = Helper("get", node);
                    info.Readers[node] = name;
                    if (!info.StableLocals.TryGetValue(p, out var list))
                        info.StableLocals[p] = list = new();
                    string local = $"__stable_{name}_value:string";
                    if (!list.Contains(local))
                        list.Add(local);
                }
            }
        }
        return info;
    }

    /// <summary>stap's identifier-safe form of a file name: every non-alphanumeric byte becomes '_'.</summary>
    private static string Detox(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        return sb.ToString();
    }
}
