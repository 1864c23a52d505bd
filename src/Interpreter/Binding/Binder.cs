using System.Collections.Immutable;
using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Binding;

/// <summary>
/// Pass 2: resolves probe points, names and calls, binds the AST into the bound tree, then runs type
/// inference (<see cref="TypeResolver"/>) and the remaining semantic checks. Diagnostics are collected in
/// the bag; nothing is thrown for bad input.
/// </summary>
internal sealed partial class Binder
{
    private readonly ScriptFile _file;
    private readonly ScriptOptions _options;
    private readonly DiagnosticBag _diagnostics;
    private readonly BoundProgram _program = new();
    private StackGuard _stackGuard;

    private readonly Dictionary<string, VariableSymbol> _globals = new(StringComparer.Ordinal);
    private readonly Dictionary<byte[], Runtime.Printf.PrintfFormat> _formats = new(ByteSequenceComparer.Instance);
    private readonly Dictionary<string, List<FunctionDeclaration>> _functionDeclarations = new(StringComparer.Ordinal);
    private readonly Dictionary<FunctionDeclaration, FunctionSymbol> _functionSymbols = new();
    private readonly Dictionary<(string, int), FunctionSymbol> _builtinSymbols = new();
    private readonly Queue<FunctionSymbol> _pendingBodies = new();
    private readonly Dictionary<string, List<ProbeAliasDeclaration>> _aliases = new(StringComparer.Ordinal);
    private int _referenceOrder;
    private int _deadDepth;
    private int _nonBlockingErrors;
    private readonly List<(string Message, Token Token, Diagnostic Chain)> _deferredLvalueErrors = new();
    private readonly List<(string Message, Token Token)> _deferredProcfsErrors = new();

    /// <summary>Calls made inside a foreach body, checked once all function write sets are known.</summary>
    private readonly List<(BoundCall Call, VariableSymbol[] Arrays)> _callsInForeach = new();
    private readonly Dictionary<FunctionSymbol, HashSet<VariableSymbol>> _directWrites = new();
    private readonly Dictionary<FunctionSymbol, HashSet<FunctionSymbol>> _callees = new();

    // ---- state of the body being bound
    private BodyScope _scope = null!;

    private sealed class BodyScope
    {
        public readonly Dictionary<string, VariableSymbol> Locals = new(StringComparer.Ordinal);
        public List<VariableSymbol> LocalList = null!;
        public ProbeKind? ProbeKind;
        public FunctionSymbol? Function;
        public int LoopDepth;
        public readonly List<VariableSymbol> ForeachArrays = new();
    }

    private readonly IReadOnlyList<ScriptFile> _tapsets;

    /// <summary>Private globals of the built-in tapset files, visible only to code of their own file.</summary>
    private readonly Dictionary<(Text.SourceText, string), VariableSymbol> _privateGlobals = new();

    /// <summary>The few files with entries in <see cref="_privateGlobals"/>: the script's own names (nearly
    /// every lookup) skip hashing a (file, name) pair that cannot be there.</summary>
    private readonly List<Text.SourceText> _tapsetGlobalFiles = new();

    private bool IsTapsetGlobalFile(Text.SourceText source)
    {
        foreach (var file in _tapsetGlobalFiles)
        {
            if (ReferenceEquals(file, source))
                return true;
        }
        return false;
    }

    public Binder(ScriptFile file, ScriptOptions options, DiagnosticBag diagnostics, IReadOnlyList<ScriptFile>? tapsets = null)
    {
        _file = file;
        _options = options;
        _diagnostics = diagnostics;
        _tapsets = tapsets ?? [];
    }

    public BoundProgram Program => _program;

    public BoundProgram Bind()
    {
        DeclareGlobals();
        DeclareFunctions();
        // stap registers the tapset's definitions of an alias name before the script's
        foreach (var tapset in _tapsets)
        {
            DeclareTapsetGlobals(tapset);
            RegisterAliases(tapset);
        }
        RegisterAliases(_file);
        // top-level %{ %} (accepted by the parser with -g) would be compiled into a kernel module
        foreach (var embedded in _file.EmbeddedCode)
            ReportEmbeddedCode(embedded.Token);

        int order = 0;
        foreach (var probe in _file.Probes)
            ResolveProbe(probe, ref order);

        while (_pendingBodies.Count > 0)
            BindFunctionBody(_pendingBodies.Dequeue());

        CheckForeachCalls();
        ComputeNesting();

        var checker = new SemanticChecker(_program, _options, _diagnostics);
        if (_diagnostics.ErrorCount != _nonBlockingErrors)
        {
            ReportLvalueErrors(all: true);
        }
        else if (_options.Unoptimized)
        {
            // stap finds a bad assignment target while looking for dead stores; without that pass, only in pass 3
            foreach (var (message, token, chain) in _deferredLvalueErrors)
                _program.TranslateDiagnostics.ReportSemanticError("elaborate:lvalue", message, token, chain);
            new Optimizer(_program, _options, _diagnostics).Run(() => false);
        }
        else if (new Optimizer(_program, _options, _diagnostics).Run(() => ReportLvalueErrors(all: false)))
        {
            checker.ElideEmptyProbes();
        }
        ReportInvalidIncDecTargets();

        // stap still type-checks after a rejected $value use, so those errors do not block inference
        if (_diagnostics.ErrorCount == _nonBlockingErrors)
            new TypeResolver(_program, _diagnostics).Run();

        if (_diagnostics.ErrorCount == 0)
        {
            // checked by stap only once the types are settled
            foreach (var (message, token) in _deferredProcfsErrors)
                _diagnostics.ReportSemanticError("procfs:read-op", message, token);
        }

        if (_diagnostics.ErrorCount == 0)
            checker.Run();

        return _program;
    }

    private bool _hasInvalidIncDec;

    /// <summary>The deferred "Expecting lvalue" errors; stap stops at the first when it optimizes.</summary>
    private bool ReportLvalueErrors(bool all)
    {
        foreach (var (message, token, chain) in _deferredLvalueErrors)
        {
            _diagnostics.ReportSemanticError("elaborate:lvalue", message, token, chain);
            if (!all)
                break;
        }
        return _deferredLvalueErrors.Count > 0;
    }

    /// <summary><c>4++</c>, <c>f()++</c>: stap accepts them in pass 2 and fails in pass 3, unless the
    /// optimizer removed them first.</summary>
    private void ReportInvalidIncDecTargets()
    {
        if (!_hasInvalidIncDec)
            return;
        // the optimizer only removes such nodes, so a script without any skips the walk
        if (_invalidIncDecTargets == 0)
            return;
        var bodies = _program.Probes.Select(p => (BoundNode)p.Body)
            .Concat(_program.Functions.Where(f => f.Body is not null).Select(f => (BoundNode)f.Body!));
        foreach (var body in bodies)
        {
            foreach (var node in BoundTreeWalker.Descendants(body))
            {
                if (node is BoundIncDec { Target: not (BoundVariable or BoundElement or BoundProcfsValue) } inc)
                    _program.TranslateDiagnostics.ReportSemanticError("translate:lvalue", "invalid lvalue type", inc.Target.Token);
            }
        }
    }

    // ------------------------------------------------------------------ declarations

    private void RegisterAliases(ScriptFile file)
    {
        foreach (var alias in file.Aliases)
        {
            foreach (var name in alias.Names)
            {
                if (name.Components.Any(c => c.HasWildcard))
                {
                    // an alias name must be a plain point; this one is never registered
                    var specific = Diagnostic.Semantic("invalid use of wildcard probe point component", null, "elaborate:alias-wildcard");
                    _diagnostics.ReportSemanticError("elaborate:registering", "while registering probe alias", alias.Token, specific);
                    continue;
                }
                string key = PointKey(name);
                if (!_aliases.TryGetValue(key, out var list))
                    _aliases[key] = list = new();
                list.Add(alias);
            }
        }
    }

