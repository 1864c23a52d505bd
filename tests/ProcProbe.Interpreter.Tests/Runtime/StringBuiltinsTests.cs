using ProcProbe.Interpreter.Runtime.Builtins;
using ProcProbe.Interpreter.Runtime.Text;
using static ProcProbe.Interpreter.Tests.Runtime.RuntimeTestHelpers;

namespace ProcProbe.Interpreter.Tests.Runtime;

public class StringBuiltinsTests
{
    private static string Build(Func<ByteBuilder, bool> call, int maxStringLength = StapString.DefaultMaxStringLength)
    {
        ByteBuilder dest = StapString.CreateBuilder(maxStringLength);
        call(dest);
        return S(dest.AsSpan());
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("ab\0cd", 2)]
    public void Strlen_counts_bytes(string s, long expected) =>
        Assert.Equal(expected, StringBuiltins.Strlen(B(s)));

    // language.md §5.2 tests, then the clamp(length + 1) arithmetic of tapset/string.stp.
    [Theory]
    [InlineData("Hello World!", 2L, 5L, "llo W")]
    [InlineData("Hello World!", 11L, 100L, "!")]
    [InlineData("Hello World!", 12L, 1L, "")]
    [InlineData("Hello World!", -1L, 10L, "")]
    [InlineData("Hello World!", 0L, 0L, "")]
    [InlineData("Hello World!", 0L, -5L, "")]
    [InlineData("Hello World!", 0L, long.MaxValue, "")]           // length + 1 wraps negative
    [InlineData("Hello World!", 0L, long.MaxValue - 1, "Hello World!")]
    [InlineData("Hello World!", long.MinValue, 3L, "")]
    public void Substr(string s, long start, long length, string expected) =>
        Assert.Equal(expected, S(StringBuiltins.Substr(B(s), start, length)));

    [Fact]
    public void Substr_is_capped_at_maxstringlen_minus_one()
    {
        byte[] s = B(new string('x', 100));
        Assert.Equal(63, StringBuiltins.Substr(s, 0, 1000, 64).Length);
    }

