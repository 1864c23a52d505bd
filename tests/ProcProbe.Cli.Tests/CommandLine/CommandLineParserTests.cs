using ProcProbe.Cli.CommandLine;

namespace ProcProbe.Cli.Tests.CommandLine;

public sealed class CommandLineParserTests
{
    [Fact]
    public void ClusteredShortOptions_ParseLikeGetopt()
    {
        CliOptions o = CommandLineParser.Parse(["-vvup2", "-mNAME", "-e", "probe begin {}"]);
        Assert.Equal([2, 2, 2, 2, 2], o.PassVerbosity);
        Assert.True(o.Unoptimized);
        Assert.Equal(2, o.LastPass);
        Assert.Equal("NAME", o.ModuleName);
        Assert.Equal("probe begin {}", o.ScriptText);
    }

    [Fact]
    public void ScriptFile_TakesFollowingArguments_AndOptionsMayFollowIt()
    {
        CliOptions o = CommandLineParser.Parse(["script.stp", "a1", "-v", "a2", "--", "-x"]);
        Assert.Equal("script.stp", o.ScriptFile);
        Assert.Equal(["a1", "a2", "-x"], o.Arguments);
        Assert.Equal(1, o.Verbosity(1));
    }

    [Fact]
    public void WithDashE_AllPositionalsAreArguments()
    {
        CliOptions o = CommandLineParser.Parse(["-e", "probe begin {}", "x", "y"]);
        Assert.Null(o.ScriptFile);
        Assert.Equal(["x", "y"], o.Arguments);
    }

    [Fact]
    public void Vp_AddsPerPassVerbosity()
    {
        CliOptions o = CommandLineParser.Parse(["--vp", "05", "-e", "probe begin {}"]);
        Assert.Equal([0, 5, 0, 0, 0], o.PassVerbosity);
        o = CommandLineParser.Parse(["--vp=1", "-v", "-e", "probe begin {}"]);
        Assert.Equal([2, 1, 1, 1, 1], o.PassVerbosity);
    }

    [Theory]
    [InlineData(new[] { "--vp", "123456", "-e", "x" }, "Invalid --vp argument: it takes 1 to 5 digits.", 1)]
    [InlineData(new[] { "-p", "7", "-e", "x" }, "Invalid pass number (should be 1-5).", 1)]
    [InlineData(new[] { "-x", "abc", "-e", "x" }, "Invalid target process ID number.", 1)]
    [InlineData(new[] { "-T", "abc", "-e", "x" }, "Invalid timeout interval.", 1)]
    [InlineData(new[] { "-e", "x", "-e", "y" }, "Only one script can be given on the command line.", 1)]
    [InlineData(new[] { "-m", "", "-e", "x" }, "Module name cannot be empty.", 1)]
    [InlineData(new[] { "-D", "x y", "-e", "x" }, "ERROR: Safety pattern mismatch for -D parameter ('x y' vs. '^[a-z_][a-z_0-9]*(=-?[a-z_0-9]+)?$') rc=1", 1)]
    [InlineData(new[] { "-e" }, "option requires an argument -- 'e'", 2)]
    [InlineData(new[] { "-Q", "-e", "x" }, "invalid option -- 'Q'", 2)]
    [InlineData(new string[0], "A script must be specified.", 2)]
    [InlineData(new[] { "-l", "procfs.*", "-e", "x" }, "Cannot specify a script with -l/-L/--dump-* switches.", 2)]
    public void RejectedValues_GiveStapsMessage(string[] args, string message, int exitCode)
    {
        var e = Assert.Throws<UsageException>(() => CommandLineParser.Parse(args));
        Assert.Equal(message, e.Message);
        Assert.Equal(exitCode, e.ExitCode);
    }

    [Theory]
    [InlineData("abc.ko", "abc", "Truncating module name to 'abc'")]
    [InlineData("ABC_def", "ABC_def", null)]
    public void ModuleNames_FollowStapsRules(string given, string expected, string? notice)
    {
        CliOptions o = CommandLineParser.Parse(["-m", given, "-e", "x"]);
        Assert.Equal(expected, o.ModuleName);
        Assert.Equal(notice is null ? [] : [notice], o.Notices);
    }

    [Fact]
    public void LongModuleName_IsCutTo55()
    {
        CliOptions o = CommandLineParser.Parse(["-m", new string('a', 60), "-e", "x"]);
        Assert.Equal(new string('a', 55), o.ModuleName);
        Assert.Equal([$"Truncating module name to '{new string('a', 55)}'"], o.Notices);
    }

    [Theory]
    [InlineData("-k")]
    [InlineData("-r")]
    [InlineData("--runtime=bpf")]
    public void KernelOnlyOptions_AreRefusedSayingWhy(string option)
    {
        var e = Assert.Throws<UsageException>(() => CommandLineParser.Parse([option, "x", "-e", "x"]));
        Assert.Contains("procprobe runs in user space", e.Message);
        Assert.Equal(2, e.ExitCode);
    }
}
