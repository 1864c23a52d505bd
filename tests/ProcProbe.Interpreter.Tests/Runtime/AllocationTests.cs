using ProcProbe.Interpreter.Runtime.Builtins;
using ProcProbe.Interpreter.Runtime.Printf;
using ProcProbe.Interpreter.Runtime.Text;
using static ProcProbe.Interpreter.Tests.Runtime.RuntimeTestHelpers;

namespace ProcProbe.Interpreter.Tests.Runtime;

/// <summary>The hot-path rule: once buffers are warm, formatting and builtins allocate nothing.</summary>
public class AllocationTests
{
    private static long AllocatedBy(Action action)
    {
        action(); // warm up: JIT, buffer growth, pool arrays
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 100; k++)
        {
            action();
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Printf_and_sprintf_on_warm_buffers_allocate_nothing()
    {
        PrintfFormat f = ParseOk("%d %5i %-5u %#o %x %X %p %c %#c %.3s %*.*s %b %05s %% %ld\n");
        byte[] text = B("hello world");
        var output = new ByteBuilder();
        ByteBuilder str = StapString.CreateBuilder();
        PrintfArgBuffer buf = default;
        buf[0] = -12345;
        buf[1] = 42;
        buf[2] = -1;
        buf[3] = 8;
        buf[4] = 255;
        buf[5] = 255;
        buf[6] = 0x1234;
        buf[7] = 65;
        buf[8] = 10;
        buf[9] = new PrintfArg(text);
        buf[10] = 8;
        buf[11] = 4;
        buf[12] = new PrintfArg(text);
        buf[13] = 0x41424344;
        buf[14] = new PrintfArg(text);
        buf[15] = 7;
        int n = f.ArgumentCount;
        Assert.Equal(16, n);

        long bytes = AllocatedBy(() =>
        {
            output.Clear();
            f.Format(output, buf[..n]);
            str.Clear();
            f.FormatString(str, buf[..n]);
        });
        Assert.Equal(0, bytes);
        Assert.True(output.Length > 0);
    }

    [Fact]
    public void Print_family_allocates_nothing()
    {
        var output = new ByteBuilder();
        ByteBuilder str = StapString.CreateBuilder();
        byte[] text = B("value");
        byte[] delim = B(", ");
        PrintfArgBuffer buf = default;
        buf[0] = new PrintfArg(text);
        buf[1] = long.MinValue;
        buf[2] = 99;
        long bytes = AllocatedBy(() =>
        {
            output.Clear();
            PrintFamily.Print(output, buf[..3]);
            PrintFamily.PrintLn(output, buf[..3]);
            PrintFamily.PrintDLn(output, delim, buf[..3]);
            PrintFamily.PrintChar(output, 65);
            str.Clear();
            PrintFamily.SPrintD(str, delim, buf[..3]);
        });
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void String_builtins_allocate_nothing()
    {
        ByteBuilder dest = StapString.CreateBuilder();
        using var tokenizer = new Tokenizer();
        byte[] s = B("hello wörld \u0001 \"quoted\" 0x1f");
        byte[] o = B("o");
        byte[] zero = B("0");
        byte[] space = B(" ");
        long bytes = AllocatedBy(() =>
        {
            dest.Clear();
            StringBuiltins.StrReplace(dest, s, o, zero);
            dest.Clear();
            StringBuiltins.TextStr(dest, s);
            dest.Clear();
            StringBuiltins.TextStrn(dest, s, 10, 1);
            dest.Clear();
            StringBuiltins.StringQuoted(dest, s);
            dest.Clear();
            tokenizer.Next(dest, s, space);
            tokenizer.Next(dest, default, space);
            dest.Clear();
            TimeBuiltins.Ctime(dest, 1000000000);
            StringBuiltins.StrToL(s.AsSpan(s.Length - 4), 0);
            StringBuiltins.StringAt(s, 3, out _);
            StringBuiltins.Substr(s, 2, 5);
            StringBuiltins.StrPos(s, o);
            IntegerOps.Divide(7, 0, out _);
            TimeBuiltins.GettimeofdayNs();
            TimeBuiltins.LocalClockNs();
            RandomBuiltins.RandInt(100, out _);
        });
        Assert.Equal(0, bytes);
    }
}
