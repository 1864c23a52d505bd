using System.Text;
using ProcProbe.Interpreter.Diagnostics;

namespace ProcProbe.Interpreter.Syntax;

/// <summary>
/// Prints a parsed script exactly as <c>stap -p1</c> does: header, then embedded code, globals,
/// aliases, probes and functions (that order, whatever the source order), every expression fully
/// parenthesised.
/// </summary>
public static class ParseTreePrinter
{
    /// <summary>The <c>-p1</c> output, decoded as UTF-8 (use <see cref="PrintBytes"/> for byte-exact output).</summary>
    public static string Print(SyntaxTree tree) => Encoding.UTF8.GetString(PrintBytes(tree));

    /// <summary>The <c>-p1</c> output as the bytes stap writes.</summary>
    public static byte[] PrintBytes(SyntaxTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var b = new ByteBuilder(1024);
        b.Append("# parse tree dump\n# file ").Append(tree.Text.FileName).Append('\n');
        var file = tree.Root;
        foreach (var e in file.EmbeddedCode)
            b.Append("%{").Append(e.Code).Append("%}");
        foreach (var g in file.Globals)
        {
            b.Append("global ");
            PrintGlobal(b, g);
            b.Append('\n');
        }
        foreach (var a in file.Aliases)
        {
            PrintAlias(b, a);
            b.Append('\n');
        }
        foreach (var p in file.Probes)
        {
            PrintProbe(b, p);
            b.Append('\n');
        }
        foreach (var f in file.Functions)
        {
            PrintFunction(b, f);
            b.Append('\n');
        }
        b.Append('\n');
        return b.ToArray();
    }

    /// <summary>One node in <c>-p1</c> form (for diagnostics and tests).</summary>
    public static string PrintNode(SyntaxNode node)
    {
        var b = new ByteBuilder(128);
        switch (node)
        {
            case Expression e: PrintExpression(b, e); break;
            case Statement s: PrintStatement(b, s); break;
            case ProbePoint p: PrintProbePoint(b, p); break;
            case GlobalVariable g: PrintGlobal(b, g); break;
            case ProbeDeclaration p: PrintProbe(b, p); break;
            case ProbeAliasDeclaration a: PrintAlias(b, a); break;
            case FunctionDeclaration f: PrintFunction(b, f); break;
            default: b.Append(node.Kind.ToString()); break;
        }
        return b.ToString();
    }

    private static void PrintGlobal(ByteBuilder b, GlobalVariable g)
    {
        b.Append(g.Name);
        if (g.Wrap)
            b.Append('%');
        if (g.MaxSize is { } size)
            b.Append('[').Append(size).Append(']');
        if (g.Initializer is { } init)
        {
            b.Append(" = ");
            PrintExpression(b, init);
        }
    }

    private static void PrintProbe(ByteBuilder b, ProbeDeclaration p)
    {
        b.Append("probe ");
        for (int i = 0; i < p.Points.Length; i++)
        {
            if (i > 0)
                b.Append(',');
            PrintProbePoint(b, p.Points[i]);
        }
        PrintStatement(b, p.Body);
    }

    private static void PrintAlias(ByteBuilder b, ProbeAliasDeclaration a)
    {
        b.Append("probe ");
        for (int i = 0; i < a.Names.Length; i++)
        {
            if (i > 0)
                b.Append(" = ");
            PrintProbePoint(b, a.Names[i]);
        }
        b.Append(a.IsEpilogueStyle ? " += " : " = ");
        for (int i = 0; i < a.Targets.Length; i++)
        {
            if (i > 0)
                b.Append(", ");
            PrintProbePoint(b, a.Targets[i]);
        }
        PrintStatement(b, a.Body);
    }

    private static void PrintFunction(ByteBuilder b, FunctionDeclaration f)
    {
        b.Append("function ").Append(f.Name).Append(" (");
        for (int i = 0; i < f.Parameters.Length; i++)
        {
            if (i > 0)
                b.Append(", ");
            b.Append(f.Parameters[i].Name);
        }
        b.Append(")\n");
        PrintStatement(b, f.Body);
    }

