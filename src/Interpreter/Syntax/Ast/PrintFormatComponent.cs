namespace ProcProbe.Interpreter.Syntax;

public enum FormatConversion : byte
{
    /// <summary>Literal text (including <c>%%</c>, kept as one <c>%</c>).</summary>
    Literal,
    /// <summary><c>%d</c> / <c>%i</c></summary>
    SignedDecimal,
    /// <summary><c>%u</c></summary>
    UnsignedDecimal,
    /// <summary><c>%o</c></summary>
    Octal,
    /// <summary><c>%x</c></summary>
    HexLower,
    /// <summary><c>%X</c></summary>
    HexUpper,
    /// <summary><c>%p</c></summary>
    Pointer,
    /// <summary><c>%c</c></summary>
    Char,
    /// <summary><c>%s</c></summary>
    String,
    /// <summary><c>%b</c>: raw binary</summary>
    Binary,
    /// <summary><c>%m</c>: memory dump</summary>
    Memory,
    /// <summary><c>%M</c>: memory dump in hex</summary>
    MemoryHex,
}

[Flags]
public enum FormatFlags : byte
{
    None = 0,
    ZeroPad = 1,   // 0
    Plus = 2,      // +
    Space = 4,     // ' '
    Left = 8,      // -
    Alternate = 16, // #
}

public enum FormatSizeKind : byte
{
    /// <summary>Not given.</summary>
    None,
    /// <summary>Digits in the format.</summary>
    Static,
    /// <summary><c>*</c>: taken from the next argument.</summary>
    Dynamic,
}

/// <summary>
/// One piece of a printf format, parsed at parse time as stap does. Literal text is kept in the
/// stored (still backslash-escaped) form; <see cref="SyntaxFacts.DecodeStringValue"/> gives bytes.
/// </summary>
public sealed class PrintFormatComponent
{
    public PrintFormatComponent(FormatConversion conversion, byte[] literal, FormatFlags flags,
                                FormatSizeKind widthKind, int width, FormatSizeKind precisionKind, int precision)
    {
        Conversion = conversion;
        Literal = literal;
        Flags = flags;
        WidthKind = widthKind;
        Width = width;
        PrecisionKind = precisionKind;
        Precision = precision;
    }

    public FormatConversion Conversion { get; }

    /// <summary>For <see cref="FormatConversion.Literal"/>: the stored text; empty otherwise.</summary>
    public byte[] Literal { get; }

    public FormatFlags Flags { get; }

    public FormatSizeKind WidthKind { get; }

    public int Width { get; }

    public FormatSizeKind PrecisionKind { get; }

    public int Precision { get; }

    /// <summary>How many arguments this component consumes (<c>*</c> sizes plus the value).</summary>
    public int ArgumentCount => Conversion == FormatConversion.Literal
        ? 0
        : 1 + (WidthKind == FormatSizeKind.Dynamic ? 1 : 0) + (PrecisionKind == FormatSizeKind.Dynamic ? 1 : 0);
}
