using System.Collections.Immutable;
using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter.Syntax;

/// <summary>
/// Recursive-descent parser with stap's grammar, token handling and error recovery: one token of
/// lookahead (<see cref="Peek"/>), the "last token looked at" shown by <c>saw:</c>, and on an error
/// the rest of the declaration is skipped up to the next <c>probe</c>/<c>global</c>/<c>private</c>/
/// <c>function</c>/<c>%{</c>.
/// </summary>
internal sealed class Parser
{
    private enum Context : byte { Unknown, Probe, Global, Function, Embedded }

    private readonly SourceText _source;
    private readonly ParseOptions _options;
    private readonly Preprocessor _preprocessor;
    private readonly DiagnosticBag _diagnostics = new();

    // Shared growth space for the element lists of blocks, calls and indexes: each list is collected on
    // top of the stack and copied once into an exact-size array, instead of a builder per node.
    private readonly ScratchStack<Statement> _statementScratch = new();
    private readonly ScratchStack<Expression> _expressionScratch = new();
    private readonly ScratchStack<Expression?> _indexScratch = new();
    private readonly Dictionary<byte[], ImmutableArray<PrintFormatComponent>> _formatCache = new(ByteSequenceComparer.Instance);
    // One token of lookahead without copying it on every look: _current is the token last read from the
    // preprocessor, _pending says it is not consumed yet, _lastState says which token is "last looked at".
    private enum LastState : byte { None, Current, Saved }
    private Token _current;
    private bool _pending;
    private LastState _lastState;
    private Token _savedLast;
    private Context _context;
    private int _depth;
    private Binding.StackGuard _stackGuard;

    public Parser(SourceText source, ParseOptions options)
    {
        _source = source;
        _options = options;
        _preprocessor = new Preprocessor(source, options, _diagnostics);
    }

    public DiagnosticBag Diagnostics => _diagnostics;

    public string? EmptyInputMessage { get; private set; }

    /// <summary>See <see cref="Lexer.UsedArguments"/>.</summary>
    public bool[]? UsedArguments => _preprocessor.UsedArguments;

    // ---------------------------------------------------------------- token access
    // Mirrors stap: peek() and next() remember the token as "last looked at" (shown by saw:),
    // swallow() consumes it and forgets it, so an error right after a swallow shows EOF.

    /// <summary>The token last looked at (null after a swallow or when it was EOF).</summary>
    private Token? Last => _lastState switch
    {
        LastState.Current => _current,
        LastState.Saved => _savedLast,
        _ => null,
    };

    /// <summary>Reads the next token into <see cref="_current"/>, keeping the last-looked-at token if it is there.</summary>
    private void Fetch()
    {
        if (_lastState == LastState.Current)
        {
            _savedLast = _current;
            _lastState = LastState.Saved;
        }
        _preprocessor.NextInto(ref _current);
        _tokensRead++;
        _pending = true;
    }

    /// <summary>Tokens read from the preprocessor so far (macro expansions included): no syntax tree
    /// built from them is deeper than this.</summary>
    public int TokensRead => _tokensRead;

    private int _tokensRead;

    /// <summary>
    /// A bound on the depth of any tree built so far, tighter than <see cref="TokensRead"/>: each nesting
    /// level (<see cref="EnterNesting"/>) adds at most a few nodes to a root-to-leaf path (an assignment,
    /// an <c>in</c> test with its index, a <c>++</c>, an autocast, a value; a statement and its block), and
    /// the loops that build left-deep operator chains add one node per operator, at most all of one
    /// declaration's. Allowance is made for eight nodes per level and a few wrapper levels on top.
    /// </summary>
    public int DepthBound => 8 * (_maxDepth + 1) + Math.Max(_maxChainLinks, _chainLinks) + 16;

    private int _maxDepth;
    private int _chainLinks;
    private int _maxChainLinks;

    /// <summary>The kind of the next token without consuming it (it becomes "last looked at", unless EOF).</summary>
    private SyntaxKind PeekKind()
    {
        if (!_pending)
            Fetch();
        var kind = _current.Kind;
        _lastState = kind == SyntaxKind.EndOfFileToken ? LastState.None : LastState.Current;
        return kind;
    }

    /// <summary>The next token without consuming it; EOF is a token of kind EndOfFileToken.</summary>
    private Token Peek()
    {
        PeekKind();
        return _current;
    }

    /// <summary>Takes the next token (it stays "last looked at"); end of input is an error.</summary>
    private Token Next()
    {
        if (!_pending)
            Fetch();
        if (_current.IsEndOfFile)
            throw Error("next.eof", DiagnosticMessages.UnexpectedEndOfFile);
        _lastState = LastState.Current;
        _pending = false;
        return _current;
    }

    /// <summary>Consumes the token last peeked or taken and forgets it.</summary>
    private void Swallow()
    {
        _pending = false;
        _lastState = LastState.None;
    }

    private bool PeekIs(SyntaxKind kind) => PeekKind() == kind;

    private bool PeekAtWord(ReadOnlySpan<byte> text)
        => PeekKind() == SyntaxKind.AtWordToken && _current.TextEquals(text);

    private static ParseErrorException Error(string origin, string message, Token? at = null)
        => new(origin, message, at, skipSome: true);

    /// <summary>stap's <c>expect_op</c>/<c>expect_kw</c>: one check site for every expected text.</summary>
    private void Expect(SyntaxKind kind)
    {
        var t = Next();
        if (t.Kind != kind)
            throw Error("expect_known", "expected '" + SyntaxFacts.GetText(kind) + "'");
        Swallow();
    }

    /// <summary>stap's <c>expect_op_any</c>: one of two operators, named in one message.</summary>
    private SyntaxKind ExpectAny(SyntaxKind first, SyntaxKind second)
    {
        var t = Next();
        if (t.Kind == first || t.Kind == second)
        {
            Swallow();
            return t.Kind;
        }
        throw Error("expect_op_any", "expected one of '" + SyntaxFacts.GetText(first) + " " + SyntaxFacts.GetText(second) + "'");
    }

    private void EnterNesting()
    {
        // The counter bounds recursion; the stack probe also protects callers on small-stack threads.
        if (++_depth > _options.MaxNestingDepth || !_stackGuard.TryEnsure())
            throw Error("nesting", DiagnosticMessages.NestingTooDeep, Peek() is { IsEndOfFile: false } t ? t : null);
        if (_depth > _maxDepth)
            _maxDepth = _depth;
    }

    // ---------------------------------------------------------------- file level

    public ScriptFile ParseScript()
    {
        var declarations = ImmutableArray.CreateBuilder<Declaration>();
        var globalNames = new Dictionary<string, bool>();
        bool empty = true;
        Token first = default;

        while (!_abandoned)
        {
            try
            {
                _depth = 0;
                // operator chains are counted per declaration: one tree holds only its own
                _maxChainLinks = Math.Max(_maxChainLinks, _chainLinks);
                _chainLinks = 0;
                var t = Peek();
                if (t.IsEndOfFile)
                    break;
                if (empty)
                    first = t;
                empty = false;
                switch (t.Kind)
                {
                    case SyntaxKind.ProbeKeyword:
                        _context = Context.Probe;
                        declarations.Add(ParseProbe());
                        break;
                    case SyntaxKind.PrivateKeyword:
                        _context = Context.Unknown;
                        declarations.Add(ParsePrivate(globalNames));
                        break;
                    case SyntaxKind.GlobalKeyword:
                        {
                            _context = Context.Global;
                            var keyword = Next();
                            Swallow();
                            declarations.Add(ParseGlobal(globalNames, isPrivate: false, keyword, null));
                            break;
                        }
                    case SyntaxKind.FunctionKeyword:
                        _context = Context.Function;
                        Next();
                        Swallow();
                        declarations.Add(ParseFunction(isPrivate: false));
                        break;
                    case SyntaxKind.EmbeddedCodeToken:
                        _context = Context.Embedded;
                        declarations.Add(new EmbeddedCodeDeclaration(ParseEmbeddedCode()));
                        break;
                    default:
                        _context = Context.Unknown;
                        throw Error("file.toplevel", DiagnosticMessages.ExpectedTopLevel);
                }
            }
            catch (ParseErrorException e)
            {
                // the abandoned declaration's partial lists
                _statementScratch.Clear();
                _expressionScratch.Clear();
                _indexScratch.Clear();
                Report(e);
                if (e.SkipSome)
                    Recover();
            }
        }

        if (empty)
        {
            EmptyInputMessage = _preprocessor.SawTokens
                ? DiagnosticMessages.InputEmptyAfterPreprocessing(_source.FileName)
                : DiagnosticMessages.InputEmpty(_source.FileName);
        }

        if (first.IsDefault)
            first = new Token(SyntaxKind.EndOfFileToken, _source, _source.Bytes, _source.Length, 0, 1, 1);
        return new ScriptFile(first, _source, declarations.ToImmutable());
    }

