using ProcProbe.Interpreter.Binding;

namespace ProcProbe.Interpreter.Evaluation;

/// <summary>
/// A run-time error in a handler. Thrown only on the error path (never in normal flow); the interpreter
/// catches it at try/catch or at the probe boundary and reports it in stap's format.
/// </summary>
internal sealed class ScriptError : Exception
{
    public ScriptError(string message, BoundNode? node, bool catchable = true, int depth = -1)
        : base(message)
    {
        Node = node;
        Catchable = catchable;
        Depth = depth;
    }

    /// <summary>The node whose token the message names ("near TOKEN"); null means the current statement.</summary>
    public BoundNode? Node { get; }

    /// <summary>False for MAXACTION exceeded and abort(): try/catch does not contain them.</summary>
    public bool Catchable { get; }

    /// <summary>Call depth the error happened at (fixed when first thrown).</summary>
    public int Depth { get; set; }

    /// <summary>Statement nodes of the callers ("called from"), innermost first, captured when thrown.</summary>
    public BoundNode?[]? CallerStatements { get; set; }

    /// <summary>abort(): stop the handler silently, no error report.</summary>
    public bool IsAbort { get; init; }
}

/// <summary>How a statement finished.</summary>
internal enum Flow : byte
{
    Normal,
    Break,
    Continue,
    Return,
    Next,
}
