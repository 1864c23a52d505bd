using System.Diagnostics;
using ProcProbe.Interpreter.Binding;

namespace ProcProbe.Interpreter;

/// <summary>
/// Fires timer probes periodically on one background thread (timer.s/ms/us/ns/hz/jiffies, with
/// .randomize spreading each period uniformly over [N-M, N+M]). Each firing is one probe hit.
/// </summary>
internal sealed class TimerScheduler
{
    private readonly BoundProbe[] _probes;
    private readonly long[] _due;
    private readonly Action<BoundProbe> _fire;
    private readonly object _gate = new();
    private Thread? _thread;
    private bool _stop;

    public TimerScheduler(IReadOnlyList<BoundProbe> probes, Action<BoundProbe> fire)
    {
        _probes = probes.ToArray();
        _due = new long[_probes.Length];
        _fire = fire;
    }

    public void Start()
    {
        long now = Now();
        for (int i = 0; i < _probes.Length; i++)
            _due[i] = now + NextPeriod(_probes[i]);
        _thread = new Thread(Loop) { IsBackground = true, Name = "procprobe timers" };
        _thread.Start();
    }

    public void Stop()
    {
        lock (_gate)
        {
            _stop = true;
            Monitor.PulseAll(_gate);
        }
        if (_thread is not null && _thread != Thread.CurrentThread)
            _thread.Join();
    }

    private static long Now() => (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));

    private static long NextPeriod(BoundProbe p)
    {
        long period = p.PeriodNs;
        if (p.RandomizeNs > 0)
            period += Random.Shared.NextInt64(-p.RandomizeNs, p.RandomizeNs + 1);
        return Math.Max(period, 1000);
    }

    private void Loop()
    {
        while (true)
        {
            int next = 0;
            for (int i = 1; i < _due.Length; i++)
            {
                if (_due[i] < _due[next])
                    next = i;
            }
            lock (_gate)
            {
                while (!_stop)
                {
                    long wait = _due[next] - Now();
                    if (wait <= 0)
                        break;
                    Monitor.Wait(_gate, TimeSpan.FromTicks(Math.Max(1, wait / 100)));
                }
                if (_stop)
                    return;
            }
            _fire(_probes[next]);
            _due[next] += NextPeriod(_probes[next]);
            long now = Now();
            if (_due[next] < now)
                _due[next] = now; // a slow handler does not cause a burst of catch-up firings
        }
    }
}
