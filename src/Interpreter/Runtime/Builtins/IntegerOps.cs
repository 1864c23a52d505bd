namespace ProcProbe.Interpreter.Runtime.Builtins;

/// <summary>
/// stap's run-time integer semantics (language.md §3.4): 64-bit two's-complement with silent
/// wrap-around; division truncates toward zero; shift counts use their low 6 bits.
/// </summary>
public static class IntegerOps
{
    /// <summary><c>a + b</c>, wrapping.</summary>
    public static long Add(long a, long b) => unchecked(a + b);

    /// <summary><c>a - b</c>, wrapping.</summary>
    public static long Subtract(long a, long b) => unchecked(a - b);

    /// <summary><c>a * b</c>, wrapping (<c>LLONG_MIN * -1 == LLONG_MIN</c>).</summary>
    public static long Multiply(long a, long b) => unchecked(a * b);

    /// <summary>Unary <c>-a</c>, wrapping.</summary>
    public static long Negate(long a) => unchecked(-a);

    /// <summary>
    /// <c>a / b</c> toward zero; <c>x / -1</c> is <c>-x</c> (so <c>LLONG_MIN / -1 == LLONG_MIN</c>).
    /// Division by zero returns <see cref="BuiltinError.DivisionByZero"/> and result 0.
    /// </summary>
    public static BuiltinError Divide(long a, long b, out long result)
    {
        if (b == 0)
        {
            result = 0;
            return BuiltinError.DivisionByZero;
        }
        // C# throws on LLONG_MIN / -1; stap computes -x there.
        result = b == -1 ? unchecked(-a) : a / b;
        return BuiltinError.None;
    }

    /// <summary>
    /// <c>a % b</c> with the sign of the dividend; <c>x % 1</c> and <c>x % -1</c> are 0.
    /// Modulo by zero returns <see cref="BuiltinError.DivisionByZero"/> and result 0.
    /// </summary>
    public static BuiltinError Modulo(long a, long b, out long result)
    {
        if (b == 0)
        {
            result = 0;
            return BuiltinError.DivisionByZero;
        }
        result = b == -1 ? 0 : a % b;
        return BuiltinError.None;
    }

    /// <summary><c>a &lt;&lt; count</c>, count taken modulo 64.</summary>
    public static long ShiftLeft(long a, long count) => a << (int)(count & 63);

    /// <summary><c>a &gt;&gt; count</c> (arithmetic, sign-extending), count taken modulo 64.</summary>
    public static long ShiftRight(long a, long count) => a >> (int)(count & 63);

    /// <summary><c>a &gt;&gt;&gt; count</c> (logical), count taken modulo 64.</summary>
    public static long ShiftRightLogical(long a, long count) => (long)((ulong)a >> (int)(count & 63));

    /// <summary><c>!a</c>: 1 for 0, else 0.</summary>
    public static long LogicalNot(long a) => a == 0 ? 1 : 0;

    /// <summary>A comparison or logical result as a stap long (1 or 0).</summary>
    public static long FromBool(bool value) => value ? 1 : 0;
}
