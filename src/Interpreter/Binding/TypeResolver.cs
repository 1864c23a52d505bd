using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Binding;

/// <summary>
/// stap's type inference (language.md §3.1, §3.3): every reachable function, then every probe, is walked
/// with the type the context expects; passes repeat until nothing new is learnt, and one last pass with
/// reporting enabled prints what is still wrong. The diagnostic origins mirror the checks in stap that
/// raise them, so that duplicate suppression counts the same way.
/// </summary>
internal sealed class TypeResolver
{
    private const string OriginMismatchBinary = "typeresolution:mismatch-binary";
    private const string OriginMismatchTypes = "typeresolution:mismatch-types";
    private const string OriginMismatchDecl = "typeresolution:mismatch-decl";
    private const string OriginMismatchDeclChain = "typeresolution:mismatch-decl-chain";
    private const string OriginMismatchDeclPlain = "typeresolution:mismatch-decl-plain";
    private const string OriginUnresolved = "typeresolution:unresolved";
    private const string OriginInvalid = "typeresolution:invalid";
    private const string OriginStatLocal = "typeresolution:stat-local";

    private readonly BoundProgram _program;
    private readonly DiagnosticBag _diagnostics;
    private ScriptType _t;
    private bool _assertResolvability;
    private int _newlyResolved;
    private int _stillUnresolved;
    private int _mismatchComplexity;
    private FunctionSymbol? _currentFunction;
    private readonly HashSet<string> _thrownOnce = new(StringComparer.Ordinal);
    private StackGuard _stackGuard;

    public TypeResolver(BoundProgram program, DiagnosticBag diagnostics)
    {
        _program = program;
        _diagnostics = diagnostics;
    }

    public void Run()
    {
        var functions = _program.Functions.Where(f => !f.IsBuiltin && f.Body is not null)
            .OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        for (int iteration = 0; iteration < 1000; iteration++)
        {
            _newlyResolved = 0;
            _stillUnresolved = 0;
            foreach (var f in functions)
            {
                _currentFunction = f;
                _t = ScriptType.Unknown;
                Visit(f.Body!);
                CheckLocals(f.Locals);
            }
            _currentFunction = null;
            foreach (var p in _program.Probes)
            {
                _t = ScriptType.Unknown;
                if (p.Condition is not null)
                {
                    _t = ScriptType.Long;
                    Visit(p.Condition);
                }
                _t = ScriptType.Unknown;
                Visit(p.Body);
                CheckLocals(p.Locals);
            }
            // what constant folding dropped still takes part, without its unresolved types
            foreach (var (owner, statement) in _program.FoldedAway)
            {
                _currentFunction = owner;
                _t = ScriptType.Unknown;
                EnterDead(true);
                Visit(statement);
                LeaveDead(true);
            }
            _currentFunction = null;
            foreach (var g in _program.Globals)
            {
                if (g.Type == ScriptType.Unknown)
                    Unresolved(g.Token);
            }

            if (_newlyResolved == 0)
            {
                if (_stillUnresolved == 0)
                    break;
                if (!_assertResolvability)
                {
                    _assertResolvability = true;
                    continue;
                }
                break;
            }
            _mismatchComplexity = 0;
        }
    }

    /// <summary>stap's check_local: a local can hold a number or a string, never statistics.</summary>
    private void CheckLocals(List<VariableSymbol> locals)
    {
        foreach (var local in locals)
        {
            if (local.Type == ScriptType.Unknown && !local.IsParameter)
            {
                Unresolved(local.Token);
                continue;
            }
            if (local.Type != ScriptType.Stats || local.IsParameter)
                continue;
            _stillUnresolved++;
            if (_assertResolvability)
                _diagnostics.ReportSemanticError(OriginStatLocal, "stat locals not supported, missing global declaration? ", local.Token);
        }
    }

    // ------------------------------------------------------------------ reporting

    private void Resolved() => _newlyResolved++;

    private void Resolved(VariableSymbol symbol, Token token)
    {
        _newlyResolved++;
        if (symbol.TypeToken.IsDefault)
            symbol.TypeToken = token;
        Record(symbol, -1, token);
    }

    // Code constant folding removes: stap still reports type mismatches in it, but not what stays
    // unresolved there (the folded-away code is gone by the time resolvability is asserted).
    private int _deadDepth;
    private bool _rightDead;

    private void EnterDead(bool dead)
    {
        if (dead)
            _deadDepth++;
    }

    private void LeaveDead(bool dead)
    {
        if (dead)
            _deadDepth--;
    }

    private void Unresolved(Token token)
    {
        if (_deadDepth > 0)
            return;
        _stillUnresolved++;
        if (_assertResolvability && _mismatchComplexity <= 0)
            _diagnostics.ReportSemanticError(OriginUnresolved, "unresolved type ", token);
    }

