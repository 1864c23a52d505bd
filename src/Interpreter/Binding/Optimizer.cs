using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Binding;

/// <summary>
/// stap's first pass-2 optimizer, which runs after symbol resolution and before type inference: it
/// drops unreachable functions, unused variables, stores to variables nobody reads and expression
/// statements without side effects, and reduces unused values to their operands, repeating until a
/// round changes nothing. Its warnings come from the first round only. What it removes is never type
/// checked, so errors inside it are not reported; running the result is indistinguishable from running
/// the original, except that removed code cannot fail at run time (as in stap).
/// </summary>
internal sealed class Optimizer
{
    private const string TapsetDirectory = "/usr/share/systemtap/tapset/";

    private readonly BoundProgram _program;
    private readonly ScriptOptions _options;
    private readonly DiagnosticBag _diagnostics;
    private bool _relaxed;
    private bool _warn;

    public Optimizer(BoundProgram program, ScriptOptions options, DiagnosticBag diagnostics)
    {
        _program = program;
        _options = options;
        _diagnostics = diagnostics;
        _scratch = new VarUse(null, _numbering, 0);
    }

    /// <summary>Runs the rounds. <paramref name="afterFirstStoreElision"/> reports the lvalue errors stap
    /// raises while it looks for dead stores; it returns true when it reported any, which ends pass 2.</summary>
    public bool Run(Func<bool> afterFirstStoreElision)
    {
        VarUse use;
        for (int round = 0; ; round++)
        {
            _relaxed = true;
            _usesDropped = false;
            _warn = round == 0 && !_options.SuppressWarnings;
            // no body changes before the dead-store step, so its first steps share one walk
            use = ProgramUse();
            RemoveUnreachableFunctions(use);
            if (!_options.Unoptimized)
            {
                RemoveUnusedVariables(round, use);
                RemoveDeadStores(use);
                if (round == 0 && afterFirstStoreElision())
                    return false;
                RemoveDeadStatements();
            }
            // -u keeps everything else, but unused values are still reduced and constants folded
            ReduceVoidStatements();
            if (!CheckFoldableOperators())
                return false;
            FoldConstantBranches();
            if (!_options.Unoptimized)
                RemoveUnreachableStatements();
            if (_relaxed || round > 1000)
                break;
        }
        if (!_options.Unoptimized)
            RefreshGlobalUse(_relaxed && !_usesDropped ? use : ProgramUse());
        return true;
    }

    /// <summary>Set when a step drops code that uses variables without counting as a change for the rounds
    /// (an empty <c>if</c>, <c>for</c> or <c>foreach</c>, a <c>try</c> with nothing left to try, an unread
    /// catch variable): the round's walk then no longer describes the code.</summary>
    private bool _usesDropped;

    /// <summary>stap's constant folder has no rule for <c>&gt;&gt;&gt;</c>: two constant operands end pass 2.</summary>
    private bool CheckFoldableOperators()
    {
        // the optimizer never makes a >>> the binder did not
        if (!_program.HasShiftRightLogical)
            return true;
        var bodies = Probes.Select(p => (BoundNode)p.Body).Concat(ScriptFunctions.Select(f => (BoundNode)f.Body!));
        foreach (var body in bodies)
        {
            foreach (var node in BoundTreeWalker.Descendants(body))
            {
                if (node is BoundBinary { Op: BoundOp.ShrLogical } b
                    && Binder.ConstantValue(b.Left) is not null && Binder.ConstantValue(b.Right) is not null)
                {
                    _diagnostics.ReportSemanticError("constfold:operator", "unsupported binary operator >>>", null);
                    return false;
                }
            }
        }
        return true;
    }

    private Dictionary<FunctionSymbol, VarUse>? _summaries;

    /// <summary>Forgets the function summaries: called whenever bodies may have changed.</summary>
    private void Invalidate() => _summaries = _program.HasRecursion ? null : new();

    private VarUse NewUse() => new(_summaries, _numbering, _numbering.Count);

    // every variable set of this run numbers its variables here, so that the sets are bitsets
    private readonly VariableNumbering _numbering = new();

    private readonly VarUse _scratch;

    private StackGuard _stackGuard;

    /// <summary>An empty analysis for a check of one statement or call: such checks never overlap, and
    /// one reused analysis saves building three sets per statement. They ask only what the code writes
    /// and whether it has effects, so the analysis skips the reads.</summary>
    private VarUse ScratchUse()
    {
        _scratch.Reset(_summaries, writesOnly: true);
        return _scratch;
    }

    /// <summary>What the probes (bodies and conditions) use, following calls.</summary>
    private VarUse ProgramUse()
    {
        Invalidate();
        // the whole program's sets end up holding most variables: sized once instead of grown step by step
        int variables = _program.Globals.Count;
        foreach (var p in Probes)
            variables += p.Locals.Count;
        foreach (var f in _program.Functions)
            variables += f.Locals.Count + f.Parameters.Length;
        _numbering.Reserve(variables);
        var use = new VarUse(_summaries, _numbering, variables);
        foreach (var p in Probes)
        {
            use.Statement(p.Body);
            if (p.Condition is not null)
                use.Expression(p.Condition, Access.Read);
        }
        return use;
    }

    private void Warn(string message, Token token)
    {
        if (Warns(token))
            _diagnostics.ReportWarning("warning:" + message, message, token);
    }

    /// <summary>Whether a warning at <paramref name="token"/> is shown: tapset code never warns, so its
    /// suggestion lists are not worth computing.</summary>
    private bool Warns(Token token) => _warn && !IsTapset(token);

    private static bool IsTapset(Token token)
        => !token.IsDefault && token.Source.FileName.StartsWith(TapsetDirectory, StringComparison.Ordinal);

    private IEnumerable<BoundProbe> Probes => _program.Probes;

    private IEnumerable<FunctionSymbol> ScriptFunctions
    {
        get
        {
            // sorted once per change of the function list (bodies are replaced, never removed)
            if (_scriptFunctions is null || _scriptFunctionsOf != _program.Functions.Count)
            {
                _scriptFunctions = _program.Functions.Where(f => !f.IsBuiltin && f.Body is not null)
                    .OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
                _scriptFunctionsOf = _program.Functions.Count;
            }
            return _scriptFunctions;
        }
    }

