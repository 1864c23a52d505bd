using ProcProbe.Interpreter.Runtime.Text;

namespace ProcProbe.Interpreter.Runtime.Builtins;

/// <summary>
/// The string tapset functions (tapset/string.stp; language.md §5.2) over byte spans.
/// Inputs are stap strings, read as C strings (up to the first NUL). Functions that build a
/// string append to a <see cref="ByteBuilder"/> whose limit is MAXSTRINGLEN-1 and which must
/// not be the builder an input span points into.
/// </summary>
public static class StringBuiltins
{
    /// <summary><c>strlen(s)</c>: length in bytes.</summary>
    public static long Strlen(ReadOnlySpan<byte> s) => StapString.AsCString(s).Length;

    /// <summary>
    /// <c>substr(str, start, length)</c>: empty unless <c>0 &lt;= start &lt; strlen(str)</c>; then up
    /// to <paramref name="length"/> bytes from <paramref name="start"/>. As in stap the length is
    /// computed as <c>clamp(length + 1, 0, MAXSTRINGLEN) - 1</c> with wrap-around, so
    /// <c>length = LLONG_MAX</c> gives an empty string. Returns a slice of <paramref name="str"/>.
    /// </summary>
    public static ReadOnlySpan<byte> Substr(ReadOnlySpan<byte> str, long start, long length, int maxStringLength = StapString.DefaultMaxStringLength)
    {
        str = StapString.AsCString(str);
        long size = Math.Clamp(unchecked(length + 1), 0, maxStringLength);
        if (start < 0 || start >= str.Length || size == 0)
        {
            return ReadOnlySpan<byte>.Empty;
        }
        ReadOnlySpan<byte> rest = str[(int)start..];
        return rest[..(int)Math.Min(size - 1, rest.Length)];
    }

    /// <summary>
    /// <c>stringat(str, pos)</c>: the byte at <paramref name="pos"/> as a C <c>char</c>, so bytes
    /// 0x80-0xff come back negative, as on x86-64. Out of range: <see cref="BuiltinError.PositionOutOfBounds"/> and 0.
    /// </summary>
    public static BuiltinError StringAt(ReadOnlySpan<byte> str, long pos, out long value)
    {
        str = StapString.AsCString(str);
        if (pos >= 0 && pos < str.Length)
        {
            value = (sbyte)str[(int)pos];
            return BuiltinError.None;
        }
        value = 0;
        return BuiltinError.PositionOutOfBounds;
    }

    /// <summary><c>isinstr(s1, s2)</c>: 1 if <paramref name="s2"/> occurs in <paramref name="s1"/> (an empty one always does), else 0.</summary>
    public static long IsInStr(ReadOnlySpan<byte> s1, ReadOnlySpan<byte> s2) =>
        StrPos(s1, s2) >= 0 ? 1 : 0;

    /// <summary><c>strpos(s1, s2)</c>: index of the first occurrence of <paramref name="s2"/>, 0 for an empty one, -1 if absent.</summary>
    public static long StrPos(ReadOnlySpan<byte> s1, ReadOnlySpan<byte> s2) =>
        StapString.AsCString(s1).IndexOf(StapString.AsCString(s2));

    /// <summary>
    /// <c>str_replace(s, from, to)</c>: every non-overlapping occurrence of <paramref name="from"/>,
    /// scanning left to right, replaced; an empty <paramref name="from"/> leaves the string as is.
    /// Appends to <paramref name="dest"/>; false if its limit cut the result.
    /// </summary>
    public static bool StrReplace(ByteBuilder dest, ReadOnlySpan<byte> s, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        ArgumentNullException.ThrowIfNull(dest);
        s = StapString.AsCString(s);
        from = StapString.AsCString(from);
        to = StapString.AsCString(to);
        if (from.IsEmpty)
        {
            return dest.Append(s);
        }
        bool fits = true;
        while (true)
        {
            int hit = s.IndexOf(from);
            if (hit < 0)
            {
                break;
            }
            fits &= dest.Append(s[..hit]);
            fits &= dest.Append(to);
            s = s[(hit + from.Length)..];
        }
        fits &= dest.Append(s);
        return fits;
    }

