using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter.Syntax;

/// <summary>
/// The token filter between lexer and parser: <c>@define</c> macros are expanded first, then
/// <c>%( COND %? THEN %: ELSE %)</c> conditionals are evaluated for this machine. Errors unwind with
/// <see cref="ParseErrorException"/> exactly where stap raises them.
/// </summary>
internal sealed class Preprocessor
{
    private enum BranchState : byte { KeepThen, SkipThen, KeepElse, SkipElse }

    private sealed class Macro
    {
        public required Token NameToken { get; init; }
        public required List<string> Parameters { get; init; }
        public required List<Token> Body { get; init; }
    }

    /// <summary>An expansion in progress: a macro body or one macro argument.</summary>
    private sealed class Activation
    {
        public required Token Invocation { get; init; }
        public required List<Token> Tokens { get; init; }
        public int Cursor;
        /// <summary>Arguments by parameter name, for a macro body; null for an argument's tokens.</summary>
        public Dictionary<string, List<Token>>? Arguments { get; init; }
        /// <summary>The activation whose arguments <c>@name</c> resolves against while reading this one.</summary>
        public Activation? Scope;
    }

    private static readonly HashSet<string> s_builtinOperators =
    [
        "cast", "defined", "probewrite", "entry", "perf", "var", "avg", "count", "sum", "min", "max",
        "hist_linear", "hist_log", "const", "variance", "kregister", "uregister", "kderef", "uderef",
    ];

    private readonly Lexer _lexer;
    private readonly ParseOptions _options;
    private readonly DiagnosticBag _diagnostics;
    private readonly List<Activation> _activations = [];
    private readonly Dictionary<string, Macro> _macros = [];
    private readonly List<(Token Start, BranchState State)> _conditionals = [];

    public Preprocessor(SourceText source, ParseOptions options, DiagnosticBag diagnostics)
    {
        _lexer = new Lexer(source, options, diagnostics);
        _options = options;
        _diagnostics = diagnostics;
    }

    /// <summary>See <see cref="Lexer.UsedArguments"/>.</summary>
    public bool[]? UsedArguments => _lexer.UsedArguments;

    /// <summary>True once the lexer produced any token (tells "empty" from "empty after preprocessing").</summary>
    public bool SawTokens { get; private set; }

    private static ParseErrorException Error(string origin, string message, Token? token = null)
        => new(origin, message, token, skipSome: true);

    /// <summary>A raw token: from the innermost expansion, else from the lexer. Null ends an expansion.</summary>
    private Token? NextRaw()
    {
        if (_activations.Count == 0)
        {
            var t = _lexer.Scan();
            if (t.Kind != SyntaxKind.EndOfFileToken)
                SawTokens = true;
            return t;
        }
        var act = _activations[^1];
        if (act.Cursor < act.Tokens.Count)
        {
            _expandedTokens++;
            return act.Tokens[act.Cursor++].WithExpansion(new MacroExpansion(act.Invocation));
        }
        return null;
    }

    private static bool IsOp(Token? t, SyntaxKind kind) => t is { } tok && tok.Kind == kind;

    /// <summary>Macro-expanded token stream (stap's first preprocessing stage).</summary>
    private Token ScanMacros(bool ignoreMacros = false)
    {
        // Fast path for the common token (no expansion active, not an @-word): it passes through.
        // Kept apart from the loop below, whose many token temporaries each call would zero.
        if (_activations.Count == 0)
        {
            var t = _lexer.Scan();
            if (t.Kind == SyntaxKind.EndOfFileToken)
                return t;
            SawTokens = true;
            if (t.Kind != SyntaxKind.AtWordToken)
                return t;
            return ScanMacrosSlow(t, ignoreMacros);
        }
        return ScanMacrosSlow(null, ignoreMacros);
    }

