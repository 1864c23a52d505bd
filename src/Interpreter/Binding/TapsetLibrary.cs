using ProcProbe.Interpreter.Syntax;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter.Binding;

/// <summary>
/// The SystemTap tapset probe aliases that need no kernel: they expand to begin or procfs probes only
/// (language.md §3.10, procfs-semantics.md §1.4 and §7 C50–C53). They are procprobe's own definitions
/// with the meaning of the tapset's, and carry the tapset's file names because stap prints those
/// (in -p2 chains, helper names and diagnostics). Aliases that also pull in kernel code, functions
/// or further probes of their tapset (json_data's metadata.json, livepatch) are left out.
/// </summary>
internal static class TapsetLibrary
{
    private const string TapsetDirectory = "/usr/share/systemtap/tapset/";

    /// <summary>(file name, source) of each built-in tapset file.</summary>
    private static readonly (string File, string Source)[] s_files =
    [
        // null: the NULL every script may use
        (TapsetDirectory + "null.stp", """
            global NULL = 0
            """),
        // init: the earliest possible begin probe
        (TapsetDirectory + "init.stp", """
            probe init = begin(-9223372036854775808) {}
            """),
        // oneshot: a begin probe that ends the session once its body has run
        (TapsetDirectory + "oneshot.stp", """
            probe oneshot += begin { exit() }
            """),
        // input.char gets every byte written to __stdin; input.line collects them up to a newline
        (TapsetDirectory + "input.stp", """
            private global _line = ""
            probe input.char = procfs("__stdin").write { char = $value }
            probe input.line = procfs("__stdin").write {
                _line .= $value
                if ($value != "\n")
                    next
                line = _line
                _line = ""
            }
            """),
        // prometheus: the exporter's file, sized for a full metrics page
        (TapsetDirectory + "prometheus.stp", """
            probe prometheus = procfs("__prometheus").read.maxsize(0x10000) {}
            """),
    ];

    /// <summary>The files parsed for the last options seen. Syntax trees are immutable, so compilations with
    /// the same machine facts share them instead of parsing the tapset again each time. One reference,
    /// so that a thread never sees the options of one entry with the files of another.</summary>
    private static CacheEntry? s_cache;

    private sealed record CacheEntry(ParseOptions Options, List<ScriptFile> Files);

    /// <summary>The built-in tapset files parsed with the script's parse options (same conditionals).</summary>
    public static List<ScriptFile> Load(ParseOptions options)
    {
        if (s_cache is { } cached && SameConditions(cached.Options, options))
            return new List<ScriptFile>(cached.Files);
        var (tapsetOptions, files) = Parse(options);
        s_cache = new CacheEntry(tapsetOptions, files);
        return new List<ScriptFile>(files);
    }

    /// <summary>True when every fact a <c>%( %)</c> condition of a tapset file can test is the same.</summary>
    private static bool SameConditions(ParseOptions a, ParseOptions b)
    {
        // the machine's facts compare as "unset" (null), so that the comparison does not read them
        if (a.KernelReleaseOrHost != b.KernelReleaseOrHost || a.Architecture != b.Architecture || a.Runtime != b.Runtime
            || a.SystemTapVersion != b.SystemTapVersion || a.PrivilegeOrHost != b.PrivilegeOrHost
            || a.KernelConfig.Count != b.KernelConfig.Count)
            return false;
        foreach (var (key, value) in a.KernelConfig)
        {
            if (!b.KernelConfig.TryGetValue(key, out var other) || other != value)
                return false;
        }
        return true;
    }

    private static (ParseOptions TapsetOptions, List<ScriptFile> Files) Parse(ParseOptions options)
    {
        var files = new List<ScriptFile>(s_files.Length);
        var tapsetOptions = new ParseOptions
        {
            Privileged = true,
            KernelReleaseOrHost = options.KernelReleaseOrHost,
            Architecture = options.Architecture,
            Runtime = options.Runtime,
            SystemTapVersion = options.SystemTapVersion,
            PrivilegeOrHost = options.PrivilegeOrHost,
            // a copy: the cache compares against it later
            KernelConfig = new Dictionary<string, string>(options.KernelConfig),
        };
        foreach (var (file, source) in s_files)
        {
            var tree = SyntaxTree.Parse(SourceText.From(source, file), tapsetOptions);
            files.Add(tree.Root);
        }
        return (tapsetOptions, files);
    }
}
