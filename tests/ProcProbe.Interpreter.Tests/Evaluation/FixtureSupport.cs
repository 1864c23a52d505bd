using System.Runtime.CompilerServices;
using System.Text;

namespace ProcProbe.Interpreter.Tests.Evaluation;

/// <summary>
/// Golden-file helpers: fixtures live in Fixtures/NNN-stage/; a mismatch writes NAME.received.txt next
/// to the verified file and fails; PROCPROBE_ACCEPT=1 writes the verified file instead.
/// </summary>
internal static class FixtureSupport
{
    public static string FixtureRoot([CallerFilePath] string path = "")
        => Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(path))!, "Fixtures");

    public static IEnumerable<object[]> Scripts(string stage)
    {
        string dir = Path.Combine(FixtureRoot(), stage);
        foreach (var file in Directory.GetFiles(dir, "*.stp").OrderBy(f => f, StringComparer.Ordinal))
            yield return [Path.GetFileNameWithoutExtension(file)];
    }

    public static void Verify(string stage, string name, string suffix, string actual)
    {
        string dir = Path.Combine(FixtureRoot(), stage);
        string verified = Path.Combine(dir, $"{name}.{suffix}.verified.txt");
        string received = Path.Combine(dir, $"{name}.{suffix}.received.txt");
        if (Environment.GetEnvironmentVariable("PROCPROBE_ACCEPT") == "1")
        {
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }
        string expected = File.Exists(verified) ? File.ReadAllText(verified) : "";
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail($"{name}.{suffix}: output differs from {verified} (see {received})");
    }

    /// <summary>Options from a first line <c>#! stap ARGS</c> (-u -w -W -g -DNAME=VALUE, --suppress-handler-errors), as upstream's suite uses.</summary>
    public static ScriptOptions ParseOptions(string script, out string[] arguments)
    {
        var options = new ScriptOptions();
        var args = new List<string>();
        string first = script.Split('\n')[0];
        if (first.StartsWith("#! stap", StringComparison.Ordinal))
        {
            foreach (var word in first[7..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.StartsWith("-D", StringComparison.Ordinal))
                {
                    var kv = word[2..].Split('=');
                    int value = kv.Length > 1 ? int.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
                    switch (kv[0])
                    {
                        case "MAXSTRINGLEN": options.MaxStringLen = value; break;
                        case "STP_PROCFS_BUFSIZE": options.ProcfsBufSize = value; break;
                        case "MAXERRORS": options.MaxErrors = value; break;
                        case "MAXACTION": options.MaxAction = value; break;
                        case "MAXMAPENTRIES": options.MaxMapEntries = value; break;
                        case "MAXNESTING": options.MaxNesting = value; break;
                        case "MAXSKIPPED": options.MaxSkipped = value; break;
                    }
                    continue;
                }
                if (word == "--suppress-handler-errors")
                {
                    options.SuppressHandlerErrors = true;
                    continue;
                }
                if (word.StartsWith('-'))
                {
                    foreach (char c in word[1..])
                    {
                        switch (c)
                        {
                            case 'u': options.Unoptimized = true; break;
                            case 'w': options.SuppressWarnings = true; break;
                            case 'W': options.WarningsAsErrors = true; break;
                            case 'g': options.Guru = true; break;
                        }
                    }
                    continue;
                }
                args.Add(word);
            }
        }
        arguments = args.ToArray();
        options.Arguments = arguments;
        return options;
    }

    /// <summary>Bytes as text with C escapes for anything unprintable, so transcripts stay one line per action.</summary>
    public static string Escape(string s)
    {
        var sb = new StringBuilder();
        foreach (char c in s)
        {
            switch (c)
            {
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                        sb.Append($"\\{(int)c:o3}");
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    public static string Unescape(string s)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i + 1 == s.Length)
            {
                sb.Append(s[i]);
                continue;
            }
            char c = s[++i];
            sb.Append(c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => c });
        }
        return sb.ToString();
    }
}
