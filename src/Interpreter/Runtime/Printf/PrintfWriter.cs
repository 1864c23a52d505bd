using System.Buffers.Binary;
using ProcProbe.Interpreter.Runtime.Text;

namespace ProcProbe.Interpreter.Runtime.Printf;

/// <summary>
/// The output rules of stap's compiled printf (runtime/vsprintf.c helpers driven by translate.cxx):
/// a sizing pass for stream output, then a writing pass into a fixed window whose remaining room
/// clamps every width and precision. The rules are reproduced with a cursor that may run past the
/// window (as the C pointer does) while only bytes inside it are stored.
/// </summary>
internal static class PrintfWriter
{
    private const int BufferSize = PrintfFormat.MaxStreamOutput;

    /// <summary>
    /// Stream output (printf, print...). <paramref name="format"/> null means the implicit format of
    /// the print family: <c>%d</c>/<c>%s</c> per value, <paramref name="delimiter"/> between, newline last.
    /// </summary>
    internal static bool WriteStream(PrintfFormat? format, ByteBuilder dest, ReadOnlySpan<PrintfArg> args, ReadOnlySpan<byte> delimiter, bool newline)
    {
        // Pass 1: stap reserves exactly what the output needs, capped at one print buffer.
        var counter = new Cursor(Span<byte>.Empty, int.MaxValue, measuring: true);
        Render(format, ref counter, args, delimiter, newline);
        int capacity = (int)Math.Min(counter.Position, BufferSize);
        if (capacity == 0)
        {
            return true;
        }

        int room = Math.Min(capacity, dest.Remaining);
        var cursor = new Cursor(dest.GetAppendSpan(room)[..room], capacity, measuring: false);
        Render(format, ref cursor, args, delimiter, newline);
        int produced = (int)Math.Min(cursor.Position, capacity);
        int stored = Math.Min(produced, room);
        dest.Advance(stored);
        if (produced > room)
        {
            dest.MarkTruncated();
            return false;
        }
        return true;
    }

    /// <summary>String output (sprintf, sprint...); <paramref name="format"/> as in <see cref="WriteStream"/>.</summary>
    internal static bool WriteString(PrintfFormat? format, ByteBuilder dest, ReadOnlySpan<PrintfArg> args, ReadOnlySpan<byte> delimiter, bool newline)
    {
        // stap's string result buffer holds MAXSTRINGLEN bytes including the terminating NUL.
        int room = dest.Remaining;
        int capacity = room + 1;
        var cursor = new Cursor(dest.GetAppendSpan(room)[..room], capacity, measuring: false);
        Render(format, ref cursor, args, delimiter, newline);
        int produced = (int)Math.Min(cursor.Position, room);
        Span<byte> written = cursor.Window[..produced];
        int nul = written.IndexOf((byte)0);
        dest.Advance(nul >= 0 ? nul : produced);
        if (nul < 0 && cursor.Position > room)
        {
            dest.MarkTruncated();
            return false;
        }
        return true;
    }

    private static void Render(PrintfFormat? format, ref Cursor cursor, ReadOnlySpan<PrintfArg> args, ReadOnlySpan<byte> delimiter, bool newline)
    {
        if (format is null)
        {
            RunImplicit(ref cursor, args, delimiter, newline);
        }
        else
        {
            Run(format, format.Segments, ref cursor, args);
        }
    }

    private static void RunImplicit(ref Cursor cursor, ReadOnlySpan<PrintfArg> args, ReadOnlySpan<byte> delimiter, bool newline)
    {
        for (int k = 0; k < args.Length; k++)
        {
            if (k > 0)
            {
                cursor.Literal(delimiter);
            }
            ref readonly PrintfArg arg = ref args[k];
            if (arg.IsString)
            {
                String(ref cursor, arg.Span, -1, -1, PrintfFlags.None);
            }
            else
            {
                Number(ref cursor, (ulong)arg.Long, 10, -1, -1, PrintfFlags.None, signed: true, upper: false);
            }
        }
        if (newline)
        {
            cursor.Literal("\n"u8);
        }
    }

