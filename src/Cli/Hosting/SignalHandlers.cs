using ProcProbe.Native;
using System.Runtime.InteropServices;

namespace ProcProbe.Cli.Hosting;

/// <summary>SIGINT, SIGTERM and SIGHUP end the session in an orderly way (CONTRACT §7) instead of
/// killing the process with the mount still in place.</summary>
internal sealed class SignalHandlers : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;

    public SignalHandlers(ManualResetEventSlim stop)
    {
        StopSignals.ClearInheritedIgnores();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal),
        ];
    }

    public void Dispose()
    {
        foreach (var r in _registrations)
        {
            r.Dispose();
        }
    }
}
