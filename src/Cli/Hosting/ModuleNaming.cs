using System.Security.Cryptography;

namespace ProcProbe.Cli.Hosting;

/// <summary>Default module names in stap's shape: <c>stap_</c>, 32 hex digits of a hash of the script, <c>_PID</c>.</summary>
internal static class ModuleNaming
{
    public static string Default(ReadOnlySpan<byte> script, int pid)
    {
        Span<byte> hash = stackalloc byte[MD5.HashSizeInBytes];
        MD5.HashData(script, hash);
        string name = $"stap_{Convert.ToHexStringLower(hash)}_{pid}";
        return name.Length <= CommandLine.CommandLineParser.MaxModuleNameLength
            ? name
            : name[..CommandLine.CommandLineParser.MaxModuleNameLength];
    }
}
