namespace ProcProbe.Interpreter.Runtime.Printf;

/// <summary>What a format segment produces.</summary>
public enum PrintfConversion : byte
{
    /// <summary>Literal text (including the text of <c>%%</c>).</summary>
    Literal,

    /// <summary><c>%d</c> or <c>%i</c>: signed decimal.</summary>
    SignedDecimal,

    /// <summary><c>%u</c>: unsigned decimal.</summary>
    UnsignedDecimal,

    /// <summary><c>%o</c>: unsigned octal.</summary>
    Octal,

    /// <summary><c>%x</c>: unsigned lower-case hexadecimal.</summary>
    HexLower,

    /// <summary><c>%X</c>: unsigned upper-case hexadecimal.</summary>
    HexUpper,

    /// <summary><c>%p</c>: pointer, printed as <c>%#x</c>.</summary>
    Pointer,

    /// <summary><c>%c</c>: one byte.</summary>
    Char,

    /// <summary><c>%s</c>: string.</summary>
    String,

    /// <summary><c>%b</c>: the value's bytes, little-endian.</summary>
    Binary,

    /// <summary><c>%m</c>: kernel/user memory dump (needs a kernel; the binder refuses it).</summary>
    Memory,

    /// <summary><c>%M</c>: hex memory dump (needs a kernel; the binder refuses it).</summary>
    MemoryHex,
}

/// <summary>The one flag character a stap conversion may carry.</summary>
[Flags]
public enum PrintfFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary><c>-</c>: left-align in the field.</summary>
    Left = 1,

    /// <summary><c>+</c>: plus sign on non-negative signed numbers.</summary>
    Plus = 2,

    /// <summary>space: a space on non-negative signed numbers.</summary>
    Space = 4,

    /// <summary><c>#</c>: alternate form (0x, leading 0, escaped %c).</summary>
    Alternate = 8,

    /// <summary><c>0</c>: zero padding.</summary>
    ZeroPad = 16,
}

/// <summary>
/// One parsed piece of a format: literal text, or a conversion with its flag, width and
/// precision. Width and precision are -1 when absent; <see cref="WidthFromArgument"/> /
/// <see cref="PrecisionFromArgument"/> mean <c>*</c> (a long argument supplies the value).
/// </summary>
public readonly struct PrintfSegment
{
    internal PrintfSegment(
        PrintfConversion conversion,
        PrintfFlags flags,
        int width,
        int precision,
        bool widthFromArgument,
        bool precisionFromArgument,
        bool hasLengthModifier,
        int literalStart,
        int literalLength)
    {
        Conversion = conversion;
        Flags = flags;
        Width = width;
        Precision = precision;
        WidthFromArgument = widthFromArgument;
        PrecisionFromArgument = precisionFromArgument;
        HasLengthModifier = hasLengthModifier;
        LiteralStart = literalStart;
        LiteralLength = literalLength;
    }

    /// <summary>The conversion, or <see cref="PrintfConversion.Literal"/>.</summary>
    public PrintfConversion Conversion { get; }

    /// <summary>True for literal text.</summary>
    public bool IsLiteral => Conversion == PrintfConversion.Literal;

    /// <summary>The flag character, if any.</summary>
    public PrintfFlags Flags { get; }

    /// <summary>Literal width, -1 if none.</summary>
    public int Width { get; }

    /// <summary>Literal precision, -1 if none.</summary>
    public int Precision { get; }

    /// <summary>Width given as <c>*</c>.</summary>
    public bool WidthFromArgument { get; }

    /// <summary>Precision given as <c>.*</c>.</summary>
    public bool PrecisionFromArgument { get; }

    /// <summary>An <c>l</c> length modifier was written (accepted and ignored).</summary>
    public bool HasLengthModifier { get; }

    /// <summary>The argument type the conversion itself consumes (after any <c>*</c> longs).</summary>
    public PrintfArgKind ValueKind => Conversion == PrintfConversion.String ? PrintfArgKind.String : PrintfArgKind.Long;

    /// <summary>Number of arguments this segment consumes (0 for literals).</summary>
    public int ArgumentCount => IsLiteral ? 0 : 1 + (WidthFromArgument ? 1 : 0) + (PrecisionFromArgument ? 1 : 0);

    internal int LiteralStart { get; }

    internal int LiteralLength { get; }
}
