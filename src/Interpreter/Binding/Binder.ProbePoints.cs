using System.Text;
using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Binding;

internal sealed partial class Binder
{
    /// <summary>A probe point resolved to one of procprobe's probe families.</summary>
    private sealed class ResolvedPoint
    {
        public ProbeKind Kind;
        public string Text = "";
        public Token Token;
        public long Sequence;
        public long PeriodNs;
        public long RandomizeNs;
        public string ProcfsPath = "";
        public long Umask;
        public long MaxSize;
        // the lists below are made when first needed: most points pass through no alias and have no condition
        public List<BlockStatement>? Before;
        public List<BlockStatement>? After;

        /// <summary>Alias definitions passed through, innermost first (<c>NAME = TARGETS</c>).</summary>
        public List<string>? Chain;

        /// <summary>Conditions of the points passed through, innermost first; they all must hold.</summary>
        public List<Expression>? Conditions;

        /// <summary>The <c>!</c> or <c>?</c> written on the concrete point (stap keeps it in the -p2 listing).</summary>
        public string Marker = "";
    }

    /// <summary>Probe families that exist only with a kernel (or a kernel tapset underneath).</summary>
    private static readonly HashSet<string> s_kernelRoots = new(StringComparer.Ordinal)
    {
        "kernel", "module", "process", "syscall", "syscall_any", "nd_syscall", "nd_syscall_any", "tp_syscall", "kprobe",
        "perf", "netfilter", "python2", "python3", "java", "vfs", "_vfs", "nfs", "_nfs", "nfsd", "scheduler", "signal",
        "socket", "tcp", "udp", "ipmib", "linuxmib", "tcpmib", "netdev", "ioblock", "ioscheduler", "memory", "vm",
        "irq_handler", "workqueue", "softirq", "scsi", "sunrpc", "kprocess", "tty", "nd_kprocess", "generic", "stap",
        "staprun", "stapio", "hrtimer", "sched", "kernel_data", "hw_breakpoint", "task", "nfs3", "nfs4", "dentry",
    };

    private static readonly string[] s_knownRoots = ["begin", "end", "error", "never", "timer", "procfs"];

    private void ResolveProbe(ProbeDeclaration probe, ref int order)
    {
        // -p2 prints every point of the declaration after each derived probe
        var userPoints = probe.Points.Select(p => new UserPoint(CanonicalText(p), p.Condition)).ToArray();
        for (int pointIndex = 0; pointIndex < probe.Points.Length; pointIndex++)
        {
            var point = probe.Points[pointIndex];
            var results = new List<ResolvedPoint>();
            var resolving = new Stack<ProbeAliasDeclaration>();
            if (!ResolvePoint(point, results, resolving, reportErrors: !point.IsOptional))
                continue;
            foreach (var r in results)
            {
                var derived = new BoundProbe(r.Kind, r.Text, probe.Token, new BoundBlock(probe.Body.Token, []))
                {
                    Sequence = r.Sequence,
                    PeriodNs = r.PeriodNs,
                    RandomizeNs = r.RandomizeNs,
                    ProcfsPath = r.ProcfsPath,
                    Umask = r.Umask,
                    MaxSize = r.MaxSize,
                    Order = order++,
                };
                derived.UserPointText = userPoints[pointIndex].Text;
                derived.UserPoints = userPoints;
                derived.PointMarker = r.Marker;
                derived.AliasChain = r.Chain is null ? [] : r.Chain.ToArray();

                IReadOnlyList<BlockStatement> blocks = [probe.Body];
                if (r.Before is not null || r.After is not null)
                {
                    var joined = new List<BlockStatement>();
                    if (r.Before is not null)
                        joined.AddRange(r.Before);
                    joined.Add(probe.Body);
                    if (r.After is not null)
                        joined.AddRange(r.After);
                    blocks = joined;
                }
                derived.Body = BindProbeBody(derived, blocks);
                // stap joins the conditions innermost first: c1 && (c2 && (... && user))
                BoundExpression? condition = null;
                bool conditionFailed = false;
                for (int i = (r.Conditions?.Count ?? 0) - 1; i >= 0; i--)
                {
                    var bound = BindCondition(derived, r.Conditions![i]);
                    if (bound is null)
                    {
                        conditionFailed = true;
                        continue;
                    }
                    condition = condition is null ? bound : new BoundLogical(bound.Token, BoundOp.LogicalAnd, bound, condition);
                }
                if (!conditionFailed)
                    derived.Condition = condition;
                // a direct point's condition is the derived probe's own, which stap prints resolved
                if (r.Chain is null && userPoints[pointIndex].Direct is null)
                    userPoints[pointIndex].Direct = derived;
                _program.Probes.Add(derived);
                if (derived.Kind is ProbeKind.ProcfsRead or ProbeKind.ProcfsWrite)
                    RegisterProcfs(derived);
            }
            if (point.IsSufficient && results.Count > 0)
                break;
        }
    }

