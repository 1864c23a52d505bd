using System.Runtime.CompilerServices;
using ProcProbe.Interpreter.Binding;
using ProcProbe.Interpreter.Runtime.Builtins;

namespace ProcProbe.Interpreter.Evaluation;

internal sealed partial class Interpreter
{
    /// <summary>Evaluates for effect only (expression statements, for-loop init/increment).</summary>
    private void EvalVoid(BoundExpression e, Frame f)
    {
        switch (e.Kind)
        {
            case BoundKind.Assignment:
                ExecAssignment(Unsafe.As<BoundAssignment>(e), f, wantValue: false);
                return;
            case BoundKind.Print:
            {
                var p = Unsafe.As<BoundPrint>(e);
                if (!p.IsString)
                {
                    PrintTo(p, f, _output);
                    return;
                }
                break;
            }
            case BoundKind.Call:
                CallFunction(Unsafe.As<BoundCall>(e), f);
                return;
            case BoundKind.Builtin:
            {
                var b = Unsafe.As<BoundBuiltinCall>(e);
                if (b.Type == ScriptType.String)
                    EvalBuiltinStr(b, f);
                else
                    EvalBuiltinLong(b, f);
                return;
            }
        }
        if (e.Type == ScriptType.String)
            EvalStr(e, f);
        else
            EvalLong(e, f);
    }

    // ------------------------------------------------------------------ longs

    private long EvalLong(BoundExpression e, Frame f)
    {
        switch (e.Kind)
        {
            case BoundKind.LongLiteral:
                return Unsafe.As<BoundLongLiteral>(e).Value;
            case BoundKind.Variable:
                return LoadLong(Unsafe.As<BoundVariable>(e).Symbol, f);
            case BoundKind.Element:
            {
                var el = Unsafe.As<BoundElement>(e);
                var map = _gMap[el.Array.Slot]!;
                int keyBase = PushKeys(el.Indexes, f, map);
                int entry = map.Find(KeyAt(keyBase, map.Arity));
                _keyTop = keyBase;
                return entry < 0 ? 0 : map.GetNum(entry);
            }
            case BoundKind.Binary:
                return EvalBinary(Unsafe.As<BoundBinary>(e), f);
            case BoundKind.Unary:
            {
                var u = Unsafe.As<BoundUnary>(e);
                long v = EvalLong(u.Operand, f);
                return u.Op switch
                {
                    BoundOp.Negate => unchecked(-v),
                    BoundOp.Not => v == 0 ? 1 : 0,
                    BoundOp.Complement => ~v,
                    _ => v,
                };
            }
            case BoundKind.Logical:
            {
                var l = Unsafe.As<BoundLogical>(e);
                if (IsLongChainLink(l.Left))
                    return EvalLongChain(l, f);
                if (l.Op == BoundOp.LogicalAnd)
                    return EvalLong(l.Left, f) != 0 && EvalLong(l.Right, f) != 0 ? 1 : 0;
                return EvalLong(l.Left, f) != 0 || EvalLong(l.Right, f) != 0 ? 1 : 0;
            }
            case BoundKind.Comparison:
            {
                var c = Unsafe.As<BoundComparison>(e);
                if (c.Left.Type != ScriptType.String && IsLongChainLink(c.Left))
                    return EvalLongChain(c, f);
                return EvalComparison(c, f) ? 1 : 0;
            }
            case BoundKind.Ternary:
            {
                var t = Unsafe.As<BoundTernary>(e);
                return EvalLong(t.Condition, f) != 0 ? EvalLong(t.WhenTrue, f) : EvalLong(t.WhenFalse, f);
            }
            case BoundKind.Assignment:
                return ExecAssignment(Unsafe.As<BoundAssignment>(e), f, wantValue: true);
            case BoundKind.IncDec:
                return ExecIncDec(Unsafe.As<BoundIncDec>(e), f);
            case BoundKind.In:
                return EvalIn(Unsafe.As<BoundIn>(e), f) ? 1 : 0;
            case BoundKind.HistogramBucket:
                return EvalHistogramBucket(Unsafe.As<BoundHistogramBucket>(e), f);
            case BoundKind.Regex:
                return EvalRegex(Unsafe.As<BoundRegex>(e), f) ? 1 : 0;
            case BoundKind.Call:
            {
                var frame = CallFunction(Unsafe.As<BoundCall>(e), f);
                return frame;
            }
            case BoundKind.Builtin:
                return EvalBuiltinLong(Unsafe.As<BoundBuiltinCall>(e), f);
            case BoundKind.Print:
            {
                var p = Unsafe.As<BoundPrint>(e);
                PrintTo(p, f, _output);
                return 0;
            }
            case BoundKind.Statistic:
                return EvalStatistic(Unsafe.As<BoundStatistic>(e), f);
            default:
                return 0;
        }
    }

