using System.Runtime.CompilerServices;

namespace ProcProbe.Interpreter.Runtime.Printf;

/// <summary>The two stap scalar types, as a printf argument or conversion expects them.</summary>
public enum PrintfArgKind : byte
{
    /// <summary>A 64-bit signed integer.</summary>
    Long,

    /// <summary>A byte string.</summary>
    String,
}

/// <summary>
/// One value passed to a print-family operator: a long or a byte string. The string is only
/// referenced (no copy), so building an argument never allocates.
/// </summary>
public readonly struct PrintfArg
{
    private readonly ReadOnlyMemory<byte> _string;
    private readonly long _long;
    private readonly PrintfArgKind _kind;

    /// <summary>A long argument.</summary>
    public PrintfArg(long value)
    {
        _long = value;
        _kind = PrintfArgKind.Long;
    }

    /// <summary>A string argument.</summary>
    public PrintfArg(ReadOnlyMemory<byte> value)
    {
        _string = value;
        _kind = PrintfArgKind.String;
    }

    /// <summary>Which of the two types this is.</summary>
    public PrintfArgKind Kind => _kind;

    /// <summary>True for a string argument.</summary>
    public bool IsString => _kind == PrintfArgKind.String;

    /// <summary>The long value (0 for a string argument).</summary>
    public long Long => _long;

    /// <summary>The string bytes (empty for a long argument).</summary>
    public ReadOnlySpan<byte> Span => _string.Span;

    /// <summary>The string bytes as memory (empty for a long argument).</summary>
    public ReadOnlyMemory<byte> Memory => _string;

    /// <summary>A long argument.</summary>
    public static PrintfArg FromLong(long value) => new(value);

    /// <summary>A string argument.</summary>
    public static PrintfArg FromString(ReadOnlyMemory<byte> value) => new(value);

    /// <summary>A long argument.</summary>
    public static implicit operator PrintfArg(long value) => new(value);

    /// <summary>A string argument.</summary>
    public static implicit operator PrintfArg(byte[] value) => new(value);

    /// <summary>A string argument.</summary>
    public static implicit operator PrintfArg(ReadOnlyMemory<byte> value) => new(value);
}

/// <summary>
/// Inline storage for the arguments of one print-family call: stap allows at most 32 values
/// (<see cref="Capacity"/>), so a local of this type plus a slice is an allocation-free
/// <c>ReadOnlySpan&lt;PrintfArg&gt;</c>.
/// </summary>
[InlineArray(Capacity)]
public struct PrintfArgBuffer
{
    /// <summary>Most values one print-family call can take in stap.</summary>
    public const int Capacity = 32;

    private PrintfArg _element0;
}