    /// <summary>A probe condition: may only read globals (language.md §3.2, §3.10.4).</summary>
    private BoundExpression? BindCondition(BoundProbe derived, Expression condition)
    {
        var saved = _scope;
        var scratchLocals = new List<VariableSymbol>();
        _scope = NewProbeScope(derived.Kind, scratchLocals);
        try
        {
            int errors = _diagnostics.ErrorCount;
            var bound = BindExpression(condition);
            if (_diagnostics.ErrorCount == errors)
            {
                if (scratchLocals.Count > 0)
                {
                    _diagnostics.ReportSemanticError("elaborate:condition-local",
                        "probe condition must not reference undeclared global", scratchLocals[0].Token);
                    return null;
                }
                if (ConditionProblem(bound) is { } problem)
                {
                    _diagnostics.ReportSemanticError(problem.Origin, problem.Message, problem.Token);
                    return null;
                }
            }
            return bound;
        }
        finally
        {
            LeaveScope(saved);
        }
    }

    private static (string Origin, string Message, Token Token)? ConditionProblem(BoundNode node)
    {
        switch (node)
        {
            case BoundCall or BoundBuiltinCall:
                return ("elaborate:condition-function", "probe condition must not reference function", node.Token);
            case BoundAssignment or BoundIncDec:
                return ("elaborate:condition-modify", "probe condition must not modify any variables", node.Token);
        }
        foreach (var child in BoundTreeWalker.Children(node))
        {
            if (ConditionProblem(child) is { } p)
                return p;
        }
        return null;
    }

    /// <summary>Canonical probe-point text: numbers in decimal, strings re-quoted.</summary>
    private static string CanonicalText(ProbePoint point)
    {
        // built in stack space: the builder's own objects would be garbage once per probe point
        var text = new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(0, 0, null, stackalloc char[256]);
        for (int i = 0; i < point.Components.Length; i++)
        {
            if (i > 0)
                text.AppendLiteral(".");
            var c = point.Components[i];
            text.AppendLiteral(c.Name);
            if (c.Argument is { } arg)
            {
                text.AppendLiteral("(");
                text.AppendLiteral(LiteralText(arg));
                text.AppendLiteral(")");
            }
        }
        if (point.IsSufficient)
            text.AppendLiteral("!");
        else if (point.IsOptional)
            text.AppendLiteral("?");
        return text.ToStringAndClear();
    }

    private static string LiteralText(LiteralExpression literal) => literal switch
    {
        NumberLiteralExpression n => n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        StringLiteralExpression s => "\"" + Encoding.Latin1.GetString(s.Content) + "\"",
        _ => "",
    };

    private void ReportPointError(ProbePoint point, string message, Token? token, string origin)
    {
        var specific = Diagnostic.Semantic(message, token, origin);
        _diagnostics.ReportSemanticError("elaborate:resolving", "while resolving probe point", point.Token, specific);
    }

