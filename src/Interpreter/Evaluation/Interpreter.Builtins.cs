using ProcProbe.Interpreter.Binding;
using ProcProbe.Interpreter.Runtime.Builtins;
using ProcProbe.Interpreter.Runtime.Printf;
using ProcProbe.Interpreter.Runtime.Text;
using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Evaluation;

internal sealed partial class Interpreter
{
    // ------------------------------------------------------------------ print family

    private void PrintTo(BoundPrint p, Frame f, ByteBuilder dest)
    {
        if (p.HistogramOperand is { } histogram)
        {
            PrintHistogram(histogram, f, dest);
            return;
        }
        var args = p.Arguments;
        var buffer = new PrintfArgBuffer();
        Span<PrintfArg> values = buffer;
        int n = Math.Min(args.Length, PrintfArgBuffer.Capacity);
        for (int i = 0; i < n; i++)
        {
            var a = args[i];
            if (a.Type == ScriptType.String)
            {
                var s = EvalStr(a, f);
                values[i] = s.Array is null ? new PrintfArg(ReadOnlyMemory<byte>.Empty) : new PrintfArg(new ReadOnlyMemory<byte>(s.Array, s.Offset, s.Length));
            }
            else
            {
                values[i] = new PrintfArg(EvalLong(a, f));
            }
        }
        ReadOnlySpan<PrintfArg> list = values[..n];
        // builtins among the arguments use the scratch buffer too; their results are already copied out
        if (ReferenceEquals(dest, _scratch))
            dest.Clear();
        switch (p.Function)
        {
            case PrintFunction.Printf:
                p.Format!.Format(dest, list);
                break;
            case PrintFunction.Sprintf:
                p.Format!.FormatString(dest, list);
                break;
            case PrintFunction.Print:
                PrintFamily.Print(dest, list);
                break;
            case PrintFunction.Println:
                PrintFamily.PrintLn(dest, list);
                break;
            case PrintFunction.Printd:
                PrintFamily.PrintD(dest, p.Delimiter, list);
                break;
            case PrintFunction.Printdln:
                PrintFamily.PrintDLn(dest, p.Delimiter, list);
                break;
            case PrintFunction.Sprint:
                PrintFamily.SPrint(dest, list);
                break;
            case PrintFunction.Sprintln:
                PrintFamily.SPrintLn(dest, list);
                break;
            case PrintFunction.Sprintd:
                PrintFamily.SPrintD(dest, p.Delimiter, list);
                break;
            case PrintFunction.Sprintdln:
                PrintFamily.SPrintDLn(dest, p.Delimiter, list);
                break;
            case PrintFunction.PrintChar:
                if (n > 0)
                    PrintFamily.PrintChar(dest, list[0].Long);
                break;
        }
    }

    /// <summary>
    /// The histogram of a stats global or element; an element that was never added to is stap's
    /// "aggregate element not found" error.
    /// </summary>
    private void PrintHistogram(BoundExpression operand, Frame f, ByteBuilder dest)
    {
        StatAggregate? agg = null;
        if (operand is BoundVariable { Symbol: var s })
        {
            agg = _gStat[s.Slot];
        }
        else if (operand is BoundElement el)
        {
            var map = _gMap[el.Array.Slot]!;
            int keyBase = PushKeys(el.Indexes, f, map);
            int entry = map.Find(KeyAt(keyBase, map.Arity));
            _keyTop = keyBase;
            if (entry >= 0)
                agg = map.GetStat(entry);
        }
        if (agg is null)
            throw Error("aggregate element not found", operand);
        if (agg.Buckets is not null)
            HistogramPrinter.Print(dest, agg);
    }

    // ------------------------------------------------------------------ builtins