    private long EvalBinary(BoundBinary b, Frame f)
    {
        if (IsLongChainLink(b.Left))
            return EvalLongChain(b, f);
        long l = EvalLong(b.Left, f);
        long r = EvalLong(b.Right, f);
        return Arith(b.Op, l, r, b);
    }

    // Left-deep operator chains (a + b + c ..., a && b && c ..., a < b < c ...) are as deep as they are
    // long; the parser builds them without recursion, so they are evaluated without it too, on an
    // explicit stack of their nodes, in the same order as the recursion would.
    private BoundNode[] _chain = new BoundNode[64];
    private int _chainTop;

    private void PushChain(BoundNode node)
    {
        if (_chainTop == _chain.Length)
            Array.Resize(ref _chain, _chain.Length * 2);
        _chain[_chainTop++] = node;
    }

    private static bool IsLongChainLink(BoundExpression e)
        => e.Kind is BoundKind.Binary or BoundKind.Logical
           || (e.Kind == BoundKind.Comparison && Unsafe.As<BoundComparison>(e).Left.Type != ScriptType.String);

    private long EvalLongChain(BoundExpression top, Frame f)
    {
        int chainBase = _chainTop;
        try
        {
            BoundExpression e = top;
            while (IsLongChainLink(e))
            {
                PushChain(e);
                e = e.Kind switch
                {
                    BoundKind.Binary => Unsafe.As<BoundBinary>(e).Left,
                    BoundKind.Logical => Unsafe.As<BoundLogical>(e).Left,
                    _ => Unsafe.As<BoundComparison>(e).Left,
                };
            }
            long l = EvalLong(e, f);
            while (_chainTop > chainBase)
            {
                var node = _chain[--_chainTop];
                switch (node.Kind)
                {
                    case BoundKind.Binary:
                    {
                        var b = Unsafe.As<BoundBinary>(node);
                        long r = EvalLong(b.Right, f);
                        l = Arith(b.Op, l, r, b);
                        break;
                    }
                    case BoundKind.Logical:
                    {
                        // the right operand runs only when the left so far does not decide
                        var lg = Unsafe.As<BoundLogical>(node);
                        l = lg.Op == BoundOp.LogicalAnd
                            ? (l != 0 && EvalLong(lg.Right, f) != 0 ? 1 : 0)
                            : (l != 0 || EvalLong(lg.Right, f) != 0 ? 1 : 0);
                        break;
                    }
                    default:
                    {
                        var c = Unsafe.As<BoundComparison>(node);
                        long r = EvalLong(c.Right, f);
                        l = Compare(c.Op, l.CompareTo(r)) ? 1 : 0;
                        break;
                    }
                }
            }
            return l;
        }
        finally
        {
            _chainTop = chainBase;
        }
    }