    [Theory]
    [InlineData("abc", 0L, 97L)]
    [InlineData("abc", 2L, 99L)]
    [InlineData("\u00e9", 0L, -23L)]                               // a C char is signed on x86-64
    public void Stringat_returns_the_byte(string s, long pos, long expected)
    {
        Assert.Equal(BuiltinError.None, StringBuiltins.StringAt(B(s), pos, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("abc", 3L)]
    [InlineData("abc", -1L)]
    [InlineData("", 0L)]
    public void Stringat_out_of_bounds_is_an_error(string s, long pos)
    {
        Assert.Equal(BuiltinError.PositionOutOfBounds, StringBuiltins.StringAt(B(s), pos, out long value));
        Assert.Equal(0, value);
        Assert.Equal("Position out of bounds", BuiltinErrors.Message(BuiltinError.PositionOutOfBounds));
    }

    [Theory]
    [InlineData("", "", 1L, 0L)]
    [InlineData("", "foo", 0L, -1L)]
    [InlineData("hello", "ll", 1L, 2L)]
    [InlineData("hello", "lo", 1L, 3L)]
    [InlineData("hello", "", 1L, 0L)]
    [InlineData("hello", "hello!", 0L, -1L)]
    [InlineData("abab", "ab", 1L, 0L)]
    public void Isinstr_and_strpos(string s1, string s2, long inStr, long pos)
    {
        Assert.Equal(inStr, StringBuiltins.IsInStr(B(s1), B(s2)));
        Assert.Equal(pos, StringBuiltins.StrPos(B(s1), B(s2)));
    }

    [Theory]
    [InlineData("hello world", "o", "0", "hell0 w0rld")]
    [InlineData("aaa", "a", "bb", "bbbbbb")]
    [InlineData("aaaa", "aa", "x", "xx")]
    [InlineData("aaa", "aa", "x", "xa")]                           // non-overlapping, left to right
    [InlineData("abc", "", "x", "abc")]                            // empty search: unchanged
    [InlineData("abc", "abc", "", "")]
    [InlineData("abc", "z", "y", "abc")]
    public void Str_replace(string s, string from, string to, string expected) =>
        Assert.Equal(expected, Build(d => StringBuiltins.StrReplace(d, B(s), B(from), B(to))));

    [Fact]
    public void Str_replace_is_cut_at_maxstringlen_minus_one()
    {
        string r = Build(d => StringBuiltins.StrReplace(d, B(new string('a', 300)), B("a"), B("bb")));
        Assert.Equal(new string('b', 511), r);
    }

    // §5.2 strtol table, then simple_strtol's rules.
    [Theory]
    [InlineData("1a2b3c4d5e6f7g8h9", 10L, 1L)]
    [InlineData("-123456789", 10L, -123456789L)]
    [InlineData("abcdef", 10L, 0L)]
    [InlineData(" 1 2 3 4", 10L, 0L)]
    [InlineData("1000", 16L, 4096L)]
    [InlineData("1000", 8L, 512L)]
    [InlineData("1000", 2L, 8L)]
    [InlineData("+5", 10L, 0L)]                                     // no plus sign
    [InlineData("--5", 10L, 0L)]
    [InlineData("ff", 16L, 255L)]
    [InlineData("FF", 16L, 255L)]
    [InlineData("0x1f", 16L, 31L)]                                  // base 16 skips 0x
    [InlineData("0X1A", 16L, 26L)]
    [InlineData("-0x10", 16L, -16L)]
    [InlineData("0x1f", 0L, 31L)]                                   // base 0 guesses
    [InlineData("017", 0L, 15L)]
    [InlineData("17", 0L, 17L)]
    [InlineData("0x", 0L, 0L)]                                      // 0x without a hex digit: octal 0
    [InlineData("0xg", 16L, 0L)]
    [InlineData("10", 36L, 36L)]
    [InlineData("z", 36L, 0L)]                                      // only 0-9a-f are digits
    [InlineData("19", 8L, 1L)]                                      // stops at a digit >= base
    [InlineData("101", 1L, 0L)]
    [InlineData("", 10L, 0L)]
    [InlineData("9223372036854775808", 10L, long.MinValue)]         // wraps silently
    [InlineData("18446744073709551617", 10L, 1L)]
    [InlineData("12", -1L, 4294967297L)]                            // base taken as unsigned int
    public void Strtol(string s, long @base, long expected) =>
        Assert.Equal(expected, StringBuiltins.StrToL(B(s), @base));

    [Theory]
    [InlineData("5abc", 1L)]
    [InlineData("0", 1L)]
    [InlineData("9", 1L)]
    [InlineData("a5", 0L)]
    [InlineData("", 0L)]
    [InlineData("/", 0L)]
    [InlineData(":", 0L)]
    public void Isdigit(string s, long expected) =>
        Assert.Equal(expected, StringBuiltins.IsDigit(B(s)));

    [Theory]
    [InlineData("\u003f\u0099\a\n\n\r\n", "?\\231\\a\\n\\n\\r\\n")]     // §5.2 test
    [InlineData("plain text", "plain text")]
    [InlineData("\"q\" \\", "\\\"q\\\" \\\\")]
    [InlineData("\b\f\t\v", "\\b\\f\\t\\v")]
    [InlineData("\u0001\u007f", "\\001\\177")]
    [InlineData("\u00c3\u00a9", "\\u00E9")]                          // UTF-8 é
    [InlineData("\u00e2\u0082\u00ac", "\\u20AC")]                    // UTF-8 €
    [InlineData("\u00f0\u009f\u0098\u0080", "\\U0001F600")]          // 4-byte UTF-8
    [InlineData("\u00c0\u0080", "\\300\\200")]                       // overlong: raw bytes
    [InlineData("\u00ed\u00a0\u0080", "\\355\\240\\200")]            // surrogate: raw bytes
    [InlineData("\u00c3", "\\303")]                                  // truncated sequence
    [InlineData("a\0b", "a")]
    public void Text_str(string s, string expected) =>
        Assert.Equal(expected, Build(d => StringBuiltins.TextStr(d, B(s))));

    [Theory]
    [InlineData("1234567890", 10L, 1L, "\"12345\"...")]             // §5.2 tests
    [InlineData("1234567890", 12L, 1L, "\"1234567890\"")]
    [InlineData("1234567890", 11L, 1L, "\"123456\"...")]
    [InlineData("1234567890", 5L, 0L, "12345")]
    [InlineData("1234567890", 0L, 0L, "1234567890")]                // 0: MAXSTRINGLEN-1
    [InlineData("1234567890", -3L, 0L, "1234567890")]
    [InlineData("1234567890", 1L, 1L, "\"\"...")]                   // quoted needs at least 5
    [InlineData("ab\u0001xyz", 8L, 1L, "\"ab\"...")]                // never splits an escape
    [InlineData("ab\u0001xyz", 3L, 0L, "ab")]
    [InlineData("abc", 5L, 1L, "\"abc\"")]
    [InlineData("abc", 5L, 0x100000000L, "abc")]                    // quoted is a C int
    public void Text_strn(string s, long len, long quoted, string expected) =>
        Assert.Equal(expected, Build(d => StringBuiltins.TextStrn(d, B(s), len, quoted)));

    [Fact]
    public void Text_str_is_capped_without_splitting_escapes()
    {
        // 200 bytes of \001 need 800 bytes of escapes; only whole escapes up to 511 bytes fit.
        string r = Build(d => StringBuiltins.TextStr(d, B(new string('\u0001', 200))));
        Assert.Equal(127 * 4, r.Length);
    }

    [Theory]
    [InlineData("abc", "\"abc\"")]
    [InlineData("", "\"\"")]
    [InlineData("a\"b\n", "\"a\\\"b\\n\"")]
    public void String_quoted(string s, string expected) =>
        Assert.Equal(expected, Build(d => StringBuiltins.StringQuoted(d, B(s))));

    [Fact]
    public void String_quoted_of_a_long_string_ends_with_dots()
    {
        string r = Build(d => StringBuiltins.StringQuoted(d, B(new string('x', 511))));
        Assert.Equal("\"" + new string('x', 506) + "\"...", r);
        Assert.Equal(511, r.Length);
    }
}
