using System.Runtime.CompilerServices;
using System.Text;

namespace ProcProbe.Interpreter.Evaluation;

/// <summary>
/// A compiled <c>=~</c> pattern in stap's own regex dialect (see <see cref="Parser"/>): bytes, not
/// characters; the leftmost match wins and, among matches starting there, the longest. Compiled once at
/// bind time into a small program. Whole matches come from lazily built DFAs in O(subject)
/// (ScriptRegex.Dfa.cs); sub-groups from a Pike VM (breadth-first over the pattern's states, O(subject ×
/// pattern)) whose thread lists and capture slots are preallocated. Warm, a match allocates nothing.
/// Sub-matches follow the first path (in stap's alternative order) that produces the chosen overall
/// match, as stap's tagged DFA picks them. Not thread-safe; handlers run one at a time.
/// </summary>
internal sealed partial class ScriptRegex
{
    private readonly Inst[] _program;
    private readonly ulong[] _classes;   // 4 words (256 bits) per bracket expression
    private readonly int _slots;         // 2 per group, group 0 included

    // Pike VM state, reused by every match
    private readonly int[] _currentStates, _nextStates;
    private readonly int[] _currentCaps, _nextCaps;
    private readonly int[] _onList;
    private readonly int[] _addStack;
    private readonly int[] _addCaps;
    private readonly int[] _best;
    private readonly int[] _seed;
    private readonly int[] _work;
    private int _generation;

    private ScriptRegex(Inst[] program, ulong[] classes, int groups)
    {
        _program = program;
        _classes = classes;
        GroupCount = groups;
        _slots = 2 * (groups + 1);
        int n = program.Length;
        _currentStates = new int[n];
        _nextStates = new int[n];
        _currentCaps = new int[n * _slots];
        _nextCaps = new int[n * _slots];
        _onList = new int[n];
        _addStack = new int[n * 2 + 2];
        _addCaps = new int[(n * 2 + 2) * _slots];
        _best = new int[_slots];
        _seed = new int[_slots];
        _work = new int[_slots];
    }

    /// <summary>Parenthesised groups in the pattern.</summary>
    public int GroupCount { get; }

    /// <summary>
    /// Start and end of group <c>g</c> (0 = whole match) after a successful <see cref="Match"/>; -1 if it
    /// did not take part. Groups past 0 need <see cref="ResolveGroups"/> first.
    /// </summary>
    public int GroupStart(int g) => g == 0 || _groupsResolved ? _best[2 * g] : throw new InvalidOperationException("groups not resolved");

    public int GroupEnd(int g) => g == 0 || _groupsResolved ? _best[2 * g + 1] : throw new InvalidOperationException("groups not resolved");

    /// <summary>
    /// Compiles a literal's stored text (<c>StringLiteralExpression.Content</c>: C escapes still written
    /// out), which stap's regex reader decodes itself. <paramref name="error"/> is stap's whole message,
    /// <c>regex compilation error (at position N): …</c>.
    /// </summary>
    public static ScriptRegex? TryCreate(byte[] pattern, out string? error)
    {
        var parser = new Parser(pattern);
        var program = parser.Compile(out error);
        if (program is null)
            return null;
        return new ScriptRegex(program, parser.Classes.ToArray(), parser.Groups);
    }