    /// <summary><see cref="ScanMacros"/> starting with <paramref name="first"/> when the caller already read it.</summary>
    private Token ScanMacrosSlow(Token? first, bool ignoreMacros)
    {
        while (true)
        {
            Token? next = first ?? NextRaw();
            first = null;
            if (next is not { } t)
            {
                // End of a macro body or argument: resume the enclosing stream.
                _activations.RemoveAt(_activations.Count - 1);
                continue;
            }
            if (t.Kind == SyntaxKind.EndOfFileToken)
                return t;

            if (t.Kind == SyntaxKind.AtWordToken && t.TextEquals("@define"u8))
            {
                if (_activations.Count > 0)
                    throw Error("pp.define-in-macro", DiagnosticMessages.DefineInsideMacro, t);
                ParseMacroDefinition(ignoreMacros);
                continue;
            }

            if (t.Kind == SyntaxKind.AtWordToken && !ignoreMacros && t.Length > 1)
            {
                string name = t.GetTextString()[1..];
                var scope = _activations.Count > 0 ? _activations[^1].Scope : null;
                if (scope?.Arguments is { } args && args.TryGetValue(name, out var argTokens))
                {
                    _activations.Add(new Activation
                    {
                        Invocation = t,
                        Tokens = argTokens,
                        Scope = FindCallerScope(scope),
                    });
                    continue;
                }
                if (_macros.TryGetValue(name, out var macro))
                {
                    CheckExpansionBounds(t, name);
                    var caller = _activations.Count > 0 ? _activations[^1] : null;
                    var arguments = ReadMacroArguments(t, name, macro);
                    var act = new Activation { Invocation = t, Tokens = macro.Body, Arguments = arguments };
                    act.Scope = act;
                    _callers[act] = caller?.Scope;
                    _activations.Add(act);
                    continue;
                }
            }
            return t;
        }
    }

    // A macro that invokes itself expands forever (stap grows until it is out of memory), and a
    // few macros that each use the next twice grow exponentially. Either is one parse error at the
    // invocation in the script's own text (not at the innermost one, whose "in expansion of" chain
    // would be as deep as the nesting); the expansions in progress are dropped so that parsing
    // resumes after it.
    private const int MaxExpandedTokens = 200_000;
    private int _expandedTokens;

    private void CheckExpansionBounds(Token invocation, string name)
    {
        bool tooDeep = _activations.Count >= _options.MaxNestingDepth;
        if (!tooDeep && _expandedTokens < MaxExpandedTokens)
            return;
        Token outer = _activations.Count > 0 ? _activations[0].Invocation : invocation;
        string outerName = outer.GetTextString()[1..];
        _activations.Clear();
        _callers.Clear();
        throw Error("pp.macro-bounds",
            tooDeep ? DiagnosticMessages.MacroNestingTooDeep(outerName) : DiagnosticMessages.MacroExpansionTooLarge(outerName, MaxExpandedTokens),
            outer);
    }

    // The scope a macro body was invoked from, so an argument's own @params resolve there.
    private readonly Dictionary<Activation, Activation?> _callers = new(ReferenceEqualityComparer.Instance);

    private Activation? FindCallerScope(Activation macroScope)
        => _callers.TryGetValue(macroScope, out var caller) ? caller : null;

    private Dictionary<string, List<Token>> ReadMacroArguments(Token invocation, string name, Macro macro)
    {
        var arguments = new Dictionary<string, List<Token>>();
        int count = macro.Parameters.Count;
        if (count == 0)
            return arguments;

        Token? open = NextRaw();
        if (!IsOp(open, SyntaxKind.OpenParenToken))
            throw Error("pp.macro-open", DiagnosticMessages.MacroNeedsArguments(name, count), EofToNull(open));

        var current = new List<Token>();
        var all = new List<List<Token>>();
        int nesting = 0;
        while (true)
        {
            Token? next = NextRaw();
            if (next is not { } u || u.Kind == SyntaxKind.EndOfFileToken)
                throw Error("pp.macro-end", DiagnosticMessages.UnterminatedMacroInvocation, invocation);
            if (u.Kind is SyntaxKind.OpenParenToken)
                nesting++;
            else if (u.Kind is SyntaxKind.CloseParenToken)
            {
                if (nesting == 0)
                {
                    all.Add(current);
                    if (all.Count < count)
                        throw Error("pp.macro-too-few", DiagnosticMessages.TooFewMacroArguments(name, count), u);
                    break;
                }
                nesting--;
            }
            else if (u.Kind == SyntaxKind.CommaToken && nesting == 0)
            {
                all.Add(current);
                if (all.Count >= count)
                    throw Error("pp.macro-too-many", DiagnosticMessages.TooManyMacroArguments(name, count), u);
                current = [];
                continue;
            }
            current.Add(u);
        }
        for (int i = 0; i < count; i++)
            arguments[macro.Parameters[i]] = all[i];
        return arguments;
    }

