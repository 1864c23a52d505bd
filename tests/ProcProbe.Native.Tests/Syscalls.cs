using System.Runtime.InteropServices;
using System.Text;

namespace ProcProbe.Native.Tests;

/// <summary>Raw libc calls for tests that must see the exact errno a FUSE request was answered with.</summary>
internal static unsafe partial class Sys
{
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_DIRECTORY = 0x10000;
    public const int EIO = 5;

    [LibraryImport("libc.so.6", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenCore(string path, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenAtCore(int dirFd, string path, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadCore(int fd, byte* buffer, nuint count);

    [LibraryImport("libc.so.6", EntryPoint = "pread", SetLastError = true)]
    private static partial nint PReadCore(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc.so.6", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteCore(int fd, byte* buffer, nuint count);

    [LibraryImport("libc.so.6", EntryPoint = "close")]
    public static partial int Close(int fd);

    /// <summary>open(2); fails the test unless it succeeds.</summary>
    public static int MustOpen(string path, int flags)
    {
        int fd = OpenCore(path, flags);
        Assert.True(fd >= 0, $"open {path}: errno {Marshal.GetLastPInvokeError()}");
        return fd;
    }

    /// <summary>openat(2): the descriptor, or -errno.</summary>
    public static int OpenAt(int dirFd, string path, int flags)
    {
        int fd = OpenAtCore(dirFd, path, flags);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    /// <summary>One read(2) of up to <paramref name="count"/> bytes: the bytes as text, or "-errno".</summary>
    public static string Read(int fd, int count = 4096)
    {
        byte[] buffer = new byte[count];
        fixed (byte* p = buffer)
        {
            nint n = ReadCore(fd, p, (nuint)count);
            return n < 0 ? "-" + Marshal.GetLastPInvokeError() : Encoding.UTF8.GetString(buffer, 0, (int)n);
        }
    }

    /// <summary>One pread(2): the bytes as text, or "-errno".</summary>
    public static string PRead(int fd, long offset, int count = 4096)
    {
        byte[] buffer = new byte[count];
        fixed (byte* p = buffer)
        {
            nint n = PReadCore(fd, p, (nuint)count, offset);
            return n < 0 ? "-" + Marshal.GetLastPInvokeError() : Encoding.UTF8.GetString(buffer, 0, (int)n);
        }
    }

    /// <summary>One write(2): the count written, or -errno.</summary>
    public static long Write(int fd, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
        {
            nint n = WriteCore(fd, p, (nuint)bytes.Length);
            return n < 0 ? -Marshal.GetLastPInvokeError() : n;
        }
    }
}
