namespace ProcProbe.Interpreter.Binding;

/// <summary>Tapset functions procprobe implements natively.</summary>
internal enum BuiltinId : byte
{
    None,
    Exit, Abort, Error, Assert1, Assert2, Log, Warn,
    Strlen, Substr, Stringat, Isinstr, Strpos, StrReplace, Strtol, Isdigit, TextStr, TextStrn, StringQuoted,
    Tokenize1, Tokenize2,
    GettimeofdayNs, GettimeofdayUs, GettimeofdayMs, GettimeofdayS,
    LocalClockNs, LocalClockUs, LocalClockMs, LocalClockS,
    CpuClockNs, CpuClockUs, CpuClockMs, CpuClockS,
    KtimeGetNs, GetCycles, Jiffies, Hz,
    Ctime0, Ctime1,
    Pid, Tid, Ppid, Uid, Gid, Euid, Egid, Cpu, Target, StpPid,
    Execname, Pexecname, Pp, Pn, ProbeType, ModuleName,
    Randint, ErrnoStr,
    Matched, MatchedStr, Ngroups,
}

/// <summary>Signature of a native tapset function, with stap's tapset parameter names (they show in -p2).</summary>
internal sealed record BuiltinSignature(BuiltinId Id, string Name, ScriptType ReturnType, (string Name, ScriptType Type)[] Parameters);

internal static class BuiltinTable
{
    private const ScriptType L = ScriptType.Long;
    private const ScriptType S = ScriptType.String;
    private const ScriptType U = ScriptType.Unknown;

    public static readonly BuiltinSignature[] All =
    [
        new(BuiltinId.Exit, "exit", U, []),
        new(BuiltinId.Abort, "abort", U, []),
        new(BuiltinId.Error, "error", U, [("msg", S)]),
        new(BuiltinId.Assert1, "assert", U, [("expression", L)]),
        new(BuiltinId.Assert2, "assert", U, [("expression", L), ("msg", S)]),
        new(BuiltinId.Log, "log", U, [("msg", S)]),
        new(BuiltinId.Warn, "warn", U, [("msg", S)]),
        new(BuiltinId.Strlen, "strlen", L, [("s", S)]),
        new(BuiltinId.Substr, "substr", S, [("str", S), ("start", L), ("length", L)]),
        new(BuiltinId.Stringat, "stringat", L, [("str", S), ("pos", L)]),
        new(BuiltinId.Isinstr, "isinstr", L, [("s1", S), ("s2", S)]),
        new(BuiltinId.Strpos, "strpos", L, [("s1", S), ("s2", S)]),
        new(BuiltinId.StrReplace, "str_replace", S, [("prnt_str", S), ("srch_str", S), ("rplc_str", S)]),
        new(BuiltinId.Strtol, "strtol", L, [("str", S), ("base", L)]),
        new(BuiltinId.Isdigit, "isdigit", L, [("str", S)]),
        new(BuiltinId.TextStr, "text_str", S, [("input", S)]),
        new(BuiltinId.TextStrn, "text_strn", S, [("input", S), ("len", L), ("quoted", L)]),
        new(BuiltinId.StringQuoted, "string_quoted", S, [("str", S)]),
        new(BuiltinId.Tokenize1, "tokenize", S, [("delim", S)]),
        new(BuiltinId.Tokenize2, "tokenize", S, [("input", S), ("delim", S)]),
        new(BuiltinId.GettimeofdayNs, "gettimeofday_ns", L, []),
        new(BuiltinId.GettimeofdayUs, "gettimeofday_us", L, []),
        new(BuiltinId.GettimeofdayMs, "gettimeofday_ms", L, []),
        new(BuiltinId.GettimeofdayS, "gettimeofday_s", L, []),
        new(BuiltinId.LocalClockNs, "local_clock_ns", L, []),
        new(BuiltinId.LocalClockUs, "local_clock_us", L, []),
        new(BuiltinId.LocalClockMs, "local_clock_ms", L, []),
        new(BuiltinId.LocalClockS, "local_clock_s", L, []),
        new(BuiltinId.CpuClockNs, "cpu_clock_ns", L, [("cpu", L)]),
        new(BuiltinId.CpuClockUs, "cpu_clock_us", L, [("cpu", L)]),
        new(BuiltinId.CpuClockMs, "cpu_clock_ms", L, [("cpu", L)]),
        new(BuiltinId.CpuClockS, "cpu_clock_s", L, [("cpu", L)]),
        new(BuiltinId.KtimeGetNs, "ktime_get_ns", L, []),
        new(BuiltinId.GetCycles, "get_cycles", L, []),
        new(BuiltinId.Jiffies, "jiffies", L, []),
        new(BuiltinId.Hz, "HZ", L, []),
        new(BuiltinId.Ctime0, "ctime", S, []),
        new(BuiltinId.Ctime1, "ctime", S, [("epochsecs", L)]),
        new(BuiltinId.Pid, "pid", L, []),
        new(BuiltinId.Tid, "tid", L, []),
        new(BuiltinId.Ppid, "ppid", L, []),
        new(BuiltinId.Uid, "uid", L, []),
        new(BuiltinId.Gid, "gid", L, []),
        new(BuiltinId.Euid, "euid", L, []),
        new(BuiltinId.Egid, "egid", L, []),
        new(BuiltinId.Cpu, "cpu", L, []),
        new(BuiltinId.Target, "target", L, []),
        new(BuiltinId.StpPid, "stp_pid", L, []),
        new(BuiltinId.Execname, "execname", S, []),
        new(BuiltinId.Pexecname, "pexecname", S, []),
        new(BuiltinId.Pp, "pp", S, []),
        new(BuiltinId.Pn, "pn", S, []),
        new(BuiltinId.ProbeType, "probe_type", S, []),
        new(BuiltinId.ModuleName, "module_name", S, []),
        new(BuiltinId.Randint, "randint", L, [("n", L)]),
        new(BuiltinId.ErrnoStr, "errno_str", S, [("err", L)]),
        new(BuiltinId.Matched, "matched", S, [("n", L)]),
        new(BuiltinId.MatchedStr, "matched_str", S, []),
        new(BuiltinId.Ngroups, "ngroups", L, []),
    ];

    /// <summary>Functions that exist in stap's tapsets but need a kernel; calling one is a pass-2 error saying so.</summary>
    public static readonly HashSet<string> KernelOnly = new(StringComparer.Ordinal)
    {
        "printk", "ftrace", "print_backtrace", "print_ubacktrace", "backtrace", "ubacktrace", "print_stack",
        "kernel_string", "kernel_string_n", "kernel_long", "kernel_int", "kernel_short", "kernel_char", "kernel_pointer",
        "user_string", "user_string_n", "user_long", "user_int", "user_short", "user_char", "user_mode",
        "register", "uregister", "u_register", "addr", "uaddr", "symname", "symdata", "usymname", "usymdata",
        "probefunc", "probemod", "caller", "caller_addr", "task_current", "task_parent", "task_pid", "task_tid",
        "task_execname", "task_state", "print_regs", "print_stack", "stack_size", "stack_used", "stack_unused",
        "sprint_backtrace", "sprint_ubacktrace", "set_kernel_string", "set_kernel_long", "set_kernel_int",
        "system", "get_sa_flags", "returnval", "returnstr", "ulong_arg", "long_arg", "int_arg", "uint_arg",
        "pointer_arg", "s32_arg", "u32_arg", "s64_arg", "u64_arg", "asmlinkage", "cmdline_str", "cmdline_args",
        "env_var", "pid2execname", "pid2task", "ns_pid", "target_set_pid", "task_ns_pid",
    };
}