    private void Invalid(Token token, ScriptType type)
    {
        _stillUnresolved++;
        if (_assertResolvability)
        {
            string message = IsOperator(token) ? "invalid operator" : $"invalid type {ScriptTypeFacts.Name(type)}";
            _diagnostics.ReportSemanticError(OriginInvalid, message, token);
        }
    }

    private static bool IsOperator(Token token)
        => token.Kind is >= SyntaxKind.LessLessLessToken and <= SyntaxKind.OtherPunctuationToken or SyntaxKind.AtWordToken;

    private void MismatchBinary(Token token, ScriptType left, ScriptType right)
    {
        _stillUnresolved++;
        if (_assertResolvability && _mismatchComplexity <= 1)
        {
            _diagnostics.ReportSemanticError(OriginMismatchBinary,
                $"type mismatch: left and right sides don't agree ({ScriptTypeFacts.Name(left)} vs {ScriptTypeFacts.Name(right)})", token);
        }
        else if (!_assertResolvability)
        {
            _mismatchComplexity = Math.Max(1, _mismatchComplexity);
        }
    }

    private void Mismatch(Token token, ScriptType expected, ScriptType found)
    {
        _stillUnresolved++;
        if (_assertResolvability && _mismatchComplexity <= 2)
        {
            string message = found == ScriptType.Unknown
                ? $"type mismatch: expected {ScriptTypeFacts.Name(expected)}"
                : $"type mismatch: expected {ScriptTypeFacts.Name(expected)} but found {ScriptTypeFacts.Name(found)}";
            _diagnostics.ReportSemanticError(OriginMismatchTypes, message, token);
        }
        else if (!_assertResolvability)
        {
            _mismatchComplexity = Math.Max(2, _mismatchComplexity);
        }
    }

    /// <summary>Where each declaration (variable, function, array index or parameter position) got its
    /// type by inference: stap's resolved_types. Declared types (annotations, initializers, tapset
    /// signatures) are not in it, and mismatches against them are reported without a chain.</summary>
    private readonly Dictionary<(object Decl, int Index), Token> _resolvedTypes = new();

    private void Record(object decl, int index, Token token)
    {
        // a variable's own entry lives on the symbol: most records are those, and a field costs no hashing
        if (index < 0 && decl is VariableSymbol v)
        {
            v.ResolvedTypeToken = token;
            v.HasResolvedTypeToken = true;
            return;
        }
        _resolvedTypes[(decl, index)] = token;
    }

    private bool TryGetRecord(object decl, int index, out Token token)
    {
        if (index < 0 && decl is VariableSymbol v)
        {
            token = v.ResolvedTypeToken;
            return v.HasResolvedTypeToken;
        }
        return _resolvedTypes.TryGetValue((decl, index), out token);
    }

    /// <summary>A use disagrees with what a declaration (variable, function, index) already has.</summary>
    private void MismatchDecl(Token token, ScriptType type, ScriptType declType, object decl, int index)
    {
        _stillUnresolved++;
        if (_assertResolvability && _mismatchComplexity <= 3)
        {
            // a parameter used inside its own function is reported as that argument position
            if (index < 0 && decl is VariableSymbol v && _currentFunction is not null)
                index = Array.IndexOf(_currentFunction.Parameters, v);
            if (!TryGetRecord(decl, index, out var declToken))
            {
                _diagnostics.ReportSemanticError(OriginMismatchDeclPlain,
                    $"type mismatch: expected {ScriptTypeFacts.Name(type)} but found {ScriptTypeFacts.Name(declType)}", token);
                return;
            }
            string message = index >= 0 ? $"index {index} type mismatch ({ScriptTypeFacts.Name(type)})" : $"type mismatch ({ScriptTypeFacts.Name(type)})";
            string chainMessage = index >= 0
                ? $"type of index {index} was first inferred here ({ScriptTypeFacts.Name(declType)})"
                : $"type was first inferred here ({ScriptTypeFacts.Name(declType)})";
            var chain = Diagnostic.Semantic(chainMessage, declToken, OriginMismatchDeclChain);
            _diagnostics.ReportSemanticError(OriginMismatchDecl, message, token, chain);
        }
        else if (!_assertResolvability)
        {
            _mismatchComplexity = Math.Max(3, _mismatchComplexity);
        }
    }

    private void ReportOnce(string origin, string message, Token token)
    {
        string key = origin + "@" + token.Line + ":" + token.Column;
        if (_thrownOnce.Add(key))
            _diagnostics.ReportSemanticError(origin, message, token);
        _stillUnresolved++;
    }

