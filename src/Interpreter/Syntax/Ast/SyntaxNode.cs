using System.Collections.Immutable;

namespace ProcProbe.Interpreter.Syntax;

/// <summary>
/// Base of the immutable AST. <see cref="Token"/> is the token stap attaches to the node, which is
/// what its diagnostics print (<c>TYPE 'TEXT' at FILE:LINE:COL</c>): for operators that is the
/// operator token, for calls and variables the name, for statements their keyword.
/// </summary>
public abstract class SyntaxNode
{
    protected SyntaxNode(Token token) => Token = token;

    public abstract SyntaxKind Kind { get; }

    public Token Token { get; }

    /// <summary>Direct child nodes in source order (absent optional parts are skipped).</summary>
    public abstract IEnumerable<SyntaxNode> GetChildren();

    private protected static IEnumerable<SyntaxNode> Nodes(params ReadOnlySpan<SyntaxNode?> nodes)
    {
        var list = new List<SyntaxNode>(nodes.Length);
        foreach (var node in nodes)
        {
            if (node is not null)
                list.Add(node);
        }
        return list;
    }

    private protected static IEnumerable<SyntaxNode> Concat<T>(SyntaxNode? head, ImmutableArray<T> items, params ReadOnlySpan<SyntaxNode?> tail)
        where T : SyntaxNode?
    {
        var list = new List<SyntaxNode>();
        if (head is not null)
            list.Add(head);
        foreach (var item in items)
        {
            if (item is not null)
                list.Add(item);
        }
        foreach (var node in tail)
        {
            if (node is not null)
                list.Add(node);
        }
        return list;
    }
}

/// <summary>A type annotation (<c>:long</c>, <c>:string</c>) on a function or parameter.</summary>
public enum DeclaredType : byte
{
    None = 0,
    Long,
    String,
}

/// <summary>Aggregate operators <c>@avg @count @sum @min @max @variance</c>.</summary>
public enum StatisticOperator : byte
{
    None = 0,
    Average,
    Count,
    Sum,
    Minimum,
    Maximum,
    Variance,
}
