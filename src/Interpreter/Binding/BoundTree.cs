using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Binding;

internal enum BoundKind : byte
{
    // expressions
    LongLiteral,
    StringLiteral,
    Variable,
    Element,
    Binary,
    Unary,
    Logical,
    Comparison,
    Concat,
    Ternary,
    Assignment,
    IncDec,
    In,
    Regex,
    Call,
    Builtin,
    Print,
    Statistic,
    ProcfsValue,
    HistogramBucket,
    // statements
    Block,
    ExpressionStatement,
    If,
    For,
    Foreach,
    HistogramForeach,
    Return,
    Delete,
    Next,
    Break,
    Continue,
    Try,
    Null,
}

/// <summary>Operators of the bound tree (the syntax token kinds folded to what evaluation needs).</summary>
internal enum BoundOp : byte
{
    None,
    Add, Sub, Mul, Div, Mod, Shl, Shr, ShrLogical, And, Or, Xor,
    Negate, Plus, Not, Complement,
    LogicalAnd, LogicalOr,
    Lt, Le, Gt, Ge, Eq, Ne,
    Assign, ConcatAssign, StatAdd,
}

internal abstract class BoundNode
{
    protected BoundNode(BoundKind kind, Token token)
    {
        Kind = kind;
        Token = token;
    }

    public BoundKind Kind { get; }

    /// <summary>The token stap reports for this node (diagnostics and run-time errors).</summary>
    public Token Token { get; }
}

internal abstract class BoundExpression : BoundNode
{
    protected BoundExpression(BoundKind kind, Token token) : base(kind, token) { }

    /// <summary>Inferred type; mutable during binding only.</summary>
    public ScriptType Type { get; set; }

    /// <summary>Set once <see cref="Binder.ConstantValue(BoundExpression)"/> found this operator not constant:
    /// an expression's operands never change, and the passes ask again at every level of a chain.</summary>
    internal bool KnownNotConstant;
}

internal sealed class BoundLongLiteral : BoundExpression
{
    public BoundLongLiteral(Token token, long value) : base(BoundKind.LongLiteral, token)
    {
        Value = value;
        Type = ScriptType.Long;
    }

    public long Value { get; }

    /// <summary>The 1 of a <c>@defined($value)</c> that resolved: stap expanded the <c>$value</c> (and
    /// numbered its helper) before folding it away.</summary>
    public bool FromDefinedProcfsValue { get; init; }
}

internal sealed class BoundStringLiteral : BoundExpression
{
    public BoundStringLiteral(Token token, byte[] value, byte[] stored) : base(BoundKind.StringLiteral, token)
    {
        Value = value;
        Stored = stored;
        Type = ScriptType.String;
    }

    /// <summary>Run-time bytes (escapes applied, cut at NUL).</summary>
    public byte[] Value { get; }

    /// <summary>The literal as stap stores it (escapes still written), for listings.</summary>
    public byte[] Stored { get; }
}

/// <summary>A scalar variable (local, parameter or global).</summary>
internal sealed class BoundVariable : BoundExpression
{
    public BoundVariable(Token token, VariableSymbol symbol) : base(BoundKind.Variable, token) => Symbol = symbol;

    public VariableSymbol Symbol { get; }
}

/// <summary><c>A[I...]</c>; a null index is a <c>*</c> wildcard (delete, in, foreach slices only).</summary>
internal sealed class BoundElement : BoundExpression
{
    public BoundElement(Token token, VariableSymbol array, BoundExpression?[] indexes) : base(BoundKind.Element, token)
    {
        Array = array;
        Indexes = indexes;
    }

    public VariableSymbol Array { get; }
    public BoundExpression?[] Indexes { get; }

    public bool HasWildcard => System.Array.IndexOf(Indexes, null) >= 0;
}

internal sealed class BoundBinary : BoundExpression
{
    public BoundBinary(Token token, BoundOp op, BoundExpression left, BoundExpression right) : base(BoundKind.Binary, token)
    {
        Op = op;
        Left = left;
        Right = right;
    }

    public BoundOp Op { get; }
    public BoundExpression Left { get; }
    public BoundExpression Right { get; }
}

internal sealed class BoundUnary : BoundExpression
{
    public BoundUnary(Token token, BoundOp op, BoundExpression operand) : base(BoundKind.Unary, token)
    {
        Op = op;
        Operand = operand;
    }

    public BoundOp Op { get; }
    public BoundExpression Operand { get; }
}

