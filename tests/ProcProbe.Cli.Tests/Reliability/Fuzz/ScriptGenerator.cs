using System.Globalization;
using System.Text;

namespace ProcProbe.Cli.Tests.Reliability.Fuzz;

/// <summary>
/// A grammar-aware generator of SystemTap scripts: globals, functions, begin/end/error/never/timer and
/// procfs probes, every statement and expression form, printf formats, preprocessor conditionals,
/// macros, literals at their edges. Most outputs parse and pass the checker, so the interpreter gets
/// to run them; the mutator below then breaks them at the token and byte level to reach the error paths.
/// </summary>
internal sealed class ScriptGenerator(Random random)
{
    private readonly Random _r = random;
    private readonly List<string> _scalars = [];
    private readonly List<string> _strings = [];
    private readonly List<string> _arrays = [];
    private readonly List<string> _stats = [];
    private readonly List<(string Name, int Arity, bool ReturnsString)> _functions = [];
    private List<string> _locals = [];
    private int _budget;

    // Builtins safe to call from a fuzzer (no system(), nothing that reaches outside the process).
    private static readonly string[] LongBuiltins0 = ["pid()", "tid()", "ppid()", "uid()", "gid()", "euid()", "egid()", "cpu()", "target()",
        "gettimeofday_s()", "gettimeofday_ms()", "gettimeofday_us()", "gettimeofday_ns()", "jiffies()", "get_cycles()", "local_clock_ns()",
        "stp_pid()", "ngroups()", "randint(10)", "randint(1048577)", "HZ()", "NULL"];
    private static readonly string[] StringBuiltins0 = ["execname()", "pexecname()", "pp()", "pn()", "probe_type()", "module_name()",
        "ctime()"];

    private static readonly string[] StringLiterals = ["\"\"", "\"a\"", "\"hello world\"", "\"\\n\"", "\"\\t\\\"\\\\\"", "\"\\x41\\101\\0\"",
        "\"%d%s%%\"", "\"0x1f\"", "\"-123\"", "\"1,,2,3, ,4\"", "\"\\377\\200\"", "\"ÿ€漢\"", "\"a b c d e f g h i j k l m n o p\"",
        "\"" + new string('z', 600) + "\"", "\"(a|b)+c*\"", "\"^[0-9]+$\"", "\"[[:alpha:]]\"", "\"\\\\d\"", "\"?\"", "\"$value\""];

    private static readonly string[] IntLiterals = ["0", "1", "-1", "7", "42", "0x7fffffffffffffff", "-9223372036854775808", "9223372036854775807",
        "0777", "0x0", "010", "0xdeadbeef", "18446744073709551615", "1000000", "3", "63", "64", "65", "-64", "2147483648", "-2147483649"];

    private static readonly string[] Formats = ["%d", "%i", "%u", "%x", "%X", "%o", "%c", "%s", "%p", "%b", "%%", "%5d", "%-5d", "%05d",
        "%+d", "% d", "%#x", "%#o", "%.3s", "%10.2s", "%*d", "%-*s", "%.*s", "%ld", "%lld", "%hhd", "%1b", "%2b", "%4b", "%8b"];

    private static readonly string[] BinaryOps = ["+", "-", "*", "/", "%", "<<", ">>", ">>>", "&", "|", "^", "&&", "||", "<", ">", "<=", ">=", "==", "!="];
    private static readonly string[] AssignOps = ["=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^="];

    public string Generate()
    {
        _scalars.Clear();
        _strings.Clear();
        _arrays.Clear();
        _stats.Clear();
        _functions.Clear();
        var sb = new StringBuilder();
        int globals = _r.Next(0, 6);
        for (int i = 0; i < globals; i++)
        {
            sb.Append(Global(i)).Append('\n');
        }
        if (_r.Next(8) == 0)
        {
            sb.Append("@define twice(x) %( (@x) * 2 %)\n");
        }
        int functions = _r.Next(0, 4);
        for (int i = 0; i < functions; i++)
        {
            _functions.Add(($"f{i}", _r.Next(0, 3), _r.Next(3) == 0));
        }
        for (int i = 0; i < functions; i++)
        {
            sb.Append(Function(_functions[i])).Append('\n');
        }
        int probes = _r.Next(1, 7);
        bool anyProcfs = false;
        for (int i = 0; i < probes; i++)
        {
            string point = ProbePoint(ref anyProcfs);
            bool isWrite = point.Contains(".write", StringComparison.Ordinal);
            bool isProcfs = point.StartsWith("procfs", StringComparison.Ordinal);
            sb.Append(_r.Next(12) == 0 ? $"probe {point}, {ProbePoint(ref anyProcfs)} " : $"probe {point}{(_r.Next(15) == 0 ? "?" : "")} ");
            _locals = [];
            _budget = _r.Next(4, 40);
            sb.Append(Block(0, isProcfs, isWrite)).Append('\n');
        }
        if (_r.Next(10) == 0)
        {
            sb.Append("%( $# > 0 %? probe begin { printf(\"args\\n\") } %: probe end { printf(\"none\\n\") } %)\n");
        }
        if (_r.Next(12) == 0)
        {
            sb.Append("%( kernel_v >= \"2.6\" %? global kv = 1 %)\n");
        }
        return sb.ToString();
    }

