namespace ProcProbe.Interpreter.Diagnostics;

/// <summary>
/// Every pass-1 message text, exactly as stap prints it after <c>parse error: </c>. Written once here
/// so tests can check that each one is exercised.
/// </summary>
public static class DiagnosticMessages
{
    // Lexer junk.
    public const string UnterminatedString = "Could not find matching closing quote";
    public const string UnterminatedEmbeddedCode = "Could not find matching '%}' to close embedded function block";
    public const string NestedSubstitution = "invalid nested substitution of command line arguments";

    public static string ArgumentOutOfRange(int count)
        => "command line argument out of range [1-" + count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

    /// <summary>A lexer warning (not an error).</summary>
    public const string PossibleWrongEmbeddedClose = "possible erroneous closing '}%', use '%}'?";

    // Top level and declarations.
    public const string ExpectedTopLevel = "expected 'probe', 'global', 'private', 'function', or '%{'";
    public const string ExpectedFunctionOrIdentifier = "expected 'function' or identifier";
    public const string ExpectedIdentifier = "expected identifier";
    public const string DuplicateGlobal = "duplicate global name";
    public const string GlobalPrivateConflict = "global versus private variable declaration conflict";
    public const string ArraySizeOutOfRange = "array size out of range";
    public const string OnlyScalarInitialized = "only scalar globals can be initialized";
    public const string ExpectedStringOrLong = "expected 'string' or 'long'";
    public const string ExpectedOpenParen = "expected '('";
    public const string ExpectedCommaOrCloseParen = "expected ',' or ')'";
    public const string DuplicateParameter = "duplicate parameter names";
    public const string ExpectedLiteralNumber = "expected literal number";
    public const string PriorityMustBePositive = "specified priority must be > 0";
    public const string ExpectedOpenBrace = "expected '{'";
    public const string EmbeddedCodeUnprivileged = "embedded code in unprivileged script; need stap -g";
    public const string EmbeddedExpressionUnprivileged = "embedded expression code in unprivileged script; need stap -g";

    // Probe points.
    public const string ExpectedProbePointComponent = "expected identifier or '*' or '{'";
    public const string ExpectedCloseBrace = "expected '}'";
    public const string ExpectedCloseParen = "expected ')'";
    public const string ExpectedProbePointEnd = "expected one of ', { } = +='";
    public const string ExpectedProbePointSpecifier = "expected probe point specifier";
    public const string OptionalRespecified = "'?' or '!' respecified";
    public const string SuffixOnly = "'?', '!' or condition must only be specified in suffix";
    public const string ConditionRespecified = "condition respecified";
    public const string AliasOptional = "probe point alias name cannot be optional nor sufficient";
    public const string CombinedPrologueEpilogue = "Combined prologue and epilogue cannot be defined with '+='";

    // Statements.
    public const string ExpectedStatement = "expected statement";
    public const string ReturnOutsideFunction = "found 'return' not in function context";
    public const string ExpectedSemicolon = "expected ';'";
    public const string ExpectedColon = "expected ':'";
    public const string ExpectedIn = "expected 'in'";
    public const string ExpectedCommaOrCloseBracket = "expected ',' or ']'";
    public const string MultipleSortDirectives = "multiple sort directives";
    public const string ExpectedStatisticalOperation = "expected statistical operation";
    public const string ExpectedSortDirective = "expected sort directive";
    public const string ExpectedIdentifierOrStatistic = "expected identifier or statistical operation";

