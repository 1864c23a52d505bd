namespace ProcProbe.Interpreter.Runtime.Builtins;

/// <summary>
/// A run-time error raised by a builtin or an integer operator. Returned (not thrown) so the hot
/// path stays exception-free; the evaluator turns it into a catchable stap error whose text is
/// <see cref="BuiltinErrors.Message"/>.
/// </summary>
public enum BuiltinError : byte
{
    /// <summary>No error.</summary>
    None,

    /// <summary><c>division by 0</c> (<c>/</c>, <c>%</c>, <c>/=</c>, <c>%=</c>).</summary>
    DivisionByZero,

    /// <summary><c>Position out of bounds</c> (stringat).</summary>
    PositionOutOfBounds,

    /// <summary><c>range too wide</c> (randint).</summary>
    RangeTooWide,

    /// <summary><c>Time too far in the past to be converted</c> (ctime).</summary>
    TimeTooFarInPast,

    /// <summary><c>Time too far in the future to be converted</c> (ctime).</summary>
    TimeTooFarInFuture,
}

/// <summary>stap's message texts for <see cref="BuiltinError"/> (language.md §3.11).</summary>
public static class BuiltinErrors
{
    /// <summary>The exact message text, or null for <see cref="BuiltinError.None"/>.</summary>
    public static string? Message(BuiltinError error) => error switch
    {
        BuiltinError.DivisionByZero => "division by 0",
        BuiltinError.PositionOutOfBounds => "Position out of bounds",
        BuiltinError.RangeTooWide => "range too wide",
        BuiltinError.TimeTooFarInPast => "Time too far in the past to be converted",
        BuiltinError.TimeTooFarInFuture => "Time too far in the future to be converted",
        _ => null,
    };
}
