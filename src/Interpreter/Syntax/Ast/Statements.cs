using System.Collections.Immutable;

namespace ProcProbe.Interpreter.Syntax;

public abstract class Statement : SyntaxNode
{
    protected Statement(Token token) : base(token) { }
}

/// <summary><c>{ STATEMENTS }</c>: Token is <c>{</c>.</summary>
public sealed class BlockStatement : Statement
{
    public BlockStatement(Token token, ImmutableArray<Statement> statements) : base(token) => Statements = statements;

    public override SyntaxKind Kind => SyntaxKind.BlockStatement;

    public ImmutableArray<Statement> Statements { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Concat<Statement>(null, Statements);
}

/// <summary><c>try { } catch [(VAR)] { }</c>: Token is <c>try</c>.</summary>
public sealed class TryStatement : Statement
{
    public TryStatement(Token token, BlockStatement tryBlock, VariableExpression? catchVariable, BlockStatement catchBlock)
        : base(token)
    {
        TryBlock = tryBlock;
        CatchVariable = catchVariable;
        CatchBlock = catchBlock;
    }

    public override SyntaxKind Kind => SyntaxKind.TryStatement;

    public BlockStatement TryBlock { get; }

    /// <summary>Receives the error message (a string); null when <c>catch</c> has no variable.</summary>
    public VariableExpression? CatchVariable { get; }

    public BlockStatement CatchBlock { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(TryBlock, CatchVariable, CatchBlock);
}

/// <summary>A <c>%{ ... %}</c> function body (guru mode).</summary>
public sealed class EmbeddedCodeStatement : Statement
{
    public EmbeddedCodeStatement(Token token) : base(token) => Code = token.GetContent();

    public override SyntaxKind Kind => SyntaxKind.EmbeddedCodeStatement;

    public byte[] Code { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => [];
}

/// <summary>A lone <c>;</c>.</summary>
public sealed class NullStatement : Statement
{
    public NullStatement(Token token) : base(token) { }

    public override SyntaxKind Kind => SyntaxKind.NullStatement;

    public override IEnumerable<SyntaxNode> GetChildren() => [];
}

/// <summary>An expression used as a statement: Token is the expression's first token.</summary>
public sealed class ExpressionStatement : Statement
{
    public ExpressionStatement(Token token, Expression expression) : base(token) => Expression = expression;

    public override SyntaxKind Kind => SyntaxKind.ExpressionStatement;

    public Expression Expression { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Expression);
}

/// <summary><c>if (COND) THEN [else ELSE]</c>: Token is <c>if</c>.</summary>
public sealed class IfStatement : Statement
{
    public IfStatement(Token token, Expression condition, Statement thenStatement, Statement? elseStatement) : base(token)
    {
        Condition = condition;
        Then = thenStatement;
        Else = elseStatement;
    }

    public override SyntaxKind Kind => SyntaxKind.IfStatement;

    public Expression Condition { get; }

    public Statement Then { get; }

    public Statement? Else { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Condition, Then, Else);
}

/// <summary>
/// <c>for (INIT; COND; INCR) BODY</c> and <c>while (COND) BODY</c> (stap keeps both as one loop).
/// Token is <c>for</c> or <c>while</c>. An empty condition is the synthesized literal 1.
/// </summary>
public sealed class ForStatement : Statement
{
    public ForStatement(Token token, ExpressionStatement? initializer, Expression condition, ExpressionStatement? increment,
                        Statement body) : base(token)
    {
        Initializer = initializer;
        Condition = condition;
        Increment = increment;
        Body = body;
    }

    public override SyntaxKind Kind => SyntaxKind.ForStatement;

    public bool IsWhile => Token.Kind == SyntaxKind.WhileKeyword;

    public ExpressionStatement? Initializer { get; }

    public Expression Condition { get; }

    public ExpressionStatement? Increment { get; }

