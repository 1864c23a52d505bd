namespace ProcProbe.Interpreter.Runtime.Printf;

/// <summary>Why a format string was rejected at parse time.</summary>
public enum PrintfParseError : byte
{
    /// <summary>No error.</summary>
    None,

    /// <summary>Unknown conversion letter, second flag, <c>ll</c>, <c>%5%</c>, a lone trailing <c>%</c>.</summary>
    InvalidConversion,

    /// <summary>The format ends inside a conversion (<c>"%-"</c>, <c>"%5"</c>, <c>"%.*"</c>).</summary>
    TrailingIncomplete,
}

/// <summary>Outcome of <see cref="PrintfFormat.Parse"/>: a format, or an error with stap's text.</summary>
public readonly struct PrintfParseResult
{
    internal PrintfParseResult(PrintfFormat format)
    {
        Format = format;
        Error = PrintfParseError.None;
        ErrorOffset = -1;
    }

    internal PrintfParseResult(PrintfParseError error, int offset)
    {
        Format = null;
        Error = error;
        ErrorOffset = offset;
    }

    /// <summary>The parsed format, or null on error.</summary>
    public PrintfFormat? Format { get; }

    /// <summary>The error, or <see cref="PrintfParseError.None"/>.</summary>
    public PrintfParseError Error { get; }

    /// <summary>True when <see cref="Format"/> is set.</summary>
    public bool Success => Error == PrintfParseError.None;

    /// <summary>Byte offset in the format where the error was found (-1 on success). stap itself reports no position.</summary>
    public int ErrorOffset { get; }

    /// <summary>stap's message text for the error (shown after <c>parse error: </c>), or null on success.</summary>
    public string? ErrorMessage => MessageFor(Error);

    /// <summary>stap's message text for <paramref name="error"/>.</summary>
    public static string? MessageFor(PrintfParseError error) => error switch
    {
        PrintfParseError.InvalidConversion => "invalid or missing conversion specifier",
        PrintfParseError.TrailingIncomplete => "trailing incomplete print format conversion",
        _ => null,
    };
}
