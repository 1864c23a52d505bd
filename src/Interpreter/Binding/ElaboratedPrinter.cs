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
        string prefix = "__private_" + Detox(source.FileName) + "__procfs_value_";
        var helpers = ProcfsHelpers(program, prefix);

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
            sb.Append(p.DerivationText).Append('\n');
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
        return sb.ToString();
    }

    private sealed class HelperInfo
    {
        public readonly List<string> Functions = new();
        public readonly Dictionary<BoundProbe, List<string>> StableLocals = new();
    }

    /// <summary>
    /// stap turns each <c>$value</c> use into a call of a generated function (set, append or get),
    /// numbered in the order the uses are expanded; reads in write probes are hoisted into a local.
    /// </summary>
    private static HelperInfo ProcfsHelpers(BoundProgram program, string prefix)
    {
        var info = new HelperInfo();
        int n = 0;
        foreach (var p in program.Probes)
        {
            if (p.Kind is not (ProbeKind.ProcfsRead or ProbeKind.ProcfsWrite))
                continue;
            foreach (var node in BoundTreeWalker.Descendants(p.Body))
            {
                if (node is BoundAssignment { Target: BoundProcfsValue } a)
                {
                    n++;
                    string kind = a.Op == BoundOp.ConcatAssign ? "append" : "set";
                    info.Functions.Add($"{prefix}{kind}{n}:string (value:string)");
                }
                else if (node is BoundProcfsValue && p.Kind == ProbeKind.ProcfsWrite)
                {
                    n++;
                    info.Functions.Add($"{prefix}get{n}:string ()");
                    if (!info.StableLocals.TryGetValue(p, out var list))
                        info.StableLocals[p] = list = new();
                    list.Add($"__stable_{prefix}get{n}_value:string");
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