    public Statement Body { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Initializer, Condition, Increment, Body);
}

/// <summary>
/// <c>foreach ([VALUE[+-] =] KEYS in ARRAY[[SLICE]] [@op][+-] [limit N]) BODY</c>: Token is <c>foreach</c>.
/// </summary>
public sealed class ForeachStatement : Statement
{
    public ForeachStatement(Token token, VariableExpression? valueVariable, ImmutableArray<VariableExpression> keys,
                            Expression array, ImmutableArray<Expression?> slice, int sortColumn, int sortDirection,
                            StatisticOperator sortAggregate, Expression? limit, Statement body) : base(token)
    {
        ValueVariable = valueVariable;
        Keys = keys;
        Array = array;
        Slice = slice;
        SortColumn = sortColumn;
        SortDirection = sortDirection;
        SortAggregate = sortAggregate;
        Limit = limit;
        Body = body;
    }

    public override SyntaxKind Kind => SyntaxKind.ForeachStatement;

    /// <summary>The <c>v</c> of <c>foreach (v = k in a)</c>, or null.</summary>
    public VariableExpression? ValueVariable { get; }

    /// <summary>Key variables, one per array index position.</summary>
    public ImmutableArray<VariableExpression> Keys { get; }

    /// <summary>A <see cref="VariableExpression"/> or a <see cref="HistogramExpression"/>.</summary>
    public Expression Array { get; }

    /// <summary><c>a[*, "x"]</c> after <c>in</c>: null entries are <c>*</c>; default when no slice.</summary>
    public ImmutableArray<Expression?> Slice { get; }

    /// <summary>0: sort by value; 1..N: by that key; only meaningful when <see cref="SortDirection"/> != 0.</summary>
    public int SortColumn { get; }

    /// <summary>1 ascending (<c>+</c>), -1 descending (<c>-</c>), 0 unsorted.</summary>
    public int SortDirection { get; }

    /// <summary>The aggregate a statistics array is sorted by (<c>@sum-</c>); None otherwise.</summary>
    public StatisticOperator SortAggregate { get; }

    public Expression? Limit { get; }

    public Statement Body { get; }

    public override IEnumerable<SyntaxNode> GetChildren()
    {
        var list = new List<SyntaxNode>();
        if (ValueVariable is not null)
            list.Add(ValueVariable);
        list.AddRange(Keys);
        list.Add(Array);
        if (!Slice.IsDefault)
        {
            foreach (var s in Slice)
            {
                if (s is not null)
                    list.Add(s);
            }
        }
        if (Limit is not null)
            list.Add(Limit);
        list.Add(Body);
        return list;
    }
}

/// <summary><c>return [VALUE]</c>: Token is <c>return</c>.</summary>
public sealed class ReturnStatement : Statement
{
    public ReturnStatement(Token token, Expression? value) : base(token) => Value = value;

    public override SyntaxKind Kind => SyntaxKind.ReturnStatement;

    public Expression? Value { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Value);
}

/// <summary><c>delete TARGET</c> (variable, element or wildcard slice): Token is <c>delete</c>.</summary>
public sealed class DeleteStatement : Statement
{
    public DeleteStatement(Token token, Expression target) : base(token) => Target = target;

    public override SyntaxKind Kind => SyntaxKind.DeleteStatement;

    public Expression Target { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Target);
}

/// <summary><c>next</c>: leave the probe handler, or chain to the next overload inside a function.</summary>
public sealed class NextStatement : Statement
{
    public NextStatement(Token token) : base(token) { }

    public override SyntaxKind Kind => SyntaxKind.NextStatement;

    public override IEnumerable<SyntaxNode> GetChildren() => [];
}

public sealed class BreakStatement : Statement
{
    public BreakStatement(Token token) : base(token) { }

    public override SyntaxKind Kind => SyntaxKind.BreakStatement;

    public override IEnumerable<SyntaxNode> GetChildren() => [];
}

public sealed class ContinueStatement : Statement
{
    public ContinueStatement(Token token) : base(token) { }

    public override SyntaxKind Kind => SyntaxKind.ContinueStatement;

    public override IEnumerable<SyntaxNode> GetChildren() => [];
}
