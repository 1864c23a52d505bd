using ProcProbe.Interpreter.Runtime.Builtins;
using ProcProbe.Interpreter.Runtime.Text;
using static ProcProbe.Interpreter.Tests.Runtime.RuntimeTestHelpers;

namespace ProcProbe.Interpreter.Tests.Runtime;

public class TimeAndRandomTests
{
    [Theory]
    [InlineData(0L, "Thu Jan  1 00:00:00 1970")]
    [InlineData(1000000000L, "Sun Sep  9 01:46:40 2001")]
    [InlineData(2147483647L, "Tue Jan 19 03:14:07 2038")]
    [InlineData(-2147483648L, "Fri Dec 13 20:45:52 1901")]
    [InlineData(-1L, "Wed Dec 31 23:59:59 1969")]
    [InlineData(951782400L, "Tue Feb 29 00:00:00 2000")]
    public void Ctime_formats_utc(long seconds, string expected)
    {
        ByteBuilder dest = StapString.CreateBuilder();
        Assert.Equal(BuiltinError.None, TimeBuiltins.Ctime(dest, seconds));
        Assert.Equal(expected, S(dest.AsSpan()));
    }

    [Fact]
    public void Ctime_out_of_range_is_an_error()
    {
        ByteBuilder dest = StapString.CreateBuilder();
        Assert.Equal(BuiltinError.TimeTooFarInFuture, TimeBuiltins.Ctime(dest, 2147483648L));
        Assert.Equal(BuiltinError.TimeTooFarInPast, TimeBuiltins.Ctime(dest, -2147483649L));
        Assert.Equal(0, dest.Length);
        Assert.Equal("Time too far in the future to be converted", BuiltinErrors.Message(BuiltinError.TimeTooFarInFuture));
        Assert.Equal("Time too far in the past to be converted", BuiltinErrors.Message(BuiltinError.TimeTooFarInPast));
    }

    [Fact]
    public void Gettimeofday_units_agree_with_the_system_clock()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        long s = TimeBuiltins.GettimeofdayS();
        long ms = TimeBuiltins.GettimeofdayMs();
        long us = TimeBuiltins.GettimeofdayUs();
        long ns = TimeBuiltins.GettimeofdayNs();
        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(s, before, after);
        Assert.InRange(ms / 1000, s, after);
        Assert.InRange(us / 1000, ms, (after + 1) * 1000);
        Assert.InRange(ns / 1000, us, (after + 1) * 1000000);
    }

    [Fact]
    public void Monotonic_clocks_do_not_go_back()
    {
        long a = TimeBuiltins.LocalClockNs();
        long b = TimeBuiltins.LocalClockNs();
        Assert.True(a > 0);
        Assert.True(b >= a);
        Assert.InRange(TimeBuiltins.LocalClockUs(), b / 1000, long.MaxValue);
        Assert.InRange(TimeBuiltins.LocalClockMs(), b / 1000000, long.MaxValue);
        Assert.InRange(TimeBuiltins.LocalClockS(), b / 1000000000, long.MaxValue);
        Assert.InRange(TimeBuiltins.Jiffies(), b / (1000000000 / TimeBuiltins.Hz), long.MaxValue);
        long c1 = TimeBuiltins.GetCycles();
        Assert.True(TimeBuiltins.GetCycles() >= c1);
    }

    [Fact]
    public void Randint_stays_in_range()
    {
        for (int k = 0; k < 1000; k++)
        {
            Assert.Equal(BuiltinError.None, RandomBuiltins.RandInt(10, out long v));
            Assert.InRange(v, 0, 9);
        }
        Assert.Equal(BuiltinError.None, RandomBuiltins.RandInt(0, out long zero));
        Assert.Equal(0, zero);
        Assert.Equal(BuiltinError.None, RandomBuiltins.RandInt(1, out long one));
        Assert.Equal(0, one);
        Assert.Equal(BuiltinError.None, RandomBuiltins.RandInt(1048576, out _));
    }

    [Theory]
    [InlineData(1048577L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void Randint_too_wide(long n)
    {
        Assert.Equal(BuiltinError.RangeTooWide, RandomBuiltins.RandInt(n, out _));
        Assert.Equal("range too wide", BuiltinErrors.Message(BuiltinError.RangeTooWide));
    }
}
