using ProcProbe.Interpreter.Binding;
using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Syntax;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter;

/// <summary>One procfs file the script serves (CONTRACT §3-5).</summary>
/// <param name="Index">Index for <see cref="ScriptSession.RunRead"/>/<see cref="ScriptSession.RunWrite"/>.</param>
/// <param name="Path">Path under the module directory, possibly with subdirectories: the script's bytes, one char per byte (Latin-1).</param>
/// <param name="Mode">Permission bits (stap's umask rule; all-zero becomes 0444).</param>
/// <param name="BufferSize">Read capacity + 1 (.maxsize, STP_PROCFS_BUFSIZE or MAXSTRINGLEN).</param>
/// <param name="WriteChunkSize">Largest write chunk + 1: min(MAXSTRINGLEN, BufferSize); writes are cut to one less.</param>
public sealed record ProcfsFile(int Index, string Path, uint Mode, bool HasRead, bool HasWrite, int BufferSize)
{
    public int WriteChunkSize { get; init; } = BufferSize;

    /// <summary>The path's bytes exactly as the script spelled them (not necessarily UTF-8): the name to serve.</summary>
    public byte[] PathBytes => System.Text.Encoding.Latin1.GetBytes(Path);
}

/// <summary>
/// Passes 1 and 2 of a script: parse, resolve, type-check. Never throws for bad input; the diagnostics
/// are rendered with <see cref="WriteDiagnostics"/> exactly as stap prints them.
/// </summary>
public sealed class ScriptCompilation
{
    private readonly DiagnosticBag _semantic = new();
    private readonly SyntaxTree _tree;

    private ScriptCompilation(SyntaxTree tree, ScriptOptions options)
    {
        _tree = tree;
        Options = options;
    }

    public ScriptOptions Options { get; }

    public bool Succeeded => FailedPass == 0;

    /// <summary>1, 2 or 3 when that pass failed, 0 otherwise.</summary>
    public int FailedPass { get; private set; }

    public IReadOnlyList<ProcfsFile> Files { get; private set; } = [];

    internal BoundProgram? Program { get; private set; }

    internal SyntaxTree SyntaxTree => _tree;

    /// <summary>Pass-2 diagnostics (warnings and errors), in the order raised.</summary>
    public IReadOnlyList<Diagnostic> SemanticDiagnostics => _semantic;

