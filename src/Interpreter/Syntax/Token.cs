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
/// Where tokens come from: their file, the buffer holding their bytes, and the macro expansion they were
/// copied out of. One per lexer buffer (and per expanded token), shared by its tokens, so that a token
/// holds one reference instead of three: the parser and binder copy tokens into every node.
/// </summary>
public class TokenOrigin
{
    public TokenOrigin(SourceText source, byte[] buffer, MacroExpansion? expansion = null)
    {
        Source = source;
        Buffer = buffer;
        Expansion = expansion;
    }

    public SourceText Source { get; }

    public byte[] Buffer { get; }

    public MacroExpansion? Expansion { get; }
}

/// <summary>
/// The origin of one token whose length or column does not fit the 16 bits a <see cref="Token"/> keeps
/// for them (a string or embedded-code token of 64 KiB or more, a token that far along a line): the
/// values are kept here instead, so that the common token stays 24 bytes.
/// </summary>
internal sealed class WideTokenOrigin : TokenOrigin
{
    public WideTokenOrigin(TokenOrigin shared, int length, int column)
        : base(shared.Source, shared.Buffer, shared.Expansion)
    {
        Shared = shared;
        Length = length;
        Column = column;
    }

    /// <summary>The origin the token's buffer shares with its neighbours.</summary>
    public TokenOrigin Shared { get; }

    public int Length { get; }

    public int Column { get; }
}

/// <summary>
/// A token: a kind and a slice of bytes, plus the position stap reports for it. No allocation per
/// token: the text is a view of <see cref="Buffer"/> (the source, or the source with command-line
/// arguments pasted in, exactly as stap re-lexes them).
/// </summary>
public readonly struct Token : IEquatable<Token>
{
    // 24 bytes instead of 32: every syntax and bound node holds a token, and the parser copies them
    // around. A length or column of 0xFFFF or more (or below 0) is kept in a WideTokenOrigin instead.
    private const ushort Wide = ushort.MaxValue;

    private readonly TokenOrigin? _origin;
    private readonly int _start;
    private readonly int _line;
    private readonly ushort _length;
    private readonly ushort _column;
    private readonly SyntaxKind _kind;
    private readonly TokenFlags _flags;
    private readonly JunkKind _junk;

    public Token(SyntaxKind kind, TokenOrigin origin, int start, int length, int line, int column,
                 TokenFlags flags = TokenFlags.None, JunkKind junk = JunkKind.None)
    {
        if (origin is WideTokenOrigin wide)
            origin = wide.Shared;
        if ((uint)length < Wide && (uint)column < Wide)
        {
            _origin = origin;
            _length = (ushort)length;
            _column = (ushort)column;
        }
        else
        {
            _origin = new WideTokenOrigin(origin, length, column);
            _length = Wide;
            _column = Wide;
        }
        _kind = kind;
        _flags = flags;
        _junk = junk;
        _start = start;
        _line = line;
    }

    public Token(SyntaxKind kind, SourceText source, byte[] buffer, int start, int length, int line, int column,
                 TokenFlags flags = TokenFlags.None, JunkKind junk = JunkKind.None, MacroExpansion? expansion = null)
        : this(kind, new TokenOrigin(source, buffer, expansion), start, length, line, column, flags, junk)
    {
    }

    public SyntaxKind Kind => _kind;

    /// <summary>The file the token belongs to (name and lines for diagnostics). Null only for <c>default</c>.</summary>
    public SourceText Source => _origin is null ? null! : _origin.Source;

    internal TokenOrigin? Origin => _origin is WideTokenOrigin wide ? wide.Shared : _origin;

    /// <summary>Offset of the token's first byte in <see cref="Buffer"/>.</summary>
    public int Start => _start;

    public int Length => _length != Wide ? _length : ((WideTokenOrigin)_origin!).Length;

    /// <summary>1-based line as stap reports it.</summary>
    public int Line => _line;

    /// <summary>1-based byte column as stap reports it.</summary>
    public int Column => _column != Wide ? _column : ((WideTokenOrigin)_origin!).Column;

    public TokenFlags Flags => _flags;

    public JunkKind Junk => _junk;

    /// <summary>Non-null when the token was produced by expanding a <c>@define</c> macro.</summary>
    public MacroExpansion? Expansion => _origin?.Expansion;

    public bool IsDefault => _origin is null;

    public bool IsEndOfFile => Kind == SyntaxKind.EndOfFileToken;

    public ReadOnlySpan<byte> Buffer => _origin is null ? default : _origin.Buffer;

    internal byte[]? BufferArray => _origin?.Buffer;

    /// <summary>The token's bytes as written (strings with quotes and escapes, %{ %} with markers).</summary>
    public ReadOnlySpan<byte> Text
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _origin is null ? default : new ReadOnlySpan<byte>(_origin.Buffer, Start, Length);
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

    /// <summary>The text of an identifier as a shared string (names repeat; see <see cref="IdentifierNames"/>).</summary>
    internal string GetNameString() => IdentifierNames.Get(Text);

    public Token WithExpansion(MacroExpansion? expansion)
        => new(Kind, new TokenOrigin(_origin!.Source, _origin.Buffer, expansion), Start, Length, Line, Column, Flags, Junk);

    public Token WithKind(SyntaxKind kind)
        => new(kind, _origin!, Start, Length, Line, Column, Flags, Junk);

    public Token WithFlags(TokenFlags flags)
        => new(Kind, _origin!, Start, Length, Line, Column, flags, Junk);

    /// <summary>The same token with another extent in the same buffer.</summary>
    internal Token WithExtent(int start, int length)
        => new(Kind, _origin!, start, length, Line, Column, Flags, Junk);

    /// <summary>Field by field, the origin by identity (as the default struct equality compared them).</summary>
    public bool Equals(Token other)
        => ReferenceEquals(Origin, other.Origin) && _start == other._start && _line == other._line
           && Length == other.Length && Column == other.Column && _kind == other._kind && _flags == other._flags
           && _junk == other._junk;

    public override bool Equals(object? obj) => obj is Token other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Origin, _start, _line, Length, Column, _kind, _flags, _junk);

    /// <summary>stap's own description, <c>TYPE 'TEXT' at FILE:LINE:COL</c>.</summary>
    public override string ToString() => Diagnostics.DiagnosticFormatter.DescribeToken(this, includeFileName: true);
}
