using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Diagnostics;

public enum DiagnosticKind : byte
{
    /// <summary>Pass 1: <c>parse error: MSG</c> then <c>at:</c>/<c>saw:</c>, <c>source:</c>, caret.</summary>
    ParseError,
    /// <summary>Pass 2+: <c>semantic error: MSG: TOKEN</c>, <c>source:</c>, caret.</summary>
    SemanticError,
    /// <summary><c>WARNING: MSG: TOKEN</c>, <c>source:</c>, caret, no blank line.</summary>
    Warning,
}

/// <summary>How a parse error shows its token.</summary>
public enum TokenRole : byte
{
    /// <summary><c>        saw: TOKEN</c>: the token the parser was looking at (or <c>FILE EOF</c>).</summary>
    Saw,
    /// <summary><c>         at: TOKEN</c>: the error names this token (junk, duplicates, ...).</summary>
    At,
}

/// <summary>
/// One error or warning, collected (never thrown). <see cref="Origin"/> identifies the place that
/// raised it: stap prints only the first diagnostic from each origin unless verbose, so equal origins
/// must mean "the same check".
/// </summary>
public sealed class Diagnostic
{
    public Diagnostic(DiagnosticKind kind, string message, Token? token, TokenRole role, string origin, Diagnostic? chained = null,
                      string? endOfFileName = null)
    {
        EndOfFileName = endOfFileName;
        Kind = kind;
        Message = message;
        Token = token;
        Role = role;
        Origin = origin;
        Chained = chained;
    }

    public DiagnosticKind Kind { get; }

    public string Message { get; }

    /// <summary>The token shown; null when the input ended (<c>saw: FILE EOF</c>) or there is none.</summary>
    public Token? Token { get; }

    public TokenRole Role { get; }

    public string Origin { get; }

    /// <summary>A follow-up printed right after this one (e.g. "type was first inferred here").</summary>
    public Diagnostic? Chained { get; }

    /// <summary>For an error at end of input (<see cref="Token"/> null): the file name printed before <c>EOF</c>.</summary>
    public string? EndOfFileName { get; }

    public bool IsError => Kind != DiagnosticKind.Warning;

    public static Diagnostic Parse(string message, Token? token, TokenRole role, string origin, string? endOfFileName = null)
        => new(DiagnosticKind.ParseError, message, token, role, origin, null, endOfFileName);

    public static Diagnostic Semantic(string message, Token? token, string origin, Diagnostic? chained = null)
        => new(DiagnosticKind.SemanticError, message, token, TokenRole.At, origin, chained);

    public static Diagnostic CreateWarning(string message, Token? token, string origin)
        => new(DiagnosticKind.Warning, message, token, TokenRole.At, origin);

    public override string ToString()
    {
        string prefix = Kind switch
        {
            DiagnosticKind.ParseError => "parse error: ",
            DiagnosticKind.SemanticError => "semantic error: ",
            _ => "WARNING: ",
        };
        return Token is { } t ? prefix + Message + ": " + t : prefix + Message;
    }
}
