using System.Collections.Immutable;

namespace ProcProbe.Interpreter.Syntax;

public abstract class Expression : SyntaxNode
{
    protected Expression(Token token) : base(token) { }
}

/// <summary>A number or string literal.</summary>
public abstract class LiteralExpression : Expression
{
    protected LiteralExpression(Token token) : base(token) { }
}

/// <summary>
/// An integer literal. Token is the number token (for a folded <c>-N</c> in a global initialiser or
/// probe parameter, the <c>-</c>). Values 2^63..2^64-1 have already wrapped to negative.
/// </summary>
public sealed class NumberLiteralExpression : LiteralExpression
{
    public NumberLiteralExpression(Token token, long value) : base(token) => Value = value;

    public override SyntaxKind Kind => SyntaxKind.NumberLiteralExpression;

    public long Value { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => [];
}

/// <summary>
/// A string literal, adjacent literals already joined. Token is the first string token.
/// <see cref="Content"/> is stap's stored form: escapes that C will interpret (<c>\n</c>, <c>\\</c>,
/// octal, hex) still written out, others already reduced (<c>\q</c> is <c>q</c>, <c>\"</c> is <c>"</c>).
/// </summary>
public sealed class StringLiteralExpression : LiteralExpression
{
    public StringLiteralExpression(Token token, byte[] content) : base(token) => Content = content;

    public override SyntaxKind Kind => SyntaxKind.StringLiteralExpression;

    public byte[] Content { get; }

    /// <summary>The run-time byte value: C escapes applied, cut at the first NUL (as C strings are).</summary>
    public byte[] GetValue() => SyntaxFacts.DecodeStringValue(Content);

    public override IEnumerable<SyntaxNode> GetChildren() => [];
}

/// <summary>Arithmetic and bitwise <c>+ - * / % &lt;&lt; &gt;&gt; &gt;&gt;&gt; &amp; | ^</c>: Token is the operator.</summary>
public sealed class BinaryExpression : Expression
{
    public BinaryExpression(Token token, Expression left, Expression right) : base(token)
    {
        Left = left;
        Right = right;
    }

    public override SyntaxKind Kind => SyntaxKind.BinaryExpression;

    public SyntaxKind Operator => Token.Kind;

    public Expression Left { get; }

    public Expression Right { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Left, Right);
}

/// <summary>Prefix <c>+ - ! ~</c>: Token is the operator.</summary>
public sealed class UnaryExpression : Expression
{
    public UnaryExpression(Token token, Expression operand) : base(token) => Operand = operand;

    public override SyntaxKind Kind => SyntaxKind.UnaryExpression;

    public SyntaxKind Operator => Token.Kind;

    public Expression Operand { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Operand);
}

/// <summary><c>++x</c> / <c>--x</c>: Token is the operator.</summary>
public sealed class PreIncrementExpression : Expression
{
    public PreIncrementExpression(Token token, Expression operand) : base(token) => Operand = operand;

    public override SyntaxKind Kind => SyntaxKind.PreIncrementExpression;

    /// <summary><see cref="SyntaxKind.PlusPlusToken"/> or <see cref="SyntaxKind.MinusMinusToken"/>.</summary>
    public SyntaxKind Operator => Token.Kind;

    public Expression Operand { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Operand);
}

/// <summary><c>x++</c> / <c>x--</c>: Token is the operator.</summary>
public sealed class PostIncrementExpression : Expression
{
    public PostIncrementExpression(Token token, Expression operand) : base(token) => Operand = operand;

    public override SyntaxKind Kind => SyntaxKind.PostIncrementExpression;

    public SyntaxKind Operator => Token.Kind;

    public Expression Operand { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Operand);
}

/// <summary><c>||</c> and <c>&amp;&amp;</c> (short-circuit): Token is the operator.</summary>
public sealed class LogicalExpression : Expression
{
    public LogicalExpression(Token token, Expression left, Expression right) : base(token)
    {
        Left = left;
        Right = right;
    }

    public override SyntaxKind Kind => Token.Kind == SyntaxKind.BarBarToken
        ? SyntaxKind.LogicalOrExpression
        : SyntaxKind.LogicalAndExpression;

    public SyntaxKind Operator => Token.Kind;

    public Expression Left { get; }

    public Expression Right { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Left, Right);
}

/// <summary>
/// <c>K in A</c> / <c>[K1, *, K3] in A</c>: Token is <c>in</c>. <see cref="Element"/> carries the
/// indexes (null for <c>*</c>) and the array.
/// </summary>
public sealed class InExpression : Expression
{
    public InExpression(Token token, IndexExpression element) : base(token) => Element = element;

    public override SyntaxKind Kind => SyntaxKind.InExpression;

