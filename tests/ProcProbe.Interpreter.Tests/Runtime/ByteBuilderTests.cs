using ProcProbe.Interpreter.Runtime.Text;
using static ProcProbe.Interpreter.Tests.Runtime.RuntimeTestHelpers;

namespace ProcProbe.Interpreter.Tests.Runtime;

public class ByteBuilderTests
{
    [Fact]
    public void Appends_bytes_spans_and_numbers()
    {
        var b = new ByteBuilder();
        Assert.True(b.Append((byte)'a'));
        Assert.True(b.Append("bc"u8));
        Assert.True(b.AppendDecimal(-42L));
        Assert.True(b.AppendDecimal(long.MinValue));
        Assert.True(b.AppendDecimal(ulong.MaxValue));
        Assert.True(b.AppendRepeat((byte)'.', 3));
        Assert.Equal("abc-42-922337203685477580818446744073709551615...", S(b.AsSpan()));
        Assert.False(b.Truncated);
    }

    [Fact]
    public void Limit_cuts_silently_and_flags_truncation()
    {
        var b = new ByteBuilder(5);
        Assert.True(b.Append("abc"u8));
        Assert.False(b.Append("defg"u8));
        Assert.Equal("abcde", S(b.AsSpan()));
        Assert.True(b.Truncated);
        Assert.True(b.IsFull);
        Assert.Equal(0, b.Remaining);
        Assert.False(b.Append((byte)'x'));
        Assert.False(b.AppendDecimal(1));
        Assert.False(b.AppendRepeat((byte)'x', 2));
        Assert.Equal("abcde", S(b.AsSpan()));
    }

    [Fact]
    public void Exact_fit_is_not_truncation()
    {
        var b = new ByteBuilder(3);
        Assert.True(b.Append("abc"u8));
        Assert.False(b.Truncated);
        Assert.True(b.Append(ReadOnlySpan<byte>.Empty));
        Assert.False(b.Truncated);
    }

    [Fact]
    public void Clear_resets_content_and_flag_but_keeps_the_array()
    {
        var b = new ByteBuilder(4);
        b.Append("abcdef"u8);
        int capacity = b.Capacity;
        b.Clear();
        Assert.Equal(0, b.Length);
        Assert.False(b.Truncated);
        Assert.Equal(capacity, b.Capacity);
    }

    [Fact]
    public void Lowering_the_limit_cuts_content()
    {
        var b = new ByteBuilder();
        b.Append("abcdef"u8);
        b.Limit = 3;
        Assert.Equal("abc", S(b.AsSpan()));
        Assert.True(b.Truncated);
    }

    [Fact]
    public void Grows_beyond_the_first_rent_and_keeps_content()
    {
        var b = new ByteBuilder();
        for (int k = 0; k < 1000; k++)
        {
            b.Append((byte)('0' + (k % 10)));
        }
        Assert.Equal(1000, b.Length);
        Assert.Equal((byte)'9', b[999]);
        Assert.Equal((byte)'0', b[0]);
    }

    [Fact]
    public void Never_rents_far_beyond_the_limit()
    {
        var b = new ByteBuilder(511);
        b.AppendRepeat((byte)'x', 2000);
        Assert.Equal(511, b.Length);
        Assert.True(b.Capacity < 1024);
    }

    [Fact]
    public void Self_append_while_growing_is_safe()
    {
        var b = new ByteBuilder();
        b.Append("abc"u8);
        for (int k = 0; k < 8; k++)
        {
            b.Append(b.AsSpan());
        }
        Assert.Equal(3 * 256, b.Length);
        Assert.Equal("abcabc", S(b.AsSpan(0, 6)));
        Assert.Equal("abc", S(b.AsSpan(b.Length - 3, 3)));
    }

    [Fact]
    public void Set_accepts_a_slice_of_itself()
    {
        var b = new ByteBuilder(10);
        b.Append("hello world"u8);
        Assert.True(b.Set(b.AsSpan(6, 4)));
        Assert.Equal("worl", S(b.AsSpan()));
        Assert.False(b.Truncated);
    }

    [Fact]
    public void Set_replaces_and_reports_cut()
    {
        var b = new ByteBuilder(3);
        b.Append("xy"u8);
        Assert.False(b.Set("abcdef"u8));
        Assert.Equal("abc", S(b.AsSpan()));
        var other = new ByteBuilder();
        other.Append("zz"u8);
        Assert.True(b.Set(other));
        Assert.Equal("zz", S(b.AsSpan()));
    }

    [Fact]
    public void Cut_at_nul_ends_the_string()
    {
        var b = new ByteBuilder();
        b.Append("ab\0cd"u8);
        Assert.True(b.CutAtNul());
        Assert.Equal("ab", S(b.AsSpan()));
        Assert.False(b.CutAtNul());
    }

    [Fact]
    public void Utf8_text_is_encoded()
    {
        var b = new ByteBuilder();
        b.AppendUtf8("procfs(\"é\")");
        Assert.Equal("procfs(\"é\")"u8.ToArray(), b.ToArray());
        Assert.Equal("procfs(\"é\")", b.ToString());
    }

    [Fact]
    public void Dispose_returns_the_array_and_leaves_an_empty_usable_builder()
    {
        var b = new ByteBuilder();
        b.Append("abc"u8);
        b.Dispose();
        Assert.Equal(0, b.Length);
        Assert.Equal(0, b.Capacity);
        b.Append("d"u8);
        Assert.Equal("d", S(b.AsSpan()));
    }

    [Fact]
    public void Index_out_of_range_throws()
    {
        var b = new ByteBuilder();
        b.Append("a"u8);
        Assert.Throws<ArgumentOutOfRangeException>(() => b[1]);
    }

    [Fact]
    public void Maxstringlen_builder_holds_one_byte_less()
    {
        ByteBuilder b = StapString.CreateBuilder();
        Assert.Equal(511, b.Limit);
        ByteBuilder small = StapString.CreateBuilder(64);
        small.AppendRepeat((byte)'x', 100);
        Assert.Equal(63, small.Length);
    }
}
