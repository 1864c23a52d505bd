using ProcProbe.Interpreter.Syntax;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter.Tests.Syntax;

public sealed class FixtureTests
{
    public static IEnumerable<object[]> LexerFixtures() => SyntaxFixtures.Names(SyntaxFixtures.LexerDirectory);

    public static IEnumerable<object[]> ParserFixtures() => SyntaxFixtures.Names(SyntaxFixtures.ParserDirectory);

    [Theory]
    [MemberData(nameof(LexerFixtures))]
    public void Lexer_tokens_match_golden_file(string name)
    {
        string dir = SyntaxFixtures.LexerDirectory;
        var bytes = File.ReadAllBytes(Path.Combine(dir, name + ".stp"));
        var tokens = SyntaxTree.Lex(SourceText.From(bytes, name + ".stp"), SyntaxFixtures.Options(dir, name));
        SyntaxFixtures.Verify(dir, name, "tokens", SyntaxFixtures.DumpTokens(tokens));
    }

    /// <summary>The golden files were recorded from stap -p1 (SystemTap 4.8) with the same script and arguments.</summary>
    [Theory]
    [MemberData(nameof(ParserFixtures))]
    public void Pass1_output_matches_stap(string name)
    {
        string dir = SyntaxFixtures.ParserDirectory;
        var tree = SyntaxFixtures.Parse(dir, name);
        var (stdout, stderr) = SyntaxFixtures.RunPass1(tree);
        SyntaxFixtures.Verify(dir, name, "p1", stdout);
        SyntaxFixtures.Verify(dir, name, "diag", stderr);
    }
}