    private T Pick<T>(IReadOnlyList<T> list) => list[_r.Next(list.Count)];

    private string Global(int i)
    {
        switch (_r.Next(6))
        {
            case 0:
                _scalars.Add($"g{i}");
                return $"global g{i} = {Pick(IntLiterals)}";
            case 1:
                _strings.Add($"s{i}");
                return $"global s{i} = {Pick(StringLiterals)}";
            case 2:
                _arrays.Add($"a{i}");
                return $"global a{i}[{_r.Next(1, 20)}]";
            case 3:
                _stats.Add($"st{i}");
                return $"global st{i}";
            case 4:
                _arrays.Add($"a{i}");
                return $"{(_r.Next(2) == 0 ? "private " : "")}global a{i}";
            default:
                _scalars.Add($"g{i}");
                return $"global g{i}";
        }
    }

    private string Function((string Name, int Arity, bool ReturnsString) f)
    {
        _locals = Enumerable.Range(0, f.Arity).Select(i => $"p{i}").ToList();
        _budget = _r.Next(3, 20);
        string parameters = string.Join(", ", _locals.Select(p => _r.Next(4) == 0 ? p + ":long" : p));
        string type = f.ReturnsString ? ":string" : _r.Next(3) == 0 ? ":long" : "";
        string ret = f.ReturnsString ? $"return {StringExpr(2)}" : $"return {LongExpr(2)}";
        // Bounded recursion now and then, to meet MAXNESTING.
        string recurse = _r.Next(6) == 0 && f.Arity > 0 && !f.ReturnsString ? $"if (p0 > 0) return {f.Name}({string.Join(", ", Enumerable.Range(0, f.Arity).Select(i => i == 0 ? "p0 - 1" : "p" + i))}) " : "";
        return $"function {f.Name}{type}({parameters}) {{ {recurse}{Statements(1, false, false)} {ret} }}";
    }

    private string ProbePoint(ref bool anyProcfs)
    {
        switch (_r.Next(12))
        {
            case 0:
            case 1:
                return _r.Next(4) == 0 ? $"begin({Pick(IntLiterals)})" : "begin";
            case 2:
                return _r.Next(4) == 0 ? $"end({_r.Next(-3, 3)})" : "end";
            case 3:
                return _r.Next(2) == 0 ? "error" : "never";
            case 4:
                return $"timer.ms({_r.Next(1, 1000)})";
            default:
                anyProcfs = true;
                // Mostly valid paths; the invalid ones now and then for the checker's error paths.
                string path = _r.Next(12) == 0
                    ? Pick(["(\"../bad\")", "(\"/abs\")", "(\"a/\")", "(\"a//b\")", "(\".\")"])
                    : Pick(["", "(\"command\")", "(\"a\")", "(\"b\")", "(\"dir/f\")", "(\"x y\")"]);
                string umask = _r.Next(4) == 0 ? $".umask({Pick(["0", "022", "0777", "-1", "040", "400", _r.Next(10) == 0 ? "0880" : "02"])})" : "";
                string kind = _r.Next(2) == 0 ? ".read" : ".write";
                string maxsize = kind == ".read" && _r.Next(4) == 0 ? $".maxsize({Pick(["1", "2", "16", "100", "4096", _r.Next(10) == 0 ? "-5" : "8"])})" : "";
                return $"procfs{path}{umask}{kind}{maxsize}";
        }
    }

    private string Block(int depth, bool procfs, bool write) => "{ " + Statements(depth, procfs, write) + " }";

    private string Statements(int depth, bool procfs, bool write)
    {
        var sb = new StringBuilder();
        int n = _r.Next(0, depth == 0 ? 8 : 4);
        for (int i = 0; i < n && _budget-- > 0; i++)
        {
            sb.Append(Statement(depth, procfs, write)).Append(_r.Next(3) == 0 ? "; " : "\n");
        }
        return sb.ToString();
    }

