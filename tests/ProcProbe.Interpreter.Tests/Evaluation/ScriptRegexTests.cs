using System.Text;
using ProcProbe.Interpreter.Evaluation;

namespace ProcProbe.Interpreter.Tests.Evaluation;

/// <summary>
/// stap's regex dialect for <c>=~</c>: leftmost, then longest; bytes; stap's acceptance and error texts.
/// Patterns are written as a literal's stored text (C escapes still spelled out), as the binder passes them;
/// expectations come from stap 4.8 (pass 2 for errors, its generated DFA for matches).
/// </summary>
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
    [InlineData("\\\\.", "a.b", ".")]           // stored \\. : a quoted dot
    [InlineData("\\.", "a.b", "a")]               // stored \. decodes to a bare dot: any byte
    [InlineData("(a*)*b", "aaab", "aaab")]
    public void MatchesLeftmostLongest(string pattern, string subject, string expected)
        => Assert.Equal(expected, Find(pattern, subject));

    [Theory]
    [InlineData("\\\\d+", "a1dd", "dd")]         // \d is a quoted letter d, not a digit class
    [InlineData("\\\\w\\\\s\\\\b", "x wsb", "wsb")]
    [InlineData("\\\\<a\\\\>", "<a>", "<a>")]
    [InlineData("\\\\\\\\", "a\\b", "\\")]     // \\\\ : a quoted backslash
    [InlineData("\\x41\\102\\n", "xAB\n", "AB\n")] // hex and octal escapes decoded by the regex reader
    [InlineData("[[:d:]]+[[:s:]][[:u:]][[:l:]]", "x12 Ab", "12 Ab")]
    [InlineData("[[:alpha:][:digit:]]+", "--a1--", "a1")]
    [InlineData("[[:punct:]]+", "a\\!-b", "!-")]     // punct leaves out the backslash
    [InlineData("[]a]+", "x]a]y", "]a]")]
    [InlineData("[a-]+", "x-a-y", "-a-")]
    [InlineData("(?:a)", "a:a", ":a")]               // (?: drops only the ?, the : stays a literal
    [InlineData("a)", "a)", "a")]                    // a ) read last is dropped
    [InlineData("a\\000b", "xab", "ab")]            // a decoded NUL vanishes from the pattern
    [InlineData("a$|b", "ab", "b")]
    [InlineData("(a|$)", "x", "")]
    [InlineData(".", "\u00e9", "\u00e9")]          // bytes above 0x7F are one "unknown" byte
    [InlineData("[^a]", "a\u00e9", "\u00e9")]
    [InlineData("\\x80", "a\u00e9", "\u00e9")]
    [InlineData("[^\\x01-\\x7f]", "a\u00ff", "\u00ff")]
    [InlineData("a{0}b", "ab", "b")]
    [InlineData("a{2,}", "aaaa", "aaaa")]
    [InlineData("a**", "aa", "aa")]
    [InlineData("a+?", "aa", "aa")]
    [InlineData("(^)*a", "ba", "a")]
    [InlineData("x{2}{3}", "xxxxxxx", "xxxxxx")]
    public void Dialect_MatchesAsStap(string pattern, string subject, string expected)
        => Assert.Equal(expected, Find(pattern, subject));

    [Theory]
    [InlineData("$$", "")]
    [InlineData("$$", "x")]
    [InlineData("a$b", "ab")]
    [InlineData("a^b", "ab")]
    [InlineData("$^", "")]
    [InlineData("(?:a)", "a")]
    [InlineData("[[:punct:]]", "\\")]
    [InlineData("\\x80", "a")]
    [InlineData("^abc$", "xabc")]
    [InlineData("[0-9]", "abc")]
    [InlineData("a{3}", "aa")]
    public void DoesNotMatch(string pattern, string subject) => Assert.Null(Find(pattern, subject));

    [Fact]
    public void Alternatives_PutByteSetsFirst_AsStapMergesThem()
    {
        // stap merges single-byte alternatives into one set tried before the rest
        Assert.Equal("<unset>", Find("(a)|a", "a", 1));
        Assert.Equal("<unset>", Find("a|(a)", "a", 1));
        Assert.Equal("a", Find("(a)|b|(a)", "a", 1));
        Assert.Equal("a", Find("(a|ab)(c|bcd)(d*)", "abcd", 1));
        Assert.Equal("bcd", Find("(a|ab)(c|bcd)(d*)", "abcd", 2));
        Assert.Equal("ab", Find("(.*)(b)", "abb", 1));
        Assert.Equal(0, Compile("(?:a)").GroupCount);
        Assert.Equal(2, Compile("(a)(?:b)(c)").GroupCount);
    }

    [Fact]
    public void GroupsAreReported()
    {
        Assert.Equal("key", Find("([a-z]+)=([0-9]+)", "key=42;", 1));
        Assert.Equal("42", Find("([a-z]+)=([0-9]+)", "key=42;", 2));
        Assert.Equal("<unset>", Find("(x)|(y)", "y", 1));
        Assert.Equal(2, Compile("(a)(b)").GroupCount);
    }

    [Theory]
    [InlineData("(", "(at position 0): expected ), found end of regex")]
    [InlineData("(a", "(at position 1): expected ), found end of regex")]
    [InlineData("(?:", "(at position 2): expected ), found end of regex")]
    [InlineData("a)b", "(at position 2): unbalanced ')'")]
    [InlineData("\\\\", "(at position 2): unexpected end of regex")]
    [InlineData("*", "(at position 0): unexpected '*'")]
    [InlineData("a|+", "(at position 2): unexpected '+'")]
    [InlineData("{", "(at position 0): unexpected '{'")]
    [InlineData("a{", "(at position 2): expected number")]
    [InlineData("a{}", "(at position 3): expected number")]
    [InlineData("a{,2}", "(at position 3): expected number")]
    [InlineData("a{1", "(at position 3): unexpected end of regex")]
    [InlineData("a{1,", "(at position 4): expected '}' or number")]
    [InlineData("a{1,2", "(at position 4): expected }, found end of regex")]
    [InlineData("a{1x}", "(at position 3): expected ',' or '}'")]
    [InlineData("a{12345}", "(at position 8): 12345 is too large")]
    [InlineData("a{99999999999999999999}", "(at position 23): could not parse number 99999999999999999999")]
    [InlineData("^*", "(at position 1): postfix closure '*' applied to anchoring operator")]
    [InlineData("$+", "(at position 1): postfix closure '+' applied to anchoring operator")]
    [InlineData("(?a)", "(at position 2): unexpected '(?a'")]
    [InlineData("(?", "(at position 1): unexpected '(?")]
    [InlineData("[", "(at position 0): unclosed character class")]
    [InlineData("[]", "(at position 1): unclosed character class")]
    [InlineData("[^]", "(at position 2): unclosed character class")]
    [InlineData("[ab", "(at position 2): unclosed character class")]
    [InlineData("[z-a]", "(at position 4): Inverted character range z-a")]
    [InlineData("[[:alpha:]", "(at position 10): unclosed character class '[:alpha:'")]
    [InlineData("[[:alpha", "(at position 8): unclosed character class '[:alph'")]
    [InlineData("[[:foo:]]", ": unknown character class 'foo'")]
    [InlineData("\\x4", "(at position 1): two hex digits required in escape sequence")]
    [InlineData("\\x4g", "(at position 2): two hex digits required in escape sequence")]
    [InlineData("\\xzz", "(at position 3): two hex digits required in escape sequence")]
    [InlineData("\\10", "(at position 1): three octal digits required in escape sequence")]
    [InlineData("\\400", "(at position 1): octal escape sequence out of range")]
    [InlineData("a{2,1}", "(at position 5): repetition maximum 1 is below the minimum 2")] // stap crashes here
    public void InvalidPatternsAreRefused_WithStapsMessageAndPosition(string pattern, string message)
    {
        Assert.Null(ScriptRegex.TryCreate(Encoding.Latin1.GetBytes(pattern), out string? error));
        Assert.Equal("regex compilation error" + (message.StartsWith('(') ? " " : "") + message, error);
    }

    [Theory]
    [InlineData("()")]
    [InlineData("a||b")]
    [InlineData("(|a)")]
    [InlineData("|")]
    [InlineData(")")]
    [InlineData("(a))")]
    [InlineData("}")]
    [InlineData("a{0,0}")]
    [InlineData("a{12344}")]
    [InlineData("[[=a=]]")]
    [InlineData("[\\]]")]
    [InlineData("[[:alpha:]]")]
    [InlineData("\\x7f")]
    public void StapAccepts(string pattern) => Compile(pattern);

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
        // stap's dialect too: merged byte-set alternatives, (?:, the one high-byte class, ends that
        // cannot be followed ($$, $a), decoded escapes and named classes.
        string[] atoms = ["a", "b", ".", "[ab]", "[^a]", "^", "$", "(a|b)", "(ab|a)", "()", "(a*)", "(b|)",
            "(a)|a", "(?:a|b)", "\\x80", "[[:l:]]", "($|a)", "\\141", "[^\\x01-\\x7f]", "(|b)"];
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
                    subject[i] = (byte)"abc:\u00e9"[random.Next(5)];
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
