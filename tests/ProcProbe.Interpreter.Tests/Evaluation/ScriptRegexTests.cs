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
        rx.ResolveGroups(bytes);
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
    [InlineData("$", "abc", "")]                    // the empty match at the end, after failed starts
    [InlineData("c*$", "abcc", "cc")]
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
        {
            rx.Match(subject);
            rx.ResolveGroups(subject);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            rx.Match(subject);
            rx.ResolveGroups(subject);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void DfaPath_AgreesWithPikeVm_OnEveryGroup_ForRandomPatternsAndSubjects()
    {
        // Small alphabets make matches, near misses, anchors and empty matches all frequent.
        var random = new Random(20261127);
        string[] atoms = ["a", "b", ".", "[ab]", "[^a]", "^", "$", "(a|b)", "(ab|a)", "()", "(a*)", "(b|)"];
        string[] repeats = ["", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}"];
        int compared = 0, matched = 0;
        for (int n = 0; n < 20_000; n++)
        {
            var pattern = new StringBuilder();
            int parts = random.Next(1, 6);
            for (int i = 0; i < parts; i++)
            {
                if (i > 0 && random.Next(8) == 0)
                    pattern.Append('|');
                pattern.Append(atoms[random.Next(atoms.Length)]).Append(repeats[random.Next(repeats.Length)]);
            }
            var dfa = ScriptRegex.TryCreate(Encoding.Latin1.GetBytes(pattern.ToString()), out _);
            var pike = ScriptRegex.TryCreate(Encoding.Latin1.GetBytes(pattern.ToString()), out _);
            if (dfa is null || pike is null)
                continue;
            pike.ForcePikeVm = true;
            for (int k = 0; k < 4; k++)
            {
                var subject = new byte[random.Next(0, 9)];
                for (int i = 0; i < subject.Length; i++)
                    subject[i] = (byte)"abc"[random.Next(3)];
                bool expected = pike.Match(subject);
                Assert.True(expected == dfa.Match(subject), $"/{pattern}/ on \"{Encoding.Latin1.GetString(subject)}\"");
                compared++;
                if (!expected)
                    continue;
                matched++;
                dfa.ResolveGroups(subject);
                for (int g = 0; g <= dfa.GroupCount; g++)
                {
                    Assert.True(pike.GroupStart(g) == dfa.GroupStart(g) && pike.GroupEnd(g) == dfa.GroupEnd(g),
                        $"/{pattern}/ on \"{Encoding.Latin1.GetString(subject)}\", group {g}: " +
                        $"Pike VM {pike.GroupStart(g)}..{pike.GroupEnd(g)}, DFA path {dfa.GroupStart(g)}..{dfa.GroupEnd(g)}");
                }
            }
        }
        Assert.True(compared > 40_000 && matched > compared / 4, $"compared {compared}, matched {matched}");
    }

    [Fact]
    public void LongLiteral_AgainstLongSubject_StaysOnTheDfa_WithStatesLinearInThePattern()
    {
        // A fuzz finding: a 600-byte literal searched in a 511-byte string inside a MAXACTION loop took
        // seconds on the Pike VM (O(subject × pattern) per match).
        var rx = Compile(new string('z', 600));
        var subject = Encoding.Latin1.GetBytes("AA" + new string('z', 509));
        for (int i = 0; i < 3; i++)
            Assert.False(rx.Match(subject));
        Assert.False(rx.UsesPikeVmOnly);
        Assert.InRange(rx.DfaStateCount, 1, 2 * 600 + 4);

        var hit = Compile("z{100}");
        Assert.True(hit.Match(subject));
        Assert.Equal((2, 102), (hit.GroupStart(0), hit.GroupEnd(0)));
        Assert.False(hit.UsesPikeVmOnly);
    }

    [Fact]
    public void PatternWhoseDfaOutgrowsTheCap_FallsBackToThePikeVm_WithTheSameResult()
    {
        // (a|b)*a(a|b){12}: the DFA needs 2^13 states to remember the last 13 bytes.
        var rx = Compile("(a|b)*a(a|b){12}");
        var random = new Random(5);
        var subject = new byte[4000];
        for (int i = 0; i < subject.Length; i++)
            subject[i] = (byte)(random.Next(2) == 0 ? 'a' : 'b');
        Assert.True(rx.Match(subject));
        Assert.True(rx.UsesPikeVmOnly);
        var pike = Compile("(a|b)*a(a|b){12}");
        pike.ForcePikeVm = true;
        Assert.True(pike.Match(subject));
        Assert.Equal((pike.GroupStart(0), pike.GroupEnd(0)), (rx.GroupStart(0), rx.GroupEnd(0)));
    }
}
