using System.Text;
using ProcProbe.Interpreter.Runtime.Printf;
using ProcProbe.Interpreter.Runtime.Text;

namespace ProcProbe.Interpreter.Tests.Runtime;

/// <summary>Helpers shared by the runtime tests: byte/escaped-text conversions and one-shot formatting.</summary>
internal static class RuntimeTestHelpers
{
    /// <summary>Latin-1 bytes of a test string, so "\u00e9" is the single byte 0xe9.</summary>
    public static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    /// <summary>Latin-1 text of bytes (one char per byte, NUL included).</summary>
    public static string S(ReadOnlySpan<byte> b) => Encoding.Latin1.GetString(b);

    public static PrintfFormat ParseOk(string format)
    {
        PrintfParseResult r = PrintfFormat.Parse(B(format));
        Assert.True(r.Success, $"format {format}: {r.ErrorMessage}");
        return r.Format!;
    }

    /// <summary>Arguments from test data: long/int values become longs, strings become byte strings.</summary>
    public static PrintfArg[] Args(object[] values) =>
        values.Select(v => v is string s ? new PrintfArg(B(s)) : new PrintfArg(Convert.ToInt64(v))).ToArray();

    public static string Printf(string format, params object[] values)
    {
        var dest = new ByteBuilder();
        ParseOk(format).Format(dest, Args(values));
        return S(dest.AsSpan());
    }

    public static string Sprintf(string format, params object[] values) => SprintfLimited(StapString.DefaultMaxStringLength, format, values);

    public static string SprintfLimited(int maxStringLength, string format, params object[] values)
    {
        ByteBuilder dest = StapString.CreateBuilder(maxStringLength);
        ParseOk(format).FormatString(dest, Args(values));
        return S(dest.AsSpan());
    }
}
