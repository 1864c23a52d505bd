using System.Text;

namespace ProcProbe.Cli.Tests.Differential;

/// <summary>What one translator (stap or procprobe) did with one script at -p1 and -p2.
/// Text is held as Latin-1 strings, which map bytes one to one, so comparisons are byte exact.</summary>
public sealed record PassResults(
    int P1Exit, string P1Stdout, string P1StderrFirst,
    int P2Exit, string P2Stdout, string P2StderrFirst)
{
    /// <summary>The first -p2 stderr line that is an error (<c>semantic error: </c> or <c>parse error: </c>),
    /// after any warnings; empty when none or not recorded (golden files keep only the first line).</summary>
    public string P2FirstError { get; init; } = "";
}

/// <summary>The corpus under tests/corpus/differential, its golden files (X.oracle.txt, written by
/// tests/corpus/record-oracle.sh) and the conventions both share.</summary>
public static class DifferentialCorpus
{
    /// <summary>Folder of scripts that need a kernel: -p1 must match stap, but -p2 is a deliberate
    /// difference (CONTRACT §6: "a pass-2 error that says so in one line").</summary>
    public const string KernelOnlyFolder = "kernel-only";

    /// <summary>The phrase procprobe's one-line pass-2 error for kernel-only scripts must contain.</summary>
    public const string UserSpacePhrase = "procprobe runs in user space";

    public static readonly string[] Folders =
    [
        "lexer", "parser", "expressions", "statements", "probes", "globals-functions",
        "procfs", "printf", "preprocessor", "semantic", KernelOnlyFolder,
    ];

    public static readonly Encoding Bytes = Encoding.Latin1;

    public static string CorpusRoot => Path.Combine(ProcProbeBinary.RepoRoot, "tests", "corpus");

    /// <summary>Scripts where procprobe is known to disagree with stap today (tests/corpus/known-disagreements.txt:
    /// one relative path per line, '#' starts a comment). The agreement rate counts them as disagreeing.</summary>
    public static IReadOnlySet<string> KnownDisagreements { get; } = ReadList("known-disagreements.txt");

    /// <summary>Scripts whose -p2 listing (stdout) is known to differ from stap's today
    /// (tests/corpus/known-p2-listing-differences.txt, same format).</summary>
    public static IReadOnlySet<string> KnownListingDifferences { get; } = ReadList("known-p2-listing-differences.txt");

    private static HashSet<string> ReadList(string name) => File.ReadLines(Path.Combine(CorpusRoot, name))
        .Select(line => (line.IndexOf('#') is int hash and >= 0 ? line[..hash] : line).Trim())
        .Where(line => line.Length > 0)
        .ToHashSet(StringComparer.Ordinal);
    public static string Root => Path.Combine(CorpusRoot, "differential");

