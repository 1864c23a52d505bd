using ProcProbe.Interpreter.Runtime.Builtins;

namespace ProcProbe.Interpreter.Tests.Runtime;

public class IntegerOpsTests
{
    [Theory]
    [InlineData(-7L, 2L, -3L)]
    [InlineData(7L, -2L, -3L)]
    [InlineData(7L, 2L, 3L)]
    [InlineData(long.MinValue, -1L, long.MinValue)]
    [InlineData(5L, -1L, -5L)]
    public void Divide_truncates_toward_zero(long a, long b, long expected)
    {
        Assert.Equal(BuiltinError.None, IntegerOps.Divide(a, b, out long r));
        Assert.Equal(expected, r);
    }

    [Theory]
    [InlineData(-7L, 3L, -1L)]
    [InlineData(7L, -3L, 1L)]
    [InlineData(123L, 1L, 0L)]
    [InlineData(123L, -1L, 0L)]
    [InlineData(long.MinValue, -1L, 0L)]
    public void Modulo_has_the_sign_of_the_dividend(long a, long b, long expected)
    {
        Assert.Equal(BuiltinError.None, IntegerOps.Modulo(a, b, out long r));
        Assert.Equal(expected, r);
    }

    [Fact]
    public void Division_by_zero_is_a_runtime_error()
    {
        Assert.Equal(BuiltinError.DivisionByZero, IntegerOps.Divide(1, 0, out _));
        Assert.Equal(BuiltinError.DivisionByZero, IntegerOps.Modulo(1, 0, out _));
        Assert.Equal("division by 0", BuiltinErrors.Message(BuiltinError.DivisionByZero));
    }

    [Fact]
    public void Arithmetic_wraps()
    {
        Assert.Equal(long.MinValue, IntegerOps.Add(long.MaxValue, 1));
        Assert.Equal(long.MaxValue, IntegerOps.Subtract(long.MinValue, 1));
        Assert.Equal(long.MinValue, IntegerOps.Multiply(long.MinValue, -1));
        Assert.Equal(long.MinValue, IntegerOps.Negate(long.MinValue));
    }

    [Theory]
    [InlineData(1L, 3L, 8L)]
    [InlineData(1L, 64L, 1L)]                                       // count & 63
    [InlineData(1L, 65L, 2L)]
    [InlineData(1L, -1L, long.MinValue)]
    public void Shift_left_uses_low_six_bits(long a, long count, long expected) =>
        Assert.Equal(expected, IntegerOps.ShiftLeft(a, count));

    [Fact]
    public void Right_shifts()
    {
        Assert.Equal(-4, IntegerOps.ShiftRight(-8, 1));                 // arithmetic
        Assert.Equal(-8, IntegerOps.ShiftRight(-8, 64));
        Assert.Equal(15, IntegerOps.ShiftRightLogical(-8, 60));         // logical
        Assert.Equal(0x7fffffffffffffffL, IntegerOps.ShiftRightLogical(-1, 1));
    }

    [Fact]
    public void Logical_values()
    {
        Assert.Equal(1, IntegerOps.LogicalNot(0));
        Assert.Equal(0, IntegerOps.LogicalNot(-5));
        Assert.Equal(1, IntegerOps.FromBool(true));
        Assert.Equal(0, IntegerOps.FromBool(false));
    }
}