internal sealed class BoundLogical : BoundExpression
{
    public BoundLogical(Token token, BoundOp op, BoundExpression left, BoundExpression right) : base(BoundKind.Logical, token)
    {
        Op = op;
        Left = left;
        Right = right;
    }

    public BoundOp Op { get; }
    public BoundExpression Left { get; }
    public BoundExpression Right { get; }
}

internal sealed class BoundComparison : BoundExpression
{
    public BoundComparison(Token token, BoundOp op, BoundExpression left, BoundExpression right) : base(BoundKind.Comparison, token)
    {
        Op = op;
        Left = left;
        Right = right;
    }

    public BoundOp Op { get; }
    public BoundExpression Left { get; }
    public BoundExpression Right { get; }
}

internal sealed class BoundConcat : BoundExpression
{
    public BoundConcat(Token token, BoundExpression left, BoundExpression right) : base(BoundKind.Concat, token)
    {
        Left = left;
        Right = right;
    }

    public BoundExpression Left { get; }
    public BoundExpression Right { get; }
}

internal sealed class BoundTernary : BoundExpression
{
    public BoundTernary(Token token, BoundExpression condition, BoundExpression whenTrue, BoundExpression whenFalse)
        : base(BoundKind.Ternary, token)
    {
        Condition = condition;
        WhenTrue = whenTrue;
        WhenFalse = whenFalse;
    }

    public BoundExpression Condition { get; }
    public BoundExpression WhenTrue { get; }
    public BoundExpression WhenFalse { get; }
}

/// <summary>
/// <c>T = V</c>, <c>T OP= V</c>, <c>T .= V</c>, <c>T &lt;&lt;&lt; V</c>. <see cref="Op"/> is the arithmetic operator
/// for compound forms, <see cref="BoundOp.Assign"/>, <see cref="BoundOp.ConcatAssign"/> or <see cref="BoundOp.StatAdd"/>.
/// The target is a <see cref="BoundVariable"/>, <see cref="BoundElement"/> or <see cref="BoundProcfsValue"/>.
/// </summary>
internal sealed class BoundAssignment : BoundExpression
{
    public BoundAssignment(Token token, BoundOp op, BoundExpression target, BoundExpression value) : base(BoundKind.Assignment, token)
    {
        Op = op;
        Target = target;
        Value = value;
    }

    public BoundOp Op { get; }
    public BoundExpression Target { get; }
    public BoundExpression Value { get; }
}

internal sealed class BoundIncDec : BoundExpression
{
    public BoundIncDec(Token token, BoundExpression target, bool isPrefix, bool isIncrement) : base(BoundKind.IncDec, token)
    {
        Target = target;
        IsPrefix = isPrefix;
        IsIncrement = isIncrement;
    }

    public BoundExpression Target { get; }
    public bool IsPrefix { get; }
    public bool IsIncrement { get; }
}

internal sealed class BoundIn : BoundExpression
{
    public BoundIn(Token token, BoundElement element) : base(BoundKind.In, token) => Element = element;

    public BoundElement Element { get; }
}

internal sealed class BoundRegex : BoundExpression
{
    public BoundRegex(Token token, BoundExpression left, byte[] pattern, bool negated, Evaluation.ScriptRegex regex)
        : base(BoundKind.Regex, token)
    {
        Left = left;
        Pattern = pattern;
        Negated = negated;
        Regex = regex;
    }

    public BoundExpression Left { get; }
    public byte[] Pattern { get; }
    public bool Negated { get; }
    public Evaluation.ScriptRegex Regex { get; }
}

internal sealed class BoundCall : BoundExpression
{
    public BoundCall(Token token, FunctionSymbol function, BoundExpression[] arguments) : base(BoundKind.Call, token)
    {
        Function = function;
        Arguments = arguments;
    }

    public FunctionSymbol Function { get; }
    public BoundExpression[] Arguments { get; }
}

/// <summary>A call of a built-in (tapset) function implemented natively.</summary>
internal sealed class BoundBuiltinCall : BoundExpression
{
    public BoundBuiltinCall(Token token, FunctionSymbol function, BoundExpression[] arguments) : base(BoundKind.Builtin, token)
    {
        Function = function;
        Arguments = arguments;
    }

    public FunctionSymbol Function { get; }
    public BuiltinId Id => Function.Builtin;
    public BoundExpression[] Arguments { get; }
}