    private long Arith(BoundOp op, long l, long r, BoundNode node)
    {
        switch (op)
        {
            case BoundOp.Add: return unchecked(l + r);
            case BoundOp.Sub: return unchecked(l - r);
            case BoundOp.Mul: return unchecked(l * r);
            case BoundOp.Div:
                if (IntegerOps.Divide(l, r, out long q) != BuiltinError.None)
                    throw Error("division by 0", node);
                return q;
            case BoundOp.Mod:
                if (IntegerOps.Modulo(l, r, out long m) != BuiltinError.None)
                    throw Error("division by 0", node);
                return m;
            case BoundOp.Shl: return IntegerOps.ShiftLeft(l, r);
            case BoundOp.Shr: return IntegerOps.ShiftRight(l, r);
            case BoundOp.ShrLogical: return IntegerOps.ShiftRightLogical(l, r);
            case BoundOp.And: return l & r;
            case BoundOp.Or: return l | r;
            case BoundOp.Xor: return l ^ r;
            default: return 0;
        }
    }

    private bool EvalComparison(BoundComparison c, Frame f)
    {
        int cmp;
        if (c.Left.Type == ScriptType.String)
        {
            var l = EvalStr(c.Left, f);
            var r = EvalStr(c.Right, f);
            cmp = l.Span.SequenceCompareTo(r.Span);
        }
        else
        {
            long l = EvalLong(c.Left, f);
            long r = EvalLong(c.Right, f);
            cmp = l.CompareTo(r);
        }
        return Compare(c.Op, cmp);
    }

    private static bool Compare(BoundOp op, int cmp) => op switch
    {
        BoundOp.Lt => cmp < 0,
        BoundOp.Le => cmp <= 0,
        BoundOp.Gt => cmp > 0,
        BoundOp.Ge => cmp >= 0,
        BoundOp.Eq => cmp == 0,
        _ => cmp != 0,
    };

    private bool EvalIn(BoundIn ie, Frame f)
    {
        var el = ie.Element;
        var map = _gMap[el.Array.Slot]!;
        int keyBase = PushKeys(el.Indexes, f, map);
        try
        {
            var key = KeyAt(keyBase, map.Arity);
            if (!el.HasWildcard)
                return map.Find(key) >= 0;
            Span<bool> wild = stackalloc bool[el.Indexes.Length];
            WildcardMask(el.Indexes, wild);
            for (int i = map.First; i >= 0; i = map.NextOf(i))
            {
                if (map.Matches(i, key, wild))
                    return true;
            }
            return false;
        }
        finally
        {
            _keyTop = keyBase;
        }
    }

    private bool EvalRegex(BoundRegex rx, Frame f)
    {
        var s = EvalStr(rx.Left, f);
        var regex = rx.Regex;
        bool matched = regex.Match(s.Span);
        if (matched && _program.UsesMatched)
        {
            // matched(n) reads the groups later, after the subject's temporary storage is gone.
            // A string literal may exceed MAXSTRINGLEN, and the group offsets index the whole subject.
            if (s.Length > _matchSubject.Length)
                _matchSubject = new byte[s.Length];
            s.Span.CopyTo(_matchSubject);
            _matchLength = s.Length;
            _lastRegex = regex;
        }
        else if (_program.UsesMatched)
        {
            _lastRegex = null;
        }
        return matched != rx.Negated;
    }

    private long EvalStatistic(BoundStatistic st, Frame f)
    {
        StatAggregate? agg = null;
        if (st.Operand is BoundVariable { Symbol: var s })
        {
            agg = _gStat[s.Slot];
        }
        else if (st.Operand is BoundElement el)
        {
            var map = _gMap[el.Array.Slot]!;
            int keyBase = PushKeys(el.Indexes, f, map);
            int entry = map.Find(KeyAt(keyBase, map.Arity));
            _keyTop = keyBase;
            if (entry >= 0)
                agg = map.GetStat(entry);
        }
        long count = agg?.Count ?? 0;
        switch (st.Op)
        {
            case StatOp.Count:
                return count;
            case StatOp.Sum:
                return agg?.Sum ?? 0;
        }
        if (count == 0)
            throw Error("empty aggregate", st);
        return agg!.Get(st.Op);
    }