    public IndexExpression Element { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Element);
}

/// <summary><c>S =~ "re"</c> / <c>S !~ "re"</c>: Token is the operator.</summary>
public sealed class RegexMatchExpression : Expression
{
    public RegexMatchExpression(Token token, Expression left, StringLiteralExpression pattern) : base(token)
    {
        Left = left;
        Pattern = pattern;
    }

    public override SyntaxKind Kind => SyntaxKind.RegexMatchExpression;

    public bool IsNegated => Token.Kind == SyntaxKind.BangTildeToken;

    public Expression Left { get; }

    public StringLiteralExpression Pattern { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Left, Pattern);
}

/// <summary><c>&lt; &gt; &lt;= &gt;= == !=</c> on longs or strings: Token is the operator.</summary>
public sealed class ComparisonExpression : Expression
{
    public ComparisonExpression(Token token, Expression left, Expression right) : base(token)
    {
        Left = left;
        Right = right;
    }

    public override SyntaxKind Kind => SyntaxKind.ComparisonExpression;

    public SyntaxKind Operator => Token.Kind;

    public Expression Left { get; }

    public Expression Right { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Left, Right);
}

/// <summary>String concatenation <c>L . R</c> (left-associative): Token is the <c>.</c>.</summary>
public sealed class ConcatenationExpression : Expression
{
    public ConcatenationExpression(Token token, Expression left, Expression right) : base(token)
    {
        Left = left;
        Right = right;
    }

    public override SyntaxKind Kind => SyntaxKind.ConcatenationExpression;

    public Expression Left { get; }

    public Expression Right { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Left, Right);
}

/// <summary><c>C ? T : F</c>: Token is <c>?</c>.</summary>
public sealed class TernaryExpression : Expression
{
    public TernaryExpression(Token token, Expression condition, Expression whenTrue, Expression whenFalse) : base(token)
    {
        Condition = condition;
        WhenTrue = whenTrue;
        WhenFalse = whenFalse;
    }

    public override SyntaxKind Kind => SyntaxKind.TernaryExpression;

    public Expression Condition { get; }

    public Expression WhenTrue { get; }

    public Expression WhenFalse { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Condition, WhenTrue, WhenFalse);
}

/// <summary>
/// <c>= &lt;&lt;&lt; += -= *= /= %= &lt;&lt;= &gt;&gt;= &amp;= ^= |= .=</c>: Token is the operator.
/// Whether <see cref="Left"/> is an lvalue is checked in pass 2.
/// </summary>
public sealed class AssignmentExpression : Expression
{
    public AssignmentExpression(Token token, Expression left, Expression right) : base(token)
    {
        Left = left;
        Right = right;
    }

    public override SyntaxKind Kind => SyntaxKind.AssignmentExpression;

    public SyntaxKind Operator => Token.Kind;

    public Expression Left { get; }

    public Expression Right { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Left, Right);
}

/// <summary>A plain name: local, parameter or global. Token is the identifier.</summary>
public sealed class VariableExpression : Expression
{
    public VariableExpression(Token token) : base(token) => Name = token.GetNameString();

    public override SyntaxKind Kind => SyntaxKind.VariableExpression;

    public string Name { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => [];
}

public enum TargetComponentKind : byte
{
    /// <summary><c>-&gt;name</c></summary>
    Member,
    /// <summary><c>[expr]</c></summary>
    Index,
    /// <summary>A trailing <c>$</c> or <c>$$</c> (pretty printing).</summary>
    PrettyPrint,
}

/// <summary>One <c>-&gt;member</c>, <c>[index]</c> or <c>$</c>/<c>$$</c> suffix after a target value.</summary>
public sealed class TargetComponent : SyntaxNode
{
    public TargetComponent(Token token, TargetComponentKind componentKind, string name, Expression? index) : base(token)
    {
        ComponentKind = componentKind;
        Name = name;
        Index = index;
    }

    public override SyntaxKind Kind => SyntaxKind.TargetComponent;

    public TargetComponentKind ComponentKind { get; }

    /// <summary>Member name for <see cref="TargetComponentKind.Member"/>; <c>$</c>/<c>$$</c> for pretty printing.</summary>
    public string Name { get; }

    public Expression? Index { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Index);
}

/// <summary>
/// A context variable <c>$name</c> (only <c>$value</c> exists for procfs probes), optionally
/// <c>&amp;$name</c> and followed by components. Token is the <c>$name</c> identifier.
/// </summary>
public sealed class TargetSymbolExpression : Expression
{
    public TargetSymbolExpression(Token token, bool isAddressOf, ImmutableArray<TargetComponent> components) : base(token)
    {
        Name = token.GetNameString();
        IsAddressOf = isAddressOf;
        Components = components;
    }

    public override SyntaxKind Kind => SyntaxKind.TargetSymbolExpression;

    /// <summary>The full name including the leading <c>$</c>.</summary>
    public string Name { get; }

