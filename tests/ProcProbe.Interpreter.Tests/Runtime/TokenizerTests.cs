using ProcProbe.Interpreter.Runtime.Builtins;
using ProcProbe.Interpreter.Runtime.Text;
using static ProcProbe.Interpreter.Tests.Runtime.RuntimeTestHelpers;

namespace ProcProbe.Interpreter.Tests.Runtime;

public class TokenizerTests
{
    private static string Next(Tokenizer t, string input, string delim)
    {
        ByteBuilder dest = StapString.CreateBuilder();
        t.Next(dest, B(input), B(delim));
        return S(dest.AsSpan());
    }

    [Fact]
    public void Skips_empty_tokens_as_in_the_upstream_test()
    {
        using var t = new Tokenizer();
        Assert.Equal("1", Next(t, "1,,2,3, ,4", ","));
        Assert.Equal("2", Next(t, "", ","));
        Assert.Equal("3", Next(t, "", ","));
        Assert.Equal(" ", Next(t, "", ","));
        Assert.Equal("4", Next(t, "", ","));
        Assert.Equal("", Next(t, "", ","));
        Assert.Equal("", Next(t, "", ","));
    }

    [Fact]
    public void Any_delimiter_byte_splits_and_each_call_may_change_the_set()
    {
        using var t = new Tokenizer();
        Assert.Equal("a", Next(t, "a b;c;d e", " ;"));
        Assert.Equal("b", Next(t, "", " ;"));
        Assert.Equal("c;d", Next(t, "", " "));
        Assert.Equal("e", Next(t, "", " "));
    }

    [Fact]
    public void A_new_input_restarts()
    {
        using var t = new Tokenizer();
        Assert.Equal("x", Next(t, "x,y", ","));
        Assert.Equal("p", Next(t, "p q", " "));
        Assert.Equal("q", Next(t, "", " "));
    }

    [Fact]
    public void Nothing_saved_gives_empty() =>
        Assert.Equal("", Next(new Tokenizer(), "", ","));

    [Fact]
    public void Empty_delimiter_returns_the_rest()
    {
        using var t = new Tokenizer();
        Assert.Equal("a,b", Next(t, "a,b", ""));
        Assert.Equal("", Next(t, "", ","));
    }

    [Fact]
    public void Trailing_delimiters_leave_no_token()
    {
        using var t = new Tokenizer();
        Assert.Equal("a", Next(t, ",,a,,", ","));
        Assert.Equal("", Next(t, "", ","));
    }

    [Fact]
    public void Reset_forgets_the_saved_string()
    {
        using var t = new Tokenizer();
        Next(t, "a,b", ",");
        t.Reset();
        Assert.Equal("", Next(t, "", ","));
    }

    [Fact]
    public void The_saved_copy_is_cut_at_maxstringlen_minus_one()
    {
        using var t = new Tokenizer(8);
        ByteBuilder dest = StapString.CreateBuilder();
        t.Next(dest, B("0123456789"), B(","));
        Assert.Equal("0123456", S(dest.AsSpan()));
    }
}