internal sealed class BoundPrint : BoundExpression
{
    public BoundPrint(Token token, PrintFunction function, BoundExpression[] arguments) : base(BoundKind.Print, token)
    {
        Function = function;
        Arguments = arguments;
    }

    public PrintFunction Function { get; }
    public BoundExpression[] Arguments { get; }

    /// <summary>printf/sprintf: the parsed format (run-time bytes).</summary>
    public Runtime.Printf.PrintfFormat? Format { get; set; }

    /// <summary>The format as stored in the source, for listings.</summary>
    public byte[]? FormatStored { get; set; }

    /// <summary>printd family: the delimiter bytes.</summary>
    public byte[]? Delimiter { get; set; }
    public byte[]? DelimiterStored { get; set; }

    /// <summary><c>print(@hist_*(x))</c>: the stats global or element whose histogram is printed.</summary>
    public BoundExpression? HistogramOperand { get; init; }

    public bool IsString => Function is PrintFunction.Sprint or PrintFunction.Sprintln or PrintFunction.Sprintf
        or PrintFunction.Sprintd or PrintFunction.Sprintdln;

    public bool AddsNewline => Function is PrintFunction.Println or PrintFunction.Sprintln or PrintFunction.Printdln
        or PrintFunction.Sprintdln;
}

/// <summary><c>@count(x)</c> ... on a stats global or element.</summary>
internal sealed class BoundStatistic : BoundExpression
{
    public BoundStatistic(Token token, Evaluation.StatOp op, BoundExpression operand) : base(BoundKind.Statistic, token)
    {
        Op = op;
        Operand = operand;
        Type = ScriptType.Long;
    }

    public Evaluation.StatOp Op { get; }
    public BoundExpression Operand { get; }
}

/// <summary>
/// <c>@hist_log(x)[i]</c> and <c>i in @hist_log(x)</c>: both are the count in bucket i (stap's <c>in</c> on a
/// histogram yields the count itself), and the same for <c>@hist_linear</c>. Buckets are numbered as stap's runtime stores them: 0..127 for a log
/// histogram (64 holds 0), 0 (underflow) .. N+1 (overflow) for a linear one. Token is the @hist operator.
/// </summary>
internal sealed class BoundHistogramBucket : BoundExpression
{
    public BoundHistogramBucket(Token token, BoundExpression operand, VariableSymbol stats, BoundExpression index)
        : base(BoundKind.HistogramBucket, token)
    {
        Operand = operand;
        Stats = stats;
        Index = index;
        Type = ScriptType.Long;
    }

    /// <summary>A <see cref="BoundVariable"/> or <see cref="BoundElement"/> of the stats global.</summary>
    public BoundExpression Operand { get; }
    public VariableSymbol Stats { get; }
    public BoundExpression Index { get; }
}

/// <summary><c>$value</c> of a procfs probe: read-only string in write probes, assign-only in read probes.</summary>
internal sealed class BoundProcfsValue : BoundExpression
{
    public BoundProcfsValue(Token token) : base(BoundKind.ProcfsValue, token) => Type = ScriptType.String;

    /// <summary>The use was rejected (bad component): its type stays unresolved, as in stap.</summary>
    public bool IsInvalid { get; init; }

    /// <summary>A target symbol in code constant folding removes: never resolved, typed or run.</summary>
    public bool IsFoldedAway { get; init; }

    /// <summary>A target symbol outside procfs probes: stap reports it when type checking reaches it,
    /// so code the optimizer removes never does.</summary>
    public bool IsUnresolvedTarget { get; init; }
}

// ---------------------------------------------------------------- statements

internal abstract class BoundStatement : BoundNode
{
    protected BoundStatement(BoundKind kind, Token token) : base(kind, token) { }
}

internal sealed class BoundBlock : BoundStatement
{
    public BoundBlock(Token token, BoundStatement[] statements) : base(BoundKind.Block, token) => Statements = statements;

    public BoundStatement[] Statements { get; set; }
}

internal sealed class BoundExpressionStatement : BoundStatement
{
    public BoundExpressionStatement(Token token, BoundExpression expression) : base(BoundKind.ExpressionStatement, token)
        => Expression = expression;

    public BoundExpression Expression { get; }
}

internal sealed class BoundIf : BoundStatement
{
    public BoundIf(Token token, BoundExpression condition, BoundStatement then, BoundStatement? @else) : base(BoundKind.If, token)
    {
        Condition = condition;
        Then = then;
        Else = @else;
    }

