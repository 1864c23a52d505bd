using System.Text;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter.Binding;

/// <summary>
/// stap -p2's listing: <c># globals</c> (name:type, arrays with their index types), <c># functions</c>
/// (reachable functions by name, including the helpers stap synthesizes for procfs <c>$value</c>), and
/// <c># probes</c> (each derived probe with its origin chain and locals).
/// </summary>
internal static class ElaboratedPrinter
{
    public static string Print(BoundProgram program, SourceText source)
    {
        var sb = new StringBuilder();
        var helpers = ProcfsHelpers(program);

        if (program.Paths.Count > 0)
        {
            sb.Append("# global embedded code\n");
            sb.Append("%{#include \"procfs-probes.h\"%}\n");
        }
        var globals = program.Globals.OrderBy(g => g.ReferenceOrder).ToList();
        if (globals.Count > 0)
        {
            sb.Append("# globals\n");
            foreach (var g in globals)
            {
                sb.Append(g.Name);
                if (g.IsArray && g.MaxSize is int max)
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
        }

        var functionLines = new List<string>();
        foreach (var f in program.Functions.OrderBy(f => f.Name, StringComparer.Ordinal).ThenBy(f => f.Parameters.Length))
        {
            var line = new StringBuilder();
            line.Append(f.Name).Append(':').Append(ScriptTypeFacts.Name(f.ReturnType)).Append(" (");
            for (int i = 0; i < f.Parameters.Length; i++)
            {
                if (i > 0)
                    line.Append(", ");
                line.Append(f.Parameters[i].Name).Append(':').Append(ScriptTypeFacts.Name(f.Parameters[i].Type));
            }
            line.Append(')');
            functionLines.Add(line.ToString());
        }
        // stap lists its synthesized procfs helpers after the script's and tapset functions
        functionLines.AddRange(helpers.Functions.OrderBy(h => h, StringComparer.Ordinal));
        if (functionLines.Count > 0)
        {
            sb.Append("# functions\n");
            foreach (var l in functionLines)
                sb.Append(l).Append('\n');
        }

        sb.Append("# probes\n");
        foreach (var p in program.Probes)
        {
            AppendDerivation(sb, p);
            var locals = p.Locals.Select(l => $"{l.Name}:{ScriptTypeFacts.Name(l.Type)}").ToList();
            if (helpers.StableLocals.TryGetValue(p, out var extra))
                locals.AddRange(extra);
            if (locals.Count > 0)
            {
                sb.Append("  # locals\n");
                foreach (var l in locals)
                    sb.Append("  ").Append(l).Append('\n');
            }
        }
        if (program.DisplayGlobals.Count > 0)
            sb.Append("end /* <- end */\n");
        // stap arms conditional probes from a begin probe of its own
        if (program.Probes.Any(p => p.Condition is not null
                && BoundTreeWalker.Descendants(p.Condition).Prepend(p.Condition).Any(n => n is BoundVariable { Symbol.IsGlobal: true } or BoundElement or BoundIn)))
            sb.Append("begin /* <- begin */\n");
        return sb.ToString();
    }

    /// <summary><c>POINT [if (COND)] /* &lt;- ALIAS = TARGETS ... &lt;- USER POINT [if (COND)] */</c>.</summary>
    private static void AppendDerivation(StringBuilder sb, BoundProbe p)
    {
        sb.Append(p.PointText);
        if (p.Condition is not null)
            sb.Append(" if (").Append(Condition(p.Condition)).Append(')');
        sb.Append(" /*");
        foreach (var link in p.AliasChain)
            sb.Append(" <- ").Append(link);
        sb.Append(" <- ").Append(p.UserPointText);
        if (p.UserPointCondition is not null)
        {
            // a direct probe shares its condition with the derived one, so stap prints it resolved
            string text = p.ConditionViaAlias || p.Condition is null
                ? Syntax.ParseTreePrinter.PrintNode(p.UserPointCondition)
                : Condition(p.Condition);
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