    private string NewLocal()
    {
        string name = "l" + _locals.Count.ToString(CultureInfo.InvariantCulture);
        _locals.Add(name);
        return name;
    }

    private string Statement(int depth, bool procfs, bool write)
    {
        if (depth > 4)
        {
            return $"{NewLocal()} = {LongExpr(1)}";
        }
        switch (_r.Next(26))
        {
            case 0:
            case 1:
                return $"{NewLocal()} = {LongExpr(3)}";
            case 2:
                return $"{NewLocal()} = {StringExpr(3)}";
            case 3:
                return $"if ({Condition(3)}) {Block(depth + 1, procfs, write)}{(_r.Next(2) == 0 ? " else " + Block(depth + 1, procfs, write) : "")}";
            case 4:
                return $"for ({Pick(["i = 0", "j = 10", ""])}; {Pick(["i < 5", "j > 0", "i < 100000", ""])}; {Pick(["i++", "j--", "i += 2", ""])}) {Block(depth + 1, procfs, write)}";
            case 5:
                return $"while ({Pick(["k++ < 5", "0", "k < 3 && k++ >= 0", "1"])}) {{ {Statements(depth + 1, procfs, write)} {Pick(["break", "continue", "k++", ""])} }}";
            case 6:
                if (_arrays.Count == 0)
                {
                    goto case 0;
                }
                string arr = Pick(_arrays);
                return $"foreach ({Pick([$"[k1] in {arr}", $"[k1, k2] in {arr}", $"v = [k1] in {arr}", $"[k1-] in {arr}", $"[k1] in {arr}+ limit 3", $"k1 in {arr}"])}) {Block(depth + 1, procfs, write)}";
            case 7:
                if (_arrays.Count == 0)
                {
                    goto case 2;
                }
                return $"{Pick(_arrays)}[{Key()}] {Pick(["=", "+=", "++", "--", ".="])} {LongExpr(2)}".Replace("++ ", "++; ").Replace("-- ", "--; ");
            case 8:
                return _arrays.Count > 0 ? $"delete {Pick(_arrays)}{(_r.Next(2) == 0 ? $"[{Key()}]" : "")}" : "delete x";
            case 9:
            case 10:
                return Printf();
            case 11:
                return $"try {Block(depth + 1, procfs, write)} catch{(_r.Next(2) == 0 ? "(msg)" : "")} {{ {Pick(["printf(\"caught %s\\n\", msg)", "x = 1", ""])} }}";
            case 12:
                return _stats.Count > 0 ? $"{Pick(_stats)} <<< {LongExpr(2)}" : $"x = {LongExpr(2)}";
            case 13:
                return _stats.Count > 0 ? Pick([$"printf(\"%d\\n\", @count({Pick(_stats)}))", $"print(@hist_linear({Pick(_stats)}, 0, 100, 10))", $"print(@hist_log({Pick(_stats)}))", $"x = @avg({Pick(_stats)}) + @min({Pick(_stats)}) + @max({Pick(_stats)}) + @sum({Pick(_stats)})"]) : "next";
            case 14:
                return procfs ? (write ? Pick(["v = $value", "s0x = $value . \"!\"", "printf(\"%s\", $value)", "x = strlen($value)", "if ($value == \"boom\") error(\"boom\")"])
                                       : Pick([$"$value = {StringExpr(2)}", $"$value .= {StringExpr(2)}", "$value = sprintf(\"%d\\n\", x)", $"$value .= sprintf(\"{Pick(Formats)}\", {LongExpr(1)})"]))
                              : "x = 0";
            case 15:
                return Pick(["next", "exit()", "error(\"fuzz error\")", "abort()", "assert(0)", "assert(1, \"ok\")", "warn(\"w\")", "log(\"l\")"]);
            case 16:
                return _functions.Count > 0 ? Call() : $"x = {LongExpr(2)}";
            case 17:
                return $"{{ {Statements(depth + 1, procfs, write)} }}";
            case 18:
                return $"{Pick(_scalars.Count > 0 ? _scalars : ["x"])} {Pick(AssignOps)} {LongExpr(2)}";
            case 19:
                return $"{Pick(_strings.Count > 0 ? _strings : ["sx"])} {Pick(["=", ".="])} {StringExpr(2)}";
            case 20:
                return $"{Pick(["x", "y"])}{Pick(["++", "--"])}";
            case 21:
                return $"if ({StringExpr(1)} =~ {Pick(StringLiterals)}) printf(\"%s %s\\n\", matched(0), matched_str())";
            case 22:
                return $"tok = tokenize({StringExpr(1)}, \",\"); while (tok != \"\") {{ tok = tokenize(\"\", \",\") }}";
            case 23:
                return $"println({StringExpr(2)}); print({LongExpr(1)}, {StringExpr(1)}); printd(\",\", {LongExpr(1)}, {StringExpr(1)}); printdln(\"|\", 1, 2)";
            case 24:
                return ";";
            default:
                return $"x = {LongExpr(4)}";
        }
    }

    private string Key() => _r.Next(3) switch
    {
        0 => LongExpr(1),
        1 => StringExpr(1),
        _ => $"{LongExpr(1)}, {StringExpr(1)}",
    };

    private string Call()
    {
        var f = Pick(_functions);
        return $"{f.Name}({string.Join(", ", Enumerable.Range(0, f.Arity).Select(_ => LongExpr(1)))})";
    }

    private string Printf()
    {
        int n = _r.Next(0, 4);
        var format = new StringBuilder();
        var args = new List<string>();
        for (int i = 0; i < n; i++)
        {
            string spec = Pick(Formats);
            format.Append(spec).Append(' ');
            if (spec.Contains('*'))
            {
                args.Add(Pick(["3", "-3", "0", "100000"]));
            }
            if (spec is "%%" or "%")
            {
                continue;
            }
            args.Add(spec.EndsWith('s') || spec.EndsWith('M') || spec.EndsWith('m') ? StringExpr(1) : LongExpr(1));
        }
        string call = Pick(["printf", "printf", "x0 = sprintf"]);
        return $"{call}(\"{format}\\n\"{string.Concat(args.Select(a => ", " + a))})";
    }

    private string Condition(int depth) => _r.Next(4) switch
    {
        0 => $"{StringExpr(depth - 1)} {Pick(["==", "!=", "<", ">"])} {StringExpr(depth - 1)}",
        1 => _arrays.Count > 0 ? $"[{Key()}] in {Pick(_arrays)}" : "1",
        _ => LongExpr(depth),
    };

    private string LongExpr(int depth)
    {
        if (depth <= 0 || _r.Next(3) == 0)
        {
            return _r.Next(5) switch
            {
                0 => Pick(LongBuiltins0),
                1 when _locals.Count > 0 => Pick(_locals),
                2 when _scalars.Count > 0 => Pick(_scalars),
                _ => Pick(IntLiterals),
            };
        }
        return _r.Next(14) switch
        {
            0 or 1 or 2 => $"({LongExpr(depth - 1)} {Pick(BinaryOps)} {LongExpr(depth - 1)})",
            3 => $"{Pick(["-", "!", "~", "+"])}{LongExpr(depth - 1)}",
            4 => $"({Condition(depth - 1)} ? {LongExpr(depth - 1)} : {LongExpr(depth - 1)})",
            5 => $"strlen({StringExpr(depth - 1)})",
            6 => $"strtol({StringExpr(depth - 1)}, {Pick(["0", "10", "16", "8", "2", "37", "-1"])})",
            7 => _arrays.Count > 0 ? $"{Pick(_arrays)}[{Key()}]" : "0",
            8 => _functions.Count > 0 ? Call() : "1",
            9 => $"{Pick(["isinstr", "isinstr"])}({StringExpr(depth - 1)}, {StringExpr(depth - 1)})",
            10 => $"stringat({StringExpr(depth - 1)}, {LongExpr(depth - 1)})",
            11 => _r.Next(2) == 0 ? $"randint({LongExpr(depth - 1)})" : $"isdigit({StringExpr(depth - 1)})",
            12 => $"({Pick(_locals.Count > 0 ? _locals : ["x"])} {Pick(AssignOps)} {LongExpr(depth - 1)})",
            _ => $"@defined({Pick(["$value", "x", "$nothing"])}) ? 1 : 0",
        };
    }

    private string StringExpr(int depth)
    {
        if (depth <= 0 || _r.Next(3) == 0)
        {
            return _r.Next(4) switch
            {
                0 => Pick(StringBuiltins0),
                1 when _strings.Count > 0 => Pick(_strings),
                _ => Pick(StringLiterals),
            };
        }
        return _r.Next(10) switch
        {
            0 or 1 => $"{StringExpr(depth - 1)} . {StringExpr(depth - 1)}",
            2 => $"substr({StringExpr(depth - 1)}, {LongExpr(depth - 1)}, {LongExpr(depth - 1)})",
            3 => $"sprintf(\"{Pick(Formats)}{Pick(Formats)}\", {LongExpr(depth - 1)}, {StringExpr(depth - 1)})",
            4 => $"str_replace({StringExpr(depth - 1)}, {StringExpr(depth - 1)}, {StringExpr(depth - 1)})",
            5 => $"{Pick(["text_str", "string_quoted", "sprint"])}({StringExpr(depth - 1)})",
            6 => $"text_strn({StringExpr(depth - 1)}, {LongExpr(depth - 1)}, {Pick(["0", "1"])})",
            7 => $"ctime({LongExpr(depth - 1)})",
            8 => $"{Pick(["errno_str", "sprint"])}({LongExpr(depth - 1)})",
            _ => $"({Condition(depth - 1)} ? {StringExpr(depth - 1)} : {StringExpr(depth - 1)})",
        };
    }
}

