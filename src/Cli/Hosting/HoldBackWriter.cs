using System.Text;

namespace ProcProbe.Cli.Hosting;

/// <summary>
/// Passes everything through to <paramref name="inner"/> except writes of exactly <paramref name="line"/>,
/// which it only records, so that the caller can print that line later, in stap's order.
/// </summary>
internal sealed class HoldBackWriter(TextWriter inner, string line) : TextWriter
{
    private volatile bool _heldBack;

    public bool HeldBack => _heldBack;

    public override Encoding Encoding => inner.Encoding;

    public override void Write(string? value)
    {
        if (value == line)
        {
            _heldBack = true;
            return;
        }
        inner.Write(value);
    }

    public override void Write(char value) => inner.Write(value);

    public override void Write(char[] buffer, int index, int count) => inner.Write(buffer, index, count);

    public override void Flush() => inner.Flush();
}