    /// <summary>
    /// The Pike VM: true if the pattern matches in <paramref name="subject"/>, with every group. With
    /// <paramref name="anchor"/> ≥ 0, only matches starting there are considered.
    /// </summary>
    private bool MatchPike(ReadOnlySpan<byte> subject, int anchor)
    {
        int slots = _slots;
        bool found = false;
        int clist = 0;
        var seed = _seed.AsSpan();
        _generation++;
        for (int pos = Math.Max(anchor, 0); pos <= subject.Length; pos++)
        {
            // a new thread starts at every position until a match is known (leftmost wins); it ranks
            // below the threads that started earlier
            if (!found && (anchor < 0 || pos == anchor))
            {
                seed.Fill(-1);
                clist = AddThread(_currentStates, _currentCaps, clist, 0, seed, subject, pos);
            }
            if (clist == 0)
            {
                if (found)
                    break;
                // the failed seed marked states on this generation; the next seed must not see them
                _generation++;
                continue;
            }
            _generation++;
            int nlist = 0;
            for (int t = 0; t < clist; t++)
            {
                var caps = _currentCaps.AsSpan(t * slots, slots);
                var inst = _program[_currentStates[t]];
                if (inst.Op == Op.Match)
                {
                    // a longer match from the same start, or any match from an earlier start
                    if (!found || caps[0] < _best[0] || (caps[0] == _best[0] && pos > _best[1]))
                    {
                        caps.CopyTo(_best);
                        _best[1] = pos;
                        found = true;
                    }
                    continue;
                }
                if (found && caps[0] > _best[0])
                    continue;
                if (pos < subject.Length && Consumes(inst, subject[pos]))
                    nlist = AddThread(_nextStates, _nextCaps, nlist, _currentStates[t] + 1, caps, subject, pos + 1);
            }
            _nextStates.AsSpan(0, nlist).CopyTo(_currentStates);
            _nextCaps.AsSpan(0, nlist * slots).CopyTo(_currentCaps);
            clist = nlist;
        }
        return found;
    }

    private bool Consumes(in Inst inst, byte c) => inst.Op switch
    {
        Op.Byte => c == inst.Arg,
        Op.Any => c != 0,
        Op.Class => (_classes[inst.Arg * 4 + (c >> 6)] & (1UL << (c & 63))) != 0,
        _ => false,
    };

