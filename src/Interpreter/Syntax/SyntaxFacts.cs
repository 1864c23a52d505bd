namespace ProcProbe.Interpreter.Syntax;

/// <summary>The language's fixed tables: keywords, operator texts, token classes, string escapes.</summary>
public static class SyntaxFacts
{
    /// <summary>Keyword kind for an identifier's bytes, or <see cref="SyntaxKind.IdentifierToken"/>.</summary>
    public static SyntaxKind GetKeywordKind(ReadOnlySpan<byte> text)
    {
        switch (text.Length)
        {
            case 2:
                if (text.SequenceEqual("if"u8)) return SyntaxKind.IfKeyword;
                if (text.SequenceEqual("in"u8)) return SyntaxKind.InKeyword;
                break;
            case 3:
                if (text.SequenceEqual("for"u8)) return SyntaxKind.ForKeyword;
                if (text.SequenceEqual("try"u8)) return SyntaxKind.TryKeyword;
                break;
            case 4:
                if (text.SequenceEqual("else"u8)) return SyntaxKind.ElseKeyword;
                if (text.SequenceEqual("next"u8)) return SyntaxKind.NextKeyword;
                if (text.SequenceEqual("long"u8)) return SyntaxKind.LongKeyword;
                break;
            case 5:
                if (text.SequenceEqual("probe"u8)) return SyntaxKind.ProbeKeyword;
                if (text.SequenceEqual("limit"u8)) return SyntaxKind.LimitKeyword;
                if (text.SequenceEqual("while"u8)) return SyntaxKind.WhileKeyword;
                if (text.SequenceEqual("break"u8)) return SyntaxKind.BreakKeyword;
                if (text.SequenceEqual("catch"u8)) return SyntaxKind.CatchKeyword;
                break;
            case 6:
                if (text.SequenceEqual("global"u8)) return SyntaxKind.GlobalKeyword;
                if (text.SequenceEqual("return"u8)) return SyntaxKind.ReturnKeyword;
                if (text.SequenceEqual("delete"u8)) return SyntaxKind.DeleteKeyword;
                if (text.SequenceEqual("string"u8)) return SyntaxKind.StringKeyword;
                break;
            case 7:
                if (text.SequenceEqual("foreach"u8)) return SyntaxKind.ForeachKeyword;
                if (text.SequenceEqual("private"u8)) return SyntaxKind.PrivateKeyword;
                break;
            case 8:
                if (text.SequenceEqual("function"u8)) return SyntaxKind.FunctionKeyword;
                if (text.SequenceEqual("continue"u8)) return SyntaxKind.ContinueKeyword;
                break;
        }
        return SyntaxKind.IdentifierToken;
    }

    public static bool IsKeyword(SyntaxKind kind) => kind >= SyntaxKind.ProbeKeyword && kind <= SyntaxKind.PrivateKeyword;

    public static bool IsToken(SyntaxKind kind) => kind > SyntaxKind.None && kind <= SyntaxKind.OtherPunctuationToken;

    /// <summary>Operator and punctuation tokens (stap's <c>tok_operator</c>, @-words included).</summary>
    public static bool IsOperator(SyntaxKind kind)
        => kind == SyntaxKind.AtWordToken || (kind >= SyntaxKind.LessLessLessToken && kind <= SyntaxKind.OtherPunctuationToken);

    /// <summary>The token class name stap prints in diagnostics.</summary>
    public static string GetTokenClass(SyntaxKind kind) => kind switch
    {
        SyntaxKind.IdentifierToken => "identifier",
        SyntaxKind.NumberToken => "number",
        SyntaxKind.StringToken => "string",
        SyntaxKind.EmbeddedCodeToken => "embedded-code",
        SyntaxKind.JunkToken => "junk",
        _ when IsKeyword(kind) => "keyword",
        _ when IsOperator(kind) => "operator",
        _ => "",
    };

