using System.Buffers;
using System.Text;

namespace ProcProbe.Interpreter.Tests.Evaluation;

/// <summary>A fixed machine for tests: pid 4242, uid/gid 1000, every process named "tester".</summary>
internal sealed class TestHost : IScriptHost
{
    public int ProcessId => 4242;
    public uint Uid => 1000;
    public uint Gid => 1000;
    public string ExecName(int pid) => "tester";
    public int ParentPid(int pid) => 1;
}

/// <summary>Compiles and runs a script in-process, capturing stdout and stderr.</summary>
internal sealed class ScriptRun : IDisposable
{
    public readonly MemoryStream Out = new();
    public readonly StringWriter Err = new();
    public readonly ScriptCompilation Compilation;
    public readonly ScriptSession? Session;

    public ScriptRun(string script, ScriptOptions? options = null, string fileName = "<input>")
    {
        Compilation = ScriptCompilation.Compile(fileName, Encoding.UTF8.GetBytes(script), options ?? new ScriptOptions(), 5);
        if (Compilation.Succeeded)
            Session = new ScriptSession(Compilation, Out, Err, new TestHost());
    }

    public string Diagnostics
    {
        get
        {
            var w = new StringWriter();
            Compilation.WriteDiagnostics(w);
            return w.ToString();
        }
    }

    public string Stdout => Encoding.UTF8.GetString(Out.ToArray());

    public int FileIndex(string path)
    {
        foreach (var f in Compilation.Files)
        {
            if (f.Path == path)
                return f.Index;
        }
        throw new ArgumentException($"no procfs file {path}");
    }

    public string Read(string path, out int rc)
    {
        var content = new ArrayBufferWriter<byte>();
        rc = Session!.RunRead(FileIndex(path), new Caller(100, 1000, 1000), content);
        return Encoding.UTF8.GetString(content.WrittenSpan);
    }

    public string Read(string path)
    {
        string s = Read(path, out int rc);
        Assert.Equal(0, rc);
        return s;
    }

    public int Write(string path, string text) => Session!.RunWrite(FileIndex(path), new Caller(100, 1000, 1000), Encoding.UTF8.GetBytes(text));

    /// <summary>begin, then end: the whole run of a script without files.</summary>
    public string RunToEnd()
    {
        Assert.True(Compilation.Succeeded, Diagnostics);
        Session!.RunBegin();
        Session.RunEnd();
        return Stdout;
    }

    public void Dispose() => Session?.Dispose();
}
