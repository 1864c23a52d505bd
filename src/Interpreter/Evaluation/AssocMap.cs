using System.Runtime.CompilerServices;

using ProcProbe.Interpreter.Binding;

namespace ProcProbe.Interpreter.Evaluation;

/// <summary>
/// A key being looked up: the evaluated index values, borrowed from the interpreter's key stack.
/// Long columns use <see cref="Nums"/>, string columns <see cref="Strs"/>, both at the column's position.
/// </summary>
internal readonly ref struct MapKey
{
    public readonly ReadOnlySpan<long> Nums;
    public readonly ReadOnlySpan<StrRef> Strs;

    public MapKey(ReadOnlySpan<long> nums, ReadOnlySpan<StrRef> strs)
    {
        Nums = nums;
        Strs = strs;
    }
}

/// <summary>
/// A global associative array: hash lookup plus a doubly linked list in insertion order (the order an
/// unsorted foreach walks; a sorted foreach relinks it, as stap's map sort does). Lookups of existing keys
/// never allocate; inserting a new key copies it once.
/// </summary>
internal sealed class AssocMap
{
    private struct Entry
    {
        public int Hash;
        public int NextInBucket; // -1 ends the chain; also links the free list
        public int Prev;         // order list
        public int Next;
        public bool Used;
        public long[]? KeyNums;
        public byte[][]? KeyStrs;
        public long Num;
        public byte[]? Str;
        public int StrLen;
        public StatAggregate? Stat;
    }

    private readonly bool[] _keyIsString;
    private readonly int _arity;
    private readonly bool _hasStringKeys;
    private readonly bool _hasNumKeys;
    private int[] _buckets;
    private Entry[] _entries;
    private int _used;      // entries ever handed out (high-water mark)
    private int _freeList = -1;
    private int _head = -1;
    private int _tail = -1;
    private int[] _sortScratch = [];

    public AssocMap(bool[] keyIsString, ScriptType valueKind, int capacity, bool wrap, int statShift, HistogramSpec? histogram = null)
    {
        Histogram = histogram;
        _keyIsString = keyIsString;
        _arity = keyIsString.Length;
        foreach (bool b in keyIsString)
        {
            if (b) _hasStringKeys = true; else _hasNumKeys = true;
        }
        ValueKind = valueKind;
        Capacity = capacity;
        Wrap = wrap;
        StatShift = statShift;
        int initial = Math.Min(capacity, 16);
        _buckets = new int[RoundUpPow2(initial * 2)];
        Array.Fill(_buckets, -1);
        _entries = new Entry[initial];
    }

    public ScriptType ValueKind { get; }
    public int Capacity { get; }
    public bool Wrap { get; }
    public int StatShift { get; }
    public HistogramSpec? Histogram { get; }
    public int Count { get; private set; }
    public int Arity => _arity;
    public bool KeyIsString(int column) => _keyIsString[column];
    public int First => _head;
    public int NextOf(int entry) => _entries[entry].Next;

    private static int RoundUpPow2(int n)
    {
        int p = 16;
        while (p < n) p <<= 1;
        return p;
    }

    private int HashKey(in MapKey key)
    {
        var h = new HashCode();
        for (int i = 0; i < _arity; i++)
        {
            if (_keyIsString[i])
                h.AddBytes(key.Strs[i].Span);
            else
                h.Add(key.Nums[i]);
        }
        return h.ToHashCode() & 0x7fffffff;
    }