    /// <summary>An error stap raises only in pass 3 (see <see cref="BoundProgram.TranslateDiagnostics"/>);
    /// code that constant folding removes never gets there.</summary>
    private void ReportTranslateOnce(string origin, string message, Token token)
    {
        if (_deadDepth == 0 && _thrownOnce.Add(origin + "@" + token.Line + ":" + token.Column))
            _program.TranslateDiagnostics.ReportSemanticError(origin, message, token);
    }

    // ------------------------------------------------------------------ referrer/referent agreement

    /// <summary>stap's resolve_2types for a use of a variable (scalar value or array value).</summary>
    private void ResolveVariable(BoundExpression referrer, VariableSymbol referent, ScriptType t, bool acceptUnknown = false)
    {
        ScriptType re = referrer.Type;
        ScriptType te = referent.Type;
        Token token = referrer.Token;
        if (t != ScriptType.Unknown && re == t && re == te)
        {
        }
        else if (t == ScriptType.Unknown && re != ScriptType.Unknown && re == te)
        {
        }
        else if (re != ScriptType.Unknown && te != ScriptType.Unknown && re != te)
        {
            MismatchDecl(token, re, te, referent, -1);
        }
        else if (re != ScriptType.Unknown && t != ScriptType.Unknown && re != t)
        {
            MismatchDecl(token, t, te, referent, -1);
        }
        else if (te != ScriptType.Unknown && t != ScriptType.Unknown && te != t)
        {
            MismatchDecl(token, t, te, referent, -1);
        }
        else if (re == ScriptType.Unknown && t != ScriptType.Unknown)
        {
            referrer.Type = t;
            Resolved();
        }
        else if (re == ScriptType.Unknown && te != ScriptType.Unknown)
        {
            referrer.Type = te;
            Resolved();
        }
        else if (re != ScriptType.Unknown && te == ScriptType.Unknown)
        {
            referent.Type = re;
            Resolved(referent, token);
        }
        else if (!acceptUnknown)
        {
            Unresolved(token);
        }
    }

    private void ResolveFunction(BoundExpression referrer, FunctionSymbol referent, ScriptType t)
    {
        ScriptType re = referrer.Type;
        ScriptType te = referent.ReturnType;
        Token token = referrer.Token;
        if (t != ScriptType.Unknown && re == t && re == te)
        {
        }
        else if (t == ScriptType.Unknown && re != ScriptType.Unknown && re == te)
        {
        }
        else if (re != ScriptType.Unknown && te != ScriptType.Unknown && re != te)
        {
            MismatchDecl(token, re, te, referent, -1);
        }
        else if (re != ScriptType.Unknown && t != ScriptType.Unknown && re != t)
        {
            MismatchDecl(token, t, te, referent, -1);
        }
        else if (te != ScriptType.Unknown && t != ScriptType.Unknown && te != t)
        {
            MismatchDecl(token, t, te, referent, -1);
        }
        else if (re == ScriptType.Unknown && t != ScriptType.Unknown)
        {
            referrer.Type = t;
            Resolved();
        }
        else if (re == ScriptType.Unknown && te != ScriptType.Unknown)
        {
            referrer.Type = te;
            Resolved();
        }
        else if (re != ScriptType.Unknown && te == ScriptType.Unknown)
        {
            referent.ReturnType = re;
            if (referent.ReturnTypeToken.IsDefault)
                referent.ReturnTypeToken = token;
            Record(referent, -1, token);
            Resolved();
        }
    }

    // ------------------------------------------------------------------ statements

