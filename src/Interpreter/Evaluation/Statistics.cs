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

    /// <summary>Bucket counts when the global is used with <c>@hist_log</c>/<c>@hist_linear</c>, else null.</summary>
    public readonly long[]? Buckets;
    public readonly HistogramSpec? Histogram;

    public StatAggregate(HistogramSpec? histogram = null)
    {
        Histogram = histogram;
        if (histogram is not null)
            Buckets = new long[histogram.BucketCount];
    }

    public void Clear()
    {
        Count = Sum = Min = Max = 0;
        _avgScaled = _varianceScaled = 0;
        if (Buckets is not null)
            Array.Clear(Buckets);
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
        if (Buckets is not null)
            Buckets[Histogram!.BucketOf(value)]++;

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

/// <summary>
/// The histogram a stats global collects (fixed at bind time from its <c>@hist_*</c> uses). Log histograms
/// have 128 power-of-two buckets around bucket 64 (= 0); linear ones have (stop - start) / interval + 1
/// buckets plus an underflow and an overflow bucket, as stap's runtime lays them out.
/// </summary>
internal sealed class HistogramSpec
{
    public const int LogBuckets = 128;
    public const int LogZeroBucket = 64;

    /// <summary>stap's STP_MAX_BUCKETS: the most buckets a linear histogram may have, under/overflow included.</summary>
    public const int MaxLinearBuckets = 128;

    private HistogramSpec(bool isLinear, long start, long stop, long interval, int buckets)
    {
        IsLinear = isLinear;
        Start = start;
        Stop = stop;
        Interval = interval;
        BucketCount = buckets;
    }

    public static HistogramSpec Log { get; } = new(false, 0, 0, 0, LogBuckets);

    /// <summary>A linear histogram, or null with stap's complaint when the parameters give no usable buckets.</summary>
    public static HistogramSpec? Linear(long start, long stop, long interval, out string? error)
    {
        error = null;
        if (interval <= 0)
        {
            error = "histogram interval must be positive";
            return null;
        }
        if (stop <= start)
        {
            error = "histogram stop value must be greater than start value";
            return null;
        }
        long buckets = (stop - start) / interval + 3;
        if (buckets > MaxLinearBuckets)
        {
            error = $"too many buckets in histogram ({buckets - 2}, at most {MaxLinearBuckets - 2})";
            return null;
        }
        return new HistogramSpec(true, start, stop, interval, (int)buckets);
    }

    public bool IsLinear { get; }
    public long Start { get; }
    public long Stop { get; }
    public long Interval { get; }
    public int BucketCount { get; }

    public bool SameShape(HistogramSpec other)
        => IsLinear == other.IsLinear && Start == other.Start && Stop == other.Stop && Interval == other.Interval;

    public int BucketOf(long value)
    {
        if (!IsLinear)
            return LogBucket(value);
        long offset = unchecked(value - Start);
        long bucket = offset < 0 ? 0 : (long)((ulong)offset / (ulong)Interval) + 1;
        return bucket >= BucketCount - 1 ? BucketCount - 1 : (int)bucket;
    }

    /// <summary>Bucket 64 holds 0; 64 + k holds [2^(k-1), 2^k); 64 - k the negatives of the same magnitudes.</summary>
    private static int LogBucket(long value)
    {
        if (value == 0)
            return LogZeroBucket;
        // magnitude as unsigned, so long.MinValue lands in the last negative bucket like stap's
        ulong magnitude = value < 0 ? unchecked((ulong)-value) : (ulong)value;
        int bits = 64 - System.Numerics.BitOperations.LeadingZeroCount(magnitude);
        return value < 0 ? LogBuckets - (LogZeroBucket + bits) : LogZeroBucket + bits;
    }

    /// <summary>The value printed for a log bucket: 0, the power of two it starts at, or its negative.</summary>
    public static long LogBucketValue(int bucket)
    {
        if (bucket == LogZeroBucket)
            return 0;
        if (bucket < LogZeroBucket)
            return long.MinValue >> (bucket & 63);
        return 1L << ((bucket - LogZeroBucket - 1) & 63);
    }
}
