using System.Runtime.CompilerServices;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter.Syntax;

/// <summary>Why the lexer produced a junk token; selects the message the parser reports.</summary>
public enum JunkKind : byte
{
    None = 0,
    /// <summary>A byte no token can start with (control byte, byte &gt;= 0x80).</summary>
    StrayByte,
    /// <summary><c>Could not find matching closing quote</c></summary>
    UnterminatedString,
    /// <summary><c>Could not find matching '%}' to close embedded function block</c></summary>
    UnterminatedEmbeddedCode,
    /// <summary><c>command line argument out of range [1-K]</c></summary>
    ArgumentOutOfRange,
    /// <summary><c>invalid nested substitution of command line arguments</c></summary>
    NestedSubstitution,
}

[Flags]
public enum TokenFlags : byte
{
    None = 0,
    /// <summary>Whitespace or a comment came before the token (stops probe-point name gluing).</summary>
    PrecededByTrivia = 1,
    /// <summary>A comment came before the token.</summary>
    PrecededByComment = 2,
    /// <summary>The token starts inside text pasted in by <c>$N</c>/<c>@N</c>/<c>$#</c>/<c>@#</c>.</summary>
    FromArgument = 4,
}

/// <summary>The macro invocation a token was copied out of, for "in expansion of macro" lines.</summary>
public sealed class MacroExpansion
{
    public MacroExpansion(Token invocation) => Invocation = invocation;

    /// <summary>The <c>@NAME</c> token that invoked the macro (itself possibly from an expansion).</summary>
    public Token Invocation { get; }
}

/// <summary>
/// A token: a kind and a slice of bytes, plus the position stap reports for it. No allocation per
/// token: the text is a view of <see cref="Buffer"/> (the source, or the source with command-line
/// arguments pasted in, exactly as stap re-lexes them).
/// </summary>
public readonly struct Token
{
    private readonly byte[]? _buffer;

    public Token(SyntaxKind kind, SourceText source, byte[] buffer, int start, int length, int line, int column,
                 TokenFlags flags = TokenFlags.None, JunkKind junk = JunkKind.None, MacroExpansion? expansion = null)
    {
        Kind = kind;
        Source = source;
        _buffer = buffer;
        Start = start;
        Length = length;
        Line = line;
        Column = column;
        Flags = flags;
        Junk = junk;
        Expansion = expansion;
    }

    public SyntaxKind Kind { get; }

    /// <summary>The file the token belongs to (name and lines for diagnostics). Null only for <c>default</c>.</summary>
    public SourceText Source { get; }

    /// <summary>Offset of the token's first byte in <see cref="Buffer"/>.</summary>
    public int Start { get; }

    public int Length { get; }

    /// <summary>1-based line as stap reports it.</summary>
    public int Line { get; }

    /// <summary>1-based byte column as stap reports it.</summary>
    public int Column { get; }

    public TokenFlags Flags { get; }

    public JunkKind Junk { get; }

    /// <summary>Non-null when the token was produced by expanding a <c>@define</c> macro.</summary>
    public MacroExpansion? Expansion { get; }

    public bool IsDefault => Source is null;

    public bool IsEndOfFile => Kind == SyntaxKind.EndOfFileToken;

    public ReadOnlySpan<byte> Buffer => _buffer;

    internal byte[]? BufferArray => _buffer;

    /// <summary>The token's bytes as written (strings with quotes and escapes, %{ %} with markers).</summary>
    public ReadOnlySpan<byte> Text
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _buffer is null ? default : new ReadOnlySpan<byte>(_buffer, Start, Length);
    }

    /// <summary>True when the token's bytes equal <paramref name="text"/> (ASCII/UTF-8 literal).</summary>
    public bool TextEquals(ReadOnlySpan<byte> text) => Text.SequenceEqual(text);

    /// <summary>
    /// The token's content as stap stores it: strings without quotes and with stap's lexer
    /// escape processing applied (see <see cref="SyntaxFacts.GetStringContent"/>), embedded code without
    /// the markers, everything else the raw text.
    /// </summary>
    public byte[] GetContent() => Kind switch
    {
        SyntaxKind.StringToken => SyntaxFacts.GetStringContent(Text),
        SyntaxKind.EmbeddedCodeToken => Text.Length >= 4 ? Text[2..^2].ToArray() : [],
        SyntaxKind.JunkToken when Junk == JunkKind.UnterminatedString => SyntaxFacts.GetStringContent(Text),
        _ => Text.ToArray(),
    };

    /// <summary>The token's text as a .NET string (Latin-1 mapping keeps every byte distinct).</summary>
    public string GetTextString() => System.Text.Encoding.Latin1.GetString(Text);

    public Token WithExpansion(MacroExpansion? expansion)
        => new(Kind, Source, _buffer!, Start, Length, Line, Column, Flags, Junk, expansion);

    public Token WithKind(SyntaxKind kind)
        => new(kind, Source, _buffer!, Start, Length, Line, Column, Flags, Junk, Expansion);

    public Token WithFlags(TokenFlags flags)
        => new(Kind, Source, _buffer!, Start, Length, Line, Column, flags, Junk, Expansion);

    /// <summary>stap's own description, <c>TYPE 'TEXT' at FILE:LINE:COL</c>.</summary>
    public override string ToString() => Diagnostics.DiagnosticFormatter.DescribeToken(this, includeFileName: true);
}