    /// <summary>
    /// <c>strtol(s, base)</c>, the kernel's <c>simple_strtol</c>: an optional leading <c>-</c> (no
    /// <c>+</c>, no whitespace); base 0 guesses (<c>0x</c> + hex digit: 16, leading <c>0</c>: 8,
    /// else 10); base 16 skips a <c>0x</c>/<c>0X</c> prefix; digits are 0-9 and a-f/A-F only, each
    /// below the base (taken as a 32-bit unsigned number); stops at the first other byte;
    /// overflow wraps silently.
    /// </summary>
    public static long StrToL(ReadOnlySpan<byte> s, long @base)
    {
        s = StapString.AsCString(s);
        if (!s.IsEmpty && s[0] == (byte)'-')
        {
            return unchecked(-(long)StrToUL(s[1..], unchecked((uint)@base)));
        }
        return unchecked((long)StrToUL(s, unchecked((uint)@base)));
    }

    /// <summary><c>isdigit(s)</c>: 1 if the first byte is 0-9, else 0.</summary>
    public static long IsDigit(ReadOnlySpan<byte> s) =>
        !s.IsEmpty && (uint)(s[0] - '0') <= 9 ? 1 : 0;

    /// <summary>
    /// <c>text_str(s)</c>: printable ASCII kept (except <c>"</c> and <c>\</c>), C escapes
    /// <c>\a \b \f \n \r \t \v \" \\</c>, valid UTF-8 sequences as <c>\u</c> + 4 or <c>\U</c> + 8 upper-case hex digits,
    /// other bytes as <c>\ooo</c>; at most MAXSTRINGLEN-1 bytes, never splitting an escape.
    /// </summary>
    public static bool TextStr(ByteBuilder dest, ReadOnlySpan<byte> s, int maxStringLength = StapString.DefaultMaxStringLength) =>
        TextEscape(dest, s, 0, quoted: false, maxStringLength);

    /// <summary>
    /// <c>text_strn(s, len, quoted)</c>: as <see cref="TextStr"/> limited to <paramref name="len"/>
    /// bytes (0 or more than MAXSTRINGLEN-1 means MAXSTRINGLEN-1); a non-zero
    /// <paramref name="quoted"/> (as a C int) wraps the text in <c>"</c>, ending <c>"...</c> when cut.
    /// </summary>
    public static bool TextStrn(ByteBuilder dest, ReadOnlySpan<byte> s, long len, long quoted, int maxStringLength = StapString.DefaultMaxStringLength) =>
        TextEscape(dest, s, (int)Math.Clamp(len, 0, maxStringLength), unchecked((int)quoted) != 0, maxStringLength);

    /// <summary><c>string_quoted(s)</c>: the <see cref="TextStr"/> escaping inside double quotes.</summary>
    public static bool StringQuoted(ByteBuilder dest, ReadOnlySpan<byte> s, int maxStringLength = StapString.DefaultMaxStringLength) =>
        TextEscape(dest, s, maxStringLength, quoted: true, maxStringLength);

    private static ulong StrToUL(ReadOnlySpan<byte> s, uint radix)
    {
        if (radix == 0)
        {
            if (At(s, 0) == (byte)'0')
            {
                radix = (At(s, 1) | 0x20) == (byte)'x' && IsHexDigit(At(s, 2)) ? 16u : 8u;
            }
            else
            {
                radix = 10;
            }
        }
        if (radix == 16 && At(s, 0) == (byte)'0' && (At(s, 1) | 0x20) == (byte)'x')
        {
            s = s[2..];
        }

        ulong result = 0;
        foreach (byte c in s)
        {
            uint digit;
            uint lower = (uint)(c | 0x20);
            if (c >= '0' && c <= '9')
            {
                digit = (uint)(c - '0');
            }
            else if (lower >= 'a' && lower <= 'f')
            {
                digit = lower - 'a' + 10;
            }
            else
            {
                break;
            }
            if (digit >= radix)
            {
                break;
            }
            result = unchecked((result * radix) + digit);
        }
        return result;
    }

    private static byte At(ReadOnlySpan<byte> s, int index) => index < s.Length ? s[index] : (byte)0;

    private static bool IsHexDigit(byte c) => (uint)(c - '0') <= 9 || (uint)((c | 0x20) - 'a') <= 5;

