using ProcProbe.Interpreter.Runtime.Printf;
using ProcProbe.Interpreter.Runtime.Text;
using static ProcProbe.Interpreter.Tests.Runtime.RuntimeTestHelpers;

namespace ProcProbe.Interpreter.Tests.Runtime;

public class PrintfFormatTests
{
    // language.md §4.4 numbers: expected outputs quoted from upstream tests (systemtap.printf/int1).
    [Theory]
    [InlineData("%d", -1L, "-1")]
    [InlineData("%u", -1L, "18446744073709551615")]
    [InlineData("%x", -1L, "ffffffffffffffff")]
    [InlineData("%X", -1024L, "FFFFFFFFFFFFFC00")]
    [InlineData("%o", -1L, "1777777777777777777777")]
    [InlineData("%016d", -1L, "-000000000000001")]
    [InlineData("%016x", 10L, "000000000000000a")]
    [InlineData("%2d", 1L, " 1")]
    [InlineData("%#d", 1L, "1")]
    [InlineData("%#x", 10L, "0xa")]
    [InlineData("%#o", 8L, "010")]
    [InlineData("%x", 9000000000000L, "82f79cd9000")]
    [InlineData("0x%x", -2147483648L, "0xffffffff80000000")]
    public void Numbers_match_upstream_tests(string format, long value, string expected) =>
        Assert.Equal(expected, Printf(format, value));

    // One rule per row (§4.4).
    [Theory]
    [InlineData("%d", long.MinValue, "-9223372036854775808")]          // signed d
    [InlineData("%i", long.MaxValue, "9223372036854775807")]           // i == d
    [InlineData("%.0d", 0L, "0")]                                      // 0 prints even at precision 0
    [InlineData("%.0x", 0L, "0")]
    [InlineData("%.5d", 42L, "00042")]                                 // precision = min digits
    [InlineData("%.5d", -42L, "-00042")]
    [InlineData("%8.5d", -42L, "  -00042")]
    [InlineData("%08.5d", -42L, "-0000042")]                           // 0 pads even with a precision
    [InlineData("%-8.5d|", -42L, "-00042  |")]
    [InlineData("%+d", 5L, "+5")]                                      // + on non-negative d
    [InlineData("%+d", 0L, "+0")]
    [InlineData("%+d", -5L, "-5")]
    [InlineData("% d", 5L, " 5")]                                      // space flag
    [InlineData("% d", -5L, "-5")]
    [InlineData("%+u", 5L, "5")]                                       // + ignored by u o x X p
    [InlineData("% x", 255L, "ff")]
    [InlineData("%+o", 8L, "10")]
    [InlineData("%#x", 0L, "0x0")]                                     // # also for 0
    [InlineData("%#o", 0L, "00")]
    [InlineData("%#X", 255L, "0XFF")]
    [InlineData("%#u", 7L, "7")]                                       // # no effect on d i u
    [InlineData("%5d", 42L, "   42")]                                  // width right-aligns
    [InlineData("%-5d|", 42L, "42   |")]                               // - left-aligns
    [InlineData("%05d", 42L, "00042")]                                 // 0 pads with zeros
    [InlineData("%05d", -42L, "-0042")]                                // after the sign
    [InlineData("%-08d|", 42L, "42      |")]                           // 0 after - is width
    [InlineData("%#08x", 10L, "     0xa")]                            // 0 after # is width
    [InlineData("%#8x", 10L, "     0xa")]
    [InlineData("%#8o", 8L, "     010")]
    [InlineData("%#.4x", 10L, "0x000a")]
    [InlineData("%+05d", 42L, "  +42")]                                // one flag: 0 is width
    [InlineData("%2d", 12345L, "12345")]                               // width never cuts
    [InlineData("%ld", 7L, "7")]                                       // l ignored
    [InlineData("%lx", 255L, "ff")]
    [InlineData("%p", 0x1234abcdL, "0x1234abcd")]                      // %p is %#x
    [InlineData("%p", 0L, "0x0")]
    [InlineData("%12p|", 0x1234abcdL, "  0x1234abcd|")]
    [InlineData("%-12p|", 0x1234abcdL, "0x1234abcd  |")]
    [InlineData("%012p", 0x1234abcdL, "0x001234abcd")]
    [InlineData("%p", -1L, "0xffffffffffffffff")]
    public void Number_rules(string format, long value, string expected) =>
        Assert.Equal(expected, Printf(format, value));