    private void DeclareTapsetGlobals(ScriptFile tapset)
    {
        foreach (var g in tapset.Globals)
        {
            var symbol = new VariableSymbol(g.Name, g.Token, isGlobal: true)
            {
                Initializer = g.Initializer,
                IsPrivate = g.IsPrivate,
                IsTapset = true,
            };
            if (g.Initializer is StringLiteralExpression)
                symbol.Type = ScriptType.String;
            else if (g.Initializer is NumberLiteralExpression)
                symbol.Type = ScriptType.Long;
            if (g.Initializer is not null)
            {
                symbol.TypeToken = g.Initializer.Token;
                symbol.Arity = 0;
                symbol.ArityToken = g.Token;
            }
            _privateGlobals[(g.Token.Source, g.Name)] = symbol;
            if (!_tapsetGlobalFiles.Contains(g.Token.Source))
                _tapsetGlobalFiles.Add(g.Token.Source);
            // a public tapset global is visible everywhere, unless the script declares the name itself
            if (!g.IsPrivate)
                _globals.TryAdd(g.Name, symbol);
        }
    }

    private void DeclareGlobals()
    {
        foreach (var g in _file.Globals)
        {
            var symbol = new VariableSymbol(g.Name, g.Token, isGlobal: true)
            {
                Wrap = g.Wrap,
                MaxSize = g.MaxSize,
                Initializer = g.Initializer,
                IsPrivate = g.IsPrivate,
            };
            if (g.MaxSize is not null)
            {
                // A declared size makes it an array of yet unknown arity.
            }
            if (g.Initializer is NumberLiteralExpression)
            {
                symbol.Type = ScriptType.Long;
                symbol.TypeToken = g.Initializer.Token;
                symbol.Arity = 0;
                symbol.ArityToken = g.Token;
            }
            else if (g.Initializer is StringLiteralExpression)
            {
                symbol.Type = ScriptType.String;
                symbol.TypeToken = g.Initializer.Token;
                symbol.Arity = 0;
                symbol.ArityToken = g.Token;
            }
            _globals[g.Name] = symbol;
        }
    }

    private void DeclareFunctions()
    {
        foreach (var f in _file.Functions)
        {
            if (!_functionDeclarations.TryGetValue(f.Name, out var list))
                _functionDeclarations[f.Name] = list = new();
            list.Add(f);
        }
    }

    private VariableSymbol? LookupGlobal(string name, Token token)
    {
        if ((!token.IsDefault && IsTapsetGlobalFile(token.Source) && _privateGlobals.TryGetValue((token.Source, name), out var g))
            || _globals.TryGetValue(name, out g))
        {
            if (g.ReferenceOrder < 0)
            {
                g.ReferenceOrder = _referenceOrder++;
                _program.Globals.Add(g);
            }
            return g;
        }
        if (ArgumentGlobal(name) is { } arg)
        {
            arg.ReferenceOrder = _referenceOrder++;
            _program.Globals.Add(arg);
            return arg;
        }
        return null;
    }

    /// <summary>
    /// tapset/argv.stp's <c>argc</c> (long) and <c>argv[N]</c> (string by long, 1-based), declared the first
    /// time a script names them; the interpreter fills them from the script arguments before any probe.
    /// </summary>
    private VariableSymbol? ArgumentGlobal(string name)
    {
        if (name is not ("argc" or "argv"))
            return null;
        var symbol = new VariableSymbol(name, default, isGlobal: true) { IsTapset = true, IsWritten = true };
        if (name == "argc")
        {
            symbol.Type = ScriptType.Long;
            symbol.Arity = 0;
        }
        else
        {
            symbol.Type = ScriptType.String;
            symbol.Arity = 1;
            symbol.EnsureIndexSlots(1);
            symbol.IndexTypes[0] = ScriptType.Long;
        }
        _globals[name] = symbol;
        return symbol;
    }

    // ------------------------------------------------------------------ bodies

    private BodyScope NewProbeScope(ProbeKind kind, List<VariableSymbol> locals) => RentScope(kind, null, locals);

    // Scopes are entered and left strictly nested and nothing keeps one after its body is bound: the one
    // last left is reused (its tables keep their capacity) instead of new tables per probe and function.
    private BodyScope? _spareScope;

    private BodyScope RentScope(ProbeKind? kind, FunctionSymbol? function, List<VariableSymbol> locals)
    {
        var scope = _spareScope ?? new BodyScope();
        _spareScope = null;
        scope.ProbeKind = kind;
        scope.Function = function;
        scope.LocalList = locals;
        scope.LoopDepth = 0;
        return scope;
    }

    /// <summary>Leaves the current scope for <paramref name="saved"/>, keeping the left one for reuse.</summary>
    private void LeaveScope(BodyScope saved)
    {
        var left = _scope;
        _scope = saved;
        if (left is null || ReferenceEquals(left, saved))
            return;
        left.Locals.Clear();
        left.ForeachArrays.Clear();
        left.LocalList = null!;
        left.Function = null;
        left.ProbeKind = null;
        _spareScope = left;
    }

    /// <summary>Binds a probe body (plus alias prologue/epilogue blocks) in one scope.</summary>
    private BoundBlock BindProbeBody(BoundProbe derived, IReadOnlyList<BlockStatement> blocks)
    {
        var saved = _scope;
        _scope = NewProbeScope(derived.Kind, derived.Locals);
        try
        {
            if (blocks.Count == 1)
                return BindBlock(blocks[0]);
            var statements = new BoundStatement[blocks.Count];
            for (int i = 0; i < blocks.Count; i++)
                statements[i] = BindBlock(blocks[i]);
            return new BoundBlock(blocks[0].Token, statements);
        }
        finally
        {
            LeaveScope(saved);
        }
    }

    private void BindFunctionBody(FunctionSymbol function)
    {
        var declaration = function.Declaration!;
        var saved = _scope;
        _scope = RentScope(null, function, function.Locals);
        try
        {
            foreach (var p in function.Parameters)
            {
                _scope.Locals[p.Name] = p;
                _scope.LocalList.Add(p);
            }
            if (declaration.Body is BlockStatement block)
            {
                function.Body = BindBlock(block);
            }
            else
            {
                ReportEmbeddedCode(declaration.Body.Token);
                function.Body = new BoundBlock(declaration.Body.Token, []);
            }
        }
        finally
        {
            LeaveScope(saved);
        }
    }

    private void ReportEmbeddedCode(Token token)
        => _diagnostics.ReportSemanticError("bind:embedded", "embedded C code needs a kernel: procprobe runs in user space", token);

    // ------------------------------------------------------------------ statements

    private BoundBlock BindBlock(BlockStatement block)
    {
        // exact size: a statement binds to nothing only rarely (null statements, errors)
        BoundStatement[] statements = block.Statements.Length == 0 ? [] : new BoundStatement[block.Statements.Length];
        // stores through a span skip the per-element array covariance check
        Span<BoundStatement> slots = statements;
        int count = 0;
        foreach (var s in block.Statements)
        {
            var bound = BindStatement(s);
            if (bound is not null)
                slots[count++] = bound;
        }
        if (count < statements.Length)
            Array.Resize(ref statements, count);
        return new BoundBlock(block.Token, statements);
    }

