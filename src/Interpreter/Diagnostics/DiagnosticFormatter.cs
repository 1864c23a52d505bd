using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Diagnostics;

/// <summary>
/// Renders diagnostics byte-for-byte as stap prints them to stderr. Stateless pieces are static;
/// the per-session state stap keeps (which error origins were already shown, the file of the last
/// printed token) lives in <see cref="DiagnosticPrinter"/>.
/// </summary>
public static class DiagnosticFormatter
{
    public const string Pass1FailedLine = "Pass 1: parse failed.  [man error::pass1]";
    public const string Pass2FailedLine = "Pass 2: analysis failed.  [man error::pass2]";
    public const string Pass3FailedLine = "Pass 3: translation failed.  [man error::pass3]";

    /// <summary><c>TYPE 'TEXT' at FILE:LINE:COL</c> (keywords and embedded code without text).</summary>
    public static string DescribeToken(Token token, bool includeFileName)
    {
        var b = new ByteBuilder(64);
        AppendTokenDescription(b, token, includeFileName);
        return b.ToString();
    }

    internal static void AppendTokenDescription(ByteBuilder b, Token token, bool includeFileName)
    {
        if (token.IsDefault)
            return;
        b.Append(SyntaxFacts.GetTokenClass(token.Kind));
        if (token.Kind != SyntaxKind.EmbeddedCodeToken && !SyntaxFacts.IsKeyword(token.Kind))
        {
            b.Append(" '");
            AppendTokenContent(b, token);
            b.Append('\'');
        }
        b.Append(" at ");
        if (includeFileName)
            b.Append(token.Source.FileName);
        b.Append(':').Append(token.Line).Append(':').Append(token.Column);
    }

    private static void AppendTokenContent(ByteBuilder b, Token token)
    {
        if (token.Kind == SyntaxKind.JunkToken)
        {
            // Junk keeps no content except a stray byte, which stap spells as \xNN.
            if (token.Junk == JunkKind.StrayByte && token.Length > 0)
                b.Append("\\x").Append(token.Text[0].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return;
        }
        ReadOnlySpan<byte> content = token.Kind == SyntaxKind.StringToken ? token.GetContent() : token.Text;
        foreach (byte c in content)
            b.Append(SyntaxFacts.IsPrint(c) ? c : (byte)'?');
    }

    /// <summary>
    /// <c>ALIGN source: LINE</c> and the caret line under the token's column; bytes before the
    /// column are blanked except whitespace, which is copied so tabs line up.
    /// </summary>
    internal static void AppendSource(ByteBuilder b, string align, Token token)
    {
        if (token.IsDefault)
            return;
        var source = token.Source;
        b.Append(align).Append("source: ").Append(source.GetLine(token.Line)).Append('\n');
        b.Append(align).Append("        ");
        int lineStart = source.GetLineStart(token.Line);
        var bytes = source.Bytes;
        for (int i = lineStart; i < lineStart + token.Column - 1 && i < bytes.Length; i++)
            b.Append(SyntaxFacts.IsSpace(bytes[i]) ? bytes[i] : (byte)' ');
        b.Append("^\n");
    }

    /// <summary>The message a junk token substitutes for the parser's own, or null.</summary>
    public static string? GetJunkMessage(Token token, int argumentCount) => token.Junk switch
    {
        JunkKind.UnterminatedString => DiagnosticMessages.UnterminatedString,
        JunkKind.UnterminatedEmbeddedCode => DiagnosticMessages.UnterminatedEmbeddedCode,
        JunkKind.ArgumentOutOfRange => DiagnosticMessages.ArgumentOutOfRange(argumentCount),
        JunkKind.NestedSubstitution => DiagnosticMessages.NestedSubstitution,
        _ => null,
    };

    /// <summary><c>1 parse error.</c> / <c>N parse errors.</c></summary>
    public static string FormatParseErrorCount(int count)
        => count == 1 ? "1 parse error." : count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " parse errors.";

    /// <summary>
    /// The whole stderr of a failed <c>stap -p1</c> (non-verbose): each shown error block, the count
    /// line, the pass-1 failure line and the suppression summary.
    /// </summary>
    public static byte[] FormatParseFailure(SyntaxTree tree, bool verbose = false)
    {
        var printer = new DiagnosticPrinter(verbose);
        var b = new ByteBuilder(512);
        b.Append(printer.FormatParseResult(tree));
        b.Append(Pass1FailedLine).Append('\n');
        b.Append(printer.FormatSuppressionSummary());
        return b.ToArray();
    }
}

/// <summary>
/// Prints diagnostics as one stap session does: the first diagnostic of each origin is shown, later
/// ones are only counted (unless verbose); a token in the same file as the previously printed token
/// of a semantic error is shown without the file name.
/// </summary>
public sealed class DiagnosticPrinter
{
    private readonly HashSet<string> _seenOrigins = [];
    private SourceTextKey? _lastTokenFile;

    public DiagnosticPrinter(bool verbose = false) => Verbose = verbose;

    public bool Verbose { get; }

    /// <summary>Diagnostics not shown because an earlier one came from the same origin.</summary>
    public int SuppressedCount { get; private set; }

    /// <summary>Warnings not shown because an earlier one had the same text (stap counts them apart).</summary>
    public int SuppressedWarningCount { get; private set; }

