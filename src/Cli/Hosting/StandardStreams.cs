using Microsoft.Win32.SafeHandles;
using ProcProbe.Native;

namespace ProcProbe.Cli.Hosting;

/// <summary>
/// Standard input, output and error as plain file streams over descriptors 0-2. System.Console's
/// streams initialize the console at their first write, and when standard input is a terminal that
/// writes terminfo's keypad_xmit to it, switching the user's terminal into keypad mode.
/// </summary>
internal static class StandardStreams
{
    public static Stream Input() => Open(0, FileAccess.Read);

    // Written with write(2), never pwrite: "> log 2>&1" shares one file offset between both streams.
    public static Stream Output() => new DescriptorOutputStream(1);

    public static Stream Error() => new DescriptorOutputStream(2);

    private static FileStream Open(int fd, FileAccess access) =>
        new(new SafeFileHandle(fd, ownsHandle: false), access, bufferSize: 0);
}
