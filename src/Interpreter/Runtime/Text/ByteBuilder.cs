using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace ProcProbe.Interpreter.Runtime.Text;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}"/> with an optional hard limit.
/// Appends beyond the limit are cut silently, as stap cuts strings at MAXSTRINGLEN-1, and
/// <see cref="Truncated"/> records that it happened (procfs overflow reporting needs it).
/// </summary>
/// <remarks>
/// A sealed class rather than a struct: the evaluator keeps one per variable, temporary and
/// output stream in arrays and fields and passes them through many layers. A mutable struct
/// there would be copied by accident (a copy shares the array but not the length, and both
/// would return the array to the pool). Each builder is allocated once; once its array has
/// grown to the size it needs, no append allocates.
/// Not thread-safe. Spans handed out by <see cref="AsSpan()"/> stay valid until the next
/// append that grows the buffer, or <see cref="Dispose"/>.
/// </remarks>
public sealed class ByteBuilder : IDisposable
{
    /// <summary>Limit value meaning "no limit".</summary>
    public const int Unlimited = int.MaxValue;

    private const int MinimumRent = 64;

    private byte[] _buffer;
    private int _length;
    private int _limit;
    private bool _truncated;

    /// <summary>Creates an empty builder; <paramref name="limit"/> is the maximum length in bytes.</summary>
    public ByteBuilder(int limit = Unlimited)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _buffer = [];
        _limit = limit;
    }

    /// <summary>Creates an empty builder with <paramref name="initialCapacity"/> bytes rented up front.</summary>
    public ByteBuilder(int limit, int initialCapacity)
        : this(limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        if (initialCapacity > 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(initialCapacity, limit == 0 ? 1 : limit));
        }
    }

    /// <summary>Number of bytes held.</summary>
    public int Length => _length;

    /// <summary>
    /// Maximum number of bytes (<see cref="Unlimited"/> for none). Lowering it below
    /// <see cref="Length"/> cuts the content and sets <see cref="Truncated"/>.
    /// </summary>
    public int Limit
    {
        get => _limit;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _limit = value;
            if (_length > value)
            {
                _length = value;
                _truncated = true;
            }
        }
    }

    /// <summary>Bytes that can still be appended before the limit.</summary>
    public int Remaining => _limit - _length;

    /// <summary>True when the limit has been reached.</summary>
    public bool IsFull => _length >= _limit;

    /// <summary>True once any append since the last <see cref="Clear"/> was cut by the limit.</summary>
    public bool Truncated => _truncated;

    /// <summary>Current rented capacity (for tests and diagnostics).</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Byte at <paramref name="index"/> (0 .. Length-1).</summary>
    public byte this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_length)
            {
                ThrowIndex();
            }
            return _buffer[index];
        }
    }

    /// <summary>The content.</summary>
    public ReadOnlySpan<byte> AsSpan() => new(_buffer, 0, _length);

    /// <summary>A slice of the content.</summary>
    public ReadOnlySpan<byte> AsSpan(int start, int length) => AsSpan().Slice(start, length);

    /// <summary>The content as memory (for <c>PrintfArg</c>); valid until the buffer grows.</summary>
    public ReadOnlyMemory<byte> AsMemory() => new(_buffer, 0, _length);

    /// <summary>Empties the builder and resets <see cref="Truncated"/>; keeps the rented array.</summary>
    public void Clear()
    {
        _length = 0;
        _truncated = false;
    }

    /// <summary>Resets <see cref="Truncated"/> without touching the content.</summary>
    public void ResetTruncated() => _truncated = false;

    /// <summary>Shortens the content to <paramref name="length"/> bytes (no-op if already shorter).</summary>
    public void Shorten(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length < _length)
        {
            _length = length;
        }
    }

    /// <summary>Cuts the content at its first NUL byte (a NUL ends a stap string). Returns true if it cut.</summary>
    public bool CutAtNul()
    {
        int nul = AsSpan().IndexOf((byte)0);
        if (nul < 0)
        {
            return false;
        }
        _length = nul;
        return true;
    }

    /// <summary>Replaces the content with <paramref name="value"/> (which may alias this builder). False if cut.</summary>
    public bool Set(ReadOnlySpan<byte> value)
    {
        _truncated = false;
        if (value.Overlaps(_buffer))
        {
            // Aliased source (s = substr(s, ...)): it already fits in the array, move it down.
            int n = Math.Min(value.Length, _limit);
            value[..n].CopyTo(_buffer);
            _length = n;
            if (n < value.Length)
            {
                _truncated = true;
                return false;
            }
            return true;
        }
        _length = 0;
        return Append(value);
    }

    /// <summary>Replaces the content with a copy of <paramref name="other"/>. False if cut.</summary>
    public bool Set(ByteBuilder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ReferenceEquals(other, this) || Set(other.AsSpan());
    }

    /// <summary>Appends one byte. False if the limit cut it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Append(byte value)
    {
        int pos = _length;
        byte[] buffer = _buffer;
        if ((uint)pos < (uint)buffer.Length && pos < _limit)
        {
            buffer[pos] = value;
            _length = pos + 1;
            return true;
        }
        return AppendSlow(value);
    }

    /// <summary>Appends bytes (which may alias this builder). False if the limit cut them.</summary>
    public bool Append(ReadOnlySpan<byte> value)
    {
        int room = _limit - _length;
        int n = value.Length;
        bool fits = true;
        if (n > room)
        {
            n = room;
            fits = false;
            _truncated = true;
        }
        if (n == 0)
        {
            return fits;
        }
        if (_length + n > _buffer.Length)
        {
            GrowAndCopy(value[..n]);
        }
        else
        {
            value[..n].CopyTo(_buffer.AsSpan(_length));
        }
        _length += n;
        return fits;
    }

    /// <summary>Appends the content of another builder (or of this one). False if cut.</summary>
    public bool Append(ByteBuilder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Append(other.AsSpan());
    }

    /// <summary>Appends <paramref name="count"/> copies of <paramref name="value"/>. False if cut.</summary>
    public bool AppendRepeat(byte value, int count)
    {
        if (count <= 0)
        {
            return true;
        }
        bool fits = true;
        int room = _limit - _length;
        if (count > room)
        {
            count = room;
            fits = false;
            _truncated = true;
        }
        Span<byte> dest = GetAppendSpan(count);
        dest[..count].Fill(value);
        _length += count;
        return fits;
    }

    /// <summary>Appends a signed decimal number (as stap's <c>%d</c>). False if cut.</summary>
    public bool AppendDecimal(long value)
    {
        Span<byte> tmp = stackalloc byte[20];
        bool ok = Utf8Formatter.TryFormat(value, tmp, out int written);
        Debug.Assert(ok);
        return Append(tmp[..written]);
    }

    /// <summary>Appends an unsigned decimal number. False if cut.</summary>
    public bool AppendDecimal(ulong value)
    {
        Span<byte> tmp = stackalloc byte[20];
        bool ok = Utf8Formatter.TryFormat(value, tmp, out int written);
        Debug.Assert(ok);
        return Append(tmp[..written]);
    }

    /// <summary>Appends UTF-16 text encoded as UTF-8 (for messages, pp() and the like). False if cut.</summary>
    public bool AppendUtf8(ReadOnlySpan<char> text)
    {
        const int StackallocThreshold = 256;
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        Span<byte> tmp = max <= StackallocThreshold
            ? stackalloc byte[StackallocThreshold]
            : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int n = Encoding.UTF8.GetBytes(text, tmp);
            return Append(tmp[..n]);
        }
        finally
        {
            if (rented != null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>True if the content equals <paramref name="other"/> byte for byte.</summary>
    public bool ContentEquals(ReadOnlySpan<byte> other) => AsSpan().SequenceEqual(other);

    /// <summary>A copy of the content (allocates; not for hot paths).</summary>
    public byte[] ToArray() => AsSpan().ToArray();

    /// <summary>The content decoded as UTF-8 (allocates; for diagnostics and tests).</summary>
    public override string ToString() => Encoding.UTF8.GetString(AsSpan());

    /// <summary>Returns the array to the pool; the builder is empty and usable again afterwards.</summary>
    public void Dispose()
    {
        byte[] old = _buffer;
        // Detach first so a stray append after Dispose cannot write into a returned array.
        _buffer = [];
        _length = 0;
        _truncated = false;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    /// <summary>
    /// A writable span of at least <paramref name="count"/> bytes after the content, which must not
    /// exceed <see cref="Remaining"/>; commit with <see cref="Advance"/>.
    /// </summary>
    internal Span<byte> GetAppendSpan(int count)
    {
        Debug.Assert(count >= 0 && count <= _limit - _length);
        if (_length + count > _buffer.Length)
        {
            Grow(count);
        }
        return _buffer.AsSpan(_length);
    }

    /// <summary>Commits <paramref name="count"/> bytes written into <see cref="GetAppendSpan"/>.</summary>
    internal void Advance(int count)
    {
        Debug.Assert(count >= 0 && _length + count <= Math.Min(_buffer.Length, _limit));
        _length += count;
    }

    /// <summary>Marks the content as cut (for writers that clamp before appending).</summary>
    internal void MarkTruncated() => _truncated = true;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool AppendSlow(byte value)
    {
        if (_length >= _limit)
        {
            _truncated = true;
            return false;
        }
        Grow(1);
        _buffer[_length++] = value;
        return true;
    }

    private int NewCapacity(int additional)
    {
        long needed = (long)_length + additional;
        long doubled = Math.Max((long)_buffer.Length * 2, MinimumRent);
        long size = Math.Max(needed, doubled);
        // Never rent beyond the limit: a 511-byte string never needs more than 511 bytes.
        size = Math.Min(size, Math.Max(_limit, needed));
        return (int)Math.Min(size, Array.MaxLength);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int additional)
    {
        byte[] next = ArrayPool<byte>.Shared.Rent(NewCapacity(additional));
        byte[] old = _buffer;
        old.AsSpan(0, _length).CopyTo(next);
        _buffer = next;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    // The source may live in the old array, so copy it before that array goes back to the pool.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowAndCopy(ReadOnlySpan<byte> value)
    {
        byte[] next = ArrayPool<byte>.Shared.Rent(NewCapacity(value.Length));
        byte[] old = _buffer;
        old.AsSpan(0, _length).CopyTo(next);
        value.CopyTo(next.AsSpan(_length));
        _buffer = next;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowIndex() => throw new ArgumentOutOfRangeException("index");
}
