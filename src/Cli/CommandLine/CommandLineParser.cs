using System.Text.RegularExpressions;

namespace ProcProbe.Cli.CommandLine;

/// <summary>
/// stap's command line, parsed the way getopt_long does it: short options may be clustered
/// (<c>-vv</c>, <c>-p1</c>, <c>-mNAME</c>), options may follow the script file, and <c>--</c>
/// ends the options. Values stap itself rejects get stap's message.
/// </summary>
internal static partial class CommandLineParser
{
    /// <summary>stap's module names are 55 characters at most (MODULE_NAME_LEN - 1 on 64-bit).</summary>
    public const int MaxModuleNameLength = 55;

    // Options whose only meaning is about a kernel module or a kernel runtime.
    private static readonly Dictionary<string, string> s_kernelOnly = new()
    {
        ["-k"] = "keeps the kernel module build directory",
        ["-r"] = "selects a kernel release to build for",
        ["-B"] = "passes options to the kernel build",
        ["-R"] = "selects the kernel runtime directory",
        ["-a"] = "selects a kernel architecture",
        ["-b"] = "selects the kernel transport's bulk mode",
        ["-s"] = "sizes the kernel transport buffers",
        ["-S"] = "sizes the kernel transport output files",
        ["-F"] = "detaches a loaded kernel module",
        ["-d"] = "adds kernel symbol tables",
        ["-P"] = "enables kernel-side prologue searching",
        ["--runtime"] = "chooses between stap's kernel, dyninst and bpf back ends",
        ["--bpf"] = "selects stap's BPF back end",
        ["--dyninst"] = "selects stap's dyninst back end",
        ["--remote"] = "runs the kernel module on another host",
        ["--use-server"] = "compiles the kernel module on a compile server",
        ["--disable-cache"] = "controls the kernel module cache",
        ["--poison-cache"] = "controls the kernel module cache",
        ["--privilege"] = "selects kernel module signing privileges",
        ["--unprivileged"] = "selects kernel module signing privileges",
        ["--sign-module"] = "signs kernel modules",
        ["--kmap"] = "names the kernel symbol map",
        ["--ldd"] = "adds shared libraries for user-space unwinding in the kernel",
        ["--all-modules"] = "adds unwind data for every kernel module",
    };

    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        string? scriptText = null, outputFile = null, command = null, moduleName = null, root = null, listPattern = null;
        int? targetPid = null, timeout = null;
        int lastPass = 5;
        int[] verbosity = [0, 0, 0, 0, 0];
        bool unoptimized = false, noWarnings = false, warningsAsErrors = false, guru = false, suppressHandlerErrors = false;
        bool listVars = false, dumpTypes = false, allowOther = false, help = false, version = false;
        var defines = new List<KeyValuePair<string, string?>>();
        var notices = new List<string>();
        var positional = new List<string>();

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                for (i++; i < args.Count; i++)
                {
                    positional.Add(args[i]);
                }
                break;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                int eq = arg.IndexOf('=');
                string name = eq < 0 ? arg : arg[..eq];
                string? inlineValue = eq < 0 ? null : arg[(eq + 1)..];
                string LongValue(ref int i)
                {
                    if (inlineValue is not null)
                    {
                        return inlineValue;
                    }
                    if (i + 1 >= args.Count)
                    {
                        throw new UsageException($"option '{name}' requires an argument");
                    }
                    return args[++i];
                }

