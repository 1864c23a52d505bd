namespace ProcProbe.Interpreter.Evaluation;

/// <summary>
/// The content a procfs read handler builds through <c>$value</c>: at most bufsize-1 bytes. Overflow keeps
/// the truncated bytes and reports stap's "buffer size exceeded, consider .maxsize(N)." error, with N
/// computed as stap does. stap's quirk is kept: after a failing <c>=</c> the recorded length is not
/// updated, so a later <c>.=</c> may add nothing without an error (procfs-semantics.md §3.3).
/// </summary>
internal sealed class ProcfsReadBuffer
{
    private readonly byte[] _buffer;
    private readonly int _capacity;
    private int _length;   // bytes actually held
    private int _count;    // stap's data->count, updated only on success

    public ProcfsReadBuffer(int bufferSize)
    {
        _capacity = Math.Max(0, bufferSize - 1);
        _buffer = new byte[_capacity];
    }

    public int Capacity => _capacity;

    public ReadOnlySpan<byte> Content => _buffer.AsSpan(0, _length);

    public void Clear()
    {
        _length = 0;
        _count = 0;
    }

    /// <summary><c>$value = s</c>; returns the maxsize to suggest (0 when it fit).</summary>
    public long Set(ReadOnlySpan<byte> s)
    {
        int n = Math.Min(s.Length, _capacity);
        s[..n].CopyTo(_buffer);
        _length = n;
        if (s.Length > _capacity)
            return s.Length + 1L;
        _count = _length;
        return 0;
    }

    /// <summary><c>$value .= s</c>; returns the maxsize to suggest (0 when it fit).</summary>
    public long Append(ReadOnlySpan<byte> s)
    {
        int room = _capacity - _length;
        int n = Math.Min(s.Length, Math.Max(0, room));
        s[..n].CopyTo(_buffer.AsSpan(_length));
        _length += n;
        if ((long)_count + s.Length > _capacity)
            return _count + (long)s.Length + 1;
        _count = _length;
        return 0;
    }
}
