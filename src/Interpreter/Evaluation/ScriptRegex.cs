using System.Text;
using System.Text.RegularExpressions;

namespace ProcProbe.Interpreter.Evaluation;

/// <summary>
/// A compiled <c>=~</c> pattern. stap uses POSIX extended regular expressions; .NET's engine accepts the
/// same syntax for the constructs scripts use (classes, anchors, alternation, repetition, groups). Subject
/// bytes map to chars one to one (Latin-1), into a reusable buffer, so matching does not allocate.
/// </summary>
internal sealed class ScriptRegex
{
    private readonly Regex _regex;

    private ScriptRegex(Regex regex) => _regex = regex;

    public static ScriptRegex? TryCreate(byte[] pattern, out string? error)
    {
        error = null;
        try
        {
            string text = Encoding.Latin1.GetString(pattern);
            // POSIX bracket classes are not .NET syntax; translate the common ones.
            text = text.Replace("[:alpha:]", "a-zA-Z").Replace("[:digit:]", "0-9").Replace("[:alnum:]", "a-zA-Z0-9")
                .Replace("[:space:]", @"\s").Replace("[:upper:]", "A-Z").Replace("[:lower:]", "a-z")
                .Replace("[:xdigit:]", "0-9A-Fa-f").Replace("[:punct:]", @"!-/:-@\[-`{-~").Replace("[:blank:]", @" \t");
            return new ScriptRegex(new Regex(text, RegexOptions.CultureInvariant));
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return null;
        }
    }

    public bool IsMatch(ReadOnlySpan<char> subject) => _regex.IsMatch(subject);

    /// <summary>Match with groups, for <c>matched()</c>; allocates, so only used when the script asks for groups.</summary>
    public Match Match(string subject) => _regex.Match(subject);
}