    public BoundExpression Condition { get; }
    public BoundStatement Then { get; }
    public BoundStatement? Else { get; }
}

internal sealed class BoundFor : BoundStatement
{
    public BoundFor(Token token, BoundExpression? init, BoundExpression condition, BoundExpression? increment, BoundStatement body)
        : base(BoundKind.For, token)
    {
        Init = init;
        Condition = condition;
        Increment = increment;
        Body = body;
    }

    public BoundExpression? Init { get; }
    public BoundExpression Condition { get; }
    public BoundExpression? Increment { get; }
    public BoundStatement Body { get; }
}

internal sealed class BoundForeach : BoundStatement
{
    public BoundForeach(Token token, VariableSymbol array, VariableSymbol[] keys, VariableSymbol? value,
                        BoundExpression?[]? slice, int sortColumn, int sortDirection, Evaluation.StatOp sortAggregate,
                        BoundExpression? limit, BoundStatement body, Token[] keyTokens, Token? valueToken, Token arrayToken)
        : base(BoundKind.Foreach, token)
    {
        Array = array;
        Keys = keys;
        Value = value;
        Slice = slice;
        SortColumn = sortColumn;
        SortDirection = sortDirection;
        SortAggregate = sortAggregate;
        Limit = limit;
        Body = body;
        KeyTokens = keyTokens;
        ValueToken = valueToken;
        ArrayToken = arrayToken;
    }

    public VariableSymbol Array { get; }
    public VariableSymbol[] Keys { get; }
    public VariableSymbol? Value { get; }
    public BoundExpression?[]? Slice { get; }
    /// <summary>0 value, 1..N key column; meaningful only when <see cref="SortDirection"/> != 0.</summary>
    public int SortColumn { get; }
    public int SortDirection { get; }
    public Evaluation.StatOp SortAggregate { get; }
    public BoundExpression? Limit { get; }
    public BoundStatement Body { get; }
    public Token[] KeyTokens { get; }
    public Token? ValueToken { get; }
    public Token ArrayToken { get; }
    public bool HasExplicitAggregate { get; set; }
}

/// <summary>
/// <c>foreach ([v =] b in @hist_*(x) [limit n])</c>: b runs over every bucket number in order (sorting and
/// slices have no effect, as in stap), v is that bucket's count.
/// </summary>
internal sealed class BoundHistogramForeach : BoundStatement
{
    public BoundHistogramForeach(Token token, BoundExpression operand, VariableSymbol stats, VariableSymbol key, VariableSymbol? value,
                                 BoundExpression? limit, BoundStatement body, Token keyToken, Token? valueToken)
        : base(BoundKind.HistogramForeach, token)
    {
        Operand = operand;
        Stats = stats;
        Key = key;
        Value = value;
        Limit = limit;
        Body = body;
        KeyToken = keyToken;
        ValueToken = valueToken;
    }

    /// <summary>A <see cref="BoundVariable"/> or <see cref="BoundElement"/> of the stats global.</summary>
    public BoundExpression Operand { get; }
    public VariableSymbol Stats { get; }
    public VariableSymbol Key { get; }
    public VariableSymbol? Value { get; }
    public BoundExpression? Limit { get; }
    public BoundStatement Body { get; }
    public Token KeyToken { get; }
    public Token? ValueToken { get; }
}

internal sealed class BoundReturn : BoundStatement
{
    public BoundReturn(Token token, BoundExpression? value) : base(BoundKind.Return, token) => Value = value;

    public BoundExpression? Value { get; }
}

internal sealed class BoundDelete : BoundStatement
{
    public BoundDelete(Token token, BoundExpression target) : base(BoundKind.Delete, token) => Target = target;

    /// <summary>A <see cref="BoundVariable"/> (scalar or whole array) or <see cref="BoundElement"/>.</summary>
    public BoundExpression Target { get; }
}

internal sealed class BoundSimpleStatement : BoundStatement
{
    public BoundSimpleStatement(BoundKind kind, Token token) : base(kind, token) { }
}

internal sealed class BoundTry : BoundStatement
{
    public BoundTry(Token token, BoundBlock tryBlock, VariableSymbol? catchVariable, BoundBlock catchBlock) : base(BoundKind.Try, token)
    {
        TryBlock = tryBlock;
        CatchVariable = catchVariable;
        CatchBlock = catchBlock;
    }

