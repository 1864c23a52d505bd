using System.Runtime.CompilerServices;

namespace ProcProbe.Interpreter.Binding;

/// <summary>
/// <see cref="RuntimeHelpers.EnsureSufficientExecutionStack"/> for the tree walkers, which probe once
/// per node: the runtime's check is a call that looks the thread up each time. A walker keeps one guard
/// holding the range of stack addresses already checked on one thread; a thread's stack limit never
/// moves, so every point between the deepest and the shallowest checked one passes without a call.
/// The fast path reads no thread identity (a thread-local lookup per node): the range lies inside one
/// thread's stack, which no other thread's stack overlaps, so another thread's points fall outside it
/// and take the slow path, which starts the range over for that thread.
/// </summary>
internal struct StackGuard
{
    private nuint _deepestChecked;
    private nuint _shallowestChecked;
    private int _thread;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Ensure()
    {
        byte marker = 0;
        nuint sp = (nuint)(&marker);
        // one unsigned compare for deepest <= sp <= shallowest; the empty range (0, 0) never passes
        if (sp - _deepestChecked > _shallowestChecked - _deepestChecked)
            EnsureSlow(sp);
    }

    /// <summary><see cref="Ensure"/> that answers false instead of throwing (the parser's nesting check).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe bool TryEnsure()
    {
        byte marker = 0;
        nuint sp = (nuint)(&marker);
        if (sp - _deepestChecked <= _shallowestChecked - _deepestChecked)
            return true;
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            return false;
        Record(sp);
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnsureSlow(nuint sp)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        Record(sp);
    }

    private void Record(nuint sp)
    {
        int thread = Environment.CurrentManagedThreadId;
        if (thread != _thread || _deepestChecked == 0)
        {
            // another thread's stack lies elsewhere: its range starts over
            _thread = thread;
            _deepestChecked = sp;
            _shallowestChecked = sp;
            return;
        }
        if (sp < _deepestChecked)
            _deepestChecked = sp;
        if (sp > _shallowestChecked)
            _shallowestChecked = sp;
    }
}