    private List<FunctionSymbol>? _scriptFunctions;
    private int _scriptFunctionsOf;

    // ------------------------------------------------------------------ opt1: unreachable functions

    private void RemoveUnreachableFunctions(VarUse use)
    {
        int before = _program.Functions.Count;
        _program.Functions.RemoveAll(f => !use.Called.Contains(f));
        if (_program.Functions.Count == before)
            return;
        _relaxed = false;
        for (int i = 0; i < _program.Functions.Count; i++)
            _program.Functions[i].Index = i;
    }

    // ------------------------------------------------------------------ opt2: unused variables

    private void RemoveUnusedVariables(int round, VarUse use)
    {
        // the suggestion candidates are needed only for a never-assigned warning: made then, not per body
        List<string>? globalNames = null;
        foreach (var p in Probes)
            PruneLocals(p.Locals, null, use, round, ref globalNames);
        foreach (var f in ScriptFunctions)
            PruneLocals(f.Locals, f.Parameters, use, round, ref globalNames);

        for (int i = 0; i < _program.Globals.Count;)
        {
            var g = _program.Globals[i];
            if (!use.Read.Contains(g) && !use.Written.Contains(g))
            {
                Warn($"Eliding unused variable '{g.Name}'", g.Token);
                _program.Globals.RemoveAt(i);
                _relaxed = false;
                continue;
            }
            // the binder's flag also covers globals set from the command line (argc, argv)
            if (!use.Written.Contains(g) && !g.IsWritten && g.Initializer is null && round == 0 && !g.IsArray && Warns(g.Token))
            {
                // the global's own name is a candidate too: stap compares it against a mangled name
                var similar = Suggestions.Closest(g.Name, VisibleGlobalNames().Distinct(), 5, includeSelf: true);
                Warn(similar.Count == 0
                    ? $"never-assigned global variable '{g.Name}'"
                    : $"never-assigned global variable '{g.Name}' (similar: {string.Join(", ", similar)})", g.Token);
            }
            i++;
        }
    }

    /// <summary>The names a suggestion may offer from the globals (private ones are mangled in stap).</summary>
    private List<string> VisibleGlobalNames()
    {
        var names = new List<string>(_program.Globals.Count);
        foreach (var g in _program.Globals)
        {
            if (!g.IsPrivate)
                names.Add(g.Name);
        }
        return names;
    }

    private void PruneLocals(List<VariableSymbol> locals, VariableSymbol[]? parameters, VarUse use, int round,
                             ref List<string>? globalNames)
    {
        for (int i = 0; i < locals.Count;)
        {
            var l = locals[i];
            if (l.IsParameter)
            {
                // parameters are part of the function's signature, never pruned or reported
                i++;
                continue;
            }
            if (!use.Read.Contains(l) && !use.Written.Contains(l))
            {
                Warn($"Eliding unused variable '{l.Name}'", l.Token);
                locals.RemoveAt(i);
                _relaxed = false;
                continue;
            }
            if (!use.Written.Contains(l) && round == 0 && Warns(l.Token))
            {
                // the globals as they were before this step removed any; the body's names as they are now
                globalNames ??= VisibleGlobalNames();
                WarnNeverAssigned(l, locals, parameters, globalNames);
            }
            i++;
        }
    }

    // out of PruneLocals' loop: the lambda's closure would otherwise be allocated for every local
    private void WarnNeverAssigned(VariableSymbol l, List<VariableSymbol> locals, VariableSymbol[]? parameters,
                                   List<string> globalNames)
    {
        var candidates = (parameters ?? []).Select(x => x.Name).Concat(locals.Select(x => x.Name)).Concat(globalNames);
        var similar = Suggestions.Closest(l.Name, candidates.Where(n => n != l.Name).Distinct(), 5);
        Warn(similar.Count == 0
            ? $"never-assigned local variable '{l.Name}'"
            : $"never-assigned local variable '{l.Name}' (similar: {string.Join(", ", similar)})", l.Token);
    }

    // ------------------------------------------------------------------ opt3: stores nobody reads

    private VarUse _storeUse = null!;

    private void RemoveDeadStores(VarUse programUse)
    {
        Invalidate();
        // only the bodies count here; without probe conditions that is the round's walk
        if (_program.Probes.Exists(p => p.Condition is not null))
        {
            _storeUse = NewUse();
            foreach (var p in Probes)
                _storeUse.Statement(p.Body);
        }
        else
        {
            _storeUse = programUse;
            // that walk entered every function still listed, so a store it did not see written-but-unread
            // cannot be dead: without such a local (or catch variable, even a global one), the rewrite
            // would change nothing
            if (!HasUnreadLocalStore(_storeUse))
                return;
        }
        foreach (var p in Probes)
            p.Body = AsBlock(MapStatement(p.Body, DeadStore, StoreStatement), p.Body.Token);
        foreach (var f in ScriptFunctions)
            f.Body = AsBlock(MapStatement(f.Body!, DeadStore, StoreStatement), f.Body!.Token);
    }

    private static bool HasUnreadLocalStore(VarUse use)
    {
        foreach (var v in use.Written)
        {
            if (!v.IsGlobal && !use.Read.Contains(v))
                return true;
        }
        if (use.CatchVariables is { } caught)
        {
            foreach (var v in caught)
            {
                if (!use.Read.Contains(v))
                    return true;
            }
        }
        return false;
    }

    private BoundExpression DeadStore(BoundExpression e)
    {
        if (e is not BoundAssignment a)
            return e;
        VariableSymbol? target = a.Target switch
        {
            BoundVariable v => v.Symbol,
            BoundElement el => el.Array,
            _ => null, // $value: its store is the point
        };
        if (target is null || target.IsGlobal || _storeUse.Read.Contains(target))
            return e;
        var left = ScratchUse();
        left.Expression(a.Target, Access.Read);
        if (!left.SideEffectFree)
            return e;
        Warn($"Eliding assignment to '{target.Name}'", a.Token);
        _relaxed = false;
        return a.Value;
    }

