using System.Text;
using ProcProbe.Interpreter.Evaluation;

namespace ProcProbe.Interpreter.Tests.Evaluation;

/// <summary>POSIX ERE semantics of <c>=~</c>: leftmost, then longest; bytes; TRE's error texts.</summary>
public class ScriptRegexTests
{
    private static ScriptRegex Compile(string pattern)
    {
        var rx = ScriptRegex.TryCreate(Encoding.Latin1.GetBytes(pattern), out string? error);
        Assert.True(rx is not null, error);
        return rx!;
    }

    private static string? Find(string pattern, string subject, int group = 0)
    {
        var rx = Compile(pattern);
        var bytes = Encoding.Latin1.GetBytes(subject);
        if (!rx.Match(bytes))
            return null;
        int start = rx.GroupStart(group);
        return start < 0 ? "<unset>" : Encoding.Latin1.GetString(bytes, start, rx.GroupEnd(group) - start);
    }

    [Theory]
    [InlineData("a|ab", "abc", "ab")]               // longest, not first alternative
    [InlineData("(a|ab)(c|bcd)", "abcd", "abcd")]
    [InlineData("x*", "aaa", "")]                   // leftmost: the empty match at 0
    [InlineData("b+", "abbbc", "bbb")]
    [InlineData("^ab", "abab", "ab")]
    [InlineData("ab$", "abab", "ab")]
    [InlineData("[[:digit:]]+", "ab123c", "123")]
    [InlineData("[^a-c]+", "abcxyzab", "xyz")]
    [InlineData("[]a]+", "x]a]y", "]a]")]
    [InlineData("a{2,3}", "aaaa", "aaa")]
    [InlineData("a{2}", "aaaa", "aa")]
    [InlineData("(ab){2,}", "abababx", "ababab")]
    [InlineData("a.c", "xxabcxx", "abc")]
    [InlineData("\\.", "a.b", ".")]
    [InlineData("\\d+\\s\\w+", "id 42 foo_1!", "42 foo_1")]
    [InlineData("(a*)*b", "aaab", "aaab")]
    [InlineData("a)", "a)", "a)")]                  // an unmatched ) is literal in ERE
    public void MatchesLeftmostLongest(string pattern, string subject, string expected)
        => Assert.Equal(expected, Find(pattern, subject));

    [Theory]
    [InlineData("^abc$", "xabc")]
    [InlineData("[0-9]", "abc")]
    [InlineData("a{3}", "aa")]
    public void DoesNotMatch(string pattern, string subject) => Assert.Null(Find(pattern, subject));

    [Fact]
    public void GroupsAreReported()
    {
        Assert.Equal("key", Find("([a-z]+)=([0-9]+)", "key=42;", 1));
        Assert.Equal("42", Find("([a-z]+)=([0-9]+)", "key=42;", 2));
        Assert.Equal("<unset>", Find("(x)|(y)", "y", 1));
        Assert.Equal(2, Compile("(a)(b)").GroupCount);
    }

    [Theory]
    [InlineData("(ab", "Missing ')'")]
    [InlineData("[ab", "Missing ']'")]
    [InlineData("*a", "Invalid preceding regular expression")]
    [InlineData("a{3,2}", "Invalid contents of {}")]
    [InlineData("[[:nope:]]", "Unknown character class name")]
    [InlineData("[z-a]", "Invalid character range")]
    [InlineData("ab\\", "Trailing backslash")]
    public void InvalidPatternsAreRefused(string pattern, string message)
    {
        Assert.Null(ScriptRegex.TryCreate(Encoding.Latin1.GetBytes(pattern), out string? error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void WarmMatchAllocatesNothing()
    {
        var rx = Compile("([a-z]+)=([0-9]+)|x*y");
        var subject = "some text key=12345 more"u8.ToArray();
        for (int i = 0; i < 20; i++)
            rx.Match(subject);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
            rx.Match(subject);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
