using ProcProbe.Interpreter;

namespace ProcProbe.Cli.Hosting;

/// <summary>What builtins such as pid(), uid() and execname() see of the procprobe process itself.</summary>
internal sealed class ProcessHost(uint uid, uint gid) : IScriptHost
{
    public int ProcessId { get; } = Environment.ProcessId;
    public uint Uid { get; } = uid;
    public uint Gid { get; } = gid;
    public string ExecName(int pid) => ProcessInfo.CommandName(pid);
    public int ParentPid(int pid) => ProcessInfo.ParentPid(pid);
}
