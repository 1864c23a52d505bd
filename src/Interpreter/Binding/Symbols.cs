using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Binding;

/// <summary>stap's value types; <see cref="Unknown"/> until inference settles it.</summary>
public enum ScriptType : byte
{
    Unknown,
    Long,
    String,
    Stats,
}

internal static class ScriptTypeFacts
{
    public static string Name(ScriptType t) => t switch
    {
        ScriptType.Long => "long",
        ScriptType.String => "string",
        ScriptType.Stats => "stats",
        _ => "unknown",
    };
}

/// <summary>
/// A variable: a global (scalar or array) or a local of one probe/function body (parameters included).
/// Types are mutable while the binder infers them and fixed afterwards.
/// </summary>
internal sealed class VariableSymbol
{
    public VariableSymbol(string name, Token token, bool isGlobal)
    {
        Name = name;
        Token = token;
        IsGlobal = isGlobal;
    }

    public string Name { get; }

    /// <summary>Declaration token (globals, parameters) or first mention (locals).</summary>
    public Token Token { get; }

    public bool IsGlobal { get; }

    public bool IsParameter { get; init; }

    /// <summary>0 for scalars; -1 while not yet known (a global only declared).</summary>
    public int Arity { get; set; } = -1;

    /// <summary>The token that first fixed the arity (for "arity N first inferred here").</summary>
    public Token ArityToken { get; set; }

    public ScriptType Type { get; set; }

    /// <summary>Where the value type was first inferred (chained in "type was first inferred here").</summary>
    public Token TypeToken { get; set; }

    /// <summary>Where type resolution last inferred the type (stap's resolved_types entry), when
    /// <see cref="HasResolvedTypeToken"/>: the "first inferred here" chain of a later mismatch.</summary>
    public Token ResolvedTypeToken { get; set; }

    public bool HasResolvedTypeToken { get; set; }

    public ScriptType[] IndexTypes { get; set; } = [];

    public Token[] IndexTypeTokens { get; set; } = [];

    // ---- global-only declaration facts
    public bool Wrap { get; init; }
    public int? MaxSize { get; init; }
    public LiteralExpression? Initializer { get; init; }
    public bool IsPrivate { get; init; }
    public bool IsTapset { get; init; }

    /// <summary>Largest <c>@variance</c> shift applied to this stats global.</summary>
    public int StatShift { get; set; }

    /// <summary>The histogram a stats global collects, from its <c>@hist_log</c>/<c>@hist_linear</c> uses.</summary>
    public Evaluation.HistogramSpec? Histogram { get; set; }

    // ---- usage facts, for warnings and the end-of-run display
    public bool IsRead { get; set; }
    public bool IsWritten { get; set; }

    /// <summary>Storage slot: for locals an index in the frame, for globals an index in the global table.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>Order of first reference during resolution (stap lists globals in this order with -p2).</summary>
    public int ReferenceOrder { get; set; } = -1;

    public bool IsArray => Arity > 0;

    // Symbols are looked up in hash sets and dictionaries by identity many times per compilation; a
    // stored number hashes faster than the runtime's identity hash, which each new object first creates.
    private static int s_hashCodes;
    private readonly int _hashCode = Interlocked.Increment(ref s_hashCodes);

    public override int GetHashCode() => _hashCode;

    /// <summary>The symbol's bit in the optimizer's variable sets (see <c>Optimizer.VariableNumbering</c>);
    /// meaningful only where that numbering holds this symbol at this number.</summary>
    internal int UseNumber;

    public void EnsureIndexSlots(int arity)
    {
        if (IndexTypes.Length != arity)
        {
            IndexTypes = new ScriptType[arity];
            IndexTypeTokens = new Token[arity];
        }
    }
}

internal enum ProbeKind : byte
{
    Begin,
    End,
    Error,
    Never,
    Timer,
    ProcfsRead,
    ProcfsWrite,
}
