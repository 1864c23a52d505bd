using ProcProbe.Interpreter.Runtime.Text;

namespace ProcProbe.Interpreter.Runtime.Printf;

/// <summary>
/// print, println, printd, printdln and their <c>s</c> forms, plus print_char (language.md §4.5).
/// stap turns each into an implicit format (<c>%d</c> per long, <c>%s</c> per string, the
/// delimiter between values with any <c>%</c> printed literally, <c>\n</c> last for the ln forms),
/// so these share the printf writer: stream forms are capped at 8192 bytes per call, string
/// forms at <c>dest.Limit</c> (MAXSTRINGLEN-1; a string destination must have a limit). All return false when the destination's limit cut the output.
/// </summary>
public static class PrintFamily
{
    /// <summary><c>print(a, b, ...)</c>: values concatenated.</summary>
    public static bool Print(ByteBuilder dest, ReadOnlySpan<PrintfArg> args) =>
        Stream(dest, args, default, newline: false);

    /// <summary><c>println(...)</c>: values concatenated, then a newline (<c>println()</c> prints just the newline).</summary>
    public static bool PrintLn(ByteBuilder dest, ReadOnlySpan<PrintfArg> args) =>
        Stream(dest, args, default, newline: true);

    /// <summary><c>printd(DELIM, a, b, ...)</c>: values joined by the delimiter.</summary>
    public static bool PrintD(ByteBuilder dest, ReadOnlySpan<byte> delimiter, ReadOnlySpan<PrintfArg> args) =>
        Stream(dest, args, delimiter, newline: false);

    /// <summary><c>printdln(DELIM, a, b, ...)</c>: values joined by the delimiter, then a newline.</summary>
    public static bool PrintDLn(ByteBuilder dest, ReadOnlySpan<byte> delimiter, ReadOnlySpan<PrintfArg> args) =>
        Stream(dest, args, delimiter, newline: true);

    /// <summary><c>sprint(...)</c> appended to <paramref name="dest"/>, cut at its limit.</summary>
    public static bool SPrint(ByteBuilder dest, ReadOnlySpan<PrintfArg> args) =>
        String(dest, args, default, newline: false);

    /// <summary><c>sprintln(...)</c>.</summary>
    public static bool SPrintLn(ByteBuilder dest, ReadOnlySpan<PrintfArg> args) =>
        String(dest, args, default, newline: true);

    /// <summary><c>sprintd(DELIM, ...)</c>.</summary>
    public static bool SPrintD(ByteBuilder dest, ReadOnlySpan<byte> delimiter, ReadOnlySpan<PrintfArg> args) =>
        String(dest, args, delimiter, newline: false);

    /// <summary><c>sprintdln(DELIM, ...)</c>.</summary>
    public static bool SPrintDLn(ByteBuilder dest, ReadOnlySpan<byte> delimiter, ReadOnlySpan<PrintfArg> args) =>
        String(dest, args, delimiter, newline: true);

    /// <summary><c>print_char(c)</c>: the low 8 bits of the value as one raw byte.</summary>
    public static bool PrintChar(ByteBuilder dest, long value)
    {
        ArgumentNullException.ThrowIfNull(dest);
        return dest.Append(unchecked((byte)value));
    }

    /// <summary>One value as print renders it: a long in decimal, a string as is (up to a NUL).</summary>
    public static bool AppendValue(ByteBuilder dest, in PrintfArg value)
    {
        ArgumentNullException.ThrowIfNull(dest);
        if (!value.IsString)
        {
            return dest.AppendDecimal(value.Long);
        }
        ReadOnlySpan<byte> s = value.Span;
        int nul = s.IndexOf((byte)0);
        return dest.Append(nul >= 0 ? s[..nul] : s);
    }

    private static bool Stream(ByteBuilder dest, ReadOnlySpan<PrintfArg> args, ReadOnlySpan<byte> delimiter, bool newline)
    {
        ArgumentNullException.ThrowIfNull(dest);
        return PrintfWriter.WriteStream(null, dest, args, delimiter, newline);
    }

    private static bool String(ByteBuilder dest, ReadOnlySpan<PrintfArg> args, ReadOnlySpan<byte> delimiter, bool newline)
    {
        ArgumentNullException.ThrowIfNull(dest);
        if (dest.Limit == ByteBuilder.Unlimited)
        {
            throw new ArgumentException("A string destination needs a limit (MAXSTRINGLEN-1).", nameof(dest));
        }
        return PrintfWriter.WriteString(null, dest, args, delimiter, newline);
    }
}
