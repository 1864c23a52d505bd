using System.Globalization;
using System.Text;
using ProcProbe.Cli.Tests.Sessions;
using Xunit.Abstractions;

namespace ProcProbe.Cli.Tests.Reliability;

/// <summary>
/// Hostile input through the real binary: huge scripts, 10,000-deep nesting, invalid UTF-8 and NUL
/// bytes in scripts and in written data, and a 1 GiB stream through a write probe. procprobe may
/// refuse an input with a diagnostic (exit 1) but must never crash, hang or leak memory.
/// </summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class HostileInputTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("procprobe-hostile-").FullName;

    public void Dispose() => ReliabilityProcess.RemoveTree(_dir);

    private ProcessResult RunScript(byte[] script, params string[] args)
    {
        string file = Path.Combine(_dir, "script.stp");
        File.WriteAllBytes(file, script);
        var result = ProcProbeBinary.Run([.. args, file], timeout: TimeSpan.FromSeconds(120));
        Assert.False(result.TimedOut, "procprobe hung");
        return result;
    }

    /// <summary>Exit 0, or exit 1 with a diagnostic; never a signal, an unhandled exception or an internal error.</summary>
    private static void AssertRefusedOrRun(ProcessResult r, string what)
    {
        string err = r.StderrText;
        Assert.True(r.ExitCode is 0 or 1, $"{what}: exit {r.ExitCode} (a crash?); stderr: {Head(err)}");
        Assert.DoesNotContain("Unhandled exception", err);
        Assert.DoesNotContain("Stack overflow", err);
        Assert.DoesNotContain("internal error", err);
        if (r.ExitCode == 1)
        {
            Assert.True(err.Contains("error", StringComparison.Ordinal), $"{what}: exit 1 without a diagnostic: {Head(err)}");
        }
    }

    private static string Head(string s) => s.Length > 2000 ? s[..2000] + "..." : s;

    [Fact]
    public void TenMegabyteScripts_RunOrAreRefused_WithinBounds()
    {
        // Valid: 10 MB of functions, probes and globals; the begin probe uses a few of them.
        var valid = new StringBuilder();
        int n = 0;
        while (valid.Length < 10 << 20)
        {
            valid.Append(CultureInfo.InvariantCulture, $"global g{n} = {n}\nfunction f{n}(a) {{ return a * {n} + g{n} - strlen(\"padding text for the lexer {n}\") }}\nprobe never {{ printf(\"%d\\n\", f{n}({n})) }}\n");
            n++;
        }
        valid.Append("probe begin { printf(\"%d %d\\n\", f1(2), f" + (n - 1).ToString(CultureInfo.InvariantCulture) + "(0)); exit() }\n");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var r = RunScript(Encoding.ASCII.GetBytes(valid.ToString()));
        output.WriteLine($"valid 10 MB script ({n} functions): exit {r.ExitCode} in {sw.Elapsed.TotalSeconds:F1} s");
        Assert.True(r.ExitCode == 0, Head(r.StderrText));
        static int Pad(int i) => $"padding text for the lexer {i}".Length;
        Assert.Equal($"{(2 * 1) + 1 - Pad(1)} {n - 1 - Pad(n - 1)}\n", r.StdoutText);

        // Garbage: 10 MB of random bytes.
        var random = new Random(1234);
        byte[] garbage = new byte[10 << 20];
        random.NextBytes(garbage);
        sw.Restart();
        r = RunScript(garbage);
        output.WriteLine($"10 MB of random bytes: exit {r.ExitCode} in {sw.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(1, r.ExitCode);
        AssertRefusedOrRun(r, "random bytes");

        // One 10 MB string literal.
        byte[] literal = Encoding.ASCII.GetBytes("probe begin { printf(\"%d\\n\", strlen(\"" + new string('s', 10 << 20) + "\")); exit() }\n");
        r = RunScript(literal);
        output.WriteLine($"10 MB string literal: exit {r.ExitCode}, stdout '{r.StdoutText.Trim()}'");
        AssertRefusedOrRun(r, "10 MB literal");
    }

    public static TheoryData<string, string, string> Nestings() => new()
    {
        // name, script, expected stdout when it runs
        { "parentheses", "probe begin { printf(\"%d\\n\", " + Repeat("(", 10_000) + "7" + Repeat(")", 10_000) + "); exit() }", "7\n" },
        { "blocks", "probe begin { " + Repeat("{ ", 10_000) + "printf(\"in\\n\")" + Repeat(" }", 10_000) + " exit() }", "in\n" },
        { "if", "probe begin { " + Repeat("if (1) ", 10_000) + "printf(\"deep\\n\"); exit() }", "deep\n" },
        { "while", "probe begin { " + Repeat("while (x < 1) ", 10_000) + "x++; printf(\"%d\\n\", x); exit() }", "1\n" },
        { "unary minus", "probe begin { printf(\"%d\\n\", " + Repeat("- ", 10_000) + "5); exit() }", "5\n" },
        { "logical not", "probe begin { printf(\"%d\\n\", " + Repeat("!", 10_000) + "5); exit() }", "0\n" },
        { "calls", "function f(x) { return x } probe begin { printf(\"%d\\n\", " + Repeat("f(", 10_000) + "3" + Repeat(")", 10_000) + "); exit() }", "3\n" },
        { "array index", "global a probe begin { printf(\"%d\\n\", " + Repeat("a[", 10_000) + "0" + Repeat("]", 10_000) + "); exit() }", "0\n" },
        { "ternary", "probe begin { printf(\"%d\\n\", " + Repeat("1 ? ", 10_000) + "9" + Repeat(" : 0", 10_000) + "); exit() }", "9\n" },
        { "addition chain", "probe begin { printf(\"%d\\n\", 0" + Repeat(" + 1", 10_000) + "); exit() }", "10000\n" },
        { "assignment chain", "global x probe begin { printf(\"%d\\n\", " + Repeat("x = ", 10_000) + "4); exit() }", "4\n" },
        { "concatenation chain", "probe begin { printf(\"%d\\n\", strlen(\"\"" + Repeat(" . \"a\"", 10_000) + ")); exit() }", "511\n" },
        { "preprocessor", "probe begin { " + Repeat("%( 1 == 1 %? ", 10_000) + "printf(\"pp\\n\")" + Repeat(" %)", 10_000) + "; exit() }", "pp\n" },
        { "unclosed", "probe begin { " + Repeat("(", 10_000), "" },
    };

    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();

    [Theory]
    [MemberData(nameof(Nestings))]
    public void TenThousandDeepNesting_RunsOrIsRefused_NeverCrashes(string name, string script, string expected)
    {
        var r = RunScript(Encoding.ASCII.GetBytes(script), "-DMAXACTION=100000000");
        output.WriteLine($"{name}: exit {r.ExitCode}; stdout '{r.StdoutText.Trim()}'; stderr '{Head(r.StderrText).Split('\n')[0]}'");
        AssertRefusedOrRun(r, name);
        if (r.ExitCode == 0)
        {
            Assert.Equal(expected, r.StdoutText);
        }
    }

    /// <summary>Bytes of a string whose chars are all below U+0100 (Latin-1 maps each char to one byte).</summary>
    private static byte[] L(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void InvalidUtf8AndNul_InScripts_PassThroughOrAreRefused()
    {
        // A string literal's bytes reach the output unchanged, whatever they are.
        string raw = "\u00ff\u00fe\u00c3(\u0080\u00ed\u00a0\u0080z";
        var r = RunScript(L("probe begin { printf(\"%s|\", \"" + raw + "\"); exit() } # comment \u00ff\u00fe\n"));
        Assert.True(r.ExitCode == 0, r.StderrText);
        Assert.Equal(L(raw + "|"), r.Stdout);

        // Invalid UTF-8 in comments is skipped.
        r = RunScript(L("# \u00ff\u00fe\u00c0\u00af\n// \u00ff\n/* \u00fe\u0080 */ probe begin { printf(\"ok\\n\"); exit() }\n"));
        Assert.True(r.ExitCode == 0 && r.StdoutText == "ok\n", r.StderrText);

        // Invalid bytes or NUL where a token should be, or inside a literal: run or a diagnostic, never a crash.
        foreach (string hostile in new[]
        {
            "probe begin { \u00ff\u00fe = 1 }",
            "probe begin { x = 1 \0 exit() }",
            "probe begin { printf(\"a\0b\\n\"); exit() }",
            "probe procfs(\"x\0y\").read { $value = \"v\" } probe begin { exit() }",
            "\0probe begin { exit() }",
            "probe begin { exit() }\0",
            "probe begin { printf(\"%s\\n\", @1); exit() }",
            "probe begin { printf(\"\u00ff%\u00fe\\n\"); exit() }",
            "probe begin { printf(\"%s\\n\", \"\\\u00ff\"); exit() }",
        })
        {
            r = RunScript(L(hostile));
            AssertRefusedOrRun(r, Convert.ToHexString(L(hostile)));
        }
    }

    [Fact]
    public void InvalidUtf8Path_IsServedByItsBytes()
    {
        string file = Path.Combine(_dir, "path.stp");
        File.WriteAllBytes(file, L("probe procfs(\"bin\u00ff\u00fe\").read { $value = \"raw name\\n\" }"));
        using var run = ReliabilityProcess.Start(null, scriptFile: file);
        Assert.Equal("bin\\377\\376", Shell.Bash($"ls -b '{run.Directory}'").Trim());
        Assert.Equal("raw name\n", Shell.Bash($"cat '{run.Directory}'/bin$'\\xff\\xfe'"));
        Assert.Equal(0, run.Stop(ReliabilityProcess.SigTerm));
    }

    [Fact]
    public void InvalidUtf8AndNul_InWrittenData_ReachTheHandlerAsBytes()
    {
        const string script = """
            global last, count
            probe procfs("d").write { last = $value; count++ }
            probe procfs("d").read { $value = last }
            probe procfs("n").read { $value = sprintf("%d %d\n", count, strlen(last)) }
            """;
        using var run = ReliabilityProcess.Start(script);
        string d = run.PathOf("d");

        // Every byte value but NUL, in one write: the handler gets exactly those bytes.
        byte[] all = Enumerable.Range(1, 255).Select(i => (byte)i).ToArray();
        File.WriteAllBytes(d, all);
        Assert.Equal(all, File.ReadAllBytes(d));

        // $value is a C string: it ends at the first NUL, and the write still reports every byte taken.
        byte[] withNul = [0xff, 0x80, (byte)'a', 0, (byte)'b', 0xfe];
        using (var fs = new FileStream(d, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None))
        {
            fs.Write(withNul);
        }
        Assert.Equal(new byte[] { 0xff, 0x80, (byte)'a' }, File.ReadAllBytes(d));
        Assert.Equal("2 3\n", FaultTests.Cat(run.PathOf("n")));
        Assert.Equal(0, run.Stop(ReliabilityProcess.SigTerm));
    }

    [Fact]
    public void OneGibibyteStream_ThroughAWriteProbe_AllArrives_MemoryStaysFlat()
    {
        const string script = """
            global bytes, calls
            probe procfs("sink").write { bytes += strlen($value); calls++ }
            probe end { printf("bytes %d calls %d\n", bytes, calls) }
            """;
        // 64 KiB strings so a 1 GiB stream is 16,384 handler runs, each handed a fresh 64 KiB $value.
        using var run = ReliabilityProcess.Start(script, ["-DMAXSTRINGLEN=65536"]);
        const long warmUp = 64L << 20, total = 1L << 30;
        var first = LoadClient.Run(TimeSpan.FromMinutes(2), "stream", run.PathOf("sink"), warmUp.ToString(CultureInfo.InvariantCulture), "1048576");
        Assert.True(first.ExitCode == 0, first.ToString());
        long baseline = run.RssKb();

        var samples = new List<long>();
        var client = LoadClient.Start("stream", run.PathOf("sink"), total.ToString(CultureInfo.InvariantCulture), "1048576");
        while (!client.WaitForExit(100))
        {
            samples.Add(run.RssKb());
        }
        var result = LoadClient.Finish(client, TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0 && result.Bytes == total, result.ToString());
        samples.Add(run.RssKb());

        Assert.Equal(0, run.Stop(ReliabilityProcess.SigTerm, 30_000));
        long calls = first.Calls + result.Calls;
        Assert.Equal($"bytes {warmUp + total} calls {calls}\n", run.Stdout);
        long peak = samples.Max();
        output.WriteLine($"streamed {warmUp + total} bytes in {calls} write calls; VmRSS baseline {baseline} KiB, peak {peak} KiB, {samples.Count} samples");
        Assert.True(peak <= baseline + LoadTests.ToleranceKb, $"VmRSS grew from {baseline} KiB to {peak} KiB while 1 GiB went through");
    }
}
