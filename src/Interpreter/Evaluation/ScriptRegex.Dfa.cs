namespace ProcProbe.Interpreter.Evaluation;

/// <summary>
/// The linear-time path of <see cref="ScriptRegex"/>: lazily built DFAs over the same program find
/// the whole match (group 0) in O(subject) once warm, as stap's compiled DFA does, where the Pike VM
/// costs O(subject × pattern) — 2.7 ms for a 600-byte literal against a 511-byte string, which a
/// MAXACTION-bounded loop turns into seconds. A reverse scan finds the leftmost start, a forward scan
/// from there the longest end. The Pike VM still computes sub-groups, only when matched(n ≥ 1) asks,
/// anchored at that start; and it takes over for a pattern whose DFA outgrows <see cref="MaxDfaStates"/>.
/// </summary>
/// <remarks>
/// DFA states are sets of "members": consuming instructions, <c>$</c> (kept pending until the end of
/// the subject) and Match. <c>^</c> passes only at position 0, which only initial closures see.
/// States and transitions are allocated on first use and kept, so a warm regex allocates nothing.
/// </remarks>
internal sealed partial class ScriptRegex
{
    /// <summary>States per direction before the pattern falls back to the Pike VM for good.</summary>
    internal const int MaxDfaStates = 2000;

    private Dfa? _forward, _reverse;
    private bool _dfaFailed;
    private int[][]? _next;          // member closure after each consuming instruction, at a position > 0
    private int[]? _byteClass;       // bytes no instruction tells apart share a class
    private int _classCount;
    private int[] _mark = [];
    private int _markGeneration;
    private int[] _scratch = [];
    private bool _groupsResolved = true;

    /// <summary>Set by a test to compare the DFA path with the Pike VM on the same inputs.</summary>
    internal bool ForcePikeVm { get; set; }

    /// <summary>Whether the DFAs outgrew <see cref="MaxDfaStates"/>, leaving the Pike VM.</summary>
    internal bool UsesPikeVmOnly => _dfaFailed;

    /// <summary>DFA states built so far, both directions.</summary>
    internal int DfaStateCount => (_forward?.Sets.Count ?? 0) + (_reverse?.Sets.Count ?? 0);

    /// <summary>True if the pattern matches somewhere in <paramref name="subject"/>; group 0 is then available.</summary>
    public bool Match(ReadOnlySpan<byte> subject)
    {
        if (ForcePikeVm || _dfaFailed || !TryMatchWithDfa(subject, out bool found))
        {
            _groupsResolved = true;
            return MatchPike(subject, anchor: -1);
        }
        _groupsResolved = !found || GroupCount == 0;
        return found;
    }

    /// <summary>
    /// Computes groups 1…n of the last successful <see cref="Match"/>; <paramref name="subject"/> must be
    /// the same bytes.
    /// </summary>
    public void ResolveGroups(ReadOnlySpan<byte> subject)
    {
        if (_groupsResolved)
            return;
        int start = _best[0], end = _best[1];
        MatchPike(subject, anchor: start);
        System.Diagnostics.Debug.Assert(_best[0] == start && _best[1] == end);
        _groupsResolved = true;
    }

    private bool TryMatchWithDfa(ReadOnlySpan<byte> subject, out bool found)
    {
        found = false;
        if (_next is null)
            Prepare();
        _reverse ??= new Dfa(_classCount);
        _forward ??= new Dfa(_classCount);

        // Right to left: the state at position i is the set of members from which Match is reachable
        // consuming subject[i..e) for some e; a match starts at i when the start closure meets it.
        int state = ReverseInitial(subject.Length == 0);
        if (state < 0)
            return false;
        int start = -1;
        if (subject.Length > 0 && _reverse.StartsHere[state])
            start = subject.Length;
        for (int i = subject.Length - 1; i >= 0; i--)
        {
            int cls = _byteClass![subject[i]];
            int next = _reverse.Transitions[state * _classCount + cls];
            if (next < 0)
            {
                next = ReverseStep(state, subject[i]);
                if (next < 0)
                    return false;
                _reverse.Transitions[state * _classCount + cls] = next;
            }
            state = next;
            if (i > 0 && _reverse.StartsHere[state])
                start = i;
        }
        if (StartsAtZero(state))
            start = 0;
        if (start < 0)
            return true;

        // Left to right from that start: the last position where Match is reachable ends the longest match.
        int fstate = ForwardInitial(start == 0);
        if (fstate < 0)
            return false;
        int end = -1;
        for (int pos = start; ; pos++)
        {
            if (pos == subject.Length)
            {
                if (AcceptsAtEnd(fstate, pos == 0))
                    end = pos;
                break;
            }
            if (_forward.HasMatch[fstate])
                end = pos;
            if (_forward.Sets[fstate].Length == 0)
                break;
            int cls = _byteClass![subject[pos]];
            int next = _forward.Transitions[fstate * _classCount + cls];
            if (next < 0)
            {
                next = ForwardStep(fstate, subject[pos]);
                if (next < 0)
                    return false;
                _forward.Transitions[fstate * _classCount + cls] = next;
            }
            fstate = next;
        }
        _best.AsSpan().Fill(-1);
        _best[0] = start;
        _best[1] = end;
        found = true;
        return true;
    }