    private BoundStatement? StoreStatement(BoundStatement s)
    {
        // a catch variable nobody reads is dropped, and with it the string type its catch gave it
        if (s is BoundTry { CatchVariable: { } v } t && !_storeUse.Read.Contains(v))
        {
            if (v.TypeToken.Equals(v.Token))
            {
                v.Type = ScriptType.Unknown;
                v.TypeToken = default;
            }
            _usesDropped = true;
            return new BoundTry(t.Token, t.TryBlock, null, t.CatchBlock);
        }
        return s;
    }

    // ------------------------------------------------------------------ opt4: statements without effect

    // The variables a statement may not write and still be elided: the program's globals (one set per
    // round) and the body's own locals and parameters. Copying the globals into every body's set made
    // this pass O(globals × bodies): minutes for a 10 MB script.
    private readonly HashSet<VariableSymbol> _focalGlobals = new();
    private readonly HashSet<VariableSymbol> _focal = new();

    private void SetFocal(List<VariableSymbol>? locals, VariableSymbol[]? parameters = null)
    {
        _focal.Clear();
        if (locals is not null)
            _focal.UnionWith(locals);
        if (parameters is not null)
            _focal.UnionWith(parameters);
    }

    private Func<VariableSymbol, bool>? _isFocal;

    private bool IsFocal(VariableSymbol v) => _focal.Contains(v) || (v.IsGlobal && _focalGlobals.Contains(v));

    private void RemoveDeadStatements()
    {
        Invalidate();
        _focalGlobals.Clear();
        _focalGlobals.UnionWith(_program.Globals);
        foreach (var p in Probes)
        {
            SetFocal(p.Locals);
            p.Body = AsBlock(DeadStatement(p.Body), p.Body.Token);
        }
        foreach (var f in ScriptFunctions)
        {
            SetFocal(f.Locals, f.Parameters);
            var body = DeadStatement(f.Body!);
            if (body is null)
                Warn($"side-effect-free function '{f.Name}'", f.Token);
            f.Body = AsBlock(body, f.Body!.Token);
        }
    }

    private BoundStatement? DeadStatement(BoundStatement s)
    {
        switch (s)
        {
            case BoundBlock b:
            {
                // the list is made only once a statement goes or changes: usually none does
                List<BoundStatement>? kept = null;
                var statements = b.Statements;
                for (int i = 0; i < statements.Length; i++)
                {
                    var child = statements[i];
                    var n = DeadStatement(child);
                    if (kept is null)
                    {
                        if (n is not BoundBlock && ReferenceEquals(n, child))
                            continue;
                        kept = new List<BoundStatement>(statements.Length);
                        for (int j = 0; j < i; j++)
                            kept.Add(statements[j]);
                    }
                    if (n is BoundBlock nested)
                    {
                        kept.AddRange(nested.Statements);
                        _relaxed = false;
                    }
                    else if (n is not null)
                    {
                        kept.Add(n);
                    }
                }
                if (kept is null)
                    return statements.Length switch { 0 => null, 1 => statements[0], _ => b };
                if (kept.Count == 0)
                    return null;
                if (kept.Count == 1)
                    return kept[0];
                b.Statements = kept.ToArray();
                return b;
            }
            case BoundTry t:
            {
                var tryBlock = DeadStatement(t.TryBlock);
                var catchBlock = DeadStatement(t.CatchBlock);
                if (tryBlock is null)
                {
                    _usesDropped = true;
                    return null;
                }
                return WithBlocks(t, AsBlock(tryBlock, t.TryBlock.Token), AsBlock(catchBlock, t.CatchBlock.Token));
            }
            case BoundIf i:
            {
                var then = DeadStatement(i.Then);
                var otherwise = i.Else is null ? null : DeadStatement(i.Else);
                if (then is null)
                {
                    if (otherwise is null)
                    {
                        var use = ScratchUse();
                        use.Expression(i.Condition, Access.Read);
                        if (!use.SideEffectFree)
                            return new BoundExpressionStatement(i.Condition.Token, i.Condition);
                        _usesDropped = true;
                        return null;
                    }
                    var inverted = new BoundUnary(i.Condition.Token, BoundOp.Not, i.Condition);
                    return new BoundIf(i.Token, inverted, otherwise, null);
                }
                return WithBranches(i, then, otherwise);
            }
            case BoundForeach fe:
            {
                var body = DeadStatement(fe.Body);
                if (body is null)
                {
                    _usesDropped = true;
                    return null;
                }
                return ReplaceBody(fe, body);
            }
            case BoundFor f:
            {
                var body = DeadStatement(f.Body);
                if (body is null)
                {
                    var use = ScratchUse();
                    if (f.Init is not null)
                        use.Expression(f.Init, Access.Read);
                    use.Expression(f.Condition, Access.Read);
                    if (f.Increment is not null)
                        use.Expression(f.Increment, Access.Read);
                    if (use.SideEffectFree)
                    {
                        _usesDropped = true;
                        return null;
                    }
                    body = new BoundBlock(f.Token, []);
                }
                return WithBody(f, body);
            }
            case BoundExpressionStatement es:
            {
                if (StoresIntoFocal(es.Expression))
                    return s;
                var use = ScratchUse();
                use.Expression(es.Expression, Access.Read);
                if (!use.SideEffectFreeWith(_isFocal ??= IsFocal))
                    return s;
                Warn("Eliding side-effect-free expression ", es.Token);
                _relaxed = false;
                return null;
            }
            default:
                return s;
        }
    }

    /// <summary>The common statements, answered without a walk: an assignment or <c>++</c> whose target is
    /// a focal variable (or <c>$value</c>), and output. The walk would find the same write or effect.</summary>
    private bool StoresIntoFocal(BoundExpression e)
    {
        BoundExpression target;
        switch (e)
        {
            case BoundAssignment a:
                target = a.Target;
                break;
            case BoundIncDec inc:
                target = inc.Target;
                break;
            case BoundPrint { IsString: false }:
                return true;
            default:
                return false;
        }
        return target switch
        {
            BoundVariable v => IsFocal(v.Symbol),
            BoundElement el => IsFocal(el.Array),
            BoundProcfsValue => true,
            _ => false,
        };
    }

