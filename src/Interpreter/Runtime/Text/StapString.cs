namespace ProcProbe.Interpreter.Runtime.Text;

/// <summary>Facts about stap strings shared by the runtime pieces (language.md §3.5).</summary>
public static class StapString
{
    /// <summary>MAXSTRINGLEN on 64-bit hosts; strings hold at most one byte less.</summary>
    public const int DefaultMaxStringLength = 512;

    /// <summary>
    /// The string as C code sees it: up to (not including) the first NUL byte. stap strings are
    /// C strings, so every builtin ignores what follows a NUL.
    /// </summary>
    public static ReadOnlySpan<byte> AsCString(ReadOnlySpan<byte> value)
    {
        int nul = value.IndexOf((byte)0);
        return nul >= 0 ? value[..nul] : value;
    }

    /// <summary>A new builder for a string variable: limit MAXSTRINGLEN-1.</summary>
    public static ByteBuilder CreateBuilder(int maxStringLength = DefaultMaxStringLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxStringLength, 1);
        return new ByteBuilder(maxStringLength - 1);
    }
}
