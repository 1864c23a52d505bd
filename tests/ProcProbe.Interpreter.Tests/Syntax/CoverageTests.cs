using System.Text;
using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Tests.Syntax;

/// <summary>Minsk-style meta-tests: every token kind and every parse message is exercised by a fixture.</summary>
public sealed class CoverageTests
{
    // Messages stap can only produce in states this front end cannot reach from a script, with the reason.
    private static readonly Dictionary<string, string> s_unreachableMessages = new()
    {
        [DiagnosticMessages.NestingTooDeep] = "covered by NestingTests (procprobe's own guard)",
        [DiagnosticMessages.PossibleWrongEmbeddedClose] = "a warning, covered by DiagnosticFormatTests",
        [DiagnosticMessages.ConfigNotNumber] = "needs a non-numeric CONFIG_ value in ParseOptions, covered by MessageTests",
        [DiagnosticMessages.ExpectedOpenBrace] = "only at end of input after a function header; stap 4.8 crashes there, covered by MessageTests",
        [DiagnosticMessages.ExpectedReturnEnd] = "only at end of input after 'return'; stap 4.8 crashes there, covered by MessageTests",
    };

    [Fact]
    public void Every_token_kind_appears_in_a_lexer_fixture()
    {
        var seen = new HashSet<string>();
        foreach (var file in Directory.GetFiles(SyntaxFixtures.LexerDirectory, "*.tokens.verified.txt"))
        {
            foreach (var line in File.ReadAllLines(file))
                seen.Add(line.Split(' ')[0]);
        }
        var missing = Enum.GetValues<SyntaxKind>().Where(SyntaxFacts.IsToken).Select(k => k.ToString()).Where(k => !seen.Contains(k)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_parse_message_appears_in_a_parser_fixture()
    {
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(SyntaxFixtures.ParserDirectory, "*.diag.verified.txt"))
            text.Append(File.ReadAllText(file));
        string all = text.ToString();

        var messages = typeof(DiagnosticMessages).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Concat([
                DiagnosticMessages.ArgumentOutOfRange(0),
                DiagnosticMessages.UnknownOperator("@foo"),
                DiagnosticMessages.MacroRedefined("foo"),
                DiagnosticMessages.MacroFirstDefined("foo"),
                DiagnosticMessages.MacroNeedsArguments("foo", 1),
                DiagnosticMessages.TooManyMacroArguments("foo", 1),
                DiagnosticMessages.TooFewMacroArguments("foo", 2),
                DiagnosticMessages.MacroRedefinesBuiltin("min"),
                DiagnosticMessages.MacroNestingTooDeep("foo"),
                DiagnosticMessages.MacroExpansionTooLarge("m0", 200_000),
                DiagnosticMessages.InputEmpty("e_seventeen.stp"),
                DiagnosticMessages.InputEmptyAfterPreprocessing("e_mac01.stp"),
            ]);
        var missing = messages.Where(m => !s_unreachableMessages.ContainsKey(m) && !all.Contains(m, StringComparison.Ordinal)).ToList();
        Assert.Empty(missing);
    }
}