    private void Visit(BoundStatement statement)
    {
        switch (statement.Kind) // a jump table: every statement of every walk comes here
        {
            case BoundKind.Block:
                var b = (BoundBlock)statement;
                foreach (var s in b.Statements)
                    Visit(s);
                break;
            case BoundKind.ExpressionStatement:
                var e = (BoundExpressionStatement)statement;
                _t = ScriptType.Unknown;
                Visit(e.Expression);
                break;
            case BoundKind.If:
            {
                var i = (BoundIf)statement;
                _t = ScriptType.Long;
                Visit(i.Condition);
                long? known = Binder.ConstantValue(i.Condition);
                EnterDead(known == 0);
                Visit(i.Then);
                LeaveDead(known == 0);
                if (i.Else is not null)
                {
                    EnterDead(known is not null and not 0);
                    Visit(i.Else);
                    LeaveDead(known is not null and not 0);
                }
                break;
            }
            case BoundKind.For:
                var f = (BoundFor)statement;
                if (f.Init is not null)
                {
                    _t = ScriptType.Unknown;
                    Visit(f.Init);
                }
                _t = ScriptType.Long;
                Visit(f.Condition);
                if (f.Increment is not null)
                {
                    _t = ScriptType.Unknown;
                    Visit(f.Increment);
                }
                Visit(f.Body);
                break;
            case BoundKind.Foreach:
                var fe = (BoundForeach)statement;
                VisitForeach(fe);
                break;
            case BoundKind.HistogramForeach:
                var hf = (BoundHistogramForeach)statement;
                VisitHistogramForeach(hf);
                break;
            case BoundKind.Return:
                var r = (BoundReturn)statement;
                VisitReturn(r);
                break;
            case BoundKind.Delete:
                var d = (BoundDelete)statement;
                _t = ScriptType.Unknown;
                if (d.Target is BoundVariable v && v.Symbol.IsArray)
                    break;
                Visit(d.Target);
                break;
            case BoundKind.Try:
                var t = (BoundTry)statement;
                Visit(t.TryBlock);
                if (t.CatchVariable is not null)
                {
                    if (t.CatchVariable.Type == ScriptType.Unknown)
                    {
                        t.CatchVariable.Type = ScriptType.String;
                        Resolved(t.CatchVariable, t.Token);
                    }
                    else if (t.CatchVariable.Type == ScriptType.String && !t.CatchVariable.HasResolvedTypeToken)
                    {
                        // typed by its catch when bound: stap infers it here, so it is a resolved type
                        Record(t.CatchVariable, -1, t.CatchVariable.TypeToken);
                    }
                    else if (t.CatchVariable.Type != ScriptType.String)
                    {
                        MismatchDecl(t.Token, ScriptType.String, t.CatchVariable.Type, t.CatchVariable, -1);
                    }
                }
                Visit(t.CatchBlock);
                break;
        }
    }

    private void VisitForeach(BoundForeach fe)
    {
        var array = fe.Array;
        array.EnsureIndexSlots(array.Arity < 0 ? fe.Keys.Length : array.Arity);
        for (int i = 0; i < fe.Keys.Length && i < array.IndexTypes.Length; i++)
        {
            var key = fe.Keys[i];
            var keyToken = fe.KeyTokens[i];
            ScriptType ft = array.IndexTypes[i];
            // the key variable takes the index type and vice versa
            ScriptType at = key.Type;
            if (at == ScriptType.Unknown && ft != ScriptType.Unknown)
            {
                key.Type = ft;
                Resolved(key, keyToken);
                at = ft;
            }
            if ((at == ScriptType.String || at == ScriptType.Long) && ft == ScriptType.Unknown)
            {
                array.IndexTypes[i] = at;
                if (array.IndexTypeTokens[i].IsDefault)
                    array.IndexTypeTokens[i] = keyToken;
                Record(array, i, keyToken);
                Resolved();
                ft = at;
            }
            if (at == ScriptType.Stats)
                Invalid(keyToken, at);
            if (at != ScriptType.Unknown && ft != ScriptType.Unknown && ft != at)
                MismatchDecl(keyToken, at, ft, array, i);
            if (at == ScriptType.Unknown)
                Unresolved(keyToken);
        }
        if (fe.Slice is not null)
        {
            for (int i = 0; i < fe.Slice.Length && i < array.IndexTypes.Length; i++)
            {
                if (fe.Slice[i] is { } e)
                    VisitIndex(e, array, i);
            }
        }
        if (fe.Value is not null)
        {
            var v = fe.Value;
            var vt = fe.ValueToken!.Value;
            if (array.Type == ScriptType.Stats)
            {
                Invalid(vt, ScriptType.Stats);
            }
            else if (v.Type == ScriptType.Unknown && array.Type != ScriptType.Unknown)
            {
                v.Type = array.Type;
                Resolved(v, vt);
            }
            else if (v.Type != ScriptType.Unknown && array.Type == ScriptType.Unknown)
            {
                array.Type = v.Type;
                Resolved(array, vt);
            }
            else if (v.Type != ScriptType.Unknown && v.Type != array.Type)
            {
                MismatchDecl(vt, v.Type, array.Type, array, -1);
            }
            else if (v.Type == ScriptType.Unknown)
            {
                Unresolved(vt);
            }
        }
        if (fe.SortDirection != 0 && fe.SortColumn == 0 && fe.HasExplicitAggregate && array.Type != ScriptType.Stats
            && array.Type != ScriptType.Unknown)
        {
            Invalid(fe.ArrayToken, array.Type);
        }
        if (fe.Limit is not null)
        {
            _t = ScriptType.Long;
            Visit(fe.Limit);
        }
        Visit(fe.Body);
    }

