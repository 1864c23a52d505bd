using System.Runtime.CompilerServices;
using ProcProbe.Interpreter.Binding;
using ProcProbe.Interpreter.Runtime.Builtins;
using ProcProbe.Interpreter.Runtime.Printf;
using ProcProbe.Interpreter.Runtime.Text;
using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Evaluation;

/// <summary>
/// Walks the bound tree. One instance per session; handlers run one at a time (the session holds a lock).
/// Everything a handler needs is prepared in the constructor (frames, global storage, scratch buffers), so
/// a warm handler allocates nothing: strings are byte views (<see cref="StrRef"/>) into variables, literals
/// or the <see cref="StringArena"/>, which is rewound after every statement.
/// </summary>
internal sealed partial class Interpreter
{
    private readonly BoundProgram _program;
    private readonly ScriptOptions _options;
    private readonly IRuntimeHost _host;
    private readonly int _maxLen;          // MAXSTRINGLEN - 1: longest stored string
    private readonly StringArena _arena;
    private readonly ByteBuilder _scratch;  // sprintf/builtin results before they are copied to the arena
    private readonly ByteBuilder _output;   // script output of the running handler
    private readonly Tokenizer _tokenizer;

    // globals, indexed by VariableSymbol.Slot
    private readonly long[] _gLong;
    private readonly byte[][] _gStr;
    private readonly int[] _gStrLen;
    private readonly StatAggregate?[] _gStat;
    private readonly AssocMap?[] _gMap;

    private readonly Dictionary<BoundProbe, Frame> _probeFrames = new();
    // The frame of the probe that ran last: procfs handlers run the same probe over and over, and
    // finding its frame again should not cost a dictionary lookup per run.
    private BoundProbe? _lastProbe;
    private Frame? _lastFrame;
    private readonly FramePool?[] _functionFrames;

    // key and argument stacks (evaluation order is left to right; nested uses push above)
    private long[] _keyNums = new long[64];
    private StrRef[] _keyStrs = new StrRef[64];
    private int _keyTop;
    private long[] _argNums = new long[64];
    private StrRef[] _argStrs = new StrRef[64];
    private int _argTop;

    // the running handler
    private BoundProbe? _probe;
    private long _actionsLeft;
    private int _depth;
    // Current statement per call depth, for "near ... (called from ...)". A struct element: a store into
    // a BoundNode?[] would pay the array covariance check on every statement.
    private readonly StatementSlot[] _statement;
    private readonly int _maxNesting;
    private ProcfsReadBuffer? _readBuffer;
    private bool _isWrite;

    // The procfs write being handled (BeginWrite..EndWrite), still where the caller holds it: $value is
    // cut and copied into _writeStorage only when a handler first reads it, so a write handler that
    // never reads $value costs neither the NUL scan nor the copy. _writeLength is -1 until then.
    private unsafe byte* _writeSource;
    private int _writeSourceLength;
    private byte[]? _writeStorage;
    private int _writeLength;
    private Caller _caller;
    private bool _abortRequested;

    // the last successful =~ and a copy of its subject, for matched()/matched_str()/ngroups()
    private ScriptRegex? _lastRegex;
    private byte[] _matchSubject;
    private int _matchLength;

