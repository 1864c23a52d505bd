using System.Buffers.Binary;
using System.Numerics;

namespace ProcProbe.Cli.Hosting;

/// <summary>Default module names in stap's shape: <c>stap_</c>, 32 hex digits of a hash of the script, <c>_PID</c>.</summary>
internal static class ModuleNaming
{
    public static string Default(ReadOnlySpan<byte> script, int pid)
    {
        Span<byte> hash = stackalloc byte[Md5.HashSizeInBytes];
        Md5.HashData(script, hash);
        string name = $"stap_{Convert.ToHexStringLower(hash)}_{pid}";
        return name.Length <= CommandLine.CommandLineParser.MaxModuleNameLength
            ? name
            : name[..CommandLine.CommandLineParser.MaxModuleNameLength];
    }
}

/// <summary>
/// MD5 (RFC 1321), for the default module name only. System.Security.Cryptography's MD5 loads OpenSSL
/// (libssl and libcrypto) at its first use, which costs more than the rest of a small script's start.
/// </summary>
internal static class Md5
{
    public const int HashSizeInBytes = 16;

    // Per-step left rotations, four per round.
    private static ReadOnlySpan<byte> Shifts =>
    [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];

    // The additive constants: the integer part of 2^32 * |sin(i + 1)| (RFC 1321 §3.4), exact in double precision.
    private static readonly uint[] s_constants = BuildConstants();

    private static uint[] BuildConstants()
    {
        var k = new uint[64];
        for (int i = 0; i < k.Length; i++)
        {
            k[i] = (uint)(long)Math.Floor(Math.Abs(Math.Sin(i + 1)) * 4294967296.0);
        }
        return k;
    }

    public static void HashData(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        uint a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;
        int whole = data.Length & ~63;
        for (int offset = 0; offset < whole; offset += 64)
        {
            Block(data.Slice(offset, 64), ref a, ref b, ref c, ref d);
        }

        // The tail, a 0x80 byte, zeros up to 56 mod 64, then the length in bits (little-endian).
        Span<byte> last = stackalloc byte[128];
        last.Clear();
        int rest = data.Length - whole;
        data[whole..].CopyTo(last);
        last[rest] = 0x80;
        int padded = rest < 56 ? 64 : 128;
        BinaryPrimitives.WriteUInt64LittleEndian(last[(padded - 8)..], (ulong)data.Length * 8);
        for (int offset = 0; offset < padded; offset += 64)
        {
            Block(last.Slice(offset, 64), ref a, ref b, ref c, ref d);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, a);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], b);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], c);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], d);
    }

    private static void Block(ReadOnlySpan<byte> block, ref uint a0, ref uint b0, ref uint c0, ref uint d0)
    {
        Span<uint> m = stackalloc uint[16];
        for (int i = 0; i < 16; i++)
        {
            m[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(4 * i)..]);
        }

        uint a = a0, b = b0, c = c0, d = d0;
        ReadOnlySpan<byte> shifts = Shifts;
        uint[] k = s_constants;
        for (int i = 0; i < 64; i++)
        {
            uint f;
            int g;
            switch (i >> 4)
            {
                case 0:
                    f = (b & c) | (~b & d);
                    g = i;
                    break;
                case 1:
                    f = (d & b) | (~d & c);
                    g = (5 * i + 1) & 15;
                    break;
                case 2:
                    f = b ^ c ^ d;
                    g = (3 * i + 5) & 15;
                    break;
                default:
                    f = c ^ (b | ~d);
                    g = (7 * i) & 15;
                    break;
            }

            f += a + k[i] + m[g];
            a = d;
            d = c;
            c = b;
            b += BitOperations.RotateLeft(f, shifts[i]);
        }

        a0 += a;
        b0 += b;
        c0 += c;
        d0 += d;
    }
}