    private bool ResolvePoint(ProbePoint point, List<ResolvedPoint> results, Stack<ProbeAliasDeclaration> resolving, bool reportErrors)
    {
        var components = point.Components;
        if (components.Length == 0)
            return false;
        var first = components[0];

        // aliases first (the script's and the built-in tapset's): they may shadow anything
        int start = results.Count;
        bool ok;
        var aliasKeys = FindAliases(point);
        if (aliasKeys.Count > 0)
        {
            ok = false;
            int wildcard = -1;
            for (int i = 0; i < components.Length && wildcard < 0; i++)
            {
                if (components[i].HasWildcard)
                    wildcard = i;
            }
            int reported = _diagnostics.Count;
            foreach (var key in aliasKeys)
            {
                if (ExpandAlias(point, key, results, resolving, reportErrors))
                    ok = true;
                else if (reportErrors && wildcard < 0)
                    return false;
            }
            // a wildcard whose every match expanded to nothing (optional targets only) matched nothing
            if (!ok && reportErrors && wildcard >= 0 && _diagnostics.Count == reported)
            {
                var names = new SortedSet<string>(aliasKeys.Select(k => k.Split('.')[wildcard]), StringComparer.Ordinal);
                var similar = Suggestions.Closest(components[wildcard].Name, names, 5);
                ReportPointError(point, "probe point mismatch: didn't find any wildcard matches"
                    + (similar.Count == 0 ? "" : $" (similar: {string.Join(", ", similar)})"),
                    components[wildcard].Token, "elaborate:wildcard-mismatch");
                return false;
            }
        }
        else
        {
            ok = ResolveConcrete(point, results, reportErrors);
            string marker = point.IsSufficient ? "!" : point.IsOptional ? "?" : "";
            for (int i = start; i < results.Count; i++)
                results[i].Marker = marker;
        }
        if (ok && point.Condition is not null)
        {
            for (int i = start; i < results.Count; i++)
                (results[i].Conditions ??= new()).Add(point.Condition);
        }
        return ok;
    }

    private bool ResolveConcrete(ProbePoint point, List<ResolvedPoint> results, bool reportErrors)
    {
        var first = point.Components[0];
        switch (first.Name)
        {
            case "begin":
            case "end":
            case "error":
                return ResolveBeginEnd(point, results, reportErrors);
            case "never":
                if (!CheckNoSuffix(point, 1, reportErrors))
                    return false;
                results.Add(new ResolvedPoint { Kind = ProbeKind.Never, Text = "never", Token = first.Token });
                return true;
            case "timer":
                return ResolveTimer(point, results, reportErrors);
            case "procfs":
                return ResolveProcfs(point, results, reportErrors);
        }

        if (!reportErrors)
            return false;
        if (s_kernelRoots.Contains(first.Name) || first.Name.StartsWith("__", StringComparison.Ordinal))
        {
            _diagnostics.ReportSemanticError("bind:kernel-probe",
                $"probe point '{CanonicalText(point).TrimEnd('?', '!')}' needs a kernel: procprobe runs in user space", first.Token);
            return false;
        }
        if (first.HasWildcard)
        {
            ReportPointError(point, "probe point mismatch: didn't find any wildcard matches", first.Token, "elaborate:wildcard-mismatch");
            return false;
        }
        var candidates = new SortedSet<string>(s_knownRoots, StringComparer.Ordinal);
        foreach (var key in _aliases.Keys)
            candidates.Add(key.Split('.')[0]);
        var similar = Suggestions.Closest(first.Name, candidates, 5);
        string message = similar.Count == 0 ? "probe point mismatch" : $"probe point mismatch (similar: {string.Join(", ", similar)})";
        ReportPointError(point, message, first.Token, "elaborate:mismatch");
        return false;
    }