    private bool KeyEquals(ref Entry e, in MapKey key)
    {
        for (int i = 0; i < _arity; i++)
        {
            if (_keyIsString[i])
            {
                if (!key.Strs[i].Span.SequenceEqual(e.KeyStrs![i]))
                    return false;
            }
            else if (key.Nums[i] != e.KeyNums![i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Index of the entry with <paramref name="key"/>, or -1.</summary>
    public int Find(in MapKey key)
    {
        if (Count == 0)
            return -1;
        int hash = HashKey(key);
        int i = _buckets[hash & (_buckets.Length - 1)];
        while (i >= 0)
        {
            ref Entry e = ref _entries[i];
            if (e.Hash == hash && KeyEquals(ref e, key))
                return i;
            i = e.NextInBucket;
        }
        return -1;
    }

    /// <summary>
    /// Index of the entry with <paramref name="key"/>, inserting an empty one if needed. Returns -1 when the
    /// array is full (the caller raises stap's overflow error).
    /// </summary>
    public int FindOrAdd(in MapKey key)
    {
        int hash = HashKey(key);
        int i = _buckets[hash & (_buckets.Length - 1)];
        while (i >= 0)
        {
            ref Entry e = ref _entries[i];
            if (e.Hash == hash && KeyEquals(ref e, key))
                return i;
            i = e.NextInBucket;
        }
        if (Count >= Capacity)
        {
            if (!Wrap || _head < 0)
                return -1;
            // A wrapping array recycles its oldest element.
            Remove(_head);
        }
        return Insert(key, hash);
    }

    private int Insert(in MapKey key, int hash)
    {
        int index;
        if (_freeList >= 0)
        {
            index = _freeList;
            _freeList = _entries[index].NextInBucket;
        }
        else
        {
            if (_used == _entries.Length)
                Grow();
            index = _used++;
        }
        ref Entry e = ref _entries[index];
        e.Used = true;
        e.Hash = hash;
        long[]? nums = e.KeyNums;
        byte[][]? strs = e.KeyStrs;
        if (_hasNumKeys)
        {
            nums ??= new long[_arity];
            for (int c = 0; c < _arity; c++)
                nums[c] = _keyIsString[c] ? 0 : key.Nums[c];
        }
        if (_hasStringKeys)
        {
            strs ??= new byte[_arity][];
            for (int c = 0; c < _arity; c++)
            {
                if (!_keyIsString[c]) { strs[c] = []; continue; }
                ReadOnlySpan<byte> s = key.Strs[c].Span;
                byte[]? old = strs[c];
                strs[c] = old is not null && old.Length == s.Length ? old : s.ToArray();
                s.CopyTo(strs[c]);
            }
        }
        e.KeyNums = nums;
        e.KeyStrs = strs;
        e.Num = 0;
        e.StrLen = 0;
        if (ValueKind == ScriptType.Stats)
        {
            e.Stat ??= new StatAggregate(Histogram) { Shift = StatShift };
            e.Stat.Clear();
        }
        int bucket = hash & (_buckets.Length - 1);
        e.NextInBucket = _buckets[bucket];
        _buckets[bucket] = index;
        // append to the order list
        e.Prev = _tail;
        e.Next = -1;
        if (_tail >= 0) _entries[_tail].Next = index; else _head = index;
        _tail = index;
        Count++;
        if (Count * 2 > _buckets.Length)
            Rehash(_buckets.Length * 2);
        return index;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow()
    {
        int size = Math.Max(16, _entries.Length * 2);
        Array.Resize(ref _entries, size);
    }

    private void Rehash(int size)
    {
        _buckets = new int[size];
        Array.Fill(_buckets, -1);
        for (int i = 0; i < _used; i++)
        {
            ref Entry e = ref _entries[i];
            if (!e.Used) continue;
            int b = e.Hash & (size - 1);
            e.NextInBucket = _buckets[b];
            _buckets[b] = i;
        }
    }

    public void Remove(int index)
    {
        ref Entry e = ref _entries[index];
        int bucket = e.Hash & (_buckets.Length - 1);
        int i = _buckets[bucket];
        int prevInBucket = -1;
        while (i != index)
        {
            prevInBucket = i;
            i = _entries[i].NextInBucket;
        }
        if (prevInBucket < 0) _buckets[bucket] = e.NextInBucket; else _entries[prevInBucket].NextInBucket = e.NextInBucket;
        if (e.Prev >= 0) _entries[e.Prev].Next = e.Next; else _head = e.Next;
        if (e.Next >= 0) _entries[e.Next].Prev = e.Prev; else _tail = e.Prev;
        e.Used = false;
        e.NextInBucket = _freeList;
        _freeList = index;
        Count--;
    }

    public void Clear()
    {
        for (int i = _head; i >= 0;)
        {
            int next = _entries[i].Next;
            Remove(i);
            i = next;
        }
    }

    // ---- entry access

    public long GetNum(int entry) => _entries[entry].Num;
    public void SetNum(int entry, long value) => _entries[entry].Num = value;
    public ref long NumRef(int entry) => ref _entries[entry].Num;
    public StatAggregate GetStat(int entry) => _entries[entry].Stat!;

    public ReadOnlySpan<byte> GetStr(int entry)
    {
        ref Entry e = ref _entries[entry];
        return e.Str is null ? default : e.Str.AsSpan(0, e.StrLen);
    }

    public StrRef GetStrRef(int entry)
    {
        ref Entry e = ref _entries[entry];
        return e.Str is null ? default : new StrRef(e.Str, 0, e.StrLen);
    }

    public void SetStr(int entry, ReadOnlySpan<byte> value)
    {
        ref Entry e = ref _entries[entry];
        if (e.Str is null || e.Str.Length < value.Length)
            e.Str = new byte[Math.Max(16, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)value.Length))];
        value.CopyTo(e.Str);
        e.StrLen = value.Length;
    }

    public long GetKeyNum(int entry, int column) => _entries[entry].KeyNums![column];
    public ReadOnlySpan<byte> GetKeyStr(int entry, int column) => _entries[entry].KeyStrs![column];
    public StrRef GetKeyStrRef(int entry, int column)
    {
        byte[] s = _entries[entry].KeyStrs![column];
        return new StrRef(s, 0, s.Length);
    }

    /// <summary>True when the entry matches every non-wildcard column of a slice.</summary>
    public bool Matches(int entry, in MapKey key, ReadOnlySpan<bool> wildcard)
    {
        ref Entry e = ref _entries[entry];
        for (int c = 0; c < _arity; c++)
        {
            if (wildcard[c]) continue;
            if (_keyIsString[c])
            {
                if (!key.Strs[c].Span.SequenceEqual(e.KeyStrs![c])) return false;
            }
            else if (key.Nums[c] != e.KeyNums![c])
            {
                return false;
            }
        }
        return true;
    }

    // ---- sorting (foreach with a sort directive)

    /// <summary>
    /// Sorts the order list by a key column (<paramref name="column"/> &gt;= 0) or by value (column -1), stably,
    /// and relinks it in that order, as stap's in-place map sort does. Returns the entries in a rented buffer
    /// (the caller returns it to <see cref="System.Buffers.ArrayPool{T}"/>).
    /// </summary>
    public int[] SortedEntries(int column, bool descending, StatOp statOp, out int count)
    {
        count = Count;
        int[] order = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(1, count));
        int n = 0;
        for (int i = _head; i >= 0; i = _entries[i].Next)
            order[n++] = i;
        if (_sortScratch.Length < count)
            _sortScratch = new int[Math.Max(count, 16)];
        MergeSort(order.AsSpan(0, count), _sortScratch.AsSpan(0, count), column, descending, statOp);
        // relink
        _head = count > 0 ? order[0] : -1;
        _tail = count > 0 ? order[count - 1] : -1;
        for (int i = 0; i < count; i++)
        {
            ref Entry e = ref _entries[order[i]];
            e.Prev = i > 0 ? order[i - 1] : -1;
            e.Next = i + 1 < count ? order[i + 1] : -1;
        }
        return order;
    }

    /// <summary>Entries in current list order, in a rented buffer.</summary>
    public int[] Entries(out int count)
    {
        count = Count;
        int[] order = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(1, count));
        int n = 0;
        for (int i = _head; i >= 0; i = _entries[i].Next)
            order[n++] = i;
        return order;
    }

    private void MergeSort(Span<int> items, Span<int> scratch, int column, bool descending, StatOp statOp)
    {
        if (items.Length < 2)
            return;
        int mid = items.Length / 2;
        MergeSort(items[..mid], scratch[..mid], column, descending, statOp);
        MergeSort(items[mid..], scratch[mid..], column, descending, statOp);
        items.CopyTo(scratch);
        int l = 0, r = mid, o = 0;
        while (l < mid && r < items.Length)
        {
            int c = Compare(scratch[l], scratch[r], column, statOp);
            if (descending) c = -c;
            // ties keep the left (earlier) element first: stable
            items[o++] = c <= 0 ? scratch[l++] : scratch[r++];
        }
        while (l < mid) items[o++] = scratch[l++];
        while (r < items.Length) items[o++] = scratch[r++];
    }

    private int Compare(int a, int b, int column, StatOp statOp)
    {
        ref Entry ea = ref _entries[a];
        ref Entry eb = ref _entries[b];
        if (column >= 0)
        {
            if (_keyIsString[column])
                return ea.KeyStrs![column].AsSpan().SequenceCompareTo(eb.KeyStrs![column]);
            return ea.KeyNums![column].CompareTo(eb.KeyNums![column]);
        }
        return ValueKind switch
        {
            ScriptType.Long => ea.Num.CompareTo(eb.Num),
            ScriptType.String => ea.Str.AsSpan(0, ea.StrLen).SequenceCompareTo(eb.Str.AsSpan(0, eb.StrLen)),
            _ => ea.Stat!.Get(statOp).CompareTo(eb.Stat!.Get(statOp)),
        };
    }
}
