using System.Security.Cryptography;
using System.Text;
using ProcProbe.Cli.Hosting;

namespace ProcProbe.Cli.Tests.Cli;

/// <summary>The default module name's hash is MD5, computed without OpenSSL: it must equal the library's.</summary>
public sealed class ModuleNamingTests
{
    [Theory]
    [InlineData("", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("a", "0cc175b9c0f1b6a831c399e269772661")]
    [InlineData("abc", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("message digest", "f96b697d7cb7938d525a2f31aaf161d0")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
    public void Md5_MatchesTheRfcTestSuite(string text, string expected)
    {
        Span<byte> hash = stackalloc byte[Md5.HashSizeInBytes];
        Md5.HashData(Encoding.ASCII.GetBytes(text), hash);
        Assert.Equal(expected, Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Md5_EqualsTheLibraryAtEveryLengthAroundTheBlockAndPaddingEdges()
    {
        var data = new byte[300];
        new Random(1).NextBytes(data);
        Span<byte> ours = stackalloc byte[Md5.HashSizeInBytes];
        for (int length = 0; length <= data.Length; length++)
        {
            Md5.HashData(data.AsSpan(0, length), ours);
            Assert.Equal(MD5.HashData(data.AsSpan(0, length)), ours.ToArray());
        }
    }

    [Fact]
    public void DefaultName_IsStapShaped()
    {
        byte[] script = Encoding.ASCII.GetBytes("probe begin { exit() }");
        Assert.Equal($"stap_{Convert.ToHexStringLower(MD5.HashData(script))}_42", ModuleNaming.Default(script, 42));
    }
}
