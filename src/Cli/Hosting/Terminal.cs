using System.Runtime.InteropServices;

namespace ProcProbe.Cli.Hosting;

/// <summary>Whether a standard descriptor is a terminal. System.Console's IsErrorRedirected would answer
/// too, but it initializes the console, which switches a terminal into keypad mode.</summary>
internal static partial class Terminal
{
    public static bool IsTerminal(int fd) => isatty(fd) == 1;

    [LibraryImport("libc", EntryPoint = "isatty")]
    private static partial int isatty(int fd);
}
