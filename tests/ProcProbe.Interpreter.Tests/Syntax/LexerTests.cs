using ProcProbe.Interpreter.Syntax;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter.Tests.Syntax;

public sealed class LexerTests
{
    private static readonly (SyntaxKind Kind, string Text)[] s_samples = BuildSamples();

    private static (SyntaxKind, string)[] BuildSamples()
    {
        var list = new List<(SyntaxKind, string)>();
        foreach (var kind in Enum.GetValues<SyntaxKind>())
        {
            if (SyntaxFacts.GetText(kind) is { } text)
                list.Add((kind, text));
        }
        list.Add((SyntaxKind.IdentifierToken, "abc"));
        list.Add((SyntaxKind.IdentifierToken, "$value"));
        list.Add((SyntaxKind.IdentifierToken, "a$b"));
        list.Add((SyntaxKind.NumberToken, "123"));
        list.Add((SyntaxKind.NumberToken, "0x1f"));
        list.Add((SyntaxKind.StringToken, "\"s\\\"t\""));
        list.Add((SyntaxKind.AtWordToken, "@count"));
        list.Add((SyntaxKind.EmbeddedCodeToken, "%{ c %}"));
        list.Add((SyntaxKind.OtherPunctuationToken, "`"));
        return [.. list];
    }

    private static Token[] Lex(string text) => SyntaxTree.Lex(SourceText.From(text)).ToArray();

    public static IEnumerable<object[]> Samples() => s_samples.Select(s => new object[] { s.Kind, s.Text });

    [Theory]
    [MemberData(nameof(Samples))]
    public void Lexes_single_token(SyntaxKind kind, string text)
    {
        var tokens = Lex(text);
        Assert.Equal(2, tokens.Length);
        Assert.Equal(kind, tokens[0].Kind);
        Assert.Equal(text, tokens[0].GetTextString());
        Assert.Equal(SyntaxKind.EndOfFileToken, tokens[1].Kind);
    }

    /// <summary>Any two tokens separated by a space lex back as exactly those two tokens.</summary>
    [Fact]
    public void Lexes_every_token_pair_with_separator()
    {
        foreach (var (k1, t1) in s_samples)
        {
            foreach (var (k2, t2) in s_samples)
            {
                var tokens = Lex(t1 + " " + t2);
                Assert.True(tokens.Length == 3, $"'{t1} {t2}' gave {tokens.Length - 1} tokens");
                Assert.Equal(k1, tokens[0].Kind);
                Assert.Equal(t1, tokens[0].GetTextString());
                Assert.Equal(k2, tokens[1].Kind);
                Assert.Equal(t2, tokens[1].GetTextString());
                Assert.Equal(t1.Length + 2, tokens[1].Column);
            }
        }
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("0777", 511L)]
    [InlineData("0x1F", 31L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("9223372036854775808", long.MinValue)]
    [InlineData("18446744073709551615", -1L)]
    public void Numbers_convert_like_strtoull(string text, long expected)
    {
        var tree = SyntaxTree.Parse("probe begin { x = " + text + " }");
        Assert.False(tree.HasErrors);
        var statement = (ExpressionStatement)tree.Root.Probes[0].Body.Statements[0];
        var value = (NumberLiteralExpression)((AssignmentExpression)statement.Expression).Right;
        Assert.Equal(expected, value.Value);
    }

    [Theory]
    [InlineData("\"a\\nb\"", "a\nb")]
    [InlineData("\"\\101\\x42\\q\\\"\"", "ABq\"")]
    [InlineData("\"ab\\0cd\"", "ab")]
    [InlineData("\"\\\\\"", "\\")]
    public void String_values_follow_c_escapes(string literal, string expected)
    {
        var tree = SyntaxTree.Parse("probe begin { x = " + literal + " }");
        var statement = (ExpressionStatement)tree.Root.Probes[0].Body.Statements[0];
        var value = (StringLiteralExpression)((AssignmentExpression)statement.Expression).Right;
        Assert.Equal(expected, System.Text.Encoding.Latin1.GetString(value.GetValue()));
    }

    [Fact]
    public void Pasted_argument_takes_position_of_its_reference()
    {
        var tokens = SyntaxTree.Lex(SourceText.From("x = $1\ny"), new ParseOptions { Arguments = ["a + b"] }).ToArray();
        Assert.Equal(["x", "=", "a", "+", "b", "y"], tokens[..^1].Select(t => t.GetTextString()));
        Assert.All(tokens[2..5], t => Assert.Equal((1, 5), (t.Line, t.Column)));
        Assert.Equal((2, 1), (tokens[5].Line, tokens[5].Column));
    }

    /// <summary>A token keeps 16 bits for its length and column; longer ones live beside it and must read back
    /// exactly, compare like any other copy of the same token, and survive a change of kind.</summary>
    [Fact]
    public void Long_tokens_and_far_columns_keep_their_extent()
    {
        string literal = "\"" + new string('s', 70_000) + "\"";
        string text = new string(' ', 65_540) + "far " + literal + " x";
        var tokens = Lex(text);
        Assert.Equal(["far", literal, "x"], tokens[..^1].Select(t => t.GetTextString()));
        Assert.Equal((1, 65_541, 3), (tokens[0].Line, tokens[0].Column, tokens[0].Length));
        Assert.Equal((65_545, 70_002, 65_540 + 4), (tokens[1].Column, tokens[1].Length, tokens[1].Start));
        Assert.Equal((65_545 + 70_003, 1), (tokens[2].Column, tokens[2].Length));
        var copy = tokens[1];
        Assert.True(copy.Equals(tokens[1]));
        Assert.False(tokens[0].Equals(tokens[1]));
        var renamed = tokens[1].WithKind(SyntaxKind.JunkToken);
        Assert.Equal((SyntaxKind.JunkToken, 65_545, 70_002), (renamed.Kind, renamed.Column, renamed.Length));
        Assert.Equal(literal, renamed.GetTextString());
    }
}