    private static void PrintProbePoint(ByteBuilder b, ProbePoint p)
    {
        for (int i = 0; i < p.Components.Length; i++)
        {
            if (i > 0)
                b.Append('.');
            var c = p.Components[i];
            b.Append(c.Name);
            if (c.Argument is { } arg)
            {
                b.Append('(');
                PrintExpression(b, arg);
                b.Append(')');
            }
        }
        if (p.IsSufficient)
            b.Append('!');
        else if (p.IsOptional)
            b.Append('?');
        if (p.Condition is { } cond)
        {
            b.Append(" if (");
            PrintExpression(b, cond);
            b.Append(')');
        }
    }

    private static void PrintStatement(ByteBuilder b, Statement s)
    {
        switch (s)
        {
            case BlockStatement block:
                b.Append("{\n");
                foreach (var inner in block.Statements)
                {
                    PrintStatement(b, inner);
                    b.Append(";\n");
                }
                b.Append('}');
                break;
            case TryStatement t:
                b.Append("try {\n");
                PrintStatement(b, t.TryBlock);
                b.Append("\n} catch");
                if (t.CatchVariable is { } v)
                    b.Append(" (").Append(v.Name).Append(')');
                b.Append(" {\n");
                PrintStatement(b, t.CatchBlock);
                b.Append("\n}\n");
                break;
            case EmbeddedCodeStatement e:
                b.Append("%{").Append(e.Code).Append("%}");
                break;
            case NullStatement:
                b.Append(';');
                break;
            case ExpressionStatement e:
                PrintExpression(b, e.Expression);
                break;
            case IfStatement i:
                b.Append("if (");
                PrintExpression(b, i.Condition);
                b.Append(") ");
                PrintStatement(b, i.Then);
                b.Append('\n');
                if (i.Else is { } els)
                {
                    b.Append("else ");
                    PrintStatement(b, els);
                    b.Append('\n');
                }
                break;
            case ForStatement f:
                b.Append("for (");
                if (f.Initializer is { } init)
                    PrintStatement(b, init);
                b.Append("; ");
                PrintExpression(b, f.Condition);
                b.Append("; ");
                if (f.Increment is { } incr)
                    PrintStatement(b, incr);
                b.Append(") ");
                PrintStatement(b, f.Body);
                break;
            case ForeachStatement f:
                PrintForeach(b, f);
                break;
            case ReturnStatement r:
                b.Append("return");
                if (r.Value is { } value)
                {
                    b.Append(' ');
                    PrintExpression(b, value);
                }
                break;
            case DeleteStatement d:
                b.Append("delete ");
                PrintExpression(b, d.Target);
                break;
            case NextStatement:
                b.Append("next");
                break;
            case BreakStatement:
                b.Append("break");
                break;
            case ContinueStatement:
                b.Append("continue");
                break;
        }
    }

    private static void PrintForeach(ByteBuilder b, ForeachStatement f)
    {
        b.Append("foreach (");
        if (f.ValueVariable is { } value)
        {
            b.Append(value.Name);
            b.Append(" = ");
        }
        b.Append('[');
        for (int i = 0; i < f.Keys.Length; i++)
        {
            if (i > 0)
                b.Append(", ");
            b.Append(f.Keys[i].Name);
            if (f.SortDirection != 0 && f.SortColumn == i + 1)
                b.Append(f.SortDirection > 0 ? '+' : '-');
        }
        b.Append("] in ");
        PrintExpression(b, f.Array);
        if (!f.Slice.IsDefaultOrEmpty)
        {
            b.Append('[');
            for (int i = 0; i < f.Slice.Length; i++)
            {
                if (i > 0)
                    b.Append(", ");
                if (f.Slice[i] is { } e)
                    PrintExpression(b, e);
                else
                    b.Append('*');
            }
            b.Append(']');
        }
        if (f.SortDirection != 0 && f.SortColumn == 0)
        {
            if (f.SortAggregate != StatisticOperator.None)
                b.Append(' ').Append(SyntaxFacts.GetStatisticOperatorName(f.SortAggregate));
            b.Append(f.SortDirection > 0 ? '+' : '-');
        }
        if (f.Limit is { } limit)
        {
            b.Append(" limit ");
            PrintExpression(b, limit);
        }
        b.Append(") ");
        PrintStatement(b, f.Body);
    }