    private void VisitReturn(BoundReturn r)
    {
        var function = _currentFunction;
        if (function is null)
            return;
        _t = function.ReturnType;
        if (r.Value is null)
        {
            if (function.ReturnType != ScriptType.Unknown)
                MismatchDecl(r.Token, ScriptType.Unknown, function.ReturnType, function, -1);
            return;
        }
        Visit(r.Value);
        var vt = r.Value.Type;
        if (function.ReturnType != ScriptType.Unknown && vt != ScriptType.Unknown && function.ReturnType != vt)
            MismatchDecl(r.Value.Token, vt, function.ReturnType, function, -1);
        if (function.ReturnType == ScriptType.Unknown && (vt == ScriptType.Long || vt == ScriptType.String))
        {
            function.ReturnType = vt;
            if (function.ReturnTypeToken.IsDefault)
                function.ReturnTypeToken = r.Value.Token;
            Record(function, -1, r.Value.Token);
            Resolved();
        }
        if (vt == ScriptType.Stats)
            Invalid(r.Value.Token, vt);
    }

    // ------------------------------------------------------------------ expressions

    private void Visit(BoundExpression e)
    {
        _stackGuard.Ensure();
        // stap folds constant operators into a number (keeping the operator's token) before it infers types
        if (e.Kind is BoundKind.Binary or BoundKind.Unary or BoundKind.Logical or BoundKind.Comparison
            && Binder.ConstantValue(e) is not null)
        {
            if (_t != ScriptType.Unknown && _t != ScriptType.Long)
                Mismatch(e.Token, _t, ScriptType.Long);
            if (e.Type == ScriptType.Unknown)
            {
                e.Type = ScriptType.Long;
                Resolved();
            }
            return;
        }
        // on the kind (a jump table) rather than a type test per case: every node of both iterations comes here
        switch (e.Kind)
        {
            case BoundKind.LongLiteral:
            case BoundKind.StringLiteral:
                if (_t != ScriptType.Unknown && _t != e.Type)
                    Mismatch(e.Token, _t, e.Type);
                break;
            case BoundKind.ProcfsValue:
            {
                var pv = (BoundProcfsValue)e;
                if (pv.IsFoldedAway)
                    break;
                if (pv.IsUnresolvedTarget)
                {
                    if (_assertResolvability)
                        ReportOnce("elaborate:target", "unresolved target-symbol expression", pv.Token);
                    else
                        _stillUnresolved++;
                    break;
                }
                if (pv.IsInvalid)
                    _stillUnresolved++; // the rejected use is counted, the print of it reports
                else if (pv.Type != ScriptType.Unknown && _t != ScriptType.Unknown && _t != ScriptType.String)
                    Mismatch(e.Token, _t, ScriptType.String);
                break;
            }
            case BoundKind.Variable:
            {
                var v = (BoundVariable)e;
                if (v.Symbol.IsArray && v.Symbol.Arity > 0)
                {
                    // whole-array use outside delete/foreach is an arity error reported at bind time
                    break;
                }
                ResolveVariable(v, v.Symbol, _t);
                break;
            }
            case BoundKind.Element:
                VisitElement((BoundElement)e);
                break;
            case BoundKind.Binary:
            {
                var b = (BoundBinary)e;
                VisitLongBinary(b.Token, b.Left, b.Right, b);
                break;
            }
            case BoundKind.Logical:
            {
                var l = (BoundLogical)e;
                bool dead = Binder.ConstantValue(l.Left) is long known && (known != 0) == (l.Op == BoundOp.LogicalOr);
                _rightDead = dead;
                VisitLongBinary(l.Token, l.Left, l.Right, l);
                break;
            }
            case BoundKind.Unary:
            {
                var u = (BoundUnary)e;
                if (_t == ScriptType.Stats || _t == ScriptType.String)
                    Invalid(u.Token, _t);
                _t = ScriptType.Long;
                Visit(u.Operand);
                if (u.Type == ScriptType.Unknown)
                {
                    u.Type = ScriptType.Long;
                    Resolved();
                }
                break;
            }
            case BoundKind.IncDec:
            {
                var inc = (BoundIncDec)e;
                if (_t == ScriptType.Stats || _t == ScriptType.String)
                    Invalid(inc.Token, _t);
                _t = ScriptType.Long;
                Visit(inc.Target);
                break;
            }
            case BoundKind.Comparison:
                VisitComparison((BoundComparison)e);
                break;
            case BoundKind.Concat:
            {
                var cc = (BoundConcat)e;
                if (_t != ScriptType.Unknown && _t != ScriptType.String)
                    Invalid(cc.Token, _t);
                _t = ScriptType.String;
                Visit(cc.Left);
                _t = ScriptType.String;
                Visit(cc.Right);
                if (cc.Type == ScriptType.Unknown)
                {
                    cc.Type = ScriptType.String;
                    Resolved();
                }
                break;
            }
            case BoundKind.Ternary:
                VisitTernary((BoundTernary)e);
                break;
            case BoundKind.Assignment:
                VisitAssignment((BoundAssignment)e);
                break;
            case BoundKind.In:
            {
                var ie = (BoundIn)e;
                var t1 = _t;
                _t = ScriptType.Unknown;
                VisitElement(ie.Element, isMembership: true);
                if (t1 == ScriptType.String || t1 == ScriptType.Stats)
                    Mismatch(ie.Token, t1, ScriptType.Long);
                break;
            }
            case BoundKind.Regex:
            {
                var rx = (BoundRegex)e;
                if (_t == ScriptType.Stats || _t == ScriptType.String)
                    Invalid(rx.Token, _t);
                _t = ScriptType.String;
                Visit(rx.Left);
                break;
            }
            case BoundKind.Call:
                VisitCall((BoundCall)e);
                break;
            case BoundKind.Builtin:
                VisitBuiltin((BoundBuiltinCall)e);
                break;
            case BoundKind.Print:
                VisitPrint((BoundPrint)e);
                break;
            case BoundKind.Statistic:
            {
                var st = (BoundStatistic)e;
                if (_t == ScriptType.Stats || _t == ScriptType.String)
                    Invalid(st.Token, _t);
                _t = ScriptType.Stats;
                Visit(st.Operand);
                break;
            }
            case BoundKind.HistogramBucket:
            {
                var hb = (BoundHistogramBucket)e;
                if (_t == ScriptType.Stats || _t == ScriptType.String)
                    Invalid(hb.Token, _t);
                _t = ScriptType.Stats;
                Visit(hb.Operand);
                _t = ScriptType.Long;
                Visit(hb.Index);
                if (hb.Index.Type != ScriptType.Long && hb.Index.Type != ScriptType.Unknown)
                    Mismatch(hb.Index.Token, ScriptType.Long, hb.Index.Type);
                break;
            }
        }
    }

