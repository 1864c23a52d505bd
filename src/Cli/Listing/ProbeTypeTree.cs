using ProcProbe.Interpreter;
using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Cli.Listing;

/// <summary>What a probe point component takes in parentheses, as stap's probe type tree keys it.</summary>
internal enum ParameterKind
{
    None,
    Number,
    String,
}

/// <summary>
/// One node of the probe type tree: a component such as <c>procfs(string)</c> or <c>maxsize(number)</c>.
/// A node is a complete probe point when it <see cref="IsType"/> (it resolves to a probe) or is an
/// alias (<see cref="AliasDefinition"/>, e.g. <c>oneshot += begin</c>).
/// </summary>
internal sealed class ProbeTypeNode(string name, ParameterKind parameter)
{
    private readonly List<ProbeTypeNode> _children = [];

    public string Name { get; } = name;
    public ParameterKind Parameter { get; } = parameter;
    public bool IsType { get; init; }
    public string? AliasDefinition { get; init; }

    /// <summary>The alias's full name (<c>input.char</c>), which is what -l prints for it.</summary>
    public string? AliasName { get; init; }
    public IReadOnlyList<ProbeTypeNode> Children => _children;

    public string KeyText => Parameter switch
    {
        ParameterKind.Number => Name + "(number)",
        ParameterKind.String => Name + "(string)",
        _ => Name,
    };

    public ProbeTypeNode Add(ProbeTypeNode child)
    {
        // stap keeps children in a map ordered by name, then "without a parameter" first; listings follow that order.
        int at = _children.FindIndex(c => Compare(child, c) < 0);
        _children.Insert(at < 0 ? _children.Count : at, child);
        return child;
    }

    public ProbeTypeNode With(params ProbeTypeNode[] children)
    {
        foreach (ProbeTypeNode c in children)
        {
            Add(c);
        }
        return this;
    }

    private static int Compare(ProbeTypeNode a, ProbeTypeNode b)
    {
        int byName = string.CompareOrdinal(a.Name, b.Name);
        return byName != 0 ? byName : a.Parameter.CompareTo(b.Parameter);
    }
}

/// <summary>
/// The probe families procprobe serves (begin/end/error/never, the twelve procfs forms, timer.*) and
/// the tapset aliases the interpreter has built in (oneshot, init, ...), arranged as stap's pattern tree so that -l
/// wildcards and --dump-probe-types behave as stap's do for these families.
/// </summary>
internal static class ProbeTypeTree
{
    public static ProbeTypeNode Root { get; } = Build();

    private static ProbeTypeNode Type(string name, ParameterKind p = ParameterKind.None) => new(name, p) { IsType = true };

    private static ProbeTypeNode Node(string name, ParameterKind p = ParameterKind.None) => new(name, p);

    private static ProbeTypeNode Build()
    {
        var root = Node("");
        foreach (string family in (string[])["begin", "end", "error"])
        {
            root.Add(Type(family));
            root.Add(Type(family, ParameterKind.Number));
        }
        root.Add(Type("never"));
        // procfs-semantics.md §1.1: umask right after procfs, maxsize only after read.
        foreach (ParameterKind path in (ParameterKind[])[ParameterKind.None, ParameterKind.String])
        {
            root.Add(Node("procfs", path).With(
                Type("read").With(Type("maxsize", ParameterKind.Number)),
                Node("umask", ParameterKind.Number).With(
                    Type("read").With(Type("maxsize", ParameterKind.Number)),
                    Type("write")),
                Type("write")));
        }

        // timer.profile(.tick) needs a kernel, and hz takes no randomize (language.md §3.10.2).
        var timer = root.Add(Node("timer"));
        timer.Add(Type("hz", ParameterKind.Number));
        foreach (string unit in (string[])["jiffies", "ms", "msec", "ns", "nsec", "s", "sec", "us", "usec"])
        {
            timer.Add(Type(unit, ParameterKind.Number).With(Type("randomize", ParameterKind.Number)));
        }

        foreach (ProbeAliasDeclaration alias in ScriptCompilation.BuiltInAliases())
        {
            AddAlias(root, alias);
        }
        return root;
    }

    /// <summary>Hangs an alias under its name's components (<c>input.char</c> is <c>char</c> under <c>input</c>),
    /// with stap's --dump-probe-aliases line <c>NAME = TARGET, ...</c> (<c>+=</c> for an epilogue alias).</summary>
    private static void AddAlias(ProbeTypeNode root, ProbeAliasDeclaration alias)
    {
        string targets = string.Join(", ", alias.Targets.Select(t => ParseTreePrinter.PrintNode(t)));
        foreach (ProbePoint name in alias.Names)
        {
            ProbeTypeNode node = root, next;
            for (int i = 0; i < name.Components.Length; i++)
            {
                string component = name.Components[i].Name;
                if (i < name.Components.Length - 1)
                {
                    next = node.Children.FirstOrDefault(c => c.Name == component && c.Parameter == ParameterKind.None)
                        ?? node.Add(new ProbeTypeNode(component, ParameterKind.None));
                }
                else
                {
                    // Every definition of an alias is its own leaf, so --dump-probe-aliases shows each one.
                    next = node.Add(new ProbeTypeNode(component, ParameterKind.None)
                    {
                        AliasName = ParseTreePrinter.PrintNode(name),
                        AliasDefinition = $"{ParseTreePrinter.PrintNode(name)} {(alias.IsEpilogueStyle ? "+=" : "=")} {targets}",
                    });
                }
                node = next;
            }
        }
    }

    /// <summary>Every probe point type, depth first in tree order, as <c>--dump-probe-types</c> prints them.</summary>
    public static IEnumerable<string> Types()
    {
        var lines = new List<string>();
        Walk(Root, "", lines);
        return lines;

        static void Walk(ProbeTypeNode node, string prefix, List<string> lines)
        {
            foreach (ProbeTypeNode child in node.Children)
            {
                string text = prefix.Length == 0 ? child.KeyText : prefix + "." + child.KeyText;
                if (child.IsType)
                {
                    lines.Add(text);
                }
                Walk(child, text, lines);
            }
        }
    }

    /// <summary>The built-in aliases as <c>--dump-probe-aliases</c> prints them, sorted.</summary>
    public static IEnumerable<string> Aliases()
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        Walk(Root, lines);
        return lines;

        static void Walk(ProbeTypeNode node, SortedSet<string> lines)
        {
            foreach (ProbeTypeNode child in node.Children)
            {
                if (child.AliasDefinition is not null)
                {
                    lines.Add(child.AliasDefinition);
                }
                Walk(child, lines);
            }
        }
    }
}
