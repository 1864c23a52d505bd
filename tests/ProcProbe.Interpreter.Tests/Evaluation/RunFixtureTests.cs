using System.Text;

namespace ProcProbe.Interpreter.Tests.Evaluation;

/// <summary>
/// Fixtures/300-run: NAME.stp runs begin probes, then the actions of NAME.actions.txt (one per line:
/// <c>read PATH</c>, <c>write PATH TEXT</c> with C escapes in TEXT, <c># comment</c>), then end probes.
/// NAME.out.verified.txt is the transcript: script output as it appears, one line per action with its
/// result, then standard error and the exit code.
/// </summary>
public class RunFixtureTests
{
    public static IEnumerable<object[]> Fixtures() => FixtureSupport.Scripts("300-run");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Run(string name)
    {
        string dir = Path.Combine(FixtureSupport.FixtureRoot(), "300-run");
        string script = File.ReadAllText(Path.Combine(dir, name + ".stp"));
        string actionsPath = Path.Combine(dir, name + ".actions.txt");
        var options = FixtureSupport.ParseOptions(script, out _);
        var transcript = new StringBuilder();
        using var run = new ScriptRun(script, options, name + ".stp");
        if (!run.Compilation.Succeeded)
        {
            transcript.Append(run.Diagnostics);
            FixtureSupport.Verify("300-run", name, "out", transcript.ToString());
            return;
        }
        int shown = 0;
        void Drain()
        {
            string all = run.Stdout;
            transcript.Append(all[shown..]);
            shown = all.Length;
        }
        run.Session!.RunBegin();
        Drain();
        if (File.Exists(actionsPath))
        {
            foreach (var raw in File.ReadAllLines(actionsPath))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                    continue;
                var parts = line.Split(' ', 3);
                if (parts[0] == "read")
                {
                    string content = run.Read(parts[1], out int rc);
                    Drain();
                    transcript.Append($">>> read {parts[1]} -> {rc} \"{FixtureSupport.Escape(content)}\"\n");
                }
                else if (parts[0] == "write")
                {
                    string text = parts.Length > 2 ? FixtureSupport.Unescape(parts[2]) : "";
                    int rc = run.Write(parts[1], text);
                    Drain();
                    transcript.Append($">>> write {parts[1]} \"{FixtureSupport.Escape(text)}\" -> {rc}\n");
                }
                else
                {
                    throw new InvalidDataException($"{name}.actions.txt: unknown action '{line}'");
                }
            }
        }
        run.Session.RunEnd();
        Drain();
        transcript.Append(">>> stderr\n").Append(run.Err.ToString());
        transcript.Append($">>> exit {run.Session.ExitCode}\n");
        FixtureSupport.Verify("300-run", name, "out", transcript.ToString());
    }
}