    private static BoundForeach ReplaceBody(BoundForeach fe, BoundStatement body)
        => ReferenceEquals(body, fe.Body) ? fe : new BoundForeach(fe.Token, fe.Array, fe.Keys, fe.Value, fe.Slice, fe.SortColumn,
            fe.SortDirection, fe.SortAggregate, fe.Limit, body, fe.KeyTokens, fe.ValueToken, fe.ArrayToken)
        {
            HasExplicitAggregate = fe.HasExplicitAggregate,
        };

    // The rewrites keep a statement whose parts come back unchanged (these nodes hold nothing else), so
    // that a round that changes nothing allocates nothing.
    private static BoundIf WithBranches(BoundIf i, BoundStatement then, BoundStatement? otherwise)
        => ReferenceEquals(then, i.Then) && ReferenceEquals(otherwise, i.Else) ? i : new BoundIf(i.Token, i.Condition, then, otherwise);

    private static BoundFor WithBody(BoundFor f, BoundStatement body)
        => ReferenceEquals(body, f.Body) ? f : new BoundFor(f.Token, f.Init, f.Condition, f.Increment, body);

    private static BoundTry WithBlocks(BoundTry t, BoundBlock tryBlock, BoundBlock catchBlock)
        => ReferenceEquals(tryBlock, t.TryBlock) && ReferenceEquals(catchBlock, t.CatchBlock)
            ? t
            : new BoundTry(t.Token, tryBlock, t.CatchVariable, catchBlock);

    private static BoundBlock AsBlock(BoundStatement? s, Token token) => s switch
    {
        null => new BoundBlock(token, []),
        BoundBlock b => b,
        _ => new BoundBlock(s.Token, [s]),
    };

    // ------------------------------------------------------------------ opt5: unused values

    private void ReduceVoidStatements()
    {
        Invalidate();
        // -u runs this step without the dead-statement step, which otherwise fills the globals in
        _focalGlobals.Clear();
        _focalGlobals.UnionWith(_program.Globals);
        SetFocal(null);
        foreach (var p in Probes)
            p.Body = AsBlock(ReduceStatement(p.Body), p.Body.Token);
        foreach (var f in ScriptFunctions)
            f.Body = AsBlock(ReduceStatement(f.Body!), f.Body!.Token);
    }

    private BoundStatement ReduceStatement(BoundStatement s)
    {
        switch (s)
        {
            case BoundBlock b:
                for (int i = 0; i < b.Statements.Length; i++)
                    b.Statements[i] = ReduceStatement(b.Statements[i]);
                return b;
            case BoundIf i:
                return WithBranches(i, ReduceStatement(i.Then), i.Else is null ? null : ReduceStatement(i.Else));
            case BoundFor f:
                return WithBody(f, ReduceStatement(f.Body));
            case BoundForeach fe:
                return ReplaceBody(fe, ReduceStatement(fe.Body));
            case BoundExpressionStatement es:
                return ReduceValue(es) ?? s;
            default:
                return s;
        }
    }

    /// <summary>The statements that evaluate only the parts of an unused value that matter, or null to keep it.</summary>
    private BoundStatement? ReduceValue(BoundExpressionStatement es)
    {
        BoundStatement? reduced;
        switch (es.Expression)
        {
            case BoundLogical l:
            {
                // "a || b" for effect is "if (!a) b"; "a && b" is "if (a) b"
                var condition = l.Op == BoundOp.LogicalOr ? new BoundUnary(l.Token, BoundOp.Not, l.Left) : l.Left;
                reduced = new BoundIf(l.Token, condition, Evaluate(l.Right), null);
                break;
            }
            case BoundTernary t:
                reduced = new BoundIf(t.Token, t.Condition, Evaluate(t.WhenTrue), Evaluate(t.WhenFalse));
                break;
            case BoundBinary b:
                reduced = Sequence(b.Token, b.Left, b.Right);
                break;
            case BoundComparison c:
                reduced = Sequence(c.Token, c.Left, c.Right);
                break;
            case BoundConcat cc:
                reduced = Sequence(cc.Token, cc.Left, cc.Right);
                break;
            case BoundUnary u:
                reduced = new BoundExpressionStatement(es.Token, u.Operand);
                break;
            case BoundRegex rx:
                reduced = new BoundExpressionStatement(es.Token, rx.Left);
                break;
            case BoundProcfsValue:
                // an unused target value has nothing left to evaluate
                reduced = new BoundBlock(es.Token, []);
                break;
            case BoundCall call when call.Arguments.Length > 0 && PureCall(call):
                reduced = Sequence(call.Token, call.Arguments);
                break;
            case BoundBuiltinCall bc when bc.Arguments.Length > 0 && !HasEffects(bc.Id):
                reduced = Sequence(bc.Token, bc.Arguments);
                break;
            case BoundPrint { IsString: true, HistogramOperand: null } p when p.Arguments.Length > 0:
                reduced = Sequence(p.Token, p.Arguments);
                break;
            default:
                return null;
        }
        _relaxed = false;
        return ReduceStatement(reduced);
    }

    private bool PureCall(BoundCall call)
    {
        for (var f = call.Function; f is not null; f = f.NextOverload)
        {
            if (f.IsBuiltin)
            {
                if (HasEffects(f.Builtin))
                    return false;
                continue;
            }
            if (f.Body is null)
                return false;
            var use = ScratchUse();
            use.EnterFunction(f);
            if (!use.SideEffectFreeWith(_isFocal ??= IsFocal))
                return false;
        }
        return true;
    }

    private static BoundExpressionStatement Evaluate(BoundExpression e) => new(e.Token, e);

    private static BoundBlock Sequence(Token token, params BoundExpression[] parts)
        => new(token, parts.Select(p => (BoundStatement)Evaluate(p)).ToArray());

    // ------------------------------------------------------------------ constant folding, dead control

    private FunctionSymbol? _owner;

    /// <summary><c>if</c> and <c>for</c> statements whose condition is a constant keep only what runs. The
    /// branch dropped is kept aside: stap type-checks it before it folds it away.</summary>
    private void FoldConstantBranches()
    {
        _owner = null;
        foreach (var p in Probes)
            p.Body = AsBlock(Fold(p.Body), p.Body.Token);
        foreach (var f in ScriptFunctions)
        {
            _owner = f;
            f.Body = AsBlock(Fold(f.Body!), f.Body!.Token);
        }
        _owner = null;
    }