    private void ParseMacroDefinition(bool ignore)
    {
        Token? nameToken = NextRaw();
        if (nameToken is not { } name || name.Kind is not (SyntaxKind.IdentifierToken) )
            throw Error("pp.define-name", DiagnosticMessages.ExpectedIdentifier, EofToNull(nameToken));
        string macroName = name.GetTextString();
        if (macroName == "define")
            throw Error("pp.define-define", DiagnosticMessages.RedefineDefine, name);
        if (s_builtinOperators.Contains(macroName))
            _diagnostics.ReportWarning("pp.builtin", DiagnosticMessages.MacroRedefinesBuiltin(macroName), name);
        if (!ignore && _macros.TryGetValue(macroName, out var previous))
        {
            var chained = Diagnostic.Parse(DiagnosticMessages.MacroFirstDefined(macroName), previous.NameToken, TokenRole.At, "pp.define-first");
            throw new ParseErrorException("pp.define-again", DiagnosticMessages.MacroRedefined(macroName), name, skipSome: true)
            {
                Chained = chained,
            };
        }

        var parameters = new List<string>();
        Token? t = NextRaw();
        if (IsOp(t, SyntaxKind.OpenParenToken))
        {
            while (true)
            {
                t = NextRaw();
                if (t is not { } p || p.Kind != SyntaxKind.IdentifierToken)
                    throw Error("pp.define-param", DiagnosticMessages.ExpectedIdentifier, EofToNull(t));
                parameters.Add(p.GetTextString());
                t = NextRaw();
                if (IsOp(t, SyntaxKind.CommaToken))
                    continue;
                if (IsOp(t, SyntaxKind.CloseParenToken))
                {
                    t = NextRaw();
                    break;
                }
                throw Error("pp.define-params-end", DiagnosticMessages.ExpectedCommaOrCloseParen, EofToNull(t));
            }
            if (!IsOp(t, SyntaxKind.PercentOpenParenToken))
                throw Error("pp.define-body-open", DiagnosticMessages.ExpectedMacroBody, EofToNull(t));
        }
        else if (!IsOp(t, SyntaxKind.PercentOpenParenToken))
        {
            throw Error("pp.define-open", DiagnosticMessages.ExpectedMacroBodyOrParameters, EofToNull(t));
        }

        var body = new List<Token>();
        int nesting = 0;
        while (true)
        {
            t = NextRaw();
            if (t is not { } b || b.Kind == SyntaxKind.EndOfFileToken)
                throw Error("pp.define-unterminated", DiagnosticMessages.IncompleteMacroDefinition, name);
            if (b.Kind == SyntaxKind.PercentOpenParenToken)
                nesting++;
            else if (b.Kind == SyntaxKind.PercentCloseParenToken)
            {
                if (nesting == 0)
                    break;
                nesting--;
            }
            body.Add(b);
        }

        if (ignore)
            return;
        _macros[macroName] = new Macro { NameToken = name, Parameters = parameters, Body = body };
    }

    private static Token? EofToNull(Token? t) => t is { Kind: SyntaxKind.EndOfFileToken } ? null : t;

    /// <summary>
    /// <see cref="Next"/> written straight into the parser's lookahead slot. The common token (no macro
    /// expansion or conditional active, not an @-word or conditional marker) is copied once, from the
    /// lexer's result into <paramref name="into"/>; the other cases run apart, so this frame holds no
    /// optional-token temporaries that each call would zero.
    /// </summary>
    public void NextInto(ref Token into)
    {
        if (_conditionals.Count == 0 && _activations.Count == 0)
        {
            into = _lexer.Scan();
            var kind = into.Kind;
            if (kind == SyntaxKind.EndOfFileToken)
                return;
            SawTokens = true;
            if (kind is SyntaxKind.AtWordToken or SyntaxKind.PercentOpenParenToken or SyntaxKind.PercentQuestionToken
                    or SyntaxKind.PercentColonToken or SyntaxKind.PercentCloseParenToken)
                into = ContinueFrom(into);
            return;
        }
        into = Next();
    }

    /// <summary>The rest of <see cref="Next"/>'s fast path for a token the lexer returned outside any
    /// expansion or conditional: macro expansion for an @-word, then the conditional markers.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private Token ContinueFrom(Token t)
    {
        if (t.Kind == SyntaxKind.AtWordToken)
            t = ScanMacrosSlow(t, ignoreMacros: false);
        if (t.Kind is SyntaxKind.PercentOpenParenToken or SyntaxKind.PercentQuestionToken
                or SyntaxKind.PercentColonToken or SyntaxKind.PercentCloseParenToken)
            return NextSlow(t);
        return t;
    }

