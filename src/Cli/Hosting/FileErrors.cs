namespace ProcProbe.Cli.Hosting;

/// <summary>
/// Why a file could not be opened, in plain words. The executable is built with UseSystemResourceKeys,
/// so .NET's own exception messages are resource keys, not sentences a user could act on.
/// </summary>
internal static class FileErrors
{
    public static string Reason(string path, Exception e) => e switch
    {
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "a directory on its path does not exist",
        UnauthorizedAccessException when Directory.Exists(path) => "it is a directory",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "the path is too long",
        _ => "input/output error",
    };
}