    /// <summary>Fixed text of keyword and operator kinds; null for kinds with variable text.</summary>
    public static string? GetText(SyntaxKind kind) => kind switch
    {
        SyntaxKind.ProbeKeyword => "probe",
        SyntaxKind.GlobalKeyword => "global",
        SyntaxKind.FunctionKeyword => "function",
        SyntaxKind.IfKeyword => "if",
        SyntaxKind.ElseKeyword => "else",
        SyntaxKind.ForKeyword => "for",
        SyntaxKind.ForeachKeyword => "foreach",
        SyntaxKind.InKeyword => "in",
        SyntaxKind.LimitKeyword => "limit",
        SyntaxKind.ReturnKeyword => "return",
        SyntaxKind.DeleteKeyword => "delete",
        SyntaxKind.WhileKeyword => "while",
        SyntaxKind.BreakKeyword => "break",
        SyntaxKind.ContinueKeyword => "continue",
        SyntaxKind.NextKeyword => "next",
        SyntaxKind.StringKeyword => "string",
        SyntaxKind.LongKeyword => "long",
        SyntaxKind.TryKeyword => "try",
        SyntaxKind.CatchKeyword => "catch",
        SyntaxKind.PrivateKeyword => "private",
        SyntaxKind.LessLessLessToken => "<<<",
        SyntaxKind.GreaterGreaterGreaterToken => ">>>",
        SyntaxKind.LessLessEqualsToken => "<<=",
        SyntaxKind.GreaterGreaterEqualsToken => ">>=",
        SyntaxKind.EqualsEqualsToken => "==",
        SyntaxKind.BangEqualsToken => "!=",
        SyntaxKind.LessEqualsToken => "<=",
        SyntaxKind.GreaterEqualsToken => ">=",
        SyntaxKind.EqualsTildeToken => "=~",
        SyntaxKind.BangTildeToken => "!~",
        SyntaxKind.PlusEqualsToken => "+=",
        SyntaxKind.MinusEqualsToken => "-=",
        SyntaxKind.StarEqualsToken => "*=",
        SyntaxKind.SlashEqualsToken => "/=",
        SyntaxKind.PercentEqualsToken => "%=",
        SyntaxKind.AmpersandEqualsToken => "&=",
        SyntaxKind.CaretEqualsToken => "^=",
        SyntaxKind.BarEqualsToken => "|=",
        SyntaxKind.DotEqualsToken => ".=",
        SyntaxKind.AmpersandAmpersandToken => "&&",
        SyntaxKind.BarBarToken => "||",
        SyntaxKind.PlusPlusToken => "++",
        SyntaxKind.MinusMinusToken => "--",
        SyntaxKind.ArrowToken => "->",
        SyntaxKind.LessLessToken => "<<",
        SyntaxKind.GreaterGreaterToken => ">>",
        SyntaxKind.PercentOpenParenToken => "%(",
        SyntaxKind.PercentQuestionToken => "%?",
        SyntaxKind.PercentColonToken => "%:",
        SyntaxKind.PercentCloseParenToken => "%)",
        SyntaxKind.OpenBraceToken => "{",
        SyntaxKind.CloseBraceToken => "}",
        SyntaxKind.OpenParenToken => "(",
        SyntaxKind.CloseParenToken => ")",
        SyntaxKind.OpenBracketToken => "[",
        SyntaxKind.CloseBracketToken => "]",
        SyntaxKind.CommaToken => ",",
        SyntaxKind.SemicolonToken => ";",
        SyntaxKind.ColonToken => ":",
        SyntaxKind.QuestionToken => "?",
        SyntaxKind.DotToken => ".",
        SyntaxKind.PlusToken => "+",
        SyntaxKind.MinusToken => "-",
        SyntaxKind.StarToken => "*",
        SyntaxKind.SlashToken => "/",
        SyntaxKind.PercentToken => "%",
        SyntaxKind.AmpersandToken => "&",
        SyntaxKind.BarToken => "|",
        SyntaxKind.CaretToken => "^",
        SyntaxKind.TildeToken => "~",
        SyntaxKind.BangToken => "!",
        SyntaxKind.LessToken => "<",
        SyntaxKind.GreaterToken => ">",
        SyntaxKind.EqualsToken => "=",
        _ => null,
    };

    /// <summary>Kind of a one-byte operator.</summary>
    public static SyntaxKind GetSingleOperatorKind(byte c) => c switch
    {
        (byte)'{' => SyntaxKind.OpenBraceToken,
        (byte)'}' => SyntaxKind.CloseBraceToken,
        (byte)'(' => SyntaxKind.OpenParenToken,
        (byte)')' => SyntaxKind.CloseParenToken,
        (byte)'[' => SyntaxKind.OpenBracketToken,
        (byte)']' => SyntaxKind.CloseBracketToken,
        (byte)',' => SyntaxKind.CommaToken,
        (byte)';' => SyntaxKind.SemicolonToken,
        (byte)':' => SyntaxKind.ColonToken,
        (byte)'?' => SyntaxKind.QuestionToken,
        (byte)'.' => SyntaxKind.DotToken,
        (byte)'+' => SyntaxKind.PlusToken,
        (byte)'-' => SyntaxKind.MinusToken,
        (byte)'*' => SyntaxKind.StarToken,
        (byte)'/' => SyntaxKind.SlashToken,
        (byte)'%' => SyntaxKind.PercentToken,
        (byte)'&' => SyntaxKind.AmpersandToken,
        (byte)'|' => SyntaxKind.BarToken,
        (byte)'^' => SyntaxKind.CaretToken,
        (byte)'~' => SyntaxKind.TildeToken,
        (byte)'!' => SyntaxKind.BangToken,
        (byte)'<' => SyntaxKind.LessToken,
        (byte)'>' => SyntaxKind.GreaterToken,
        (byte)'=' => SyntaxKind.EqualsToken,
        _ => SyntaxKind.OtherPunctuationToken,
    };

