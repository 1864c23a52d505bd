using System.Runtime.InteropServices;
using System.Text;
using ProcProbe.Cli.Tests.Sessions;

namespace ProcProbe.Cli.Tests.Conformance;

/// <summary>
/// The exact system calls the upstream tests make, without .NET's buffering or retry logic in
/// between: open/read/write/pread/lseek/close straight from libc, each returning the kernel's
/// result or -errno.
/// </summary>
internal static partial class Sys
{
    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200,
        O_APPEND = 0x400, O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000;
    public const int EPERM = 1, ENOENT = 2, EIO = 5, EBADF = 9, EAGAIN = 11, EACCES = 13, EEXIST = 17,
        ENOTDIR = 20, EINVAL = 22, ENOSYS = 38, ENOTEMPTY = 39, ENOTCONN = 107;
    public const int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open_(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int close_(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint read_(int fd, byte* buf, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint write_(int fd, byte* buf, nuint count);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static unsafe partial nint pread_(int fd, byte* buf, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long lseek_(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "unlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int unlink_(string path);

    [LibraryImport("libc", EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int rename_(string from, string to);

    [LibraryImport("libc", EntryPoint = "mkdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int mkdir_(string path, int mode);

    [LibraryImport("libc", EntryPoint = "rmdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int rmdir_(string path);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    private static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>open(2): the descriptor, or -errno.</summary>
    public static int Open(string path, int flags, int mode = 0)
    {
        int fd = open_(path, flags, mode);
        return fd >= 0 ? fd : -Errno;
    }

    /// <summary>open(2) that must succeed.</summary>
    public static int MustOpen(string path, int flags)
    {
        int fd = Open(path, flags);
        Assert.True(fd >= 0, $"open({path}, 0x{flags:x}) failed: errno {-fd}");
        return fd;
    }

    public static int Close(int fd) => close_(fd) == 0 ? 0 : -Errno;

    /// <summary>One read(2) of up to <paramref name="count"/> bytes. Returns the bytes read, or throws
    /// <see cref="SysError"/> with the errno.</summary>
    public static unsafe byte[] Read(int fd, int count)
    {
        var buf = new byte[Math.Max(count, 1)];
        nint n;
        fixed (byte* p = buf)
        {
            n = read_(fd, p, (nuint)count);
        }
        if (n < 0) throw new SysError("read", Errno);
        return buf[..(int)n];
    }

    /// <summary>One read(2): its raw return value (bytes, or -errno).</summary>
    public static unsafe long ReadRaw(int fd, int count)
    {
        var buf = new byte[Math.Max(count, 1)];
        fixed (byte* p = buf)
        {
            nint n = read_(fd, p, (nuint)count);
            return n < 0 ? -Errno : n;
        }
    }

    public static unsafe byte[] PRead(int fd, int count, long offset)
    {
        var buf = new byte[Math.Max(count, 1)];
        nint n;
        fixed (byte* p = buf)
        {
            n = pread_(fd, p, (nuint)count, offset);
        }
        if (n < 0) throw new SysError("pread", Errno);
        return buf[..(int)n];
    }

    /// <summary>One write(2): its raw return value (bytes accepted, or -errno).</summary>
    public static unsafe long Write(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            nint n = write_(fd, p, (nuint)data.Length);
            return n < 0 ? -Errno : n;
        }
    }

    public static long LSeek(int fd, long offset, int whence)
    {
        long r = lseek_(fd, offset, whence);
        return r < 0 ? -Errno : r;
    }

    public static int Unlink(string path) => unlink_(path) == 0 ? 0 : -Errno;
    public static int Rename(string from, string to) => rename_(from, to) == 0 ? 0 : -Errno;
    public static int Mkdir(string path, int mode) => mkdir_(path, mode) == 0 ? 0 : -Errno;
    public static int Rmdir(string path) => rmdir_(path) == 0 ? 0 : -Errno;

    /// <summary>The writer's retry loop (stdio, Tcl, the shell): write(2) the rest again after each short
    /// count until everything is accepted. Returns every write(2) result in order; a 0 or an error ends
    /// the loop (it is the last element), so a writer that would spin forever is visible.</summary>
    public static List<long> WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        var results = new List<long>();
        int done = 0;
        do
        {
            long n = Write(fd, data[done..]);
            results.Add(n);
            if (n <= 0) break;
            done += (int)n;
        }
        while (done < data.Length);
        return results;
    }

    /// <summary>Reads to EOF with read(2) calls of <paramref name="chunk"/> bytes.</summary>
    public static byte[] ReadToEnd(int fd, int chunk = 4096)
    {
        var all = new List<byte>();
        while (true)
        {
            byte[] b = Read(fd, chunk);
            if (b.Length == 0) return all.ToArray();
            all.AddRange(b);
        }
    }

    public static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);
}

internal sealed class SysError(string call, int errno) : Exception($"{call} failed with errno {errno}")
{
    public int Errno { get; } = errno;
}

/// <summary>
/// What the upstream Tcl/expect harness does to a procfs file, as system calls. Tcl's channels read
/// in 4096-byte read(2)s and flush output in one write(2) at close, re-issuing the rest after a
/// short count.
/// </summary>
internal static class Tcl
{
    /// <summary><c>open PATH RDONLY; read -nonewline; close</c>: read to EOF, strip one trailing newline.</summary>
    public static string ReadNoNewline(string path)
    {
        int fd = Sys.MustOpen(path, Sys.O_RDONLY);
        try
        {
            string s = Sys.Text(Sys.ReadToEnd(fd));
            return s.EndsWith('\n') ? s[..^1] : s;
        }
        finally
        {
            Sys.Close(fd);
        }
    }

    /// <summary><c>open PATH WRONLY; puts $text; close</c>: text + "\n" through the retry loop.
    /// Returns the write(2) results.</summary>
    public static List<long> Puts(string path, string text) => PutsNoNewline(path, text + "\n");

    /// <summary><c>open PATH WRONLY; puts -nonewline $text; close</c>.</summary>
    public static List<long> PutsNoNewline(string path, string text)
    {
        int fd = Sys.MustOpen(path, Sys.O_WRONLY);
        try
        {
            var results = Sys.WriteAll(fd, Sys.Bytes(text));
            Assert.True(results[^1] > 0, $"write to {path} failed: write(2) results {string.Join(",", results)}");
            return results;
        }
        finally
        {
            Sys.Close(fd);
        }
    }
}

/// <summary>Small helpers over <see cref="ProbeRun"/> for tests that follow output as it arrives.</summary>
internal static class RunExtensions
{
    /// <summary>Waits until procprobe's standard output contains <paramref name="text"/> at or after
    /// <paramref name="from"/>; returns the index just past it.</summary>
    public static int WaitForOutput(this ProbeRun run, string text, int from = 0, int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            string stdout = run.Stdout;
            int at = stdout.IndexOf(text, Math.Min(from, stdout.Length), StringComparison.Ordinal);
            if (at >= 0) return at + text.Length;
            if (DateTime.UtcNow > deadline || run.HasExited)
            {
                if (run.HasExited)
                {
                    // The pump may still be draining the last bytes.
                    Thread.Sleep(100);
                    stdout = run.Stdout;
                    at = stdout.IndexOf(text, Math.Min(from, stdout.Length), StringComparison.Ordinal);
                    if (at >= 0) return at + text.Length;
                }
                throw new TimeoutException($"output never showed '{text}' after index {from}; stdout so far: '{stdout}'; stderr: '{run.Stderr}'");
            }
            Thread.Sleep(5);
        }
    }

    /// <summary><c>stat -c %a</c>, as the upstream tests run it.</summary>
    public static string StatMode(string path) => Shell.Bash($"stat -c %a '{path}'").Trim();
}
