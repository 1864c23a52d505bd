using ProcProbe.Interpreter.Runtime.Text;

namespace ProcProbe.Interpreter.Runtime.Builtins;

/// <summary>
/// <c>tokenize(input, delim)</c> / <c>tokenize(delim)</c> (tapset/tokenize.stp). Stateful: a
/// non-empty input replaces the saved copy; every call returns the next non-empty token of the
/// saved copy, split at any byte of the delimiter set, or <c>""</c> once it is used up. stap keeps
/// this state in the probe context, so one instance per interpreter (not per probe) matches it.
/// </summary>
public sealed class Tokenizer : IDisposable
{
    private readonly ByteBuilder _copy;

    // Index of the unread rest in _copy, or -1 once strsep has reached the end (NULL in C).
    private int _start = -1;

    /// <summary>Creates an empty tokenizer; saved copies are cut to MAXSTRINGLEN-1 bytes.</summary>
    public Tokenizer(int maxStringLength = StapString.DefaultMaxStringLength)
    {
        _copy = StapString.CreateBuilder(maxStringLength);
    }

    /// <summary>
    /// <c>tokenize(input, delim)</c>: appends the next token to <paramref name="dest"/> (nothing
    /// when exhausted). Pass an empty <paramref name="input"/> for the one-argument form.
    /// Returns false if <paramref name="dest"/>'s limit cut the token.
    /// </summary>
    public bool Next(ByteBuilder dest, ReadOnlySpan<byte> input, ReadOnlySpan<byte> delim)
    {
        ArgumentNullException.ThrowIfNull(dest);
        input = StapString.AsCString(input);
        delim = StapString.AsCString(delim);
        if (!input.IsEmpty)
        {
            _copy.Set(input);
            _start = 0;
        }

        ReadOnlySpan<byte> text = _copy.AsSpan();
        while (_start >= 0)
        {
            ReadOnlySpan<byte> rest = text[_start..];
            int hit = delim.IsEmpty ? -1 : rest.IndexOfAny(delim);
            int tokenStart = _start;
            int tokenLength = hit >= 0 ? hit : rest.Length;
            _start = hit >= 0 ? _start + hit + 1 : -1;
            if (tokenLength > 0)
            {
                return dest.Append(text.Slice(tokenStart, tokenLength));
            }
        }
        return true;
    }

    /// <summary>Forgets the saved string (a later one-argument call returns <c>""</c>).</summary>
    public void Reset()
    {
        _copy.Clear();
        _start = -1;
    }

    /// <summary>Returns the saved copy's buffer to the pool.</summary>
    public void Dispose() => _copy.Dispose();
}