    public BoundBlock TryBlock { get; }
    public VariableSymbol? CatchVariable { get; }
    public BoundBlock CatchBlock { get; }
}

// ---------------------------------------------------------------- functions and probes

/// <summary>A script function (or a native built-in standing for a tapset function).</summary>
internal sealed class FunctionSymbol
{
    public FunctionSymbol(string name, Token token, FunctionDeclaration? declaration)
    {
        Name = name;
        Token = token;
        Declaration = declaration;
    }

    public string Name { get; }
    public Token Token { get; }
    public FunctionDeclaration? Declaration { get; }

    // identity hashing made cheap, as for VariableSymbol
    private static int s_hashCodes;
    private readonly int _hashCode = Interlocked.Increment(ref s_hashCodes);

    public override int GetHashCode() => _hashCode;

    public BuiltinId Builtin { get; init; }
    public bool IsBuiltin => Builtin != BuiltinId.None;

    public VariableSymbol[] Parameters { get; set; } = [];
    public List<VariableSymbol> Locals { get; } = new();

    public ScriptType ReturnType { get; set; }
    public Token ReturnTypeToken { get; set; }

    public BoundBlock? Body { get; set; }

    /// <summary>The next overload (same name and arity, lower priority) that <c>next</c> chains to.</summary>
    public FunctionSymbol? NextOverload { get; set; }
    public long Priority { get; init; }

    /// <summary>Index among the session's functions (frame pools).</summary>
    public int Index { get; set; } = -1;

    /// <summary>Listing order key.</summary>
    public bool Reachable { get; set; }
}

/// <summary>One derived probe: a resolved probe point and its body.</summary>
/// <summary>One point of a probe declaration for the -p2 listing. <see cref="Direct"/> is the first probe
/// it resolved to without an alias: that probe's bound condition is the point's own, printed resolved.</summary>
internal sealed class UserPoint(string text, Syntax.Expression? condition)
{
    public string Text { get; } = text;
    public Syntax.Expression? Condition { get; } = condition;
    public BoundProbe? Direct { get; set; }
}

internal sealed class BoundProbe
{
    public BoundProbe(ProbeKind kind, string pointText, Token token, BoundBlock body)
    {
        Kind = kind;
        PointText = pointText;
        Token = token;
        Body = body;
    }

    public ProbeKind Kind { get; }

    /// <summary>The canonical probe point (<c>pp()</c>), e.g. <c>procfs("command").read</c>.</summary>
    public string PointText { get; }

    /// <summary>The probe point as written by the user (before alias expansion), for <c>pn()</c>.</summary>
    public string UserPointText { get; set; } = "";

    public Token Token { get; }

    public BoundBlock Body { get; set; }

    public List<VariableSymbol> Locals { get; } = new();

    public BoundExpression? Condition { get; set; }

    /// <summary>begin/end/error sequence number.</summary>
    public long Sequence { get; init; }

    /// <summary>Timer period in nanoseconds, and randomisation range in nanoseconds.</summary>
    public long PeriodNs { get; init; }
    public long RandomizeNs { get; init; }

    /// <summary>procfs: index into the compilation's file list.</summary>
    public int FileIndex { get; set; } = -1;
    public string ProcfsPath { get; init; } = "";
    public long Umask { get; init; }
    public long MaxSize { get; init; }

    /// <summary>Declaration order (ties in begin/end ordering).</summary>
    public int Order { get; init; }

    /// <summary>The tapset alias <c>oneshot</c>: exit() runs after the body.</summary>
    public bool ExitAfterBody { get; init; }

    /// <summary>-p2 derivation chain: the alias definitions passed through, innermost first.</summary>
    public string[] AliasChain { get; set; } = [];

    /// <summary>Every point of the user's probe declaration, as -p2 prints them after the chain.</summary>
    public UserPoint[] UserPoints { get; set; } = [];

    /// <summary>The <c>!</c> or <c>?</c> of the concrete point this probe came from (-p2 prints it).</summary>
    public string PointMarker { get; set; } = "";

    /// <summary>Cached pp() bytes.</summary>
    public byte[] PointBytes => _pointBytes ??= System.Text.Encoding.Latin1.GetBytes(PointText);
    private byte[]? _pointBytes;
    public byte[] UserPointBytes => _userPointBytes ??= System.Text.Encoding.Latin1.GetBytes(UserPointText);
    private byte[]? _userPointBytes;
}