                switch (name)
                {
                    case "--help": help = true; break;
                    case "--version": version = true; break;
                    case "--vp": ParseVp(LongValue(ref i), verbosity); break;
                    case "--root": root = LongValue(ref i); break;
                    case "--allow-other": allowOther = true; break;
                    case "--suppress-handler-errors": suppressHandlerErrors = true; break;
                    case "--dump-probe-types": dumpTypes = true; break;
                    default:
                        if (s_kernelOnly.TryGetValue(name, out string? why))
                        {
                            throw new UsageException($"option '{name}' {why}; procprobe runs in user space and has no use for it");
                        }
                        throw new UsageException($"unrecognized option '{arg}'");
                }
                continue;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                positional.Add(arg);
                continue;
            }

            // A cluster of short options: "-vvp1" is -v -v -p 1.
            for (int j = 1; j < arg.Length; j++)
            {
                char c = arg[j];
                string ShortValue(ref int i, ref int j)
                {
                    string value;
                    if (j + 1 < arg.Length)
                    {
                        value = arg[(j + 1)..];
                    }
                    else if (i + 1 < args.Count)
                    {
                        value = args[++i];
                    }
                    else
                    {
                        throw new UsageException($"option requires an argument -- '{c}'");
                    }
                    j = arg.Length;
                    return value;
                }

                switch (c)
                {
                    case 'h': help = true; break;
                    case 'V': version = true; break;
                    case 'v': for (int p = 0; p < verbosity.Length; p++) { verbosity[p]++; } break;
                    case 'u': unoptimized = true; break;
                    case 'w': noWarnings = true; break;
                    case 'W': warningsAsErrors = true; break;
                    case 'g': guru = true; break;
                    case 'e':
                        if (scriptText is not null)
                        {
                            throw new UsageException("Only one script can be given on the command line.", 1);
                        }
                        scriptText = ShortValue(ref i, ref j);
                        break;
                    case 'm': moduleName = ValidateModuleName(ShortValue(ref i, ref j), notices); break;
                    case 'o': outputFile = ShortValue(ref i, ref j); break;
                    case 'c': command = ShortValue(ref i, ref j); break;
                    case 'x':
                        {
                            string v = ShortValue(ref i, ref j);
                            if (!int.TryParse(v, System.Globalization.NumberStyles.None, null, out int pid))
                            {
                                throw new UsageException("Invalid target process ID number.", 1);
                            }
                            targetPid = pid;
                            break;
                        }
                    case 'p':
                        {
                            string v = ShortValue(ref i, ref j);
                            if (!int.TryParse(v, System.Globalization.NumberStyles.None, null, out int pass) || pass < 1 || pass > 5)
                            {
                                throw new UsageException("Invalid pass number (should be 1-5).", 1);
                            }
                            if (pass is 3 or 4)
                            {
                                throw new UsageException($"pass {pass} builds a kernel module; procprobe runs in user space, so -p takes 1, 2 or 5", 1);
                            }
                            lastPass = pass;
                            break;
                        }
                    case 'D':
                        {
                            string v = ShortValue(ref i, ref j);
                            if (!DefinePattern().IsMatch(v))
                            {
                                throw new UsageException($"ERROR: Safety pattern mismatch for -D parameter ('{v}' vs. '^[a-z_][a-z_0-9]*(=-?[a-z_0-9]+)?$') rc=1", 1);
                            }
                            int eq = v.IndexOf('=');
                            defines.Add(eq < 0 ? new(v, null) : new(v[..eq], v[(eq + 1)..]));
                            break;
                        }
                    case 'l':
                    case 'L':
                        listPattern = ShortValue(ref i, ref j);
                        listVars = c == 'L';
                        break;
                    case 'T':
                        {
                            string v = ShortValue(ref i, ref j);
                            if (!int.TryParse(v, System.Globalization.NumberStyles.None, null, out int seconds) || seconds <= 0)
                            {
                                throw new UsageException("Invalid timeout interval.", 1);
                            }
                            timeout = seconds;
                            break;
                        }
                    default:
                        {
                            string key = "-" + c;
                            if (s_kernelOnly.TryGetValue(key, out string? why))
                            {
                                throw new UsageException($"option '{key}' {why}; procprobe runs in user space and has no use for it");
                            }
                            throw new UsageException($"invalid option -- '{c}'");
                        }
                }
            }
        }

        string? scriptFile = null;
        IReadOnlyList<string> scriptArgs = positional;
        if (!help && !version)
        {
            if (listPattern is not null || dumpTypes)
            {
                if (scriptText is not null || positional.Count > 0)
                {
                    throw new UsageException("Cannot specify a script with -l/-L/--dump-* switches.");
                }
            }
            else if (scriptText is null)
            {
                if (positional.Count == 0)
                {
                    throw new UsageException("A script must be specified.");
                }
                scriptFile = positional[0];
                scriptArgs = positional.GetRange(1, positional.Count - 1);
            }
        }

        return new CliOptions
        {
            ScriptText = scriptText,
            ScriptFile = scriptFile,
            Arguments = scriptArgs,
            ModuleName = moduleName,
            OutputFile = outputFile,
            Command = command,
            TargetPid = targetPid,
            LastPass = lastPass,
            PassVerbosity = verbosity,
            Defines = defines,
            Unoptimized = unoptimized,
            SuppressWarnings = noWarnings,
            WarningsAsErrors = warningsAsErrors,
            Guru = guru,
            SuppressHandlerErrors = suppressHandlerErrors,
            ListPattern = listPattern,
            ListWithVariables = listVars,
            DumpProbeTypes = dumpTypes,
            TimeoutSeconds = timeout,
            Root = root,
            AllowOther = allowOther,
            ShowHelp = help,
            ShowVersion = version,
            Notices = notices,
        };
    }

    private static void ParseVp(string value, int[] verbosity)
    {
        if (value.Length is < 1 or > 5 || !value.All(char.IsAsciiDigit))
        {
            throw new UsageException("Invalid --vp argument: it takes 1 to 5 digits.", 1);
        }
        for (int p = 0; p < value.Length; p++)
        {
            verbosity[p] += value[p] - '0';
        }
    }

    /// <summary>stap's -m rules: strip .ko/.so, refuse empty or unsafe names, cut to 55 characters.</summary>
    internal static string ValidateModuleName(string name, List<string> notices)
    {
        bool truncated = false;
        if (name.EndsWith(".ko", StringComparison.Ordinal) || name.EndsWith(".so", StringComparison.Ordinal))
        {
            name = name[..^3];
            truncated = true;
        }
        if (name.Length == 0)
        {
            throw new UsageException("Module name cannot be empty.", 1);
        }
        if (!ModuleNamePattern().IsMatch(name))
        {
            throw new UsageException($"ERROR: Safety pattern mismatch for -m parameter ('{name}' vs. '^[a-z0-9_]+$') rc=1", 1);
        }
        if (name.Length > MaxModuleNameLength)
        {
            name = name[..MaxModuleNameLength];
            truncated = true;
        }
        if (truncated)
        {
            notices.Add($"Truncating module name to '{name}'");
        }
        return name;
    }

    [GeneratedRegex("^[a-z0-9_]+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ModuleNamePattern();

    [GeneratedRegex("^[a-z_][a-z_0-9]*(=-?[a-z_0-9]+)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DefinePattern();
}