    private bool CheckNoSuffix(ProbePoint point, int expected, bool reportErrors)
    {
        if (point.Components.Length <= expected)
            return true;
        if (reportErrors)
            ReportPointError(point, "invalid suffix for probe", point.Components[expected].Token, "elaborate:suffix");
        return false;
    }

    /// <summary>The alias names a point matches, in stap's order (component by component, ordinal).</summary>
    private List<string> FindAliases(ProbePoint point)
    {
        List<string>? keys = null;
        foreach (var (key, names) in AliasKeyParts())
        {
            if (names.Length != point.Components.Length)
                continue;
            bool match = true;
            for (int i = 0; i < names.Length && match; i++)
            {
                var c = point.Components[i];
                if (c.Argument is not null || !GlobMatch(c.Name, names[i]))
                    match = false;
            }
            if (match)
                (keys ??= new()).Add(key);
        }
        if (keys is null)
            return s_noAliasKeys;
        keys.Sort(CompareComponents);
        return keys;
    }

    // every point looks at every alias name: each name is split once per compilation, not once per point
    private List<(string Key, string[] Names)>? _aliasKeyParts;
    private static readonly List<string> s_noAliasKeys = [];

    private List<(string Key, string[] Names)> AliasKeyParts()
    {
        // aliases are only ever added (all before the first probe is resolved): a count change is a rebuild
        if (_aliasKeyParts is null || _aliasKeyParts.Count != _aliases.Count)
        {
            _aliasKeyParts = new(_aliases.Count);
            foreach (var key in _aliases.Keys)
                _aliasKeyParts.Add((key, key.Split('.')));
        }
        return _aliasKeyParts;
    }