/// <summary>Token- and byte-level mutations of a script: the inputs the grammar never makes.</summary>
internal static class ScriptMutator
{
    private static readonly string[] Tokens = ["probe", "global", "function", "if", "else", "for", "foreach", "in", "limit", "while", "break",
        "continue", "next", "return", "delete", "try", "catch", "string", "long", "private", "{", "}", "(", ")", "[", "]", ";", ",", ":", "?",
        ".", "+", "-", "*", "/", "%", "&", "|", "^", "~", "!", "<", ">", "=", "<<<", ">>>", "<<=", ">>=", "==", "!=", "<=", ">=", "=~", "!~",
        "+=", "-=", ".=", "&&", "||", "++", "--", "->", "%(", "%?", "%:", "%)", "@count", "@sum", "@hist_log", "@define", "@1", "$1", "$#",
        "$value", "$$vars", "@entry", "@cast", "@defined", "@foo", "\"", "\"unterminated", "'", "`", "\\", "#", "/*", "*/", "//", "%{", "%}",
        "0x", "0888", "99999999999999999999", "begin", "end", "procfs", "timer.ms(1)", "kernel.function(\"x\")", "syscall.open", "read", "write",
        "umask", "maxsize", "exit()", "printf", "sprintf(\"%", "\n", " ", "\t", "\0", "\u00ff", "\u00c3", "\u0080"];