    // %c (§4.4, systemtap.printf/char1, char2).
    [Theory]
    [InlineData("%c", 65L, "A")]
    [InlineData("%c", 0x141L, "A")]                                     // low 8 bits
    [InlineData("%c", 0L, "\0")]                                        // raw NUL to the output
    [InlineData("%3c|", 65L, "  A|")]
    [InlineData("%-3c|", 65L, "A  |")]
    [InlineData("%03c|", 65L, "  A|")]                                  // 0 pads with spaces
    [InlineData("%#c", 42L, "*")]
    [InlineData("%#c", 9L, "\\t")]
    [InlineData("%#c", 0L, "\\000")]
    [InlineData("%#c", 7L, "\\a")]
    [InlineData("%#c", 8L, "\\b")]
    [InlineData("%#c", 12L, "\\f")]
    [InlineData("%#c", 10L, "\\n")]
    [InlineData("%#c", 13L, "\\r")]
    [InlineData("%#c", 11L, "\\v")]
    [InlineData("%#c", 39L, "\\'")]
    [InlineData("%#c", 92L, "\\\\")]
    [InlineData("%#c", 34L, "\"")]                                      // " not escaped
    [InlineData("%#c", 27L, "\\033")]
    [InlineData("%#c", 127L, "\\177")]
    [InlineData("%#c", 0x92L, "\\222")]
    [InlineData("%#c", 0xdbL, "\\333")]
    [InlineData("%#c", 0xffL, "\\377")]
    [InlineData("%#c", 32L, " ")]
    [InlineData("%#c", 126L, "~")]
    public void Char_rules(string format, long value, string expected) =>
        Assert.Equal(expected, Printf(format, value));

    [Fact]
    public void Char_escapes_from_upstream_tests()
    {
        Assert.Equal("\\000\\t*", Printf("%#c%#c%#c", 0L, 9L, 42L));
        Assert.Equal("\\000\\033\\177\\222\\333\\377", Printf("%#c%#c%#c%#c%#c%#c", 0L, 27L, 127L, 0x92L, 0xdbL, 0xffL));
    }

    [Fact]
    public void Char_escape_with_width_pads_around_the_escape()
    {
        Assert.Equal("  \\n|", Printf("%#4c|", 10L));
        Assert.Equal(" \\033|", Printf("%#5c|", 27L));
    }

    // %s (§4.4).
    [Theory]
    [InlineData("%s", "abcdef", "abcdef")]
    [InlineData("%.3s", "abcdef", "abc")]
    [InlineData("%.0s", "abcdef", "")]
    [InlineData("%.s", "abcdef", "abcdef")]                             // '.' alone: no precision
    [InlineData("%.10s", "abc", "abc")]
    [InlineData("%5s|", "ab", "   ab|")]
    [InlineData("%-5s|", "ab", "ab   |")]
    [InlineData("%05s|", "ab", "   ab\0|")]                             // 0: spaces plus one NUL
    [InlineData("%#5s|", "ab", "   ab|")]                               // # no effect
    [InlineData("%1s|", "abc", "abc|")]
    [InlineData("%5.2s|", "abcdef", "   ab|")]
    [InlineData("%s", "", "")]
    [InlineData("[%s]", "a\0b", "[a]")]                                 // a NUL ends a string
    public void String_rules(string format, string value, string expected) =>
        Assert.Equal(expected, Printf(format, value));

    // %b (§4.4 and runtime/vsprintf.c): little-endian bytes; width picks the size.
    [Theory]
    [InlineData("%b", 0x0102030405060708L, "\x08\x07\x06\x05\x04\x03\x02\x01")]
    [InlineData("%1b", 0x4142L, "B")]
    [InlineData("%2b", 0x4142L, "BA")]
    [InlineData("%4b", 0x41424344L, "DCBA")]
    [InlineData("%8b", 0x41L, "A\0\0\0\0\0\0\0")]
    [InlineData("%.2b", 0x4142L, "BA")]
    [InlineData("%3b", 0x41L, "A\0\0\0\0\0\0\0")]                       // invalid size: 8 bytes
    [InlineData("%10b", 0x41L, "\0\0A\0\0\0\0\0\0\0")]                  // pads with NULs before
    [InlineData("%-10b", 0x41L, "A\0\0\0\0\0\0\0\0\0")]                 // or after
    [InlineData("%4.1b", 0x41L, "\0\0\0A")]
    public void Binary_rules(string format, long value, string expected) =>
        Assert.Equal(expected, Printf(format, value));

    [Fact]
    public void Binary_hello_world_from_langref() =>
        Assert.Equal("Hello World\n", Printf("%1b%1b%1blo %1b%1brld\n", 72L, 101L, 108L, 87L, 111L));

    // Dynamic width and precision: cut to int, clamped at 0, no left-justify (§4.4).
    [Theory]
    [InlineData("%*d|", 5L, 42L, "   42|")]
    [InlineData("%*d|", -5L, 42L, "42|")]                               // negative width is 0
    [InlineData("%*d|", 0x100000003L, 42L, " 42|")]                     // cut to a C int
    [InlineData("%.*d|", 4L, 42L, "0042|")]
    [InlineData("%.*d|", -4L, 42L, "42|")]                              // negative precision is 0
    [InlineData("%.*d|", -4L, 0L, "0|")]
    public void Dynamic_width_and_precision(string format, long star, long value, string expected) =>
        Assert.Equal(expected, Printf(format, star, value));

    [Fact]
    public void Dynamic_width_then_precision_then_value()
    {
        Assert.Equal("  abc|", Printf("%*.*s|", 5L, 3L, "abcdef"));
        Assert.Equal("|", Printf("%.*s|", -1L, "abc"));                   // negative precision is 0: nothing
    }

