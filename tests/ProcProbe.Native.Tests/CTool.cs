using System.Diagnostics;

namespace ProcProbe.Native.Tests;

/// <summary>Compiles and runs small C programs with the system C compiler.</summary>
internal static class CTool
{
    private static readonly string s_directory = CreateDirectory();

    private static string CreateDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "procprobe-native-tests-c-" + Environment.ProcessId);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover build directory in /tmp is harmless.
            }
        };
        return directory;
    }

    /// <summary>Compiles <paramref name="source"/> into an executable and returns its path; fails the test with cc's output otherwise.</summary>
    public static string Compile(string name, string source, params string[] extraArgs)
    {
        Directory.CreateDirectory(s_directory);
        string cFile = Path.Combine(s_directory, name + ".c");
        string exe = Path.Combine(s_directory, name);
        File.WriteAllText(cFile, source);

        Assert.True(File.Exists("/usr/include/fuse3/fuse_lowlevel.h"),
            "/usr/include/fuse3/fuse_lowlevel.h is missing: install the libfuse3 headers ('apt-get install libfuse3-dev')");
        ProcessResult result;
        try
        {
            result = ProcessRunner.Run("cc", ["-std=gnu11", "-Wall", "-Werror", "-o", exe, cFile, .. extraArgs]);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"no C compiler: 'cc' could not be started ({e.Message}); install gcc or clang");
            throw;
        }

        Assert.True(result.ExitCode == 0, $"cc failed for {cFile}:\n{result.StdErr}{result.StdOut}");
        return exe;
    }
}

internal readonly record struct ProcessResult(int ExitCode, string StdOut, string StdErr);

internal static class ProcessRunner
{
    public static ProcessResult Run(string file, IEnumerable<string> args, string? workingDirectory = null, int timeoutMs = 20_000)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {timeoutMs} ms");
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs /bin/sh -c SCRIPT.</summary>
    public static ProcessResult Sh(string script, string? workingDirectory = null) => Run("/bin/sh", ["-c", script], workingDirectory);
}
