using ProcProbe.Interpreter.Binding;

namespace ProcProbe.Interpreter.Evaluation;

internal sealed partial class Interpreter
{
    // ------------------------------------------------------------------ histogram buckets

    /// <summary>The aggregate of a stats global or element, or null when the element does not exist.</summary>
    private StatAggregate? FindAggregate(BoundExpression operand, Frame f)
    {
        if (operand is BoundVariable { Symbol: var s })
            return _gStat[s.Slot];
        var el = (BoundElement)operand;
        var map = _gMap[el.Array.Slot]!;
        int keyBase = PushKeys(el.Indexes, f, map);
        int entry = map.Find(KeyAt(keyBase, map.Arity));
        _keyTop = keyBase;
        return entry >= 0 ? map.GetStat(entry) : null;
    }

    /// <summary><c>@hist_*(x)[i]</c> and <c>i in @hist_*(x)</c>: the count in bucket i, checked as stap's
    /// runtime checks it (no samples first, then the bucket number).</summary>
    private long EvalHistogramBucket(BoundHistogramBucket hb, Frame f)
    {
        long index = EvalLong(hb.Index, f);
        var agg = FindAggregate(hb.Operand, f);
        if (agg is null || agg.Count == 0)
            throw Error("empty aggregate", hb);
        var buckets = agg.Buckets!;
        if (index < 0 || index >= buckets.Length)
            throw Error("histogram index out of range", hb);
        return buckets[index];
    }

    /// <summary>
    /// <c>foreach ([v =] b in @hist_*(x) limit n)</c>: every bucket number in ascending order, empty buckets
    /// and empty aggregates included; v is the bucket's count when the loop started (stap iterates over a
    /// snapshot of the aggregate). MAXACTION is charged as for array loops.
    /// </summary>
    private Flow ExecHistogramForeach(BoundHistogramForeach hf, Frame f)
    {
        _statement[_depth].Node = hf;
        Charge(1, hf);
        int bucketCount = hf.Stats.Histogram!.BucketCount;
        long[]? counts = null;
        if (hf.Value is not null)
        {
            counts = System.Buffers.ArrayPool<long>.Shared.Rent(bucketCount);
            var agg = FindAggregate(hf.Operand, f);
            if (agg?.Buckets is { } buckets)
                buckets.AsSpan(0, bucketCount).CopyTo(counts);
            else
                Array.Clear(counts, 0, bucketCount);
        }
        try
        {
            long limit = hf.Limit is null ? long.MaxValue : EvalLong(hf.Limit, f);
            for (int b = 0; b < bucketCount; b++)
            {
                if (b >= limit)
                    break;
                _statement[_depth].Node = hf;
                Charge(1, hf);
                StoreVariable(hf.Key, b, f);
                if (hf.Value is { } v)
                    StoreVariable(v, counts![b], f);
                var flow = Exec(hf.Body, f);
                if (flow == Flow.Break)
                    break;
                if (flow is Flow.Return or Flow.Next)
                    return flow;
            }
            _statement[_depth].Node = hf;
            Charge(1, hf);
            return Flow.Normal;
        }
        finally
        {
            if (counts is not null)
                System.Buffers.ArrayPool<long>.Shared.Return(counts);
        }
    }
}
