using ProcProbe.Interpreter.Binding;

namespace ProcProbe.Interpreter.Evaluation;

internal sealed partial class Interpreter
{
    /// <summary>
    /// stap's synthesized end probe for globals that were written but never read (language.md §3.12):
    /// <c>NAME=V</c>, <c>NAME="S"</c>, one <c>NAME[K,"K"]=V</c> line per element by value descending,
    /// statistics as <c>@count=.. @min=.. @max=.. @sum=.. @avg=..</c>.
    /// </summary>
    public void DisplayGlobals()
    {
        foreach (var g in _program.DisplayGlobals)
        {
            int s = g.Slot;
            if (g.IsArray)
            {
                var map = _gMap[s]!;
                int[] entries = map.SortedEntries(-1, descending: true, StatOp.Count, out int count);
                try
                {
                    for (int i = 0; i < count; i++)
                    {
                        int e = entries[i];
                        _output.AppendUtf8(g.Name);
                        _output.Append((byte)'[');
                        for (int k = 0; k < map.Arity; k++)
                        {
                            if (k > 0)
                                _output.Append((byte)',');
                            if (map.KeyIsString(k))
                                AppendQuoted(map.GetKeyStr(e, k));
                            else
                                _output.AppendDecimal(map.GetKeyNum(e, k));
                        }
                        _output.Append((byte)']');
                        switch (map.ValueKind)
                        {
                            case ScriptType.Long:
                                _output.Append((byte)'=');
                                _output.AppendDecimal(map.GetNum(e));
                                break;
                            case ScriptType.String:
                                _output.Append((byte)'=');
                                AppendQuoted(map.GetStr(e));
                                break;
                            default:
                                AppendStats(map.GetStat(e));
                                break;
                        }
                        _output.Append((byte)'\n');
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<int>.Shared.Return(entries);
                }
                continue;
            }
            _output.AppendUtf8(g.Name);
            switch (g.Type)
            {
                case ScriptType.Long:
                    _output.Append((byte)'=');
                    _output.AppendDecimal(_gLong[s]);
                    break;
                case ScriptType.String:
                    _output.Append((byte)'=');
                    AppendQuoted(_gStr[s].AsSpan(0, _gStrLen[s]));
                    break;
                default:
                    var agg = _gStat[s]!;
                    if (agg.Count == 0)
                        _output.Append(" @count=0x0"u8);
                    else
                        AppendStats(agg);
                    break;
            }
            _output.Append((byte)'\n');
        }
    }

    private void AppendQuoted(ReadOnlySpan<byte> s)
    {
        _output.Append((byte)'"');
        _output.Append(s);
        _output.Append((byte)'"');
    }

    private void AppendStats(StatAggregate agg)
    {
        _output.Append(" @count="u8);
        _output.AppendDecimal(agg.Count);
        _output.Append(" @min="u8);
        _output.AppendDecimal(agg.Min);
        _output.Append(" @max="u8);
        _output.AppendDecimal(agg.Max);
        _output.Append(" @sum="u8);
        _output.AppendDecimal(agg.Sum);
        _output.Append(" @avg="u8);
        _output.AppendDecimal(agg.Average);
    }
}
