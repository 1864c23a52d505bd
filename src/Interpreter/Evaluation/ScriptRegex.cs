using System.Text;

namespace ProcProbe.Interpreter.Evaluation;

/// <summary>
/// A compiled <c>=~</c> pattern with POSIX extended-regex semantics, as stap gets from TRE: bytes, not
/// characters; the leftmost match wins and, among matches starting there, the longest. Compiled once at
/// bind time into a small program. Whole matches come from lazily built DFAs in O(subject)
/// (ScriptRegex.Dfa.cs); sub-groups from a Pike VM (breadth-first over the pattern's states, O(subject ×
/// pattern)) whose thread lists and capture slots are preallocated. Warm, a match allocates nothing.
/// Sub-matches follow the first path (in pattern order) that produces the chosen overall match, which
/// agrees with POSIX for the usual patterns. Not thread-safe; handlers run one at a time.
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

    /// <summary>Recursive-descent ERE parser emitting the program directly; errors use TRE's wording.</summary>
    private sealed class Parser
    {
        private const int MaxRepeat = 255;   // RE_DUP_MAX
        private const int MaxProgram = 65536;
        private readonly byte[] _p;
        private int _i;
        private readonly List<Inst> _code = new();
        public readonly List<ulong> Classes = new();
        public int Groups;
        private string? _error;

        public Parser(byte[] pattern) => _p = pattern;

        public Inst[]? Compile(out string? error)
        {
            _code.Add(new Inst(Op.Save, 0));
            ParseAlternation(0);
            if (_error is null && _i < _p.Length)
                _error = _p[_i] == (byte)')' ? "Unmatched ( or \\(" : "Invalid regular expression";
            if (_error is null && _code.Count > MaxProgram)
                _error = "Regular expression too big";
            error = _error;
            if (_error is not null)
                return null;
            _code.Add(new Inst(Op.Save, 1));
            _code.Add(new Inst(Op.Match));
            return _code.ToArray();
        }

        private bool AtEnd => _i >= _p.Length;

        private void ParseAlternation(int depth)
        {
            int start = _code.Count;
            ParseConcatenation(depth);
            var jumps = new List<int>();
            while (_error is null && !AtEnd && _p[_i] == (byte)'|')
            {
                _i++;
                // wrap what we have: Split(first, next); first...; Jump(end)
                _code.Insert(start, new Inst(Op.Split, start + 1, 0));
                Relocate(start + 1, 1);
                jumps.Add(_code.Count);
                _code.Add(new Inst(Op.Jump, 0));
                _code[start] = _code[start] with { Arg2 = _code.Count };
                start = _code.Count;
                ParseConcatenation(depth);
            }
            foreach (int j in jumps)
                _code[j] = new Inst(Op.Jump, _code.Count);
        }

        private void ParseConcatenation(int depth)
        {
            while (_error is null && !AtEnd && _p[_i] != (byte)'|' && !(_p[_i] == (byte)')' && depth > 0))
            {
                if (_p[_i] == (byte)')')
                {
                    // an unmatched ')' at top level is an ordinary character in POSIX ERE
                    _code.Add(new Inst(Op.Byte, ')'));
                    _i++;
                    ParseRepeats(_code.Count - 1);
                    continue;
                }
                int atom = _code.Count;
                if (!ParseAtom(depth))
                    return;
                ParseRepeats(atom);
            }
        }

        private bool ParseAtom(int depth)
        {
            byte b = _p[_i++];
            switch (b)
            {
                case (byte)'(':
                {
                    int group = ++Groups;
                    _code.Add(new Inst(Op.Save, 2 * group));
                    ParseAlternation(depth + 1);
                    if (_error is not null)
                        return false;
                    if (AtEnd || _p[_i] != (byte)')')
                    {
                        _error = "Missing ')'";
                        return false;
                    }
                    _i++;
                    _code.Add(new Inst(Op.Save, 2 * group + 1));
                    return true;
                }
                case (byte)'.':
                    _code.Add(new Inst(Op.Any));
                    return true;
                case (byte)'^':
                    _code.Add(new Inst(Op.Bol));
                    return true;
                case (byte)'$':
                    _code.Add(new Inst(Op.Eol));
                    return true;
                case (byte)'[':
                    return ParseBracket();
                case (byte)'*' or (byte)'+' or (byte)'?':
                    _error = "Invalid preceding regular expression";
                    return false;
                case (byte)'{':
                    if (!AtEnd && IsDigit(_p[_i]))
                    {
                        _error = "Invalid preceding regular expression";
                        return false;
                    }
                    _code.Add(new Inst(Op.Byte, b));
                    return true;
                case (byte)'\\':
                    if (AtEnd)
                    {
                        _error = "Trailing backslash";
                        return false;
                    }
                    return ParseEscape(_p[_i++]);
                default:
                    _code.Add(new Inst(Op.Byte, b));
                    return true;
            }
        }

        /// <summary>TRE's shorthand classes; any other escaped byte stands for itself.</summary>
        private bool ParseEscape(byte e)
        {
            Span<ulong> set = stackalloc ulong[4];
            switch (e)
            {
                case (byte)'d': AddRange(set, '0', '9'); break;
                case (byte)'D': AddRange(set, '0', '9'); Negate(set); break;
                case (byte)'s': AddNamed(set, "space"u8); break;
                case (byte)'S': AddNamed(set, "space"u8); Negate(set); break;
                case (byte)'w': AddNamed(set, "alnum"u8); Add(set, '_'); break;
                case (byte)'W': AddNamed(set, "alnum"u8); Add(set, '_'); Negate(set); break;
                case (byte)'n': _code.Add(new Inst(Op.Byte, '\n')); return true;
                case (byte)'t': _code.Add(new Inst(Op.Byte, '\t')); return true;
                default:
                    _code.Add(new Inst(Op.Byte, e));
                    return true;
            }
            EmitClass(set);
            return true;
        }

        private bool ParseBracket()
        {
            Span<ulong> set = stackalloc ulong[4];
            bool negate = false;
            if (!AtEnd && _p[_i] == (byte)'^')
            {
                negate = true;
                _i++;
            }
            bool first = true;
            while (true)
            {
                if (AtEnd)
                {
                    _error = "Missing ']'";
                    return false;
                }
                byte b = _p[_i];
                if (b == (byte)']' && !first)
                {
                    _i++;
                    break;
                }
                first = false;
                if (b == (byte)'[' && _i + 1 < _p.Length && _p[_i + 1] is (byte)':' or (byte)'=' or (byte)'.')
                {
                    byte kind = _p[_i + 1];
                    int close = -1;
                    for (int k = _i + 2; k + 1 < _p.Length; k++)
                    {
                        if (_p[k] == kind && _p[k + 1] == (byte)']')
                        {
                            close = k;
                            break;
                        }
                    }
                    if (close < 0)
                    {
                        _error = "Missing ']'";
                        return false;
                    }
                    var name = _p.AsSpan(_i + 2, close - _i - 2);
                    _i = close + 2;
                    if (kind == (byte)':')
                    {
                        if (!AddNamed(set, name))
                        {
                            _error = "Unknown character class name";
                            return false;
                        }
                    }
                    else if (name.Length == 1)
                    {
                        Add(set, (char)name[0]);
                    }
                    else
                    {
                        _error = "Invalid collation character";
                        return false;
                    }
                    continue;
                }
                _i++;
                if (_i + 1 < _p.Length && _p[_i] == (byte)'-' && _p[_i + 1] != (byte)']')
                {
                    byte hi = _p[_i + 1];
                    _i += 2;
                    if (hi < b)
                    {
                        _error = "Invalid character range";
                        return false;
                    }
                    AddRange(set, (char)b, (char)hi);
                    continue;
                }
                Add(set, (char)b);
            }
            if (negate)
                Negate(set);
            EmitClass(set);
            return true;
        }

        private void EmitClass(ReadOnlySpan<ulong> set)
        {
            int index = Classes.Count / 4;
            foreach (ulong w in set)
                Classes.Add(w);
            _code.Add(new Inst(Op.Class, index));
        }

        private static void Add(Span<ulong> set, char c) => set[c >> 6] |= 1UL << (c & 63);

        private static void AddRange(Span<ulong> set, char lo, char hi)
        {
            for (int c = lo; c <= hi; c++)
                Add(set, (char)c);
        }

        private static void Negate(Span<ulong> set)
        {
            for (int i = 0; i < set.Length; i++)
                set[i] = ~set[i];
        }

        /// <summary>The POSIX classes in the C locale.</summary>
        private static bool AddNamed(Span<ulong> set, ReadOnlySpan<byte> name)
        {
            for (int c = 0; c < 128; c++)
            {
                char ch = (char)c;
                bool hit;
                if (name.SequenceEqual("alpha"u8)) hit = char.IsAsciiLetter(ch);
                else if (name.SequenceEqual("digit"u8)) hit = char.IsAsciiDigit(ch);
                else if (name.SequenceEqual("alnum"u8)) hit = char.IsAsciiLetterOrDigit(ch);
                else if (name.SequenceEqual("upper"u8)) hit = char.IsAsciiLetterUpper(ch);
                else if (name.SequenceEqual("lower"u8)) hit = char.IsAsciiLetterLower(ch);
                else if (name.SequenceEqual("space"u8)) hit = ch is ' ' or '\t' or '\n' or '\r' or '\f' or '\v';
                else if (name.SequenceEqual("blank"u8)) hit = ch is ' ' or '\t';
                else if (name.SequenceEqual("punct"u8)) hit = c > 32 && c < 127 && !char.IsAsciiLetterOrDigit(ch);
                else if (name.SequenceEqual("print"u8)) hit = c >= 32 && c < 127;
                else if (name.SequenceEqual("graph"u8)) hit = c > 32 && c < 127;
                else if (name.SequenceEqual("cntrl"u8)) hit = c < 32 || c == 127;
                else if (name.SequenceEqual("xdigit"u8)) hit = char.IsAsciiHexDigit(ch);
                else return false;
                if (hit)
                    Add(set, ch);
            }
            return true;
        }

        private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

        /// <summary><c>*</c>, <c>+</c>, <c>?</c>, <c>{m}</c>, <c>{m,}</c>, <c>{m,n}</c> applied to the atom at <paramref name="atom"/>.</summary>
        private void ParseRepeats(int atom)
        {
            while (_error is null && !AtEnd)
            {
                byte b = _p[_i];
                int min, max;
                if (b == (byte)'*') { min = 0; max = -1; _i++; }
                else if (b == (byte)'+') { min = 1; max = -1; _i++; }
                else if (b == (byte)'?') { min = 0; max = 1; _i++; }
                else if (b == (byte)'{' && _i + 1 < _p.Length && IsDigit(_p[_i + 1]))
                {
                    _i++;
                    min = ReadCount();
                    max = min;
                    if (!AtEnd && _p[_i] == (byte)',')
                    {
                        _i++;
                        max = !AtEnd && IsDigit(_p[_i]) ? ReadCount() : -1;
                    }
                    if (AtEnd || _p[_i] != (byte)'}')
                    {
                        _error = "Missing '}'";
                        return;
                    }
                    _i++;
                    if (min > MaxRepeat || max > MaxRepeat || (max >= 0 && max < min))
                    {
                        _error = "Invalid contents of {}";
                        return;
                    }
                }
                else
                {
                    return;
                }
                Repeat(atom, min, max);
            }
        }

        private int ReadCount()
        {
            int n = 0;
            while (!AtEnd && IsDigit(_p[_i]))
            {
                n = Math.Min(n * 10 + (_p[_i] - '0'), MaxRepeat + 1);
                _i++;
            }
            return n;
        }

        private void Repeat(int atom, int min, int max)
        {
            var body = _code.GetRange(atom, _code.Count - atom);
            int length = body.Count;
            _code.RemoveRange(atom, length);
            if (_code.Count + (long)length * Math.Max(min, max < 0 ? min + 1 : max) > MaxProgram)
            {
                _error = "Regular expression too big";
                return;
            }
            for (int k = 0; k < min; k++)
                Append(body, atom);
            if (max < 0)
            {
                // Split(body, out); body; Jump(split)
                int split = _code.Count;
                _code.Add(new Inst(Op.Split, split + 1, 0));
                Append(body, atom);
                _code.Add(new Inst(Op.Jump, split));
                _code[split] = _code[split] with { Arg2 = _code.Count };
                return;
            }
            // optional copies nest: (body (body ...)?)?
            var pending = new List<int>();
            for (int k = min; k < max; k++)
            {
                pending.Add(_code.Count);
                _code.Add(new Inst(Op.Split, _code.Count + 1, 0));
                Append(body, atom);
            }
            foreach (int s in pending)
                _code[s] = _code[s] with { Arg2 = _code.Count };
        }

        /// <summary>Appends a copy of an instruction block, moving its internal jump targets along with it.</summary>
        private void Append(List<Inst> body, int originalStart)
        {
            int delta = _code.Count - originalStart;
            foreach (var inst in body)
            {
                _code.Add(inst.Op switch
                {
                    Op.Jump => inst with { Arg = inst.Arg + delta },
                    Op.Split => inst with { Arg = inst.Arg + delta, Arg2 = inst.Arg2 + delta },
                    _ => inst,
                });
            }
        }

        /// <summary>After inserting <paramref name="by"/> instructions before <paramref name="from"/>, fix targets at or after it.</summary>
        private void Relocate(int from, int by)
        {
            for (int k = from; k < _code.Count; k++)
            {
                var inst = _code[k];
                if (inst.Op == Op.Jump && inst.Arg >= from - by)
                    _code[k] = inst with { Arg = inst.Arg + by };
                else if (inst.Op == Op.Split)
                    _code[k] = inst with
                    {
                        Arg = inst.Arg >= from - by ? inst.Arg + by : inst.Arg,
                        Arg2 = inst.Arg2 >= from - by ? inst.Arg2 + by : inst.Arg2,
                    };
            }
        }
    }
}