    private BoundStatement? BindStatement(Statement statement)
    {
        switch (statement)
        {
            case BlockStatement b:
                return BindBlock(b);
            case NullStatement:
                return null;
            case ExpressionStatement e:
                return new BoundExpressionStatement(e.Token, BindExpression(e.Expression));
            case IfStatement i:
            {
                var condition = BindExpression(i.Condition);
                long? known = ConstantValue(condition);
                // stap reports a target symbol's resolution error only if constant folding keeps it,
                // but type-checks the folded-away branch all the same (this is what @defined is for)
                var then = BindMaybeDead(known == 0, i.Then) ?? Empty(i.Then.Token);
                var otherwise = i.Else is null ? null : BindMaybeDead(known is not null and not 0, i.Else) ?? Empty(i.Else.Token);
                return new BoundIf(i.Token, condition, then, otherwise);
            }
            case ForStatement f:
            {
                var init = f.Initializer is null ? null : BindExpression(f.Initializer.Expression);
                var condition = BindExpression(f.Condition);
                var increment = f.Increment is null ? null : BindExpression(f.Increment.Expression);
                _scope.LoopDepth++;
                var body = BindStatement(f.Body) ?? Empty(f.Body.Token);
                _scope.LoopDepth--;
                return new BoundFor(f.Token, init, condition, increment, body);
            }
            case ForeachStatement fe:
                return BindForeach(fe);
            case ReturnStatement r:
                if (_scope.Function is null)
                {
                    _diagnostics.ReportSemanticError("bind:return", "found 'return' not in function context", r.Token);
                    return null;
                }
                return new BoundReturn(r.Token, r.Value is null ? null : BindExpression(r.Value));
            case DeleteStatement d:
                return BindDelete(d);
            case NextStatement n:
                return new BoundSimpleStatement(BoundKind.Next, n.Token);
            case BreakStatement br:
                if (_scope.LoopDepth == 0 && _deadDepth == 0)
                    _program.TranslateDiagnostics.ReportSemanticError("translate:break", "cannot 'break' outside loop", br.Token);
                return new BoundSimpleStatement(BoundKind.Break, br.Token);
            case ContinueStatement c:
                if (_scope.LoopDepth == 0 && _deadDepth == 0)
                    _program.TranslateDiagnostics.ReportSemanticError("translate:continue", "cannot 'continue' outside loop", c.Token);
                return new BoundSimpleStatement(BoundKind.Continue, c.Token);
            case TryStatement t:
            {
                var tryBlock = BindBlock(t.TryBlock);
                VariableSymbol? catchVar = null;
                if (t.CatchVariable is not null)
                {
                    var bound = BindVariable(t.CatchVariable, isWrite: true);
                    if (bound is BoundVariable bv)
                    {
                        catchVar = bv.Symbol;
                        MarkWritten(bv.Symbol, t.CatchVariable.Token);
                        Typing.Learn(bv.Symbol, ScriptType.String, t.CatchVariable.Token);
                    }
                }
                var catchBlock = BindBlock(t.CatchBlock);
                return new BoundTry(t.Token, tryBlock, catchVar, catchBlock);
            }
            case EmbeddedCodeStatement ec:
                ReportEmbeddedCode(ec.Token);
                return null;
            default:
                _diagnostics.ReportSemanticError("bind:statement", "unsupported statement", statement.Token);
                return null;
        }
    }

    private static BoundStatement Empty(Token token) => new BoundBlock(token, []);

    private BoundStatement? BindForeach(ForeachStatement fe)
    {
        if (fe.Array is HistogramExpression histogram)
            return BindHistogramForeach(fe, histogram);
        if (fe.Array is not VariableExpression arrayName)
        {
            _diagnostics.ReportSemanticError("bind:foreach", "foreach source must be an array or a histogram", fe.Array.Token);
            return null;
        }
        int arity = fe.Keys.Length;
        var array = ResolveArray(arrayName.Name, arrayName.Token, arity);
        BoundExpression?[]? slice = null;
        if (!fe.Slice.IsDefault && fe.Slice.Length > 0)
        {
            // stap looks the sliced array up by the slice's arity, so a mismatch finds no such array
            if (array is not null && fe.Slice.Length != arity)
                _diagnostics.ReportSemanticError("elaborate:slice-arity",
                    $"unresolved arity-{fe.Slice.Length} global array __global_{array.Name}, missing global declaration?", fe.Array.Token);
            slice = new BoundExpression?[fe.Slice.Length];
            for (int i = 0; i < slice.Length; i++)
                slice[i] = fe.Slice[i] is { } e ? BindExpression(e) : null;
        }
        var keys = new VariableSymbol[arity];
        var keyTokens = new Token[arity];
        for (int i = 0; i < arity; i++)
        {
            keyTokens[i] = fe.Keys[i].Token;
            var bound = BindVariable(fe.Keys[i], isWrite: true);
            keys[i] = bound is BoundVariable bv ? bv.Symbol : new VariableSymbol(fe.Keys[i].Name, fe.Keys[i].Token, false);
            MarkWritten(keys[i], fe.Keys[i].Token);
        }
        VariableSymbol? value = null;
        if (fe.ValueVariable is not null)
        {
            var bound = BindVariable(fe.ValueVariable, isWrite: true);
            if (bound is BoundVariable bv)
            {
                value = bv.Symbol;
                MarkWritten(value, fe.ValueVariable.Token);
            }
        }
        if (array is not null)
            MarkRead(array);
        var limit = fe.Limit is null ? null : BindExpression(fe.Limit);
        var statOp = fe.SortAggregate switch
        {
            StatisticOperator.Sum => Evaluation.StatOp.Sum,
            StatisticOperator.Minimum => Evaluation.StatOp.Min,
            StatisticOperator.Maximum => Evaluation.StatOp.Max,
            StatisticOperator.Average => Evaluation.StatOp.Avg,
            StatisticOperator.Variance => Evaluation.StatOp.Variance,
            _ => Evaluation.StatOp.Count,
        };
        _scope.LoopDepth++;
        if (array is not null)
            _scope.ForeachArrays.Add(array);
        var body = BindStatement(fe.Body) ?? Empty(fe.Body.Token);
        if (array is not null)
            _scope.ForeachArrays.RemoveAt(_scope.ForeachArrays.Count - 1);
        _scope.LoopDepth--;
        if (array is null)
            return null;
        var result = new BoundForeach(fe.Token, array, keys, value, slice, fe.SortColumn, fe.SortDirection, statOp, limit, body,
            keyTokens, fe.ValueVariable?.Token, fe.Array.Token);
        if (fe.SortAggregate != StatisticOperator.None)
            result.HasExplicitAggregate = true;
        return result;
    }

    private BoundStatement? BindDelete(DeleteStatement d)
    {
        switch (d.Target)
        {
            case VariableExpression v:
            {
                var bound = BindVariable(v, isWrite: true, allowArray: true);
                if (bound is null)
                    return null;
                if (bound is BoundVariable bv)
                {
                    CheckForeachModification(bv.Symbol, d.Target.Token);
                    MarkWritten(bv.Symbol, v.Token);
                }
                return new BoundDelete(d.Token, bound);
            }
            case IndexExpression { Base: HistogramExpression histogram } ix:
            {
                var bucket = BindHistogramBucket(ix, histogram);
                // stap's message carries a line break before the token
                if (bucket is not null && _deadDepth == 0)
                    _program.TranslateDiagnostics.ReportSemanticError("translate:hist-delete", "cannot delete histogram bucket entries\n", histogram.Token);
                // kept although it can never run (pass 3 refuses it): for pass 2 the delete still counts
                // as a use of the statistic, which keeps it out of the end-of-run display
                return bucket is null ? null : new BoundDelete(d.Token, bucket);
            }
            case IndexExpression ix:
            {
                var element = BindIndex(ix, allowWildcard: true);
                if (element is null)
                    return null;
                CheckForeachModification(element.Array, ix.Token);
                MarkWritten(element.Array, ix.Token);
                return new BoundDelete(d.Token, element);
            }
            default:
                // target symbols included: delete takes only variables and array elements
                _diagnostics.ReportSemanticError("bind:delete", "invalid operand of delete expression", d.Target.Token);
                return null;
        }
    }

    // ------------------------------------------------------------------ symbols

    private void MarkWritten(VariableSymbol symbol, Token token)
    {
        symbol.IsWritten = true;
        if (symbol.IsGlobal && _scope.Function is { } f)
        {
            if (!_directWrites.TryGetValue(f, out var set))
                _directWrites[f] = set = new();
            set.Add(symbol);
        }
    }

    private static void MarkRead(VariableSymbol symbol) => symbol.IsRead = true;

    private void CheckForeachModification(VariableSymbol symbol, Token token)
    {
        if (symbol.IsGlobal && _scope.ForeachArrays.Contains(symbol))
        {
            _diagnostics.ReportSemanticError("elaborate:foreach-modify",
                $"variable '{symbol.Name}' modified during 'foreach' iteration", token);
        }
    }

    /// <summary>Resolves a scalar name: local, parameter, global, else a new local.</summary>
    private BoundExpression? BindVariable(VariableExpression v, bool isWrite, bool allowArray = false)
    {
        string name = v.Name;
        if (_scope.Locals.TryGetValue(name, out var local))
        {
            CheckScalarArity(local, v.Token);
            return new BoundVariable(v.Token, local);
        }
        var global = LookupGlobal(name, v.Token);
        if (global is not null)
        {
            if (allowArray && (global.Arity > 0 || (global.Arity < 0 && (global.MaxSize is not null || global.Wrap))))
                return new BoundVariable(v.Token, global);
            CheckScalarArity(global, v.Token);
            return new BoundVariable(v.Token, global);
        }
        var symbol = new VariableSymbol(name, v.Token, isGlobal: false) { Arity = 0, ArityToken = v.Token };
        _scope.Locals[name] = symbol;
        _scope.LocalList.Add(symbol);
        return new BoundVariable(v.Token, symbol);
    }