    /// <summary>Skips to a token a declaration can start with, reporting errors met on the way.</summary>
    private void Recover()
    {
        while (!_abandoned)
        {
            try
            {
                var t = Peek();
                if (t.IsEndOfFile || t.Kind is SyntaxKind.ProbeKeyword or SyntaxKind.PrivateKeyword
                        or SyntaxKind.GlobalKeyword or SyntaxKind.FunctionKeyword or SyntaxKind.EmbeddedCodeToken)
                    return;
                Swallow();
            }
            catch (ParseErrorException e)
            {
                Report(e);
            }
        }
    }

    private void Report(ParseErrorException e)
    {
        Token? token = e.Token ?? Last;
        var role = e.Token is not null ? TokenRole.At : TokenRole.Saw;
        var d = new Diagnostic(DiagnosticKind.ParseError, e.Message, token, role, e.Origin, e.Chained,
                               token is null ? _source.FileName : null);
        _diagnostics.Add(d);
        // Recovery always moves forward on real scripts; a token stream that keeps failing without
        // end (hostile macro input) stops the parse instead of looping.
        if (_diagnostics.Count >= MaxParseErrors)
            _abandoned = true;
    }

    /// <summary>Far beyond any real script's error count, and small enough to stop a runaway recovery at once.</summary>
    private const int MaxParseErrors = 10_000;
    private bool _abandoned;

    private Declaration ParsePrivate(Dictionary<string, bool> globalNames)
    {
        var privateToken = Next();
        Swallow();
        var t = Next();
        if (t.Kind == SyntaxKind.FunctionKeyword)
        {
            Swallow();
            _context = Context.Function;
            return ParseFunction(isPrivate: true);
        }
        if (t.Kind == SyntaxKind.GlobalKeyword)
        {
            Swallow();
            _context = Context.Global;
            var name = Next();
            if (name.Kind != SyntaxKind.IdentifierToken)
                throw Error("private.global-name", DiagnosticMessages.ExpectedIdentifier);
            return ParseGlobal(globalNames, isPrivate: true, privateToken, name);
        }
        if (t.Kind == SyntaxKind.IdentifierToken)
        {
            _context = Context.Global;
            return ParseGlobal(globalNames, isPrivate: true, privateToken, t);
        }
        throw Error("private", DiagnosticMessages.ExpectedFunctionOrIdentifier);
    }

    private GlobalDeclaration ParseGlobal(Dictionary<string, bool> globalNames, bool isPrivate, Token keyword, Token? firstName)
    {
        var variables = ImmutableArray.CreateBuilder<GlobalVariable>();
        while (true)
        {
            var name = firstName ?? Next();
            firstName = null;
            if (name.Kind != SyntaxKind.IdentifierToken)
                throw Error("global.name", DiagnosticMessages.ExpectedIdentifier);
            string text = name.GetTextString();
            if (globalNames.TryGetValue(text, out bool wasPrivate))
            {
                if (wasPrivate == isPrivate)
                    throw Error("global.duplicate", DiagnosticMessages.DuplicateGlobal);
                throw Error("global.private-conflict", DiagnosticMessages.GlobalPrivateConflict);
            }
            globalNames[text] = isPrivate;

            bool wrap = false;
            int? maxSize = null;
            LiteralExpression? init = null;
            var t = Peek();
            if (t.Kind == SyntaxKind.PercentToken)
            {
                wrap = true;
                Swallow();
                t = Peek();
            }
            if (t.Kind == SyntaxKind.OpenBracketToken)
            {
                Swallow();
                long size = ExpectNumber();
                if (size <= 0 || size > int.MaxValue)
                    throw Error("global.size", DiagnosticMessages.ArraySizeOutOfRange);
                maxSize = (int)size;
                Expect(SyntaxKind.CloseBracketToken);
                t = Peek();
            }
            if (t.Kind == SyntaxKind.EqualsToken)
            {
                if (maxSize is not null)
                    throw Error("global.init-array", DiagnosticMessages.OnlyScalarInitialized);
                Next();
                init = ParseLiteral();
                t = Peek();
            }
            variables.Add(new GlobalVariable(name, isPrivate, wrap, maxSize, init));
            if (t.Kind == SyntaxKind.SemicolonToken)
            {
                Swallow();
                break;
            }
            if (t.Kind == SyntaxKind.CommaToken)
            {
                Swallow();
                continue;
            }
            break;
        }
        return new GlobalDeclaration(keyword, isPrivate, variables.ToImmutable());
    }

    private FunctionDeclaration ParseFunction(bool isPrivate)
    {
        var name = Next();
        if (name.Kind is not (SyntaxKind.IdentifierToken or SyntaxKind.StringKeyword or SyntaxKind.LongKeyword))
            throw Error("function.name", DiagnosticMessages.ExpectedIdentifier);

        var returnType = DeclaredType.None;
        var t = Next();
        if (t.Kind == SyntaxKind.ColonToken)
        {
            Swallow();
            returnType = ParseTypeName("function.type");
            Swallow();
            t = Next();
        }
        if (t.Kind != SyntaxKind.OpenParenToken)
            throw Error("function.open", DiagnosticMessages.ExpectedOpenParen);
        Swallow();

        var parameters = ImmutableArray.CreateBuilder<Parameter>();
        while (true)
        {
            t = Next();
            if (t.Kind == SyntaxKind.CloseParenToken)
            {
                Swallow();
                break;
            }
            if (t.Kind != SyntaxKind.IdentifierToken)
                throw Error("function.param", DiagnosticMessages.ExpectedIdentifier);
            var paramName = t;
            foreach (var existing in parameters)
            {
                if (existing.Token.Text.SequenceEqual(paramName.Text))
                    throw Error("function.duplicate-param", DiagnosticMessages.DuplicateParameter);
            }
            var paramType = DeclaredType.None;
            t = Next();
            if (t.Kind == SyntaxKind.ColonToken)
            {
                Swallow();
                paramType = ParseTypeName("function.param-type");
                Swallow();
                t = Next();
            }
            parameters.Add(new Parameter(paramName, paramType));
            if (t.Kind == SyntaxKind.CloseParenToken)
            {
                Swallow();
                break;
            }
            if (t.Kind == SyntaxKind.CommaToken)
            {
                Swallow();
                continue;
            }
            throw Error("function.params-end", DiagnosticMessages.ExpectedCommaOrCloseParen);
        }

        long priority = 1;
        t = Peek();
        if (t.IsEndOfFile)
            throw Error("function.body-eof", DiagnosticMessages.ExpectedOpenBrace);
        if (t.Kind == SyntaxKind.ColonToken)
        {
            Swallow();
            var literal = ParseLiteral();
            if (literal is not NumberLiteralExpression number)
                throw Error("function.priority", DiagnosticMessages.ExpectedLiteralNumber);
            if (number.Value < 1)
                throw Error("function.priority-range", DiagnosticMessages.PriorityMustBePositive);
            priority = number.Value;
        }

        t = Peek();
        Statement body = t.Kind == SyntaxKind.EmbeddedCodeToken
            ? new EmbeddedCodeStatement(ParseEmbeddedCode())
            : ParseBlock();
        return new FunctionDeclaration(name, isPrivate, returnType, parameters.ToImmutable(), priority, body);
    }

