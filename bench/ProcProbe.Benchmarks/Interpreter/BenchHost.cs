using ProcProbe.Interpreter;

namespace ProcProbe.Benchmarks.Interpreter;

/// <summary>A fixed machine, so handler benchmarks measure the interpreter and not /proc lookups.</summary>
internal sealed class BenchHost : IScriptHost
{
    public int ProcessId => 4242;
    public uint Uid => 1000;
    public uint Gid => 1000;
    public string ExecName(int pid) => "bench";
    public int ParentPid(int pid) => 1;

    /// <summary>Compiles through pass 2 and starts the session (begin probes run), failing loudly on a bad script.</summary>
    public static ScriptSession Start(string script, ScriptOptions? options = null)
    {
        var compilation = ScriptCompilation.Compile("<input>", System.Text.Encoding.UTF8.GetBytes(script), options ?? new ScriptOptions(), 5);
        if (!compilation.Succeeded)
        {
            var errors = new StringWriter();
            compilation.WriteDiagnostics(errors);
            throw new InvalidOperationException("benchmark script does not compile:\n" + errors);
        }
        var session = new ScriptSession(compilation, Stream.Null, TextWriter.Null, new BenchHost());
        session.RunBegin();
        return session;
    }
}
