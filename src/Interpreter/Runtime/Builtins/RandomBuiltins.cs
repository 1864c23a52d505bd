namespace ProcProbe.Interpreter.Runtime.Builtins;

/// <summary>
/// <c>randint(n)</c> (tapset/random.stp): uniform in [0, n). As in stap, <paramref name="n"/> is
/// read as unsigned, so a negative n is "too wide" like any n above 2^20; n = 0 gives 0.
/// </summary>
public static class RandomBuiltins
{
    /// <summary>Largest accepted n (1048576).</summary>
    public const long MaxRange = 1 << 20;

    /// <summary><c>randint(n)</c>; errors with <see cref="BuiltinError.RangeTooWide"/>.</summary>
    public static BuiltinError RandInt(long n, out long value)
    {
        if ((ulong)n > MaxRange)
        {
            value = 0;
            return BuiltinError.RangeTooWide;
        }
        value = n == 0 ? 0 : Random.Shared.NextInt64(n);
        return BuiltinError.None;
    }
}