    private void CheckScalarArity(VariableSymbol symbol, Token token)
    {
        if (symbol.IsGlobal && symbol.Arity < 0 && (symbol.MaxSize is not null))
        {
            _diagnostics.ReportSemanticError("elaborate:arity-sized", "inconsistent arity", symbol.Token);
            symbol.Arity = 0;
            return;
        }
        if (symbol.Arity < 0)
        {
            symbol.Arity = 0;
            symbol.ArityToken = token;
            if (symbol.Wrap)
                _diagnostics.ReportSemanticError("elaborate:wrap-scalar", "wrapping not supported for scalars", symbol.Token);
            return;
        }
        if (symbol.Arity != 0)
            ReportInconsistentArity(symbol, 0, token);
    }

    private void ReportInconsistentArity(VariableSymbol symbol, int arity, Token token)
    {
        if (symbol.MaxSize is not null && arity == 0)
        {
            _diagnostics.ReportSemanticError("elaborate:arity-sized", "inconsistent arity", symbol.Token);
            return;
        }
        var chain = Diagnostic.Semantic($"arity {symbol.Arity} first inferred here", symbol.ArityToken, "elaborate:arity-chain");
        _diagnostics.ReportSemanticError("elaborate:arity", $"inconsistent arity ({symbol.Arity} vs {arity})", token, chain);
    }

    /// <summary>Finds the global array <paramref name="name"/> used with <paramref name="arity"/> indexes.</summary>
    private VariableSymbol? ResolveArray(string name, Token token, int arity)
    {
        var global = LookupGlobal(name, token);
        if (global is null)
        {
            _diagnostics.ReportSemanticError("elaborate:unresolved-array",
                $"unresolved arity-{arity} global array {name}, missing global declaration?", token);
            return null;
        }
        if (global.Arity < 0)
        {
            global.Arity = arity;
            global.ArityToken = token;
            global.EnsureIndexSlots(arity);
        }
        else if (global.Arity != arity)
        {
            ReportInconsistentArity(global, arity, token);
            return null;
        }
        return global;
    }

    // ------------------------------------------------------------------ expressions

    private enum TargetUse : byte
    {
        Read,
        Assign,
        IncDec,
    }

    private BoundExpression BindExpression(Expression expression)
    {
        var bound = BindExpressionOrNull(expression);
        return bound ?? new BoundLongLiteral(expression.Token, 0);
    }

    private BoundExpression? BindExpressionOrNull(Expression expression)
    {
        // one level per operator of a chain: deeper than the stack allows is "script nesting too deep"
        _stackGuard.Ensure();
        switch (expression)
        {
            case NumberLiteralExpression n:
                return new BoundLongLiteral(n.Token, n.Value);
            case StringLiteralExpression s:
                // without escapes or NULs the run-time bytes are the stored ones: one (never written) array serves both
                return new BoundStringLiteral(s.Token,
                    s.Content.AsSpan().IndexOfAny((byte)'\\', (byte)0) < 0 ? s.Content : s.GetValue(), s.Content);
            case VariableExpression v:
            {
                var bound = BindVariable(v, isWrite: false);
                if (bound is BoundVariable bv)
                    MarkRead(bv.Symbol);
                return bound;
            }
            case IndexExpression { Base: HistogramExpression histogram } ix:
                return BindHistogramBucket(ix, histogram);
            case IndexExpression ix:
            {
                var element = BindIndex(ix, allowWildcard: false);
                if (element is not null)
                    MarkRead(element.Array);
                return element;
            }
            case BinaryExpression b:
            {
                var op = BinaryOp(b.Operator);
                if (op == BoundOp.ShrLogical)
                    _program.HasShiftRightLogical = true;
                return new BoundBinary(b.Token, op, BindExpression(b.Left), BindExpression(b.Right));
            }
            case UnaryExpression u:
                return new BoundUnary(u.Token, u.Operator switch
                {
                    SyntaxKind.MinusToken => BoundOp.Negate,
                    SyntaxKind.PlusToken => BoundOp.Plus,
                    SyntaxKind.BangToken => BoundOp.Not,
                    _ => BoundOp.Complement,
                }, BindExpression(u.Operand));
            case LogicalExpression l:
            {
                bool isOr = l.Operator == SyntaxKind.BarBarToken;
                var left = BindExpression(l.Left);
                bool shortCircuited = ConstantValue(left) is long known && (known != 0) == isOr;
                var right = BindMaybeDead(shortCircuited, l.Right);
                return new BoundLogical(l.Token, isOr ? BoundOp.LogicalOr : BoundOp.LogicalAnd, left, right);
            }
            case ComparisonExpression c:
                return new BoundComparison(c.Token, c.Operator switch
                {
                    SyntaxKind.LessToken => BoundOp.Lt,
                    SyntaxKind.LessEqualsToken => BoundOp.Le,
                    SyntaxKind.GreaterToken => BoundOp.Gt,
                    SyntaxKind.GreaterEqualsToken => BoundOp.Ge,
                    SyntaxKind.EqualsEqualsToken => BoundOp.Eq,
                    _ => BoundOp.Ne,
                }, BindExpression(c.Left), BindExpression(c.Right));
            case ConcatenationExpression cc:
                return new BoundConcat(cc.Token, BindExpression(cc.Left), BindExpression(cc.Right));
            case TernaryExpression t:
            {
                var condition = BindExpression(t.Condition);
                long? known = ConstantValue(condition);
                var whenTrue = BindMaybeDead(known == 0, t.WhenTrue);
                var whenFalse = BindMaybeDead(known is not null and not 0, t.WhenFalse);
                return new BoundTernary(t.Token, condition, whenTrue, whenFalse);
            }
            case AssignmentExpression a:
                return BindAssignment(a);
            case PreIncrementExpression pre:
                return BindIncDec(pre.Token, pre.Operand, isPrefix: true, pre.Operator == SyntaxKind.PlusPlusToken);
            case PostIncrementExpression post:
                return BindIncDec(post.Token, post.Operand, isPrefix: false, post.Operator == SyntaxKind.PlusPlusToken);
            case InExpression { Element.Base: HistogramExpression histogram } ie:
                return BindHistogramBucket(ie.Element, histogram);
            case InExpression ie:
            {
                var element = BindIndex(ie.Element, allowWildcard: true);
                if (element is null)
                    return null;
                MarkRead(element.Array);
                return new BoundIn(ie.Token, element) { Type = ScriptType.Long };
            }
            case RegexMatchExpression rm:
                return BindRegex(rm);
            case CallExpression call:
                return BindCall(call);
            case PrintFormatExpression p:
                return BindPrint(p);
            case StatisticExpression st:
                return BindStatistic(st);
            case TargetSymbolExpression ts:
                return BindTargetSymbol(ts, TargetUse.Read, BoundOp.None);
            case HistogramExpression h:
                _diagnostics.ReportSemanticError("bind:hist", "histograms are not supported by procprobe", h.Token);
                return null;
            case EmbeddedCodeExpression ec:
                ReportEmbeddedCode(ec.Token);
                return null;
            case DefinedExpression de:
                return BindDefined(de);
            default:
                _diagnostics.ReportSemanticError("bind:kernel-expr",
                    $"'{expression.Token.GetTextString()}' needs a kernel: procprobe runs in user space", expression.Token);
                return null;
        }
    }

    private static BoundOp BinaryOp(SyntaxKind kind) => kind switch
    {
        SyntaxKind.PlusToken or SyntaxKind.PlusEqualsToken => BoundOp.Add,
        SyntaxKind.MinusToken or SyntaxKind.MinusEqualsToken => BoundOp.Sub,
        SyntaxKind.StarToken or SyntaxKind.StarEqualsToken => BoundOp.Mul,
        SyntaxKind.SlashToken or SyntaxKind.SlashEqualsToken => BoundOp.Div,
        SyntaxKind.PercentToken or SyntaxKind.PercentEqualsToken => BoundOp.Mod,
        SyntaxKind.LessLessToken or SyntaxKind.LessLessEqualsToken => BoundOp.Shl,
        SyntaxKind.GreaterGreaterToken or SyntaxKind.GreaterGreaterEqualsToken => BoundOp.Shr,
        SyntaxKind.GreaterGreaterGreaterToken => BoundOp.ShrLogical,
        SyntaxKind.AmpersandToken or SyntaxKind.AmpersandEqualsToken => BoundOp.And,
        SyntaxKind.BarToken or SyntaxKind.BarEqualsToken => BoundOp.Or,
        SyntaxKind.CaretToken or SyntaxKind.CaretEqualsToken => BoundOp.Xor,
        SyntaxKind.EqualsToken => BoundOp.Assign,
        SyntaxKind.DotEqualsToken => BoundOp.ConcatAssign,
        SyntaxKind.LessLessLessToken => BoundOp.StatAdd,
        _ => BoundOp.None,
    };