    private static void Paren(ByteBuilder b, Expression e)
    {
        b.Append('(');
        PrintExpression(b, e);
        b.Append(')');
    }

    private static void PrintBinary(ByteBuilder b, Expression left, string op, Expression right)
    {
        Paren(b, left);
        b.Append(' ').Append(op).Append(' ');
        Paren(b, right);
    }

    private static (Expression Left, string Op, Expression Right)? ChainLink(Expression e) => e switch
    {
        BinaryExpression x => (x.Left, OperatorText(x.Token), x.Right),
        ComparisonExpression x => (x.Left, OperatorText(x.Token), x.Right),
        LogicalExpression x => (x.Left, OperatorText(x.Token), x.Right),
        ConcatenationExpression x => (x.Left, ".", x.Right),
        _ => null,
    };

    /// <summary>
    /// Left-associative operators as <see cref="PrintBinary"/> prints them, "((a) + (b)) + (c)", without
    /// one recursion per operator: the parser builds such chains in a loop, so they can be far deeper
    /// than any stack.
    /// </summary>
    private static void PrintChain(ByteBuilder b, Expression e)
    {
        var links = new List<(string Op, Expression Right)>();
        while (ChainLink(e) is (var left, var op, var right))
        {
            links.Add((op, right));
            e = left;
        }
        for (int i = 0; i < links.Count; i++)
            b.Append('(');
        PrintExpression(b, e);
        for (int i = links.Count - 1; i >= 0; i--)
        {
            b.Append(')').Append(' ').Append(links[i].Op).Append(' ');
            Paren(b, links[i].Right);
        }
    }

    private static string OperatorText(Token t) => SyntaxFacts.GetText(t.Kind) ?? t.GetTextString();

    internal static void PrintExpression(ByteBuilder b, Expression e)
    {
        switch (e)
        {
            case NumberLiteralExpression n:
                b.Append(n.Value);
                break;
            case StringLiteralExpression s:
                PrintStringLiteral(b, s.Content);
                break;
            case BinaryExpression or ComparisonExpression or LogicalExpression or ConcatenationExpression:
                PrintChain(b, e);
                break;
            case AssignmentExpression x:
                PrintBinary(b, x.Left, OperatorText(x.Token), x.Right);
                break;
            case RegexMatchExpression r:
                Paren(b, r.Left);
                b.Append(' ').Append(OperatorText(r.Token)).Append(' ');
                PrintExpression(b, r.Pattern);
                break;
            case UnaryExpression u:
                b.Append(OperatorText(u.Token));
                Paren(b, u.Operand);
                break;
            case PreIncrementExpression p:
                b.Append(OperatorText(p.Token));
                Paren(b, p.Operand);
                break;
            case PostIncrementExpression p:
                Paren(b, p.Operand);
                b.Append(OperatorText(p.Token));
                break;
            case TernaryExpression t:
                Paren(b, t.Condition);
                b.Append('?');
                Paren(b, t.WhenTrue);
                b.Append(':');
                Paren(b, t.WhenFalse);
                break;
            case InExpression i:
                b.Append('[');
                PrintIndexList(b, i.Element.Indexes);
                b.Append("] in ");
                PrintExpression(b, i.Element.Base);
                break;
            case VariableExpression v:
                b.Append(v.Name);
                break;
            case IndexExpression x:
                PrintExpression(b, x.Base);
                b.Append('[');
                PrintIndexList(b, x.Indexes);
                b.Append(']');
                break;
            case CallExpression c:
                b.Append(c.Name).Append('(');
                for (int i = 0; i < c.Arguments.Length; i++)
                {
                    if (i > 0)
                        b.Append(", ");
                    PrintExpression(b, c.Arguments[i]);
                }
                b.Append(')');
                break;
            case PrintFormatExpression p:
                PrintPrint(b, p);
                break;
            case StatisticExpression s:
                b.Append(SyntaxFacts.GetStatisticOperatorName(s.Operator)).Append('(');
                PrintExpression(b, s.Operand);
                if (s.Parameter is { } param)
                    b.Append(", ").Append(param);
                b.Append(')');
                break;
            case HistogramExpression h:
                b.Append(h.IsLinear ? "@hist_linear(" : "@hist_log(");
                PrintExpression(b, h.Operand);
                foreach (long p in h.Parameters)
                    b.Append(", ").Append(p);
                b.Append(')');
                break;
            case TargetSymbolExpression t:
                if (t.IsAddressOf)
                    b.Append('&');
                b.Append(t.Name);
                PrintComponents(b, t.Components);
                break;
            case CastExpression c:
                if (c.IsAddressOf)
                    b.Append('&');
                b.Append("@cast(");
                PrintExpression(b, c.Operand);
                b.Append(", ");
                PrintExpression(b, c.Type);
                if (c.Module is { } module)
                {
                    b.Append(", ");
                    PrintExpression(b, module);
                }
                b.Append(')');
                PrintComponents(b, c.Components);
                break;
            case AtVarExpression v:
                if (v.IsAddressOf)
                    b.Append('&');
                b.Append("@var(");
                PrintExpression(b, v.Name);
                if (v.Module is { } mod)
                {
                    b.Append(", ");
                    PrintExpression(b, mod);
                }
                b.Append(')');
                PrintComponents(b, v.Components);
                break;
            case AutocastExpression a:
                if (a.IsAddressOf)
                    b.Append('&');
                Paren(b, a.Operand);
                PrintComponents(b, a.Components);
                break;
            case DefinedExpression d:
                b.Append("@defined(");
                PrintExpression(b, d.Operand);
                b.Append(')');
                break;
            case EntryExpression en:
                b.Append("@entry(");
                PrintExpression(b, en.Operand);
                b.Append(')');
                break;
            case PerfExpression pf:
                b.Append("@perf(");
                PrintExpression(b, pf.Name);
                b.Append(')');
                break;
            case EmbeddedCodeExpression ec:
                b.Append("%{ ").Append(ec.Code).Append(" %}");
                break;
        }
    }

