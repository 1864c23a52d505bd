using System.Runtime.CompilerServices;

namespace ProcProbe.Interpreter.Binding;

/// <summary>
/// <see cref="RuntimeHelpers.EnsureSufficientExecutionStack"/> for the pass-2 walkers, which probe once
/// per node: the runtime's check is a call that looks the thread up each time. A walker keeps one guard,
/// and a thread's stack limit never moves, so on the thread that made the check a point no deeper than
/// one already checked passes too: only a new depth, or another thread, asks the runtime.
/// </summary>
internal struct StackGuard
{
    private nuint _deepestChecked;
    private int _thread;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Ensure()
    {
        byte marker = 0;
        nuint sp = (nuint)(&marker);
        if (sp < _deepestChecked || _deepestChecked == 0 || _thread != Environment.CurrentManagedThreadId)
            EnsureSlow(sp);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnsureSlow(nuint sp)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        int thread = Environment.CurrentManagedThreadId;
        // another thread's stack lies elsewhere: its depths start over
        if (thread != _thread || sp < _deepestChecked || _deepestChecked == 0)
            _deepestChecked = sp;
        _thread = thread;
    }
}
