using System.Text;
using ProcProbe.Interpreter.Tests.Evaluation;

namespace ProcProbe.Interpreter.Tests.Binding;

/// <summary>
/// Fixtures/200-semantic: NAME.stp compiled to pass 2 (options from a <c>#! stap ...</c> first line).
/// NAME.diag.verified.txt holds stap's standard error and NAME.p2.verified.txt its -p2 listing, both
/// produced by SystemTap itself (regen-oracle.sh); procprobe must print the same.
/// </summary>
public class SemanticFixtureTests
{
    public static IEnumerable<object[]> Fixtures() => FixtureSupport.Scripts("200-semantic");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Pass2(string name)
    {
        string dir = Path.Combine(FixtureSupport.FixtureRoot(), "200-semantic");
        string script = File.ReadAllText(Path.Combine(dir, name + ".stp"));
        var options = FixtureSupport.ParseOptions(script, out _);
        var compilation = ScriptCompilation.Compile("<input>", Encoding.UTF8.GetBytes(script), options, 2);
        var stderr = new StringWriter();
        compilation.WriteDiagnostics(stderr);
        FixtureSupport.Verify("200-semantic", name, "diag", stderr.ToString());
        if (File.Exists(Path.Combine(dir, name + ".p2.verified.txt")) || compilation.Succeeded)
            FixtureSupport.Verify("200-semantic", name, "p2", compilation.Succeeded ? compilation.PrintElaborated() : "");
    }
}