    // Expressions.
    public const string ExpectedLiteral = "expected literal string or number";
    public const string ExpectedValue = "expected value";
    public const string ExpectedLiteralString = "expected literal string";
    public const string NumberInvalid = "number invalid or out of range";
    public const string UnexpectedCommaList = "unexpected comma-separated expression list";
    public const string ExpectedCallArgumentSeparator = "expected one of ') ,'";
    public const string ExpectedIndexSeparator = "expected one of '] ,'";
    public const string ExpectedPrintArgumentSeparator = "expected one of ', )'";
    public const string HistogramWhereExpression = "base histogram operator where expression expected";
    public const string AtMostOneParameter = "not more than 1 parameter allowed";
    public const string AtMostTwoParameters = "not more than 2 parameters allowed";
    public const string ExpectedNumber = "expected number";
    public const string InvalidConversion = "invalid or missing conversion specifier";
    public const string TrailingConversion = "trailing incomplete print format conversion";
    public const string UnexpectedEndOfFile = "unexpected end-of-file";
    public const string NestingTooDeep = "maximum nesting depth exceeded";
    public const string ExpectedExpressionStatement = "expression statement expected";
    public const string ExpectedReturnEnd = "expected ';', '}' or an expression statement";
    public const string AddressTwice = "cannot take address more than once";
    public const string ExpectedIdentifierOrKeyword = "expected identifier or keyword";
    public const string ExpectedNonEmptyString = "expected non-empty string";
    public const string PrettyPrintComponents = "-> and [ are not accepted for a pretty-printing variable";

    public static string UnknownOperator(string name) => "unknown operator " + name;

    // Preprocessor conditions.
    public const string ExpectedStringLiteral = "expected string literal";
    public const string ExpectedComparisonOperator = "expected comparison operator";
    public const string ExpectedEqualityOperator = "expected '==' or '!='";
    public const string ExpectedZeroOrOne = "expected 0 or 1";
    public const string ExpectedStringRightValue = "expected string literal as right value";
    public const string ExpectedNumberRightValue = "expected number literal as right value";
    public const string ExpectedConfigRightOperand = "expected string, number literal or other CONFIG_... as right side operand";
    public const string WildcardOrderComparison = "wildcard not allowed with order comparison operators";
    public const string ConfigNotNumber = "Config option value not a number";
    public const string ExpectedConditionLeft =
        "expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v',\n"
        + "             'runtime', 'systemtap_privilege', 'CONFIG_...', or\n"
        + "             comparison between strings or integers";
    public const string IncompleteCondition = "incomplete condition after '%('";
    public const string ExpectedConditionMarker = "expected '%?' marker for conditional";
    public const string MissingConditionalStart = "incomplete conditional - missing '%('";
    public const string DuplicateElse = "invalid conditional - duplicate '%:'";
    public const string IncompleteConditional = "incomplete conditional at end of file";

    // Preprocessor macros.
    public const string ExpectedMacroBodyOrParameters = "expected '%(' or '('";
    public const string ExpectedMacroBody = "expected '%('";
    public const string IncompleteMacroDefinition = "incomplete macro definition - missing '%)'";
    public const string RedefineDefine = "attempt to redefine '@define'";
    public const string DefineInsideMacro = "'@define' forbidden inside macro body";
    public const string UnterminatedMacroInvocation = "could not find end of macro invocation";

    public static string MacroNestingTooDeep(string name)
        => "maximum nesting depth exceeded in expansion of macro '@" + name + "' (does it invoke itself?)";

    public static string MacroExpansionTooLarge(string name, int tokens)
        => "macro expansion exceeds " + tokens.ToString(System.Globalization.CultureInfo.InvariantCulture)
           + " tokens in the invocation of macro '@" + name + "'";

    public static string MacroRedefined(string name) => "attempt to redefine macro '@" + name + "' in the same file";

    public static string MacroFirstDefined(string name) => "macro '@" + name + "' first defined here";

    public static string MacroNeedsArguments(string name, int count)
        => "expected '(' in invocation of macro '@" + name + "' taking " + count.ToString(System.Globalization.CultureInfo.InvariantCulture)
           + (count == 1 ? " parameter" : " parameters");

    public static string TooManyMacroArguments(string name, int count)
        => "too many parameters for macro '@" + name + "' (expected " + count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";

    public static string TooFewMacroArguments(string name, int count)
        => "too few parameters for macro '@" + name + "' (expected " + count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";

    public static string MacroRedefinesBuiltin(string name) => "macro redefines built-in operator '@" + name + "'";

    // Not counted as parse errors, but pass 1 fails.
    public static string InputEmpty(string fileName) => "Input file '" + fileName + "' is empty.";

    public static string InputEmptyAfterPreprocessing(string fileName) => "Input file '" + fileName + "' is empty after preprocessing.";
}
