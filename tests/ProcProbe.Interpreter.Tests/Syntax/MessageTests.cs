using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Tests.Syntax;

/// <summary>Errors stap 4.8 cannot show (it crashes at these ends of input); the newer parser's messages apply.</summary>
public sealed class MessageTests
{
    [Theory]
    [InlineData("function f()", DiagnosticMessages.ExpectedOpenBrace)]
    [InlineData("function f() { return", DiagnosticMessages.ExpectedReturnEnd)]
    public void End_of_input_errors(string script, string message)
    {
        var tree = SyntaxTree.Parse(script);
        var d = Assert.Single(tree.Diagnostics);
        Assert.Equal(message, d.Message);
        Assert.Null(d.Token);
    }

    [Fact]
    public void Non_numeric_config_value_compared_with_number()
    {
        var options = new ParseOptions { KernelConfig = new Dictionary<string, string> { ["CONFIG_MODULES"] = "y" } };
        var tree = SyntaxTree.Parse("probe begin { %( CONFIG_MODULES == 1 %? x = 1 %) }", options);
        // Like stap, the untaken %? and %) then cascade as stray markers.
        var d = tree.Diagnostics[0];
        Assert.Equal(3, tree.Diagnostics.Count);
        Assert.Equal(DiagnosticMessages.ConfigNotNumber, d.Message);
        Assert.Equal(TokenRole.At, d.Role);
        Assert.Equal("CONFIG_MODULES", d.Token!.Value.GetTextString());
    }

    [Fact]
    public void Config_values_select_branches()
    {
        var options = new ParseOptions { KernelConfig = new Dictionary<string, string> { ["CONFIG_A"] = "y", ["CONFIG_N"] = "5" } };
        var tree = SyntaxTree.Parse("probe begin { %( CONFIG_A == \"y\" && CONFIG_N > 4 %? x = 1 %: x = 2 %) }", options);
        Assert.False(tree.HasErrors);
        Assert.Contains("(x) = (1)", ParseTreePrinter.Print(tree), StringComparison.Ordinal);
    }
}
