using ProcProbe.Interpreter.Runtime.Printf;
using static ProcProbe.Interpreter.Tests.Runtime.RuntimeTestHelpers;

namespace ProcProbe.Interpreter.Tests.Runtime;

public class PrintfParseTests
{
    private const string Invalid = "invalid or missing conversion specifier";
    private const string Trailing = "trailing incomplete print format conversion";

    // Rejections (language.md §4.2), checked against stap -p2 on this machine.
    [Theory]
    [InlineData("%f", Invalid)]
    [InlineData("%n", Invalid)]
    [InlineData("%y", Invalid)]
    [InlineData("%-#x", Invalid)]
    [InlineData("%0-5d", Invalid)]
    [InlineData("%+ d", Invalid)]
    [InlineData("%lld", Invalid)]
    [InlineData("%ll", Invalid)]
    [InlineData("%hd", Invalid)]
    [InlineData("%Ld", Invalid)]
    [InlineData("%zd", Invalid)]
    [InlineData("%5%", Invalid)]
    [InlineData("%l%", Invalid)]
    [InlineData("%", Invalid)]
    [InlineData("abc%", Invalid)]
    [InlineData("%lx%", Invalid)]
    [InlineData("%-", Trailing)]
    [InlineData("%5", Trailing)]
    [InlineData("%0", Trailing)]
    [InlineData("%5.", Trailing)]
    [InlineData("%.5", Trailing)]
    [InlineData("%.5l", Trailing)]
    [InlineData("%5l", Trailing)]
    [InlineData("%#l", Trailing)]
    [InlineData("%*", Trailing)]
    [InlineData("%.*", Trailing)]
    [InlineData("%.*l", Trailing)]
    public void Rejects_with_stap_message(string format, string message)
    {
        PrintfParseResult r = PrintfFormat.Parse(B(format));
        Assert.False(r.Success);
        Assert.Null(r.Format);
        Assert.Equal(message, r.ErrorMessage);
    }

    // Accepted formats and the number of arguments each needs (§4.3).
    [Theory]
    [InlineData("", 0)]
    [InlineData("hello", 0)]
    [InlineData("a%%b", 0)]
    [InlineData("x%%", 0)]
    [InlineData("abc%.", 0)]   // a bare "%." at the end is dropped
    [InlineData("%l", 0)]      // so is a bare "%l"
    [InlineData("%.l", 0)]
    [InlineData("%d", 1)]
    [InlineData("%ld %lx %lu %lc %lb", 5)]
    [InlineData("%-5d|%05d|%+d|% d|%#x", 5)]
    [InlineData("%*d", 2)]
    [InlineData("%.*s", 2)]
    [InlineData("%*.*x", 3)]
    [InlineData("%-08d", 1)]
    [InlineData("%.s", 1)]
    [InlineData("%i%u%o%x%X%c%s%p%b%m%M", 11)]
    public void Accepts_and_counts_arguments(string format, int count)
    {
        PrintfFormat f = ParseOk(format);
        Assert.Equal(count, f.ArgumentCount);
        Assert.Equal(count, f.ArgumentKinds.Length);
    }

    [Fact]
    public void Star_arguments_are_longs_before_the_value()
    {
        PrintfFormat f = ParseOk("%*.*s%d%s%c");
        Assert.Equal(
            new[] { PrintfArgKind.Long, PrintfArgKind.Long, PrintfArgKind.String, PrintfArgKind.Long, PrintfArgKind.String, PrintfArgKind.Long },
            f.ArgumentKinds.ToArray());
        Assert.Equal(4, f.ConversionCount);
    }

    [Fact]
    public void Segments_describe_flags_width_precision()
    {
        PrintfFormat f = ParseOk("a%-08.3ldz%%");
        PrintfSegment[] s = f.Segments.ToArray();
        Assert.Equal(3, s.Length);
        Assert.True(s[0].IsLiteral);
        Assert.Equal("a", S(f.GetLiteral(s[0])));
        Assert.Equal(PrintfConversion.SignedDecimal, s[1].Conversion);
        Assert.Equal(PrintfFlags.Left, s[1].Flags);
        Assert.Equal(8, s[1].Width);
        Assert.Equal(3, s[1].Precision);
        Assert.True(s[1].HasLengthModifier);
        Assert.Equal("z%", S(f.GetLiteral(s[2])));
    }

    [Fact]
    public void Dot_without_digits_means_no_precision()
    {
        PrintfSegment s = ParseOk("%.s").Segments[0];
        Assert.Equal(-1, s.Precision);
        Assert.False(s.PrecisionFromArgument);
    }

    [Fact]
    public void Memory_conversions_are_flagged_for_the_binder()
    {
        Assert.True(ParseOk("%m").UsesMemoryConversion);
        Assert.True(ParseOk("%5M").UsesMemoryConversion);
        Assert.False(ParseOk("%s%b%p").UsesMemoryConversion);
    }

    [Fact]
    public void Conversion_letters_map_as_stap_does()
    {
        PrintfConversion[] expected =
        [
            PrintfConversion.SignedDecimal, PrintfConversion.SignedDecimal, PrintfConversion.UnsignedDecimal,
            PrintfConversion.Octal, PrintfConversion.HexLower, PrintfConversion.HexUpper, PrintfConversion.Char,
            PrintfConversion.String, PrintfConversion.Pointer, PrintfConversion.Binary, PrintfConversion.Memory,
            PrintfConversion.MemoryHex,
        ];
        PrintfConversion[] actual = ParseOk("%d%i%u%o%x%X%c%s%p%b%m%M").Segments.ToArray().Select(s => s.Conversion).ToArray();
        Assert.Equal(expected, actual);
    }
}