    /// <summary>Byte classes, and each consuming instruction's closure at a position after the start.</summary>
    private void Prepare()
    {
        int n = _program.Length;
        _mark = new int[n];
        _scratch = new int[n];

        var byteClass = new int[256];
        int classes = 1;
        var split = new Dictionary<(int, bool), int>();
        var seen = new HashSet<(Op, int)>();
        foreach (var inst in _program)
        {
            if (inst.Op is not (Op.Byte or Op.Any or Op.Class) || !seen.Add((inst.Op, inst.Arg)))
                continue;
            split.Clear();
            int count = 0;
            for (int b = 0; b < 256; b++)
            {
                var key = (byteClass[b], Consumes(inst, (byte)b));
                if (!split.TryGetValue(key, out int id))
                    split[key] = id = count++;
                byteClass[b] = id;
            }
            classes = count;
        }
        _byteClass = byteClass;
        _classCount = classes;

        _next = new int[n][];
        for (int pc = 0; pc < n; pc++)
            _next[pc] = IsConsuming(_program[pc].Op) ? Closure(pc + 1, atStart: false, eolPasses: false) : [];
    }

    private static bool IsConsuming(Op op) => op is Op.Byte or Op.Any or Op.Class;

    /// <summary>The members reachable from <paramref name="pc"/> without input, sorted.</summary>
    private int[] Closure(int pc, bool atStart, bool eolPasses)
    {
        int count = 0;
        _markGeneration++;
        AddClosure(pc, atStart, eolPasses, ref count);
        var set = _scratch.AsSpan(0, count).ToArray();
        Array.Sort(set);
        return set;
    }

    private void AddClosure(int pc, bool atStart, bool eolPasses, ref int count)
    {
        // An explicit stack: patterns reach 65,536 instructions.
        var stack = new Stack<int>();
        stack.Push(pc);
        while (stack.Count > 0)
        {
            int p = stack.Pop();
            while (_mark[p] != _markGeneration)
            {
                _mark[p] = _markGeneration;
                var inst = _program[p];
                switch (inst.Op)
                {
                    case Op.Jump:
                        p = inst.Arg;
                        continue;
                    case Op.Split:
                        stack.Push(inst.Arg2);
                        p = inst.Arg;
                        continue;
                    case Op.Save:
                        p++;
                        continue;
                    case Op.Bol:
                        if (!atStart)
                            break;
                        p++;
                        continue;
                    case Op.Eol when eolPasses:
                        p++;
                        continue;
                    default:
                        _scratch[count++] = p; // consuming, pending $, or Match
                        break;
                }
                break;
            }
        }
    }

    private bool ContainsMatch(int[] set) => set.Length > 0 && _program[set[^1]].Op == Op.Match;

    /// <summary>Whether a forward state accepts at the end of the subject, where pending <c>$</c> pass.</summary>
    private bool AcceptsAtEnd(int state, bool atStart)
    {
        // Only the empty subject ends at position 0; every other end is cached per state.
        if (atStart)
            return ComputeAcceptsAtEnd(_forward!.Sets[state], atStart: true);
        var cache = _forward!.AcceptsAtEnd;
        if (cache[state] == 0)
            cache[state] = ComputeAcceptsAtEnd(_forward.Sets[state], atStart: false) ? (sbyte)1 : (sbyte)-1;
        return cache[state] > 0;
    }

    private bool ComputeAcceptsAtEnd(int[] set, bool atStart)
    {
        if (ContainsMatch(set))
            return true;
        foreach (int p in set)
        {
            if (_program[p].Op == Op.Eol && ContainsMatch(Closure(p + 1, atStart, eolPasses: true)))
                return true;
        }
        return false;
    }

    private int ForwardInitial(bool atStart)
    {
        ref int cached = ref atStart ? ref _forward!.InitialAtStart : ref _forward!.Initial;
        if (cached < 0)
            cached = _forward.Intern(Closure(0, atStart, eolPasses: false), this);
        return cached;
    }

