using System.Runtime.CompilerServices;
using ProcProbe.Interpreter.Runtime.Text;

namespace ProcProbe.Interpreter.Runtime.Printf;

/// <summary>
/// A pre-parsed stap printf format (language.md §4.2-4.4). Parse once at bind time; formatting
/// then allocates nothing. Immutable and safe to share between threads.
/// </summary>
public sealed class PrintfFormat
{
    /// <summary>Most bytes one <c>printf</c> writes to the output (stap's STP_BUFFER_SIZE).</summary>
    public const int MaxStreamOutput = 8192;

    private readonly byte[] _literals;
    private readonly PrintfSegment[] _segments;
    private readonly PrintfArgKind[] _argumentKinds;

    private PrintfFormat(byte[] literals, PrintfSegment[] segments, PrintfArgKind[] argumentKinds, int conversionCount, bool usesMemory)
    {
        _literals = literals;
        _segments = segments;
        _argumentKinds = argumentKinds;
        ConversionCount = conversionCount;
        UsesMemoryConversion = usesMemory;
    }

    /// <summary>Literal and conversion segments, in order.</summary>
    public ReadOnlySpan<PrintfSegment> Segments => _segments;

    /// <summary>
    /// The type each argument must have, in order: a long for every <c>*</c>, then a string for
    /// <c>%s</c> and a long for every other conversion (§4.3). Its length is the argument count.
    /// </summary>
    public ReadOnlySpan<PrintfArgKind> ArgumentKinds => _argumentKinds;

    /// <summary>Number of arguments the format needs (conversions plus one per <c>*</c>).</summary>
    public int ArgumentCount => _argumentKinds.Length;

    /// <summary>Number of conversions (not counting <c>%%</c>).</summary>
    public int ConversionCount { get; }

    /// <summary>
    /// True if the format has <c>%m</c> or <c>%M</c>, which read kernel or user memory: the binder
    /// must refuse such a format, and <see cref="Format"/> throws on it.
    /// </summary>
    public bool UsesMemoryConversion { get; }

    /// <summary>The bytes of a literal segment (escapes already decoded by the lexer; <c>%%</c> is one <c>%</c>).</summary>
    public ReadOnlySpan<byte> GetLiteral(in PrintfSegment segment) =>
        _literals.AsSpan(segment.LiteralStart, segment.LiteralLength);

    /// <summary>
    /// Parses a format string (the decoded bytes of the literal) as stap's parser does; errors are
    /// returned with stap's message text, never thrown.
    /// </summary>
    public static PrintfParseResult Parse(ReadOnlySpan<byte> format)
    {
        var literals = new List<byte>(format.Length);
        var segments = new List<PrintfSegment>();
        var kinds = new List<PrintfArgKind>();
        int conversions = 0;
        bool usesMemory = false;
        int literalStart = 0;
        int i = 0;
        int n = format.Length;

        while (i < n)
        {
            byte b = format[i];
            if (b != (byte)'%')
            {
                literals.Add(b);
                i++;
                continue;
            }

            // stap's parser reads past the end on a lone trailing '%'; the real translator then
            // reports an invalid conversion, so do the same.
            if (i + 1 == n)
            {
                return new PrintfParseResult(PrintfParseError.InvalidConversion, i);
            }

            if (format[i + 1] == (byte)'%')
            {
                literals.Add((byte)'%');
                i += 2;
                continue;
            }

            FlushLiteral(literals, segments, ref literalStart);
            int start = i;
            i++;

            PrintfFlags flags = PrintfFlags.None;
            int width = -1;
            int precision = -1;
            bool widthStar = false;
            bool precisionStar = false;
            bool lengthModifier = false;

            // Exactly one optional flag character (stap does not loop here).
            flags = format[i] switch
            {
                (byte)'0' => PrintfFlags.ZeroPad,
                (byte)'+' => PrintfFlags.Plus,
                (byte)'-' => PrintfFlags.Left,
                (byte)' ' => PrintfFlags.Space,
                (byte)'#' => PrintfFlags.Alternate,
                _ => PrintfFlags.None,
            };
            if (flags != PrintfFlags.None)
            {
                i++;
            }

            if (i < n)
            {
                if (format[i] == (byte)'*')
                {
                    widthStar = true;
                    i++;
                }
                else if (IsDigit(format[i]))
                {
                    width = ParseNumber(format, ref i);
                }
            }

            if (i < n && format[i] == (byte)'.')
            {
                i++;
                if (i < n)
                {
                    if (format[i] == (byte)'*')
                    {
                        precisionStar = true;
                        i++;
                    }
                    else if (IsDigit(format[i]))
                    {
                        precision = ParseNumber(format, ref i);
                    }
                }
            }

            if (i < n && format[i] == (byte)'l')
            {
                lengthModifier = true;
                i++;
            }

            if (i == n)
            {
                // stap drops a conversion that has nothing but '%', '.', 'l' at the very end, and
                // rejects one that already has a flag, width or precision.
                bool hasContent = flags != PrintfFlags.None || width >= 0 || widthStar || precision >= 0 || precisionStar;
                if (hasContent)
                {
                    return new PrintfParseResult(PrintfParseError.TrailingIncomplete, start);
                }
                break;
            }

            PrintfConversion conversion = format[i] switch
            {
                (byte)'d' or (byte)'i' => PrintfConversion.SignedDecimal,
                (byte)'u' => PrintfConversion.UnsignedDecimal,
                (byte)'o' => PrintfConversion.Octal,
                (byte)'x' => PrintfConversion.HexLower,
                (byte)'X' => PrintfConversion.HexUpper,
                (byte)'p' => PrintfConversion.Pointer,
                (byte)'c' => PrintfConversion.Char,
                (byte)'s' => PrintfConversion.String,
                (byte)'b' => PrintfConversion.Binary,
                (byte)'m' => PrintfConversion.Memory,
                (byte)'M' => PrintfConversion.MemoryHex,
                _ => PrintfConversion.Literal,
            };
            if (conversion == PrintfConversion.Literal)
            {
                return new PrintfParseResult(PrintfParseError.InvalidConversion, i);
            }
            i++;

            var segment = new PrintfSegment(conversion, flags, width, precision, widthStar, precisionStar, lengthModifier, 0, 0);
            segments.Add(segment);
            conversions++;
            usesMemory |= conversion is PrintfConversion.Memory or PrintfConversion.MemoryHex;
            if (widthStar)
            {
                kinds.Add(PrintfArgKind.Long);
            }
            if (precisionStar)
            {
                kinds.Add(PrintfArgKind.Long);
            }
            kinds.Add(segment.ValueKind);
        }

        FlushLiteral(literals, segments, ref literalStart);
        return new PrintfParseResult(new PrintfFormat(literals.ToArray(), segments.ToArray(), kinds.ToArray(), conversions, usesMemory));
    }