    private static int CompareComponents(string a, string b)
    {
        var x = a.Split('.');
        var y = b.Split('.');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            int c = string.CompareOrdinal(x[i], y[i]);
            if (c != 0)
                return c;
        }
        return x.Length.CompareTo(y.Length);
    }

    private static bool GlobMatch(string pattern, string name)
    {
        if (!pattern.Contains('*'))
            return pattern == name;
        return System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: false);
    }

    /// <summary>stap's text of an alias definition in a derivation chain: <c>NAME = T1, T2 if (C)</c>.</summary>
    private static string AliasDefinitionText(ProbeAliasDeclaration definition)
    {
        var sb = new StringBuilder(string.Join(" = ", definition.Names.Select(CanonicalText)));
        sb.Append(definition.IsEpilogueStyle ? " += " : " = ");
        for (int i = 0; i < definition.Targets.Length; i++)
        {
            if (i > 0)
                sb.Append(", ");
            sb.Append(PointWithCondition(definition.Targets[i]));
        }
        return sb.ToString();
    }

    /// <summary>A probe point as written, with its condition in the -p1 expression form.</summary>
    internal static string PointWithCondition(ProbePoint point)
    {
        string text = CanonicalText(point);
        if (point.Condition is null)
            return text;
        return text + " if (" + ParseTreePrinter.PrintNode(point.Condition) + ")";
    }

    private bool ExpandAlias(ProbePoint point, string key, List<ResolvedPoint> results,
                             Stack<ProbeAliasDeclaration> resolving, bool reportErrors)
    {
        var definitions = _aliases[key];
        bool any = false;
        // every definition of the alias name contributes
        foreach (var definition in definitions)
        {
            // As stap does, the second expansion of a definition still happens; resolving any of its
            // targets then reports the loop, at that target.
            bool again = resolving.Contains(definition);
            resolving.Push(definition);
            try
            {
                foreach (var target in definition.Targets)
                {
                    if (again)
                    {
                        if (target.IsOptional)
                            continue;
                        if (reportErrors)
                        {
                            var t = target.Components[0].Token;
                            ReportPointError(target,
                                $"recursive loop in alias expansion of {CanonicalText(target)} at {t.Source.FileName}:{t.Line}:{t.Column}", null,
                                "elaborate:alias-loop");
                        }
                        return false;
                    }
                    var inner = new List<ResolvedPoint>();
                    if (!ResolvePoint(target, inner, resolving, reportErrors && !target.IsOptional))
                    {
                        if (!target.IsOptional && reportErrors)
                            return false;
                        continue;
                    }
                    string link = AliasDefinitionText(definition);
                    foreach (var r in inner)
                    {
                        (r.Chain ??= new()).Add(link);
                        // the body nearest the concrete probe runs first: an outer prologue follows the
                        // inner prologues, an outer epilogue precedes the inner epilogues
                        if (definition.IsEpilogueStyle)
                        {
                            (r.After ??= new()).Insert(0, definition.Body);
                        }
                        else
                        {
                            (r.Before ??= new()).Add(definition.Body);
                            if (definition.Epilogue is not null)
                                (r.After ??= new()).Insert(0, definition.Epilogue);
                        }
                        results.Add(r);
                        any = true;
                    }
                    if (target.IsSufficient && inner.Count > 0)
                        break;
                }
            }
            finally
            {
                resolving.Pop();
            }
        }
        return any;
    }

    private bool ResolveBeginEnd(ProbePoint point, List<ResolvedPoint> results, bool reportErrors)
    {
        var first = point.Components[0];
        if (!CheckNoSuffix(point, 1, reportErrors))
            return false;
        long sequence = 0;
        if (first.Argument is NumberLiteralExpression n)
        {
            sequence = n.Value;
        }
        else if (first.Argument is not null)
        {
            if (reportErrors)
                ReportPointError(point, "probe point mismatch", first.Token, "elaborate:mismatch");
            return false;
        }
        var kind = first.Name switch
        {
            "begin" => ProbeKind.Begin,
            "end" => ProbeKind.End,
            _ => ProbeKind.Error,
        };
        results.Add(new ResolvedPoint
        {
            Kind = kind,
            Sequence = sequence,
            Token = first.Token,
            Text = first.Argument is null ? first.Name : $"{first.Name}({sequence})",
        });
        return true;
    }

    private bool ResolveTimer(ProbePoint point, List<ResolvedPoint> results, bool reportErrors)
    {
        var c = point.Components;
        if (c.Length < 2)
        {
            if (reportErrors)
                ReportPointError(point, "probe point truncated", c[0].Token, "elaborate:truncated");
            return false;
        }
        var unit = c[1];
        if (unit.Name is "profile")
        {
            if (reportErrors)
                _diagnostics.ReportSemanticError("bind:kernel-probe",
                    $"probe point '{CanonicalText(point)}' needs a kernel: procprobe runs in user space", c[0].Token);
            return false;
        }
        long scale;
        long lo, hi;
        switch (unit.Name)
        {
            case "s" or "sec": scale = 1_000_000_000; lo = 1; hi = 86400; break;
            case "ms" or "msec": scale = 1_000_000; lo = 1; hi = 86_400_000; break;
            case "us" or "usec": scale = 1_000; lo = 100; hi = 86_400_000_000; break;
            case "ns" or "nsec": scale = 1; lo = 100_000; hi = 86_400_000_000_000; break;
            case "hz": scale = 0; lo = 1; hi = 10_000; break;
            case "jiffies": scale = -1; lo = 1; hi = 1_000_000; break;
            default:
                if (reportErrors)
                {
                    var similar = Suggestions.Closest(unit.Name, ["s", "sec", "ms", "msec", "us", "usec", "ns", "nsec", "hz", "jiffies", "profile"], 5);
                    ReportPointError(point, similar.Count == 0 ? "probe point mismatch" : $"probe point mismatch (similar: {string.Join(", ", similar)})",
                        unit.Token, "elaborate:mismatch");
                }
                return false;
        }
        if (unit.Argument is not NumberLiteralExpression n)
        {
            if (reportErrors)
                ReportPointError(point, "probe point mismatch", unit.Token, "elaborate:mismatch");
            return false;
        }
        long value = n.Value;
        long randomize = 0;
        int next = 2;
        if (c.Length > 2 && c[2].Name == "randomize" && c[2].Argument is NumberLiteralExpression rn && scale != 0)
        {
            randomize = rn.Value;
            next = 3;
        }
        if (c.Length > next)
        {
            if (reportErrors)
                ReportPointError(point, c.Length > 2 && c[2].Name == "randomize" ? "probe point mismatch" : "invalid suffix for probe",
                    c[next].Token, "elaborate:suffix");
            return false;
        }
        long periodNs;
        if (scale == 0)
        {
            if (value <= 0)
            {
                if (reportErrors)
                    ReportPointError(point, "frequency must be greater than 0", null, "timer:hz");
                return false;
            }
            periodNs = (1_000_000_000 + value - 1) / value;
        }
        else if (scale < 0)
        {
            if (value < lo || value > hi)
            {
                if (reportErrors)
                    ReportPointError(point, "invalid interval for jiffies timer", null, "timer:jiffies");
                return false;
            }
            if (randomize < 0 || randomize > value)
            {
                if (reportErrors)
                    ReportPointError(point, "invalid randomize for jiffies timer", null, "timer:jiffies-random");
                return false;
            }
            periodNs = value * 4_000_000; // HZ = 250
            randomize *= 4_000_000;
        }
        else
        {
            if (value < lo || value > hi)
            {
                if (reportErrors)
                    ReportPointError(point, $"interval value out of range ({lo}, {hi})", null, "timer:range");
                return false;
            }
            if (randomize < 0 || randomize > value)
            {
                if (reportErrors)
                    ReportPointError(point, "randomization value out of range", null, "timer:random-range");
                return false;
            }
            periodNs = value * scale;
            randomize *= scale;
        }
        results.Add(new ResolvedPoint
        {
            Kind = ProbeKind.Timer,
            Token = c[0].Token,
            PeriodNs = periodNs,
            RandomizeNs = randomize,
            Text = CanonicalText(point),
        });
        return true;
    }

    private bool ResolveProcfs(ProbePoint point, List<ResolvedPoint> results, bool reportErrors)
    {
        var c = point.Components;
        var first = c[0];
        string path = "command";
        bool hasPath = false;
        if (first.Argument is StringLiteralExpression s)
        {
            path = Encoding.Latin1.GetString(s.GetValue());
            hasPath = true;
        }
        else if (first.Argument is not null)
        {
            if (reportErrors)
                ReportPointError(point, "probe point mismatch", first.Token, "elaborate:mismatch");
            return false;
        }
        int i = 1;
        long? umask = null;
        if (i < c.Length && c[i].Name == "umask" && c[i].Argument is NumberLiteralExpression um)
        {
            umask = um.Value;
            i++;
        }
        if (i >= c.Length)
        {
            if (reportErrors)
            {
                string follow = umask is null ? "probe point truncated (follow:  read umask(number) write)" : "probe point truncated (follow:  read write)";
                ReportPointError(point, follow, first.Token, "elaborate:truncated");
            }
            return false;
        }
        var kindComponent = c[i];
        ProbeKind kind;
        if (kindComponent.Name == "read" && kindComponent.Argument is null)
        {
            kind = ProbeKind.ProcfsRead;
        }
        else if (kindComponent.Name == "write" && kindComponent.Argument is null)
        {
            kind = ProbeKind.ProcfsWrite;
        }
        else
        {
            if (reportErrors)
            {
                var options = umask is null ? new[] { "read", "write", "umask" } : new[] { "read", "write" };
                var similar = Suggestions.Closest(kindComponent.Name, options, 5);
                ReportPointError(point, similar.Count == 0 ? "probe point mismatch" : $"probe point mismatch (similar: {string.Join(", ", similar)})",
                    kindComponent.Token, "elaborate:mismatch");
            }
            return false;
        }
        i++;
        long maxSize = 0;
        if (i < c.Length)
        {
            var extra = c[i];
            if (kind == ProbeKind.ProcfsRead && extra.Name == "maxsize" && extra.Argument is NumberLiteralExpression ms && i + 1 == c.Length)
            {
                maxSize = ms.Value;
                if (maxSize <= 0)
                {
                    if (reportErrors)
                        ReportPointError(point, "maxsize must be greater than 0", null, "procfs:maxsize");
                    return false;
                }
            }
            else
            {
                if (reportErrors)
                    ReportPointError(point, "invalid suffix for probe", extra.Token, "elaborate:suffix");
                return false;
            }
        }

        if (ValidateProcfsPath(path) is { } pathError)
        {
            if (reportErrors)
                ReportPointError(point, pathError, first.Token, "procfs:path");
            return false;
        }

        var text = new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(0, 0, null, stackalloc char[256]);
        text.AppendLiteral("procfs");
        if (hasPath)
        {
            text.AppendLiteral("(\"");
            text.AppendLiteral(path);
            text.AppendLiteral("\")");
        }
        if (umask is not null)
        {
            text.AppendLiteral(".umask(");
            text.AppendFormatted(umask.Value);
            text.AppendLiteral(")");
        }
        text.AppendLiteral(kind == ProbeKind.ProcfsRead ? ".read" : ".write");
        if (maxSize > 0)
        {
            text.AppendLiteral(".maxsize(");
            text.AppendFormatted(maxSize);
            text.AppendLiteral(")");
        }

        results.Add(new ResolvedPoint
        {
            Kind = kind,
            Token = first.Token,
            ProcfsPath = path,
            Umask = umask ?? (kind == ProbeKind.ProcfsRead ? 0x24 /* 0044 */ : 0x12 /* 0022 */),
            MaxSize = maxSize,
            Text = text.ToStringAndClear(),
        });
        return true;
    }

    /// <summary>stap's procfs path rules (procfs-semantics.md §1.3), plus what FUSE cannot serve (CONTRACT §3).</summary>
    private static string? ValidateProcfsPath(string path)
    {
        if (path.StartsWith('/'))
            return "procfs path cannot start with a '/'";
        if (path.Length == 0 || path.EndsWith('/'))
            return "procfs path cannot end with a '/'";
        // components as spans of the path: one string and array per probe less than Split
        foreach (var range in path.AsSpan().Split('/'))
        {
            var component = path.AsSpan(range);
            if (component.Length == 0)
                return "procfs path component cannot be empty";
            if (component is "." or "..")
                return "procfs path cannot be relative (and contain '.' or '..')";
            if (Encoding.Latin1.GetByteCount(component) >= 256)
                return "procfs path component is too long (255 bytes at most)";
        }
        return null;
    }

    private readonly Dictionary<string, ProcfsPathInfo> _paths = new(StringComparer.Ordinal);

    private void RegisterProcfs(BoundProbe probe)
    {
        if (!_paths.TryGetValue(probe.ProcfsPath, out var info))
            _paths[probe.ProcfsPath] = info = new ProcfsPathInfo(probe.ProcfsPath);
        if (probe.Kind == ProbeKind.ProcfsRead)
        {
            if (info.ReadProbe is not null)
            {
                if (!_reportedDuplicateRead.Contains(probe.ProcfsPath))
                {
                    _reportedDuplicateRead.Add(probe.ProcfsPath);
                    _diagnostics.ReportSemanticError("procfs:one-read",
                        $"only one read procfs probe can exist for procfs path \"{probe.ProcfsPath}\"", null);
                }
                return;
            }
            info.ReadProbe = probe;
        }
        else
        {
            info.WriteProbes.Add(probe);
        }
    }

    private readonly HashSet<string> _reportedDuplicateRead = new(StringComparer.Ordinal);
}
