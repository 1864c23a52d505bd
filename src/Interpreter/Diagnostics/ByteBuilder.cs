using System.Text;

namespace ProcProbe.Interpreter.Diagnostics;

/// <summary>Growable byte buffer: stap's output is bytes (source lines are echoed unchanged).</summary>
internal sealed class ByteBuilder
{
    private byte[] _buffer;
    private int _length;

    public ByteBuilder(int capacity = 256) => _buffer = new byte[Math.Max(capacity, 16)];

    public int Length => _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public ByteBuilder Append(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
        return this;
    }

    public ByteBuilder Append(char c) => Append((byte)c);

    public ByteBuilder Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
        return this;
    }

    /// <summary>Appends a .NET string as UTF-8 (message texts are ASCII; file names may not be).</summary>
    public ByteBuilder Append(string text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
        return this;
    }

    public ByteBuilder Append(long value)
    {
        Span<byte> tmp = stackalloc byte[24];
        value.TryFormat(tmp, out int n, default, System.Globalization.CultureInfo.InvariantCulture);
        return Append(tmp[..n]);
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public override string ToString() => Encoding.UTF8.GetString(_buffer, 0, _length);

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length)
            return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
    }
}