    public bool IsAddressOf { get; }

    public ImmutableArray<TargetComponent> Components { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Concat<TargetComponent>(null, Components);
}

/// <summary><c>@cast(OPERAND, "type"[, "module"])</c> plus components: Token is <c>@cast</c>.</summary>
public sealed class CastExpression : Expression
{
    public CastExpression(Token token, Expression operand, StringLiteralExpression type, StringLiteralExpression? module,
                          bool isAddressOf, ImmutableArray<TargetComponent> components) : base(token)
    {
        Operand = operand;
        Type = type;
        Module = module;
        IsAddressOf = isAddressOf;
        Components = components;
    }

    public override SyntaxKind Kind => SyntaxKind.CastExpression;

    public Expression Operand { get; }

    public StringLiteralExpression Type { get; }

    public StringLiteralExpression? Module { get; }

    public bool IsAddressOf { get; }

    public ImmutableArray<TargetComponent> Components { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Concat<TargetComponent>(null, Components, Operand, Type, Module);
}

/// <summary>A value followed by <c>-&gt;</c>/<c>[</c> components or prefixed by <c>&amp;</c> (autocast): Token is the <c>&amp;</c> or the first component's token.</summary>
public sealed class AutocastExpression : Expression
{
    public AutocastExpression(Token token, Expression operand, ImmutableArray<TargetComponent> components, bool isAddressOf = false)
        : base(token)
    {
        Operand = operand;
        Components = components;
        IsAddressOf = isAddressOf;
    }

    /// <summary><c>&amp;VALUE...</c>: the address instead of the value.</summary>
    public bool IsAddressOf { get; }

    public override SyntaxKind Kind => SyntaxKind.AutocastExpression;

    public Expression Operand { get; }

    public ImmutableArray<TargetComponent> Components { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Concat<TargetComponent>(Operand, Components);
}

/// <summary><c>@var("name[@cu]"[, "module"])</c> plus components: Token is <c>@var</c>.</summary>
public sealed class AtVarExpression : Expression
{
    public AtVarExpression(Token token, StringLiteralExpression name, StringLiteralExpression? module, bool isAddressOf,
                           ImmutableArray<TargetComponent> components) : base(token)
    {
        Name = name;
        Module = module;
        IsAddressOf = isAddressOf;
        Components = components;
    }

    public override SyntaxKind Kind => SyntaxKind.AtVarExpression;

    public StringLiteralExpression Name { get; }

    public StringLiteralExpression? Module { get; }

    public bool IsAddressOf { get; }

    public ImmutableArray<TargetComponent> Components { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Concat<TargetComponent>(Name, Components, Module);
}

/// <summary><c>@defined(OPERAND)</c>: Token is <c>@defined</c>.</summary>
public sealed class DefinedExpression : Expression
{
    public DefinedExpression(Token token, Expression operand) : base(token) => Operand = operand;

    public override SyntaxKind Kind => SyntaxKind.DefinedExpression;

    public Expression Operand { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Operand);
}

/// <summary><c>@entry(OPERAND)</c>: Token is <c>@entry</c>.</summary>
public sealed class EntryExpression : Expression
{
    public EntryExpression(Token token, Expression operand) : base(token) => Operand = operand;

    public override SyntaxKind Kind => SyntaxKind.EntryExpression;

    public Expression Operand { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Operand);
}

/// <summary><c>@perf("name")</c>: Token is <c>@perf</c>.</summary>
public sealed class PerfExpression : Expression
{
    public PerfExpression(Token token, StringLiteralExpression name) : base(token) => Name = name;

    public override SyntaxKind Kind => SyntaxKind.PerfExpression;

    public StringLiteralExpression Name { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Name);
}

/// <summary>
/// <c>A[I1, I2]</c>: Token is the base's token. <see cref="Base"/> is a <see cref="VariableExpression"/>
/// or a <see cref="HistogramExpression"/>; null index entries are <c>*</c> wildcards.
/// </summary>
public sealed class IndexExpression : Expression
{
    public IndexExpression(Token token, Expression @base, ImmutableArray<Expression?> indexes) : base(token)
    {
        Base = @base;
        Indexes = indexes;
    }

    public override SyntaxKind Kind => SyntaxKind.IndexExpression;

    public Expression Base { get; }

    public ImmutableArray<Expression?> Indexes { get; }

    public bool HasWildcard
    {
        get
        {
            foreach (var index in Indexes)
            {
                if (index is null)
                    return true;
            }
            return false;
        }
    }

    public override IEnumerable<SyntaxNode> GetChildren() => Concat(Base, Indexes);
}

/// <summary><c>NAME(ARGS)</c>: Token is the name.</summary>
public sealed class CallExpression : Expression
{
    public CallExpression(Token token, ImmutableArray<Expression> arguments) : base(token)
    {
        Name = token.GetNameString();
        Arguments = arguments;
    }

