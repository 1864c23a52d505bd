using System.Collections.Immutable;
using System.Text;
using ProcProbe.Cli.CommandLine;
using ProcProbe.Cli.Hosting;
using ProcProbe.Interpreter;
using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Syntax;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Cli.Listing;

/// <summary>
/// -l/-L PATTERN, --dump-probe-types and --dump-probe-aliases, as stap does them: the pattern is parsed
/// as the probe point list of <c>probe PATTERN {}</c>, wildcards are matched against the probe type
/// tree, each candidate is checked by the interpreter's own pass 2, and the survivors are printed
/// in canonical form (numbers in decimal, strings re-quoted), sorted and without repeats.
/// Exit status 0 when something was listed, 1 otherwise (stap prints no reason for a mismatch).
/// </summary>
internal sealed class ProbeLister(CliOptions options, TextWriter stdout, TextWriter stderr)
{
    private readonly PassReporter _passes = new();

    public int Run()
    {
        if (options.DumpProbeTypes || options.DumpProbeAliases)
        {
            return Dump();
        }

        bool verbose = options.Verbosity(1) > 0;
        _passes.StartPass();
        var parseOptions = new ParseOptions { Arguments = options.Arguments, Privileged = options.Guru };
        var tree = SyntaxTree.Parse(SourceText.From(Encoding.UTF8.GetBytes($"probe {options.ListPattern} {{}}")), parseOptions);
        if (tree.HasErrors)
        {
            // stap's listing mode reports the parse errors and its pass-1 line, but no "Pass 1: parse failed."
            var printer = new DiagnosticPrinter(verbose);
            WriteLatin1(stderr, printer.FormatParseResult(tree));
            WriteLatin1(stderr, printer.FormatSuppressionSummary());
            if (verbose)
            {
                stderr.WriteLine(_passes.Pass1Parsed());
            }
            return 1;
        }
        if (verbose)
        {
            stderr.WriteLine(_passes.Pass1Parsed());
        }

        _passes.StartPass();
        var counts = new ElaboratedCounts();
        var listed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (ProbeDeclaration probe in tree.Root.Probes)
        {
            foreach (ProbePoint point in probe.Points)
            {
                foreach (string line in Resolve(point, counts))
                {
                    listed.Add(line);
                }
            }
        }
        if (options.Verbosity(2) > 0)
        {
            stderr.WriteLine(_passes.Pass2Analyzed(counts));
        }
        foreach (string line in listed)
        {
            stdout.Write(line);
            stdout.Write('\n');
        }
        stdout.Flush();
        return listed.Count > 0 ? 0 : 1;
    }

    private int Dump()
    {
        if (!options.SuppressWarnings)
        {
            // stap's dump modes still parse an (empty) script, so unused arguments draw its warning.
            for (int i = 1; i <= options.Arguments.Count; i++)
            {
                stderr.WriteLine($"WARNING: unused command line option ${i}/@{i}");
            }
        }
        IEnumerable<string> lines = options.DumpProbeTypes ? ProbeTypeTree.Types() : ProbeTypeTree.Aliases();
        foreach (string line in lines)
        {
            stdout.Write(line);
            stdout.Write('\n');
        }
        stdout.Flush();
        return 0;
    }