    /// <summary>
    /// Adds the thread at <paramref name="start"/> and every consuming or final state reachable from it
    /// without input, depth first so that the list keeps pattern priority; a state already on the list
    /// for this step keeps its earlier (higher-priority) thread.
    /// </summary>
    private int AddThread(int[] states, int[] capsList, int count, int start, ReadOnlySpan<int> caps, ReadOnlySpan<byte> subject, int pos)
    {
        int slots = _slots;
        var work = _work.AsSpan();
        int sp = 0;
        _addStack[sp] = start;
        caps.CopyTo(_addCaps.AsSpan(0, slots));
        sp++;
        while (sp > 0)
        {
            sp--;
            int pc = _addStack[sp];
            _addCaps.AsSpan(sp * slots, slots).CopyTo(work);
            while (_onList[pc] != _generation)
            {
                _onList[pc] = _generation;
                var inst = _program[pc];
                if (inst.Op == Op.Jump)
                {
                    pc = inst.Arg;
                }
                else if (inst.Op == Op.Split)
                {
                    // the second branch waits with its own copy of the captures
                    _addStack[sp] = inst.Arg2;
                    work.CopyTo(_addCaps.AsSpan(sp * slots, slots));
                    sp++;
                    pc = inst.Arg;
                }
                else if (inst.Op == Op.Save)
                {
                    work[inst.Arg] = pos;
                    pc++;
                }
                else if (inst.Op == Op.Bol)
                {
                    if (pos != 0)
                        break;
                    pc++;
                }
                else if (inst.Op == Op.Eol)
                {
                    if (pos != subject.Length)
                        break;
                    pc++;
                }
                else
                {
                    states[count] = pc;
                    work.CopyTo(capsList.AsSpan(count * slots, slots));
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    private enum Op : byte
    {
        Byte,
        Any,
        Class,
        Split,
        Jump,
        Save,
        Bol,
        Eol,
        Match,
    }

    private readonly record struct Inst(Op Op, int Arg = 0, int Arg2 = 0);

    /// <summary>
    /// stap's own regex dialect (not POSIX regcomp): what it accepts and refuses, where, and with which
    /// words, including its quirks: the pattern is the literal's stored text, whose C escapes the regex
    /// reader decodes itself (positions count stored bytes); a backslash in the decoded text quotes the
    /// next byte, so <c>\d</c> or <c>\b</c> are plain letters; <c>(?:</c> swallows only the <c>?</c>;
    /// a <c>)</c> read last is dropped; <c>$</c> takes the subject's terminating NUL, so nothing (not even
    /// another <c>$</c>) can follow it; bytes above 0x7F are one class, written <c>\x80</c>.
    /// The parse builds a small tree, the way stap combines alternatives (merging byte sets first), then
    /// compiles it to the program.
    /// </summary>
    private sealed class Parser
    {
        private const int MaxProgram = 65536;
        private const int MaxRepetitions = 12345;
        private const int HighBytes = 0x80;   // every byte from here up is this one "unknown" byte to stap
        private readonly byte[] _input;
        private int _pos, _lastPos;
        private bool _finished;
        private int _next;                    // a peeked byte; 0 also means "none", as in stap (a decoded NUL vanishes)
        private readonly List<Inst> _code = new();
        public readonly List<ulong> Classes = new();
        public int Groups;

        public Parser(byte[] pattern)
        {
            _input = pattern;
            _finished = pattern.Length == 0;
        }

        public Inst[]? Compile(out string? error)
        {
            try
            {
                var tree = ParseExpression();
                if (!_finished)
                {
                    if (Peek() == ')')
                        throw new RegexError("unbalanced ')'", _pos);
                    throw new RegexError("the regex could not be read to its end", _pos);
                }
                _code.Add(new Inst(Op.Save, 0));
                Emit(tree);
                _code.Add(new Inst(Op.Save, 1));
                _code.Add(new Inst(Op.Match));
                if (_code.Count > MaxProgram)
                    throw new RegexError("regular expression too big", -1);
            }
            catch (RegexError e)
            {
                error = e.Position >= 0
                    ? $"regex compilation error (at position {e.Position}): {e.Message}"
                    : $"regex compilation error: {e.Message}";
                return null;
            }
            error = null;
            KillStrandedEnds();
            return _code.ToArray();
        }

        private sealed class RegexError(string message, int position) : Exception(message)
        {
            public int Position { get; } = position;
        }

        /// <summary>A message as stap prints it: bytes as Latin-1 characters, cut at a NUL.</summary>
        private static string Text(string message)
        {
            int nul = message.IndexOf('\0');
            return nul < 0 ? message : message[..nul];
        }

        // ---- the reader: stap decodes C escapes while it reads, keeping stored positions ----

        private int Next()
        {
            if (_next == 0 && _finished)
                throw new RegexError("unexpected end of regex", _pos);
            if (_next == 0)
                Decode();
            int c = _next;
            _next = 0;
            return c;
        }

        private int Peek()
        {
            if (_next == 0 && !_finished)
                Decode();
            return _next;
        }

        /// <summary>At least <paramref name="n"/> stored bytes from the read position (always true for shorter patterns, as stap's unsigned test is).</summary>
        private bool Has(int n) => _input.Length < n || _pos <= _input.Length - n;

        private int At(int index) => index < _input.Length ? _input[index] : 0;

        private void Decode()
        {
            _lastPos = _pos;
            int c = _input[_pos];
            if (c != '\\')
            {
                _next = c;
                _pos++;
                _finished = _pos >= _input.Length;
                return;
            }
            _pos++;
            if (_pos >= _input.Length)
                throw new RegexError("unexpected end of regex", _pos);
            c = _input[_pos];
            switch (c)
            {
                case 'a': c = 7; break;
                case 'b': c = 8; break;
                case 't': c = 9; break;
                case 'n': c = 10; break;
                case 'v': c = 11; break;
                case 'f': c = 12; break;
                case 'r': c = 13; break;
                case 'x':
                {
                    if (_pos >= _input.Length - 2)
                        throw new RegexError("two hex digits required in escape sequence", _pos);
                    int d1 = "0123456789abcdef\0".IndexOf((char)AsciiLower(At(_pos + 1)));
                    int d2 = "0123456789abcdef\0".IndexOf((char)AsciiLower(At(_pos + 2)));
                    if (d1 < 0 || d2 < 0)
                        throw new RegexError("two hex digits required in escape sequence", _pos + (d1 >= 0 ? 1 : 2));
                    c = ((d1 << 4) + d2) & 0xFF;
                    _pos += 2;
                    break;
                }
                case >= '4' and <= '7':
                    throw new RegexError("octal escape sequence out of range", _pos);
                case >= '0' and <= '3':
                {
                    if (_pos >= _input.Length - 2)
                        throw new RegexError("three octal digits required in escape sequence", _pos);
                    int d0 = "01234567\0".IndexOf((char)At(_pos));
                    int d1 = "01234567\0".IndexOf((char)At(_pos + 1));
                    int d2 = "01234567\0".IndexOf((char)At(_pos + 2));
                    if (d0 < 0 || d1 < 0 || d2 < 0)
                        throw new RegexError("three octal digits required in escape sequence", _pos + (d1 >= 0 ? 1 : 2));
                    c = ((d0 << 6) + (d1 << 3) + d2) & 0xFF;
                    _pos += 2;
                    break;
                }
                default:
                    break; // any other escaped byte stands for itself
            }
            _next = c;
            _pos++;
            _finished = _pos >= _input.Length;
        }

        private static int AsciiLower(int c) => c is >= 'A' and <= 'Z' ? c + 32 : c;

        private static bool IsSpecial(int c) => c is '.' or '[' or '{' or '(' or ')' or '\\' or '*' or '+' or '?' or '|' or '^' or '$';

        private static bool IsClosure(int c) => c is '*' or '+' or '?' or '{';

        private static bool IsDigit(int c) => c is >= '0' and <= '9';

        private void Expect(int expected)
        {
            int c;
            try
            {
                c = Next();
            }
            catch (RegexError)
            {
                throw new RegexError($"expected {(char)expected}, found end of regex", _lastPos);
            }
            if (c != expected)
                throw new RegexError(Text($"expected {(char)expected}, found {(char)c}"), _lastPos);
        }

        // ---- the grammar ----

        private Node ParseExpression()
        {
            if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
                throw new RegexError("regular expression too deeply nested", -1);
            var result = ParseTerm();
            while (Peek() == '|')
            {
                Next();
                result = Alternative(result, ParseTerm());
            }
            return result;
        }

        private Node ParseTerm()
        {
            var result = ParseFactor();
            for (int c = Peek(); c != 0 && c != '|' && c != ')'; c = Peek())
                result = new Node(Kind.Concat, result, ParseFactor());
            return result;
        }

        private Node ParseFactor()
        {
            int c = Peek();
            if (c == 0 || c == '|' || c == ')')
                return Node.Empty;
            if (IsClosure(c))
                throw new RegexError($"unexpected '{(char)c}'", _lastPos);
            if (IsSpecial(c) && c != '\\')
                Next();

            Node result;
            Node? before = null;   // a literal run whose last byte alone takes the closure
            bool anchor = false;
            if (c == '.')
            {
                result = Node.Set(SetOf(1, 255));
            }
            else if (c == '[')
            {
                result = ParseBracket();
                Expect(']');
            }
            else if (c == '(')
            {
                bool capture = true;
                if (Peek() == '?')
                {
                    // (?: is non-capturing; the ':' is left in the input, so it is matched literally
                    Next();
                    int c3 = Peek();
                    if (c3 != ':')
                        throw new RegexError(Text($"unexpected '(?{(char)c3}'"), _lastPos);
                    capture = false;
                }
                int group = capture ? ++Groups : 0;
                result = ParseExpression();
                result = capture ? new Node(Kind.Group, result) { Value = group } : new Node(Kind.Concat, result, Node.Empty);
                Expect(')');
            }
            else if (c == '^' || c == '$')
            {
                result = new Node(c == '^' ? Kind.Bol : Kind.Eol);
                anchor = true;
            }
            else
            {
                var run = new List<int>();
                int last = 0;
                while (c != 0 && (!IsSpecial(c) || c == '\\'))
                {
                    if (c == '\\')
                    {
                        Next();
                        c = Peek();
                    }
                    Next();
                    int d = Peek();
                    if (IsClosure(d))
                    {
                        last = c;
                        break;
                    }
                    run.Add(c);
                    c = d;
                }
                result = Literal(run);
                if (last != 0)
                {
                    before = result;
                    result = Literal([last]);
                }
            }

            for (c = Peek(); IsClosure(c); c = Peek())
            {
                Next();
                if (anchor)
                    throw new RegexError($"postfix closure '{(char)c}' applied to anchoring operator", _lastPos);
                if (c == '*')
                    result = Alternative(new Node(Kind.Plus, result), Node.Empty);
                else if (c == '+')
                    result = new Node(Kind.Plus, result);
                else if (c == '?')
                    result = Alternative(result, Node.Empty);
                else
                    result = ParseCount(result);
            }
            return before is null ? result : new Node(Kind.Concat, before, result);
        }

        private Node ParseCount(Node body)
        {
            int min = ParseNumber();
            int max;
            int c = Next();
            if (c == ',')
            {
                c = Peek();
                if (c == '}')
                {
                    Next();
                    max = -1;
                }
                else if (IsDigit(c))
                {
                    max = ParseNumber();
                    Expect('}');
                }
                else
                {
                    throw new RegexError("expected '}' or number", _pos);
                }
            }
            else if (c == '}')
            {
                max = min;
            }
            else
            {
                throw new RegexError("expected ',' or '}'", _lastPos);
            }
            // stap itself crashes on {m,n} with n < m; refuse it instead
            if (max >= 0 && max < min)
                throw new RegexError($"repetition maximum {max} is below the minimum {min}", _lastPos);
            if (min == 0 && max == -1)
                return Alternative(new Node(Kind.Plus, body), Node.Empty);
            if (min == 1 && max == -1)
                return new Node(Kind.Plus, body);
            return new Node(Kind.Count, body) { Value = min, Max = max };
        }

        private int ParseNumber()
        {
            var digits = new StringBuilder();
            for (int c = Peek(); IsDigit(c); c = Peek())
            {
                Next();
                digits.Append((char)c);
            }
            if (digits.Length == 0)
                throw new RegexError("expected number", _pos);
            if (!long.TryParse(digits.ToString(), out long wide))
                throw new RegexError($"could not parse number {digits}", _pos);
            // stap keeps the low 32 bits; a count that wraps negative would exhaust its memory
            int value = unchecked((int)wide);
            if (value >= MaxRepetitions || value < 0)
                throw new RegexError($"{digits} is too large", _pos);
            return value;
        }

        private Node ParseBracket()
        {
            bool invert = false;
            if (Peek() == '^')
            {
                invert = true;
                Next();
            }
            var set = new ulong[4];
            while (true)
            {
                if (_finished)
                    throw new RegexError("unclosed character class", _lastPos);
                ParseBracketItem(set);
                if (Peek() == ']')
                    break;
            }
            if (invert)
            {
                for (int i = 0; i < 4; i++)
                    set[i] = ~set[i];
                set[0] &= ~1UL;
                Normalize(set);
            }
            return Node.Set(set);
        }

        private void ParseBracketItem(ulong[] set)
        {
            int c = Peek();
            if (c == '\\')
            {
                Next();
                c = Peek();
                Next();
            }
            else if (c == '[')
            {
                Next();
                c = Peek();
                if (c == ':')
                {
                    Next();
                    c = Peek();
                    var name = new StringBuilder();
                    while (true)
                    {
                        if (_finished)
                            throw new RegexError(Text($"unclosed character class '[:{name}'"), _pos);
                        if (Has(2) && c == ':' && At(_pos) == ']')
                        {
                            Next();
                            Next();
                            AddNamed(set, name.ToString());
                            return;
                        }
                        name.Append((char)c);
                        Next();
                        c = Peek();
                    }
                }
                c = '[';
            }
            else
            {
                Next();
            }
            int lo = c, hi = c;
            if (Has(2) && Peek() == '-' && At(_pos) != ']')
            {
                Next();
                hi = Peek();
                if (hi < lo)
                    throw new RegexError(Text($"Inverted character range {(char)lo}-{(char)hi}"), _pos);
                Next();
            }
            AddRange(set, lo, hi);
        }

        /// <summary>stap's named classes (with its one-letter aliases), ASCII only.</summary>
        private static void AddNamed(ulong[] set, string name)
        {
            switch (name)
            {
                case "alpha": AddRange(set, 'A', 'Z'); AddRange(set, 'a', 'z'); break;
                case "alnum": AddRange(set, 'A', 'Z'); AddRange(set, 'a', 'z'); AddRange(set, '0', '9'); break;
                case "blank": AddRange(set, ' ', ' '); AddRange(set, '\t', '\t'); break;
                case "cntrl": AddRange(set, 1, 31); AddRange(set, 127, 127); break;
                case "d" or "digit": AddRange(set, '0', '9'); break;
                case "xdigit": AddRange(set, '0', '9'); AddRange(set, 'a', 'f'); AddRange(set, 'A', 'F'); break;
                case "graph": AddRange(set, 0x21, 0x7E); break;
                case "l" or "lower": AddRange(set, 'a', 'z'); break;
                case "print": AddRange(set, 0x20, 0x7E); break;
                case "punct":
                    // every ASCII punctuation byte but the backslash
                    foreach (char p in "!\"#$%&'()*+,./:;<=>?@[]^_`{|}~-")
                        AddRange(set, p, p);
                    break;
                case "s" or "space": AddRange(set, '\t', '\r'); AddRange(set, ' ', ' '); break;
                case "u" or "upper": AddRange(set, 'A', 'Z'); break;
                default:
                    throw new RegexError(Text($"unknown character class '{name}'"), -1);
            }
        }

        private static void AddRange(ulong[] set, int lo, int hi)
        {
            for (int c = lo; c <= hi; c++)
                set[c >> 6] |= 1UL << (c & 63);
            Normalize(set);
        }

        /// <summary>The NUL never matches a subject byte; 0x80 stands for every byte above 0x7F.</summary>
        private static void Normalize(ulong[] set)
        {
            set[0] &= ~1UL;
            if ((set[HighBytes >> 6] & 1UL) != 0)
                set[2] = set[3] = ulong.MaxValue;
        }

        private static ulong[] SetOf(int lo, int hi)
        {
            var set = new ulong[4];
            AddRange(set, lo, hi);
            return set;
        }

        private static Node Literal(List<int> bytes)
        {
            if (bytes.Count == 0)
                return Node.Empty;
            Node? result = null;
            foreach (int b in bytes)
            {
                // a decoded NUL is what stap's $ compiles to: the end of the subject
                var one = b == 0 ? new Node(Kind.Eol) : Node.Set(SetOf(b, b));
                result = result is null ? one : new Node(Kind.Concat, result, one);
            }
            return result!;
        }

        /// <summary>stap's alternative: byte sets at the head of either side merge and go first.</summary>
        private static Node Alternative(Node a, Node b)
        {
            static (ulong[]? set, Node? rest) Split(Node n) => n.Kind switch
            {
                Kind.Alt when n.Left!.Kind == Kind.Set => (n.Left.Bits, n.Right),
                Kind.Set => (n.Bits, null),
                _ => (null, n),
            };
            var (s1, e1) = Split(a);
            var (s2, e2) = Split(b);
            ulong[]? union = null;
            if (s1 is not null || s2 is not null)
            {
                union = new ulong[4];
                for (int i = 0; i < 4; i++)
                    union[i] = (s1?[i] ?? 0) | (s2?[i] ?? 0);
            }
            Node? rest = e1 is null ? e2 : e2 is null ? e1 : new Node(Kind.Alt, e1, e2);
            Node? head = union is null ? null : Node.Set(union);
            return head is null ? rest! : rest is null ? head : new Node(Kind.Alt, head, rest);
        }

        private enum Kind : byte { Empty, Set, Bol, Eol, Group, Concat, Alt, Plus, Count }

        private sealed class Node(Kind kind, Node? left = null, Node? right = null)
        {
            public static readonly Node Empty = new(Kind.Empty);
            public Kind Kind { get; } = kind;
            public Node? Left { get; } = left;
            public Node? Right { get; } = right;
            public ulong[]? Bits { get; private init; }
            public int Value { get; init; }
            public int Max { get; init; }

            public static Node Set(ulong[] bits) => new(Kind.Set) { Bits = bits };
        }

        // ---- compiling the tree to the program ----

        private void Emit(Node n)
        {
            if (_code.Count > MaxProgram || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
                throw new RegexError("regular expression too big", -1);
            switch (n.Kind)
            {
                case Kind.Empty:
                    break;
                case Kind.Set:
                    EmitSet(n.Bits!);
                    break;
                case Kind.Bol:
                    _code.Add(new Inst(Op.Bol));
                    break;
                case Kind.Eol:
                    _code.Add(new Inst(Op.Eol));
                    break;
                case Kind.Group:
                    _code.Add(new Inst(Op.Save, 2 * n.Value));
                    Emit(n.Left!);
                    _code.Add(new Inst(Op.Save, 2 * n.Value + 1));
                    break;
                case Kind.Concat:
                {
                    // long literals and terms make deep left spines: walk those without recursing
                    var spine = new Stack<Node>();
                    var left = n;
                    for (; left.Kind == Kind.Concat; left = left.Left!)
                        spine.Push(left.Right!);
                    Emit(left);
                    while (spine.Count > 0)
                        Emit(spine.Pop());
                    break;
                }
                case Kind.Alt:
                {
                    // Split(first, second); first; Jump(end); second
                    int split = _code.Count;
                    _code.Add(new Inst(Op.Split, split + 1, 0));
                    Emit(n.Left!);
                    int jump = _code.Count;
                    _code.Add(new Inst(Op.Jump, 0));
                    _code[split] = _code[split] with { Arg2 = _code.Count };
                    Emit(n.Right!);
                    _code[jump] = new Inst(Op.Jump, _code.Count);
                    break;
                }
                case Kind.Plus:
                {
                    // body; Split(body, out)
                    int start = _code.Count;
                    Emit(n.Left!);
                    _code.Add(new Inst(Op.Split, start, _code.Count + 1));
                    break;
                }
                case Kind.Count:
                {
                    int min = n.Value, max = n.Max;
                    if (max > min)
                    {
                        // stap puts the optional copies first, each able to skip all of them
                        var skips = new List<int>();
                        for (int k = min; k < max; k++)
                        {
                            skips.Add(_code.Count);
                            _code.Add(new Inst(Op.Split, _code.Count + 1, 0));
                            Emit(n.Left!);
                        }
                        foreach (int s in skips)
                            _code[s] = _code[s] with { Arg2 = _code.Count };
                    }
                    for (int k = 0; k < min; k++)
                    {
                        int start = _code.Count;
                        Emit(n.Left!);
                        if (max < 0 && k == 0)
                            _code.Add(new Inst(Op.Split, start, _code.Count + 1));
                    }
                    break;
                }
            }
        }

        private void EmitSet(ulong[] set)
        {
            int count = 0, only = -1;
            for (int c = 0; c < 256 && count < 2; c++)
            {
                if ((set[c >> 6] & (1UL << (c & 63))) != 0)
                {
                    count++;
                    only = c;
                }
            }
            if (count == 1)
            {
                _code.Add(new Inst(Op.Byte, only));
                return;
            }
            if (count > 1 && set[0] == ~1UL && set[1] == ulong.MaxValue && set[2] == ulong.MaxValue && set[3] == ulong.MaxValue)
            {
                _code.Add(new Inst(Op.Any));
                return;
            }
            int index = Classes.Count / 4;
            Classes.AddRange(set);
            _code.Add(new Inst(Op.Class, index));
        }

        /// <summary>
        /// stap's <c>$</c> consumes the subject's terminating NUL, so a path can pass at most one, and
        /// neither <c>^</c> nor input after it: an end from which Match is not reachable through jumps,
        /// splits and saves alone can never succeed, and becomes an empty class.
        /// </summary>
        private void KillStrandedEnds()
        {
            int failClass = -1;
            var seen = new bool[_code.Count];
            var stack = new Stack<int>();
            for (int pc = 0; pc < _code.Count; pc++)
            {
                if (_code[pc].Op != Op.Eol)
                    continue;
                Array.Clear(seen);
                stack.Clear();
                stack.Push(pc + 1);
                bool reaches = false;
                while (stack.Count > 0 && !reaches)
                {
                    int p = stack.Pop();
                    if (seen[p])
                        continue;
                    seen[p] = true;
                    var inst = _code[p];
                    switch (inst.Op)
                    {
                        case Op.Match: reaches = true; break;
                        case Op.Save: stack.Push(p + 1); break;
                        case Op.Jump: stack.Push(inst.Arg); break;
                        case Op.Split: stack.Push(inst.Arg); stack.Push(inst.Arg2); break;
                    }
                }
                if (reaches)
                    continue;
                if (failClass < 0)
                {
                    failClass = Classes.Count / 4;
                    Classes.AddRange(new ulong[4]);
                }
                _code[pc] = new Inst(Op.Class, failClass);
            }
        }
    }
}
