using System.Text;

namespace ProcProbe.Interpreter.Tests.Evaluation;

/// <summary>
/// A left-deep operator chain (0 + 1 + 1 ...) is as deep as it is long; the parser builds it in a loop,
/// so every later walker must cope too. 10,000 terms (stap's pass 2 accepts them) compile, print and run
/// even on a small-stack thread such as a FUSE or timer thread; a chain too deep for pass 2 is an error,
/// never a stack overflow (which would kill the process).
/// </summary>
public class DeepNestingTests
{
    private static string Chain(string first, string link, int n)
        => first + new StringBuilder(link.Length * n).Insert(0, link, n).ToString();

    /// <summary>Runs <paramref name="work"/> on a thread with a 1 MiB stack, less than a FUSE or timer thread has.</summary>
    private static T OnSmallStack<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 1 << 20);
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw new InvalidOperationException("the work failed", failure);
        return result;
    }

    [Theory]
    [InlineData("additions", "printf(\"%d\\n\", 0", " + 1", ")", "10000\n")]
    [InlineData("concatenations", "printf(\"%d\\n\", strlen(\"\"", " . \"a\"", "))", "511\n")]
    [InlineData("mixed", "printf(\"%d\\n\", 5", " * 1 - 0 | 0", ")", "5\n")]
    [InlineData("logical and", "printf(\"%d\\n\", 1", " && 1", ")", "1\n")]
    [InlineData("comparisons", "printf(\"%d\\n\", 1", " < 2", ")", "1\n")]
    public void TenThousandTermChain_CompilesPrintsAndRuns(string name, string head, string link, string tail, string expected)
    {
        string script = "probe begin { " + Chain(head, link, 10_000) + tail + " }";
        string output = OnSmallStack(() =>
        {
            using var run = new ScriptRun(script);
            Assert.True(run.Compilation.Succeeded, name + ": " + run.Diagnostics);
            Assert.NotEmpty(run.Compilation.PrintParseTreeBytes());
            Assert.NotEmpty(run.Compilation.PrintElaborated());
            string stdout = run.RunToEnd();
            Assert.Equal("", run.Err.ToString());
            return stdout;
        });
        Assert.Equal(expected, output);
    }

    [Fact]
    public void ChainPrintsAsTheRecursiveForm()
    {
        var compilation = ScriptCompilation.Compile("<input>", "probe begin { x = 1 + 2 - 3 . \"a\" . \"b\" < 4 && 5 || 6 }"u8.ToArray(), new ScriptOptions(), 1);
        string tree = Encoding.UTF8.GetString(compilation.PrintParseTreeBytes());
        Assert.Contains("(x) = ((((((((1) + (2)) - (3)) . (\"a\")) . (\"b\")) < (4)) && (5)) || (6))", tree);
    }

    [Fact]
    public void MillionTermChain_IsAPass2Error_NotAStackOverflow()
    {
        string script = "probe begin { printf(\"%d\\n\", " + Chain("0", " + 1", 1_000_000) + ") }";
        var compilation = OnSmallStack(() => ScriptCompilation.Compile("<input>", Encoding.ASCII.GetBytes(script), new ScriptOptions(), 2));
        Assert.Equal(2, compilation.FailedPass);
        var diagnostics = new StringWriter();
        compilation.WriteDiagnostics(diagnostics);
        Assert.Contains("semantic error: script nesting too deep", diagnostics.ToString());
        // -p1 prints it all the same
        Assert.True(OnSmallStack(() => compilation.PrintParseTreeBytes()).Length > 8_000_000);
    }
}