    public Interpreter(BoundProgram program, ScriptOptions options, IRuntimeHost host)
    {
        _program = program;
        _options = options;
        _host = host;
        _maxLen = Math.Max(0, options.MaxStringLen - 1);
        _arena = new StringArena(options.MaxStringLen);
        _scratch = new ByteBuilder(_maxLen, options.MaxStringLen);
        _output = new ByteBuilder(ByteBuilder.Unlimited, 8192);
        _tokenizer = new Tokenizer(options.MaxStringLen);
        _matchSubject = new byte[Math.Max(16, options.MaxStringLen)];

        int n = program.Globals.Count;
        _gLong = new long[n];
        _gStr = new byte[n][];
        _gStrLen = new int[n];
        _gStat = new StatAggregate?[n];
        _gMap = new AssocMap?[n];
        foreach (var g in program.Globals)
        {
            int s = g.Slot;
            _gStr[s] = [];
            if (g.IsArray)
            {
                var keyIsString = g.IndexTypes.Select(t => t == ScriptType.String).ToArray();
                int capacity = g.MaxSize ?? options.MaxMapEntries;
                _gMap[s] = new AssocMap(keyIsString, g.Type, capacity, g.Wrap, g.StatShift, g.Histogram);
            }
            else if (g.Type == ScriptType.Stats)
            {
                _gStat[s] = new StatAggregate(g.Histogram) { Shift = g.StatShift };
            }
            else if (g.Type == ScriptType.String)
            {
                _gStr[s] = new byte[options.MaxStringLen];
            }
        }
        InitializeGlobals();

        foreach (var p in program.Probes)
            _probeFrames[p] = new Frame(p.Locals, options.MaxStringLen, false);
        _functionFrames = new FramePool?[program.Functions.Count];
        foreach (var f in program.Functions)
        {
            if (!f.IsBuiltin)
                _functionFrames[f.Index] = new FramePool(f, options.MaxStringLen);
        }
        _maxNesting = options.MaxNesting ?? program.StaticNesting;
        _statement = new StatementSlot[_maxNesting + 2];
    }

    /// <summary>The output written by the handlers since the last <see cref="TakeOutput"/>.</summary>
    public ByteBuilder Output => _output;

    public bool HasOutput => _output.Length > 0;

    /// <summary>Globals get their initial values before any probe runs (language.md §3.10.1).</summary>
    private void InitializeGlobals()
    {
        foreach (var g in _program.Globals)
        {
            switch (g.Initializer)
            {
                case NumberLiteralExpression n:
                    _gLong[g.Slot] = n.Value;
                    break;
                case StringLiteralExpression s:
                {
                    byte[] value = s.GetValue();
                    int len = Math.Min(value.Length, _maxLen);
                    value.AsSpan(0, len).CopyTo(_gStr[g.Slot]);
                    _gStrLen[g.Slot] = len;
                    break;
                }
            }
        }
        SeedArguments();
    }

    /// <summary>argc and argv[1..argc] (tapset/argv.stp) hold the script arguments from the first begin probe on.</summary>
    private void SeedArguments()
    {
        var arguments = _options.Arguments;
        foreach (var g in _program.Globals)
        {
            if (!g.IsTapset)
                continue;
            if (g.Name == "argc" && !g.IsArray)
            {
                _gLong[g.Slot] = arguments.Count;
            }
            else if (g.Name == "argv" && _gMap[g.Slot] is { } map)
            {
                var number = new long[1];
                var text = new StrRef[1];
                for (int i = 0; i < arguments.Count; i++)
                {
                    number[0] = i + 1;
                    int entry = map.FindOrAdd(new MapKey(number, text));
                    if (entry < 0)
                        break;
                    byte[] bytes = System.Text.Encoding.UTF8.GetBytes(arguments[i]);
                    map.SetStr(entry, bytes.AsSpan(0, Math.Min(bytes.Length, _maxLen)));
                }
            }
        }
    }

    // ------------------------------------------------------------------ running a probe

    /// <summary>
    /// Runs one probe handler. Returns the run-time error (already formatted as stap prints it, without
    /// the "ERROR: " prefix) or null. <paramref name="readBuffer"/> is the procfs read target,
    /// <paramref name="isWrite"/> makes the write given to <see cref="BeginWrite"/> its <c>$value</c>.
    /// </summary>
    public string? RunProbe(BoundProbe probe, in Caller caller, ProcfsReadBuffer? readBuffer, bool isWrite, out bool errorCaught)
    {
        errorCaught = false;
        _probe = probe;
        _caller = caller;
        _readBuffer = readBuffer;
        _isWrite = isWrite;
        _actionsLeft = _options.EffectiveMaxAction;
        _depth = 0;
        _keyTop = 0;
        _argTop = 0;
        _abortRequested = false;
        long mark = _arena.Mark;
        Frame frame;
        if (ReferenceEquals(probe, _lastProbe))
        {
            frame = _lastFrame!;
        }
        else
        {
            frame = _probeFrames[probe];
            _lastProbe = probe;
            _lastFrame = frame;
        }
        frame.Reset();
        // No reset of the function frame pools: RunFunction returns its frame in a finally, so every
        // run, even one ended by an error or an exception, leaves all pools empty.
        try
        {
            if (probe.Condition is not null && EvalLong(probe.Condition, frame) == 0)
                return null;
            ExecBlock(probe.Body, frame);
            if (probe.ExitAfterBody)
                _host.RequestExit();
            return null;
        }
        catch (ScriptError e)
        {
            if (e.IsAbort)
                return null;
            errorCaught = true;
            return FormatError(e);
        }
        catch (InsufficientExecutionStackException)
        {
            errorCaught = true;
            return "MAXNESTING exceeded" + " in probe " + probe.PointText;
        }
        finally
        {
            _arena.Release(mark);
            _probe = null;
            _readBuffer = null;
            _isWrite = false;
        }
    }

