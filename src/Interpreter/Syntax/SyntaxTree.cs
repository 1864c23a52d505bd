using System.Collections.Immutable;
using ProcProbe.Interpreter.Diagnostics;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter.Syntax;

/// <summary>The result of parsing one script: the AST and every pass-1 diagnostic.</summary>
public sealed class SyntaxTree
{
    private SyntaxTree(SourceText text, ParseOptions options, ScriptFile root, ImmutableArray<Diagnostic> diagnostics,
                       string? emptyInputMessage)
    {
        Text = text;
        Options = options;
        Root = root;
        Diagnostics = diagnostics;
        EmptyInputMessage = emptyInputMessage;
    }

    public SourceText Text { get; }

    public ParseOptions Options { get; }

    /// <summary>The declarations that parsed; those with errors are left out, as stap does.</summary>
    public ScriptFile Root { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Which command-line arguments the script named (<see cref="Lexer.UsedArguments"/>); null when none.</summary>
    internal bool[]? UsedArguments { get; private init; }

    /// <summary>How many tokens the parser read (after preprocessing): a bound on the depth of any tree walk.</summary>
    internal int TokenCount { get; private init; }

    /// <summary>A bound on the depth of any tree walk (<see cref="Parser.DepthBound"/>, at most <see cref="TokenCount"/>).</summary>
    internal int DepthBound { get; private init; }

    /// <summary>
    /// <c>Input file 'NAME' is empty.</c> or <c>... is empty after preprocessing.</c>: pass 1 fails,
    /// but stap does not count it as a parse error.
    /// </summary>
    public string? EmptyInputMessage { get; }

    /// <summary>True when pass 1 failed: a parse error, or an empty input.</summary>
    public bool HasErrors
    {
        get
        {
            if (EmptyInputMessage is not null)
                return true;
            foreach (var d in Diagnostics)
            {
                if (d.IsError)
                    return true;
            }
            return false;
        }
    }

    public static SyntaxTree Parse(SourceText text, ParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= ParseOptions.Default;
        var parser = new Parser(text, options);
        var root = parser.ParseScript();
        return new SyntaxTree(text, options, root, parser.Diagnostics.ToImmutableArray(), parser.EmptyInputMessage)
        {
            UsedArguments = parser.UsedArguments,
            TokenCount = parser.TokensRead,
            DepthBound = Math.Min(parser.TokensRead, parser.DepthBound),
        };
    }

    public static SyntaxTree Parse(string text, ParseOptions? options = null) => Parse(SourceText.From(text), options);

    /// <summary>
    /// The raw token stream (command-line arguments substituted, no preprocessing), ending with one
    /// <see cref="SyntaxKind.EndOfFileToken"/>.
    /// </summary>
    public static ImmutableArray<Token> Lex(SourceText text, ParseOptions? options = null)
    {
        var lexer = new Lexer(text, options ?? ParseOptions.Default);
        var builder = ImmutableArray.CreateBuilder<Token>();
        while (true)
        {
            var token = lexer.Scan();
            builder.Add(token);
            if (token.Kind == SyntaxKind.EndOfFileToken)
                break;
        }
        return builder.ToImmutable();
    }
}
