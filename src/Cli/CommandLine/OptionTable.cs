namespace ProcProbe.Cli.CommandLine;

/// <summary>
/// One command-line option. <see cref="Key"/> is how the parser dispatches on it (<c>-e</c>,
/// <c>--root</c>); an option with both forms is keyed by its short form. <see cref="Value"/> is the
/// name of its argument, or null for a flag. A non-null <see cref="Refusal"/> marks a stap option that
/// only means something for a kernel module: the parser refuses it with that reason.
/// </summary>
internal sealed record OptionSpec(char Short, string? Long, string? Value, string Help, string? Refusal = null)
{
    public string Key => Short != '\0' ? "-" + Short : Long!;

    public bool IsAccepted => Refusal is null;

    /// <summary>How --help, the man page and the README name it: <c>-h --help</c>, <c>-e SCRIPT</c>, <c>--vp DIGITS</c>.</summary>
    public string Label
    {
        get
        {
            string name = Short != '\0' ? (Long is null ? "-" + Short : $"-{Short} {Long}") : Long!;
            return Value is null ? name : $"{name} {Value}";
        }
    }
}

/// <summary>
/// Every option procprobe knows, in --help order. The parser looks options up here, and --help, the
/// tests of the man page and the README enumerate this table, so an option cannot exist in one place only.
/// </summary>
internal static class OptionTable
{
    public static readonly IReadOnlyList<OptionSpec> All =
    [
        new('h', "--help", null, "show this help"),
        new('V', "--version", null, "show the version"),
        new('v', null, null, "add verbosity to all passes (stap's Pass N lines on stderr)"),
        new('\0', "--vp", "DIGITS", "add per-pass verbosity, one digit per pass (e.g. 05)"),
        new('p', null, "NUM", "stop after pass NUM: 1 print the parse tree, 2 the\nelaborated script, 5 run (default)"),
        new('e', null, "SCRIPT", "run the script given on the command line"),
        new('m', null, "NAME", "module name: the files are ROOT/NAME/PATH"),
        new('o', null, "FILE", "send script output to FILE instead of stdout"),
        new('c', null, "CMD", "run CMD (with sh -c) once the files are ready, with\nPROCPROBE_DIR and SYSTEMTAP_MODULE set; exit when it exits"),
        new('x', null, "PID", "set target() to PID"),
        new('D', null, "NM=VAL", "set a limit: MAXSTRINGLEN STP_PROCFS_BUFSIZE MAXERRORS\nMAXACTION MAXMAPENTRIES MAXNESTING MAXSKIPPED"),
        new('T', null, "SECONDS", "stop after SECONDS"),
        new('u', null, null, "unoptimized: keep unused code and empty probes (and their files)"),
        new('w', null, null, "suppress warnings"),
        new('W', null, null, "turn warnings into errors"),
        new('g', null, null, "guru mode (embedded C parses, but cannot run)"),
        new('l', null, "PROBE", "list the probe points matching PROBE"),
        new('L', null, "PROBE", "list the probe points matching PROBE and their variables"),
        new('\0', "--dump-probe-types", null, "list the supported probe point types"),
        new('\0', "--dump-probe-aliases", null, "list the supported probe aliases"),
        new('\0', "--suppress-handler-errors", null, "catch every run-time error, skipping the handler quietly"),
        new('\0', "--root", "DIR", "create module directories under DIR (default $PROCPROBE_ROOT,\n/run/procprobe for root, else $XDG_RUNTIME_DIR/procprobe\nor /tmp/procprobe-UID)"),
        new('\0', "--allow-other", null, "let other users reach the files (their modes still apply;\nneeds user_allow_other in /etc/fuse.conf when not root)"),

        new('k', null, null, "", "keeps the kernel module build directory"),
        new('r', null, "KERNEL", "", "selects a kernel release to build for"),
        new('B', null, "NM=VAL", "", "passes options to the kernel build"),
        new('R', null, "DIR", "", "selects the kernel runtime directory"),
        new('a', null, "ARCH", "", "selects a kernel architecture"),
        new('b', null, null, "", "selects the kernel transport's bulk mode"),
        new('s', null, "NUM", "", "sizes the kernel transport buffers"),
        new('S', null, "SIZE", "", "sizes the kernel transport output files"),
        new('F', null, null, "", "detaches a loaded kernel module"),
        new('d', null, "OBJECT", "", "adds kernel symbol tables"),
        new('P', null, null, "", "enables kernel-side prologue searching"),
        new('\0', "--runtime", "MODE", "", "chooses between stap's kernel, dyninst and bpf back ends"),
        new('\0', "--bpf", null, "", "selects stap's BPF back end"),
        new('\0', "--dyninst", null, "", "selects stap's dyninst back end"),
        new('\0', "--remote", "HOST", "", "runs the kernel module on another host"),
        new('\0', "--use-server", null, "", "compiles the kernel module on a compile server"),
        new('\0', "--disable-cache", null, "", "controls the kernel module cache"),
        new('\0', "--poison-cache", null, "", "controls the kernel module cache"),
        new('\0', "--privilege", "LEVEL", "", "selects kernel module signing privileges"),
        new('\0', "--unprivileged", null, "", "selects kernel module signing privileges"),
        new('\0', "--sign-module", null, "", "signs kernel modules"),
        new('\0', "--kmap", null, "", "names the kernel symbol map"),
        new('\0', "--ldd", null, "", "adds shared libraries for user-space unwinding in the kernel"),
        new('\0', "--all-modules", null, "", "adds unwind data for every kernel module"),
    ];

    public static IEnumerable<OptionSpec> Accepted => All.Where(o => o.IsAccepted);

    public static IEnumerable<OptionSpec> Refused => All.Where(o => !o.IsAccepted);

    public static OptionSpec? FindShort(char c) => All.FirstOrDefault(o => o.Short == c);

    public static OptionSpec? FindLong(string name) => All.FirstOrDefault(o => o.Long == name);
}