    /// <summary>stap's _stp_text_str with a kernel-memory input: inlen and outlen as described there.</summary>
    private static bool TextEscape(ByteBuilder dest, ReadOnlySpan<byte> input, int outlen, bool quoted, int maxStringLength)
    {
        ArgumentNullException.ThrowIfNull(dest);
        int max = maxStringLength - 1;
        int inlen = max;
        if (outlen <= 0 || outlen > max)
        {
            outlen = max;
        }

        // Escapes are built in a scratch buffer so that the closing "..." can cut back exactly.
        const int StackallocThreshold = 1024;
        int bound = Math.Max(max, 5) + 1;
        byte[]? rented = null;
        Span<byte> outBuf = bound <= StackallocThreshold
            ? stackalloc byte[StackallocThreshold]
            : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(bound));
        try
        {
            int o = 0;
            if (quoted)
            {
                outlen = Math.Max(outlen, 5) - 2;
                outBuf[o++] = (byte)'"';
            }

            // Start of the first escape that the closing "..." might cut in half, and its length.
            int esc = -1;
            int escLen = 0;
            int c = 0;
            int pos = 0;
            while (inlen > 0)
            {
                int n = DecodeUtf8(input, pos, inlen, out c);
                if (c == 0 || outlen <= 0)
                {
                    break;
                }
                pos += n;
                inlen -= n;

                int num = 1;
                if (n > 1)
                {
                    num = c <= 0xFFFF ? 6 : 10;
                    if (esc < 0 && outlen - 3 < num)
                    {
                        esc = o;
                        escLen = num;
                    }
                    if (outlen < num)
                    {
                        break;
                    }
                    outBuf[o++] = (byte)'\\';
                    outBuf[o++] = c <= 0xFFFF ? (byte)'u' : (byte)'U';
                    for (int k = num - 3; k >= 0; k--)
                    {
                        int nibble = (c >> (k * 4)) & 0xF;
                        outBuf[o++] = (byte)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
                    }
                }
                else if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\')
                {
                    outBuf[o++] = (byte)c;
                }
                else
                {
                    byte escape = c switch
                    {
                        0x07 => (byte)'a',
                        0x08 => (byte)'b',
                        0x0c => (byte)'f',
                        0x0a => (byte)'n',
                        0x0d => (byte)'r',
                        0x09 => (byte)'t',
                        0x0b => (byte)'v',
                        '"' => (byte)'"',
                        '\\' => (byte)'\\',
                        _ => 0,
                    };
                    num = escape != 0 ? 2 : 4;
                    if (esc < 0 && outlen - 3 < num)
                    {
                        esc = o;
                        escLen = num;
                    }
                    if (outlen < num)
                    {
                        break;
                    }
                    outBuf[o++] = (byte)'\\';
                    if (escape != 0)
                    {
                        outBuf[o++] = escape;
                    }
                    else
                    {
                        outBuf[o++] = (byte)('0' + ((c >> 6) & 3));
                        outBuf[o++] = (byte)('0' + ((c >> 3) & 7));
                        outBuf[o++] = (byte)('0' + (c & 7));
                    }
                }
                outlen -= num;
            }

            if (quoted)
            {
                if (c != 0 && inlen > 0)
                {
                    int cut = o - 3 + outlen;
                    o = esc >= 0 && esc < cut && cut < esc + escLen ? esc : cut;
                    "\"..."u8.CopyTo(outBuf[o..]);
                    o += 4;
                }
                else
                {
                    outBuf[o++] = (byte)'"';
                }
            }
            return dest.Append(outBuf[..o]);
        }
        finally
        {
            if (rented != null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// One code point from <paramref name="s"/> at <paramref name="pos"/>, reading at most
    /// <paramref name="size"/> bytes (bytes past the span read as NUL, like the string's terminator).
    /// Invalid, overlong, surrogate and out-of-range sequences come back as one raw byte.
    /// </summary>
    private static int DecodeUtf8(ReadOnlySpan<byte> s, int pos, int size, out int c)
    {
        int b = At(s, pos);
        int n;
        int value;
        size--;
        if ((b & 0xE0) == 0xC0 && size >= 1)
        {
            n = 2;
            value = b & 0x1F;
        }
        else if ((b & 0xF0) == 0xE0 && size >= 2)
        {
            n = 3;
            value = b & 0x0F;
        }
        else if ((b & 0xF8) == 0xF0 && size >= 3)
        {
            n = 4;
            value = b & 0x07;
        }
        else
        {
            c = b;
            return 1;
        }

        for (int k = 1; k < n; k++)
        {
            int next = At(s, pos + k);
            if ((next & 0xC0) != 0x80)
            {
                c = b;
                return 1;
            }
            value = (value << 6) | (next & 0x3F);
        }

        bool invalid = (value >= 0xD800 && value <= 0xDFFF)
            || value > 0x10FFFF
            || value < 0x80
            || (n == 3 && value < 0x800)
            || (n == 4 && value < 0x10000);
        if (invalid)
        {
            c = b;
            return 1;
        }
        c = value;
        return n;
    }
}