    private BoundElement? BindIndex(IndexExpression ix, bool allowWildcard)
    {
        if (ix.Base is not VariableExpression name)
        {
            _diagnostics.ReportSemanticError("bind:hist", "histograms are not supported by procprobe", ix.Base.Token);
            return null;
        }
        RegisterNames(ix);
        var array = ResolveArray(name.Name, name.Token, ix.Indexes.Length);
        var indexes = new BoundExpression?[ix.Indexes.Length];
        for (int i = 0; i < indexes.Length; i++)
        {
            if (ix.Indexes[i] is { } e)
            {
                indexes[i] = BindExpression(e);
            }
            else if (!allowWildcard)
            {
                _diagnostics.ReportSemanticError("elaborate:wildcard", "wildcard not allowed in array index", ix.Token);
            }
        }
        if (array is null)
            return null;
        return new BoundElement(ix.Token, array, indexes);
    }

    /// <summary>
    /// Meets the variables of <paramref name="e"/> in stap's resolution order (an assignment's target
    /// before its value, an element's indexes before its array), ahead of binding, which takes the value
    /// and the array first. Globals are listed and locals declared in first-reference order (-p2), so
    /// this only declares a local the binding would declare anyway; it reports nothing.
    /// </summary>
    private void RegisterNames(Expression e)
    {
        switch (e)
        {
            case VariableExpression v:
                if (!_scope.Locals.ContainsKey(v.Name) && LookupGlobal(v.Name, v.Token) is null)
                {
                    var symbol = new VariableSymbol(v.Name, v.Token, isGlobal: false) { Arity = 0, ArityToken = v.Token };
                    _scope.Locals[v.Name] = symbol;
                    _scope.LocalList.Add(symbol);
                }
                break;
            case IndexExpression { Base: VariableExpression array } ix:
                foreach (var index in ix.Indexes)
                {
                    if (index is not null)
                        RegisterNames(index);
                }
                LookupGlobal(array.Name, array.Token);
                break;
            case BinaryExpression b:
                RegisterNames(b.Left);
                RegisterNames(b.Right);
                break;
            case ComparisonExpression c:
                RegisterNames(c.Left);
                RegisterNames(c.Right);
                break;
            case ConcatenationExpression cc:
                RegisterNames(cc.Left);
                RegisterNames(cc.Right);
                break;
            case UnaryExpression u:
                RegisterNames(u.Operand);
                break;
            case AssignmentExpression a:
                RegisterNames(a.Left);
                RegisterNames(a.Right);
                break;
        }
    }

    private BoundExpression? BindAssignment(AssignmentExpression a)
    {
        BoundOp op = BinaryOp(a.Operator);
        RegisterNames(a.Left);
        var value = BindExpression(a.Right);
        if (a.Left is not (VariableExpression or IndexExpression or TargetSymbolExpression))
        {
            // kept whole, so what the target reads and writes still counts until the error stops pass 2
            var left = BindExpressionOrNull(a.Left);
            ReportLvalue(a.Token, a.Left.Token);
            return left is null ? value : new BoundAssignment(a.Token, op, left, value);
        }
        BoundExpression? target = BindLvalue(a.Left, a.Token, op, TargetUse.Assign);
        if (target is null)
            return value; // keeps the right side in the tree, so its warnings still appear
        return new BoundAssignment(a.Token, op, target, value);
    }

    private BoundExpression? BindIncDec(Token token, Expression operand, bool isPrefix, bool isIncrement)
    {
        if (operand is not (VariableExpression or IndexExpression or TargetSymbolExpression))
        {
            // kept as written: the optimizer may drop it; otherwise it fails in pass 3
            _hasInvalidIncDec = true;
            var value = BindExpressionOrNull(operand);
            if (value is null)
                return null;
            _invalidIncDecTargets++;
            return new BoundIncDec(token, value, isPrefix, isIncrement) { Type = ScriptType.Long };
        }
        var target = BindLvalue(operand, token, BoundOp.Add, TargetUse.IncDec);
        if (target is null)
            return null;
        if (target is not (BoundVariable or BoundElement or BoundProcfsValue))
            _invalidIncDecTargets++;
        return new BoundIncDec(token, target, isPrefix, isIncrement) { Type = ScriptType.Long };
    }

    /// <summary>How many <c>++</c>/<c>--</c> were bound with a target that is not a variable, element or
    /// $value; while 0, <see cref="ReportInvalidIncDecTargets"/> has nothing to look for.</summary>
    private int _invalidIncDecTargets;

    /// <summary>Binds an assignment target; reports stap's lvalue errors.</summary>
    private BoundExpression? BindLvalue(Expression left, Token operatorToken, BoundOp op, TargetUse use)
    {
        switch (left)
        {
            case VariableExpression v:
            {
                var bound = BindVariable(v, isWrite: true);
                if (bound is BoundVariable bv)
                {
                    CheckForeachModification(bv.Symbol, v.Token);
                    MarkWritten(bv.Symbol, v.Token);
                    if (op != BoundOp.Assign && op != BoundOp.StatAdd)
                        MarkRead(bv.Symbol);
                    return bv;
                }
                ReportLvalue(operatorToken, left.Token);
                return null;
            }
            case IndexExpression { Base: HistogramExpression histogram } ix:
            {
                // assignments are refused in pass 2, ++/-- only when stap translates them
                var bucket = BindHistogramBucket(ix, histogram);
                if (use == TargetUse.IncDec)
                {
                    if (bucket is not null && _deadDepth == 0)
                        _program.TranslateDiagnostics.ReportSemanticError("translate:hist-assign", "cannot assign to histogram buckets", histogram.Token);
                }
                else
                {
                    ReportLvalue(operatorToken, left.Token);
                }
                return null;
            }
            case IndexExpression ix:
            {
                var element = BindIndex(ix, allowWildcard: false);
                if (element is null)
                    return null;
                CheckForeachModification(element.Array, ix.Token);
                MarkWritten(element.Array, ix.Token);
                if (op != BoundOp.Assign && op != BoundOp.StatAdd)
                    MarkRead(element.Array);
                return element;
            }
            case TargetSymbolExpression ts:
                return BindTargetSymbol(ts, use, op);
            default:
                // Bind anyway so errors inside are reported, then complain about the target.
                BindExpressionOrNull(left);
                ReportLvalue(operatorToken, left.Token);
                return null;
        }
    }

    private void ReportLvalue(Token operatorToken, Token leftToken)
    {
        var chain = Diagnostic.Semantic("", leftToken, "elaborate:lvalue-chain");
        // a misplaced '.' most likely meant a member access
        string message = leftToken.Kind == SyntaxKind.DotToken ? "Expecting lvalue for assignment, try -> instead" : "Expecting lvalue for assignment";
        _deferredLvalueErrors.Add((message, operatorToken, chain));
    }