    private DeclaredType ParseTypeName(string origin)
    {
        var t = Next();
        return t.Kind switch
        {
            SyntaxKind.StringKeyword => DeclaredType.String,
            SyntaxKind.LongKeyword => DeclaredType.Long,
            _ => throw Error(origin, DiagnosticMessages.ExpectedStringOrLong),
        };
    }

    private Token ParseEmbeddedCode()
    {
        var t = Next();
        if (t.Kind != SyntaxKind.EmbeddedCodeToken)
            throw Error("embedded.expected", "expected '%{'");
        if (!_options.Privileged)
            throw new ParseErrorException("embedded.unprivileged", DiagnosticMessages.EmbeddedCodeUnprivileged, null, skipSome: false);
        return t;
    }

    // ---------------------------------------------------------------- probes

    private Declaration ParseProbe()
    {
        var probeToken = Next();
        // usually one point and no alias: no spare capacity
        var aliases = ImmutableArray.CreateBuilder<ProbePoint>(0);
        var locations = ImmutableArray.CreateBuilder<ProbePoint>(1);
        bool epilogue = false;
        while (true)
        {
            var points = ParseProbePoints();
            var t = Peek();
            if (points.Count == 1 && t.Kind is SyntaxKind.EqualsToken or SyntaxKind.PlusEqualsToken)
            {
                if (points[0].IsOptional || points[0].IsSufficient)
                    throw Error("probe.alias-optional", DiagnosticMessages.AliasOptional, points[0].Components[0].Token);
                aliases.Add(points[0]);
                if (t.Kind == SyntaxKind.PlusEqualsToken)
                    epilogue = true;
                Swallow();
                continue;
            }
            if (t.Kind == SyntaxKind.OpenBraceToken)
            {
                locations.AddRange(points);
                break;
            }
            throw Error("probe.specifier", DiagnosticMessages.ExpectedProbePointSpecifier);
        }

        var body = ParseBlock();
        if (aliases.Count == 0)
            return new ProbeDeclaration(probeToken, locations.DrainToImmutable(), body);

        BlockStatement? epilogueBody = null;
        var c = Peek();
        if (!c.IsEndOfFile && c.GetContent().AsSpan().SequenceEqual(","u8))
        {
            if (epilogue)
                throw Error("probe.combined", DiagnosticMessages.CombinedPrologueEpilogue);
            Swallow();
            epilogueBody = ParseBlock();
        }
        return new ProbeAliasDeclaration(probeToken, aliases.ToImmutable(), epilogue, locations.ToImmutable(), body, epilogueBody);
    }

    /// <summary>Mutable probe point used while brace expansion builds the Cartesian product.</summary>
    private sealed class PointBuilder
    {
        public List<ProbePointComponent> Components = [];
        public bool Optional;
        public bool Sufficient;
        public Expression? Condition;

        public PointBuilder Concat(PointBuilder suffix) => new()
        {
            Components = [.. Components, .. suffix.Components],
            Optional = suffix.Optional,
            Sufficient = suffix.Sufficient,
            Condition = suffix.Condition,
        };

        /// <summary>The same as <see cref="Concat"/>, on this builder (which nothing else holds).</summary>
        public void Append(PointBuilder suffix)
        {
            Components.AddRange(suffix.Components);
            Optional = suffix.Optional;
            Sufficient = suffix.Sufficient;
            Condition = suffix.Condition;
        }

        public ProbePoint Build() => new(Components[0].Token, [.. Components], Optional, Sufficient, Condition);
    }

    private List<ProbePoint> ParseProbePoints()
    {
        var builders = ParseProbePointList();
        var result = new List<ProbePoint>(builders.Count);
        foreach (var b in builders)
            result.Add(b.Build());
        return result;
    }

    private List<PointBuilder> ParseProbePointList()
    {
        List<PointBuilder>? points = null;
        while (true)
        {
            var more = ParseComponents();
            // the list of the first (usually only) point is taken over, not copied
            if (points is null)
                points = more;
            else
                points.AddRange(more);
            var t = Peek();
            if (t.Kind == SyntaxKind.CommaToken)
            {
                Swallow();
                continue;
            }
            if (t.Kind is SyntaxKind.OpenBraceToken or SyntaxKind.EqualsToken or SyntaxKind.PlusEqualsToken or SyntaxKind.CloseBraceToken)
                break;
            throw Error("probe.points-end", DiagnosticMessages.ExpectedProbePointEnd);
        }
        return points;
    }

    private List<PointBuilder> ParseComponents()
    {
        // The usual a.b.c (no braces) is one point extended in place: `one` holds it, and `points` is
        // only made for brace expansion or at the end.
        PointBuilder? one = null;
        List<PointBuilder>? points = null;
        while (true)
        {
            var suffix = ParseComponent(out var single);
            int count = one is not null ? 1 : points?.Count ?? 0;
            int suffixCount = single is not null ? 1 : suffix!.Count;
            if (count == 0)
            {
                if (single is not null)
                    one = new PointBuilder { Components = new List<ProbePointComponent>(4) { single } };
                else
                    points = suffix;
            }
            else if (count == 1 && suffixCount == 1)
            {
                var p = one ?? points![0];
                RequireNoSuffix(p);
                if (single is not null)
                    p.Components.Add(single); // a bare component carries no marker or condition to take over
                else
                    p.Append(suffix![0]);
            }
            else
            {
                var product = new List<PointBuilder>();
                var suffixes = suffix ?? [new PointBuilder { Components = [single!] }];
                foreach (var p in points ?? [one!])
                {
                    RequireNoSuffix(p);
                    foreach (var s in suffixes)
                        product.Add(p.Concat(s));
                }
                points = product;
                one = null;
            }

            var t = Peek();
            if (t.Kind == SyntaxKind.DotToken)
            {
                Swallow();
                continue;
            }

            points ??= [one!];
            if (t.Kind is SyntaxKind.QuestionToken or SyntaxKind.BangToken)
            {
                foreach (var p in points)
                {
                    if (p.Optional || p.Sufficient)
                        throw Error("probe.respecified", DiagnosticMessages.OptionalRespecified);
                    p.Optional = true;
                    if (t.Kind == SyntaxKind.BangToken)
                        p.Sufficient = true;
                }
                Swallow();
                t = Peek();
            }

            if (t.Kind == SyntaxKind.IfKeyword)
            {
                Swallow();
                if (!PeekIs(SyntaxKind.OpenParenToken))
                    throw Error("probe.if-open", DiagnosticMessages.ExpectedOpenParen);
                Swallow();
                var condition = ParseExpression();
                foreach (var p in points)
                {
                    if (p.Condition is not null)
                        throw Error("probe.condition-again", DiagnosticMessages.ConditionRespecified);
                    p.Condition = condition;
                }
                if (!PeekIs(SyntaxKind.CloseParenToken))
                    throw Error("probe.if-close", DiagnosticMessages.ExpectedCloseParen);
                Swallow();
            }
            break;
        }
        return points;
    }

    // A '?', '!' or 'if' ends a point: nothing may follow it.
    private void RequireNoSuffix(PointBuilder p)
    {
        if (p.Optional || p.Sufficient || p.Condition is not null)
            throw Error("probe.suffix-only", DiagnosticMessages.SuffixOnly, p.Components[0].Token);
    }

