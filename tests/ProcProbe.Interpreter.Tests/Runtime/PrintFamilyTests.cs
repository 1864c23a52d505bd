using ProcProbe.Interpreter.Runtime.Printf;
using ProcProbe.Interpreter.Runtime.Text;
using static ProcProbe.Interpreter.Tests.Runtime.RuntimeTestHelpers;

namespace ProcProbe.Interpreter.Tests.Runtime;

public class PrintFamilyTests
{
    private static string Run(Func<ByteBuilder, bool> call)
    {
        var dest = new ByteBuilder();
        call(dest);
        return S(dest.AsSpan());
    }

    private static string RunString(Func<ByteBuilder, bool> call, int maxStringLength = StapString.DefaultMaxStringLength)
    {
        ByteBuilder dest = StapString.CreateBuilder(maxStringLength);
        call(dest);
        return S(dest.AsSpan());
    }

    // language.md §4.5, from systemtap.printf/println and printd.
    [Fact]
    public void Println_concatenates_without_separator()
    {
        Assert.Equal("hello world\n", Run(d => PrintFamily.PrintLn(d, Args(["hello", " ", "world"]))));
        Assert.Equal("foo99\n", Run(d => PrintFamily.PrintLn(d, Args(["foo", 99L]))));
        Assert.Equal("99foo\n", Run(d => PrintFamily.PrintLn(d, Args([99L, "foo"]))));
    }

    [Fact]
    public void Println_without_values_prints_a_newline() =>
        Assert.Equal("\n", Run(d => PrintFamily.PrintLn(d, [])));

    [Fact]
    public void Printd_joins_with_the_delimiter()
    {
        Assert.Equal("hello<-->world<-->777", Run(d => PrintFamily.PrintD(d, B("<-->"), Args(["hello", "world", 777L]))));
        Assert.Equal("99,foo", Run(d => PrintFamily.PrintD(d, B(","), Args([99L, "foo"]))));
        Assert.Equal("1,2\n", Run(d => PrintFamily.PrintDLn(d, B(","), Args([1L, 2L]))));
    }

    [Fact]
    public void Printd_prints_percent_in_the_delimiter_literally() =>
        Assert.Equal("1%d2", Run(d => PrintFamily.PrintD(d, B("%d"), Args([1L, 2L]))));

    [Fact]
    public void Sprint_renders_longs_in_decimal()
    {
        Assert.Equal("66", RunString(d => PrintFamily.SPrint(d, Args([0x42L]))));
        Assert.Equal("-42", RunString(d => PrintFamily.SPrint(d, Args([-42L]))));
        Assert.Equal("0x42", RunString(d => PrintFamily.SPrint(d, Args(["0x42"]))));
        Assert.Equal("a\n", RunString(d => PrintFamily.SPrintLn(d, Args(["a"]))));
        Assert.Equal("a-b", RunString(d => PrintFamily.SPrintD(d, B("-"), Args(["a", "b"]))));
        Assert.Equal("a-b\n", RunString(d => PrintFamily.SPrintDLn(d, B("-"), Args(["a", "b"]))));
    }

    [Fact]
    public void Sprint_is_cut_at_maxstringlen_minus_one()
    {
        string s = RunString(d => PrintFamily.SPrint(d, Args([new string('a', 300), new string('b', 300)])));
        Assert.Equal(511, s.Length);
        Assert.Equal(new string('a', 300) + new string('b', 211), s);
        Assert.Equal("12345\n", RunString(d => PrintFamily.SPrintLn(d, Args([12345L])), 8));
        Assert.Equal("1234567", RunString(d => PrintFamily.SPrintLn(d, Args([12345678L])), 8));
    }

    [Fact]
    public void Print_writes_long_strings_in_full_up_to_a_print_buffer()
    {
        string literal = new('z', 3000);
        Assert.Equal(literal, Run(d => PrintFamily.Print(d, Args([literal]))));
        string huge = new('z', 9000);
        Assert.Equal(huge[..PrintfFormat.MaxStreamOutput], Run(d => PrintFamily.Print(d, Args([huge]))));
    }

    [Fact]
    public void Print_char_writes_the_low_byte()
    {
        Assert.Equal("A", Run(d => PrintFamily.PrintChar(d, 65)));
        Assert.Equal("A", Run(d => PrintFamily.PrintChar(d, 0x341)));
        Assert.Equal("\0", Run(d => PrintFamily.PrintChar(d, 0)));
    }

    [Fact]
    public void Append_value_renders_one_print_argument()
    {
        Assert.Equal("-7", Run(d => PrintFamily.AppendValue(d, new PrintfArg(-7))));
        Assert.Equal("ab", Run(d => PrintFamily.AppendValue(d, new PrintfArg(B("ab\0c")))));
    }

    [Fact]
    public void String_forms_need_a_limited_destination() =>
        Assert.Throws<ArgumentException>(() => PrintFamily.SPrint(new ByteBuilder(), Args([1L])));
}