    private static void Run(PrintfFormat format, ReadOnlySpan<PrintfSegment> segments, ref Cursor cursor, ReadOnlySpan<PrintfArg> args)
    {
        int a = 0;
        foreach (ref readonly PrintfSegment seg in segments)
        {
            if (seg.IsLiteral)
            {
                cursor.Literal(format.GetLiteral(seg));
                continue;
            }

            // The sizing pass clamps to the whole print buffer, the writing pass to the room left.
            int high = cursor.Measuring ? BufferSize : cursor.Room;
            int width = -1;
            int precision = -1;
            if (seg.WidthFromArgument)
            {
                width = Clamp(unchecked((int)args[a++].Long), high);
            }
            else if (seg.Width >= 0)
            {
                width = Clamp(seg.Width, high);
            }
            if (seg.PrecisionFromArgument)
            {
                precision = Clamp(unchecked((int)args[a++].Long), high);
            }
            else if (seg.Precision >= 0)
            {
                precision = Clamp(seg.Precision, high);
            }

            ref readonly PrintfArg value = ref args[a++];
            PrintfFlags flags = seg.Flags;
            switch (seg.Conversion)
            {
                case PrintfConversion.SignedDecimal:
                    Number(ref cursor, (ulong)value.Long, 10, width, precision, flags, signed: true, upper: false);
                    break;
                case PrintfConversion.UnsignedDecimal:
                    Number(ref cursor, (ulong)value.Long, 10, width, precision, flags, signed: false, upper: false);
                    break;
                case PrintfConversion.Octal:
                    Number(ref cursor, (ulong)value.Long, 8, width, precision, flags, signed: false, upper: false);
                    break;
                case PrintfConversion.HexLower:
                    Number(ref cursor, (ulong)value.Long, 16, width, precision, flags, signed: false, upper: false);
                    break;
                case PrintfConversion.HexUpper:
                    Number(ref cursor, (ulong)value.Long, 16, width, precision, flags, signed: false, upper: true);
                    break;
                case PrintfConversion.Pointer:
                    // Since stap 1.3 %p is %#x.
                    Number(ref cursor, (ulong)value.Long, 16, width, precision, flags | PrintfFlags.Alternate, signed: false, upper: false);
                    break;
                case PrintfConversion.Char:
                    Char(ref cursor, (byte)value.Long, width, flags);
                    break;
                case PrintfConversion.String:
                    String(ref cursor, value.Span, width, precision, flags);
                    break;
                case PrintfConversion.Binary:
                    Binary(ref cursor, value.Long, width, precision, flags);
                    break;
                default:
                    throw new InvalidOperationException("Memory conversions cannot be formatted.");
            }
        }
    }

    // C's clamp_t(int, v, 0, high): when the cursor is already past the window, high is negative
    // and wins; nothing after that point is stored anyway.
    private static int Clamp(int value, int high) => Math.Min(Math.Max(value, 0), high);

    private static void Number(ref Cursor c, ulong num, int radix, int size, int precision, PrintfFlags flags, bool signed, bool upper)
    {
        bool left = (flags & PrintfFlags.Left) != 0;
        bool zeroPad = !left && (flags & PrintfFlags.ZeroPad) != 0;
        bool special = (flags & PrintfFlags.Alternate) != 0;

        byte sign = 0;
        if (signed)
        {
            if ((long)num < 0)
            {
                sign = (byte)'-';
                num = unchecked((ulong)(-(long)num));
                size--;
            }
            else if ((flags & PrintfFlags.Plus) != 0)
            {
                sign = (byte)'+';
                size--;
            }
            else if ((flags & PrintfFlags.Space) != 0)
            {
                sign = (byte)' ';
                size--;
            }
        }
        if (special)
        {
            if (radix == 16)
            {
                size -= 2;
            }
            else if (radix == 8)
            {
                size--;
            }
        }

        // Digits, least significant first; 0 always yields one digit even at precision 0.
        Span<byte> digits = stackalloc byte[64];
        ReadOnlySpan<byte> table = upper ? "0123456789ABCDEF"u8 : "0123456789abcdef"u8;
        int count = 0;
        do
        {
            digits[count++] = table[(int)(num % (uint)radix)];
            num /= (uint)radix;
        }
        while (num != 0);

        if (count > precision)
        {
            precision = count;
        }
        size -= precision;

        if (!zeroPad && !left)
        {
            c.Repeat((byte)' ', size);
            size = Math.Min(size, 0);
        }
        if (sign != 0)
        {
            c.Put(sign);
        }
        if (special)
        {
            if (radix == 8)
            {
                c.Put((byte)'0');
            }
            else if (radix == 16)
            {
                c.Put((byte)'0');
                c.Put(upper ? (byte)'X' : (byte)'x');
            }
        }
        if (!left)
        {
            c.Repeat(zeroPad ? (byte)'0' : (byte)' ', size);
            size = Math.Min(size, 0);
        }
        c.Repeat((byte)'0', precision - count);
        for (int k = count - 1; k >= 0; k--)
        {
            c.Put(digits[k]);
        }
        c.Repeat((byte)' ', size);
    }

    private static void Char(ref Cursor c, byte ch, int width, PrintfFlags flags)
    {
        bool alternate = (flags & PrintfFlags.Alternate) != 0;
        byte escape = 0;
        int size = 1;
        if (alternate && (ch < 0x20 || ch > 0x7e || ch == (byte)'\'' || ch == (byte)'\\'))
        {
            escape = ch switch
            {
                0x07 => (byte)'a',
                0x08 => (byte)'b',
                0x0c => (byte)'f',
                0x0a => (byte)'n',
                0x0d => (byte)'r',
                0x09 => (byte)'t',
                0x0b => (byte)'v',
                (byte)'\'' => (byte)'\'',
                (byte)'\\' => (byte)'\\',
                _ => 0,
            };
            size = escape != 0 ? 2 : 4;
        }

        bool left = (flags & PrintfFlags.Left) != 0;
        if (!left)
        {
            c.Repeat((byte)' ', width - size);
        }
        if (size == 1)
        {
            c.Put(ch);
        }
        else
        {
            c.Put((byte)'\\');
            if (escape != 0)
            {
                c.Put(escape);
            }
            else
            {
                c.Put((byte)('0' + ((ch >> 6) & 3)));
                c.Put((byte)('0' + ((ch >> 3) & 7)));
                c.Put((byte)('0' + (ch & 7)));
            }
        }
        if (left)
        {
            c.Repeat((byte)' ', width - size);
        }
    }