    // ------------------------------------------------------------------ strings

    private StrRef EvalStr(BoundExpression e, Frame f)
    {
        switch (e.Kind)
        {
            case BoundKind.StringLiteral:
            {
                byte[] v = Unsafe.As<BoundStringLiteral>(e).Value;
                return new StrRef(v, 0, v.Length);
            }
            case BoundKind.Variable:
                return LoadStr(Unsafe.As<BoundVariable>(e).Symbol, f);
            case BoundKind.Element:
            {
                var el = Unsafe.As<BoundElement>(e);
                var map = _gMap[el.Array.Slot]!;
                int keyBase = PushKeys(el.Indexes, f, map);
                int entry = map.Find(KeyAt(keyBase, map.Arity));
                _keyTop = keyBase;
                return entry < 0 ? default : map.GetStrRef(entry);
            }
            case BoundKind.Concat:
                return EvalConcat(Unsafe.As<BoundConcat>(e), f);
            case BoundKind.Ternary:
            {
                var t = Unsafe.As<BoundTernary>(e);
                return EvalLong(t.Condition, f) != 0 ? EvalStr(t.WhenTrue, f) : EvalStr(t.WhenFalse, f);
            }
            case BoundKind.Assignment:
                return ExecStringAssignment(Unsafe.As<BoundAssignment>(e), f);
            case BoundKind.Call:
            {
                var call = Unsafe.As<BoundCall>(e);
                CallFunction(call, f);
                // the callee's frame is free again; copy its return value before anything reuses it
                return _arena.Copy(_lastReturn.Span);
            }
            case BoundKind.Builtin:
                return EvalBuiltinStr(Unsafe.As<BoundBuiltinCall>(e), f);
            case BoundKind.Print:
            {
                var p = Unsafe.As<BoundPrint>(e);
                _scratch.Clear();
                PrintTo(p, f, _scratch);
                _scratch.CutAtNul();
                return _arena.Copy(_scratch.AsSpan());
            }
            case BoundKind.ProcfsValue:
                return WriteValue();
            default:
                return default;
        }
    }

    private StrRef EvalConcat(BoundConcat c, Frame f)
    {
        // Reserve the result first so later temporaries land above it.
        byte[] chunk = _arena.Allocate(_maxLen, out int offset);
        if (c.Left.Kind == BoundKind.Concat)
            return EvalConcatChain(c, f, chunk, offset);
        var left = EvalStr(c.Left, f);
        int n = Math.Min(left.Length, _maxLen);
        left.Span[..n].CopyTo(chunk.AsSpan(offset));
        var right = EvalStr(c.Right, f);
        int m = Math.Min(right.Length, _maxLen - n);
        right.Span[..m].CopyTo(chunk.AsSpan(offset + n));
        return new StrRef(chunk, offset, n + m);
    }

    /// <summary>A left-deep chain a . b . c ...: each operand in turn is appended to the one result.</summary>
    private StrRef EvalConcatChain(BoundConcat c, Frame f, byte[] chunk, int offset)
    {
        int chainBase = _chainTop;
        try
        {
            BoundExpression e = c;
            while (e.Kind == BoundKind.Concat)
            {
                PushChain(e);
                e = Unsafe.As<BoundConcat>(e).Left;
            }
            var first = EvalStr(e, f);
            int n = Math.Min(first.Length, _maxLen);
            first.Span[..n].CopyTo(chunk.AsSpan(offset));
            while (_chainTop > chainBase)
            {
                var node = Unsafe.As<BoundConcat>(_chain[--_chainTop]);
                var right = EvalStr(node.Right, f);
                int m = Math.Min(right.Length, _maxLen - n);
                right.Span[..m].CopyTo(chunk.AsSpan(offset + n));
                n += m;
            }
            return new StrRef(chunk, offset, n);
        }
        finally
        {
            _chainTop = chainBase;
        }
    }

