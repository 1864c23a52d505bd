using System.Text;
using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Syntax;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter.Tests.Syntax;

/// <summary>
/// Golden-file plumbing for the syntax fixtures: NAME.stp beside NAME.*.verified.txt. A mismatch
/// writes NAME.*.received.txt and fails; with PROCPROBE_ACCEPT=1 the verified file is rewritten.
/// </summary>
internal static class SyntaxFixtures
{
    public static string Root { get; } = FindRoot();

    public static string LexerDirectory => Path.Combine(Root, "000-lexer");

    public static string ParserDirectory => Path.Combine(Root, "100-parser");

    // The fixtures live in the source tree (they are not copied to the output), next to this file's folder.
    private static string FindRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
    {
        string candidate = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "Fixtures"));
        if (!Directory.Exists(Path.Combine(candidate, "100-parser")))
            throw new DirectoryNotFoundException("syntax fixtures not found at " + candidate);
        return candidate;
    }

    public static IEnumerable<object[]> Names(string directory)
        => Directory.GetFiles(directory, "*.stp").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)
                    .Select(n => new object[] { n! });

    /// <summary>NAME.args: "-g" first means guru mode; the remaining space-separated words are $1, $2, ...</summary>
    public static ParseOptions Options(string directory, string name)
    {
        string path = Path.Combine(directory, name + ".args");
        if (!File.Exists(path))
            return new ParseOptions();
        var words = File.ReadAllText(path).Trim('\n').Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        bool guru = words.Count > 0 && words[0] == "-g";
        if (guru)
            words.RemoveAt(0);
        return new ParseOptions { Privileged = guru, Arguments = words };
    }

    public static SyntaxTree Parse(string directory, string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(directory, name + ".stp"));
        return SyntaxTree.Parse(SourceText.From(bytes, name + ".stp"), Options(directory, name));
    }

    /// <summary>What stap -p1 writes: (stdout, stderr).</summary>
    public static (byte[] Stdout, byte[] Stderr) RunPass1(SyntaxTree tree)
    {
        if (tree.HasErrors)
            return ([], DiagnosticFormatter.FormatParseFailure(tree));
        var printer = new DiagnosticPrinter();
        var stderr = new List<byte>();
        foreach (var d in tree.Diagnostics)
            stderr.AddRange(printer.Format(d));
        return (ParseTreePrinter.PrintBytes(tree), stderr.ToArray());
    }

    /// <summary>Compares <paramref name="actual"/> with NAME.KIND.verified.txt (absent file = empty expected).</summary>
    public static void Verify(string directory, string name, string kind, byte[] actual)
    {
        string verified = Path.Combine(directory, $"{name}.{kind}.verified.txt");
        string received = Path.Combine(directory, $"{name}.{kind}.received.txt");
        byte[] expected = File.Exists(verified) ? File.ReadAllBytes(verified) : [];
        if (expected.AsSpan().SequenceEqual(actual))
        {
            if (File.Exists(received))
                File.Delete(received);
            return;
        }
        if (Environment.GetEnvironmentVariable("PROCPROBE_ACCEPT") == "1")
        {
            if (actual.Length == 0)
                File.Delete(verified);
            else
                File.WriteAllBytes(verified, actual);
            return;
        }
        File.WriteAllBytes(received, actual);
        Assert.Fail($"{name}.{kind}: output differs from {verified}\n--- expected\n{Encoding.UTF8.GetString(expected)}\n--- actual\n{Encoding.UTF8.GetString(actual)}");
    }

    /// <summary>One token per line: KIND LINE:COL 'TEXT' [junk REASON] [flags].</summary>
    public static byte[] DumpTokens(IEnumerable<Token> tokens)
    {
        var sb = new StringBuilder();
        foreach (var t in tokens)
        {
            sb.Append(t.Kind).Append(' ').Append(t.Line).Append(':').Append(t.Column).Append(" '");
            foreach (byte b in t.Text)
                sb.Append(b is >= 32 and < 127 && b != '\\' ? ((char)b).ToString() : b == '\\' ? "\\\\" : $"\\x{b:x2}");
            sb.Append('\'');
            if (t.Junk != JunkKind.None)
                sb.Append(" junk=").Append(t.Junk);
            if (t.Flags != TokenFlags.None)
                sb.Append(" flags=").Append(t.Flags.ToString().Replace(", ", "|"));
            sb.Append('\n');
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
