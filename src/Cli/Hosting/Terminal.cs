using ProcProbe.Native;

namespace ProcProbe.Cli.Hosting;

/// <summary>Whether a standard descriptor is a terminal. System.Console's IsErrorRedirected would answer
/// too, but it initializes the console, which switches a terminal into keypad mode.</summary>
internal static class Terminal
{
    public static bool IsTerminal(int fd) => ProcessFacts.IsTerminal(fd);
}
