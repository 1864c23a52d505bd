using ProcProbe.Interpreter.Binding;

namespace ProcProbe.Interpreter.Evaluation;

/// <summary>
/// Storage for the locals of one activation. String locals own a MAXSTRINGLEN buffer allocated once;
/// frames are pooled per probe and per function recursion level, so a warm handler allocates nothing.
/// </summary>
internal sealed class Frame
{
    public readonly long[] Longs;
    public readonly byte[][] Strs;
    public readonly int[] StrLens;
    private readonly bool[] _isString;

    public long ReturnLong;
    public readonly byte[] ReturnStr;
    public int ReturnLen;

    public Frame(IReadOnlyList<VariableSymbol> locals, int maxStringLen, bool returnsString)
    {
        int n = locals.Count;
        Longs = new long[n];
        Strs = new byte[n][];
        StrLens = new int[n];
        _isString = new bool[n];
        for (int i = 0; i < n; i++)
        {
            if (locals[i].Type == ScriptType.String)
            {
                _isString[i] = true;
                Strs[i] = new byte[maxStringLen];
            }
            else
            {
                Strs[i] = [];
            }
        }
        ReturnStr = returnsString ? new byte[maxStringLen] : [];
    }

    /// <summary>Locals start as 0 and "" on every activation.</summary>
    public void Reset()
    {
        // Span clears are inlined; Array.Clear(Array) goes through the array's type information.
        Longs.AsSpan().Clear();
        StrLens.AsSpan().Clear();
        ReturnLong = 0;
        ReturnLen = 0;
    }

    public StrRef Str(int slot) => new(Strs[slot], 0, StrLens[slot]);
}

/// <summary>Frames of one function, one per recursion level in use.</summary>
internal sealed class FramePool
{
    private readonly FunctionSymbol _function;
    private readonly int _maxStringLen;
    private readonly List<Frame> _frames = new();
    private int _inUse;

    public FramePool(FunctionSymbol function, int maxStringLen)
    {
        _function = function;
        _maxStringLen = maxStringLen;
    }

    public Frame Rent()
    {
        if (_inUse == _frames.Count)
            _frames.Add(new Frame(_function.Locals, _maxStringLen, _function.ReturnType == ScriptType.String));
        var frame = _frames[_inUse++];
        frame.Reset();
        return frame;
    }

    public void Return() => _inUse--;
}
