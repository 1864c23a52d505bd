namespace ProcProbe.Interpreter.Syntax;

/// <summary>C <c>strtoull(text, &amp;end, 0)</c> that must consume every byte, as stap checks numbers.</summary>
internal static class NumberParser
{
    public static bool TryParseUnsigned(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        if (text.IsEmpty)
            return false;
        int i = 0;
        uint radix = 10;
        if (text[0] == (byte)'0')
        {
            if (text.Length > 2 && (text[1] | 0x20) == 'x' && SyntaxFacts.IsHexDigit(text[2]))
            {
                radix = 16;
                i = 2;
            }
            else
            {
                radix = 8;
            }
        }
        for (; i < text.Length; i++)
        {
            int c = text[i];
            uint digit;
            if (SyntaxFacts.IsDigit(c))
                digit = (uint)(c - '0');
            else if (SyntaxFacts.IsAlpha(c))
                digit = (uint)((c | 0x20) - 'a' + 10);
            else
                return false;
            if (digit >= radix)
                return false;
            ulong next = unchecked(value * radix + digit);
            if (value > (ulong.MaxValue - digit) / radix)
                return false;
            value = next;
        }
        return true;
    }
}

/// <summary>glibc <c>strverscmp</c>: compares version strings with digit runs ordered numerically.</summary>
internal static class VersionCompare
{
    private const int SN = 0, SI = 3, SF = 6, SZ = 9, Cmp = 2, Len = 3;

    private static ReadOnlySpan<byte> NextState => [SN, SI, SZ, SN, SI, SI, SN, SF, SF, SN, SF, SZ];

    private static ReadOnlySpan<sbyte> ResultType =>
    [
        Cmp, Cmp, Cmp, Cmp, Len, Cmp, Cmp, Cmp, Cmp,
        Cmp, -1, -1, +1, Len, Len, +1, Len, Len,
        Cmp, Cmp, Cmp, Cmp, Cmp, Cmp, Cmp, Cmp, Cmp,
        Cmp, +1, +1, -1, Cmp, Cmp, -1, Cmp, Cmp,
    ];

    public static int Compare(string a, string b)
    {
        var s1 = System.Text.Encoding.Latin1.GetBytes(a);
        var s2 = System.Text.Encoding.Latin1.GetBytes(b);
        int p1 = 0, p2 = 0;
        int At(byte[] s, int i) => i < s.Length ? s[i] : 0;
        int Class(int c) => (c == '0' ? 1 : 0) + (SyntaxFacts.IsDigit(c) ? 1 : 0);

        int c1 = At(s1, p1++), c2 = At(s2, p2++);
        int state = SN + Class(c1);
        int diff;
        while ((diff = c1 - c2) == 0)
        {
            if (c1 == 0)
                return 0;
            state = NextState[state];
            c1 = At(s1, p1++);
            c2 = At(s2, p2++);
            state += Class(c1);
        }
        int result = ResultType[state * 3 + Class(c2)];
        switch (result)
        {
            case Cmp:
                return diff;
            case Len:
                while (SyntaxFacts.IsDigit(At(s1, p1++)))
                {
                    if (!SyntaxFacts.IsDigit(At(s2, p2++)))
                        return 1;
                }
                return SyntaxFacts.IsDigit(At(s2, p2)) ? -1 : diff;
            default:
                return result;
        }
    }
}

/// <summary>POSIX <c>fnmatch(pattern, text, FNM_NOESCAPE)</c>: <c>*</c>, <c>?</c> and bracket expressions.</summary>
internal static class FnMatch
{
    public static bool Match(string pattern, string text) => Match(pattern.AsSpan(), text.AsSpan());

    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> s)
    {
        while (!p.IsEmpty)
        {
            char c = p[0];
            if (c == '*')
            {
                while (!p.IsEmpty && p[0] == '*')
                    p = p[1..];
                if (p.IsEmpty)
                    return true;
                for (int i = 0; i <= s.Length; i++)
                {
                    if (Match(p, s[i..]))
                        return true;
                }
                return false;
            }
            if (s.IsEmpty)
                return false;
            if (c == '?')
            {
                p = p[1..];
                s = s[1..];
                continue;
            }
            if (c == '[' && TryMatchBracket(p, s[0], out int consumed, out bool matched))
            {
                if (!matched)
                    return false;
                p = p[consumed..];
                s = s[1..];
                continue;
            }
            if (c != s[0])
                return false;
            p = p[1..];
            s = s[1..];
        }
        return s.IsEmpty;
    }

    // A bracket without a closing ']' is an ordinary '[' (returns false).
    private static bool TryMatchBracket(ReadOnlySpan<char> p, char ch, out int consumed, out bool matched)
    {
        consumed = 0;
        matched = false;
        int i = 1;
        bool negate = false;
        if (i < p.Length && (p[i] == '!' || p[i] == '^'))
        {
            negate = true;
            i++;
        }
        bool first = true;
        bool any = false;
        while (i < p.Length && (first || p[i] != ']'))
        {
            first = false;
            char lo = p[i];
            if (i + 2 < p.Length && p[i + 1] == '-' && p[i + 2] != ']')
            {
                char hi = p[i + 2];
                if (ch >= lo && ch <= hi)
                    any = true;
                i += 3;
            }
            else
            {
                if (ch == lo)
                    any = true;
                i++;
            }
        }
        if (i >= p.Length)
            return false;
        consumed = i + 1;
        matched = any != negate;
        return true;
    }
}