    /// <summary>
    /// <c>$value</c> and any other target symbol: the procfs rules of procfs-semantics.md §5, checked in
    /// stap's order (name, components, lvalue/rvalue, address-of).
    /// </summary>
    private BoundExpression? BindTargetSymbol(TargetSymbolExpression ts, TargetUse use, BoundOp op)
    {
        // stap keeps a target symbol's resolution error with the expression and raises it only if the
        // expression survives constant folding; in folded-away code it never appears.
        if (_deadDepth > 0)
            return new BoundProcfsValue(ts.Token) { IsFoldedAway = true, Type = ScriptType.Unknown };
        var kind = _scope.ProbeKind;
        if (kind is not (ProbeKind.ProcfsRead or ProbeKind.ProcfsWrite))
            return new BoundProcfsValue(ts.Token) { IsInvalid = true, IsUnresolvedTarget = true, Type = ScriptType.Unknown };
        if (ts.Name != "$value")
        {
            _diagnostics.ReportSemanticError("procfs:name", "invalid target symbol for procfs probe, $value expected", ts.Token);
            return null;
        }
        if (!ts.Components.IsDefaultOrEmpty)
        {
            var c = ts.Components[0];
            string message = c.ComponentKind switch
            {
                TargetComponentKind.Member => "procfs variable '$value' may not be used as a structure",
                TargetComponentKind.Index => "procfs variable '$value' may not be used as array",
                _ => "procfs variable '$value' may not be pretty-printed",
            };
            _diagnostics.ReportSemanticError("procfs:component", message, c.Token);
            _nonBlockingErrors++;
            return new BoundProcfsValue(ts.Token) { IsInvalid = true, Type = ScriptType.Unknown };
        }
        if (kind == ProbeKind.ProcfsRead)
        {
            if (use == TargetUse.Read)
            {
                _diagnostics.ReportSemanticError("procfs:read-rvalue", "procfs $value variable cannot be read in a procfs read probe", ts.Token);
                return null;
            }
            if (use != TargetUse.Assign || (op != BoundOp.Assign && op != BoundOp.ConcatAssign))
            {
                _deferredProcfsErrors.Add((
                    "Only the following assign operators are implemented on procfs read target variables: '=', '.='", ts.Token));
                return new BoundProcfsValue(ts.Token) { Type = ScriptType.Unknown };
            }
        }
        else
        {
            if (use != TargetUse.Read)
            {
                _diagnostics.ReportSemanticError("procfs:write-lvalue", "procfs $value variable is read-only in a procfs write probe", ts.Token);
                return null;
            }
            if (ts.IsAddressOf)
            {
                _diagnostics.ReportSemanticError("procfs:address", "cannot take address of procfs variable", ts.Token);
                return null;
            }
        }
        return new BoundProcfsValue(ts.Token);
    }

    /// <summary>Binds code that constant folding removes when <paramref name="dead"/>: its target symbols are not resolved.</summary>
    private BoundStatement? BindMaybeDead(bool dead, Statement statement)
    {
        // no delegate: a lambda here made every BindStatement call allocate its closure
        if (dead)
            _deadDepth++;
        try
        {
            return BindStatement(statement);
        }
        finally
        {
            if (dead)
                _deadDepth--;
        }
    }

    /// <inheritdoc cref="BindMaybeDead(bool, Statement)"/>
    private BoundExpression BindMaybeDead(bool dead, Expression expression)
    {
        if (dead)
            _deadDepth++;
        try
        {
            return BindExpression(expression);
        }
        finally
        {
            if (dead)
                _deadDepth--;
        }
    }

    /// <summary>The value of an expression made only of integer literals (stap's constant folding), else null.</summary>
    internal static long? ConstantValue(BoundExpression e) => ConstantValue(e, 0);

    // The passes ask this of most operators and conditions: a switch on the kind (no type tests), and
    // a stack probe every 16 levels of operator nesting instead of one per call (each probe asks the
    // runtime for the thread): 16 frames of this method are far inside the margin a probe guarantees.
    private static long? ConstantValue(BoundExpression e, int depth)
    {
        switch (e.Kind)
        {
            case BoundKind.LongLiteral:
                return ((BoundLongLiteral)e).Value;
            case BoundKind.Unary:
            case BoundKind.Logical:
            case BoundKind.Comparison:
            case BoundKind.Binary:
                break;
            default:
                return null;
        }
        if (e.KnownNotConstant)
            return null;
        if ((++depth & 15) == 0)
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        long? value = OperatorValue(e, depth);
        if (value is null)
            e.KnownNotConstant = true;
        return value;
    }

    private static long? OperatorValue(BoundExpression e, int depth)
    {
        switch (e.Kind)
        {
            case BoundKind.Unary:
            {
                var u = (BoundUnary)e;
                if (ConstantValue(u.Operand, depth) is not long v)
                    return null;
                return u.Op switch
                {
                    BoundOp.Negate => unchecked(-v),
                    BoundOp.Plus => v,
                    BoundOp.Not => v == 0 ? 1 : 0,
                    BoundOp.Complement => ~v,
                    _ => null,
                };
            }
            case BoundKind.Logical:
            {
                var lg = (BoundLogical)e;
                if (ConstantValue(lg.Left, depth) is not long a || ConstantValue(lg.Right, depth) is not long b)
                    return null;
                return lg.Op == BoundOp.LogicalOr ? (a != 0 || b != 0 ? 1 : 0) : (a != 0 && b != 0 ? 1 : 0);
            }
            case BoundKind.Comparison:
            {
                var c = (BoundComparison)e;
                if (ConstantValue(c.Left, depth) is not long a || ConstantValue(c.Right, depth) is not long b)
                    return null;
                return c.Op switch
                {
                    BoundOp.Lt => a < b ? 1 : 0,
                    BoundOp.Le => a <= b ? 1 : 0,
                    BoundOp.Gt => a > b ? 1 : 0,
                    BoundOp.Ge => a >= b ? 1 : 0,
                    BoundOp.Eq => a == b ? 1 : 0,
                    _ => a != b ? 1 : 0,
                };
            }
            default:
            {
                var bin = (BoundBinary)e;
                if (ConstantValue(bin.Left, depth) is not long a || ConstantValue(bin.Right, depth) is not long b)
                    return null;
                return bin.Op switch
                {
                    BoundOp.Add => unchecked(a + b),
                    BoundOp.Sub => unchecked(a - b),
                    BoundOp.Mul => unchecked(a * b),
                    BoundOp.And => a & b,
                    BoundOp.Or => a | b,
                    BoundOp.Xor => a ^ b,
                    _ => null, // division and shifts keep their run-time checks
                };
            }
        }
    }

    private BoundExpression BindDefined(DefinedExpression de)
    {
        // @defined($value) is true exactly where $value resolves; any other operand is false.
        bool defined = de.Operand is TargetSymbolExpression { Name: "$value", Components.IsDefaultOrEmpty: true }
            && _scope.ProbeKind == ProbeKind.ProcfsWrite;
        return new BoundLongLiteral(de.Token, defined ? 1 : 0) { FromDefinedProcfsValue = defined };
    }

    private BoundExpression? BindRegex(RegexMatchExpression rm)
    {
        var left = BindExpression(rm.Left);
        byte[] pattern = rm.Pattern.GetValue();
        var regex = Evaluation.ScriptRegex.TryCreate(rm.Pattern.Content, out string? error);
        if (regex is null)
        {
            _diagnostics.ReportSemanticError("regex:invalid", error!, rm.Pattern.Token);
            return null;
        }
        return new BoundRegex(rm.Token, left, pattern, rm.IsNegated, regex) { Type = ScriptType.Long };
    }

    private BoundExpression? BindStatistic(StatisticExpression st)
    {
        var operand = st.Operand switch
        {
            VariableExpression v => BindVariable(v, isWrite: false),
            IndexExpression ix => BindIndex(ix, allowWildcard: false),
            _ => BindExpressionOrNull(st.Operand),
        };
        if (operand is null)
            return null;
        if (operand is BoundVariable { Symbol: var s })
            MarkRead(s);
        else if (operand is BoundElement el)
            MarkRead(el.Array);
        var op = st.Operator switch
        {
            StatisticOperator.Count => Evaluation.StatOp.Count,
            StatisticOperator.Sum => Evaluation.StatOp.Sum,
            StatisticOperator.Minimum => Evaluation.StatOp.Min,
            StatisticOperator.Maximum => Evaluation.StatOp.Max,
            StatisticOperator.Average => Evaluation.StatOp.Avg,
            _ => Evaluation.StatOp.Variance,
        };
        if (op == Evaluation.StatOp.Variance && st.Parameter is long shift)
        {
            if (shift < 0 || shift > 62)
            {
                _diagnostics.ReportSemanticError("stats:variance", "bit shift must be between 0 and 62", st.Token);
            }
            else
            {
                var target = operand is BoundVariable bv ? bv.Symbol : (operand as BoundElement)?.Array;
                if (target is not null && target.StatShift < shift)
                    target.StatShift = (int)shift;
            }
        }
        return new BoundStatistic(st.Token, op, operand);
    }

    // ------------------------------------------------------------------ calls

