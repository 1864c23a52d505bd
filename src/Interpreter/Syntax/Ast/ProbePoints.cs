using System.Collections.Immutable;

namespace ProcProbe.Interpreter.Syntax;

/// <summary>
/// One probe point after brace expansion: <c>COMP(.COMP)* [?|!] [if (COND)]</c>. Token is the token
/// of the first component.
/// </summary>
public sealed class ProbePoint : SyntaxNode
{
    public ProbePoint(Token token, ImmutableArray<ProbePointComponent> components, bool isOptional, bool isSufficient,
                      Expression? condition) : base(token)
    {
        Components = components;
        IsOptional = isOptional;
        IsSufficient = isSufficient;
        Condition = condition;
    }

    public override SyntaxKind Kind => SyntaxKind.ProbePoint;

    public ImmutableArray<ProbePointComponent> Components { get; }

    /// <summary><c>?</c>, or implied by <c>!</c>: no error if the point resolves to nothing.</summary>
    public bool IsOptional { get; }

    /// <summary><c>!</c>: if this point resolves, later points of the same probe are skipped.</summary>
    public bool IsSufficient { get; }

    /// <summary>The <c>if (...)</c> condition, or null.</summary>
    public Expression? Condition { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Concat<ProbePointComponent>(null, Components, Condition);
}

/// <summary>
/// A component such as <c>timer</c>, <c>ms(500)</c>, <c>procfs("x")</c> or <c>sys*open</c>. The name is
/// glued from adjacent identifier/keyword/<c>*</c> tokens; Token is the first of them.
/// </summary>
public sealed class ProbePointComponent : SyntaxNode
{
    public ProbePointComponent(Token token, string name, LiteralExpression? argument) : base(token)
    {
        Name = name;
        Argument = argument;
    }

    public override SyntaxKind Kind => SyntaxKind.ProbePointComponent;

    public string Name { get; }

    /// <summary>The literal parameter (string or possibly negative number), or null.</summary>
    public LiteralExpression? Argument { get; }

    public bool HasWildcard => Name.Contains('*');

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Argument);
}
