using System.Runtime.InteropServices;

namespace ProcProbe.Interpreter.Syntax;

/// <summary>
/// What the parser needs from the command line and the machine: script arguments for
/// <c>$N</c>/<c>@N</c>, guru mode, and the facts <c>%( %)</c> conditions test.
/// </summary>
public sealed class ParseOptions
{
    /// <summary>Script arguments; <c>$1</c> is <c>Arguments[0]</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary><c>-g</c>: embedded C is allowed (it still cannot run; pass 2 rejects it).</summary>
    public bool Privileged { get; init; }

    /// <summary>Kernel release (<c>kernel_vr</c>); <c>kernel_v</c> is its leading dotted-number part.
    /// Unless set, this machine's, read at the first use (a script without such a condition never reads it).</summary>
    public string KernelRelease
    {
        get => _kernelRelease ?? (s_hostKernelRelease ??= HostKernelRelease());
        init => _kernelRelease = value;
    }

    /// <summary>Architecture name as stap spells it (<c>x86_64</c>, <c>i386</c>, <c>arm64</c>, ...).</summary>
    public string Architecture { get; init; } = s_hostArchitecture ??= HostArchitecture();

    /// <summary>The <c>runtime</c> name conditions compare against.</summary>
    public string Runtime { get; init; } = "kernel";

    /// <summary>The emulated SystemTap version (<c>systemtap_v</c>).</summary>
    public string SystemTapVersion { get; init; } = "4.8";

    /// <summary><c>systemtap_privilege</c>: <c>stapusr</c>, <c>stapsys</c> or <c>stapdev</c>. Unless set,
    /// this user's, looked up at the first use (the user database is not read at every start).</summary>
    public string Privilege
    {
        get => _privilege ?? (s_hostPrivilege ??= Environment.UserName == "root" ? "stapdev" : "stapusr");
        init => _privilege = value;
    }

    /// <summary><see cref="KernelRelease"/> as set, null for this machine's: copying it keeps the copy lazy.</summary>
    internal string? KernelReleaseOrHost
    {
        get => _kernelRelease;
        init => _kernelRelease = value;
    }

    /// <summary><see cref="Privilege"/> as set, null for this user's: copying it keeps the copy lazy.</summary>
    internal string? PrivilegeOrHost
    {
        get => _privilege;
        init => _privilege = value;
    }

    private readonly string? _kernelRelease;
    private readonly string? _privilege;

    /// <summary>Kernel configuration values for <c>CONFIG_*</c> tests; missing ones are empty.</summary>
    public IReadOnlyDictionary<string, string> KernelConfig { get; init; } = new Dictionary<string, string>();

    /// <summary>Deepest statement/expression nesting accepted before a parse error (guards the stack).</summary>
    public int MaxNestingDepth { get; init; } = 1000;

    public static ParseOptions Default { get; } = new();

    /// <summary><c>kernel_v</c>: the release up to the first character that is not a digit or '.'.</summary>
    public string KernelVersion
    {
        get
        {
            int n = 0;
            while (n < KernelRelease.Length && (char.IsAsciiDigit(KernelRelease[n]) || KernelRelease[n] == '.'))
                n++;
            return KernelRelease[..n];
        }
    }

    // The host facts are read once per process: every compilation (and its tapset parse) makes new
    // options, and /proc and the user database cost more than lexing a small script.
    private static string? s_hostKernelRelease;
    private static string? s_hostArchitecture;
    private static string? s_hostPrivilege;

    private static string HostKernelRelease()
    {
        try
        {
            const string path = "/proc/sys/kernel/osrelease";
            if (File.Exists(path))
                return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return Environment.OSVersion.Version.ToString();
    }

    private static string HostArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "x86_64",
        System.Runtime.InteropServices.Architecture.X86 => "i386",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.S390x => "s390",
        System.Runtime.InteropServices.Architecture.Ppc64le => "powerpc",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv",
        System.Runtime.InteropServices.Architecture.LoongArch64 => "loongarch64",
        var other => other.ToString().ToLowerInvariant(),
    };
}
