using System.Collections.Immutable;
using ProcProbe.Interpreter.Text;

namespace ProcProbe.Interpreter.Syntax;

/// <summary>
/// One parsed script after preprocessing. <see cref="Declarations"/> is in source order; the typed
/// lists hold the same nodes grouped as stap keeps them.
/// </summary>
public sealed class ScriptFile : SyntaxNode
{
    public ScriptFile(Token token, SourceText source, ImmutableArray<Declaration> declarations)
        : base(token)
    {
        Source = source;
        Declarations = declarations;
        var globals = ImmutableArray.CreateBuilder<GlobalVariable>();
        var probes = ImmutableArray.CreateBuilder<ProbeDeclaration>();
        var aliases = ImmutableArray.CreateBuilder<ProbeAliasDeclaration>();
        var functions = ImmutableArray.CreateBuilder<FunctionDeclaration>();
        var embedded = ImmutableArray.CreateBuilder<EmbeddedCodeDeclaration>();
        foreach (var declaration in declarations)
        {
            switch (declaration)
            {
                case GlobalDeclaration g: globals.AddRange(g.Variables); break;
                case ProbeDeclaration p: probes.Add(p); break;
                case ProbeAliasDeclaration a: aliases.Add(a); break;
                case FunctionDeclaration f: functions.Add(f); break;
                case EmbeddedCodeDeclaration e: embedded.Add(e); break;
            }
        }
        Globals = globals.ToImmutable();
        Probes = probes.ToImmutable();
        Aliases = aliases.ToImmutable();
        Functions = functions.ToImmutable();
        EmbeddedCode = embedded.ToImmutable();
    }

    public override SyntaxKind Kind => SyntaxKind.ScriptFile;

    public SourceText Source { get; }

    public ImmutableArray<Declaration> Declarations { get; }

    public ImmutableArray<GlobalVariable> Globals { get; }

    public ImmutableArray<ProbeDeclaration> Probes { get; }

    public ImmutableArray<ProbeAliasDeclaration> Aliases { get; }

    public ImmutableArray<FunctionDeclaration> Functions { get; }

    public ImmutableArray<EmbeddedCodeDeclaration> EmbeddedCode { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Concat<Declaration>(null, Declarations);
}

public abstract class Declaration : SyntaxNode
{
    protected Declaration(Token token) : base(token) { }
}

/// <summary><c>[private] global a, b[10], c = 5</c>: Token is the <c>global</c> (or <c>private</c>) keyword.</summary>
public sealed class GlobalDeclaration : Declaration
{
    public GlobalDeclaration(Token token, bool isPrivate, ImmutableArray<GlobalVariable> variables) : base(token)
    {
        IsPrivate = isPrivate;
        Variables = variables;
    }

    public override SyntaxKind Kind => SyntaxKind.GlobalDeclaration;

    public bool IsPrivate { get; }

    public ImmutableArray<GlobalVariable> Variables { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Concat<GlobalVariable>(null, Variables);
}

/// <summary>One global: Token is its name. <c>NAME[%][[N]][ = LITERAL]</c>.</summary>
public sealed class GlobalVariable : SyntaxNode
{
    public GlobalVariable(Token token, bool isPrivate, bool wrap, int? maxSize, LiteralExpression? initializer) : base(token)
    {
        Name = token.GetNameString();
        IsPrivate = isPrivate;
        Wrap = wrap;
        MaxSize = maxSize;
        Initializer = initializer;
    }

    public override SyntaxKind Kind => SyntaxKind.GlobalVariable;

    public string Name { get; }

    public bool IsPrivate { get; }

    /// <summary><c>%</c>: the array wraps (evicts old entries) instead of overflowing.</summary>
    public bool Wrap { get; }

    /// <summary><c>[N]</c>: the array capacity; null when not given.</summary>
    public int? MaxSize { get; }

    /// <summary>A literal (negative numbers already folded in), or null.</summary>
    public LiteralExpression? Initializer { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Nodes(Initializer);
}

/// <summary><c>[private] function NAME[:TYPE] (PARAMS) [:PRIORITY] BODY</c>: Token is the name.</summary>
public sealed class FunctionDeclaration : Declaration
{
    public FunctionDeclaration(Token token, bool isPrivate, DeclaredType returnType, ImmutableArray<Parameter> parameters,
                               long priority, Statement body) : base(token)
    {
        Name = token.GetNameString();
        IsPrivate = isPrivate;
        ReturnType = returnType;
        Parameters = parameters;
        Priority = priority;
        Body = body;
    }