    private BoundExpression? BindCall(CallExpression call)
    {
        var args = new BoundExpression[call.Arguments.Length];
        for (int i = 0; i < args.Length; i++)
            args[i] = BindExpression(call.Arguments[i]);

        var function = ResolveFunction(call.Name, args.Length, call.Token);
        if (function is null)
            return null;
        if (function.Builtin is BuiltinId.Matched or BuiltinId.MatchedStr or BuiltinId.Ngroups)
            _program.UsesMatched = true;
        if (function.IsBuiltin)
            return new BoundBuiltinCall(call.Token, function, args) { Type = function.ReturnType };

        var bound = new BoundCall(call.Token, function, args);
        if (_scope.Function is { } caller)
        {
            if (!_callees.TryGetValue(caller, out var set))
                _callees[caller] = set = new();
            set.Add(function);
        }
        if (_scope.ForeachArrays.Count > 0)
            _callsInForeach.Add((bound, _scope.ForeachArrays.ToArray()));
        return bound;
    }

    private FunctionSymbol? ResolveFunction(string name, int arity, Token token)
    {
        if (_functionDeclarations.TryGetValue(name, out var declarations))
        {
            var matching = declarations.Where(d => d.Parameters.Length == arity).ToList();
            if (matching.Count > 0)
                return UserFunctionChain(name, arity, matching);
            if (BuiltinSignature(name, arity) is null)
            {
                var chain = Diagnostic.Semantic("", declarations[0].Token, "elaborate:arity-mismatch-chain");
                _diagnostics.ReportSemanticError("elaborate:arity-mismatch",
                    $"arity mismatch found (function '{name}' takes {declarations[0].Parameters.Length} args)", token, chain);
                return null;
            }
        }
        var builtin = BuiltinFunction(name, arity);
        if (builtin is not null)
            return builtin;
        var other = BuiltinTable.All.FirstOrDefault(b => b.Name == name);
        if (other is not null)
        {
            _diagnostics.ReportSemanticError("elaborate:arity-mismatch",
                $"arity mismatch found (function '{name}' takes {other.Parameters.Length} args)", token);
            return null;
        }
        if (BuiltinTable.KernelOnly.Contains(name))
        {
            _diagnostics.ReportSemanticError("bind:kernel-function",
                $"function '{name}' needs a kernel: procprobe runs in user space", token);
            return null;
        }
        _diagnostics.ReportSemanticError("elaborate:unresolved-function", UnresolvedFunctionMessage(name), token);
        return null;
    }

    /// <summary>stap suggests from its whole tapset library plus the script functions resolution has
    /// reached so far (an unreferenced function is never offered).</summary>
    private string UnresolvedFunctionMessage(string name)
    {
        var candidates = new SortedSet<string>(TapsetFunctionNames.All, StringComparer.Ordinal);
        foreach (var f in _functionSymbols.Keys)
            candidates.Add(f.Name);
        var similar = Suggestions.Closest(name, candidates, 5);
        return similar.Count == 0 ? $"unresolved function {name}" : $"unresolved function {name} (similar: {string.Join(", ", similar)})";
    }

    private static BuiltinSignature? BuiltinSignature(string name, int arity)
        => BuiltinTable.All.FirstOrDefault(b => b.Name == name && b.Parameters.Length == arity);

    private FunctionSymbol? BuiltinFunction(string name, int arity)
    {
        if (_builtinSymbols.TryGetValue((name, arity), out var existing))
            return existing;
        var signature = BuiltinSignature(name, arity);
        if (signature is null)
            return null;
        var symbol = new FunctionSymbol(name, default, null)
        {
            Builtin = signature.Id,
            ReturnType = signature.ReturnType,
        };
        symbol.Parameters = signature.Parameters
            .Select(p => new VariableSymbol(p.Name, default, false) { IsParameter = true, Arity = 0, Type = p.Type })
            .ToArray();
        _builtinSymbols[(name, arity)] = symbol;
        symbol.Index = _program.Functions.Count;
        _program.Functions.Add(symbol);
        return symbol;
    }

    private FunctionSymbol UserFunctionChain(string name, int arity, List<FunctionDeclaration> matching)
    {
        // Overloads run in priority order (ties in declaration order); a tapset function of the same
        // signature comes last, so `next` in the script's version reaches it.
        var ordered = matching.OrderBy(d => d.Priority).ToList();
        FunctionSymbol? first = null;
        FunctionSymbol? previous = null;
        foreach (var declaration in ordered)
        {
            var symbol = UserFunction(declaration);
            if (first is null)
                first = symbol;
            else if (previous is not null && previous.NextOverload is null)
                previous.NextOverload = symbol;
            previous = symbol;
        }
        if (previous is not null && previous.NextOverload is null && BuiltinFunction(name, arity) is { } builtin)
            previous.NextOverload = builtin;
        return first!;
    }

    private FunctionSymbol UserFunction(FunctionDeclaration declaration)
    {
        if (_functionSymbols.TryGetValue(declaration, out var existing))
            return existing;
        var symbol = new FunctionSymbol(declaration.Name, declaration.Token, declaration) { Priority = declaration.Priority };
        if (declaration.ReturnType != DeclaredType.None)
        {
            symbol.ReturnType = declaration.ReturnType == DeclaredType.Long ? ScriptType.Long : ScriptType.String;
            symbol.ReturnTypeToken = declaration.Token;
        }
        var parameters = new VariableSymbol[declaration.Parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = declaration.Parameters[i];
            parameters[i] = new VariableSymbol(p.Name, p.Token, false) { IsParameter = true, Arity = 0, ArityToken = p.Token };
            if (p.Type != DeclaredType.None)
            {
                parameters[i].Type = p.Type == DeclaredType.Long ? ScriptType.Long : ScriptType.String;
                parameters[i].TypeToken = p.Token;
            }
            parameters[i].IsWritten = true;
        }
        symbol.Parameters = parameters;
        _functionSymbols[declaration] = symbol;
        symbol.Index = _program.Functions.Count;
        _program.Functions.Add(symbol);
        _pendingBodies.Enqueue(symbol);
        return symbol;
    }

    // ------------------------------------------------------------------ print family

    /// <summary>
    /// The operand of <c>@hist_log(x)</c>/<c>@hist_linear(x, ...)</c>: a stats global or element. The
    /// histogram shape is recorded on the global so that every <c>&lt;&lt;&lt;</c> fills its buckets.
    /// </summary>
    private (BoundExpression Operand, VariableSymbol Stats)? BindHistogramOperand(HistogramExpression h)
    {
        var operand = h.Operand switch
        {
            VariableExpression v => BindVariable(v, isWrite: false),
            IndexExpression ix => BindIndex(ix, allowWildcard: false),
            _ => BindExpressionOrNull(h.Operand),
        };
        if (operand is null)
            return null;
        var target = operand is BoundVariable bv ? bv.Symbol : (operand as BoundElement)?.Array;
        if (target is null)
        {
            _diagnostics.ReportSemanticError("stats:hist-operand", "histogram operand must be a global statistics variable", h.Operand.Token);
            return null;
        }
        // a local operand is left to type resolution, which turns it into statistics and then refuses
        // it as stap does ("stat locals not supported")
        MarkRead(target);
        Evaluation.HistogramSpec? spec;
        if (h.IsLinear)
        {
            string? error = null;
            spec = h.Parameters.Length == 3
                ? Evaluation.HistogramSpec.Linear(h.Parameters[0], h.Parameters[1], h.Parameters[2], out error)
                : null;
            if (spec is null)
            {
                _diagnostics.ReportSemanticError("stats:hist-linear", error ?? "wrong number of parameters to @hist_linear", h.Token);
                return null;
            }
        }
        else
        {
            spec = Evaluation.HistogramSpec.Log;
        }
        if (target.Histogram is { } existing && !existing.SameShape(spec))
        {
            _diagnostics.ReportSemanticError("stats:hist-conflict", $"multiple histogram types declared on '__global_{target.Name}'", h.Token);
            return null;
        }
        target.Histogram = spec;
        return (operand, target);
    }

    /// <summary><c>print(@hist_log(x))</c> and friends: the histogram drawn in ASCII.</summary>
    private BoundExpression? BindHistogramPrint(PrintFormatExpression p, HistogramExpression h)
    {
        if (BindHistogramOperand(h) is not var (operand, _))
            return null;
        var bound = new BoundPrint(p.Token, p.Function, []) { HistogramOperand = operand };
        bound.Type = bound.IsString ? ScriptType.String : ScriptType.Long;
        return bound;
    }