    public override SyntaxKind Kind => SyntaxKind.CallExpression;

    public string Name { get; }

    public ImmutableArray<Expression> Arguments { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Concat<Expression>(null, Arguments);
}

/// <summary>The print family, parsed specially by stap.</summary>
public enum PrintFunction : byte
{
    Print,
    Println,
    Printf,
    Printd,
    Printdln,
    Sprint,
    Sprintln,
    Sprintf,
    Sprintd,
    Sprintdln,
    PrintChar,
}

/// <summary>
/// <c>print</c>/<c>printf</c>/<c>printd</c>/... and their <c>s</c> forms: Token is the name.
/// <see cref="Format"/> holds printf's format (with <see cref="FormatComponents"/> parsed),
/// <see cref="Delimiter"/> printd's delimiter; <see cref="Histogram"/> is set for <c>print(@hist_*(...))</c>.
/// </summary>
public sealed class PrintFormatExpression : Expression
{
    public PrintFormatExpression(Token token, PrintFunction function, StringLiteralExpression? format,
                                 ImmutableArray<PrintFormatComponent> formatComponents, StringLiteralExpression? delimiter,
                                 ImmutableArray<Expression> arguments, HistogramExpression? histogram) : base(token)
    {
        Function = function;
        Format = format;
        FormatComponents = formatComponents;
        Delimiter = delimiter;
        Arguments = arguments;
        Histogram = histogram;
    }

    public override SyntaxKind Kind => SyntaxKind.PrintFormatExpression;

    public PrintFunction Function { get; }

    public string Name => SyntaxFacts.GetPrintFunctionName(Function);

    /// <summary>True for the <c>sprint*</c> forms, which return a string instead of writing.</summary>
    public bool IsString => Function is PrintFunction.Sprint or PrintFunction.Sprintln or PrintFunction.Sprintf
        or PrintFunction.Sprintd or PrintFunction.Sprintdln;

    /// <summary>True for the <c>*ln</c> forms, which add a newline.</summary>
    public bool AddsNewline => Function is PrintFunction.Println or PrintFunction.Sprintln or PrintFunction.Printdln
        or PrintFunction.Sprintdln;

    public StringLiteralExpression? Format { get; }

    /// <summary>Parsed <see cref="Format"/>; default (not empty) when there is no format.</summary>
    public ImmutableArray<PrintFormatComponent> FormatComponents { get; }

    public StringLiteralExpression? Delimiter { get; }

    public ImmutableArray<Expression> Arguments { get; }

    public HistogramExpression? Histogram { get; }

    public override IEnumerable<SyntaxNode> GetChildren()
    {
        var list = new List<SyntaxNode>();
        if (Format is not null)
            list.Add(Format);
        if (Delimiter is not null)
            list.Add(Delimiter);
        list.AddRange(Arguments);
        if (Histogram is not null)
            list.Add(Histogram);
        return list;
    }
}

/// <summary>
/// <c>@avg @count @sum @min @max (OPERAND)</c> and <c>@variance(OPERAND[, N])</c>: Token is the operator.
/// </summary>
public sealed class StatisticExpression : Expression
{
    public StatisticExpression(Token token, StatisticOperator @operator, Expression operand, long? parameter) : base(token)
    {
        Operator = @operator;
        Operand = operand;
        Parameter = parameter;
    }

    public override SyntaxKind Kind => SyntaxKind.StatisticExpression;

    public StatisticOperator Operator { get; }

    public Expression Operand { get; }

    /// <summary>The optional bit-shift parameter of <c>@variance</c>.</summary>
    public long? Parameter { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Operand);
}

/// <summary>
/// <c>@hist_linear(OPERAND, START, STOP, INTERVAL)</c> or <c>@hist_log(OPERAND)</c>: Token is the operator.
/// </summary>
public sealed class HistogramExpression : Expression
{
    public HistogramExpression(Token token, bool isLinear, Expression operand, ImmutableArray<long> parameters) : base(token)
    {
        IsLinear = isLinear;
        Operand = operand;
        Parameters = parameters;
    }

    public override SyntaxKind Kind => SyntaxKind.HistogramExpression;

    public bool IsLinear { get; }

    public Expression Operand { get; }

    /// <summary>start, stop, interval for the linear histogram; empty for the log histogram.</summary>
    public ImmutableArray<long> Parameters { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Operand);
}

/// <summary>A <c>%{ ... %}</c> expression (guru mode).</summary>
public sealed class EmbeddedCodeExpression : Expression
{
    public EmbeddedCodeExpression(Token token) : base(token) => Code = token.GetContent();

    public override SyntaxKind Kind => SyntaxKind.EmbeddedCodeExpression;

    public byte[] Code { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => [];
}