    /// <summary>A histogram loop: the bucket number and its count are numbers.</summary>
    private void VisitHistogramForeach(BoundHistogramForeach hf)
    {
        _t = ScriptType.Stats;
        Visit(hf.Operand);
        ResolveLong(hf.Key, hf.KeyToken);
        if (hf.Value is not null)
            ResolveLong(hf.Value, hf.ValueToken!.Value);
        if (hf.Limit is not null)
        {
            _t = ScriptType.Long;
            Visit(hf.Limit);
        }
        Visit(hf.Body);
    }

    private void ResolveLong(VariableSymbol v, Token token)
    {
        if (v.Type == ScriptType.Unknown)
        {
            v.Type = ScriptType.Long;
            Resolved(v, token);
        }
        else if (v.Type != ScriptType.Long)
        {
            MismatchDecl(token, ScriptType.Long, v.Type, v, -1);
        }
    }

    private void VisitLongBinary(Token token, BoundExpression left, BoundExpression right, BoundExpression e)
    {
        if (_t == ScriptType.Stats || _t == ScriptType.String)
            Invalid(token, _t);
        bool rightDead = _rightDead;
        _rightDead = false;
        _t = ScriptType.Long;
        Visit(left);
        _t = ScriptType.Long;
        EnterDead(rightDead);
        Visit(right);
        LeaveDead(rightDead);
        if (left.Type != ScriptType.Unknown && right.Type != ScriptType.Unknown && left.Type != right.Type)
            MismatchBinary(token, left.Type, right.Type);
        if (e.Type == ScriptType.Unknown)
        {
            e.Type = ScriptType.Long;
            Resolved();
        }
    }

    private void VisitComparison(BoundComparison c)
    {
        if (_t == ScriptType.Stats || _t == ScriptType.String)
            Invalid(c.Token, _t);
        _t = c.Right.Type;
        Visit(c.Left);
        _t = c.Left.Type;
        Visit(c.Right);
        if (c.Left.Type != ScriptType.Unknown && c.Right.Type != ScriptType.Unknown && c.Left.Type != c.Right.Type)
            MismatchBinary(c.Token, c.Left.Type, c.Right.Type);
        if (c.Left.Type == ScriptType.Stats)
            Invalid(c.Token, ScriptType.Stats);
        if (c.Type == ScriptType.Unknown)
        {
            c.Type = ScriptType.Long;
            Resolved();
        }
    }

