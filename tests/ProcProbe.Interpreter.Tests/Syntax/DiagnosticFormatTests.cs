using System.Text;
using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Syntax;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter.Tests.Syntax;

public sealed class DiagnosticFormatTests
{
    private static Token FindToken(SyntaxTree tree, int line, int column)
        => SyntaxTree.Lex(tree.Text).First(t => t.Line == line && t.Column == column);

    /// <summary>Recorded from stap -p2 -u -e 'probe begin { x = 1; x = "a"; print(x) }'.</summary>
    [Fact]
    public void Semantic_error_chain_matches_stap()
    {
        var tree = SyntaxTree.Parse("probe begin { x = 1; x = \"a\"; print(x) }");
        var first = FindToken(tree, 1, 15);
        var second = FindToken(tree, 1, 22);
        var chained = Diagnostic.Semantic("type was first inferred here (long)", first, "typeresolution.first");
        var error = Diagnostic.Semantic("type mismatch (string)", second, "typeresolution.mismatch", chained);
        var printer = new DiagnosticPrinter();
        var text = Encoding.UTF8.GetString(printer.Format(error)) + DiagnosticFormatter.Pass2FailedLine + "\n";
        Assert.Equal(
            "semantic error: type mismatch (string): identifier 'x' at <input>:1:22\n" +
            "        source: probe begin { x = 1; x = \"a\"; print(x) }\n" +
            "                                     ^\n\n" +
            "semantic error: type was first inferred here (long): identifier 'x' at :1:15\n" +
            "        source: probe begin { x = 1; x = \"a\"; print(x) }\n" +
            "                              ^\n\n" +
            "Pass 2: analysis failed.  [man error::pass2]\n", text);
    }

    /// <summary>Recorded from stap -p2 -u on a tab-indented file: tabs are kept in the caret line.</summary>
    [Fact]
    public void Caret_line_keeps_tabs()
    {
        var tree = SyntaxTree.Parse(SourceText.From("probe begin {\n\tx = 1;\n\ty = \"a\" + x\n}\n", "t.stp"));
        var token = FindToken(tree, 3, 6);
        var error = Diagnostic.Semantic("type mismatch: expected long but found string", token, "typecheck.expected");
        var text = Encoding.UTF8.GetString(new DiagnosticPrinter().Format(error));
        Assert.Equal(
            "semantic error: type mismatch: expected long but found string: string 'a' at t.stp:3:6\n" +
            "        source: \ty = \"a\" + x\n" +
            "                \t    ^\n\n", text);
    }

    [Fact]
    public void Same_origin_is_shown_once_unless_verbose()
    {
        var tree = SyntaxTree.Parse("probe begin { x = 1 }");
        var token = FindToken(tree, 1, 15);
        var quiet = new DiagnosticPrinter();
        Assert.NotEmpty(quiet.Format(Diagnostic.Semantic("m", token, "same")));
        Assert.Empty(quiet.Format(Diagnostic.Semantic("m", token, "same")));
        Assert.Equal("Number of similar error messages suppressed: 1.\nRerun with -v to see them.\n",
                     Encoding.UTF8.GetString(quiet.FormatSuppressionSummary()));
        var verbose = new DiagnosticPrinter(verbose: true);
        Assert.NotEmpty(verbose.Format(Diagnostic.Semantic("m", token, "same")));
        Assert.NotEmpty(verbose.Format(Diagnostic.Semantic("m", token, "same")));
        Assert.Empty(verbose.FormatSuppressionSummary());
    }

    [Fact]
    public void Embedded_close_typo_is_a_warning()
    {
        var tree = SyntaxTree.Parse("%{ x }% %}\nprobe begin {}", new ParseOptions { Privileged = true });
        Assert.False(tree.HasErrors);
        var warning = Assert.Single(tree.Diagnostics);
        Assert.Equal(DiagnosticKind.Warning, warning.Kind);
        Assert.Equal(DiagnosticMessages.PossibleWrongEmbeddedClose, warning.Message);
    }
}