    private int ForwardStep(int state, byte c)
    {
        int count = 0;
        _markGeneration++;
        foreach (int p in _forward!.Sets[state])
        {
            if (!IsConsuming(_program[p].Op) || !Consumes(_program[p], c))
                continue;
            foreach (int q in _next![p])
            {
                if (_mark[q] != _markGeneration)
                {
                    _mark[q] = _markGeneration;
                    _scratch[count++] = q;
                }
            }
        }
        var set = _scratch.AsSpan(0, count).ToArray();
        Array.Sort(set);
        return Intern(_forward, set);
    }

    private int ReverseInitial(bool emptySubject)
    {
        ref int cached = ref emptySubject ? ref _reverse!.InitialAtStart : ref _reverse!.Initial;
        if (cached < 0)
        {
            // At the end: Match, and every pending $ from which Match is reachable there.
            var members = new List<int>();
            for (int p = 0; p < _program.Length; p++)
            {
                var op = _program[p].Op;
                if (op == Op.Match || (op == Op.Eol && ContainsMatch(Closure(p + 1, emptySubject, eolPasses: true))))
                    members.Add(p);
            }
            cached = Intern(_reverse, members.ToArray());
        }
        return cached;
    }

    private int ReverseStep(int state, byte c)
    {
        var set = _reverse!.Sets[state];
        _markGeneration++;
        foreach (int q in set)
            _mark[q] = _markGeneration;
        int generation = _markGeneration;
        var members = new List<int>();
        for (int p = 0; p < _program.Length; p++)
        {
            var op = _program[p].Op;
            if (op == Op.Match)
            {
                members.Add(p);
                continue;
            }
            if (!IsConsuming(op) || !Consumes(_program[p], c))
                continue;
            foreach (int q in _next![p])
            {
                if (_mark[q] == generation)
                {
                    members.Add(p);
                    break;
                }
            }
        }
        return Intern(_reverse, members.ToArray());
    }

    /// <summary>Whether a match starts at position 0, where <c>^</c> passes.</summary>
    private bool StartsAtZero(int reverseState)
    {
        var cache = _reverse!.AcceptsAtEnd; // in the reverse direction: "a match starts here at position 0"
        if (cache[reverseState] == 0)
        {
            _startClosureAtZero ??= Closure(0, atStart: true, eolPasses: false);
            cache[reverseState] = Meets(_startClosureAtZero, _reverse.Sets[reverseState]) ? (sbyte)1 : (sbyte)-1;
        }
        return cache[reverseState] > 0;
    }

    private static bool Meets(int[] a, int[] b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
                return true;
            if (a[i] < b[j])
                i++;
            else
                j++;
        }
        return false;
    }

    private int Intern(Dfa dfa, int[] set)
    {
        int id = dfa.Intern(set, this);
        if (id < 0)
            _dfaFailed = true;
        return id;
    }

    /// <summary>One direction's states: member sets, flags and a lazily filled transition table.</summary>
    private sealed class Dfa(int classes)
    {
        private readonly Dictionary<int[], int> _ids = new(SetComparer.Instance);
        public readonly List<int[]> Sets = [];
        public readonly List<bool> HasMatch = [];
        public readonly List<bool> StartsHere = [];
        public readonly List<sbyte> AcceptsAtEnd = []; // 0 unknown, 1 yes, -1 no
        public int[] Transitions = [];
        public int Initial = -1, InitialAtStart = -1;

        /// <summary>The state of <paramref name="set"/>, created if new; -1 past <see cref="MaxDfaStates"/>.</summary>
        public int Intern(int[] set, ScriptRegex rx)
        {
            if (_ids.TryGetValue(set, out int id))
                return id;
            if (Sets.Count >= MaxDfaStates)
                return -1;
            id = Sets.Count;
            _ids[set] = id;
            Sets.Add(set);
            HasMatch.Add(rx.ContainsMatch(set));
            rx._startClosure ??= rx.Closure(0, atStart: false, eolPasses: false);
            StartsHere.Add(Meets(rx._startClosure, set));
            AcceptsAtEnd.Add(0);
            if (Transitions.Length < Sets.Count * classes)
            {
                var grown = new int[Math.Max(Sets.Count * classes, Transitions.Length * 2)];
                grown.AsSpan().Fill(-1);
                Transitions.CopyTo(grown, 0);
                Transitions = grown;
            }
            return id;
        }
    }

    private int[]? _startClosure, _startClosureAtZero;

    private sealed class SetComparer : IEqualityComparer<int[]>
    {
        public static readonly SetComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] set)
        {
            var hash = new HashCode();
            foreach (int p in set)
                hash.Add(p);
            return hash.ToHashCode();
        }
    }
}