    /// <summary>Kind of a two-byte operator, or None.</summary>
    public static SyntaxKind GetDoubleOperatorKind(byte c, byte c2) => (c, c2) switch
    {
        ((byte)'=', (byte)'=') => SyntaxKind.EqualsEqualsToken,
        ((byte)'!', (byte)'=') => SyntaxKind.BangEqualsToken,
        ((byte)'<', (byte)'=') => SyntaxKind.LessEqualsToken,
        ((byte)'>', (byte)'=') => SyntaxKind.GreaterEqualsToken,
        ((byte)'=', (byte)'~') => SyntaxKind.EqualsTildeToken,
        ((byte)'!', (byte)'~') => SyntaxKind.BangTildeToken,
        ((byte)'+', (byte)'=') => SyntaxKind.PlusEqualsToken,
        ((byte)'-', (byte)'=') => SyntaxKind.MinusEqualsToken,
        ((byte)'*', (byte)'=') => SyntaxKind.StarEqualsToken,
        ((byte)'/', (byte)'=') => SyntaxKind.SlashEqualsToken,
        ((byte)'%', (byte)'=') => SyntaxKind.PercentEqualsToken,
        ((byte)'&', (byte)'=') => SyntaxKind.AmpersandEqualsToken,
        ((byte)'^', (byte)'=') => SyntaxKind.CaretEqualsToken,
        ((byte)'|', (byte)'=') => SyntaxKind.BarEqualsToken,
        ((byte)'.', (byte)'=') => SyntaxKind.DotEqualsToken,
        ((byte)'&', (byte)'&') => SyntaxKind.AmpersandAmpersandToken,
        ((byte)'|', (byte)'|') => SyntaxKind.BarBarToken,
        ((byte)'+', (byte)'+') => SyntaxKind.PlusPlusToken,
        ((byte)'-', (byte)'-') => SyntaxKind.MinusMinusToken,
        ((byte)'-', (byte)'>') => SyntaxKind.ArrowToken,
        ((byte)'<', (byte)'<') => SyntaxKind.LessLessToken,
        ((byte)'>', (byte)'>') => SyntaxKind.GreaterGreaterToken,
        ((byte)'%', (byte)'(') => SyntaxKind.PercentOpenParenToken,
        ((byte)'%', (byte)'?') => SyntaxKind.PercentQuestionToken,
        ((byte)'%', (byte)':') => SyntaxKind.PercentColonToken,
        ((byte)'%', (byte)')') => SyntaxKind.PercentCloseParenToken,
        _ => SyntaxKind.None,
    };

    /// <summary>Kind of a three-byte operator, or None.</summary>
    public static SyntaxKind GetTripleOperatorKind(byte c, byte c2, byte c3) => (c, c2, c3) switch
    {
        ((byte)'<', (byte)'<', (byte)'<') => SyntaxKind.LessLessLessToken,
        ((byte)'<', (byte)'<', (byte)'=') => SyntaxKind.LessLessEqualsToken,
        ((byte)'>', (byte)'>', (byte)'=') => SyntaxKind.GreaterGreaterEqualsToken,
        ((byte)'>', (byte)'>', (byte)'>') => SyntaxKind.GreaterGreaterGreaterToken,
        _ => SyntaxKind.None,
    };

    public static bool IsAssignmentOperator(SyntaxKind kind) => kind is SyntaxKind.EqualsToken
        or SyntaxKind.LessLessLessToken or SyntaxKind.PlusEqualsToken or SyntaxKind.MinusEqualsToken
        or SyntaxKind.StarEqualsToken or SyntaxKind.SlashEqualsToken or SyntaxKind.PercentEqualsToken
        or SyntaxKind.LessLessEqualsToken or SyntaxKind.GreaterGreaterEqualsToken or SyntaxKind.AmpersandEqualsToken
        or SyntaxKind.CaretEqualsToken or SyntaxKind.BarEqualsToken or SyntaxKind.DotEqualsToken;