    /// <summary>Relative paths ("lexer/foo.stp") of every corpus script, sorted ordinally.</summary>
    public static IReadOnlyList<string> Scripts { get; } = Directory
        .EnumerateFiles(Root, "*.stp", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
        .OrderBy(f => f, StringComparer.Ordinal)
        .ToArray();

    public static bool IsKernelOnly(string rel) => rel.StartsWith(KernelOnlyFolder + "/", StringComparison.Ordinal);

    public static string GoldenPath(string rel) => Path.Combine(Root, rel[..^".stp".Length] + ".oracle.txt");

    /// <summary>Options and arguments from a first line `#! stap OPTIONS [-- ARGS]` (upstream's
    /// testsuite convention): options go before -pN, arguments after the script file.</summary>
    public static (string[] Options, string[] Args) Header(string rel)
    {
        using var reader = new StreamReader(Path.Combine(Root, rel), Bytes);
        var first = reader.ReadLine() ?? "";
        if (!first.StartsWith("#! stap", StringComparison.Ordinal)) return ([], []);
        var words = first["#! stap".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var dash = Array.IndexOf(words, "--");
        return dash < 0 ? (words, []) : (words[..dash], words[(dash + 1)..]);
    }

    /// <summary>The command line for one pass: OPTIONS -pN REL ARGS, run from <see cref="Root"/>.</summary>
    public static string[] CommandLine(string rel, int pass)
    {
        var (options, args) = Header(rel);
        return [.. options, $"-p{pass}", rel, .. args];
    }

    /// <summary>Runs a stap-compatible translator on one script at -p1 and -p2.</summary>
    public static async Task<PassResults> RunAsync(string program, string rel, TimeSpan timeout)
    {
        var env = new Dictionary<string, string?> { ["LC_ALL"] = "C" };
        var p1 = await ProcProbeBinary.RunProcessAsync(program, CommandLine(rel, 1), env: env, timeout: timeout, workingDirectory: Root);
        var p2 = await ProcProbeBinary.RunProcessAsync(program, CommandLine(rel, 2), env: env, timeout: timeout, workingDirectory: Root);
        var p2Stderr = Bytes.GetString(p2.Stderr);
        return new PassResults(
            p1.ExitCode, Bytes.GetString(p1.Stdout), FirstLine(Bytes.GetString(p1.Stderr)),
            p2.ExitCode, Bytes.GetString(p2.Stdout), FirstLine(p2Stderr))
        {
            P2FirstError = p2Stderr.Split('\n').FirstOrDefault(
                l => l.StartsWith("semantic error: ", StringComparison.Ordinal) || l.StartsWith("parse error: ", StringComparison.Ordinal)) ?? "",
        };
    }

    public static string FirstLine(string text)
    {
        var nl = text.IndexOf('\n');
        return nl < 0 ? text : text[..nl];
    }

    /// <summary>The oracle: $STAP_ORACLE, else ../shared/tools/stap-oracle from the repository root.</summary>
    public static string OraclePath()
    {
        var fromEnv = Environment.GetEnvironmentVariable("STAP_ORACLE");
        var path = !string.IsNullOrEmpty(fromEnv)
            ? fromEnv
            : Path.GetFullPath(Path.Combine(ProcProbeBinary.RepoRoot, "..", "shared", "tools", "stap-oracle"));
        if (!File.Exists(path))
            throw new FileNotFoundException($"stap oracle not found at {path} (set STAP_ORACLE)");
        return path;
    }

    /// <summary>Replaces machine-dependent text in oracle output exactly as record-oracle.sh does.</summary>
    public static string Scrub(string text)
    {
        var fake = Environment.GetEnvironmentVariable("STAP_FAKE_KERNEL");
        if (string.IsNullOrEmpty(fake)) fake = "/tmp/stap-fake-kernel";
        text = text.Replace(fake, "@FAKE_KERNEL@", StringComparison.Ordinal);
        var release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        return release.Length == 0 ? text : text.Replace(release, "@KERNEL_RELEASE@", StringComparison.Ordinal);
    }

    public static PassResults ScrubAll(PassResults r) => r with
    {
        P1Stdout = Scrub(r.P1Stdout), P1StderrFirst = Scrub(r.P1StderrFirst),
        P2Stdout = Scrub(r.P2Stdout), P2StderrFirst = Scrub(r.P2StderrFirst),
    };

    /// <summary>Parses a golden file. Format (see record-oracle.sh): header lines `key: value`, then
    /// `p1.stdout: N bytes` followed by exactly N bytes, then the same for p2.stdout.</summary>
    public static PassResults ReadGolden(string rel)
    {
        var path = GoldenPath(rel);
        if (!File.Exists(path))
            throw new FileNotFoundException($"no golden file for {rel}: run tests/corpus/record-oracle.sh {rel}", path);
        var text = Bytes.GetString(File.ReadAllBytes(path));
        var pos = 0;
        var fields = new Dictionary<string, string>();
        string ReadLine()
        {
            var nl = text.IndexOf('\n', pos);
            if (nl < 0) throw new FormatException($"{path}: truncated at byte {pos}");
            var line = text[pos..nl];
            pos = nl + 1;
            return line;
        }
        string ReadBlock(string key)
        {
            var line = ReadLine();
            var prefix = key + ": ";
            if (!line.StartsWith(prefix, StringComparison.Ordinal) || !line.EndsWith(" bytes", StringComparison.Ordinal))
                throw new FormatException($"{path}: expected '{prefix}N bytes', found '{line}'");
            var n = int.Parse(line[prefix.Length..^" bytes".Length].Trim());
            if (pos + n > text.Length) throw new FormatException($"{path}: {key} shorter than {n} bytes");
            var block = text.Substring(pos, n);
            pos += n;
            return block;
        }
        while (true)
        {
            var save = pos;
            var line = ReadLine();
            if (line.StartsWith("p1.stdout: ", StringComparison.Ordinal)) { pos = save; break; }
            if (line.StartsWith('#')) continue;
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0) throw new FormatException($"{path}: bad header line '{line}'");
            fields[line[..colon]] = line[(colon + 2)..];
        }
        var p1Out = ReadBlock("p1.stdout");
        var p2Out = ReadBlock("p2.stdout");
        if (pos != text.Length) throw new FormatException($"{path}: {text.Length - pos} unexpected trailing bytes");
        string Field(string k) => fields.TryGetValue(k, out var v) ? v : throw new FormatException($"{path}: missing '{k}'");
        return new PassResults(int.Parse(Field("p1.exit")), p1Out, Field("p1.stderr"),
            int.Parse(Field("p2.exit")), p2Out, Field("p2.stderr"));
    }
}