    /// <summary>One component: a plain one as <paramref name="single"/> (null returned), a braced list
    /// as its points (<paramref name="single"/> null).</summary>
    private List<PointBuilder>? ParseComponent(out ProbePointComponent? single)
    {
        single = null;
        var t = Next();
        if (!(t.Kind == SyntaxKind.IdentifierToken || SyntaxFacts.IsKeyword(t.Kind)
              || t.Kind is SyntaxKind.StarToken or SyntaxKind.OpenBraceToken))
            throw Error("probe.component", DiagnosticMessages.ExpectedProbePointComponent);

        if (t.Kind == SyntaxKind.OpenBraceToken)
        {
            Swallow();
            var inner = ParseProbePointList();
            if (!PeekIs(SyntaxKind.CloseBraceToken))
                throw Error("probe.close-brace", DiagnosticMessages.ExpectedCloseBrace);
            Swallow();
            return inner;
        }

        // Glue adjacent identifier/keyword/'*' pieces into one name (no whitespace between).
        // names repeat from probe to probe (procfs, read, write): shared strings unless glued
        string first = t.GetNameString();
        System.Text.StringBuilder? name = null;
        var glued = t;
        while (true)
        {
            var u = Peek();
            if (u.IsEndOfFile || (u.Flags & TokenFlags.PrecededByTrivia) != 0)
                break;
            if (!(u.Kind == SyntaxKind.IdentifierToken || SyntaxFacts.IsKeyword(u.Kind) || u.Kind == SyntaxKind.StarToken))
                break;
            (name ??= new System.Text.StringBuilder(first)).Append(u.GetTextString());
            glued = Extend(glued, u);
            Swallow();
        }

        LiteralExpression? argument = null;
        if (PeekIs(SyntaxKind.OpenParenToken))
        {
            Swallow();
            argument = ParseLiteral();
            var close = Next();
            if (close.Kind != SyntaxKind.CloseParenToken)
                throw Error("probe.component-close", DiagnosticMessages.ExpectedCloseParen);
            Swallow();
        }
        single = new ProbePointComponent(glued, name?.ToString() ?? first, argument);
        return null;
    }

    /// <summary>A token covering <paramref name="a"/> through <paramref name="b"/> when they are contiguous.</summary>
    private static Token Extend(Token a, Token b)
    {
        if (ReferenceEquals(a.BufferArray, b.BufferArray) && a.Start + a.Length == b.Start)
            return a.WithExtent(a.Start, a.Length + b.Length);
        return a;
    }

    // ---------------------------------------------------------------- literals

    private LiteralExpression ParseLiteral()
    {
        var t = Next();
        if (t.Kind == SyntaxKind.StringToken)
            return ConsumeStringLiterals(t);
        bool negative = false;
        if (t.Kind == SyntaxKind.MinusToken)
        {
            negative = true;
            Swallow();
            t = Next();
        }
        if (t.Kind != SyntaxKind.NumberToken)
            throw Error("literal", DiagnosticMessages.ExpectedLiteral);
        return new NumberLiteralExpression(t, ConvertNumber(t, negative, "literal.number"));
    }

    private static long ConvertNumber(Token t, bool negative, string origin)
    {
        if (!NumberParser.TryParseUnsigned(t.Text, out ulong magnitude) || (negative && magnitude > 9223372036854775808UL))
            throw Error(origin, DiagnosticMessages.NumberInvalid);
        long value = unchecked((long)magnitude);
        return negative ? unchecked(-value) : value;
    }

    private long ExpectNumber()
    {
        bool negative = false;
        var t = Next();
        if (t.Kind == SyntaxKind.MinusToken)
        {
            negative = true;
            Swallow();
            t = Next();
        }
        if (t.Kind != SyntaxKind.NumberToken)
            throw Error("expect_number", DiagnosticMessages.ExpectedNumber);
        long value = ConvertNumber(t, negative, "expect_number.range");
        Swallow();
        return value;
    }

    /// <summary>A string token plus every directly following string token, joined.</summary>
    private StringLiteralExpression ConsumeStringLiterals(Token first)
    {
        byte[] content = first.GetContent();
        var t = Peek();
        if (t.Kind != SyntaxKind.StringToken)
            return new StringLiteralExpression(first, content);
        var joined = new List<byte>(content);
        while (t.Kind == SyntaxKind.StringToken)
        {
            joined.AddRange(t.GetContent());
            Next();
            t = Peek();
        }
        return new StringLiteralExpression(first, joined.ToArray());
    }

    private StringLiteralExpression ParseLiteralString()
    {
        var t = Next();
        if (t.Kind != SyntaxKind.StringToken)
            throw Error("literal_string", DiagnosticMessages.ExpectedLiteralString);
        return ConsumeStringLiterals(t);
    }

    /// <summary>stap's <c>expect_unknown(tok_string)</c>: a (joined) string literal.</summary>
    private StringLiteralExpression ExpectString()
    {
        var t = Next();
        if (t.Kind != SyntaxKind.StringToken)
            throw Error("expect_unknown", "expected string");
        return ConsumeStringLiterals(t);
    }

    // ---------------------------------------------------------------- statements

    private BlockStatement ParseBlock()
    {
        var open = Next();
        if (open.Kind != SyntaxKind.OpenBraceToken)
            throw Error("block.open", DiagnosticMessages.ExpectedOpenBrace);
        int statements = _statementScratch.Mark;
        while (true)
        {
            var t = Peek();
            if (t.Kind == SyntaxKind.CloseBraceToken)
            {
                Swallow();
                break;
            }
            _statementScratch.Add(ParseStatement());
        }
        return new BlockStatement(open, _statementScratch.Take(statements));
    }

    private Statement ParseStatement()
    {
        EnterNesting();
        try
        {
            var t = Peek();
            Statement result;
            switch (t.Kind)
            {
                case SyntaxKind.SemicolonToken:
                    return new NullStatement(Next());
                case SyntaxKind.OpenBraceToken:
                    return ParseBlock();
                case SyntaxKind.TryKeyword:
                    return ParseTry();
                case SyntaxKind.IfKeyword:
                    return ParseIf();
                case SyntaxKind.ForKeyword:
                    return ParseFor();
                case SyntaxKind.ForeachKeyword:
                    return ParseForeach();
                case SyntaxKind.WhileKeyword:
                    return ParseWhile();
                case SyntaxKind.ReturnKeyword:
                    result = ParseReturn();
                    break;
                case SyntaxKind.DeleteKeyword:
                    {
                        var keyword = Next();
                        result = new DeleteStatement(keyword, ParseExpression());
                        break;
                    }
                case SyntaxKind.BreakKeyword:
                    result = new BreakStatement(Next());
                    break;
                case SyntaxKind.ContinueKeyword:
                    result = new ContinueStatement(Next());
                    break;
                case SyntaxKind.NextKeyword:
                    result = new NextStatement(Next());
                    break;
                default:
                    if (!t.IsEndOfFile && (SyntaxFacts.IsOperator(t.Kind) || t.Kind is SyntaxKind.IdentifierToken
                            or SyntaxKind.NumberToken or SyntaxKind.StringToken or SyntaxKind.EmbeddedCodeToken))
                    {
                        result = ParseExpressionStatement();
                        break;
                    }
                    throw Error("statement", DiagnosticMessages.ExpectedStatement);
            }
            if (PeekIs(SyntaxKind.SemicolonToken))
                Swallow();
            return result;
        }
        finally
        {
            _depth--;
        }
    }

    private ExpressionStatement ParseExpressionStatement()
    {
        var t = Peek();
        if (t.IsEndOfFile)
            throw Error("expr_statement.eof", DiagnosticMessages.ExpectedExpressionStatement);
        return new ExpressionStatement(t, ParseExpression());
    }

    private TryStatement ParseTry()
    {
        var tryToken = Next();
        var tryBlock = ParseBlock();
        Expect(SyntaxKind.CatchKeyword);
        VariableExpression? variable = null;
        if (PeekIs(SyntaxKind.OpenParenToken))
        {
            Swallow();
            var name = Next();
            if (name.Kind != SyntaxKind.IdentifierToken)
                throw Error("try.catch-var", DiagnosticMessages.ExpectedIdentifier);
            variable = new VariableExpression(name);
            Expect(SyntaxKind.CloseParenToken);
        }
        var catchBlock = ParseBlock();
        return new TryStatement(tryToken, tryBlock, variable, catchBlock);
    }

