namespace ProcProbe.Interpreter.Binding;

/// <summary>Child enumeration for checks that walk the bound tree (not used on the hot path).</summary>
internal static class BoundTreeWalker
{
    public static IEnumerable<BoundNode> Children(BoundNode node)
    {
        switch (node)
        {
            case BoundElement e:
                foreach (var i in e.Indexes)
                {
                    if (i is not null)
                        yield return i;
                }
                break;
            case BoundBinary b:
                yield return b.Left;
                yield return b.Right;
                break;
            case BoundUnary u:
                yield return u.Operand;
                break;
            case BoundLogical l:
                yield return l.Left;
                yield return l.Right;
                break;
            case BoundComparison c:
                yield return c.Left;
                yield return c.Right;
                break;
            case BoundConcat cc:
                yield return cc.Left;
                yield return cc.Right;
                break;
            case BoundTernary t:
                yield return t.Condition;
                yield return t.WhenTrue;
                yield return t.WhenFalse;
                break;
            case BoundAssignment a:
                yield return a.Target;
                yield return a.Value;
                break;
            case BoundIncDec inc:
                yield return inc.Target;
                break;
            case BoundIn ie:
                yield return ie.Element;
                break;
            case BoundRegex rx:
                yield return rx.Left;
                break;
            case BoundCall call:
                foreach (var a in call.Arguments)
                    yield return a;
                break;
            case BoundBuiltinCall bc:
                foreach (var a in bc.Arguments)
                    yield return a;
                break;
            case BoundPrint p:
                foreach (var a in p.Arguments)
                    yield return a;
                if (p.HistogramOperand is not null)
                    yield return p.HistogramOperand;
                break;
            case BoundStatistic st:
                yield return st.Operand;
                break;
            case BoundBlock block:
                foreach (var s in block.Statements)
                    yield return s;
                break;
            case BoundExpressionStatement es:
                yield return es.Expression;
                break;
            case BoundIf i:
                yield return i.Condition;
                yield return i.Then;
                if (i.Else is not null)
                    yield return i.Else;
                break;
            case BoundFor f:
                if (f.Init is not null)
                    yield return f.Init;
                yield return f.Condition;
                if (f.Increment is not null)
                    yield return f.Increment;
                yield return f.Body;
                break;
            case BoundForeach fe:
                if (fe.Slice is not null)
                {
                    foreach (var s in fe.Slice)
                    {
                        if (s is not null)
                            yield return s;
                    }
                }
                if (fe.Limit is not null)
                    yield return fe.Limit;
                yield return fe.Body;
                break;
            case BoundReturn r:
                if (r.Value is not null)
                    yield return r.Value;
                break;
            case BoundDelete d:
                yield return d.Target;
                break;
            case BoundTry t:
                yield return t.TryBlock;
                yield return t.CatchBlock;
                break;
        }
    }

    /// <summary>All nodes below (and including) <paramref name="root"/>, depth first.</summary>
    public static IEnumerable<BoundNode> Descendants(BoundNode root)
    {
        var stack = new Stack<BoundNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            yield return n;
            foreach (var c in Children(n).Reverse())
                stack.Push(c);
        }
    }
}