    /// <summary>
    /// Makes <paramref name="length"/> bytes at <paramref name="data"/> the procfs write whose <c>$value</c>
    /// the write handlers run until <see cref="EndWrite"/> see: the bytes up to the first NUL, at most
    /// MAXSTRINGLEN-1 of them, copied into <paramref name="storage"/> (MAXSTRINGLEN bytes) at the first read.
    /// The caller keeps the data pinned and unchanged until <see cref="EndWrite"/>.
    /// </summary>
    public unsafe void BeginWrite(byte* data, int length, byte[] storage)
    {
        _writeSource = data;
        _writeSourceLength = length;
        _writeStorage = storage;
        _writeLength = -1;
    }

    public unsafe void EndWrite()
    {
        _writeSource = null;
        _writeSourceLength = 0;
        _writeStorage = null;
    }

    /// <summary>The <c>$value</c> of the running write handler (empty in any other handler).</summary>
    private unsafe StrRef WriteValue()
    {
        if (!_isWrite || _writeStorage is null)
            return default;
        if (_writeLength < 0)
        {
            // $value is a C string: it ends at the first NUL and holds at most MAXSTRINGLEN-1 bytes
            var data = new ReadOnlySpan<byte>(_writeSource, _writeSourceLength);
            int nul = data.IndexOf((byte)0);
            if (nul >= 0)
                data = data[..nul];
            int length = Math.Min(data.Length, _maxLen);
            data[..length].CopyTo(_writeStorage);
            _writeLength = length;
        }
        return new StrRef(_writeStorage, 0, _writeLength);
    }

    /// <summary>Moves the handler's output into <paramref name="sink"/>.</summary>
    public void TakeOutput(Stream sink)
    {
        if (_output.Length == 0)
            return;
        sink.Write(_output.AsSpan());
        _output.Clear();
    }

