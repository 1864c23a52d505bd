using System.Runtime.CompilerServices;
using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter.Syntax;

/// <summary>
/// Turns the script's bytes into tokens the way stap's lexer does, one token per <see cref="Scan"/>.
/// Command-line arguments (<c>$N @N $# @#</c>) are pasted into the input at the place a token may
/// start and lexed again; the pasted bytes take the position of the <c>$N</c> itself until they are
/// used up, as in stap.
/// </summary>
internal sealed class Lexer
{
    private readonly SourceText _source;
    private readonly ParseOptions _options;
    private readonly DiagnosticBag? _diagnostics;
    private byte[] _input;
    private int _position;
    private int _line = 1;
    private int _column = 1;
    private int _suspendCount;
    private int _suspendLine;
    private int _suspendColumn;

    public Lexer(SourceText source, ParseOptions options, DiagnosticBag? diagnostics = null)
    {
        _source = source;
        _options = options;
        _diagnostics = diagnostics;
        _input = source.Bytes;
        _origin = new TokenOrigin(source, _input);
    }

    // shared by the tokens of one buffer; pasting an argument makes a new buffer
    private TokenOrigin _origin;

    public SourceText Source => _source;

    /// <summary>Which command-line arguments a <c>$N</c>/<c>@N</c> named (index N-1), wherever it was lexed,
    /// skipped conditional branches and unused macro bodies included; null when there are no arguments.</summary>
    public bool[]? UsedArguments { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Peek(int offset = 0)
    {
        int p = _position + offset;
        return p < _input.Length ? _input[p] : -1;
    }

    private int Get()
    {
        int c = Peek();
        if (c < 0)
            return c;
        _position++;
        if (_suspendCount > 0)
        {
            // Pasted argument text keeps the position of its $N until it is used up.
            if (--_suspendCount == 0)
            {
                _line = _suspendLine;
                _column = _suspendColumn;
            }
        }
        else if (c == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }
        return c;
    }

    /// <summary>
    /// What <see cref="Get"/> does over a run of identifier bytes (letters, digits, <c>_</c>, <c>$</c>) or, for a
    /// number, letters and digits, outside pasted argument text: no newline can occur in the run, so the
    /// column moves by its length, in one step instead of one call per byte.
    /// </summary>
    private void SkipRun(bool identifier)
    {
        var input = _input;
        int p = _position;
        while (p < input.Length)
        {
            int b = input[p];
            if (!(SyntaxFacts.IsAlnum(b) || (identifier && (b == '_' || b == '$'))))
                break;
            p++;
        }
        _column += p - _position;
        _position = p;
    }

    /// <summary>
    /// Moves over the plain part of a string literal's body as <see cref="Get"/> would, outside pasted
    /// argument text: bytes other than the closing quote and newline, and escapes of anything but a
    /// newline. It stops before whatever ends the literal or needs the line count (a newline, an escaped
    /// newline, a backslash at the end of the input), which the caller's byte-by-byte loop then handles.
    /// </summary>
    private void SkipStringBody()
    {
        var input = _input;
        int p = _position;
        while (p < input.Length)
        {
            byte b = input[p];
            if (b == (byte)'"' || b == (byte)'\n')
                break;
            if (b == (byte)'\\')
            {
                if (p + 1 >= input.Length || input[p + 1] == (byte)'\n')
                    break;
                p += 2;
                continue;
            }
            p++;
        }
        _column += p - _position;
        _position = p;
    }

    /// <summary>Skips spaces and tabs after a whitespace byte, as <see cref="Get"/> would (one column each),
    /// outside pasted argument text; the caller's loop handles everything else.</summary>
    private void SkipBlanks()
    {
        if (_suspendCount != 0)
            return;
        var input = _input;
        int p = _position;
        while (p < input.Length && (input[p] == (byte)' ' || input[p] == (byte)'\t'))
            p++;
        _column += p - _position;
        _position = p;
    }

    private void Paste(ReadOnlySpan<byte> text, int tokenLine, int tokenColumn)
    {
        var grown = new byte[_input.Length + text.Length];
        _input.AsSpan(0, _position).CopyTo(grown);
        text.CopyTo(grown.AsSpan(_position));
        _input.AsSpan(_position).CopyTo(grown.AsSpan(_position + text.Length));
        _input = grown;
        _origin = new TokenOrigin(_source, grown);
        _suspendCount += text.Length;
        _suspendLine = _line;
        _suspendColumn = _column;
        _line = tokenLine;
        _column = tokenColumn;
    }

    private Token Make(SyntaxKind kind, int start, int line, int column, TokenFlags flags, JunkKind junk = JunkKind.None)
        => new(kind, _origin, start, _position - start, line, column, flags, junk);

    public Token Scan()
    {
        var flags = TokenFlags.None;
        while (true)
        {
            bool suspended = _suspendCount > 0;
            int line = _line, column = _column;
            int start = _position;
            var tokenFlags = flags | (suspended ? TokenFlags.FromArgument : TokenFlags.None);
            int c = Get();
            if (c < 0)
                return new Token(SyntaxKind.EndOfFileToken, _origin, _position, 0, line, column, flags);

            if (SyntaxFacts.IsSpace(c))
            {
                flags |= TokenFlags.PrecededByTrivia;
                SkipBlanks();
                continue;
            }

            int c2 = Peek();

            if ((c == '$' || c == '@') && c2 == '#')
            {
                Get();
                if (suspended)
                    return Make(SyntaxKind.JunkToken, start, line, column, tokenFlags, JunkKind.NestedSubstitution);
                string count = _options.Arguments.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Paste(c == '$' ? System.Text.Encoding.ASCII.GetBytes(count) : QuoteString(System.Text.Encoding.ASCII.GetBytes(count)), line, column);
                continue;
            }

            if ((c == '$' || c == '@') && SyntaxFacts.IsDigit(c2))
            {
                int index = 0;
                do
                {
                    Get();
                    index = index * 10 + (c2 - '0');
                    c2 = Peek();
                }
                while (c2 > 0 && SyntaxFacts.IsDigit(c2) && index <= _options.Arguments.Count);
                if (suspended)
                    return Make(SyntaxKind.JunkToken, start, line, column, tokenFlags, JunkKind.NestedSubstitution);
                if (index == 0 || index - 1 >= _options.Arguments.Count)
                    return Make(SyntaxKind.JunkToken, start, line, column, tokenFlags, JunkKind.ArgumentOutOfRange);
                (UsedArguments ??= new bool[_options.Arguments.Count])[index - 1] = true;
                byte[] argument = System.Text.Encoding.UTF8.GetBytes(_options.Arguments[index - 1]);
                Paste(c == '$' ? argument : QuoteString(argument), line, column);
                continue;
            }

            if (SyntaxFacts.IsAlpha(c) || c == '$' || c == '@' || c == '_')
            {
                if (_suspendCount == 0)
                {
                    SkipRun(identifier: true);
                }
                else
                {
                    while (SyntaxFacts.IsAlnum(c2) || c2 == '_' || c2 == '$')
                    {
                        Get();
                        c2 = Peek();
                    }
                }
                var text = _input.AsSpan(start, _position - start);
                var kind = SyntaxFacts.GetKeywordKind(text);
                if (kind == SyntaxKind.IdentifierToken && c == '@')
                    kind = SyntaxKind.AtWordToken;
                return Make(kind, start, line, column, tokenFlags);
            }

            if (SyntaxFacts.IsDigit(c))
            {
                // Every following letter or digit belongs to the number; the parser validates it.
                if (_suspendCount == 0)
                {
                    SkipRun(identifier: false);
                }
                else
                {
                    while (SyntaxFacts.IsAlnum(c2))
                    {
                        Get();
                        c2 = Peek();
                    }
                }
                return Make(SyntaxKind.NumberToken, start, line, column, tokenFlags);
            }

            if (c == '"')
            {
                if (_suspendCount == 0)
                    SkipStringBody();
                while (true)
                {
                    c = Get();
                    if (c < 0 || c == '\n')
                        return Make(SyntaxKind.JunkToken, start, line, column, tokenFlags, JunkKind.UnterminatedString);
                    if (c == '"')
                        break;
                    if (c == '\\')
                        Get();
                }
                return Make(SyntaxKind.StringToken, start, line, column, tokenFlags);
            }

            if (SyntaxFacts.IsPunct(c))
            {
                int c3 = Peek(1);
                if (c == '#' || (c == '/' && c2 == '/'))
                {
                    int thisLine = _line;
                    do
                    {
                        c = Get();
                    }
                    while (c >= 0 && _line == thisLine);
                    flags |= TokenFlags.PrecededByTrivia | TokenFlags.PrecededByComment;
                    continue;
                }
                if (c == '/' && c2 == '*')
                {
                    Get();
                    c = Get();
                    c2 = Get();
                    while (c2 >= 0)
                    {
                        if (c == '*' && c2 == '/')
                            break;
                        c = c2;
                        c2 = Get();
                    }
                    flags |= TokenFlags.PrecededByTrivia | TokenFlags.PrecededByComment;
                    continue;
                }
                if (c == '%' && c2 == '{')
                {
                    Get();
                    c = Get();
                    c2 = Get();
                    while (c2 >= 0)
                    {
                        if (c == '%' && c2 == '}')
                            return Make(SyntaxKind.EmbeddedCodeToken, start, line, column, tokenFlags);
                        if (c == '}' && c2 == '%')
                            _diagnostics?.ReportWarning("lexer.embedded-close", DiagnosticMessages.PossibleWrongEmbeddedClose,
                                new Token(SyntaxKind.EmbeddedCodeToken, _origin, start, 0, line, column, tokenFlags));
                        c = c2;
                        c2 = Get();
                    }
                    return Make(SyntaxKind.JunkToken, start, line, column, tokenFlags, JunkKind.UnterminatedEmbeddedCode);
                }

                SyntaxKind op;
                if (c2 >= 0 && c3 >= 0 && (op = SyntaxFacts.GetTripleOperatorKind((byte)c, (byte)c2, (byte)c3)) != SyntaxKind.None)
                {
                    Get();
                    Get();
                }
                else if (c2 >= 0 && (op = SyntaxFacts.GetDoubleOperatorKind((byte)c, (byte)c2)) != SyntaxKind.None)
                {
                    Get();
                }
                else
                {
                    op = SyntaxFacts.GetSingleOperatorKind((byte)c);
                }
                return Make(op, start, line, column, tokenFlags);
            }

            return Make(SyntaxKind.JunkToken, start, line, column, tokenFlags, JunkKind.StrayByte);
        }
    }

    /// <summary>
    /// An argument pasted by <c>@N</c>: a string literal with <c>"</c> and <c>\</c> escaped and
    /// non-printable bytes as three-digit octal; a NUL ends it.
    /// </summary>
    internal static byte[] QuoteString(ReadOnlySpan<byte> value)
    {
        var result = new List<byte>(value.Length + 2) { (byte)'"' };
        foreach (byte c in value)
        {
            if (c == 0)
                break;
            if (!SyntaxFacts.IsPrint(c))
            {
                result.Add((byte)'\\');
                result.Add((byte)('0' + ((c >> 6) & 7)));
                result.Add((byte)('0' + ((c >> 3) & 7)));
                result.Add((byte)('0' + (c & 7)));
            }
            else
            {
                if (c is (byte)'"' or (byte)'\\')
                    result.Add((byte)'\\');
                result.Add(c);
            }
        }
        result.Add((byte)'"');
        return result.ToArray();
    }
}