    /// <summary>The fully preprocessed stream the parser reads (stap's second stage).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public Token Next()
    {
        // Fast path outside any conditional: every token but the four conditional markers passes through.
        if (_conditionals.Count == 0)
        {
            var t = ScanMacros();
            if (t.Kind is SyntaxKind.PercentOpenParenToken or SyntaxKind.PercentQuestionToken
                    or SyntaxKind.PercentColonToken or SyntaxKind.PercentCloseParenToken)
                return NextSlow(t);
            return t;
        }
        return NextSlow(null);
    }

    /// <summary><see cref="Next"/> starting with <paramref name="first"/> (read outside any conditional) when given.</summary>
    private Token NextSlow(Token? first)
    {
        while (true)
        {
            BranchState? state = _conditionals.Count > 0 ? _conditionals[^1].State : null;
            Token t = first ?? (state is BranchState.SkipThen or BranchState.SkipElse ? Skip() : ScanMacros());
            first = null;

            if (t.Kind == SyntaxKind.EndOfFileToken)
            {
                if (state is not null)
                {
                    var start = _conditionals[^1].Start;
                    _conditionals.RemoveAt(_conditionals.Count - 1);
                    throw Error("pp.eof", DiagnosticMessages.IncompleteConditional, start);
                }
                return t;
            }

            if (t.Kind == SyntaxKind.PercentQuestionToken)
                throw Error("pp.stray-then", DiagnosticMessages.MissingConditionalStart, t);

            if (t.Kind == SyntaxKind.PercentColonToken)
            {
                if (state is null)
                    throw Error("pp.stray-else", DiagnosticMessages.MissingConditionalStart, t);
                if (state is BranchState.KeepElse or BranchState.SkipElse)
                    throw Error("pp.duplicate-else", DiagnosticMessages.DuplicateElse, t);
                _conditionals[^1] = (_conditionals[^1].Start, state == BranchState.KeepThen ? BranchState.SkipElse : BranchState.KeepElse);
                continue;
            }

            if (t.Kind == SyntaxKind.PercentCloseParenToken)
            {
                if (state is null)
                    throw Error("pp.stray-close", DiagnosticMessages.MissingConditionalStart, t);
                _conditionals.RemoveAt(_conditionals.Count - 1);
                continue;
            }

            if (t.Kind != SyntaxKind.PercentOpenParenToken)
                return t;

            bool result = false;
            bool andResult = true;
            Token n;
            while (true)
            {
                Token l = ScanMacros();
                Token op = l.IsEndOfFile ? l : ScanMacros();
                Token r = op.IsEndOfFile ? op : ScanMacros();
                if (l.IsEndOfFile || op.IsEndOfFile || r.IsEndOfFile)
                    throw Error("pp.incomplete-condition", DiagnosticMessages.IncompleteCondition, t);
                andResult &= Evaluate(l, op, r);
                n = ScanMacros();
                if (n.Kind == SyntaxKind.AmpersandAmpersandToken)
                    continue;
                result |= andResult;
                andResult = true;
                if (n.Kind != SyntaxKind.BarBarToken)
                    break;
            }
            if (n.Kind != SyntaxKind.PercentQuestionToken)
                throw Error("pp.expected-then", DiagnosticMessages.ExpectedConditionMarker, t);
            _conditionals.Add((t, result ? BranchState.KeepThen : BranchState.SkipThen));
        }
    }

    /// <summary>Skips an untaken branch, heeding only nested conditionals; errors inside are ignored.</summary>
    private Token Skip()
    {
        int nesting = 0;
        while (true)
        {
            Token t;
            try
            {
                t = ScanMacros(ignoreMacros: true);
            }
            catch (ParseErrorException)
            {
                continue;
            }
            if (t.IsEndOfFile)
                return t;
            if (t.Kind == SyntaxKind.PercentOpenParenToken)
                nesting++;
            else if (nesting > 0 && t.Kind == SyntaxKind.PercentCloseParenToken)
                nesting--;
            else if (nesting == 0 && t.Kind is SyntaxKind.PercentColonToken or SyntaxKind.PercentQuestionToken or SyntaxKind.PercentCloseParenToken)
                return t;
        }
    }

