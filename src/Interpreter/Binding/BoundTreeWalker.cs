using System.Collections;

namespace ProcProbe.Interpreter.Binding;

/// <summary>Child enumeration for checks that walk the bound tree.</summary>
internal static class BoundTreeWalker
{
    /// <summary>The children of <paramref name="node"/> in source order; a <c>foreach</c> over the result
    /// allocates nothing (the passes call this once per node).</summary>
    public static ChildList Children(BoundNode node) => new(node);

    /// <summary>All nodes below (and including) <paramref name="root"/>, depth first.</summary>
    public static IEnumerable<BoundNode> Descendants(BoundNode root)
    {
        // a body's walk keeps a few dozen siblings pending: start there instead of growing from four
        var stack = new Stack<BoundNode>(32);
        stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            yield return n;
            // last child first, so that the first comes out next
            for (int i = SlotCount(n, out var items) - 1; i >= 0; i--)
            {
                if (Slot(n, items, i) is { } c)
                    stack.Push(c);
            }
        }
    }

    /// <summary>
    /// A node's child positions: <see cref="SlotCount"/> of them, each read by <see cref="Slot"/>; an
    /// absent optional child (an <c>else</c>, a <c>*</c> index, ...) is a null slot that enumeration skips.
    /// Nodes whose children live in an array expose that array instead, read once when enumeration starts.
    /// </summary>
    private static int SlotCount(BoundNode node, out BoundNode?[]? items)
    {
        items = null;
        switch (node)
        {
            case BoundElement e:
                items = e.Indexes;
                return items.Length;
            case BoundCall call:
                items = call.Arguments;
                return items.Length;
            case BoundBuiltinCall bc:
                items = bc.Arguments;
                return items.Length;
            case BoundPrint p:
                items = p.Arguments;
                return items.Length + 1;
            case BoundBlock block:
                items = block.Statements;
                return items.Length;
            case BoundForeach fe:
                items = fe.Slice;
                return (items?.Length ?? 0) + 2;
            case BoundBinary or BoundLogical or BoundComparison or BoundConcat or BoundAssignment
                or BoundHistogramBucket or BoundTry:
                return 2;
            case BoundTernary or BoundIf or BoundHistogramForeach:
                return 3;
            case BoundFor:
                return 4;
            case BoundUnary or BoundIncDec or BoundIn or BoundRegex or BoundStatistic or BoundExpressionStatement
                or BoundReturn or BoundDelete:
                return 1;
            default:
                return 0;
        }
    }

    /// <summary>Child position <paramref name="i"/> (after the array, for nodes that have one).</summary>
    private static BoundNode? Slot(BoundNode node, BoundNode?[]? items, int i)
    {
        if (items is not null && i < items.Length)
            return items[i];
        int rest = i - (items?.Length ?? 0);
        return node switch
        {
            BoundBinary b => rest == 0 ? b.Left : b.Right,
            BoundUnary u => u.Operand,
            BoundLogical l => rest == 0 ? l.Left : l.Right,
            BoundComparison c => rest == 0 ? c.Left : c.Right,
            BoundConcat cc => rest == 0 ? cc.Left : cc.Right,
            BoundTernary t => rest switch { 0 => t.Condition, 1 => t.WhenTrue, _ => t.WhenFalse },
            BoundAssignment a => rest == 0 ? a.Target : a.Value,
            BoundIncDec inc => inc.Target,
            BoundIn ie => ie.Element,
            BoundRegex rx => rx.Left,
            BoundPrint p => p.HistogramOperand,
            BoundStatistic st => st.Operand,
            BoundHistogramBucket hb => rest == 0 ? hb.Operand : hb.Index,
            BoundExpressionStatement es => es.Expression,
            BoundIf f => rest switch { 0 => f.Condition, 1 => f.Then, _ => f.Else },
            BoundFor f => rest switch { 0 => f.Init, 1 => f.Condition, 2 => f.Increment, _ => f.Body },
            BoundForeach fe => rest == 0 ? fe.Limit : fe.Body,
            BoundHistogramForeach hf => rest switch { 0 => hf.Operand, 1 => hf.Limit, _ => hf.Body },
            BoundReturn r => r.Value,
            BoundDelete d => d.Target,
            BoundTry t => rest == 0 ? t.TryBlock : t.CatchBlock,
            _ => null,
        };
    }

    /// <summary>The children of one node; enumerable without allocation.</summary>
    internal readonly struct ChildList : IEnumerable<BoundNode>
    {
        private readonly BoundNode _node;

        public ChildList(BoundNode node) => _node = node;

        public Enumerator GetEnumerator() => new(_node);

        IEnumerator<BoundNode> IEnumerable<BoundNode>.GetEnumerator() => GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public struct Enumerator : IEnumerator<BoundNode>
        {
            private readonly BoundNode _node;
            private readonly BoundNode?[]? _items;
            private readonly int _count;
            private int _slot;
            private BoundNode? _current;

            public Enumerator(BoundNode node)
            {
                _node = node;
                _count = SlotCount(node, out _items);
                _slot = -1;
                _current = null;
            }

            public readonly BoundNode Current => _current!;

            readonly object IEnumerator.Current => Current;

            public bool MoveNext()
            {
                while (++_slot < _count)
                {
                    var child = Slot(_node, _items, _slot);
                    if (child is not null)
                    {
                        _current = child;
                        return true;
                    }
                }
                _current = null;
                return false;
            }

            public void Reset()
            {
                _slot = -1;
                _current = null;
            }

            public readonly void Dispose()
            {
            }
        }
    }
}
