namespace ProcProbe.Interpreter.Text;

/// <summary>
/// One script as SystemTap sees it: raw bytes (strings are byte strings), a file name
/// (<c>&lt;input&gt;</c> for <c>-e</c> and standard input) and a line map for diagnostics.
/// </summary>
public sealed class SourceText
{
    public const string InputFileName = "<input>";

    private readonly int[] _lineStarts;

    private SourceText(byte[] bytes, string fileName)
    {
        Bytes = bytes;
        FileName = fileName;
        _lineStarts = ComputeLineStarts(bytes);
    }

    public string FileName { get; }

    /// <summary>The script's bytes; never modified after construction.</summary>
    public byte[] Bytes { get; }

    public int Length => Bytes.Length;

    /// <summary>Number of lines; a trailing newline does not start an extra line.</summary>
    public int LineCount => _lineStarts.Length;

    public static SourceText From(byte[] bytes, string fileName = InputFileName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(fileName);
        return new SourceText(bytes, fileName);
    }

    /// <summary>Encodes <paramref name="text"/> as UTF-8; convenient for tests and <c>-e</c>.</summary>
    public static SourceText From(string text, string fileName = InputFileName)
        => From(System.Text.Encoding.UTF8.GetBytes(text), fileName);

    /// <summary>1-based line number of a byte offset.</summary>
    public int GetLineNumber(int position)
    {
        int index = Array.BinarySearch(_lineStarts, position);
        if (index < 0)
            index = ~index - 1;
        return Math.Max(index, 0) + 1;
    }

    /// <summary>1-based line and byte column of a byte offset (a tab is one column).</summary>
    public (int Line, int Column) GetLineColumn(int position)
    {
        int line = GetLineNumber(position);
        return (line, position - _lineStarts[line - 1] + 1);
    }

    /// <summary>Bytes of a 1-based line without its newline; empty when out of range.</summary>
    public ReadOnlySpan<byte> GetLine(int lineNumber)
    {
        if (lineNumber < 1 || lineNumber > _lineStarts.Length)
            return default;
        int start = _lineStarts[lineNumber - 1];
        int end = start;
        while (end < Bytes.Length && Bytes[end] != (byte)'\n')
            end++;
        return Bytes.AsSpan(start, end - start);
    }

    /// <summary>Byte offset where a 1-based line starts (the end of the text when out of range).</summary>
    public int GetLineStart(int lineNumber)
        => lineNumber >= 1 && lineNumber <= _lineStarts.Length ? _lineStarts[lineNumber - 1] : Bytes.Length;

    private static int[] ComputeLineStarts(byte[] bytes)
    {
        // counted first (vectorized) so that the table is allocated once at its size: a line starts after
        // every newline but a final one
        int newlines = bytes.AsSpan().Count((byte)'\n');
        if (bytes.Length > 0 && bytes[^1] == (byte)'\n')
            newlines--;
        var starts = new int[newlines + 1];
        int count = 1;
        // a vectorized search per line instead of a test per byte
        int i = bytes.AsSpan().IndexOf((byte)'\n');
        while (i >= 0 && i + 1 < bytes.Length)
        {
            starts[count++] = i + 1;
            int next = bytes.AsSpan(i + 1).IndexOf((byte)'\n');
            i = next < 0 ? -1 : i + 1 + next;
        }
        return starts;
    }
}