    public static ScriptCompilation Compile(string fileName, byte[] source, ScriptOptions options, int lastPass)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var text = SourceText.From(source, fileName);
        var parseOptions = new ParseOptions { Arguments = options.Arguments, Privileged = options.Guru };
        var tree = SyntaxTree.Parse(text, parseOptions);
        var compilation = new ScriptCompilation(tree, options);
        if (tree.HasErrors)
        {
            compilation.FailedPass = 1;
            return compilation;
        }
        if (lastPass <= 1)
            return compilation;
        compilation.Analyze();
        if (lastPass >= 3)
            compilation.ContinueToPass3();
        return compilation;
    }

    /// <summary>The tapset probe aliases procprobe has built in (e.g. <c>oneshot</c>), as parsed
    /// declarations, for listings such as -l and --dump-probe-aliases.</summary>
    public static IReadOnlyList<ProbeAliasDeclaration> BuiltInAliases()
        => TapsetLibrary.Load(ParseOptions.Default).SelectMany(f => f.Aliases).ToList();

    /// <summary>
    /// Runs pass 2 on a compilation made with <c>lastPass: 1</c>, so that a caller can time the passes
    /// apart (stap's -v lines). Does nothing when pass 1 failed or pass 2 already ran.
    /// </summary>
    public void ContinueToPass2()
    {
        if (FailedPass == 0 && Program is null)
            Analyze();
    }

    /// <summary>
    /// Stands in for stap's pass 3 (translation), which procprobe does not need: fails with the errors
    /// stap raises only there (recorded by pass 2), before anything runs. Does nothing unless pass 2 succeeded.
    /// </summary>
    public void ContinueToPass3()
    {
        if (FailedPass == 0 && Program is { } program && program.TranslateDiagnostics.ErrorCount > 0)
            FailedPass = 3;
    }

    /// <summary>
    /// Stack for the tree walkers of passes 1-2 (printing, binding, type inference, checks): they recurse
    /// once per level, and a left-deep operator chain of 10,000 terms is 10,000 levels, which stap's own
    /// pass 2 accepts. The stack is reserved, not committed, so a shallow script pays only a thread start.
    /// Deeper still, the walkers' stack probes end the pass with an error instead of a stack overflow.
    /// </summary>
    private const int WalkerStackBytes = 256 << 20;

    /// <summary>
    /// Scripts whose trees are at most this deep are walked on the calling thread instead: the parser
    /// bounds the depth of any walk (<see cref="SyntaxTree.DepthBound"/>, never more than the token count;
    /// the built-in tapset adds a few levels). The main thread's stack (RLIMIT_STACK, 8 MiB by default)
    /// then gives each level more than the walker thread gives each of its 10,000, and a 512 KiB thread
    /// still suffices (binding takes up to ~2 KiB per level). Starting the thread costs 0.1-0.3 ms, as
    /// much as binding a thousand lines: the starter spins until the new thread runs.
    /// </summary>
    private const int InlineWalkDepth = 128;

    private T OnWalkerStack<T>(Func<T> work)
    {
        if (_tree.DepthBound <= InlineWalkDepth)
            return work();
        T result = default!;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        }, WalkerStackBytes) { Name = "procprobe pass 2" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    private void Analyze() => OnWalkerStack(() =>
    {
        AnalyzeOnWalkerStack();
        return 0;
    });

    private void AnalyzeOnWalkerStack()
    {
        var binder = new Binder(_tree.Root, Options, _semantic, TapsetLibrary.Load(_tree.Options));
        BoundProgram program;
        try
        {
            program = binder.Bind();
        }
        catch (InsufficientExecutionStackException)
        {
            _semantic.ReportSemanticError("bind:depth", "script nesting too deep", null);
            FailedPass = 2;
            return;
        }
        WarnUnusedArguments(program);
        bool failed = _semantic.ErrorCount > 0;
        if (Options.WarningsAsErrors && _semantic.Count > 0)
            failed = true;
        if (failed)
        {
            FailedPass = 2;
            return;
        }
        Program = program;
        var files = new List<ProcfsFile>();
        foreach (var info in program.Paths)
        {
            int size = ProcfsRules.BufferSize(info, Options);
            files.Add(new ProcfsFile(info.Index, info.Path, ProcfsRules.Mode(info), info.ReadProbe is not null,
                info.WriteProbes.Count > 0, size)
            {
                WriteChunkSize = ProcfsRules.WriteChunkSize(info, Options),
            });
        }
        Files = files;
    }

    /// <summary>stap ends pass 2 with a warning for each command-line argument no <c>$N</c>/<c>@N</c> named.
    /// A script using argc or argv pulls in the argv tapset, which names every argument.</summary>
    private void WarnUnusedArguments(BoundProgram program)
    {
        foreach (var g in program.Globals)
        {
            if (g.IsTapset && g.Name is "argc" or "argv")
                return;
        }
        var used = _tree.UsedArguments;
        for (int i = 0; i < Options.Arguments.Count; i++)
        {
            if (used is null || !used[i])
            {
                int n = i + 1;
                _semantic.ReportWarning("session:unused-argument:" + n, $"unused command line option ${n}/@{n}", null);
            }
        }
    }

    /// <summary>stap's stderr for passes 1-3 (error and warning blocks, counts, the "Pass N: ... failed."
    /// line) as raw bytes: script bytes quoted in diagnostics come out unchanged, UTF-8 or not.</summary>
    public void WriteDiagnostics(Stream stderr) => WriteDiagnostics(stderr, 0);

    /// <summary>Only the part of <see cref="WriteDiagnostics(Stream)"/> that <paramref name="pass"/> (1-3)
    /// produced, or all of it for 0, so that a caller can print each pass's text as that pass ends.
    /// The similar-messages count closes the last part written.</summary>
    public void WriteDiagnostics(Stream stderr, int pass)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        foreach (var chunk in DiagnosticChunks(pass))
            stderr.Write(chunk);
        stderr.Flush();
    }

    /// <summary>The same text as <see cref="WriteDiagnostics(Stream)"/> for writers (tests); each byte
    /// becomes the Latin-1 character of that value, so it is byte-exact only for ASCII scripts.</summary>
    public void WriteDiagnostics(TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        foreach (var chunk in DiagnosticChunks(0))
            stderr.Write(System.Text.Encoding.Latin1.GetString(chunk));
        stderr.Flush();
    }

    // stap counts suppressed similar messages over the whole session, across passes
    private DiagnosticPrinter? _printer;

    private IEnumerable<byte[]> DiagnosticChunks(int pass)
    {
        if (FailedPass == 1)
        {
            if (pass is 0 or 1)
                yield return DiagnosticFormatter.FormatParseFailure(_tree, Options.Verbosity > 0);
            yield break;
        }
        var printer = _printer ??= new DiagnosticPrinter(Options.Verbosity > 0);
        if (pass is 0 or 1)
        {
            // parse warnings (if any) come first
            foreach (var d in _tree.Diagnostics)
                yield return printer.Format(d);
        }
        if (pass is 0 or 2)
        {
            foreach (var d in _semantic)
            {
                if (d.Kind == DiagnosticKind.Warning && Options.SuppressWarnings)
                    continue;
                yield return printer.Format(d);
            }
            if (FailedPass == 2)
                yield return System.Text.Encoding.ASCII.GetBytes(DiagnosticFormatter.Pass2FailedLine + "\n");
        }
        if (pass is 0 or 3 && FailedPass == 3)
        {
            // stap translates statement by statement, so its errors come in source order
            foreach (var d in Program!.TranslateDiagnostics
                         .OrderBy(d => d.Token?.Line ?? int.MaxValue).ThenBy(d => d.Token?.Column ?? int.MaxValue))
                yield return printer.Format(d);
            yield return System.Text.Encoding.ASCII.GetBytes(DiagnosticFormatter.Pass3FailedLine + "\n");
        }
        if (pass == 0 || pass == 3 || (pass == 2 && FailedPass != 3))
            yield return printer.FormatSuppressionSummary();
    }

    /// <summary>-p1 output (delegates to the syntax printer).</summary>
    public string PrintParseTree() => OnWalkerStack(() => ParseTreePrinter.Print(_tree));

    /// <summary>-p1 output as bytes, so script bytes that are not UTF-8 come out unchanged.</summary>
    public byte[] PrintParseTreeBytes() => OnWalkerStack(() => ParseTreePrinter.PrintBytes(_tree));

    /// <summary>-p2 output: stap's elaborated listing of globals, functions and probes.</summary>
    public string PrintElaborated() => Program is null ? "" : OnWalkerStack(() => ElaboratedPrinter.Print(Program, _tree.Text, Options.Unoptimized));
}