    public static byte[] Mutate(byte[] input, Random r, IReadOnlyList<byte[]> corpus)
    {
        var bytes = new List<byte>(input);
        int rounds = r.Next(1, 6);
        for (int round = 0; round < rounds; round++)
        {
            int at = bytes.Count == 0 ? 0 : r.Next(bytes.Count + 1);
            switch (r.Next(9))
            {
                case 0: // insert a token
                    bytes.InsertRange(at, Encoding.Latin1.GetBytes(" " + Tokens[r.Next(Tokens.Length)] + " "));
                    break;
                case 1: // delete a span
                    if (bytes.Count > 0)
                    {
                        int start = r.Next(bytes.Count);
                        bytes.RemoveRange(start, Math.Min(bytes.Count - start, r.Next(1, 16)));
                    }
                    break;
                case 2: // duplicate a span
                    if (bytes.Count > 0)
                    {
                        int start = r.Next(bytes.Count);
                        var span = bytes.GetRange(start, Math.Min(bytes.Count - start, r.Next(1, 64)));
                        bytes.InsertRange(at, span);
                    }
                    break;
                case 3: // flip a byte
                    if (bytes.Count > 0)
                    {
                        bytes[r.Next(bytes.Count)] = (byte)r.Next(256);
                    }
                    break;
                case 4: // truncate
                    if (bytes.Count > 0)
                    {
                        bytes.RemoveRange(at == bytes.Count ? bytes.Count - 1 : at, bytes.Count - (at == bytes.Count ? bytes.Count - 1 : at));
                    }
                    break;
                case 5: // splice from another corpus entry
                    if (corpus.Count > 0)
                    {
                        byte[] other = corpus[r.Next(corpus.Count)];
                        if (other.Length > 0)
                        {
                            int start = r.Next(other.Length);
                            bytes.InsertRange(at, other.AsSpan(start, Math.Min(other.Length - start, r.Next(1, 200))).ToArray());
                        }
                    }
                    break;
                case 6: // swap a digit run for an edge number
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(r.Next(4) switch { 0 => "-9223372036854775808", 1 => "0x8000000000000000", 2 => "077777777777777777777777", _ => "1e5" }));
                    break;
                case 7: // nest
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(r.Next(2) == 0 ? "(" : "{", r.Next(1, 50)))));
                    break;
                default: // invalid UTF-8 or NUL
                    bytes.Insert(at, r.Next(3) switch { 0 => 0, 1 => 0xff, _ => (byte)r.Next(0x80, 0x100) });
                    break;
            }
        }
        return bytes.ToArray();
    }
}
