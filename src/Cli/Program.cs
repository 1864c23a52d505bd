namespace ProcProbe.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.WriteLine("procprobe");
        return 0;
    }
}