    private IfStatement ParseIf()
    {
        var ifToken = Next();
        if (Next().Kind != SyntaxKind.OpenParenToken)
            throw Error("if.open", DiagnosticMessages.ExpectedOpenParen);
        Swallow();
        var condition = ParseExpression();
        if (Next().Kind != SyntaxKind.CloseParenToken)
            throw Error("if.close", DiagnosticMessages.ExpectedCloseParen);
        Swallow();
        var then = ParseStatement();
        Statement? elseStatement = null;
        if (PeekIs(SyntaxKind.ElseKeyword))
        {
            Swallow();
            elseStatement = ParseStatement();
        }
        return new IfStatement(ifToken, condition, then, elseStatement);
    }

    private ForStatement ParseFor()
    {
        var forToken = Next();
        if (Next().Kind != SyntaxKind.OpenParenToken)
            throw Error("for.open", DiagnosticMessages.ExpectedOpenParen);
        Swallow();

        ExpressionStatement? init = null;
        if (PeekIs(SyntaxKind.SemicolonToken))
        {
            Swallow();
        }
        else
        {
            init = ParseExpressionStatement();
            if (Next().Kind != SyntaxKind.SemicolonToken)
                throw Error("for.init-end", DiagnosticMessages.ExpectedSemicolon);
            Swallow();
        }

        Expression condition;
        if (PeekIs(SyntaxKind.SemicolonToken))
        {
            condition = new NumberLiteralExpression(Next(), 1);
        }
        else
        {
            condition = ParseExpression();
            if (Next().Kind != SyntaxKind.SemicolonToken)
                throw Error("for.cond-end", DiagnosticMessages.ExpectedSemicolon);
            Swallow();
        }

        ExpressionStatement? increment = null;
        if (PeekIs(SyntaxKind.CloseParenToken))
        {
            Swallow();
        }
        else
        {
            increment = ParseExpressionStatement();
            if (Next().Kind != SyntaxKind.CloseParenToken)
                throw Error("for.close", DiagnosticMessages.ExpectedCloseParen);
            Swallow();
        }

        var body = ParseStatement();
        return new ForStatement(forToken, init, condition, increment, body);
    }

    private ForStatement ParseWhile()
    {
        var whileToken = Next();
        if (Next().Kind != SyntaxKind.OpenParenToken)
            throw Error("while.open", DiagnosticMessages.ExpectedOpenParen);
        Swallow();
        var condition = ParseExpression();
        if (Next().Kind != SyntaxKind.CloseParenToken)
            throw Error("while.close", DiagnosticMessages.ExpectedCloseParen);
        Swallow();
        var body = ParseStatement();
        return new ForStatement(whileToken, null, condition, null, body);
    }

    private ReturnStatement ParseReturn()
    {
        var returnToken = Next();
        if (_context != Context.Function)
            throw Error("return.context", DiagnosticMessages.ReturnOutsideFunction);
        var t = Peek();
        if (t.IsEndOfFile)
            throw Error("return.eof", DiagnosticMessages.ExpectedReturnEnd);
        Expression? value = t.Kind is SyntaxKind.SemicolonToken or SyntaxKind.CloseBraceToken ? null : ParseExpression();
        return new ReturnStatement(returnToken, value);
    }

    private ForeachStatement ParseForeach()
    {
        var foreachToken = Next();
        if (Next().Kind != SyntaxKind.OpenParenToken)
            throw Error("foreach.open", DiagnosticMessages.ExpectedOpenParen);
        Swallow();

        VariableExpression? value = null;
        var keys = ImmutableArray.CreateBuilder<VariableExpression>();
        int sortDirection = 0, sortColumn = 0;

        // "v [+-] =" introduces the value variable; otherwise that name is the only key.
        Token? lookahead = null;
        int lookaheadSort = 0;
        var t = Peek();
        if (t.Kind == SyntaxKind.IdentifierToken)
        {
            lookahead = Next();
            t = Peek();
            if (t.Kind is SyntaxKind.PlusToken or SyntaxKind.MinusToken)
            {
                lookaheadSort = t.Kind == SyntaxKind.PlusToken ? 1 : -1;
                Swallow();
            }
            if (PeekIs(SyntaxKind.EqualsToken))
            {
                Swallow();
                value = new VariableExpression(lookahead.Value);
                if (lookaheadSort != 0)
                {
                    sortDirection = lookaheadSort;
                    sortColumn = 0;
                }
                lookahead = null;
            }
        }

        bool bracketed = false;
        t = Peek();
        if (lookahead is null && t.Kind == SyntaxKind.OpenBracketToken)
        {
            Swallow();
            bracketed = true;
        }

        if (lookahead is { } key)
        {
            keys.Add(new VariableExpression(key));
            if (lookaheadSort != 0)
            {
                sortDirection = lookaheadSort;
                sortColumn = 1;
            }
        }
        else
        {
            while (true)
            {
                t = Next();
                if (t.Kind != SyntaxKind.IdentifierToken)
                    throw Error("foreach.key", DiagnosticMessages.ExpectedIdentifier);
                keys.Add(new VariableExpression(t));
                t = Peek();
                if (t.Kind is SyntaxKind.PlusToken or SyntaxKind.MinusToken)
                {
                    if (sortDirection != 0)
                        throw Error("foreach.key-sort", DiagnosticMessages.MultipleSortDirectives);
                    sortDirection = t.Kind == SyntaxKind.PlusToken ? 1 : -1;
                    sortColumn = keys.Count;
                    Swallow();
                }
                if (!bracketed)
                    break;
                t = Peek();
                if (t.Kind == SyntaxKind.CommaToken)
                {
                    Swallow();
                    continue;
                }
                if (t.Kind == SyntaxKind.CloseBracketToken)
                {
                    Swallow();
                    break;
                }
                throw Error("foreach.keys-end", DiagnosticMessages.ExpectedCommaOrCloseBracket);
            }
        }

        if (Next().Kind != SyntaxKind.InKeyword)
            throw Error("foreach.in", DiagnosticMessages.ExpectedIn);
        Swallow();

        var array = ParseIndexable();

        ImmutableArray<Expression?> slice = default;
        if (PeekIs(SyntaxKind.OpenBracketToken))
        {
            Swallow();
            var items = ImmutableArray.CreateBuilder<Expression?>();
            while (true)
            {
                if (PeekIs(SyntaxKind.StarToken))
                {
                    Swallow();
                    items.Add(null);
                }
                else
                {
                    items.Add(ParseExpression());
                }
                t = Peek();
                if (t.Kind == SyntaxKind.CommaToken)
                {
                    Swallow();
                    continue;
                }
                if (t.Kind == SyntaxKind.CloseBracketToken)
                {
                    Swallow();
                    break;
                }
                throw Error("foreach.slice-end", DiagnosticMessages.ExpectedCommaOrCloseBracket);
            }
            slice = items.ToImmutable();
        }

        var aggregate = StatisticOperator.None;
        var a = Peek();
        if (a.Kind == SyntaxKind.AtWordToken)
        {
            aggregate = SyntaxFacts.GetStatisticOperator(a.Text);
            if (aggregate == StatisticOperator.None)
                throw Error("foreach.aggregate", DiagnosticMessages.ExpectedStatisticalOperation);
            Swallow();
            if (Peek().Kind is not (SyntaxKind.PlusToken or SyntaxKind.MinusToken))
                throw Error("foreach.aggregate-sort", DiagnosticMessages.ExpectedSortDirective);
        }

        var sortToken = Peek();
        if (sortToken.Kind is SyntaxKind.PlusToken or SyntaxKind.MinusToken)
        {
            if (sortDirection != 0)
                throw Error("foreach.value-sort", DiagnosticMessages.MultipleSortDirectives);
            sortDirection = sortToken.Kind == SyntaxKind.PlusToken ? 1 : -1;
            sortColumn = 0;
            Swallow();
        }

        Expression? limit = null;
        if (PeekIs(SyntaxKind.LimitKeyword))
        {
            Swallow();
            limit = ParseExpression();
        }

        if (Next().Kind != SyntaxKind.CloseParenToken)
            throw Error("foreach.close", DiagnosticMessages.ExpectedCloseParen);
        Swallow();

        var body = ParseStatement();
        return new ForeachStatement(foreachToken, value, keys.ToImmutable(), array, slice, sortColumn, sortDirection,
                                    aggregate, limit, body);
    }

