namespace ProcProbe.Interpreter.Tests.Evaluation;
public class ZzTmpProfile
{
    [Fact]
    public void Profile()
    {
        var bytes = File.ReadAllBytes("/work/main/bench/inputs/frontend-2000.stp");
        var text = ProcProbe.Interpreter.Text.SourceText.From(bytes, "x.stp");
        var sw = new Cpu();
        var o = new System.Text.StringBuilder();
        for (int round = 0; round < 3; round++)
        {
            sw.Restart(); for (int i = 0; i < 20; i++) ProcProbe.Interpreter.Syntax.SyntaxTree.Lex(text); o.Append($"lex {sw.Ms / 20:F2} ");
            sw.Restart(); for (int i = 0; i < 20; i++) ProcProbe.Interpreter.Syntax.SyntaxTree.Parse(text); o.Append($"parse {sw.Ms / 20:F2} ");
            sw.Restart(); for (int i = 0; i < 20; i++) ScriptCompilation.Compile("x.stp", bytes, new ScriptOptions(), 2); o.Append($"p2 {sw.Ms / 20:F2}\n");
        }
        File.WriteAllText("/tmp/pp-rt-scratch/profile.txt", o.ToString());
    }
}

class Cpu { System.TimeSpan _t; public void Restart() => _t = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime; public double Ms => (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - _t).TotalMilliseconds; }