    private bool Evaluate(Token l, Token op, Token r)
    {
        if (l.Kind == SyntaxKind.IdentifierToken && (l.TextEquals("kernel_v"u8) || l.TextEquals("kernel_vr"u8) || l.TextEquals("systemtap_v"u8)))
        {
            if (r.Kind != SyntaxKind.StringToken)
                throw Error("pp.version-rhs", DiagnosticMessages.ExpectedStringLiteral, r);
            string target = l.TextEquals("kernel_v"u8) ? _options.KernelVersion
                : l.TextEquals("kernel_vr"u8) ? _options.KernelRelease
                : _options.SystemTapVersion;
            string query = Latin1(r.GetContent());
            bool wildcard = query.AsSpan().IndexOfAny("*?[") >= 0;
            int ok1, ok2;
            bool wildcardOk = false;
            switch (op.Kind)
            {
                case SyntaxKind.LessEqualsToken: ok1 = -1; ok2 = 0; break;
                case SyntaxKind.GreaterEqualsToken: ok1 = 1; ok2 = 0; break;
                case SyntaxKind.LessToken: ok1 = -1; ok2 = -1; break;
                case SyntaxKind.GreaterToken: ok1 = 1; ok2 = 1; break;
                case SyntaxKind.EqualsEqualsToken: ok1 = 0; ok2 = 0; wildcardOk = true; break;
                case SyntaxKind.BangEqualsToken: ok1 = -1; ok2 = 1; wildcardOk = true; break;
                default: throw Error("pp.version-op", DiagnosticMessages.ExpectedComparisonOperator, op);
            }
            if (!wildcardOk && wildcard)
                throw Error("pp.version-wildcard", DiagnosticMessages.WildcardOrderComparison, op);
            if (wildcard)
            {
                bool match = FnMatch.Match(query, target);
                return op.Kind == SyntaxKind.EqualsEqualsToken ? match : !match;
            }
            int cmp = Math.Sign(VersionCompare.Compare(target, query));
            return cmp == ok1 || cmp == ok2;
        }

        if (l.Kind == SyntaxKind.IdentifierToken && l.TextEquals("systemtap_privilege"u8))
        {
            if (r.Kind != SyntaxKind.StringToken)
                throw Error("pp.privilege-rhs", DiagnosticMessages.ExpectedStringLiteral, r);
            bool nomatch = _options.Privilege != Latin1(r.GetContent());
            return op.Kind switch
            {
                SyntaxKind.EqualsEqualsToken => !nomatch,
                SyntaxKind.BangEqualsToken => nomatch,
                _ => throw Error("pp.privilege-op", DiagnosticMessages.ExpectedEqualityOperator, op),
            };
        }

        if (l.Kind == SyntaxKind.IdentifierToken && l.TextEquals("guru_mode"u8))
        {
            if (r.Kind != SyntaxKind.NumberToken)
                throw Error("pp.guru-rhs", DiagnosticMessages.ExpectedNumber, r);
            long rhs = LexCastInt64(r);
            if (rhs is not (0 or 1))
                throw Error("pp.guru-value", DiagnosticMessages.ExpectedZeroOrOne, op);
            if (op.Kind is not (SyntaxKind.EqualsEqualsToken or SyntaxKind.BangEqualsToken))
                throw Error("pp.guru-op", DiagnosticMessages.ExpectedEqualityOperator, op);
            bool result = rhs == (_options.Privileged ? 1 : 0);
            return op.Kind == SyntaxKind.BangEqualsToken ? !result : result;
        }

        if (l.Kind == SyntaxKind.IdentifierToken && (l.TextEquals("arch"u8) || l.TextEquals("runtime"u8)))
        {
            bool arch = l.TextEquals("arch"u8);
            if (r.Kind != SyntaxKind.StringToken)
                throw Error(arch ? "pp.arch-rhs" : "pp.runtime-rhs", DiagnosticMessages.ExpectedStringLiteral, r);
            bool nomatch = !FnMatch.Match(Latin1(r.GetContent()), arch ? _options.Architecture : _options.Runtime);
            return op.Kind switch
            {
                SyntaxKind.EqualsEqualsToken => !nomatch,
                SyntaxKind.BangEqualsToken => nomatch,
                _ => throw Error(arch ? "pp.arch-op" : "pp.runtime-op", DiagnosticMessages.ExpectedEqualityOperator, op),
            };
        }

        if (l.Kind == SyntaxKind.IdentifierToken && l.Text.StartsWith("CONFIG_"u8))
        {
            string lhs = Config(l);
            if (r.Kind == SyntaxKind.StringToken)
            {
                bool nomatch = !FnMatch.Match(Latin1(r.GetContent()), lhs);
                return op.Kind switch
                {
                    SyntaxKind.EqualsEqualsToken => !nomatch,
                    SyntaxKind.BangEqualsToken => nomatch,
                    _ => throw Error("pp.config-op", DiagnosticMessages.ExpectedEqualityOperator, op),
                };
            }
            if (r.Kind == SyntaxKind.NumberToken)
            {
                if (!TryStrtoll(lhs, out long lvalue))
                    throw Error("pp.config-nan", DiagnosticMessages.ConfigNotNumber, l);
                return CompareNumbers(lvalue, op, LexCastInt64(r));
            }
            if (r.Kind == SyntaxKind.IdentifierToken && r.Text.StartsWith("CONFIG_"u8))
            {
                string rhs = Config(r);
                if (TryStrtoll(lhs, out long a) && TryStrtoll(rhs, out long b) && lhs.Length > 0 && rhs.Length > 0)
                    return CompareNumbers(a, op, b);
                return CompareStrings(lhs, op, rhs);
            }
            throw Error("pp.config-rhs", DiagnosticMessages.ExpectedConfigRightOperand, r);
        }

        if (l.Kind == SyntaxKind.StringToken && r.Kind == SyntaxKind.StringToken)
            return CompareStrings(Latin1(l.GetContent()), op, Latin1(r.GetContent()));
        if (l.Kind == SyntaxKind.NumberToken && r.Kind == SyntaxKind.NumberToken)
            return CompareNumbers(LexCastInt64(l), op, LexCastInt64(r));
        if (l.Kind == SyntaxKind.StringToken && r.Kind == SyntaxKind.NumberToken && SyntaxFacts.IsOperator(op.Kind))
            throw Error("pp.string-number", DiagnosticMessages.ExpectedStringRightValue, r);
        if (l.Kind == SyntaxKind.NumberToken && r.Kind == SyntaxKind.StringToken && SyntaxFacts.IsOperator(op.Kind))
            throw Error("pp.number-string", DiagnosticMessages.ExpectedNumberRightValue, r);
        throw Error("pp.condition-left", DiagnosticMessages.ExpectedConditionLeft, l);
    }

