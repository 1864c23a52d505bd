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

    /// <summary>1 or 2 when that pass failed, 0 otherwise.</summary>
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
    /// Stack for the tree walkers of passes 1-2 (printing, binding, type inference, checks): they recurse
    /// once per level, and a left-deep operator chain of 10,000 terms is 10,000 levels, which stap's own
    /// pass 2 accepts. The stack is reserved, not committed, so a shallow script pays only a thread start.
    /// Deeper still, the walkers' stack probes end the pass with an error instead of a stack overflow.
    /// </summary>
    private const int WalkerStackBytes = 256 << 20;

    private static T OnWalkerStack<T>(Func<T> work)
    {
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

    /// <summary>stap's stderr for passes 1-2 (error and warning blocks, counts, the "Pass N: ... failed."
    /// line) as raw bytes: script bytes quoted in diagnostics come out unchanged, UTF-8 or not.</summary>
    public void WriteDiagnostics(Stream stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        foreach (var chunk in DiagnosticChunks())
            stderr.Write(chunk);
        stderr.Flush();
    }

    /// <summary>The same text as <see cref="WriteDiagnostics(Stream)"/> for writers (tests); each byte
    /// becomes the Latin-1 character of that value, so it is byte-exact only for ASCII scripts.</summary>
    public void WriteDiagnostics(TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        foreach (var chunk in DiagnosticChunks())
            stderr.Write(System.Text.Encoding.Latin1.GetString(chunk));
        stderr.Flush();
    }

    private IEnumerable<byte[]> DiagnosticChunks()
    {
        if (FailedPass == 1)
        {
            yield return DiagnosticFormatter.FormatParseFailure(_tree, Options.Verbosity > 0);
            yield break;
        }
        var printer = new DiagnosticPrinter(Options.Verbosity > 0);
        // parse warnings (if any) come first
        foreach (var d in _tree.Diagnostics)
            yield return printer.Format(d);
        foreach (var d in _semantic)
        {
            if (d.Kind == DiagnosticKind.Warning && Options.SuppressWarnings)
                continue;
            yield return printer.Format(d);
        }
        if (FailedPass == 2)
            yield return System.Text.Encoding.ASCII.GetBytes(DiagnosticFormatter.Pass2FailedLine + "\n");
        yield return printer.FormatSuppressionSummary();
    }

    /// <summary>-p1 output (delegates to the syntax printer).</summary>
    public string PrintParseTree() => OnWalkerStack(() => ParseTreePrinter.Print(_tree));

    /// <summary>-p1 output as bytes, so script bytes that are not UTF-8 come out unchanged.</summary>
    public byte[] PrintParseTreeBytes() => OnWalkerStack(() => ParseTreePrinter.PrintBytes(_tree));

    /// <summary>-p2 output: stap's elaborated listing of globals, functions and probes.</summary>
    public string PrintElaborated() => Program is null ? "" : OnWalkerStack(() => ElaboratedPrinter.Print(Program, _tree.Text));
}