    private void Discard(BoundStatement? s)
    {
        if (s is not null)
            _program.FoldedAway.Add((_owner, s));
    }

    private BoundStatement Fold(BoundStatement s)
    {
        _stackGuard.Ensure();
        switch (s)
        {
            case BoundBlock b:
                for (int i = 0; i < b.Statements.Length; i++)
                    b.Statements[i] = Fold(b.Statements[i]);
                return b;
            case BoundIf i when Binder.ConstantValue(i.Condition) is long known:
            {
                _relaxed = false;
                var live = known != 0 ? i.Then : i.Else;
                Discard(known != 0 ? i.Else : i.Then);
                return live is null ? new BoundBlock(i.Token, []) : Fold(live);
            }
            case BoundIf i:
                return WithBranches(i, Fold(i.Then), i.Else is null ? null : Fold(i.Else));
            case BoundFor f when Binder.ConstantValue(f.Condition) is 0:
                _relaxed = false;
                Discard(f.Body);
                return f.Init is null ? new BoundBlock(f.Token, []) : new BoundExpressionStatement(f.Init.Token, f.Init);
            case BoundFor f:
                return WithBody(f, Fold(f.Body));
            case BoundForeach fe:
                return ReplaceBody(fe, Fold(fe.Body));
            case BoundTry t:
                return WithBlocks(t, AsBlock(Fold(t.TryBlock), t.TryBlock.Token), AsBlock(Fold(t.CatchBlock), t.CatchBlock.Token));
            default:
                return s;
        }
    }

    /// <summary>In a block, what follows <c>return</c>, <c>next</c>, <c>break</c> or <c>continue</c> never runs.
    /// As in stap, a block's last statement is not looked into.</summary>
    private void RemoveUnreachableStatements()
    {
        _owner = null;
        foreach (var p in Probes)
            CutAfterControl(p.Body);
        foreach (var f in ScriptFunctions)
        {
            _owner = f;
            CutAfterControl(f.Body!);
        }
        _owner = null;
    }

    private void CutAfterControl(BoundStatement s)
    {
        _stackGuard.Ensure();
        if (s is not BoundBlock b)
        {
            // most statements hold only expressions: nothing to cut below them
            if (s is BoundExpressionStatement or BoundReturn or BoundDelete or BoundSimpleStatement)
                return;
            foreach (var child in BoundTreeWalker.Children(s))
            {
                if (child is BoundStatement cs)
                    CutAfterControl(cs);
            }
            return;
        }
        for (int i = 0; i < b.Statements.Length - 1; i++)
        {
            var child = b.Statements[i];
            CutAfterControl(child);
            if (child is BoundReturn or BoundSimpleStatement { Kind: BoundKind.Next or BoundKind.Break or BoundKind.Continue })
            {
                for (int j = i + 1; j < b.Statements.Length; j++)
                    Discard(b.Statements[j]);
                b.Statements = b.Statements[..(i + 1)];
                _relaxed = false;
                break;
            }
        }
    }

    // ------------------------------------------------------------------ tree mapping for opt3

    private BoundStatement MapStatement(BoundStatement s, Func<BoundExpression, BoundExpression> f, Func<BoundStatement, BoundStatement?> statement)
    {
        // direct recursion, no local functions: a capturing closure per node was most of this step's garbage
        BoundStatement mapped;
        switch (s)
        {
            case BoundBlock b:
                for (int i = 0; i < b.Statements.Length; i++)
                    b.Statements[i] = MapStatement(b.Statements[i], f, statement);
                mapped = b;
                break;
            case BoundExpressionStatement es:
            {
                var e = MapExpression(es.Expression, f);
                mapped = ReferenceEquals(e, es.Expression) ? es : new BoundExpressionStatement(es.Token, e);
                break;
            }
            case BoundIf i:
            {
                var condition = MapExpression(i.Condition, f);
                var then = MapStatement(i.Then, f, statement);
                mapped = new BoundIf(i.Token, condition, then, i.Else is null ? null : MapStatement(i.Else, f, statement));
                break;
            }
            case BoundFor fo:
            {
                var init = fo.Init is null ? null : MapExpression(fo.Init, f);
                var condition = MapExpression(fo.Condition, f);
                var increment = fo.Increment is null ? null : MapExpression(fo.Increment, f);
                mapped = new BoundFor(fo.Token, init, condition, increment, MapStatement(fo.Body, f, statement));
                break;
            }
            case BoundForeach fe:
            {
                var slice = fe.Slice is null ? null : MapOptionalArray(fe.Slice, f);
                var limit = fe.Limit is null ? null : MapExpression(fe.Limit, f);
                mapped = new BoundForeach(fe.Token, fe.Array, fe.Keys, fe.Value, slice, fe.SortColumn, fe.SortDirection,
                    fe.SortAggregate, limit, MapStatement(fe.Body, f, statement), fe.KeyTokens, fe.ValueToken, fe.ArrayToken)
                {
                    HasExplicitAggregate = fe.HasExplicitAggregate,
                };
                break;
            }
            case BoundReturn r:
                mapped = r.Value is null ? r : new BoundReturn(r.Token, MapExpression(r.Value, f));
                break;
            case BoundTry t:
            {
                var tryBlock = (BoundBlock)MapStatement(t.TryBlock, f, statement);
                mapped = new BoundTry(t.Token, tryBlock, t.CatchVariable, (BoundBlock)MapStatement(t.CatchBlock, f, statement));
                break;
            }
            default:
                mapped = s; // delete, next, break, continue and anything newer keep their operands
                break;
        }
        return statement(mapped) ?? mapped;
    }

