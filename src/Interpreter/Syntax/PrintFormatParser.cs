using System.Buffers;
using System.Collections.Immutable;
using ProcProbe.Interpreter.Diagnostics;

namespace ProcProbe.Interpreter.Syntax;

/// <summary>
/// Splits a printf format (stored string content) into literal and conversion components, with
/// stap's parse-time rules: one flag, optional width and precision (digits or <c>*</c>), one optional
/// <c>l</c>, conversions <c>b c s m M d i u o x X p</c>.
/// </summary>
public static class PrintFormatParser
{
    /// <summary>Parses a format; a malformed one raises the parse error stap raises.</summary>
    internal static ImmutableArray<PrintFormatComponent> Parse(ReadOnlySpan<byte> format)
    {
        if (!TryParse(format, out var components, out string? error))
            throw new ParseErrorException(error == DiagnosticMessages.InvalidConversion ? "format.conversion" : "format.trailing",
                                          error!, null, skipSome: true);
        return components;
    }

    /// <summary>Parses a format; on failure returns false with stap's message.</summary>
    public static bool TryParse(ReadOnlySpan<byte> str, out ImmutableArray<PrintFormatComponent> components, out string? error)
    {
        // A literal is never longer than the format: collect it in scratch space instead of a growing list
        // (every print in a script comes through here).
        byte[]? rented = null;
        Span<byte> literal = str.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(str.Length));
        try
        {
            return TryParse(str, literal, out components, out error);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool TryParse(ReadOnlySpan<byte> str, Span<byte> literal, out ImmutableArray<PrintFormatComponent> components,
                                 out string? error)
    {
        var result = ImmutableArray.CreateBuilder<PrintFormatComponent>();
        int literalLength = 0;
        bool haveLiteral = false;
        components = default;
        error = null;
        int i = 0;

        // A conversion under construction (stap keeps one "current" component).
        bool pending = false;
        FormatFlags flags = FormatFlags.None;
        FormatSizeKind widthKind = FormatSizeKind.None, precisionKind = FormatSizeKind.None;
        int width = 0, precision = 0;

        while (i < str.Length)
        {
            if (str[i] != (byte)'%')
            {
                haveLiteral = true;
                literal[literalLength++] = str[i];
                i++;
                continue;
            }
            if (i + 1 >= str.Length)
            {
                // a lone '%' at the very end has no conversion
                error = DiagnosticMessages.InvalidConversion;
                return false;
            }
            if (str[i + 1] == (byte)'%')
            {
                // "%%" is a literal '%'
                haveLiteral = true;
                literal[literalLength++] = (byte)'%';
                i += 2;
                continue;
            }
            if (haveLiteral)
            {
                result.Add(new PrintFormatComponent(FormatConversion.Literal, literal[..literalLength].ToArray(), FormatFlags.None,
                                                    FormatSizeKind.None, 0, FormatSizeKind.None, 0));
                literalLength = 0;
                haveLiteral = false;
            }
            i++;
            pending = true;
            flags = FormatFlags.None;
            widthKind = precisionKind = FormatSizeKind.None;
            width = precision = 0;
            if (i >= str.Length)
                break;

            switch (str[i])
            {
                case (byte)'0': flags |= FormatFlags.ZeroPad; i++; break;
                case (byte)'+': flags |= FormatFlags.Plus; i++; break;
                case (byte)'-': flags |= FormatFlags.Left; i++; break;
                case (byte)' ': flags |= FormatFlags.Space; i++; break;
                case (byte)'#': flags |= FormatFlags.Alternate; i++; break;
            }
            if (i >= str.Length)
                break;

            if (str[i] == (byte)'*')
            {
                widthKind = FormatSizeKind.Dynamic;
                i++;
            }
            else if (SyntaxFacts.IsDigit(str[i]))
            {
                widthKind = FormatSizeKind.Static;
                do
                {
                    width = unchecked(width * 10 + (str[i] - '0'));
                    i++;
                }
                while (i < str.Length && SyntaxFacts.IsDigit(str[i]));
            }
            if (i >= str.Length)
                break;

            if (str[i] == (byte)'.')
            {
                i++;
                if (i >= str.Length)
                    break;
                if (str[i] == (byte)'*')
                {
                    precisionKind = FormatSizeKind.Dynamic;
                    i++;
                }
                else if (SyntaxFacts.IsDigit(str[i]))
                {
                    precisionKind = FormatSizeKind.Static;
                    do
                    {
                        precision = unchecked(precision * 10 + (str[i] - '0'));
                        i++;
                    }
                    while (i < str.Length && SyntaxFacts.IsDigit(str[i]));
                }
            }
            if (i >= str.Length)
                break;

            if (str[i] == (byte)'l')
                i++;
            if (i >= str.Length)
                break;

            FormatConversion conversion;
            switch (str[i])
            {
                case (byte)'b': conversion = FormatConversion.Binary; break;
                case (byte)'c': conversion = FormatConversion.Char; break;
                case (byte)'s': conversion = FormatConversion.String; break;
                case (byte)'m': conversion = FormatConversion.Memory; break;
                case (byte)'M': conversion = FormatConversion.MemoryHex; break;
                case (byte)'d' or (byte)'i': conversion = FormatConversion.SignedDecimal; break;
                case (byte)'u': conversion = FormatConversion.UnsignedDecimal; break;
                case (byte)'o': conversion = FormatConversion.Octal; break;
                case (byte)'X': conversion = FormatConversion.HexUpper; break;
                case (byte)'x': conversion = FormatConversion.HexLower; break;
                case (byte)'p': conversion = FormatConversion.Pointer; flags |= FormatFlags.Alternate; break;
                default:
                    error = DiagnosticMessages.InvalidConversion;
                    return false;
            }
            i++;
            result.Add(new PrintFormatComponent(conversion, [], flags, widthKind, width, precisionKind, precision));
            pending = false;
        }

        // A conversion cut off before anything but '%' (e.g. "%." or "%l") silently vanishes in stap.
        if (pending && (flags != FormatFlags.None || widthKind != FormatSizeKind.None || precisionKind != FormatSizeKind.None))
        {
            error = DiagnosticMessages.TrailingConversion;
            return false;
        }
        if (haveLiteral)
        {
            result.Add(new PrintFormatComponent(FormatConversion.Literal, literal[..literalLength].ToArray(), FormatFlags.None,
                                                FormatSizeKind.None, 0, FormatSizeKind.None, 0));
        }
        components = result.ToImmutable();
        return true;
    }
}
