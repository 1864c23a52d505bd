using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProcProbe.Interpreter.Syntax;

/// <summary>
/// Growth space shared by nested lists under construction: a list starts at <see cref="Mark"/>, adds on
/// top, and <see cref="Take"/> copies its elements into an exact-size array and pops them. Lists nest
/// (a call inside a call argument), so each one only ever sees its own top part.
/// </summary>
internal sealed class ScratchStack<T>
{
    private T[] _items = new T[64];
    private int _count;

    /// <summary>Where a new list starts.</summary>
    public int Mark => _count;

    public void Add(T item)
    {
        if (_count == _items.Length)
            Array.Resize(ref _items, _items.Length * 2);
        // the array is exactly a T[] (made here), so the store needs no covariance check
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_items), _count++) = item;
    }

    /// <summary>The elements added since <paramref name="mark"/>, removed from the stack.</summary>
    public ImmutableArray<T> Take(int mark)
    {
        int length = _count - mark;
        if (length == 0)
            return ImmutableArray<T>.Empty;
        var result = new T[length];
        Array.Copy(_items, mark, result, 0, length);
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            Array.Clear(_items, mark, length);
        _count = mark;
        return ImmutableCollectionsMarshal.AsImmutableArray(result);
    }

    /// <summary>Drops everything (the partial lists of a declaration abandoned on a parse error).</summary>
    public void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            Array.Clear(_items, 0, _count);
        _count = 0;
    }
}

/// <summary>Byte arrays compared by content (printf format texts as cache keys).</summary>
internal sealed class ByteSequenceComparer : IEqualityComparer<byte[]>
{
    public static readonly ByteSequenceComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y)
        => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(byte[] bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}

/// <summary>
/// One string per distinct identifier text, so that a name mentioned a hundred times is one string, not
/// a hundred. A per-thread open-addressing table keyed by the bytes; bounded (a full neighbourhood evicts), so a
/// script with very many names only loses some sharing, never grows memory without limit. Strings are
/// immutable and map bytes 1:1 (Latin-1), so sharing one changes nothing a caller can observe.
/// </summary>
internal static class IdentifierNames
{
    private const int Capacity = 4096; // a power of two
    private const int MaxProbes = 8;
    private const int MaxLength = 64;

    [ThreadStatic]
    private static string?[]? t_table;

    public static string Get(ReadOnlySpan<byte> text)
    {
        if (text.Length == 0)
            return "";
        if (text.Length > MaxLength)
            return System.Text.Encoding.Latin1.GetString(text);
        var table = t_table ??= new string?[Capacity];
        uint hash = 2166136261;
        foreach (byte b in text)
            hash = (hash ^ b) * 16777619;
        for (int probe = 0; probe < MaxProbes; probe++)
        {
            int slot = (int)((hash + (uint)probe) & (Capacity - 1));
            var entry = table[slot];
            if (entry is null)
            {
                entry = System.Text.Encoding.Latin1.GetString(text);
                table[slot] = entry;
                return entry;
            }
            if (Matches(entry, text))
                return entry;
        }
        // the neighbourhood is full: the new name takes the first slot, so the table follows the script at hand
        var name = System.Text.Encoding.Latin1.GetString(text);
        table[(int)(hash & (Capacity - 1))] = name;
        return name;
    }

    private static bool Matches(string entry, ReadOnlySpan<byte> text)
    {
        if (entry.Length != text.Length)
            return false;
        for (int i = 0; i < text.Length; i++)
        {
            if (entry[i] != text[i])
                return false;
        }
        return true;
    }
}