    /// <summary>Maps each operand in order (absent ones stay absent); the same array when none changed.</summary>
    private static BoundExpression?[] MapOptionalArray(BoundExpression?[] items, Func<BoundExpression, BoundExpression> f)
    {
        BoundExpression?[]? copy = null;
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i] is not { } item)
                continue;
            var mapped = MapExpression(item, f);
            if (!ReferenceEquals(mapped, item))
            {
                copy ??= (BoundExpression?[])items.Clone();
                copy[i] = mapped;
            }
        }
        return copy ?? items;
    }

    private static BoundExpression[] MapArray(BoundExpression[] items, Func<BoundExpression, BoundExpression> f)
    {
        BoundExpression[]? copy = null;
        for (int i = 0; i < items.Length; i++)
        {
            var mapped = MapExpression(items[i], f);
            if (!ReferenceEquals(mapped, items[i]))
            {
                copy ??= (BoundExpression[])items.Clone();
                copy[i] = mapped;
            }
        }
        return copy ?? items;
    }

    /// <summary>Post-order rewrite: children first, then <paramref name="f"/> on the node; unchanged subtrees
    /// keep their identity (and their already inferred types).</summary>
    private static BoundExpression MapExpression(BoundExpression e, Func<BoundExpression, BoundExpression> f)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        BoundExpression rebuilt = e;
        switch (e)
        {
            case BoundBinary b:
            {
                var l = MapExpression(b.Left, f);
                var r = MapExpression(b.Right, f);
                if (!ReferenceEquals(l, b.Left) || !ReferenceEquals(r, b.Right))
                    rebuilt = new BoundBinary(b.Token, b.Op, l, r) { Type = b.Type };
                break;
            }
            case BoundLogical lg:
            {
                var l = MapExpression(lg.Left, f);
                var r = MapExpression(lg.Right, f);
                if (!ReferenceEquals(l, lg.Left) || !ReferenceEquals(r, lg.Right))
                    rebuilt = new BoundLogical(lg.Token, lg.Op, l, r) { Type = lg.Type };
                break;
            }
            case BoundComparison c:
            {
                var l = MapExpression(c.Left, f);
                var r = MapExpression(c.Right, f);
                if (!ReferenceEquals(l, c.Left) || !ReferenceEquals(r, c.Right))
                    rebuilt = new BoundComparison(c.Token, c.Op, l, r) { Type = c.Type };
                break;
            }
            case BoundConcat cc:
            {
                var l = MapExpression(cc.Left, f);
                var r = MapExpression(cc.Right, f);
                if (!ReferenceEquals(l, cc.Left) || !ReferenceEquals(r, cc.Right))
                    rebuilt = new BoundConcat(cc.Token, l, r) { Type = cc.Type };
                break;
            }
            case BoundUnary u:
            {
                var o = MapExpression(u.Operand, f);
                if (!ReferenceEquals(o, u.Operand))
                    rebuilt = new BoundUnary(u.Token, u.Op, o) { Type = u.Type };
                break;
            }
            case BoundTernary t:
            {
                var c = MapExpression(t.Condition, f);
                var a = MapExpression(t.WhenTrue, f);
                var b = MapExpression(t.WhenFalse, f);
                if (!ReferenceEquals(c, t.Condition) || !ReferenceEquals(a, t.WhenTrue) || !ReferenceEquals(b, t.WhenFalse))
                    rebuilt = new BoundTernary(t.Token, c, a, b) { Type = t.Type };
                break;
            }
            case BoundAssignment a:
            {
                var target = MapExpression(a.Target, f);
                var value = MapExpression(a.Value, f);
                if (!ReferenceEquals(target, a.Target) || !ReferenceEquals(value, a.Value))
                    rebuilt = new BoundAssignment(a.Token, a.Op, target, value) { Type = a.Type };
                break;
            }
            case BoundElement el:
            {
                var indexes = MapOptionalArray(el.Indexes, f);
                if (!ReferenceEquals(indexes, el.Indexes))
                    rebuilt = new BoundElement(el.Token, el.Array, indexes) { Type = el.Type };
                break;
            }
            case BoundCall call:
            {
                var args = MapArray(call.Arguments, f);
                if (!ReferenceEquals(args, call.Arguments))
                    rebuilt = new BoundCall(call.Token, call.Function, args) { Type = call.Type };
                break;
            }
            case BoundBuiltinCall bc:
            {
                var args = MapArray(bc.Arguments, f);
                if (!ReferenceEquals(args, bc.Arguments))
                    rebuilt = new BoundBuiltinCall(bc.Token, bc.Function, args) { Type = bc.Type };
                break;
            }
            case BoundPrint p when p.HistogramOperand is null:
            {
                var args = MapArray(p.Arguments, f);
                if (!ReferenceEquals(args, p.Arguments))
                {
                    rebuilt = new BoundPrint(p.Token, p.Function, args)
                    {
                        Type = p.Type,
                        Format = p.Format,
                        FormatStored = p.FormatStored,
                        Delimiter = p.Delimiter,
                        DelimiterStored = p.DelimiterStored,
                    };
                }
                break;
            }
        }
        return f(rebuilt);
    }

    // ------------------------------------------------------------------ global use after the rounds

    /// <summary>The end-of-run display and the listings see the globals as the optimized code uses them.</summary>
    private void RefreshGlobalUse(VarUse use)
    {
        foreach (var g in _program.Globals)
        {
            if (g.IsTapset)
                continue;
            g.IsRead = use.Read.Contains(g);
            g.IsWritten = use.Written.Contains(g) || g.Initializer is not null && g.IsWritten;
        }
    }

    // ------------------------------------------------------------------ variable use and side effects

    /// <summary>Tapset functions that act on the session (stap's embedded C without the pure tag).</summary>
    internal static bool HasEffects(BuiltinId id) => id is BuiltinId.Exit or BuiltinId.Abort or BuiltinId.Error
        or BuiltinId.Assert1 or BuiltinId.Assert2 or BuiltinId.Log or BuiltinId.Warn or BuiltinId.Tokenize1
        or BuiltinId.Tokenize2 or BuiltinId.Randint;

    private enum Access : byte { Read, Write, ReadWrite }

    /// <summary>Which variables some code reads and writes, following calls into function bodies (each
    /// once), and whether it does anything else that is observable (output, session control, $value stores).</summary>
    private sealed class VarUse
    {
        /// <param name="summaries">What each function's body uses, shared by the walks of one step; null when
        /// the call graph has cycles (a summary would then be cut short by the call that closes the cycle).</param>
        /// <param name="capacity">How many variables the walk may meet (the sets are sized for them).</param>
        public VarUse(Dictionary<FunctionSymbol, VarUse>? summaries, VariableNumbering numbering, int capacity)
        {
            _summaries = summaries;
            _numbering = numbering;
            Read = new(numbering, capacity);
            Written = new(numbering, capacity);
        }

        private Dictionary<FunctionSymbol, VarUse>? _summaries;
        private readonly VariableNumbering _numbering;
        public readonly VarSet Read;
        public readonly VarSet Written;
        public readonly HashSet<FunctionSymbol> Called = new();
        public bool Effects;
        private StackGuard _stackGuard;

        /// <summary>The catch variables met (not by the write-only checks).</summary>
        public List<VariableSymbol>? CatchVariables;

        public bool SideEffectFree => Written.IsEmpty && !Effects;

        // walks the (small) written set: Overlaps would walk the whole focal set every time
        public bool SideEffectFreeWith(Func<VariableSymbol, bool> focal)
        {
            if (Effects)
                return false;
            foreach (var v in Written)
            {
                if (focal(v))
                    return false;
            }
            return true;
        }

        private bool _writesOnly;

        /// <summary>Empties the analysis for another walk with <paramref name="summaries"/>; with
        /// <paramref name="writesOnly"/> it leaves <see cref="Read"/> empty.</summary>
        public void Reset(Dictionary<FunctionSymbol, VarUse>? summaries, bool writesOnly)
        {
            _summaries = summaries;
            _writesOnly = writesOnly;
            Read.Clear();
            Written.Clear();
            Called.Clear();
            CatchVariables?.Clear();
            Effects = false;
        }

        public void EnterFunction(FunctionSymbol f)
        {
            if (!Called.Add(f))
                return;
            if (f.IsBuiltin)
            {
                if (HasEffects(f.Builtin))
                    Effects = true;
                return;
            }
            if (f.Body is null)
                return;
            if (_summaries is null)
            {
                Statement(f.Body);
                return;
            }
            if (!_summaries.TryGetValue(f, out var summary))
            {
                summary = new VarUse(_summaries, _numbering, _numbering.Count);
                summary.Called.Add(f);
                summary.Statement(f.Body);
                _summaries[f] = summary;
            }
            if (!_writesOnly)
            {
                Read.UnionWith(summary.Read);
                if (summary.CatchVariables is not null)
                    (CatchVariables ??= new()).AddRange(summary.CatchVariables);
            }
            Written.UnionWith(summary.Written);
            AddAll(Called, summary.Called);
            Effects |= summary.Effects;
        }

        // UnionWith takes any IEnumerable and boxes the set's enumerator: this runs once per call met
        private static void AddAll(HashSet<FunctionSymbol> target, HashSet<FunctionSymbol> source)
        {
            foreach (var item in source)
                target.Add(item);
        }

        private void Use(VariableSymbol v, Access access)
        {
            if (access != Access.Write && !_writesOnly)
                Read.Add(v);
            if (access != Access.Read)
                Written.Add(v);
        }

        public void Statement(BoundStatement s)
        {
            _stackGuard.Ensure();
            switch (s.Kind) // a jump table: every statement of every walk comes here
            {
                case BoundKind.ExpressionStatement:
                    var es = (BoundExpressionStatement)s;
                    Expression(es.Expression, Access.Read);
                    break;
                // the common nodes spelled out (children in BoundTreeWalker's order), the rest generically
                case BoundKind.Block:
                    var b = (BoundBlock)s;
                    foreach (var statement in b.Statements)
                        Statement(statement);
                    break;
                case BoundKind.If:
                    var i = (BoundIf)s;
                    Expression(i.Condition, Access.Read);
                    Statement(i.Then);
                    if (i.Else is not null)
                        Statement(i.Else);
                    break;
                case BoundKind.Return:
                    var r = (BoundReturn)s;
                    if (r.Value is not null)
                        Expression(r.Value, Access.Read);
                    break;
                case BoundKind.Foreach:
                    var fe = (BoundForeach)s;
                    Use(fe.Array, Access.Read);
                    foreach (var k in fe.Keys)
                        Use(k, Access.Write);
                    if (fe.Value is not null)
                        Use(fe.Value, Access.Write);
                    if (fe.Slice is not null)
                    {
                        foreach (var e in fe.Slice)
                        {
                            if (e is not null)
                                Expression(e, Access.Read);
                        }
                    }
                    if (fe.Limit is not null)
                        Expression(fe.Limit, Access.Read);
                    Statement(fe.Body);
                    break;
                case BoundKind.HistogramForeach:
                    var hf = (BoundHistogramForeach)s;
                    Expression(hf.Operand, Access.Read);
                    Use(hf.Key, Access.Write);
                    if (hf.Value is not null)
                        Use(hf.Value, Access.Write);
                    if (hf.Limit is not null)
                        Expression(hf.Limit, Access.Read);
                    Statement(hf.Body);
                    break;
                case BoundKind.Delete:
                    var d = (BoundDelete)s;
                    Expression(d.Target, Access.Write);
                    break;
                case BoundKind.Try:
                    var t = (BoundTry)s;
                    Statement(t.TryBlock);
                    if (t.CatchVariable is not null)
                    {
                        Use(t.CatchVariable, Access.Write);
                        if (!_writesOnly)
                            (CatchVariables ??= new()).Add(t.CatchVariable);
                    }
                    Statement(t.CatchBlock);
                    break;
                default:
                    foreach (var child in BoundTreeWalker.Children(s))
                    {
                        if (child is BoundStatement cs)
                            Statement(cs);
                        else if (child is BoundExpression ce)
                            Expression(ce, Access.Read);
                    }
                    break;
            }
        }

        public void Expression(BoundExpression e, Access access)
        {
            _stackGuard.Ensure();
            // on the kind (a jump table) rather than a type test per case: every node of every walk comes here
            switch (e.Kind)
            {
                case BoundKind.LongLiteral or BoundKind.StringLiteral:
                    break;
                case BoundKind.Variable:
                    Use(((BoundVariable)e).Symbol, access);
                    break;
                case BoundKind.Binary:
                {
                    var b = (BoundBinary)e;
                    Expression(b.Left, Access.Read);
                    Expression(b.Right, Access.Read);
                    break;
                }
                case BoundKind.Comparison:
                {
                    var c = (BoundComparison)e;
                    Expression(c.Left, Access.Read);
                    Expression(c.Right, Access.Read);
                    break;
                }
                case BoundKind.Concat:
                {
                    var cc = (BoundConcat)e;
                    Expression(cc.Left, Access.Read);
                    Expression(cc.Right, Access.Read);
                    break;
                }
                case BoundKind.Logical:
                {
                    var l = (BoundLogical)e;
                    Expression(l.Left, Access.Read);
                    Expression(l.Right, Access.Read);
                    break;
                }
                case BoundKind.Element:
                {
                    var el = (BoundElement)e;
                    Use(el.Array, access);
                    foreach (var i in el.Indexes)
                    {
                        if (i is not null)
                            Expression(i, Access.Read);
                    }
                    break;
                }
                case BoundKind.ProcfsValue:
                    // reading $value is a pure helper call; storing into it is the probe's output
                    if (access != Access.Read)
                        Effects = true;
                    break;
                case BoundKind.Assignment:
                {
                    var a = (BoundAssignment)e;
                    Expression(a.Target, a.Op is BoundOp.Assign or BoundOp.StatAdd ? Access.Write : Access.ReadWrite);
                    Expression(a.Value, Access.Read);
                    break;
                }
                case BoundKind.IncDec:
                    Expression(((BoundIncDec)e).Target, Access.ReadWrite);
                    break;
                case BoundKind.Call:
                {
                    var call = (BoundCall)e;
                    foreach (var a in call.Arguments)
                        Expression(a, Access.Read);
                    for (var f = call.Function; f is not null; f = f.NextOverload)
                        EnterFunction(f);
                    break;
                }
                case BoundKind.Builtin:
                {
                    var bc = (BoundBuiltinCall)e;
                    foreach (var a in bc.Arguments)
                        Expression(a, Access.Read);
                    EnterFunction(bc.Function);
                    break;
                }
                case BoundKind.Print:
                {
                    var p = (BoundPrint)e;
                    if (!p.IsString)
                        Effects = true;
                    foreach (var child in BoundTreeWalker.Children(p))
                    {
                        if (child is BoundExpression ce)
                            Expression(ce, Access.Read);
                    }
                    break;
                }
                default:
                    foreach (var child in BoundTreeWalker.Children(e))
                    {
                        if (child is BoundExpression ce)
                            Expression(ce, Access.Read);
                        else if (child is BoundStatement cs)
                            Statement(cs);
                    }
                    break;
            }
        }
    }

    /// <summary>Numbers variables in the order the walks first meet them: bit positions for <see cref="VarSet"/>.</summary>
    private sealed class VariableNumbering
    {
        private VariableSymbol[] _symbols = [];

        public int Count { get; private set; }

        /// <summary>Room for <paramref name="variables"/> in all (the program's count, known before the walks).</summary>
        public void Reserve(int variables)
        {
            if (variables > _symbols.Length)
                Array.Resize(ref _symbols, variables);
        }

        public VariableSymbol this[int number] => _symbols[number];

        /// <summary>The variable's number here, or -1 when no set of this run has held it. The symbol keeps
        /// its number, so the identity check is what makes the number this run's.</summary>
        public int Find(VariableSymbol v)
        {
            int n = v.UseNumber;
            return (uint)n < (uint)Count && ReferenceEquals(_symbols[n], v) ? n : -1;
        }

        public int NumberOf(VariableSymbol v)
        {
            int n = Find(v);
            if (n >= 0)
                return n;
            if (Count == _symbols.Length)
                Array.Resize(ref _symbols, Math.Max(16, Count * 2));
            n = Count++;
            _symbols[n] = v;
            v.UseNumber = n;
            return n;
        }
    }

    /// <summary>A set of variables as a bitset over <see cref="VariableNumbering"/>: the use walks add and
    /// test a variable at every mention and merge a function's sets at every call, which hash sets made a
    /// visible part of pass 2.</summary>
    private sealed class VarSet
    {
        private readonly VariableNumbering _numbering;
        private ulong[] _bits;

        public VarSet(VariableNumbering numbering, int capacity)
        {
            _numbering = numbering;
            _bits = new ulong[Math.Max(1, (capacity + 63) >> 6)];
        }

        public void Add(VariableSymbol v)
        {
            int n = _numbering.NumberOf(v);
            int word = n >> 6;
            if (word >= _bits.Length)
                Array.Resize(ref _bits, Math.Max(word + 1, _bits.Length * 2));
            _bits[word] |= 1UL << n;
        }

        public bool Contains(VariableSymbol v)
        {
            int n = _numbering.Find(v);
            if (n < 0)
                return false;
            int word = n >> 6;
            return word < _bits.Length && (_bits[word] & (1UL << n)) != 0;
        }

        public bool IsEmpty => _bits.AsSpan().IndexOfAnyExcept(0UL) < 0;

        public void Clear() => Array.Clear(_bits);

        public void UnionWith(VarSet other)
        {
            var source = other._bits;
            if (source.Length > _bits.Length)
                Array.Resize(ref _bits, source.Length);
            var target = _bits;
            for (int i = 0; i < source.Length; i++)
                target[i] |= source[i];
        }

        public Enumerator GetEnumerator() => new(this);

        public struct Enumerator
        {
            private readonly VarSet _set;
            private int _word;
            private ulong _rest;
            private VariableSymbol? _current;

            public Enumerator(VarSet set)
            {
                _set = set;
                _word = -1;
            }

            public readonly VariableSymbol Current => _current!;

            public bool MoveNext()
            {
                var bits = _set._bits;
                while (_rest == 0)
                {
                    if (++_word >= bits.Length)
                        return false;
                    _rest = bits[_word];
                }
                int bit = System.Numerics.BitOperations.TrailingZeroCount(_rest);
                _rest &= _rest - 1;
                _current = _set._numbering[(_word << 6) + bit];
                return true;
            }
        }
    }
}
