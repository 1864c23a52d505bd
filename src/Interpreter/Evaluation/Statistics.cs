namespace ProcProbe.Interpreter.Evaluation;

/// <summary>Which aggregate a statistics operator or a stats sort asks for.</summary>
internal enum StatOp : byte
{
    Count,
    Sum,
    Min,
    Max,
    Avg,
    Variance,
}

/// <summary>
/// One statistics aggregate (<c>x &lt;&lt;&lt; v</c>): count, sum, min, max and a running variance kept with
/// Welford's integer recurrence, as stap's runtime does.
/// </summary>
internal sealed class StatAggregate
{
    public long Count;
    public long Sum;
    public long Min;
    public long Max;
    // Welford state, scaled by 2^Shift (the largest @variance shift used on this global, fixed at bind time).
    private long _avgScaled;
    private long _varianceScaled;
    public int Shift;

    public void Clear()
    {
        Count = Sum = Min = Max = 0;
        _avgScaled = _varianceScaled = 0;
    }

    public void Add(long value)
    {
        if (Count == 0)
        {
            Min = Max = value;
        }
        else
        {
            if (value < Min) Min = value;
            if (value > Max) Max = value;
        }
        Count++;
        Sum = unchecked(Sum + value);

        // Welford: avg_n = avg_{n-1} + (x - avg_{n-1}) / n; var_n = var_{n-1} + (x - avg_{n-1}) (x - avg_n)
        long x = unchecked(value << Shift);
        long delta = unchecked(x - _avgScaled);
        _avgScaled = unchecked(_avgScaled + delta / Count);
        _varianceScaled = unchecked(_varianceScaled + delta * (x - _avgScaled));
    }

    public long Average => Count == 0 ? 0 : Sum / Count;

    /// <summary>Sample variance (integer); the state carries <see cref="Shift"/> extra bits of precision.</summary>
    public long Variance() => Count < 2 ? 0 : unchecked(_varianceScaled / (Count - 1)) >> Shift;

    public long Get(StatOp op) => op switch
    {
        StatOp.Count => Count,
        StatOp.Sum => Sum,
        StatOp.Min => Min,
        StatOp.Max => Max,
        StatOp.Avg => Average,
        _ => Variance(),
    };
}