    private static void PrintComponents(ByteBuilder b, System.Collections.Immutable.ImmutableArray<TargetComponent> components)
    {
        foreach (var c in components)
        {
            switch (c.ComponentKind)
            {
                case TargetComponentKind.Member:
                case TargetComponentKind.PrettyPrint:
                    b.Append("->").Append(c.Name);
                    break;
                case TargetComponentKind.Index:
                    b.Append('[');
                    PrintExpression(b, c.Index!);
                    b.Append(']');
                    break;
            }
        }
    }

    private static void PrintIndexList(ByteBuilder b, System.Collections.Immutable.ImmutableArray<Expression?> indexes)
    {
        for (int i = 0; i < indexes.Length; i++)
        {
            if (i > 0)
                b.Append(", ");
            if (indexes[i] is { } index)
                PrintExpression(b, index);
            else
                b.Append('*');
        }
    }

    private static void PrintPrint(ByteBuilder b, PrintFormatExpression p)
    {
        b.Append(p.Name).Append('(');
        bool lead = false;
        if (p.Format is { } format)
        {
            PrintQuoted(b, format.Content);
            lead = true;
        }
        if (p.Delimiter is { } delimiter)
        {
            PrintQuoted(b, delimiter.Content);
            lead = true;
        }
        if (p.Histogram is { } h)
        {
            PrintExpression(b, h);
            lead = true;
        }
        for (int i = 0; i < p.Arguments.Length; i++)
        {
            if (i > 0 || lead)
                b.Append(", ");
            PrintExpression(b, p.Arguments[i]);
        }
        b.Append(')');
    }

    /// <summary>A string literal as stap prints it: the stored content, only <c>"</c> escaped.</summary>
    private static void PrintStringLiteral(ByteBuilder b, ReadOnlySpan<byte> content)
    {
        b.Append('"');
        foreach (byte c in content)
        {
            if (c == (byte)'"')
                b.Append('\\');
            b.Append(c);
        }
        b.Append('"');
    }

    /// <summary>stap's quoting for formats and delimiters: <c>"</c> and <c>\</c> escaped, non-printables as octal.</summary>
    private static void PrintQuoted(ByteBuilder b, ReadOnlySpan<byte> content)
        => b.Append(Lexer.QuoteString(content));
}