    private string FormatError(ScriptError e)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(e.Message);
        BoundNode? near = e.Node ?? (e.Depth >= 0 && e.Depth < _statement.Length ? _statement[e.Depth].Node : null);
        if (near is not null)
        {
            sb.Append(" near ").Append(Describe(near.Token));
            if (e.CallerStatements is { } callers)
            {
                foreach (var c in callers)
                {
                    if (c is not null)
                        sb.Append(" (called from ").Append(Describe(c.Token)).Append(')');
                }
            }
            if (_probe is not null)
                sb.Append(" in probe ").Append(_probe.PointText);
        }
        string text = sb.ToString();
        // stap builds the line in a MAXSTRINGLEN buffer
        if (text.Length > _maxLen)
            text = text[.._maxLen];
        return text;
    }

    private static string Describe(Token token) => Diagnostics.DiagnosticFormatter.DescribeToken(token, includeFileName: true);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ScriptError Error(string message, BoundNode? node, bool catchable = true)
    {
        // without a node the error is "near" the running statement; take it now, before unwinding clears it
        node ??= _statement[_depth].Node;
        var e = new ScriptError(message, node, catchable, _depth);
        if (_depth > 0)
        {
            var callers = new BoundNode?[_depth];
            for (int d = _depth - 1, i = 0; d >= 0; d--, i++)
                callers[i] = _statement[d].Node;
            e.CallerStatements = callers;
        }
        return e;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Charge(long n, BoundNode node)
    {
        _actionsLeft -= n;
        if (_actionsLeft <= 0)
            ThrowMaxAction(node);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowMaxAction(BoundNode node) => throw Error("MAXACTION exceeded", node, catchable: false);

    // ------------------------------------------------------------------ statements

    private Flow ExecBlock(BoundBlock block, Frame f)
    {
        var statements = block.Statements;
        for (int i = 0; i < statements.Length; i++)
        {
            var flow = Exec(statements[i], f);
            if (flow != Flow.Normal)
                return flow;
        }
        return Flow.Normal;
    }

    private Flow Exec(BoundStatement s, Frame f)
    {
        switch (s.Kind)
        {
            case BoundKind.Block:
                return ExecBlock(Unsafe.As<BoundBlock>(s), f);
            case BoundKind.ExpressionStatement:
            {
                _statement[_depth].Node = s;
                Charge(1, s);
                long mark = _arena.Mark;
                int keyTop = _keyTop;
                EvalVoid(Unsafe.As<BoundExpressionStatement>(s).Expression, f);
                _arena.Release(mark);
                _keyTop = keyTop;
                return _abortRequested ? ThrowAbort() : Flow.Normal;
            }
            case BoundKind.If:
            {
                var i = Unsafe.As<BoundIf>(s);
                _statement[_depth].Node = s;
                Charge(1, s);
                long mark = _arena.Mark;
                bool cond = EvalLong(i.Condition, f) != 0;
                _arena.Release(mark);
                if (cond)
                    return Exec(i.Then, f);
                return i.Else is null ? Flow.Normal : Exec(i.Else, f);
            }
            case BoundKind.For:
                return ExecFor(Unsafe.As<BoundFor>(s), f);
            case BoundKind.Foreach:
                return ExecForeach(Unsafe.As<BoundForeach>(s), f);
            case BoundKind.HistogramForeach:
                return ExecHistogramForeach(Unsafe.As<BoundHistogramForeach>(s), f);
            case BoundKind.Return:
            {
                var r = Unsafe.As<BoundReturn>(s);
                _statement[_depth].Node = s;
                Charge(1, s);
                if (r.Value is not null)
                {
                    long mark = _arena.Mark;
                    if (r.Value.Type == ScriptType.String)
                    {
                        var v = EvalStr(r.Value, f);
                        int len = Math.Min(v.Length, Math.Min(_maxLen, f.ReturnStr.Length));
                        v.Span[..len].CopyTo(f.ReturnStr);
                        f.ReturnLen = len;
                    }
                    else
                    {
                        f.ReturnLong = EvalLong(r.Value, f);
                    }
                    _arena.Release(mark);
                }
                return Flow.Return;
            }
            case BoundKind.Delete:
                _statement[_depth].Node = s;
                Charge(1, s);
                ExecDelete(Unsafe.As<BoundDelete>(s), f);
                return Flow.Normal;
            case BoundKind.Next:
                _statement[_depth].Node = s;
                Charge(1, s);
                return Flow.Next;
            case BoundKind.Break:
                _statement[_depth].Node = s;
                Charge(1, s);
                return Flow.Break;
            case BoundKind.Continue:
                _statement[_depth].Node = s;
                Charge(1, s);
                return Flow.Continue;
            case BoundKind.Try:
                return ExecTry(Unsafe.As<BoundTry>(s), f);
            default:
                return Flow.Normal;
        }
    }

    private Flow ThrowAbort() => throw new ScriptError("abort", null, catchable: false) { IsAbort = true };

    private Flow ExecFor(BoundFor loop, Frame f)
    {
        _statement[_depth].Node = loop;
        Charge(1, loop);
        if (loop.Init is not null)
        {
            long mark = _arena.Mark;
            EvalVoid(loop.Init, f);
            _arena.Release(mark);
        }
        while (true)
        {
            _statement[_depth].Node = loop;
            Charge(1, loop);
            long mark = _arena.Mark;
            bool cond = EvalLong(loop.Condition, f) != 0;
            _arena.Release(mark);
            if (!cond)
                return Flow.Normal;
            var flow = Exec(loop.Body, f);
            if (flow == Flow.Break)
                return Flow.Normal;
            if (flow is Flow.Return or Flow.Next)
                return flow;
            if (loop.Increment is not null)
            {
                mark = _arena.Mark;
                EvalVoid(loop.Increment, f);
                _arena.Release(mark);
            }
        }
    }

    private Flow ExecTry(BoundTry t, Frame f)
    {
        _statement[_depth].Node = t;
        Charge(1, t);
        int depth = _depth;
        int keyTop = _keyTop, argTop = _argTop;
        long mark = _arena.Mark;
        try
        {
            return ExecBlock(t.TryBlock, f);
        }
        catch (ScriptError e) when (e.Catchable)
        {
            // unwind anything the failed block had open
            while (_depth > depth)
            {
                _depth--;
            }
            _keyTop = keyTop;
            _argTop = argTop;
            _arena.Release(mark);
            if (t.CatchVariable is { } v)
            {
                byte[] message = System.Text.Encoding.Latin1.GetBytes(e.Message);
                StoreVariable(v, new StrRef(message), f);
            }
            return ExecBlock(t.CatchBlock, f);
        }
    }

    private void ExecDelete(BoundDelete d, Frame f)
    {
        switch (d.Target)
        {
            case BoundVariable { Symbol: var s }:
                if (s.IsGlobal)
                {
                    if (_gMap[s.Slot] is { } map)
                        map.Clear();
                    else if (_gStat[s.Slot] is { } stat)
                        stat.Clear();
                    else
                    {
                        _gLong[s.Slot] = 0;
                        _gStrLen[s.Slot] = 0;
                    }
                }
                else
                {
                    f.Longs[s.Slot] = 0;
                    f.StrLens[s.Slot] = 0;
                }
                break;
            case BoundElement el:
            {
                var map = _gMap[el.Array.Slot]!;
                int keyBase = PushKeys(el.Indexes, f, map);
                var key = KeyAt(keyBase, map.Arity);
                if (el.HasWildcard)
                {
                    Span<bool> wild = stackalloc bool[el.Indexes.Length];
                    WildcardMask(el.Indexes, wild);
                    for (int i = map.First; i >= 0;)
                    {
                        int next = map.NextOf(i);
                        if (map.Matches(i, key, wild))
                            map.Remove(i);
                        i = next;
                    }
                }
                else
                {
                    int entry = map.Find(key);
                    if (entry >= 0)
                        map.Remove(entry);
                }
                _keyTop = keyBase;
                break;
            }
        }
    }

    /// <summary>Which index positions are <c>*</c>; the caller provides the (stack) storage.</summary>
    private static void WildcardMask(BoundExpression?[] indexes, Span<bool> mask)
    {
        for (int i = 0; i < indexes.Length; i++)
            mask[i] = indexes[i] is null;
    }

    private Flow ExecForeach(BoundForeach fe, Frame f)
    {
        _statement[_depth].Node = fe;
        Charge(1, fe);
        var map = _gMap[fe.Array.Slot]!;
        long limit = long.MaxValue;
        if (fe.Limit is not null)
            limit = EvalLong(fe.Limit, f);
        int[] entries;
        int count;
        if (fe.SortDirection != 0)
            entries = map.SortedEntries(fe.SortColumn - 1, fe.SortDirection < 0, fe.SortAggregate, out count);
        else
            entries = map.Entries(out count);

        int keyBase = -1;
        Span<bool> wild = stackalloc bool[fe.Slice?.Length ?? 0];
        if (fe.Slice is not null)
        {
            keyBase = PushKeys(fe.Slice, f, map);
            WildcardMask(fe.Slice, wild);
        }
        try
        {
            long done = 0;
            for (int i = 0; i < count; i++)
            {
                int entry = entries[i];
                if (keyBase >= 0 && !map.Matches(entry, KeyAt(keyBase, map.Arity), wild))
                    continue;
                if (done >= limit)
                    break;
                _statement[_depth].Node = fe;
                Charge(1, fe);
                done++;
                for (int k = 0; k < fe.Keys.Length; k++)
                {
                    var key = fe.Keys[k];
                    if (map.KeyIsString(k))
                        StoreVariable(key, map.GetKeyStrRef(entry, k), f);
                    else
                        StoreVariable(key, map.GetKeyNum(entry, k), f);
                }
                if (fe.Value is { } v)
                {
                    if (map.ValueKind == ScriptType.String)
                        StoreVariable(v, map.GetStrRef(entry), f);
                    else if (map.ValueKind == ScriptType.Long)
                        StoreVariable(v, map.GetNum(entry), f);
                }
                var flow = Exec(fe.Body, f);
                if (flow == Flow.Break)
                    break;
                if (flow is Flow.Return or Flow.Next)
                    return flow;
            }
            _statement[_depth].Node = fe;
            Charge(1, fe);
            return Flow.Normal;
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(entries);
            if (keyBase >= 0)
                _keyTop = keyBase;
        }
    }

    // ------------------------------------------------------------------ variables

    private void StoreVariable(VariableSymbol v, long value, Frame f)
    {
        if (v.IsGlobal)
            _gLong[v.Slot] = value;
        else
            f.Longs[v.Slot] = value;
    }

    private StrRef StoreVariable(VariableSymbol v, StrRef value, Frame f)
    {
        byte[] dest;
        int len = Math.Min(value.Length, _maxLen);
        if (v.IsGlobal)
        {
            dest = _gStr[v.Slot];
            value.Span[..len].CopyTo(dest);
            _gStrLen[v.Slot] = len;
        }
        else
        {
            dest = f.Strs[v.Slot];
            value.Span[..len].CopyTo(dest);
            f.StrLens[v.Slot] = len;
        }
        return new StrRef(dest, 0, len);
    }

    private StrRef LoadStr(VariableSymbol v, Frame f)
        => v.IsGlobal ? new StrRef(_gStr[v.Slot], 0, _gStrLen[v.Slot]) : new StrRef(f.Strs[v.Slot], 0, f.StrLens[v.Slot]);

    private long LoadLong(VariableSymbol v, Frame f) => v.IsGlobal ? _gLong[v.Slot] : f.Longs[v.Slot];

    // ------------------------------------------------------------------ array keys

    /// <summary>Evaluates index expressions (left to right) onto the key stack; returns the base position.</summary>
    private int PushKeys(BoundExpression?[] indexes, Frame f, AssocMap map)
    {
        int n = indexes.Length;
        int keyBase = _keyTop;
        if (keyBase + n > _keyNums.Length)
            GrowKeys(keyBase + n);
        _keyTop = keyBase + n;
        for (int i = 0; i < n; i++)
        {
            var e = indexes[i];
            if (e is null)
            {
                _keyNums[keyBase + i] = 0;
                _keyStrs[keyBase + i] = default;
                continue;
            }
            if (map.KeyIsString(i))
            {
                var s = EvalStr(e, f);
                if (s.Length > _maxLen)
                    s = new StrRef(s.Array!, s.Offset, _maxLen);
                _keyStrs[keyBase + i] = s;
            }
            else
            {
                _keyNums[keyBase + i] = EvalLong(e, f);
            }
        }
        return keyBase;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowKeys(int needed)
    {
        int size = Math.Max(needed, _keyNums.Length * 2);
        Array.Resize(ref _keyNums, size);
        Array.Resize(ref _keyStrs, size);
    }

    private MapKey KeyAt(int keyBase, int arity)
        => new(_keyNums.AsSpan(keyBase, arity), _keyStrs.AsSpan(keyBase, arity));

    private int FindOrAddEntry(AssocMap map, int keyBase, BoundElement el)
    {
        int entry = map.FindOrAdd(KeyAt(keyBase, map.Arity));
        if (entry < 0)
            throw OverflowError(map, el);
        return entry;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ScriptError OverflowError(AssocMap map, BoundElement el)
    {
        string message = el.Array.MaxSize is int size
            ? $"Array overflow, check size limit ({size})"
            : "Array overflow, check MAXMAPENTRIES";
        return Error(message, el);
    }
}

/// <summary>What the interpreter needs from its session: context values and life-cycle requests.</summary>
internal interface IRuntimeHost
{
    void RequestExit();
    int ProcessId { get; }
    string ExecName(int pid);
    int ParentPid(int pid);
    void Warn(ReadOnlySpan<byte> message);
}

/// <summary>One element of the per-depth statement stack (a struct, so stores need no covariance check).</summary>
internal struct StatementSlot
{
    public BoundNode? Node;
}