    private void VisitTernary(BoundTernary e)
    {
        var sub = _t;
        _t = ScriptType.Long;
        Visit(e.Condition);
        long? known = Binder.ConstantValue(e.Condition);
        if (sub == ScriptType.Unknown && e.Type != ScriptType.Unknown)
            sub = e.Type;
        _t = sub;
        EnterDead(known == 0);
        Visit(e.WhenTrue);
        LeaveDead(known == 0);
        _t = sub;
        EnterDead(known is not null and not 0);
        Visit(e.WhenFalse);
        LeaveDead(known is not null and not 0);
        if (sub == ScriptType.Unknown && e.Type != ScriptType.Unknown)
        {
        }
        else if (sub != ScriptType.Unknown && e.Type == ScriptType.Unknown)
        {
            e.Type = sub;
            Resolved();
        }
        else if (sub == ScriptType.Unknown && e.WhenTrue.Type != ScriptType.Unknown)
        {
            e.Type = e.WhenTrue.Type;
            Resolved();
        }
        else if (sub == ScriptType.Unknown && e.WhenFalse.Type != ScriptType.Unknown)
        {
            e.Type = e.WhenFalse.Type;
            Resolved();
        }
        else if (sub != ScriptType.Unknown && e.Type != ScriptType.Unknown && sub != e.Type)
        {
            Mismatch(e.Token, sub, e.Type);
        }
    }

    private void VisitAssignment(BoundAssignment e)
    {
        if (_t == ScriptType.Stats)
            Invalid(e.Token, _t);
        if (e.Op == BoundOp.StatAdd)
        {
            if (_t == ScriptType.String)
                Invalid(e.Token, _t);
            _t = ScriptType.Stats;
            Visit(e.Target);
            _t = ScriptType.Long;
            Visit(e.Value);
            if (e.Type == ScriptType.Unknown || e.Type == ScriptType.Stats)
            {
                e.Type = ScriptType.Long;
                Resolved();
            }
        }
        else if (e.Target.Type == ScriptType.Stats)
        {
            Invalid(e.Target.Token, e.Target.Type);
        }
        else if (e.Value.Type == ScriptType.Stats)
        {
            Invalid(e.Value.Token, e.Value.Type);
        }
        else if (e.Op == BoundOp.ConcatAssign)
        {
            if (_t == ScriptType.Long || _t == ScriptType.Stats)
                Invalid(e.Token, _t);
            _t = ScriptType.String;
            Visit(e.Target);
            _t = ScriptType.String;
            Visit(e.Value);
            if (e.Type == ScriptType.Unknown)
            {
                e.Type = ScriptType.String;
                Resolved();
            }
        }
        else if (e.Op == BoundOp.Assign && e.Target is BoundProcfsValue { IsInvalid: false, IsFoldedAway: false })
        {
            // stap stores into $value by calling a helper with a string parameter: the value is checked
            // as that call's argument, against a declared type
            _t = ScriptType.String;
            Visit(e.Value);
            if (e.Value.Type is not (ScriptType.Unknown or ScriptType.String))
                MismatchDecl(e.Value.Token, e.Value.Type, ScriptType.String, e.Target, 0);
            if (e.Type == ScriptType.Unknown)
            {
                e.Type = ScriptType.String;
                Resolved();
            }
        }
        else if (e.Op == BoundOp.Assign)
        {
            var sub = _t;
            if (sub == ScriptType.Unknown && e.Type != ScriptType.Unknown)
                sub = e.Type;
            _t = sub != ScriptType.Unknown ? sub : e.Value.Type;
            Visit(e.Target);
            _t = sub != ScriptType.Unknown ? sub : e.Target.Type;
            Visit(e.Value);
            if (sub != ScriptType.Unknown && e.Type == ScriptType.Unknown)
            {
                e.Type = sub;
                Resolved();
            }
            else if (sub == ScriptType.Unknown && e.Target.Type != ScriptType.Unknown && e.Type == ScriptType.Unknown)
            {
                e.Type = e.Target.Type;
                Resolved();
            }
            if (e.Target.Type != ScriptType.Unknown && e.Value.Type != ScriptType.Unknown && e.Target.Type != e.Value.Type)
                MismatchBinary(e.Token, e.Target.Type, e.Value.Type);
        }
        else
        {
            if (_t == ScriptType.String)
                Invalid(e.Token, _t);
            _t = ScriptType.Long;
            Visit(e.Target);
            _t = ScriptType.Long;
            Visit(e.Value);
            if (e.Type == ScriptType.Unknown)
            {
                e.Type = ScriptType.Long;
                Resolved();
            }
        }
    }

    private void VisitElement(BoundElement e, bool isMembership = false)
    {
        var array = e.Array;
        if (!isMembership)
            ResolveVariable(e, array, _t);
        array.EnsureIndexSlots(array.Arity < 0 ? e.Indexes.Length : array.Arity);
        for (int i = 0; i < e.Indexes.Length && i < array.IndexTypes.Length; i++)
        {
            if (e.Indexes[i] is { } index)
                VisitIndex(index, array, i);
        }
    }