    /// <summary>The listing lines of one probe point of the pattern.</summary>
    private List<string> Resolve(ProbePoint point, ElaboratedCounts counts)
    {
        var pattern = point.Components.Select(c => new PatternComponent(c.Name, c.Argument, c.Token)).ToList();
        var matches = new List<Match>();
        Expand(pattern, 0, ProbeTypeTree.Root, [], matches);

        var lines = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in matches)
        {
            var bare = new ProbePoint(point.Token, m.Components, isOptional: false, isSufficient: false, condition: null);
            string canonical = ParseTreePrinter.PrintNode(bare);
            if (!seen.Add(canonical) || Validate(canonical, counts) is not { } elaborated)
            {
                continue;
            }
            // An alias lists as its name; a probe point as written, with its ?, ! and condition.
            string line = m.Node.AliasName
                ?? ParseTreePrinter.PrintNode(new ProbePoint(point.Token, m.Components, point.IsOptional, point.IsSufficient, point.Condition));
            if (options.ListWithVariables)
            {
                // -L adds the script-visible locals (an alias's, such as input.char's char); procprobe's
                // probe families have no context variables, and stap's own bookkeeping locals start with "__".
                foreach (string local in FirstProbeLocals(elaborated).Where(l => !l.StartsWith("__", StringComparison.Ordinal)))
                {
                    line += " " + local;
                }
            }
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>The -p2 listing of <c>probe POINT {}</c> when the interpreter's pass 2 accepts it (the
    /// same checks of timer ranges, maxsize, procfs paths, ... that would refuse it in a script), else null.</summary>
    private string? Validate(string point, ElaboratedCounts counts)
    {
        var scriptOptions = new ScriptOptions { Arguments = options.Arguments, Unoptimized = true, Guru = options.Guru };
        var compilation = ScriptCompilation.Compile("<input>", Encoding.UTF8.GetBytes($"probe {point} {{}}"), scriptOptions, lastPass: 2);
        if (!compilation.Succeeded)
        {
            return null;
        }
        string elaborated = compilation.PrintElaborated();
        counts.Add(elaborated);
        return elaborated;
    }

    /// <summary>The <c>name:type</c> lines under the first probe's <c>  # locals</c> in a -p2 listing.</summary>
    private static IEnumerable<string> FirstProbeLocals(string elaborated)
    {
        bool inLocals = false;
        foreach (string line in elaborated.Split('\n'))
        {
            if (line == "  # locals")
            {
                inLocals = true;
            }
            else if (inLocals && line.StartsWith("  ", StringComparison.Ordinal))
            {
                yield return line[2..];
            }
            else if (inLocals)
            {
                yield break;
            }
        }
    }

    private readonly record struct PatternComponent(string Name, LiteralExpression? Argument, Token Token);

    private sealed record Match(ProbeTypeNode Node, ImmutableArray<ProbePointComponent> Components);

    /// <summary>
    /// Matches pattern components from <paramref name="pos"/> against the children of <paramref name="node"/>.
    /// <c>*</c> matches within one component; a component with <c>**</c> (<c>a**b</c>) also matches across
    /// components, as stap reads it: either <c>a*b</c> here, or <c>a*</c> here followed by <c>**b</c>.
    /// </summary>
    private static void Expand(List<PatternComponent> pattern, int pos, ProbeTypeNode node,
        List<ProbePointComponent> chosen, List<Match> matches)
    {
        PatternComponent p = pattern[pos];
        int across = p.Name.IndexOf("**", StringComparison.Ordinal);
        if (across >= 0)
        {
            var within = new List<PatternComponent>(pattern);
            within[pos] = p with { Name = p.Name.Remove(across, 1) };
            Expand(within, pos, node, chosen, matches);

            var spanning = new List<PatternComponent>(pattern);
            spanning[pos] = new PatternComponent(p.Name[..across] + "*", null, p.Token);
            spanning.Insert(pos + 1, p with { Name = "**" + p.Name[(across + 2)..] });
            Expand(spanning, pos, node, chosen, matches);
            return;
        }

        foreach (ProbeTypeNode child in node.Children)
        {
            if (!Glob(p.Name, child.Name) || Kind(p.Argument) != child.Parameter)
            {
                continue;
            }
            chosen.Add(new ProbePointComponent(p.Token, child.Name, p.Argument));
            if (pos == pattern.Count - 1)
            {
                if (child.IsType || child.AliasName is not null)
                {
                    matches.Add(new Match(child, [.. chosen]));
                }
            }
            else
            {
                Expand(pattern, pos + 1, child, chosen, matches);
            }
            chosen.RemoveAt(chosen.Count - 1);
        }
    }

    private static ParameterKind Kind(LiteralExpression? argument) => argument switch
    {
        null => ParameterKind.None,
        StringLiteralExpression => ParameterKind.String,
        _ => ParameterKind.Number,
    };

    /// <summary>Shell-style match where <c>*</c> is the only wildcard (the lexer glues nothing else into a component name).</summary>
    internal static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        int star = pattern.IndexOf('*');
        if (star < 0)
        {
            return pattern.SequenceEqual(name);
        }
        if (name.Length < star || !pattern[..star].SequenceEqual(name[..star]))
        {
            return false;
        }
        ReadOnlySpan<char> rest = pattern[(star + 1)..];
        for (int i = star; i <= name.Length; i++)
        {
            if (Glob(rest, name[i..]))
            {
                return true;
            }
        }
        return false;
    }

    private static void WriteLatin1(TextWriter writer, byte[] bytes)
    {
        if (bytes.Length > 0)
        {
            writer.Write(Encoding.Latin1.GetString(bytes));
        }
    }
}