    /// <summary>An array name (any identifier or @-word) or a histogram operator.</summary>
    private Expression ParseIndexable()
    {
        var t = Next();
        if (t.Kind is not (SyntaxKind.IdentifierToken or SyntaxKind.AtWordToken))
            throw Error("expect_ident_or_atword", DiagnosticMessages.ExpectedIdentifierOrStatistic);
        if (t.TextEquals("@hist_linear"u8) || t.TextEquals("@hist_log"u8))
            return ParseHistogramRest(t);
        return new VariableExpression(t);
    }

    // ---------------------------------------------------------------- expressions

    private Expression ParseExpression()
    {
        EnterNesting();
        try
        {
            return ParseAssignment();
        }
        finally
        {
            _depth--;
        }
    }

    private Expression ParseAssignment()
    {
        var left = ParseTernary();
        if (SyntaxFacts.IsAssignmentOperator(PeekKind()))
        {
            var t = Next();
            var right = ParseExpression();
            return new AssignmentExpression(t, left, right);
        }
        return left;
    }

    private Expression ParseTernary()
    {
        var condition = ParseLogicalOr();
        if (PeekKind() != SyntaxKind.QuestionToken)
            return condition;
        var t = Next();
        EnterNesting();
        try
        {
            var whenTrue = ParseExpression();
            if (Next().Kind != SyntaxKind.ColonToken)
                throw Error("ternary.colon", DiagnosticMessages.ExpectedColon);
            Swallow();
            var whenFalse = ParseTernary();
            return new TernaryExpression(t, condition, whenTrue, whenFalse);
        }
        finally
        {
            _depth--;
        }
    }

    // Binary operators, loosest first: || && | ^ & (operands: ParseArrayIn) and << . + * (operands:
    // ParseUnary), each group parsed by precedence climbing. That builds the same left-deep trees as one
    // function per level, with one call per operand instead of one per level and operand.

    private Expression ParseLogicalOr() => ParseUpperBinary(1);

    /// <summary>1 <c>||</c>, 2 <c>&amp;&amp;</c>, 3 <c>|</c>, 4 <c>^</c>, 5 <c>&amp;</c>; 0 for any other token.</summary>
    private static int UpperLevel(SyntaxKind kind) => kind switch
    {
        SyntaxKind.BarBarToken => 1,
        SyntaxKind.AmpersandAmpersandToken => 2,
        SyntaxKind.BarToken => 3,
        SyntaxKind.CaretToken => 4,
        SyntaxKind.AmpersandToken => 5,
        _ => 0,
    };

    /// <summary>Operators of at least <paramref name="minLevel"/> (<see cref="UpperLevel"/>), left-associative.</summary>
    private Expression ParseUpperBinary(int minLevel)
    {
        var left = ParseArrayIn();
        while (true)
        {
            int level = UpperLevel(PeekKind());
            if (level < minLevel)
                return left;
            var t = Next();
            _chainLinks++;
            var right = ParseUpperBinary(level + 1);
            left = level <= 2 ? new LogicalExpression(t, left, right) : new BinaryExpression(t, left, right);
        }
    }

    private Expression ParseArrayIn()
    {
        if (!PeekIs(SyntaxKind.OpenBracketToken))
        {
            // the common case, one unbracketed operand: no index list unless "in" follows
            var operand = ParseComparisonOrRegex();
            if (PeekKind() != SyntaxKind.InKeyword)
                return operand;
            var inKeyword = Next();
            var indexed = ParseIndexable();
            return new InExpression(inKeyword, new IndexExpression(indexed.Token, indexed, [operand]));
        }
        return ParseBracketedArrayIn();
    }

    /// <summary><see cref="ParseArrayIn"/> from a <c>[</c>: apart, so that the common path's frame stays
    /// small (every operand passes through it, and each call zeroes its token temporaries).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private Expression ParseBracketedArrayIn()
    {
        var indexes = ImmutableArray.CreateBuilder<Expression?>();
        bool bracketed = false;
        if (PeekIs(SyntaxKind.OpenBracketToken))
        {
            Swallow();
            bracketed = true;
        }
        while (true)
        {
            if (PeekIs(SyntaxKind.StarToken) && bracketed)
            {
                Swallow();
                indexes.Add(null);
            }
            else
            {
                indexes.Add(ParseComparisonOrRegex());
            }
            if (!bracketed)
                break;
            var t = Peek();
            if (t.Kind == SyntaxKind.CommaToken)
            {
                Swallow();
                continue;
            }
            if (t.Kind == SyntaxKind.CloseBracketToken)
            {
                Swallow();
                break;
            }
            throw Error("array_in.end", DiagnosticMessages.ExpectedCommaOrCloseBracket);
        }

        var inToken = Peek();
        if (inToken.Kind == SyntaxKind.InKeyword)
        {
            Next();
            var array = ParseIndexable();
            var element = new IndexExpression(array.Token, array, indexes.ToImmutable());
            return new InExpression(inToken, element);
        }
        if (indexes.Count == 1 && indexes[0] is { } single)
            return single;
        throw Error("array_in.list", DiagnosticMessages.UnexpectedCommaList);
    }

    private Expression ParseComparisonOrRegex()
    {
        var left = ParseShift();
        var kind = PeekKind();
        if (kind is SyntaxKind.EqualsTildeToken or SyntaxKind.BangTildeToken)
        {
            var t = Next();
            var pattern = ParseLiteralString();
            return new RegexMatchExpression(t, left, pattern);
        }
        while (SyntaxFacts.IsComparisonOperator(kind))
        {
            var t = Next();
            _chainLinks++;
            left = new ComparisonExpression(t, left, ParseShift());
            kind = PeekKind();
        }
        return left;
    }

    private Expression ParseShift() => ParseLowerBinary(1);

    /// <summary>1 <c>&lt;&lt; &gt;&gt; &gt;&gt;&gt;</c>, 2 <c>.</c>, 3 <c>+ -</c>, 4 <c>* / %</c>; 0 for any other token.</summary>
    private static int LowerLevel(SyntaxKind kind) => kind switch
    {
        SyntaxKind.LessLessToken or SyntaxKind.GreaterGreaterToken or SyntaxKind.GreaterGreaterGreaterToken => 1,
        SyntaxKind.DotToken => 2,
        SyntaxKind.PlusToken or SyntaxKind.MinusToken => 3,
        SyntaxKind.StarToken or SyntaxKind.SlashToken or SyntaxKind.PercentToken => 4,
        _ => 0,
    };

    /// <summary>Operators of at least <paramref name="minLevel"/> (<see cref="LowerLevel"/>), left-associative.</summary>
    private Expression ParseLowerBinary(int minLevel)
    {
        var left = ParseUnary();
        while (true)
        {
            int level = LowerLevel(PeekKind());
            if (level < minLevel)
                return left;
            var t = Next();
            _chainLinks++;
            var right = ParseLowerBinary(level + 1);
            left = level == 2 ? new ConcatenationExpression(t, left, right) : new BinaryExpression(t, left, right);
        }
    }

    private Expression ParseUnary()
    {
        if (PeekKind() is SyntaxKind.PlusToken or SyntaxKind.MinusToken or SyntaxKind.BangToken or SyntaxKind.TildeToken)
        {
            var t = Next();
            EnterNesting();
            try
            {
                return new UnaryExpression(t, ParseUnary());
            }
            finally
            {
                _depth--;
            }
        }
        return ParseCrement();
    }

    private Expression ParseCrement()
    {
        if (PeekKind() is SyntaxKind.PlusPlusToken or SyntaxKind.MinusMinusToken)
        {
            var t = Next();
            return new PreIncrementExpression(t, ParseDwarfValue());
        }
        var operand = ParseDwarfValue();
        if (PeekKind() is SyntaxKind.PlusPlusToken or SyntaxKind.MinusMinusToken)
        {
            var t = Next();
            return new PostIncrementExpression(t, operand);
        }
        return operand;
    }