    [Fact]
    public void Percent_and_literals()
    {
        Assert.Equal("100%", Printf("100%%"));
        Assert.Equal("a%b%", Printf("a%%b%%"));
        Assert.Equal("x=1, y=two\n", Printf("x=%d, y=%s\n", 1L, "two"));
    }

    // Stream printf is capped at one 8192-byte print buffer.
    [Fact]
    public void Stream_output_is_capped_at_8192_bytes()
    {
        // The width is clamped to 8192 both when sizing and when writing.
        Assert.Equal(new string(' ', 8191) + "7", Printf("%9000d", 7L));

        // Two fields that together pass 8192: the second is cut where the buffer ends.
        var two = new ByteBuilder();
        ParseOk("%s%s").Format(two, Args([new string('a', 5000), new string('b', 5000)]));
        Assert.Equal(new string('a', 5000) + new string('b', 3192), S(two.AsSpan()));
    }

    [Fact]
    public void Stream_output_keeps_nul_bytes()
    {
        var dest = new ByteBuilder();
        ParseOk("a%cb").Format(dest, Args([0L]));
        Assert.Equal("a\0b", S(dest.AsSpan()));
    }

    [Fact]
    public void Stream_output_appends_to_existing_content()
    {
        var dest = new ByteBuilder();
        dest.Append("> "u8);
        ParseOk("%d\n").Format(dest, Args([5L]));
        Assert.Equal("> 5\n", S(dest.AsSpan()));
    }

    [Fact]
    public void Stream_output_respects_destination_limit()
    {
        var dest = new ByteBuilder(4);
        Assert.False(ParseOk("%s").Format(dest, Args(["abcdef"])));
        Assert.Equal("abcd", S(dest.AsSpan()));
        Assert.True(dest.Truncated);
    }

    // sprintf: MAXSTRINGLEN buffer, NUL ends the result, widths clamped to the room left.
    [Fact]
    public void Sprintf_nul_from_char_ends_the_string() =>
        Assert.Equal("ab", Sprintf("ab%ccd", 0L));

    [Fact]
    public void Sprintf_zero_flag_string_nul_ends_the_string() =>
        Assert.Equal("   ab", Sprintf("%05s|", "ab"));

    [Fact]
    public void Sprintf_is_cut_at_maxstringlen_minus_one()
    {
        string r = Sprintf("%600d", 5L);
        Assert.Equal(511, r.Length);
        Assert.True(r.All(ch => ch == ' '));
    }

    [Fact]
    public void Sprintf_clamps_width_to_room_left_so_leading_digits_survive()
    {
        // stap clamps the width to the 512 bytes left (NUL slot included): 507 spaces, "12345",
        // then the terminating NUL replaces the last byte.
        string r = Sprintf("%600d", 12345L);
        Assert.Equal(new string(' ', 507) + "1234", r);
    }

    [Fact]
    public void Sprintf_clamps_precision_to_room_left()
    {
        string r = Sprintf("%.600d", 12345L);
        Assert.Equal(new string('0', 507) + "1234", r);
    }

    [Fact]
    public void Sprintf_binary_value_is_written_whole_or_not_at_all()
    {
        // 3 bytes of room (NUL slot included) cannot take a 4-byte value: nothing is written.
        string pad509 = new('x', 509);
        Assert.Equal(pad509, Sprintf("%s%4b", pad509, 0x41424344L));
        // With 4 bytes of room it is written, and the terminating NUL then replaces the last byte.
        string pad508 = new('x', 508);
        Assert.Equal(pad508 + "DCB", Sprintf("%s%4b", pad508, 0x41424344L));
    }

    [Fact]
    public void Sprintf_with_small_maxstringlen()
    {
        Assert.Equal("abc", SprintfLimited(4, "%s", "abcdef"));
        Assert.Equal("  4", SprintfLimited(4, "%5d", 42L));
    }

    [Fact]
    public void Sprintf_reports_truncation()
    {
        ByteBuilder dest = StapString.CreateBuilder(8);
        Assert.False(ParseOk("%s").FormatString(dest, Args(["0123456789"])));
        Assert.Equal("0123456", S(dest.AsSpan()));
        ByteBuilder fits = StapString.CreateBuilder(8);
        Assert.True(ParseOk("%s").FormatString(fits, Args(["0123456"])));
    }

    [Fact]
    public void Wrong_arguments_are_caller_bugs()
    {
        PrintfFormat f = ParseOk("%d%s");
        var dest = new ByteBuilder();
        Assert.Throws<ArgumentException>(() => f.Format(dest, Args([1L])));
        Assert.Throws<ArgumentException>(() => f.Format(dest, Args(["x", "y"])));
        Assert.Throws<ArgumentException>(() => f.FormatString(new ByteBuilder(), Args([1L, "y"])));
        Assert.Throws<InvalidOperationException>(() => ParseOk("%m").Format(dest, Args([1L])));
    }
}