    /// <summary>The argument count used in <c>command line argument out of range [1-K]</c>.</summary>
    public int ArgumentCount { get; set; }

    /// <summary>One diagnostic (and its chain) as stap prints it; empty when suppressed.</summary>
    public byte[] Format(Diagnostic diagnostic)
    {
        string key = ChainKey(diagnostic);
        if (!Verbose && !_seenOrigins.Add(key))
        {
            if (diagnostic.Kind == DiagnosticKind.Warning)
                SuppressedWarningCount++;
            else
                SuppressedCount++;
            return [];
        }
        _seenOrigins.Add(key);
        var b = new ByteBuilder(256);
        switch (diagnostic.Kind)
        {
            case DiagnosticKind.ParseError:
                for (var d = diagnostic; d is not null; d = d.Chained)
                    AppendParseError(b, d);
                break;
            default:
                for (var d = diagnostic; d is not null; d = d.Chained)
                    AppendSemantic(b, d, blankLine: d.Chained is not { Message.Length: 0 });
                break;
        }
        return b.ToArray();
    }

    /// <summary>Error blocks of a parse, then the count line (or the empty-input message).</summary>
    public byte[] FormatParseResult(SyntaxTree tree)
    {
        ArgumentCount = tree.Options.Arguments.Count;
        var b = new ByteBuilder(512);
        int errors = 0;
        foreach (var d in tree.Diagnostics)
        {
            if (d.Kind == DiagnosticKind.ParseError)
                errors++;
            b.Append(Format(d));
        }
        // An input that never produced a declaration is reported as empty even after errors.
        if (tree.EmptyInputMessage is { } empty)
            b.Append(empty).Append('\n');
        else if (errors > 0)
            b.Append(DiagnosticFormatter.FormatParseErrorCount(errors)).Append('\n');
        return b.ToArray();
    }

    /// <summary><c>Number of similar error messages suppressed: N.</c> + <c>Rerun with -v to see them.</c>, or empty.</summary>
    public byte[] FormatSuppressionSummary()
    {
        var b = new ByteBuilder(96);
        if (SuppressedCount > 0)
        {
            b.Append("Number of similar error messages suppressed: ").Append(SuppressedCount).Append(".\n");
            b.Append("Rerun with -v to see them.\n");
        }
        if (SuppressedWarningCount > 0)
        {
            b.Append("Number of similar warning messages suppressed: ").Append(SuppressedWarningCount).Append(".\n");
            b.Append("Rerun with -v to see them.\n");
        }
        return b.ToArray();
    }

    private void AppendParseError(ByteBuilder b, Diagnostic d)
    {
        const string align = "     ";
        Token? token = d.Token;
        string message = d.Message;
        bool at = d.Role == TokenRole.At;
        if (token is { } t && t.Kind == SyntaxKind.JunkToken && DiagnosticFormatter.GetJunkMessage(t, ArgumentCount) is { } junk)
        {
            message = junk;
            at = true;
        }
        b.Append("parse error: ").Append(message).Append('\n');
        if (token is { } tok)
        {
            b.Append(at ? "         at: " : "        saw: ");
            DiagnosticFormatter.AppendTokenDescription(b, tok, includeFileName: true);
            b.Append('\n');
            DiagnosticFormatter.AppendSource(b, align, tok);
            for (var e = tok.Expansion; e is not null; e = e.Invocation.Expansion)
            {
                b.Append("\tin expansion of macro: ");
                DiagnosticFormatter.AppendTokenDescription(b, e.Invocation, includeFileName: true);
                b.Append('\n');
                DiagnosticFormatter.AppendSource(b, align, e.Invocation);
            }
        }
        else
        {
            b.Append("        saw: ").Append(d.EndOfFileName ?? Text.SourceText.InputFileName).Append(" EOF\n");
        }
        b.Append('\n');
    }

    private void AppendSemantic(ByteBuilder b, Diagnostic d, bool blankLine = true)
    {
        bool warning = d.Kind == DiagnosticKind.Warning;
        string align = warning ? " " : "        ";
        // An empty chained message is stap's second token of one error (e.g. the declaration an
        // arity mismatch refers to): printed as a bare token line plus its source.
        bool bareToken = d.Message.Length == 0 && d.Token is not null;
        if (!bareToken)
            b.Append(warning ? "WARNING: " : "semantic error: ").Append(d.Message);
        if (d.Token is { } tok)
        {
            if (!bareToken)
                b.Append(": ");
            var key = new SourceTextKey(tok.Source);
            DiagnosticFormatter.AppendTokenDescription(b, tok, includeFileName: _lastTokenFile != key);
            _lastTokenFile = key;
            b.Append('\n');
            DiagnosticFormatter.AppendSource(b, align, tok);
        }
        else
        {
            b.Append('\n');
        }
        if (!warning && blankLine)
            b.Append('\n');
    }

    private static string ChainKey(Diagnostic d)
    {
        if (d.Chained is null)
            return d.Origin;
        var parts = new List<string>();
        for (var c = d; c is not null; c = c.Chained)
            parts.Add(c.Origin);
        return string.Join("\n", parts);
    }

    // Reference identity of a source file, so two scripts with the same name stay distinct.
    private readonly record struct SourceTextKey(Text.SourceText Source);
}