    // ------------------------------------------------------------------ assignment

    private long ExecAssignment(BoundAssignment a, Frame f, bool wantValue)
    {
        if (a.Target.Type == ScriptType.String || a.Target.Kind == BoundKind.ProcfsValue)
        {
            ExecStringAssignment(a, f);
            return 0;
        }
        if (a.Op == BoundOp.StatAdd)
        {
            ExecStatAdd(a, f);
            return 0;
        }
        switch (a.Target)
        {
            case BoundVariable { Symbol: var s }:
            {
                long value = EvalLong(a.Value, f);
                if (a.Op != BoundOp.Assign)
                    value = Arith(a.Op, LoadLong(s, f), value, a);
                StoreVariable(s, value, f);
                return value;
            }
            case BoundElement el:
            {
                var map = _gMap[el.Array.Slot]!;
                int keyBase = PushKeys(el.Indexes, f, map);
                long value = EvalLong(a.Value, f);
                if (a.Op != BoundOp.Assign)
                {
                    int existing = map.Find(KeyAt(keyBase, map.Arity));
                    value = Arith(a.Op, existing < 0 ? 0 : map.GetNum(existing), value, a);
                }
                int entry = FindOrAddEntry(map, keyBase, el);
                map.SetNum(entry, value);
                _keyTop = keyBase;
                return value;
            }
        }
        return 0;
    }

    private StrRef ExecStringAssignment(BoundAssignment a, Frame f)
    {
        switch (a.Target)
        {
            case BoundVariable { Symbol: var s }:
            {
                var value = EvalStr(a.Value, f);
                if (a.Op == BoundOp.ConcatAssign)
                {
                    var current = LoadStr(s, f);
                    int room = _maxLen - current.Length;
                    int n = Math.Min(room, value.Length);
                    if (n > 0)
                    {
                        value.Span[..n].CopyTo(current.Array.AsSpan(current.Length));
                        if (s.IsGlobal) _gStrLen[s.Slot] += n; else f.StrLens[s.Slot] += n;
                    }
                    return LoadStr(s, f);
                }
                return StoreVariable(s, value, f);
            }
            case BoundElement el:
            {
                var map = _gMap[el.Array.Slot]!;
                int keyBase = PushKeys(el.Indexes, f, map);
                var value = EvalStr(a.Value, f);
                int entry;
                if (a.Op == BoundOp.ConcatAssign)
                {
                    int existing = map.Find(KeyAt(keyBase, map.Arity));
                    var current = existing < 0 ? default : map.GetStrRef(existing);
                    byte[] chunk = _arena.Allocate(_maxLen, out int offset);
                    int n = Math.Min(current.Length, _maxLen);
                    current.Span[..n].CopyTo(chunk.AsSpan(offset));
                    int m = Math.Min(value.Length, _maxLen - n);
                    value.Span[..m].CopyTo(chunk.AsSpan(offset + n));
                    value = new StrRef(chunk, offset, n + m);
                }
                else if (value.Length > _maxLen)
                {
                    value = new StrRef(value.Array!, value.Offset, _maxLen);
                }
                entry = FindOrAddEntry(map, keyBase, el);
                map.SetStr(entry, value.Span);
                _keyTop = keyBase;
                return map.GetStrRef(entry);
            }
            case BoundProcfsValue:
            {
                var value = EvalStr(a.Value, f);
                var buffer = _readBuffer;
                if (buffer is null)
                    return value;
                long suggested = a.Op == BoundOp.ConcatAssign ? buffer.Append(value.Span) : buffer.Set(value.Span);
                if (suggested != 0)
                    throw Error($"buffer size exceeded, consider .maxsize({suggested}).", null);
                return value;
            }
        }
        return default;
    }