    /// <summary><c>@hist_log(x)[i]</c> and <c>i in @hist_log(x)</c> (one index, never <c>*</c>).</summary>
    private BoundExpression? BindHistogramBucket(IndexExpression ix, HistogramExpression h)
    {
        var histogram = BindHistogramOperand(h);
        BoundExpression? index = null;
        if (ix.Indexes.Length != 1 || ix.Indexes[0] is null)
            _diagnostics.ReportSemanticError("elaborate:wildcard", "wildcard not allowed in array index", ix.Token);
        else
            index = BindExpression(ix.Indexes[0]!);
        if (histogram is not var (operand, stats) || index is null)
            return null;
        return new BoundHistogramBucket(h.Token, operand, stats, index);
    }

    /// <summary><c>foreach ([v =] b in @hist_*(x) ...)</c>: one key, the bucket number.</summary>
    private BoundStatement? BindHistogramForeach(ForeachStatement fe, HistogramExpression h)
    {
        var histogram = BindHistogramOperand(h);
        if (fe.Keys.Length != 1)
            _diagnostics.ReportSemanticError("typeresolution:hist-keys", "unresolved type ", fe.Token);
        // slice expressions are parsed but take no part in the loop, as in stap
        VariableSymbol? key = null;
        if (fe.Keys.Length > 0 && BindVariable(fe.Keys[0], isWrite: true) is BoundVariable kv)
        {
            key = kv.Symbol;
            MarkWritten(key, fe.Keys[0].Token);
        }
        VariableSymbol? value = null;
        if (fe.ValueVariable is not null && BindVariable(fe.ValueVariable, isWrite: true) is BoundVariable vv)
        {
            value = vv.Symbol;
            MarkWritten(value, fe.ValueVariable.Token);
        }
        var limit = fe.Limit is null ? null : BindExpression(fe.Limit);
        _scope.LoopDepth++;
        var body = BindStatement(fe.Body) ?? Empty(fe.Body.Token);
        _scope.LoopDepth--;
        if (histogram is not var (operand, stats) || key is null || fe.Keys.Length != 1)
            return null;
        return new BoundHistogramForeach(fe.Token, operand, stats, key, value, limit, body, fe.Keys[0].Token, fe.ValueVariable?.Token);
    }

    private BoundExpression? BindPrint(PrintFormatExpression p)
    {
        if (p.Histogram is not null)
            return BindHistogramPrint(p, p.Histogram);
        var args = new BoundExpression[p.Arguments.Length];
        for (int i = 0; i < args.Length; i++)
            args[i] = BindExpression(p.Arguments[i]);
        var bound = new BoundPrint(p.Token, p.Function, args);
        bound.Type = bound.IsString ? ScriptType.String : ScriptType.Long;
        if (p.Format is not null)
        {
            // scripts repeat a handful of formats; a parsed format is immutable and shared
            if (!_formats.TryGetValue(p.Format.Content, out var format))
            {
                byte[] value = p.Format.GetValue();
                var parsed = Runtime.Printf.PrintfFormat.Parse(value);
                if (!parsed.Success)
                {
                    _diagnostics.ReportSemanticError("print:format", parsed.ErrorMessage ?? "invalid format", p.Format.Token);
                    return null;
                }
                format = parsed.Format!;
                _formats.Add(p.Format.Content, format);
            }
            // stap accepts %m through pass 3; procprobe can only refuse it before running
            if (format.UsesMemoryConversion && _deadDepth == 0)
                _program.TranslateDiagnostics.ReportSemanticError("print:memory", "%m and %M need a kernel: procprobe runs in user space", p.Token);
            bound.Format = format;
            bound.FormatStored = p.Format.Content;
        }
        if (p.Delimiter is not null)
        {
            bound.Delimiter = p.Delimiter.GetValue();
            bound.DelimiterStored = p.Delimiter.Content;
        }
        if (args.Length > 32 && _deadDepth == 0)
            _program.TranslateDiagnostics.ReportSemanticError("translate:print-args", $"too many arguments to print ({args.Length})", p.Token);
        return bound;
    }

    // ------------------------------------------------------------------ call-graph facts

    private HashSet<VariableSymbol> TransitiveWrites(FunctionSymbol f, HashSet<FunctionSymbol> visiting)
    {
        var result = new HashSet<VariableSymbol>();
        if (!visiting.Add(f))
            return result;
        if (_directWrites.TryGetValue(f, out var direct))
            result.UnionWith(direct);
        if (_callees.TryGetValue(f, out var callees))
        {
            foreach (var c in callees)
                result.UnionWith(TransitiveWrites(c, visiting));
        }
        return result;
    }

    private void CheckForeachCalls()
    {
        foreach (var (call, arrays) in _callsInForeach)
        {
            var writes = TransitiveWrites(call.Function, new HashSet<FunctionSymbol>());
            foreach (var a in arrays)
            {
                if (writes.Contains(a))
                {
                    _diagnostics.ReportSemanticError("elaborate:foreach-call",
                        $"function call modifies var '{a.Name}' during 'foreach' iteration", call.Token);
                }
            }
        }
    }

    private void ComputeNesting()
    {
        // stap's default MAXNESTING: the deepest static call chain + 1, plus 10 when recursion exists.
        int deepest = 0;
        bool recursion = false;
        var memo = new Dictionary<FunctionSymbol, int>();
        var onStack = new HashSet<FunctionSymbol>();
        int Depth(FunctionSymbol f)
        {
            if (memo.TryGetValue(f, out int d))
                return d;
            if (!onStack.Add(f))
            {
                recursion = true;
                return 0;
            }
            int best = 0;
            if (_callees.TryGetValue(f, out var callees))
            {
                foreach (var c in callees)
                    best = Math.Max(best, Depth(c));
            }
            if (f.NextOverload is { IsBuiltin: false } next)
                best = Math.Max(best, Depth(next) - 1);
            onStack.Remove(f);
            memo[f] = best + 1;
            return best + 1;
        }
        foreach (var f in _program.Functions)
        {
            if (!f.IsBuiltin)
                deepest = Math.Max(deepest, Depth(f));
        }
        _program.HasRecursion = recursion;
        _program.StaticNesting = deepest + 1 + (recursion ? 10 : 0);
    }

    private static string PointKey(ProbePoint point)
        => string.Join(".", point.Components.Select(c => c.Name));
}

/// <summary>Type learning shared by the binder and the resolver: the first inference wins and is remembered.</summary>
internal static class Typing
{
    public static void Learn(VariableSymbol symbol, ScriptType type, Token token)
    {
        if (symbol.Type == ScriptType.Unknown && type != ScriptType.Unknown)
        {
            symbol.Type = type;
            symbol.TypeToken = token;
        }
    }
}

/// <summary>
/// stap's "(similar: ...)" lists: the closest candidates by its weighted edit distance, ties in name
/// order. Inside the words a change costs 2 (1 when only the letter case differs), as does an inserted
/// or deleted character; characters added or removed at the front cost 1 each.
/// </summary>
internal static class Suggestions
{
    public static List<string> Closest(string name, IEnumerable<string> candidates, int max, bool includeSelf = false)
    {
        var scored = new List<(int Score, string Name)>();
        foreach (var c in candidates)
        {
            if (c.Length > 0 && (includeSelf || c != name))
                scored.Add((Distance(name, c), c));
        }
        // a plain sort: LINQ's OrderBy/ThenBy are generic virtual methods that Native AOT instantiates at
        // run time, at a cost every start-up paid when a warning looked for suggestions
        scored.Sort((x, y) => x.Score != y.Score ? x.Score.CompareTo(y.Score) : string.CompareOrdinal(x.Name, y.Name));
        var closest = new List<string>(Math.Min(max, scored.Count));
        for (int i = 0; i < scored.Count && closest.Count < max; i++)
            closest.Add(scored[i].Name);
        return closest;
    }

    internal static int Distance(string a, string b)
    {
        // one row of the (a.Length+1) x (b.Length+1) table at a time; the first row and column cost 1 per step
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
            row[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                char x = a[i - 1], y = b[j - 1];
                if (x == y)
                {
                    row[j] = diagonal;
                }
                else
                {
                    int change = char.ToLowerInvariant(x) == char.ToLowerInvariant(y) ? 1 : 2;
                    row[j] = Math.Min(Math.Min(diagonal + change, above + 2), row[j - 1] + 2);
                }
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