    public override SyntaxKind Kind => SyntaxKind.FunctionDeclaration;

    public string Name { get; }

    public bool IsPrivate { get; }

    public DeclaredType ReturnType { get; }

    public ImmutableArray<Parameter> Parameters { get; }

    /// <summary>Overload priority (<c>:N</c> after the parameter list); 1 when not given.</summary>
    public long Priority { get; }

    /// <summary>A <see cref="BlockStatement"/>, or an <see cref="EmbeddedCodeStatement"/> for <c>%{ %}</c> bodies.</summary>
    public Statement Body { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Concat<Parameter>(null, Parameters, Body);
}

/// <summary>A function parameter: Token is its name.</summary>
public sealed class Parameter : SyntaxNode
{
    public Parameter(Token token, DeclaredType type) : base(token)
    {
        Name = token.GetNameString();
        Type = type;
    }

    public override SyntaxKind Kind => SyntaxKind.Parameter;

    public string Name { get; }

    public DeclaredType Type { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => [];
}

/// <summary><c>probe POINT, POINT... { BODY }</c>: Token is the <c>probe</c> keyword.</summary>
public sealed class ProbeDeclaration : Declaration
{
    public ProbeDeclaration(Token token, ImmutableArray<ProbePoint> points, BlockStatement body) : base(token)
    {
        Points = points;
        Body = body;
    }

    public override SyntaxKind Kind => SyntaxKind.ProbeDeclaration;

    /// <summary>The probe points with brace expansion already applied.</summary>
    public ImmutableArray<ProbePoint> Points { get; }

    public BlockStatement Body { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => Concat<ProbePoint>(null, Points, Body);
}

/// <summary>
/// <c>probe NAME [= NAME...] = POINTS { BODY } [, { EPILOGUE }]</c> (prologue style) or
/// <c>probe NAME += POINTS { BODY }</c> (epilogue style). Token is the <c>probe</c> keyword.
/// </summary>
public sealed class ProbeAliasDeclaration : Declaration
{
    public ProbeAliasDeclaration(Token token, ImmutableArray<ProbePoint> names, bool isEpilogueStyle,
                                 ImmutableArray<ProbePoint> targets, BlockStatement body, BlockStatement? epilogue)
        : base(token)
    {
        Names = names;
        IsEpilogueStyle = isEpilogueStyle;
        Targets = targets;
        Body = body;
        Epilogue = epilogue;
    }

    public override SyntaxKind Kind => SyntaxKind.ProbeAliasDeclaration;

    /// <summary>The alias names (several for <c>probe a = b = begin</c>).</summary>
    public ImmutableArray<ProbePoint> Names { get; }

    /// <summary>True for <c>+=</c>: the body runs after the using probe's body.</summary>
    public bool IsEpilogueStyle { get; }

    public ImmutableArray<ProbePoint> Targets { get; }

    public BlockStatement Body { get; }

    /// <summary>The second block of <c>probe a = b { prologue }, { epilogue }</c>, else null.</summary>
    public BlockStatement? Epilogue { get; }

    public override IEnumerable<SyntaxNode> GetChildren()
    {
        var list = new List<SyntaxNode>();
        list.AddRange(Names);
        list.AddRange(Targets);
        list.Add(Body);
        if (Epilogue is not null)
            list.Add(Epilogue);
        return list;
    }
}

/// <summary>A top-level <c>%{ ... %}</c> block (guru mode).</summary>
public sealed class EmbeddedCodeDeclaration : Declaration
{
    public EmbeddedCodeDeclaration(Token token) : base(token) => Code = token.GetContent();

    public override SyntaxKind Kind => SyntaxKind.EmbeddedCodeDeclaration;

    /// <summary>The bytes between <c>%{</c> and <c>%}</c>.</summary>
    public byte[] Code { get; }

    public override IEnumerable<SyntaxNode> GetChildren() => [];
}