    /// <summary>
    /// <c>printf</c>: appends the formatted output to <paramref name="dest"/> (the output stream's
    /// buffer) exactly as stap's compiled printf writes it to its print buffer: at most
    /// <see cref="MaxStreamOutput"/> bytes, NUL bytes from <c>%c</c>/<c>%0s</c> kept.
    /// Returns false if <paramref name="dest"/>'s limit cut the output (the 8192-byte cap is
    /// stap's own behaviour and not reported).
    /// </summary>
    /// <exception cref="ArgumentException">Arguments do not match <see cref="ArgumentKinds"/> (the binder guarantees they do).</exception>
    public bool Format(ByteBuilder dest, ReadOnlySpan<PrintfArg> args)
    {
        ArgumentNullException.ThrowIfNull(dest);
        CheckArguments(args);
        return PrintfWriter.WriteStream(this, dest, args, default, newline: false);
    }

    /// <summary>
    /// <c>sprintf</c>: appends the result as stap builds a string: into a buffer of
    /// <c>dest.Remaining + 1</c> bytes (MAXSTRINGLEN when <paramref name="dest"/> is an empty
    /// builder limited to MAXSTRINGLEN-1), so widths are clamped to the room left and the result
    /// ends at the first NUL byte. <paramref name="dest"/> must have a finite limit.
    /// Returns false if the result was cut at the limit.
    /// </summary>
    /// <exception cref="ArgumentException">No limit on <paramref name="dest"/>, or arguments do not match.</exception>
    public bool FormatString(ByteBuilder dest, ReadOnlySpan<PrintfArg> args)
    {
        ArgumentNullException.ThrowIfNull(dest);
        if (dest.Limit == ByteBuilder.Unlimited)
        {
            ThrowUnlimited();
        }
        CheckArguments(args);
        return PrintfWriter.WriteString(this, dest, args, default, newline: false);
    }

    private void CheckArguments(ReadOnlySpan<PrintfArg> args)
    {
        if (UsesMemoryConversion)
        {
            ThrowMemory();
        }
        PrintfArgKind[] kinds = _argumentKinds;
        if (args.Length != kinds.Length)
        {
            ThrowCount(kinds.Length, args.Length);
        }
        for (int k = 0; k < kinds.Length; k++)
        {
            if (args[k].Kind != kinds[k])
            {
                ThrowKind(k);
            }
        }
    }

    private static void FlushLiteral(List<byte> literals, List<PrintfSegment> segments, ref int literalStart)
    {
        int length = literals.Count - literalStart;
        if (length > 0)
        {
            segments.Add(new PrintfSegment(PrintfConversion.Literal, PrintfFlags.None, -1, -1, false, false, false, literalStart, length));
            literalStart = literals.Count;
        }
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    // stap accumulates into a C int; wrap the same way instead of failing on huge numbers.
    private static int ParseNumber(ReadOnlySpan<byte> format, ref int i)
    {
        int value = 0;
        while (i < format.Length && IsDigit(format[i]))
        {
            value = unchecked((value * 10) + (format[i] - '0'));
            i++;
        }
        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowCount(int expected, int actual) =>
        throw new ArgumentException($"The format takes {expected} argument(s), got {actual}.", "args");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowKind(int index) =>
        throw new ArgumentException($"Argument {index} has the wrong type for the format.", "args");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowMemory() =>
        throw new InvalidOperationException("%m and %M read kernel memory and cannot be formatted.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUnlimited() =>
        throw new ArgumentException("A sprintf destination needs a limit (MAXSTRINGLEN-1).", "dest");
}