    private void VisitIndex(BoundExpression index, VariableSymbol array, int i)
    {
        ScriptType ft = array.IndexTypes[i];
        _t = ft;
        Visit(index);
        ScriptType at = index.Type;
        if ((at == ScriptType.String || at == ScriptType.Long) && ft == ScriptType.Unknown)
        {
            array.IndexTypes[i] = at;
            if (array.IndexTypeTokens[i].IsDefault)
                array.IndexTypeTokens[i] = index.Token;
            Record(array, i, index.Token);
            Resolved();
            ft = at;
        }
        if (at == ScriptType.Stats)
            Invalid(index.Token, at);
        if (ft == ScriptType.Stats)
            Invalid(index.Token, ft);
        if (at != ScriptType.Unknown && ft != ScriptType.Unknown && ft != at)
            MismatchDecl(index.Token, at, ft, array, i);
        if (at == ScriptType.Unknown)
            Unresolved(index.Token);
    }

    private void VisitCall(BoundCall call)
    {
        var original = _t;
        for (var referent = call.Function; referent is not null && !referent.IsBuiltin; referent = referent.NextOverload)
        {
            _t = original;
            ResolveFunction(call, referent, _t);
            if (call.Type == ScriptType.Stats)
                Invalid(call.Token, call.Type);
            VisitArguments(call.Arguments, referent.Parameters, -1);
        }
    }

    private void VisitBuiltin(BoundBuiltinCall call)
    {
        var f = call.Function;
        if (f.ReturnType == ScriptType.Unknown)
        {
            // a void tapset function: its value cannot be used
            if (_t != ScriptType.Unknown)
                MismatchDecl(call.Token, _t, ScriptType.Unknown, f, -1);
        }
        else if (_t != ScriptType.Unknown && _t != f.ReturnType)
        {
            MismatchDecl(call.Token, _t, f.ReturnType, f, -1);
        }
        call.Type = f.ReturnType;
        VisitArguments(call.Arguments, f.Parameters, -1);
    }

    private void VisitArguments(BoundExpression[] args, VariableSymbol[] parameters, int unused)
    {
        for (int i = 0; i < args.Length && i < parameters.Length; i++)
        {
            var arg = args[i];
            var p = parameters[i];
            ScriptType ft = p.Type;
            _t = ft;
            Visit(arg);
            ScriptType at = arg.Type;
            if ((at == ScriptType.String || at == ScriptType.Long) && ft == ScriptType.Unknown)
            {
                p.Type = at;
                if (p.TypeToken.IsDefault)
                    p.TypeToken = arg.Token;
                Record(p, i, arg.Token);
                Resolved();
                ft = at;
            }
            if (at == ScriptType.Stats)
                Invalid(arg.Token, at);
            if (ft == ScriptType.Stats)
                Invalid(p.Token, ft);
            if (at != ScriptType.Unknown && ft != ScriptType.Unknown && ft != at)
                MismatchDecl(arg.Token, at, ft, p, i);
            if (at == ScriptType.Unknown)
                Unresolved(arg.Token);
        }
    }

    private void VisitPrint(BoundPrint p)
    {
        if (p.HistogramOperand is { } histogram)
        {
            // like @count(x): the operand must be (or become) a stats global
            _t = ScriptType.Stats;
            Visit(histogram);
            return;
        }
        int unresolvedArgs = 0;
        if (p.Format is { } format)
        {
            var kinds = format.ArgumentKinds;
            if (kinds.Length != p.Arguments.Length)
            {
                ReportOnce("print:arg-count", "Wrong number of args to formatted print operator", p.Token);
                return;
            }
            for (int i = 0; i < kinds.Length; i++)
            {
                var wanted = kinds[i] == Runtime.Printf.PrintfArgKind.String ? ScriptType.String : ScriptType.Long;
                var arg = p.Arguments[i];
                _t = wanted;
                Visit(arg);
                if (arg.Type == ScriptType.Unknown)
                {
                    arg.Type = wanted;
                    Resolved();
                }
                else if (arg.Type != wanted)
                {
                    Mismatch(arg.Token, wanted, arg.Type);
                }
            }
        }
        else
        {
            foreach (var arg in p.Arguments)
            {
                _t = ScriptType.Unknown;
                Visit(arg);
                if (arg.Type == ScriptType.Unknown)
                {
                    Unresolved(arg.Token);
                    unresolvedArgs++;
                }
                else if (arg.Type == ScriptType.Stats)
                {
                    ReportTranslateOnce("print:stats", "print format actual argument evaluation type unsupported", arg.Token);
                }
            }
            // stap leaves print_char's operand to the C compiler, which rejects a string after pass 3
            if (p.Function == PrintFunction.PrintChar && p.Arguments.Length == 1 && p.Arguments[0].Type == ScriptType.String)
                ReportTranslateOnce("print:char-string", "type mismatch: expected long but found string", p.Arguments[0].Token);
        }
        if (unresolvedArgs > 0)
            Unresolved(p.Token);
    }
}
