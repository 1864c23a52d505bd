namespace ProcProbe.Interpreter.Syntax;

/// <summary>
/// Internal unwinding for a parse error. stap abandons the whole declaration on an error and resumes
/// at the next top-level keyword; unwinding to that point is the faithful way to get the same error
/// list. It never escapes <see cref="Parser"/>: every instance becomes a collected diagnostic.
/// </summary>
internal sealed class ParseErrorException : Exception
{
    public ParseErrorException(string origin, string message, Token? token, bool skipSome)
        : base(message)
    {
        Origin = origin;
        Token = token;
        SkipSome = skipSome;
    }

    /// <summary>The check that failed (stap prints one diagnostic per origin unless verbose).</summary>
    public string Origin { get; }

    /// <summary>The token named with <c>at:</c>, or null to show the last token looked at.</summary>
    public Token? Token { get; }

    /// <summary>A follow-up diagnostic printed with this one (e.g. where a macro was first defined).</summary>
    public Diagnostics.Diagnostic? Chained { get; init; }

    /// <summary>False for errors after which stap does not skip to the next declaration.</summary>
    public bool SkipSome { get; }
}
