using ProcProbe.Interpreter.Runtime.Text;

namespace ProcProbe.Interpreter.Evaluation;

/// <summary>
/// The ASCII histogram stap prints for <c>print(@hist_log(x))</c> / <c>print(@hist_linear(x, ...))</c>:
/// a <c>value |---…--- count</c> header, one row per bucket with up to 50 <c>@</c> (scaled to the largest
/// bucket), two empty buckets of margin on each side of the data, runs of empty buckets collapsed into a
/// <c>~</c> row, and a blank line at the end. Writes straight into the output buffer; allocates nothing.
/// </summary>
internal static class HistogramPrinter
{
    private const int Width = 50;
    private const int Elision = 2;

    public static void Print(ByteBuilder dest, StatAggregate agg)
    {
        var spec = agg.Histogram!;
        long[] h = agg.Buckets!;
        int buckets = h.Length;
        int low = -1, high = 0;
        long peak = 0;
        for (int i = 0; i < buckets; i++)
        {
            if (h[i] > 0)
            {
                if (low == -1)
                    low = i;
                high = i;
            }
            if (h[i] > peak)
                peak = h[i];
        }
        if (low == -1)
        {
            // No samples: every row would be elided, so only the frame is left.
            Header(dest, 5);
            dest.Append((byte)'\n');
            return;
        }

        // two rows of margin; a log histogram does not reach into negative buckets it has no data in
        for (int i = 0; i < 2; i++)
        {
            if (spec.IsLinear ? low > 0 : low != HistogramSpec.LogZeroBucket && low > 0)
                low--;
            if (high < buckets - 1)
                high++;
        }
        bool under = false, over = false;
        if (spec.IsLinear)
        {
            // the underflow and overflow rows only show when they hold samples
            if (low == 0 && h[0] == 0)
                low++;
            if (high == buckets - 1 && h[high] == 0)
                high--;
            under = low == 0;
            over = high == buckets - 1;
        }

        long scale = peak <= Width ? 1 : (peak + Width - 1) / Width;
        int countSpace = Digits(peak);
        int valueSpace = spec.IsLinear
            ? Math.Max(Digits(spec.Start) + (under ? 1 : 0), Digits(unchecked(spec.Start + spec.Interval * high)) + (over ? 1 : 0))
            : Math.Max(Digits(HistogramSpec.LogBucketValue(high)), Digits(HistogramSpec.LogBucketValue(low)));
        valueSpace = Math.Max(valueSpace, 5);

        Header(dest, valueSpace);
        bool eliding = false;
        for (int i = low; i <= high; i++)
        {
            int from = Math.Max(low, i - Elision), to = Math.Min(high, i + Elision);
            bool elide = true;
            for (int k = from; k <= to && elide; k++)
                elide = h[k] == 0;
            if (elide)
            {
                eliding = true;
                continue;
            }
            if (eliding)
            {
                dest.AppendRepeat((byte)' ', valueSpace + 1);
                dest.Append("~\n"u8);
                eliding = false;
            }

            long value;
            byte prefix = 0;
            if (!spec.IsLinear)
                value = HistogramSpec.LogBucketValue(i);
            else if (i == 0)
            {
                value = spec.Start;
                prefix = (byte)'<';
            }
            else if (i == buckets - 1)
            {
                value = unchecked(spec.Start + (i - 2) * spec.Interval);
                prefix = (byte)'>';
            }
            else
                value = unchecked(spec.Start + (i - 1) * spec.Interval);

            // stap right-aligns the prefix in (space - digits) columns, then the number
            int pad = valueSpace - Digits(value);
            if (prefix != 0)
            {
                dest.AppendRepeat((byte)' ', pad - 1);
                dest.Append(prefix);
            }
            else
            {
                dest.AppendRepeat((byte)' ', pad);
            }
            dest.AppendDecimal(value);
            dest.Append(" |"u8);
            long bar = h[i] / scale;
            dest.AppendRepeat((byte)'@', (int)bar);
            dest.AppendRepeat((byte)' ', (int)(Width - bar + 1 + countSpace) - Digits(h[i]));
            dest.AppendDecimal(h[i]);
            dest.Append((byte)'\n');
        }
        dest.Append((byte)'\n');
    }

    private static void Header(ByteBuilder dest, int valueSpace)
    {
        dest.AppendRepeat((byte)' ', valueSpace - 5);
        dest.Append("value |"u8);
        dest.AppendRepeat((byte)'-', Width);
        dest.Append(" count\n"u8);
    }

    /// <summary>Printed width of a decimal number, sign included (stap's needed_space).</summary>
    private static int Digits(long v)
    {
        if (v == 0)
            return 1;
        int n = v < 0 ? 1 : 0;
        ulong u = v < 0 ? unchecked((ulong)-v) : (ulong)v;
        while (u != 0)
        {
            u /= 10;
            n++;
        }
        return n;
    }
}