    public static bool IsComparisonOperator(SyntaxKind kind) => kind is SyntaxKind.LessToken or SyntaxKind.GreaterToken
        or SyntaxKind.LessEqualsToken or SyntaxKind.GreaterEqualsToken or SyntaxKind.EqualsEqualsToken
        or SyntaxKind.BangEqualsToken;

    // C isspace/isalpha/isdigit/isalnum/ispunct/isprint in the C locale: ASCII only.
    public static bool IsSpace(int c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    public static bool IsAlpha(int c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    public static bool IsDigit(int c) => (uint)(c - '0') <= 9;

    public static bool IsAlnum(int c) => IsAlpha(c) || IsDigit(c);

    public static bool IsPunct(int c) => c is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126);

    public static bool IsPrint(int c) => c is >= 32 and <= 126;

    public static bool IsOctalDigit(int c) => (uint)(c - '0') <= 7;

    public static bool IsHexDigit(int c) => IsDigit(c) || (uint)((c | 0x20) - 'a') <= 'f' - 'a';

    /// <summary>
    /// stap's stored content of a string token from its raw text (quotes included, the closing one
    /// optional): the backslash is kept before <c>a b f n r t v \ x 0-7</c> (C will interpret those)
    /// and dropped before anything else.
    /// </summary>
    public static byte[] GetStringContent(ReadOnlySpan<byte> raw)
    {
        if (raw.Length == 0 || raw[0] != (byte)'"')
            return raw.ToArray();
        int end = raw.Length;
        if (end >= 2 && raw[end - 1] == (byte)'"' && !EndsInsideEscape(raw))
            end--;
        // most literals have no escape: their content is the bytes between the quotes
        if (raw[1..end].IndexOf((byte)'\\') < 0)
            return raw[1..end].ToArray();
        // the content is never longer than the raw text: fill a buffer, copy once
        Span<byte> result = end <= 256 ? stackalloc byte[256] : new byte[end];
        int length = 0;
        for (int i = 1; i < end; i++)
        {
            byte c = raw[i];
            if (c != (byte)'\\' || i + 1 >= end)
            {
                result[length++] = c;
                continue;
            }
            byte e = raw[++i];
            if (e is (byte)'a' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' or (byte)'v'
                or (byte)'\\' or (byte)'x' || IsOctalDigit(e))
                result[length++] = (byte)'\\';
            result[length++] = e;
        }
        return result[..length].ToArray();
    }

    // True when the final quote of raw is escaped, i.e. it does not close the string.
    private static bool EndsInsideEscape(ReadOnlySpan<byte> raw)
    {
        bool escaped = false;
        for (int i = 1; i < raw.Length - 1; i++)
            escaped = !escaped && raw[i] == (byte)'\\';
        return escaped;
    }

    /// <summary>
    /// The run-time bytes of a stored string content, as the C compiler would read the literal:
    /// <c>\a \b \f \n \r \t \v \\</c>, 1-3 digit octal, <c>\x</c> with all following hex digits (low
    /// byte kept). The value ends at the first NUL, as C strings do.
    /// </summary>
    public static byte[] DecodeStringValue(ReadOnlySpan<byte> content)
    {
        if (content.IndexOfAny((byte)'\\', (byte)0) < 0)
            return content.ToArray();
        // the value is never longer than the content: fill a buffer, copy once
        Span<byte> result = content.Length <= 256 ? stackalloc byte[256] : new byte[content.Length];
        int length = 0;
        for (int i = 0; i < content.Length; i++)
        {
            byte c = content[i];
            int value = c;
            if (c == (byte)'\\' && i + 1 < content.Length)
            {
                byte e = content[++i];
                switch (e)
                {
                    case (byte)'a': value = 7; break;
                    case (byte)'b': value = 8; break;
                    case (byte)'f': value = 12; break;
                    case (byte)'n': value = 10; break;
                    case (byte)'r': value = 13; break;
                    case (byte)'t': value = 9; break;
                    case (byte)'v': value = 11; break;
                    case (byte)'x':
                        value = 0;
                        while (i + 1 < content.Length && IsHexDigit(content[i + 1]))
                        {
                            byte h = content[++i];
                            value = (value << 4) | (IsDigit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
                            value &= 0xFFFF;
                        }
                        break;
                    default:
                        if (IsOctalDigit(e))
                        {
                            value = e - '0';
                            for (int n = 0; n < 2 && i + 1 < content.Length && IsOctalDigit(content[i + 1]); n++)
                                value = value * 8 + (content[++i] - '0');
                        }
                        else
                        {
                            value = e;
                        }
                        break;
                }
            }
            if ((value & 0xFF) == 0)
                break;
            result[length++] = (byte)value;
        }
        return result[..length].ToArray();
    }

    /// <summary>
    /// True when a stored content holds an escape C would reject or warn about: octal above 0377,
    /// hex above 0xFF, <c>\x</c> without digits, or a backslash-newline.
    /// </summary>
    public static bool HasOutOfRangeEscape(ReadOnlySpan<byte> content)
    {
        for (int i = 0; i < content.Length; i++)
        {
            if (content[i] == (byte)'\n')
                return true;
            if (content[i] != (byte)'\\' || i + 1 >= content.Length)
                continue;
            byte e = content[++i];
            if (e == (byte)'x')
            {
                int digits = 0, value = 0;
                while (i + 1 < content.Length && IsHexDigit(content[i + 1]))
                {
                    byte h = content[++i];
                    value = Math.Min((value << 4) | (IsDigit(h) ? h - '0' : (h | 0x20) - 'a' + 10), 0x10000);
                    digits++;
                }
                if (digits == 0 || value > 0xFF)
                    return true;
            }
            else if (IsOctalDigit(e))
            {
                int value = e - '0';
                for (int n = 0; n < 2 && i + 1 < content.Length && IsOctalDigit(content[i + 1]); n++)
                    value = value * 8 + (content[++i] - '0');
                if (value > 0xFF)
                    return true;
            }
        }
        return false;
    }

    public static string GetPrintFunctionName(PrintFunction function) => function switch
    {
        PrintFunction.Print => "print",
        PrintFunction.Println => "println",
        PrintFunction.Printf => "printf",
        PrintFunction.Printd => "printd",
        PrintFunction.Printdln => "printdln",
        PrintFunction.Sprint => "sprint",
        PrintFunction.Sprintln => "sprintln",
        PrintFunction.Sprintf => "sprintf",
        PrintFunction.Sprintd => "sprintd",
        PrintFunction.Sprintdln => "sprintdln",
        _ => "print_char",
    };

    public static bool TryGetPrintFunction(ReadOnlySpan<byte> name, out PrintFunction function)
    {
        function = name switch
        {
            _ when name.SequenceEqual("print"u8) => PrintFunction.Print,
            _ when name.SequenceEqual("println"u8) => PrintFunction.Println,
            _ when name.SequenceEqual("printf"u8) => PrintFunction.Printf,
            _ when name.SequenceEqual("printd"u8) => PrintFunction.Printd,
            _ when name.SequenceEqual("printdln"u8) => PrintFunction.Printdln,
            _ when name.SequenceEqual("sprint"u8) => PrintFunction.Sprint,
            _ when name.SequenceEqual("sprintln"u8) => PrintFunction.Sprintln,
            _ when name.SequenceEqual("sprintf"u8) => PrintFunction.Sprintf,
            _ when name.SequenceEqual("sprintd"u8) => PrintFunction.Sprintd,
            _ when name.SequenceEqual("sprintdln"u8) => PrintFunction.Sprintdln,
            _ when name.SequenceEqual("print_char"u8) => PrintFunction.PrintChar,
            _ => (PrintFunction)255,
        };
        return (byte)function != 255;
    }

    public static string GetStatisticOperatorName(StatisticOperator op) => op switch
    {
        StatisticOperator.Average => "@avg",
        StatisticOperator.Count => "@count",
        StatisticOperator.Sum => "@sum",
        StatisticOperator.Minimum => "@min",
        StatisticOperator.Maximum => "@max",
        StatisticOperator.Variance => "@variance",
        _ => "",
    };

    public static StatisticOperator GetStatisticOperator(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("@avg"u8) => StatisticOperator.Average,
        _ when name.SequenceEqual("@count"u8) => StatisticOperator.Count,
        _ when name.SequenceEqual("@sum"u8) => StatisticOperator.Sum,
        _ when name.SequenceEqual("@min"u8) => StatisticOperator.Minimum,
        _ when name.SequenceEqual("@max"u8) => StatisticOperator.Maximum,
        _ when name.SequenceEqual("@variance"u8) => StatisticOperator.Variance,
        _ => StatisticOperator.None,
    };
}
