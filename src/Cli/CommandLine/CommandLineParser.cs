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

    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        var state = new ParseState();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                for (i++; i < args.Count; i++)
                {
                    state.Positional.Add(args[i]);
                }
                break;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                int eq = arg.IndexOf('=');
                string name = eq < 0 ? arg : arg[..eq];
                OptionSpec spec = OptionTable.FindLong(name) ?? throw new UsageException($"unrecognized option '{arg}'");
                Refuse(spec, name);
                string? value = null;
                if (spec.Value is not null)
                {
                    if (eq >= 0)
                    {
                        value = arg[(eq + 1)..];
                    }
                    else if (i + 1 < args.Count)
                    {
                        value = args[++i];
                    }
                    else
                    {
                        throw new UsageException($"option '{name}' requires an argument");
                    }
                }
                else if (eq >= 0)
                {
                    throw new UsageException($"option '{name}' doesn't allow an argument");
                }
                Apply(state, spec, value);
                continue;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                state.Positional.Add(arg);
                continue;
            }

            // A cluster of short options, as getopt reads it: "-vvp1" is -v -v -p 1, "-mNAME" is -m NAME.
            for (int j = 1; j < arg.Length; j++)
            {
                char c = arg[j];
                OptionSpec spec = OptionTable.FindShort(c) ?? throw new UsageException($"invalid option -- '{c}'");
                Refuse(spec, "-" + c);
                string? value = null;
                if (spec.Value is not null)
                {
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
                }
                Apply(state, spec, value);
            }
        }
        return state.Finish();
    }

    private static void Refuse(OptionSpec spec, string given)
    {
        if (spec.Refusal is not null)
        {
            throw new UsageException($"option '{given}' {spec.Refusal}; procprobe runs in user space and has no use for it", pointToHelp: false);
        }
    }

    /// <summary>What each accepted option of <see cref="OptionTable"/> does; <paramref name="value"/> is non-null exactly when the table says it takes one.</summary>
    private static void Apply(ParseState s, OptionSpec spec, string? value)
    {
        switch (spec.Key)
        {
            case "-h": s.Help = true; break;
            case "-V": s.Version = true; break;
            case "-v":
                for (int p = 0; p < s.Verbosity.Length; p++)
                {
                    s.Verbosity[p]++;
                }
                break;
            case "--vp": ParseVp(value!, s.Verbosity); break;
            case "-u": s.Unoptimized = true; break;
            case "-w": s.NoWarnings = true; break;
            case "-W": s.WarningsAsErrors = true; break;
            case "-g": s.Guru = true; break;
            case "-e":
                if (s.ScriptText is not null)
                {
                    throw new UsageException("Only one script can be given on the command line.", 1);
                }
                s.ScriptText = value;
                break;
            case "-m": s.ModuleName = ValidateModuleName(value!, s.Notices); break;
            case "-o": s.OutputFile = value; break;
            case "-c": s.Command = value; break;
            case "-x":
                if (!int.TryParse(value, System.Globalization.NumberStyles.None, null, out int pid))
                {
                    throw new UsageException("Invalid target process ID number.", 1);
                }
                s.TargetPid = pid;
                break;
            case "-p":
                if (!int.TryParse(value, System.Globalization.NumberStyles.None, null, out int pass) || pass < 1 || pass > 5)
                {
                    throw new UsageException("Invalid pass number (should be 1-5).", 1);
                }
                if (pass is 3 or 4)
                {
                    throw new UsageException($"pass {pass} builds a kernel module; procprobe runs in user space, so -p takes 1, 2 or 5", 1);
                }
                s.LastPass = pass;
                s.PassGiven = true;
                break;
            case "-D":
                {
                    if (!DefinePattern().IsMatch(value!))
                    {
                        throw new UsageException($"ERROR: Safety pattern mismatch for -D parameter ('{value}' vs. '^[a-z_][a-z_0-9]*(=-?[a-z_0-9]+)?$') rc=1", 1);
                    }
                    int eq = value!.IndexOf('=');
                    s.Defines.Add(eq < 0 ? new(value, null) : new(value[..eq], value[(eq + 1)..]));
                    break;
                }
            case "-l":
            case "-L":
                s.SetListing(spec.Key);
                s.ListPattern = value;
                s.ListVars = spec.Key == "-L";
                break;
            case "--dump-probe-types": s.SetListing(spec.Key); s.DumpTypes = true; break;
            case "--dump-probe-aliases": s.SetListing(spec.Key); s.DumpAliases = true; break;
            case "-T":
                if (!int.TryParse(value, System.Globalization.NumberStyles.None, null, out int seconds) || seconds <= 0)
                {
                    throw new UsageException("Invalid timeout interval.", 1);
                }
                s.Timeout = seconds;
                break;
            case "--suppress-handler-errors": s.SuppressHandlerErrors = true; break;
            case "--root": s.Root = value; break;
            case "--allow-other": s.AllowOther = true; break;
            default:
                throw new InvalidOperationException($"option {spec.Key} is in the option table but has no meaning in the parser");
        }
    }

    /// <summary>The parse so far; <see cref="Finish"/> checks the combinations and freezes it.</summary>
    private sealed class ParseState
    {
        public string? ScriptText, OutputFile, Command, ModuleName, Root, ListPattern, ListingSwitch;
        public int? TargetPid, Timeout;
        public int LastPass = 5;
        public bool PassGiven;
        public readonly int[] Verbosity = [0, 0, 0, 0, 0];
        public bool Unoptimized, NoWarnings, WarningsAsErrors, Guru, SuppressHandlerErrors;
        public bool ListVars, DumpTypes, DumpAliases, AllowOther, Help, Version;
        public readonly List<KeyValuePair<string, string?>> Defines = [];
        public readonly List<string> Notices = [];
        public readonly List<string> Positional = [];

        public void SetListing(string option)
        {
            if (ListingSwitch is not null && ListingSwitch != option)
            {
                throw new UsageException("only one of the -l/-L/--dump-* switches may be specified");
            }
            ListingSwitch = option;
        }

        public CliOptions Finish()
        {
            string? scriptFile = null;
            IReadOnlyList<string> scriptArgs = Positional;
            if (!Help && !Version)
            {
                if (ListingSwitch is not null)
                {
                    // As in stap, words after -l PATTERN are script arguments ($1 may appear in the pattern).
                    if (ScriptText is not null)
                    {
                        throw new UsageException("Cannot specify a script with -l/-L/--dump-* switches.");
                    }
                    if (PassGiven)
                    {
                        throw new UsageException("Cannot specify -p with -l/-L/--dump-* switches.");
                    }
                }
                else if (ScriptText is null)
                {
                    if (Positional.Count == 0)
                    {
                        throw new UsageException("A script must be specified.");
                    }
                    scriptFile = Positional[0];
                    scriptArgs = Positional.GetRange(1, Positional.Count - 1);
                }
            }

            return new CliOptions
            {
                ScriptText = ScriptText,
                ScriptFile = scriptFile,
                Arguments = scriptArgs,
                ModuleName = ModuleName,
                OutputFile = OutputFile,
                Command = Command,
                TargetPid = TargetPid,
                LastPass = LastPass,
                PassVerbosity = Verbosity,
                Defines = Defines,
                Unoptimized = Unoptimized,
                SuppressWarnings = NoWarnings,
                WarningsAsErrors = WarningsAsErrors,
                Guru = Guru,
                SuppressHandlerErrors = SuppressHandlerErrors,
                ListPattern = ListPattern,
                ListWithVariables = ListVars,
                DumpProbeTypes = DumpTypes,
                DumpProbeAliases = DumpAliases,
                TimeoutSeconds = Timeout,
                Root = Root,
                AllowOther = AllowOther,
                ShowHelp = Help,
                ShowVersion = Version,
                Notices = Notices,
            };
        }
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