    private void EvalArgs(BoundBuiltinCall call, Frame f, int argBase)
    {
        var args = call.Arguments;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i].Type == ScriptType.String)
            {
                var s = EvalStr(args[i], f);
                if (s.Length > _maxLen)
                    s = new StrRef(s.Array!, s.Offset, _maxLen);
                _argStrs[argBase + i] = s;
            }
            else
            {
                _argNums[argBase + i] = EvalLong(args[i], f);
            }
        }
    }

    private long EvalBuiltinLong(BoundBuiltinCall call, Frame f)
    {
        int argBase = _argTop;
        if (argBase + call.Arguments.Length > _argNums.Length)
            GrowArgs(argBase + call.Arguments.Length);
        _argTop = argBase + call.Arguments.Length;
        try
        {
            EvalArgs(call, f, argBase);
            return CallBuiltinWithArgs(call.Function, call, argBase);
        }
        finally
        {
            _argTop = argBase;
        }
    }

    private StrRef EvalBuiltinStr(BoundBuiltinCall call, Frame f)
    {
        EvalBuiltinLong(call, f);
        return _arena.Copy(_scratch.AsSpan());
    }

    /// <summary>
    /// Runs a native tapset function on arguments already on the argument stack. A string result is left
    /// in <see cref="_scratch"/> (and in <see cref="_lastReturn"/> for the overload chain).
    /// </summary>
    private long CallBuiltinWithArgs(FunctionSymbol function, BoundNode call, int a)
    {
        ReadOnlySpan<byte> S(int i) => _argStrs[a + i].Span;
        long L(int i) => _argNums[a + i];
        _scratch.Clear();
        long result = 0;
        switch (function.Builtin)
        {
            case BuiltinId.Exit:
                _host.RequestExit();
                break;
            case BuiltinId.Abort:
                _host.RequestExit();
                _abortRequested = true;
                break;
            case BuiltinId.Error:
                throw Error(System.Text.Encoding.Latin1.GetString(S(0)), null);
            case BuiltinId.Assert1:
                if (L(0) == 0)
                    throw Error("Assertion failed", null);
                break;
            case BuiltinId.Assert2:
                if (L(0) == 0)
                    throw Error(System.Text.Encoding.Latin1.GetString(S(1)), null);
                break;
            case BuiltinId.Log:
                _output.Append(S(0));
                _output.Append((byte)'\n');
                break;
            case BuiltinId.Warn:
                _host.Warn(S(0));
                break;
            case BuiltinId.Strlen:
                result = StringBuiltins.Strlen(S(0));
                break;
            case BuiltinId.Substr:
                _scratch.Append(StringBuiltins.Substr(S(0), L(1), L(2), _options.MaxStringLen));
                break;
            case BuiltinId.Stringat:
                if (StringBuiltins.StringAt(S(0), L(1), out result) is var se && se != BuiltinError.None)
                    throw Error(BuiltinErrors.Message(se)!, null);
                break;
            case BuiltinId.Isinstr:
                result = StringBuiltins.IsInStr(S(0), S(1));
                break;
            case BuiltinId.Strpos:
                result = StringBuiltins.StrPos(S(0), S(1));
                break;
            case BuiltinId.StrReplace:
                StringBuiltins.StrReplace(_scratch, S(0), S(1), S(2));
                break;
            case BuiltinId.Strtol:
                result = StringBuiltins.StrToL(S(0), L(1));
                break;
            case BuiltinId.Isdigit:
                result = StringBuiltins.IsDigit(S(0));
                break;
            case BuiltinId.TextStr:
                StringBuiltins.TextStr(_scratch, S(0), _options.MaxStringLen);
                break;
            case BuiltinId.TextStrn:
                StringBuiltins.TextStrn(_scratch, S(0), L(1), L(2), _options.MaxStringLen);
                break;
            case BuiltinId.StringQuoted:
                StringBuiltins.StringQuoted(_scratch, S(0), _options.MaxStringLen);
                break;
            case BuiltinId.Tokenize1:
                _tokenizer.Next(_scratch, default, S(0));
                break;
            case BuiltinId.Tokenize2:
                _tokenizer.Next(_scratch, S(0), S(1));
                break;
            case BuiltinId.GettimeofdayNs: result = TimeBuiltins.GettimeofdayNs(); break;
            case BuiltinId.GettimeofdayUs: result = TimeBuiltins.GettimeofdayUs(); break;
            case BuiltinId.GettimeofdayMs: result = TimeBuiltins.GettimeofdayMs(); break;
            case BuiltinId.GettimeofdayS: result = TimeBuiltins.GettimeofdayS(); break;
            case BuiltinId.LocalClockNs or BuiltinId.CpuClockNs or BuiltinId.KtimeGetNs: result = TimeBuiltins.LocalClockNs(); break;
            case BuiltinId.LocalClockUs or BuiltinId.CpuClockUs: result = TimeBuiltins.LocalClockUs(); break;
            case BuiltinId.LocalClockMs or BuiltinId.CpuClockMs: result = TimeBuiltins.LocalClockMs(); break;
            case BuiltinId.LocalClockS or BuiltinId.CpuClockS: result = TimeBuiltins.LocalClockS(); break;
            case BuiltinId.GetCycles: result = TimeBuiltins.GetCycles(); break;
            case BuiltinId.Jiffies: result = TimeBuiltins.Jiffies(); break;
            case BuiltinId.Hz: result = TimeBuiltins.Hz; break;
            case BuiltinId.Ctime0:
            case BuiltinId.Ctime1:
            {
                long seconds = function.Builtin == BuiltinId.Ctime0 ? TimeBuiltins.GettimeofdayS() : L(0);
                var ce = TimeBuiltins.Ctime(_scratch, seconds);
                if (ce != BuiltinError.None)
                    throw Error(BuiltinErrors.Message(ce)!, null);
                break;
            }
            case BuiltinId.Pid:
            case BuiltinId.Tid:
                result = _caller.Pid;
                break;
            case BuiltinId.Ppid:
                result = _host.ParentPid(_caller.Pid);
                break;
            case BuiltinId.Uid:
            case BuiltinId.Euid:
                result = _caller.Uid;
                break;
            case BuiltinId.Gid:
            case BuiltinId.Egid:
                result = _caller.Gid;
                break;
            case BuiltinId.Cpu:
                result = Thread.GetCurrentProcessorId();
                break;
            case BuiltinId.Target:
                result = _options.TargetPid;
                break;
            case BuiltinId.StpPid:
                result = _host.ProcessId;
                break;
            case BuiltinId.Execname:
                _scratch.AppendUtf8(_host.ExecName(_caller.Pid));
                break;
            case BuiltinId.Pexecname:
                _scratch.AppendUtf8(_host.ExecName(_host.ParentPid(_caller.Pid)));
                break;
            case BuiltinId.Pp:
                if (_probe is not null)
                    _scratch.Append(_probe.PointBytes);
                break;
            case BuiltinId.Pn:
                if (_probe is not null)
                    _scratch.Append(_probe.UserPointBytes);
                break;
            case BuiltinId.ProbeType:
                _scratch.Append(_probe?.Kind switch
                {
                    // jiffies timers are kernel timer_list timers; the others are hrtimers
                    ProbeKind.Timer => _probe.PointText.StartsWith("timer.jiffies", StringComparison.Ordinal) ? "timer"u8 : "hrtimer"u8,
                    ProbeKind.ProcfsRead or ProbeKind.ProcfsWrite => "procfs"u8,
                    _ => "begin_end"u8,
                });
                break;
            case BuiltinId.ModuleName:
                _scratch.AppendUtf8(_options.ModuleName);
                break;
            case BuiltinId.Randint:
            {
                var re = RandomBuiltins.RandInt(L(0), out result);
                if (re != BuiltinError.None)
                    throw Error(BuiltinErrors.Message(re)!, null);
                break;
            }
            case BuiltinId.ErrnoStr:
                _scratch.AppendUtf8(ErrnoName(L(0)));
                break;
            case BuiltinId.Matched:
            {
                long g = L(0);
                if (g > 0)
                    _lastRegex?.ResolveGroups(_matchSubject.AsSpan(0, _matchLength));
                if (_lastRegex is { } rx && g >= 0 && g <= rx.GroupCount && rx.GroupStart((int)g) >= 0)
                    _scratch.Append(_matchSubject.AsSpan(rx.GroupStart((int)g), rx.GroupEnd((int)g) - rx.GroupStart((int)g)));
                break;
            }
            case BuiltinId.MatchedStr:
                if (_lastRegex is { } whole)
                    _scratch.Append(_matchSubject.AsSpan(whole.GroupStart(0), whole.GroupEnd(0) - whole.GroupStart(0)));
                break;
            case BuiltinId.Ngroups:
                result = _lastRegex is { } counted ? counted.GroupCount + 1 : 0;
                break;
        }
        _lastReturn = ScratchRef();
        return result;
    }

    /// <summary>A view of the scratch builder's bytes (valid until it is next cleared).</summary>
    private StrRef ScratchRef()
    {
        var memory = _scratch.AsMemory();
        return System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var segment) && segment.Array is not null
            ? new StrRef(segment.Array, segment.Offset, segment.Count)
            : default;
    }

    private static string ErrnoName(long err) => err switch
    {
        1 => "EPERM", 2 => "ENOENT", 3 => "ESRCH", 4 => "EINTR", 5 => "EIO", 6 => "ENXIO", 7 => "E2BIG",
        8 => "ENOEXEC", 9 => "EBADF", 10 => "ECHILD", 11 => "EAGAIN", 12 => "ENOMEM", 13 => "EACCES",
        14 => "EFAULT", 15 => "ENOTBLK", 16 => "EBUSY", 17 => "EEXIST", 18 => "EXDEV", 19 => "ENODEV",
        20 => "ENOTDIR", 21 => "EISDIR", 22 => "EINVAL", 23 => "ENFILE", 24 => "EMFILE", 25 => "ENOTTY",
        26 => "ETXTBSY", 27 => "EFBIG", 28 => "ENOSPC", 29 => "ESPIPE", 30 => "EROFS", 31 => "EMLINK",
        32 => "EPIPE", 33 => "EDOM", 34 => "ERANGE", 35 => "EDEADLK", 36 => "ENAMETOOLONG", 37 => "ENOLCK",
        38 => "ENOSYS", 39 => "ENOTEMPTY", 40 => "ELOOP", 42 => "ENOMSG", 43 => "EIDRM",
        _ => "",
    };
}