    private string Config(Token name)
        => _options.KernelConfig.TryGetValue(name.GetTextString(), out var v) ? v : "";

    private static string Latin1(byte[] bytes) => System.Text.Encoding.Latin1.GetString(bytes);

    private static bool CompareNumbers(long l, Token op, long r) => op.Kind switch
    {
        SyntaxKind.EqualsEqualsToken => l == r,
        SyntaxKind.BangEqualsToken => l != r,
        SyntaxKind.LessToken => l < r,
        SyntaxKind.LessEqualsToken => l <= r,
        SyntaxKind.GreaterToken => l > r,
        SyntaxKind.GreaterEqualsToken => l >= r,
        _ => throw Error("pp.compare-op", DiagnosticMessages.ExpectedComparisonOperator, op),
    };

    private static bool CompareStrings(string l, Token op, string r)
    {
        int c = string.CompareOrdinal(l, r);
        return op.Kind switch
        {
            SyntaxKind.EqualsEqualsToken => c == 0,
            SyntaxKind.BangEqualsToken => c != 0,
            SyntaxKind.LessToken => c < 0,
            SyntaxKind.LessEqualsToken => c <= 0,
            SyntaxKind.GreaterToken => c > 0,
            SyntaxKind.GreaterEqualsToken => c >= 0,
            _ => throw Error("pp.compare-op", DiagnosticMessages.ExpectedComparisonOperator, op),
        };
    }

    // stap reads condition numbers with a stream extraction: leading decimal digits only.
    private static long LexCastInt64(Token t)
    {
        long value = 0;
        foreach (byte c in t.Text)
        {
            if (!SyntaxFacts.IsDigit(c))
                break;
            value = unchecked(value * 10 + (c - '0'));
        }
        return value;
    }

    // C strtoll(s, &end, 0) that must consume the whole string; "" is 0.
    private static bool TryStrtoll(string s, out long value)
    {
        value = 0;
        if (s.Length == 0)
            return true;
        var bytes = System.Text.Encoding.Latin1.GetBytes(s);
        int i = 0;
        bool neg = false;
        if (bytes[i] is (byte)'+' or (byte)'-')
        {
            neg = bytes[i] == (byte)'-';
            i++;
        }
        if (!NumberParser.TryParseUnsigned(bytes.AsSpan(i), out ulong magnitude) || magnitude > (neg ? 9223372036854775808UL : long.MaxValue))
            return false;
        value = neg ? unchecked(-(long)magnitude) : (long)magnitude;
        return true;
    }
}