    private static void String(ref Cursor c, ReadOnlySpan<byte> s, int width, int precision, PrintfFlags flags)
    {
        // strnlen(s, precision) with an unspecified precision (-1 as size_t) clamped to a print buffer.
        int max = precision < 0 ? BufferSize : Math.Min(precision, BufferSize);
        if (s.Length > max)
        {
            s = s[..max];
        }
        int nul = s.IndexOf((byte)0);
        if (nul >= 0)
        {
            s = s[..nul];
        }

        // These loops stop at the end of the window, so the cursor never runs past it here.
        int len = s.Length;
        bool left = (flags & PrintfFlags.Left) != 0;
        if (!left)
        {
            c.RepeatBounded((byte)' ', width - len);
        }
        c.LiteralAll(s);
        if (left)
        {
            c.RepeatBounded((byte)' ', width - len);
        }
        if ((flags & PrintfFlags.ZeroPad) != 0)
        {
            c.PutBounded(0);
        }
    }

    private static void Binary(ref Cursor c, long num, int width, int precision, PrintfFlags flags)
    {
        precision = ValidBinarySize(precision);
        if (width == -1)
        {
            if (precision == -1)
            {
                width = 8;
                precision = 8;
            }
            else
            {
                width = precision;
            }
        }
        else if (precision == -1)
        {
            precision = ValidBinarySize(width);
            if (precision == -1)
            {
                precision = 8;
            }
        }

        bool left = (flags & PrintfFlags.Left) != 0;
        if (!left)
        {
            c.RepeatBounded(0, width - precision);
        }

        // The value is written whole or not at all.
        if (c.Room >= precision)
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, num);
            c.LiteralAll(bytes[..precision]);
        }
        if (left)
        {
            c.RepeatBounded(0, width - precision);
        }
    }

    private static int ValidBinarySize(int size) => size is -1 or 1 or 2 or 4 or 8 ? size : -1;

    /// <summary>
    /// The C output pointer: <see cref="Position"/> counts every byte stap would emit (it may pass
    /// <see cref="Capacity"/>), <see cref="Window"/> stores the ones that land inside it.
    /// </summary>
    internal ref struct Cursor
    {
        public readonly Span<byte> Window;
        public readonly long Capacity;
        public readonly bool Measuring;
        public long Position;

        public Cursor(Span<byte> window, long capacity, bool measuring)
        {
            Window = window;
            Capacity = capacity;
            Measuring = measuring;
            Position = 0;
        }

        /// <summary>end - str + 1 in stap's terms (negative once past the end).</summary>
        public readonly int Room => (int)Math.Clamp(Capacity - Position, int.MinValue, int.MaxValue);

        public void Put(byte b)
        {
            if ((ulong)Position < (ulong)Window.Length)
            {
                Window[(int)Position] = b;
            }
            Position++;
        }

        public void Repeat(byte b, int count)
        {
            if (count <= 0)
            {
                return;
            }
            Store(b, count);
            Position += count;
        }

        /// <summary>A padding loop that stops at the end of the window (stap checks str &lt;= end there).</summary>
        public void RepeatBounded(byte b, int count)
        {
            if (count <= 0)
            {
                return;
            }
            long n = Math.Min(count, Math.Max(Capacity - Position, 0));
            Store(b, (int)n);
            Position += n;
        }

        public void PutBounded(byte b)
        {
            if (Position < Capacity)
            {
                Put(b);
            }
        }

        /// <summary>A literal segment: copied up to its first NUL and the end of the window.</summary>
        public void Literal(scoped ReadOnlySpan<byte> text)
        {
            if (Measuring)
            {
                // stap sizes a literal with sizeof(), NULs included.
                Position += text.Length;
                return;
            }
            int nul = text.IndexOf((byte)0);
            LiteralAll(nul >= 0 ? text[..nul] : text);
        }

        /// <summary>Copies bytes up to the end of the window.</summary>
        public void LiteralAll(scoped ReadOnlySpan<byte> text)
        {
            long n = Math.Min(text.Length, Math.Max(Capacity - Position, 0));
            if (n <= 0)
            {
                return;
            }
            if (Position < Window.Length)
            {
                int k = (int)Math.Min(n, Window.Length - Position);
                text[..k].CopyTo(Window[(int)Position..]);
            }
            Position += n;
        }

        private readonly void Store(byte b, int count)
        {
            if (Position < Window.Length)
            {
                int k = (int)Math.Min(count, Window.Length - Position);
                Window.Slice((int)Position, k).Fill(b);
            }
        }
    }
}