    private bool PeekTargetComponents()
    {
        var kind = PeekKind();
        return kind is SyntaxKind.ArrowToken or SyntaxKind.OpenBracketToken
            || (kind == SyntaxKind.IdentifierToken && IsAllDollars(_current.Text));
    }

    private static bool IsAllDollars(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept((byte)'$') < 0;

    private static bool IsAddressOf(Expression e) => e switch
    {
        TargetSymbolExpression t => t.IsAddressOf,
        CastExpression c => c.IsAddressOf,
        AtVarExpression v => v.IsAddressOf,
        AutocastExpression a => a.IsAddressOf,
        _ => false,
    };

    private Expression ParseDwarfValue()
    {
        // the common operand (no &, no target symbol, no @-word): its own small frame, see ParseArrayIn
        var kind = PeekKind();
        if (kind is not (SyntaxKind.AmpersandToken or SyntaxKind.AtWordToken)
            && !(kind == SyntaxKind.IdentifierToken && _current.Text[0] == (byte)'$'))
        {
            var value = ParseValue();
            return PeekTargetComponents() ? ParseAutocast(value) : value;
        }
        return ParseDwarfValueSlow();
    }

    /// <summary>Target components after a value that is not a target itself.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private AutocastExpression ParseAutocast(Expression value)
    {
        var start = Peek();
        var (_, components) = ParseTargetComponents(null);
        return new AutocastExpression(start, value, components, false);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private Expression ParseDwarfValueSlow()
    {
        Token? addressToken = PeekIs(SyntaxKind.AmpersandToken) ? Next() : null;
        bool addressOf = addressToken is not null;
        var t = Peek();
        Expression expr;
        bool isTarget = true;
        if (t.Kind == SyntaxKind.IdentifierToken && t.Text[0] == (byte)'$')
        {
            Next();
            var (name, components) = ParseTargetComponents(t);
            expr = new TargetSymbolExpression(name, addressOf, components);
        }
        else if (PeekAtWord("@cast"u8))
        {
            expr = ParseCast(addressOf);
        }
        else if (PeekAtWord("@var"u8))
        {
            expr = ParseAtVar(addressOf);
        }
        else
        {
            isTarget = false;
            expr = ParseValue();
            if (addressOf && IsAddressOf(expr))
                throw Error("dwarf.address-twice", DiagnosticMessages.AddressTwice, addressToken);
        }

        if (!isTarget && (addressOf || PeekTargetComponents()))
        {
            var start = addressToken ?? Peek();
            var (_, components) = ParseTargetComponents(null);
            expr = new AutocastExpression(start, expr, components, addressOf);
        }
        return expr;
    }

    /// <summary>
    /// Components after a target value: <c>-&gt;member</c>, <c>[index]</c>, and a <c>$</c>/<c>$$</c>
    /// pretty-print suffix (which may be glued onto the name, as in <c>$foo$</c>).
    /// </summary>
    private (Token Name, ImmutableArray<TargetComponent> Components) ParseTargetComponents(Token? name)
    {
        // most targets ($value) have no components: no builder until one is added
        ImmutableArray<TargetComponent>.Builder? components = null;
        bool pretty = false;
        Token nameToken = name ?? default;
        if (name is { } n)
        {
            var text = n.Text;
            int last = text.LastIndexOfAnyExcept((byte)'$');
            if (last > 0 && last < text.Length - 1)
            {
                string suffix = System.Text.Encoding.Latin1.GetString(text[(last + 1)..]);
                nameToken = n.WithExtent(n.Start, last + 1);
                (components ??= ImmutableArray.CreateBuilder<TargetComponent>()).Add(new TargetComponent(n, TargetComponentKind.PrettyPrint, suffix, null));
                pretty = true;
            }
        }

        while (!pretty)
        {
            var t = Peek();
            if (t.Kind == SyntaxKind.ArrowToken)
            {
                Next();
                var member = Next();
                if (member.Kind != SyntaxKind.IdentifierToken && !SyntaxFacts.IsKeyword(member.Kind))
                    throw Error("expect_unknown2", DiagnosticMessages.ExpectedIdentifierOrKeyword);
                Swallow();
                string text = member.GetTextString();
                int last = text.AsSpan().LastIndexOfAnyExcept('$');
                if (last < text.Length - 1)
                {
                    string memberName = text[..(last + 1)];
                    if (memberName.Length > 0)
                        (components ??= ImmutableArray.CreateBuilder<TargetComponent>()).Add(new TargetComponent(t, TargetComponentKind.Member, memberName, null));
                    (components ??= ImmutableArray.CreateBuilder<TargetComponent>()).Add(new TargetComponent(t, TargetComponentKind.PrettyPrint, text[(last + 1)..], null));
                    pretty = true;
                }
                else
                {
                    (components ??= ImmutableArray.CreateBuilder<TargetComponent>()).Add(new TargetComponent(t, TargetComponentKind.Member, text, null));
                }
            }
            else if (t.Kind == SyntaxKind.OpenBracketToken)
            {
                Next();
                var index = ParseExpression();
                (components ??= ImmutableArray.CreateBuilder<TargetComponent>()).Add(new TargetComponent(t, TargetComponentKind.Index, "", index));
                Expect(SyntaxKind.CloseBracketToken);
            }
            else
            {
                break;
            }
        }

        if (!pretty)
        {
            var t = Peek();
            if (t.Kind == SyntaxKind.IdentifierToken && IsAllDollars(t.Text))
            {
                Next();
                (components ??= ImmutableArray.CreateBuilder<TargetComponent>()).Add(new TargetComponent(t, TargetComponentKind.PrettyPrint, t.GetTextString(), null));
                pretty = true;
            }
        }

        if (pretty && (PeekIs(SyntaxKind.ArrowToken) || PeekIs(SyntaxKind.OpenBracketToken)))
            throw Error("target.pretty", DiagnosticMessages.PrettyPrintComponents);
        return (nameToken, components?.ToImmutable() ?? ImmutableArray<TargetComponent>.Empty);
    }

    private CastExpression ParseCast(bool addressOf)
    {
        var castToken = Next();
        Expect(SyntaxKind.OpenParenToken);
        var operand = ParseExpression();
        Expect(SyntaxKind.CommaToken);
        var type = ExpectString();
        if (type.Content.Length == 0)
            throw Error("cast.empty", DiagnosticMessages.ExpectedNonEmptyString);
        StringLiteralExpression? module = null;
        if (PeekIs(SyntaxKind.CommaToken))
        {
            Swallow();
            module = ExpectString();
        }
        Expect(SyntaxKind.CloseParenToken);
        var (_, components) = ParseTargetComponents(null);
        return new CastExpression(castToken, operand, type, module, addressOf, components);
    }

    private AtVarExpression ParseAtVar(bool addressOf)
    {
        var varToken = Next();
        Expect(SyntaxKind.OpenParenToken);
        var name = ExpectString();
        StringLiteralExpression? module = null;
        if (PeekIs(SyntaxKind.CommaToken))
        {
            Swallow();
            module = ExpectString();
        }
        Expect(SyntaxKind.CloseParenToken);
        var (_, components) = ParseTargetComponents(null);
        return new AtVarExpression(varToken, name, module, addressOf, components);
    }

    private Expression ParseValue()
    {
        var t = Peek();
        if (t.IsEndOfFile)
            throw Error("value.eof", DiagnosticMessages.ExpectedValue);

        if (t.Kind == SyntaxKind.EmbeddedCodeToken)
        {
            if (!_options.Privileged)
                throw new ParseErrorException("value.embedded", DiagnosticMessages.EmbeddedExpressionUnprivileged, null, skipSome: false);
            Next();
            return new EmbeddedCodeExpression(t);
        }

        if (t.Kind == SyntaxKind.OpenParenToken)
        {
            Swallow();
            EnterNesting();
            try
            {
                var e = ParseExpression();
                if (Next().Kind != SyntaxKind.CloseParenToken)
                    throw Error("value.close", DiagnosticMessages.ExpectedCloseParen);
                Swallow();
                return e;
            }
            finally
            {
                _depth--;
            }
        }

        if (t.Kind == SyntaxKind.IdentifierToken || t.Kind == SyntaxKind.AtWordToken)
            return ParseSymbol();

        return ParseLiteral();
    }

    private Expression ParseSymbol()
    {
        var t = Next();
        if (t.Kind is not (SyntaxKind.IdentifierToken or SyntaxKind.AtWordToken))
            throw Error("expect_ident_or_atword", DiagnosticMessages.ExpectedIdentifierOrStatistic);

        HistogramExpression? histogram = null;
        if (t.TextEquals("@hist_linear"u8) || t.TextEquals("@hist_log"u8))
        {
            histogram = ParseHistogramRest(t);
        }
        else if (t.Kind == SyntaxKind.AtWordToken)
        {
            if (t.TextEquals("@defined"u8))
            {
                Expect(SyntaxKind.OpenParenToken);
                var operand = ParseExpression();
                Expect(SyntaxKind.CloseParenToken);
                return new DefinedExpression(t, operand);
            }
            if (t.TextEquals("@entry"u8))
            {
                Expect(SyntaxKind.OpenParenToken);
                var operand = ParseExpression();
                Expect(SyntaxKind.CloseParenToken);
                return new EntryExpression(t, operand);
            }
            if (t.TextEquals("@perf"u8))
            {
                Expect(SyntaxKind.OpenParenToken);
                var name = ParseLiteralString();
                if (name.Content.Length == 0)
                    throw Error("perf.empty", DiagnosticMessages.ExpectedNonEmptyString);
                Expect(SyntaxKind.CloseParenToken);
                return new PerfExpression(t, name);
            }
            var op = SyntaxFacts.GetStatisticOperator(t.Text);
            if (op == StatisticOperator.None)
                throw Error("symbol.unknown-operator", DiagnosticMessages.UnknownOperator(t.GetTextString()));
            return ParseStatisticRest(t, op);
        }
        else if (SyntaxFacts.TryGetPrintFunction(t.Text, out var function))
        {
            return ParsePrintRest(t, function);
        }
        else if (PeekIs(SyntaxKind.OpenParenToken))
        {
            return ParseCallRest(t);
        }

        Expression @base = histogram ?? (Expression)new VariableExpression(t);
        if (PeekIs(SyntaxKind.OpenBracketToken))
            return ParseIndexRest(t, @base);
        if (histogram is not null)
            throw Error("symbol.histogram", DiagnosticMessages.HistogramWhereExpression, t);
        return @base;
    }

    private IndexExpression ParseIndexRest(Token token, Expression @base)
    {
        Swallow();
        int indexes = _indexScratch.Mark;
        while (true)
        {
            if (PeekIs(SyntaxKind.StarToken))
            {
                Swallow();
                _indexScratch.Add(null);
            }
            else
            {
                _indexScratch.Add(ParseExpression());
            }
            if (ExpectAny(SyntaxKind.CloseBracketToken, SyntaxKind.CommaToken) == SyntaxKind.CloseBracketToken)
                break;
        }
        return new IndexExpression(token, @base, _indexScratch.Take(indexes));
    }

    private CallExpression ParseCallRest(Token name)
    {
        Swallow();
        int args = _expressionScratch.Mark;
        if (PeekIs(SyntaxKind.CloseParenToken))
        {
            Swallow();
            return new CallExpression(name, _expressionScratch.Take(args));
        }
        while (true)
        {
            _expressionScratch.Add(ParseExpression());
            if (ExpectAny(SyntaxKind.CloseParenToken, SyntaxKind.CommaToken) == SyntaxKind.CloseParenToken)
                break;
        }
        return new CallExpression(name, _expressionScratch.Take(args));
    }

    private StatisticExpression ParseStatisticRest(Token t, StatisticOperator op)
    {
        Expect(SyntaxKind.OpenParenToken);
        var operand = ParseExpression();
        int maxParams = op == StatisticOperator.Variance ? 1 : 0;
        var parameters = new List<long>();
        while (true)
        {
            // Like stap, anything other than ')' or ',' here is consumed without complaint.
            var u = Next();
            if (u.Kind == SyntaxKind.CloseParenToken)
            {
                Swallow();
                break;
            }
            if (u.Kind == SyntaxKind.CommaToken)
            {
                if (parameters.Count >= maxParams)
                {
                    throw Error("stat.params", maxParams == 0 ? DiagnosticMessages.AtMostOneParameter : DiagnosticMessages.AtMostTwoParameters, u);
                }
                Swallow();
                parameters.Add(ExpectNumber());
            }
        }
        return new StatisticExpression(t, op, operand, parameters.Count > 0 ? parameters[0] : null);
    }

    /// <summary>The rest of <c>@hist_linear(...)</c>/<c>@hist_log(...)</c> after its name.</summary>
    private HistogramExpression ParseHistogramRest(Token t)
    {
        bool linear = t.TextEquals("@hist_linear"u8);
        Expect(SyntaxKind.OpenParenToken);
        var operand = ParseExpression();
        var parameters = ImmutableArray.CreateBuilder<long>();
        if (linear)
        {
            for (int i = 0; i < 3; i++)
            {
                Expect(SyntaxKind.CommaToken);
                parameters.Add(ExpectNumber());
            }
        }
        Expect(SyntaxKind.CloseParenToken);
        return new HistogramExpression(t, linear, operand, parameters.ToImmutable());
    }

    private PrintFormatExpression ParsePrintRest(Token name, PrintFunction function)
    {
        Expect(SyntaxKind.OpenParenToken);
        StringLiteralExpression? format = null, delimiter = null;
        ImmutableArray<PrintFormatComponent> components = default;
        HistogramExpression? histogram = null;
        int args = _expressionScratch.Mark;

        if (function is PrintFunction.Print or PrintFunction.Println or PrintFunction.Sprint or PrintFunction.Sprintln
            && (PeekAtWord("@hist_linear"u8) || PeekAtWord("@hist_log"u8)))
        {
            var h = Next();
            var hop = ParseHistogramRest(h);
            if (!PeekIs(SyntaxKind.OpenBracketToken))
            {
                histogram = hop;
            }
            else
            {
                Expect(SyntaxKind.OpenBracketToken);
                var index = ParseExpression();
                Expect(SyntaxKind.CloseBracketToken);
                _expressionScratch.Add(new IndexExpression(h, hop, [index]));
                while (!PeekIs(SyntaxKind.CloseParenToken))
                {
                    ExpectAny(SyntaxKind.CommaToken, SyntaxKind.CloseParenToken);
                    _expressionScratch.Add(ParseExpression());
                }
            }
        }
        else
        {
            int minArgs = 0;
            bool consumed = false;
            switch (function)
            {
                case PrintFunction.Printf or PrintFunction.Sprintf:
                    format = ParseLiteralString();
                    // scripts repeat a handful of formats; the components are immutable and shared
                    if (!_formatCache.TryGetValue(format.Content, out components))
                    {
                        components = PrintFormatParser.Parse(format.Content);
                        _formatCache.Add(format.Content, components);
                    }
                    consumed = true;
                    break;
                case PrintFunction.Printd or PrintFunction.Printdln or PrintFunction.Sprintd or PrintFunction.Sprintdln:
                    delimiter = ParseLiteralString();
                    consumed = true;
                    minArgs = 2;
                    break;
                case PrintFunction.Println or PrintFunction.Sprintln:
                    break;
                default:
                    minArgs = 1;
                    break;
            }
            while (minArgs > 0 || !PeekIs(SyntaxKind.CloseParenToken))
            {
                // stap accepts ')' as a separator here and then demands the missing value.
                if (consumed)
                    ExpectAny(SyntaxKind.CommaToken, SyntaxKind.CloseParenToken);
                _expressionScratch.Add(ParseExpression());
                consumed = true;
                if (minArgs > 0)
                    minArgs--;
            }
        }
        Expect(SyntaxKind.CloseParenToken);
        return new PrintFormatExpression(name, function, format, components, delimiter, _expressionScratch.Take(args), histogram);
    }
}
