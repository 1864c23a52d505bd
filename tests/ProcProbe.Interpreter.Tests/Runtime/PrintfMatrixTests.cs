using System.Runtime.CompilerServices;
using System.Text;
using ProcProbe.Interpreter.Runtime.Printf;
using ProcProbe.Interpreter.Runtime.Text;
using static ProcProbe.Interpreter.Tests.Runtime.RuntimeTestHelpers;

namespace ProcProbe.Interpreter.Tests.Runtime;

/// <summary>
/// Every flag x width x precision combination of every conversion, for sprintf (MAXSTRINGLEN 512)
/// and stream printf. PrintfMatrix.verified.txt was produced by compiling SystemTap 4.8's own
/// runtime/vsprintf.c helpers with a driver that follows translate.cxx's compiled printf, so it
/// records what stap prints. Lines: FORMAT, ARG (L:long or S:text), sprintf result, printf result;
/// bytes outside printable ASCII (and backslash) are \xHH, runs of 8 or more are \rCOUNT,UNIT;.
/// Regenerate from this implementation with PROCPROBE_ACCEPT=1 (review the diff).
/// </summary>
public class PrintfMatrixTests
{
    private static string MatrixPath([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "PrintfMatrix.verified.txt");

    [Fact]
    public void Matches_stap_runtime_output()
    {
        string path = MatrixPath();
        string[] lines = File.ReadAllLines(path, Encoding.Latin1);
        Assert.True(lines.Length > 4000);

        var actualLines = new List<string>(lines.Length);
        var mismatches = new List<string>();
        foreach (string line in lines)
        {
            string[] f = line.Split('\t');
            string format = f[0];
            string arg = f[1];
            PrintfArg a = arg.StartsWith("L:", StringComparison.Ordinal)
                ? new PrintfArg(long.Parse(arg[2..], System.Globalization.CultureInfo.InvariantCulture))
                : new PrintfArg(B(arg[2..]));
            PrintfFormat fmt = ParseOk(format);

            ByteBuilder str = StapString.CreateBuilder();
            fmt.FormatString(str, [a]);
            var stream = new ByteBuilder();
            fmt.Format(stream, [a]);

            string actual = string.Join('\t', format, arg, Encode(str.AsSpan()), Encode(stream.AsSpan()));
            actualLines.Add(actual);
            if (actual != line)
            {
                mismatches.Add($"expected {line}\n  actual {actual}");
            }
        }

        if (Environment.GetEnvironmentVariable("PROCPROBE_ACCEPT") == "1")
        {
            File.WriteAllText(path, string.Join('\n', actualLines) + "\n", Encoding.Latin1);
            return;
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches:\n" + string.Join('\n', mismatches.Take(20)));
    }

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        var units = new List<string>(bytes.Length);
        foreach (byte b in bytes)
        {
            units.Add(b >= 0x20 && b < 0x7f && b != (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}");
        }
        var sb = new StringBuilder();
        for (int i = 0; i < units.Count;)
        {
            int j = i;
            while (j < units.Count && units[j] == units[i])
            {
                j++;
            }
            if (j - i >= 8)
            {
                sb.Append("\\r").Append(j - i).Append(',').Append(units[i]).Append(';');
            }
            else
            {
                for (int k = i; k < j; k++)
                {
                    sb.Append(units[k]);
                }
            }
            i = j;
        }
        return sb.ToString();
    }
}