    private void ExecStatAdd(BoundAssignment a, Frame f)
    {
        switch (a.Target)
        {
            case BoundVariable { Symbol: var s }:
                _gStat[s.Slot]!.Add(EvalLong(a.Value, f));
                break;
            case BoundElement el:
            {
                var map = _gMap[el.Array.Slot]!;
                int keyBase = PushKeys(el.Indexes, f, map);
                long value = EvalLong(a.Value, f);
                int entry = FindOrAddEntry(map, keyBase, el);
                map.GetStat(entry).Add(value);
                _keyTop = keyBase;
                break;
            }
        }
    }

    private long ExecIncDec(BoundIncDec inc, Frame f)
    {
        long delta = inc.IsIncrement ? 1 : -1;
        switch (inc.Target)
        {
            case BoundVariable { Symbol: var s }:
            {
                long old = LoadLong(s, f);
                long now = unchecked(old + delta);
                StoreVariable(s, now, f);
                return inc.IsPrefix ? now : old;
            }
            case BoundElement el:
            {
                var map = _gMap[el.Array.Slot]!;
                int keyBase = PushKeys(el.Indexes, f, map);
                int entry = FindOrAddEntry(map, keyBase, el);
                ref long slot = ref map.NumRef(entry);
                long old = slot;
                slot = unchecked(old + delta);
                _keyTop = keyBase;
                return inc.IsPrefix ? slot : old;
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ function calls

    private StrRef _lastReturn;

    /// <summary>
    /// Calls a script function: arguments are evaluated in the caller (left to right) onto the argument
    /// stack, then copied into a pooled frame. Returns the long result; a string result is left in
    /// <see cref="_lastReturn"/> (valid until the next call).
    /// </summary>
    private long CallFunction(BoundCall call, Frame caller)
    {
        var args = call.Arguments;
        int argBase = _argTop;
        if (argBase + args.Length > _argNums.Length)
            GrowArgs(argBase + args.Length);
        _argTop = argBase + args.Length;
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                var a = args[i];
                if (a.Type == ScriptType.String)
                    _argStrs[argBase + i] = EvalStr(a, caller);
                else
                    _argNums[argBase + i] = EvalLong(a, caller);
            }
            for (var function = call.Function; function is not null; function = function.NextOverload)
            {
                if (function.IsBuiltin)
                    return CallBuiltinWithArgs(function, call, argBase);
                if (RunFunction(function, call, argBase, out long result))
                    return result;
            }
            throw Error("all functions exhausted", call);
        }
        finally
        {
            _argTop = argBase;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowArgs(int needed)
    {
        int size = Math.Max(needed, _argNums.Length * 2);
        Array.Resize(ref _argNums, size);
        Array.Resize(ref _argStrs, size);
    }

    /// <summary>Runs one overload; false when it executed <c>next</c>.</summary>
    private bool RunFunction(FunctionSymbol function, BoundCall call, int argBase, out long result)
    {
        result = 0;
        if (_depth + 1 > _maxNesting)
            throw Error("MAXNESTING exceeded", call);
        var pool = _functionFrames[function.Index]!;
        var frame = pool.Rent();
        var parameters = function.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (p.Type == ScriptType.String)
            {
                var s = _argStrs[argBase + i];
                int len = Math.Min(s.Length, _maxLen);
                s.Span[..len].CopyTo(frame.Strs[p.Slot]);
                frame.StrLens[p.Slot] = len;
            }
            else
            {
                frame.Longs[p.Slot] = _argNums[argBase + i];
            }
        }
        _depth++;
        long mark = _arena.Mark;
        try
        {
            var flow = ExecBlock(function.Body!, frame);
            if (flow == Flow.Next)
                return false;
            result = frame.ReturnLong;
            _lastReturn = new StrRef(frame.ReturnStr, 0, frame.ReturnLen);
            return true;
        }
        finally
        {
            _arena.Release(mark);
            _statement[_depth].Node = null;
            _depth--;
            pool.Return();
        }
    }
}
