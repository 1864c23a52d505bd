namespace ProcProbe.Native;

/// <summary>
/// A growable byte buffer holding one open file's content. Instances are pooled with their open
/// handles and keep their array between opens, so a steady stream of reads allocates nothing.
/// </summary>
public sealed class SnapshotBuffer : System.Buffers.IBufferWriter<byte>
{
    private const int DefaultCapacity = 256;

    // Arrays above this size are dropped when the handle is returned, so one huge read does not
    // pin memory for the rest of the session.
    internal const int RetainedCapacity = 64 * 1024;

    private byte[] _buffer;
    private int _length;

    public SnapshotBuffer()
        : this(DefaultCapacity)
    {
    }

    public SnapshotBuffer(int initialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _buffer = initialCapacity == 0 ? [] : new byte[initialCapacity];
    }

    public ReadOnlySpan<byte> Content => _buffer.AsSpan(0, _length);

    public int Length => _length;

    public int Capacity => _buffer.Length;

    public void Clear() => _length = 0;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    public void Set(ReadOnlySpan<byte> bytes)
    {
        _length = 0;
        Append(bytes);
    }

    /// <summary>Writable space of at least <paramref name="sizeHint"/> bytes after the content; commit with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int sizeHint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        sizeHint = Math.Max(sizeHint, 1); // IBufferWriter: a hint of 0 still asks for a non-empty span
        if (_buffer.Length - _length < sizeHint)
        {
            Grow(sizeHint);
        }

        return _buffer.AsSpan(_length);
    }

    public Memory<byte> GetMemory(int sizeHint)
    {
        GetSpan(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _length);
        _length += count;
    }

    /// <summary>Shortens the content to <paramref name="length"/> bytes.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length);
        _length = length;
    }

    internal void ResetForPool()
    {
        _length = 0;
        if (_buffer.Length > RetainedCapacity)
        {
            _buffer = new byte[DefaultCapacity];
        }
    }

    private void Grow(int sizeHint)
    {
        long needed = (long)_length + sizeHint;
        if (needed > Array.MaxLength)
        {
            throw new OutOfMemoryException("snapshot larger than the maximum array length");
        }

        long doubled = Math.Max(_buffer.Length * 2L, DefaultCapacity);
        byte[] larger = new byte[(int)Math.Min(Math.Max(needed, doubled), Array.MaxLength)];
        _buffer.AsSpan(0, _length).CopyTo(larger);
        _buffer = larger;
    }
}
