using System.Diagnostics;
using ProcProbe.Interpreter.Runtime.Text;

namespace ProcProbe.Interpreter.Runtime.Builtins;

/// <summary>
/// The time tapset functions (language.md §5.3) for a user-space process: wall clock from the
/// system clock, the kernel's monotonic clocks from the process's monotonic clock
/// (CLOCK_MONOTONIC on Linux), which like the kernel's local_clock counts from boot.
/// </summary>
public static class TimeBuiltins
{
    /// <summary>
    /// The value of <c>HZ()</c>. A user process cannot see the kernel's CONFIG_HZ; this is the
    /// tick rate user space is given (USER_HZ, sysconf(_SC_CLK_TCK)), and <see cref="Jiffies"/> counts at it.
    /// </summary>
    public const long Hz = 100;

    private const long NanosPerSecond = 1_000_000_000;

    /// <summary><c>gettimeofday_ns()</c>: nanoseconds since the Unix epoch.</summary>
    public static long GettimeofdayNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary><c>gettimeofday_us()</c>: <c>gettimeofday_ns() / 1000</c>.</summary>
    public static long GettimeofdayUs() => GettimeofdayNs() / 1_000;

    /// <summary><c>gettimeofday_ms()</c>: <c>gettimeofday_ns() / 1000000</c>.</summary>
    public static long GettimeofdayMs() => GettimeofdayNs() / 1_000_000;

    /// <summary><c>gettimeofday_s()</c>: <c>gettimeofday_ns() / 1000000000</c>.</summary>
    public static long GettimeofdayS() => GettimeofdayNs() / NanosPerSecond;

    /// <summary><c>local_clock_ns()</c>, <c>cpu_clock_ns(cpu)</c>, <c>ktime_get_ns()</c>: monotonic nanoseconds.</summary>
    public static long LocalClockNs()
    {
        long ticks = Stopwatch.GetTimestamp();
        long frequency = Stopwatch.Frequency;
        return frequency == NanosPerSecond ? ticks : (long)((Int128)ticks * NanosPerSecond / frequency);
    }

    /// <summary><c>local_clock_us()</c>.</summary>
    public static long LocalClockUs() => LocalClockNs() / 1_000;

    /// <summary><c>local_clock_ms()</c>.</summary>
    public static long LocalClockMs() => LocalClockNs() / 1_000_000;

    /// <summary><c>local_clock_s()</c>.</summary>
    public static long LocalClockS() => LocalClockNs() / NanosPerSecond;

    /// <summary><c>get_cycles()</c>: the finest counter a process can read (the monotonic clock's raw ticks).</summary>
    public static long GetCycles() => Stopwatch.GetTimestamp();

    /// <summary><c>jiffies()</c>: monotonic ticks at <see cref="Hz"/>.</summary>
    public static long Jiffies() => LocalClockNs() / (NanosPerSecond / Hz);

    /// <summary>
    /// <c>ctime(epochsecs)</c>: UTC as <c>Thu Jan  1 00:00:00 1970</c> (24 bytes). Seconds outside
    /// the 32-bit range give <see cref="BuiltinError.TimeTooFarInFuture"/> /
    /// <see cref="BuiltinError.TimeTooFarInPast"/> and append nothing.
    /// </summary>
    public static BuiltinError Ctime(ByteBuilder dest, long epochSeconds)
    {
        ArgumentNullException.ThrowIfNull(dest);
        if (epochSeconds > int.MaxValue)
        {
            return BuiltinError.TimeTooFarInFuture;
        }
        if (epochSeconds < int.MinValue)
        {
            return BuiltinError.TimeTooFarInPast;
        }

        DateTime t = DateTime.UnixEpoch.AddSeconds(epochSeconds);
        ReadOnlySpan<byte> days = "SunMonTueWedThuFriSat"u8;
        ReadOnlySpan<byte> months = "JanFebMarAprMayJunJulAugSepOctNovDec"u8;
        Span<byte> text = stackalloc byte[24];
        days.Slice((int)t.DayOfWeek * 3, 3).CopyTo(text);
        text[3] = (byte)' ';
        months.Slice((t.Month - 1) * 3, 3).CopyTo(text[4..]);
        text[7] = (byte)' ';
        text[8] = t.Day >= 10 ? (byte)('0' + (t.Day / 10)) : (byte)' ';
        text[9] = (byte)('0' + (t.Day % 10));
        text[10] = (byte)' ';
        TwoDigits(text[11..], t.Hour);
        text[13] = (byte)':';
        TwoDigits(text[14..], t.Minute);
        text[16] = (byte)':';
        TwoDigits(text[17..], t.Second);
        text[19] = (byte)' ';
        int year = t.Year;
        for (int k = 23; k >= 20; k--)
        {
            text[k] = (byte)('0' + (year % 10));
            year /= 10;
        }
        dest.Append(text);
        return BuiltinError.None;
    }

    private static void TwoDigits(Span<byte> dest, int value)
    {
        dest[0] = (byte)('0' + (value / 10));
        dest[1] = (byte)('0' + (value % 10));
    }
}
