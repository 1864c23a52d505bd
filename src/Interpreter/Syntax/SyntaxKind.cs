namespace ProcProbe.Interpreter.Syntax;

/// <summary>
/// Every token and node kind. Tokens come first; <see cref="SyntaxFacts.GetTokenClass"/> maps a token
/// kind to the coarse class stap prints in diagnostics (identifier, operator, keyword, ...).
/// </summary>
public enum SyntaxKind : ushort
{
    None = 0,

    // ---- tokens: special
    EndOfFileToken,
    /// <summary>stap's junk token: stray byte, unterminated string or %{, bad $N/@N.</summary>
    JunkToken,

    // ---- tokens: values
    IdentifierToken,       // a, a$b, $value, $$vars, $
    NumberToken,           // digits followed by any letters/digits; converted by the parser
    StringToken,           // "..." (text includes the quotes, escapes undecoded)
    EmbeddedCodeToken,     // %{ ... %}
    AtWordToken,           // @count, @define, @foo, lone @ (an operator for stap)

    // ---- tokens: keywords
    ProbeKeyword,
    GlobalKeyword,
    FunctionKeyword,
    IfKeyword,
    ElseKeyword,
    ForKeyword,
    ForeachKeyword,
    InKeyword,
    LimitKeyword,
    ReturnKeyword,
    DeleteKeyword,
    WhileKeyword,
    BreakKeyword,
    ContinueKeyword,
    NextKeyword,
    StringKeyword,
    LongKeyword,
    TryKeyword,
    CatchKeyword,
    PrivateKeyword,

    // ---- tokens: three-byte operators
    LessLessLessToken,          // <<<
    GreaterGreaterGreaterToken, // >>>
    LessLessEqualsToken,        // <<=
    GreaterGreaterEqualsToken,  // >>=

    // ---- tokens: two-byte operators
    EqualsEqualsToken,      // ==
    BangEqualsToken,        // !=
    LessEqualsToken,        // <=
    GreaterEqualsToken,     // >=
    EqualsTildeToken,       // =~
    BangTildeToken,         // !~
    PlusEqualsToken,        // +=
    MinusEqualsToken,       // -=
    StarEqualsToken,        // *=
    SlashEqualsToken,       // /=
    PercentEqualsToken,     // %=
    AmpersandEqualsToken,   // &=
    CaretEqualsToken,       // ^=
    BarEqualsToken,         // |=
    DotEqualsToken,         // .=
    AmpersandAmpersandToken, // &&
    BarBarToken,            // ||
    PlusPlusToken,          // ++
    MinusMinusToken,        // --
    ArrowToken,             // ->
    LessLessToken,          // <<
    GreaterGreaterToken,    // >>
    PercentOpenParenToken,  // %(
    PercentQuestionToken,   // %?
    PercentColonToken,      // %:
    PercentCloseParenToken, // %)

    // ---- tokens: one-byte operators
    OpenBraceToken,         // {
    CloseBraceToken,        // }
    OpenParenToken,         // (
    CloseParenToken,        // )
    OpenBracketToken,       // [
    CloseBracketToken,      // ]
    CommaToken,             // ,
    SemicolonToken,         // ;
    ColonToken,             // :
    QuestionToken,          // ?
    DotToken,               // .
    PlusToken,              // +
    MinusToken,             // -
    StarToken,              // *
    SlashToken,             // /
    PercentToken,           // %
    AmpersandToken,         // &
    BarToken,               // |
    CaretToken,             // ^
    TildeToken,             // ~
    BangToken,              // !
    LessToken,              // <
    GreaterToken,           // >
    EqualsToken,            // =
    /// <summary>Punctuation stap lexes as an operator but no rule uses: ` \ '</summary>
    OtherPunctuationToken,

    // ---- nodes: file and declarations
    ScriptFile,
    GlobalDeclaration,
    GlobalVariable,
    FunctionDeclaration,
    Parameter,
    ProbeDeclaration,
    ProbeAliasDeclaration,
    ProbePoint,
    ProbePointComponent,
    EmbeddedCodeDeclaration,

    // ---- nodes: statements
    BlockStatement,
    TryStatement,
    EmbeddedCodeStatement,
    NullStatement,
    ExpressionStatement,
    IfStatement,
    ForStatement,
    ForeachStatement,
    ReturnStatement,
    DeleteStatement,
    NextStatement,
    BreakStatement,
    ContinueStatement,

    // ---- nodes: expressions
    NumberLiteralExpression,
    StringLiteralExpression,
    BinaryExpression,
    UnaryExpression,
    PreIncrementExpression,
    PostIncrementExpression,
    LogicalOrExpression,
    LogicalAndExpression,
    InExpression,
    RegexMatchExpression,
    ComparisonExpression,
    ConcatenationExpression,
    TernaryExpression,
    AssignmentExpression,
    VariableExpression,
    TargetSymbolExpression,
    TargetComponent,
    CastExpression,
    AutocastExpression,
    AtVarExpression,
    DefinedExpression,
    EntryExpression,
    PerfExpression,
    IndexExpression,
    CallExpression,
    PrintFormatExpression,
    StatisticExpression,
    HistogramExpression,
    EmbeddedCodeExpression,
}
