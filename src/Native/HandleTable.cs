namespace ProcProbe.Native;

/// <summary>
/// Per-open state, addressed by <c>fuse_file_info.fh</c>. Slots and their snapshot buffers are reused,
/// so opening and releasing allocates only when more files are open at once than ever before.
/// </summary>
internal sealed class HandleTable
{
    private readonly Lock _lock = new();
    private HandleSlot[] _slots;
    private int[] _free;
    private int _freeCount;

    public HandleTable(int initialCapacity = 16)
    {
        _slots = [];
        _free = [];
        Grow(initialCapacity);
    }

    /// <summary>Open handles right now (for tests and diagnostics).</summary>
    public int InUse
    {
        get
        {
            lock (_lock)
            {
                return _slots.Length - _freeCount;
            }
        }
    }

    public int Rent(int fileIndex)
    {
        lock (_lock)
        {
            if (_freeCount == 0)
            {
                Grow(_slots.Length * 2);
            }

            int index = _free[--_freeCount];
            HandleSlot slot = _slots[index];
            slot.FileIndex = fileIndex;
            slot.SnapshotTaken = false;
            slot.Error = 0;
            slot.InUse = true;
            return index;
        }
    }

    /// <summary>The slot behind <paramref name="fh"/> if it is open, else null.</summary>
    public HandleSlot? Get(ulong fh)
    {
        HandleSlot[] slots = Volatile.Read(ref _slots);
        if (fh >= (ulong)slots.Length)
        {
            return null;
        }

        HandleSlot slot = slots[(int)fh];
        return slot.InUse ? slot : null;
    }

    /// <summary>
    /// Frees <paramref name="fh"/>. <paramref name="lockSlot"/> false: the caller is the only thread that
    /// uses slots (a single loop thread), so no read of this handle can be in progress.
    /// </summary>
    public void Return(ulong fh, bool lockSlot = true)
    {
        lock (_lock)
        {
            if (fh >= (ulong)_slots.Length || !_slots[(int)fh].InUse)
            {
                return;
            }

            HandleSlot slot = _slots[(int)fh];
            if (lockSlot)
            {
                lock (slot)
                {
                    Reset(slot);
                }
            }
            else
            {
                Reset(slot);
            }

            _free[_freeCount++] = (int)fh;
        }

        static void Reset(HandleSlot slot)
        {
            slot.InUse = false;
            slot.SnapshotTaken = false;
            slot.Buffer.ResetForPool();
        }
    }

    private void Grow(int capacity)
    {
        int old = _slots.Length;
        var slots = new HandleSlot[capacity];
        Array.Copy(_slots, slots, old);
        for (int i = old; i < capacity; i++)
        {
            slots[i] = new HandleSlot();
        }

        var free = new int[capacity];
        Array.Copy(_free, free, _freeCount);

        // Hand out low indexes first.
        for (int i = capacity - 1; i >= old; i--)
        {
            free[_freeCount++] = i;
        }

        _free = free;
        Volatile.Write(ref _slots, slots);
    }
}

/// <summary>State of one open file. With several loop threads, locked (Monitor) while its snapshot is filled or served.</summary>
internal sealed class HandleSlot
{
    public readonly SnapshotBuffer Buffer = new();
    public int FileIndex;
    public bool SnapshotTaken;

    /// <summary>The positive errno of a failed read handler, served to every later read of this open.</summary>
    public int Error;

    public volatile bool InUse;
}
