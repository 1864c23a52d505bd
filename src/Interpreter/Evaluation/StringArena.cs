using System.Runtime.CompilerServices;

namespace ProcProbe.Interpreter.Evaluation;

/// <summary>
/// A string value during evaluation: a view of bytes owned by a variable, a literal, or the
/// <see cref="StringArena"/>. It is a struct (not a span) so it can sit in locals across calls;
/// it stays valid until the arena is rewound below it or the owning variable is rewritten.
/// </summary>
internal readonly struct StrRef
{
    public readonly byte[]? Array;
    public readonly int Offset;
    public readonly int Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public StrRef(byte[] array, int offset, int length)
    {
        Array = array;
        Offset = offset;
        Length = length;
    }

    public StrRef(byte[] array) : this(array, 0, array.Length) { }

    public static StrRef Empty => default;

    public ReadOnlySpan<byte> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Array is null ? default : new ReadOnlySpan<byte>(Array, Offset, Length);
    }

    public override string ToString() => System.Text.Encoding.Latin1.GetString(Span);
}

/// <summary>
/// Bump allocator for string temporaries. Callers take a <see cref="Mark"/> before evaluating an
/// expression and <see cref="Release"/> it afterwards, so a warm interpreter reuses the same chunks
/// and never allocates. Chunks are never moved: a <see cref="StrRef"/> into an older chunk stays valid.
/// </summary>
internal sealed class StringArena
{
    private readonly int _chunkSize;
    private readonly List<byte[]> _chunks = new();
    private int _chunk;   // index of the current chunk
    private int _offset;  // next free byte in the current chunk

    public StringArena(int maxStringLen)
    {
        // A chunk always fits at least a few full-size strings, so an allocation never spans chunks.
        _chunkSize = Math.Max(16384, maxStringLen * 8);
        _chunks.Add(new byte[_chunkSize]);
    }

    public long Mark
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ((long)_chunk << 32) | (uint)_offset;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Release(long mark)
    {
        _chunk = (int)(mark >> 32);
        _offset = (int)(uint)mark;
    }

    /// <summary>Reserves <paramref name="length"/> bytes; write them through the returned array and offset.</summary>
    public byte[] Allocate(int length, out int offset)
    {
        byte[] chunk = _chunks[_chunk];
        if (_offset + length > chunk.Length)
            chunk = NextChunk(length);
        offset = _offset;
        _offset += length;
        return chunk;
    }

    /// <summary>Copies <paramref name="bytes"/> into the arena.</summary>
    public StrRef Copy(ReadOnlySpan<byte> bytes)
    {
        byte[] chunk = Allocate(bytes.Length, out int offset);
        bytes.CopyTo(chunk.AsSpan(offset));
        return new StrRef(chunk, offset, bytes.Length);
    }

    /// <summary>Gives back the unused tail of the most recent allocation.</summary>
    public void Shrink(byte[] chunk, int offset, int usedLength)
    {
        if (ReferenceEquals(chunk, _chunks[_chunk]))
            _offset = offset + usedLength;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private byte[] NextChunk(int length)
    {
        _chunk++;
        _offset = 0;
        if (_chunk == _chunks.Count)
            _chunks.Add(new byte[Math.Max(_chunkSize, length)]);
        else if (_chunks[_chunk].Length < length)
            _chunks[_chunk] = new byte[length];
        return _chunks[_chunk];
    }
}
