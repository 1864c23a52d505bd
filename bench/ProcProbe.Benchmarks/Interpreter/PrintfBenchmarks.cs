using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using ProcProbe.Interpreter.Runtime.Printf;
using ProcProbe.Interpreter.Runtime.Text;

namespace ProcProbe.Benchmarks.Interpreter;

/// <summary>
/// <c>printf("%-10s %8d %#x\n", name, value, value)</c> into the handler output buffer, against the
/// obvious string-based way (composite formatting, then UTF-8 encoding) as the baseline.
/// </summary>
[MemoryDiagnoser]
public class PrintfBenchmarks
{
    private PrintfFormat _format = null!;
    private PrintfArg[] _args = [];
    private readonly ByteBuilder _output = new(ByteBuilder.Unlimited, 8192);
    private readonly ByteBuilder _sprintf = new(511, 512);
    private readonly MemoryStream _naive = new(8192);
    private const string Name = "procprobe";
    private const long Value = 123456;

    [GlobalSetup]
    public void Setup()
    {
        var parsed = PrintfFormat.Parse("%-10s %8d %#x\n"u8);
        _format = parsed.Format ?? throw new InvalidOperationException(parsed.ErrorMessage);
        _args = [new PrintfArg(Encoding.ASCII.GetBytes(Name).AsMemory()), new PrintfArg(Value), new PrintfArg(Value)];
    }

    [Benchmark(Baseline = true)]
    public long NaiveStringFormat()
    {
        _naive.SetLength(0);
        string text = string.Format(CultureInfo.InvariantCulture, "{0,-10} {1,8} 0x{2:x}\n", Name, Value, Value);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        _naive.Write(bytes);
        return _naive.Length;
    }

    [Benchmark]
    public int Printf()
    {
        _output.Clear();
        _format.Format(_output, _args);
        return _output.Length;
    }

    [Benchmark]
    public int Sprintf()
    {
        _sprintf.Clear();
        _format.FormatString(_sprintf, _args);
        return _sprintf.Length;
    }
}
