using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ProcProbe.Native.Tests;

/// <summary>What other processes and this one see through the kernel on a mounted module.</summary>
[Collection(FuseCollection.Name)]
public sealed class FileOperationTests : IClassFixture<TestModuleFixture>
{
    private readonly MountedModule _module;
    private readonly TestHandler _handler;

    public FileOperationTests(TestModuleFixture fixture)
    {
        _module = fixture.Module;
        _handler = fixture.Handler;
    }

    [Fact]
    public void Cat_from_another_process_shows_the_content()
    {
        ProcessResult cat = ProcessRunner.Run("cat", [_module.PathOf("hello")]);
        Assert.Equal(0, cat.ExitCode);
        Assert.Equal("hello world\n", cat.StdOut);
    }

    [Fact]
    public void Handler_sees_the_caller_identity()
    {
        ProcessResult cat = ProcessRunner.Sh($"echo $$; exec cat {_module.PathOf("net/stats")} >/dev/null");
        Assert.Equal(0, cat.ExitCode);
        Assert.Equal(int.Parse(cat.StdOut.Trim()), _handler.LastCaller.Pid);
        Assert.Equal(0u, _handler.LastCaller.Uid);
        Assert.Equal(0u, _handler.LastCaller.Gid);
    }

    [Fact]
    public void Handler_runs_once_per_open_even_with_tiny_reads()
    {
        int before = _handler.ReadCalls(TestHandler.Hello);
        using (SafeFileHandle file = File.OpenHandle(_module.PathOf("hello")))
        {
            var content = new List<byte>();
            byte[] one = new byte[1];
            long offset = 0;
            int n;
            while ((n = RandomAccess.Read(file, one, offset)) > 0)
            {
                content.Add(one[0]);
                offset += n;
            }

            Assert.Equal("hello world\n", Encoding.ASCII.GetString(content.ToArray()));
        }

        Assert.Equal(before + 1, _handler.ReadCalls(TestHandler.Hello));

        ProcessRunner.Run("cat", [_module.PathOf("hello")]);
        ProcessRunner.Run("cat", [_module.PathOf("hello")]);
        Assert.Equal(before + 3, _handler.ReadCalls(TestHandler.Hello));
    }

    [Fact]
    public void Snapshot_is_served_again_by_pread_and_seek()
    {
        using var stream = new FileStream(_module.PathOf("counter"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        byte[] first = new byte[100];
        int length = stream.Read(first);
        string text = Encoding.ASCII.GetString(first, 0, length);
        Assert.StartsWith("open ", text);
        int calls = _handler.ReadCalls(TestHandler.Counter);

        stream.Seek(0, SeekOrigin.Begin);
        byte[] again = new byte[100];
        Assert.Equal(length, stream.Read(again));
        Assert.Equal(text, Encoding.ASCII.GetString(again, 0, length));

        byte[] tail = new byte[100];
        int tailLength = RandomAccess.Read(stream.SafeFileHandle, tail, 2);
        Assert.Equal(text[2..], Encoding.ASCII.GetString(tail, 0, tailLength));
        Assert.Equal(0, RandomAccess.Read(stream.SafeFileHandle, tail, length));
        Assert.Equal(0, RandomAccess.Read(stream.SafeFileHandle, tail, 1 << 20));
        Assert.Equal(calls, _handler.ReadCalls(TestHandler.Counter));
    }

    [Fact]
    public void Each_open_has_its_own_snapshot_and_opens_do_not_block_each_other()
    {
        using SafeFileHandle a = File.OpenHandle(_module.PathOf("counter"));
        using SafeFileHandle b = File.OpenHandle(_module.PathOf("counter"));
        string fromB = ReadAll(b);
        string fromA = ReadAll(a);
        Assert.NotEqual(fromA, fromB);
        Assert.Equal(fromB, ReadAll(b));
        Assert.Equal(fromA, ReadAll(a));

        // A third reader in another process while both are still open.
        ProcessResult cat = ProcessRunner.Run("cat", [_module.PathOf("counter")]);
        Assert.Equal(0, cat.ExitCode);
        Assert.NotEqual(fromA, cat.StdOut);
        Assert.NotEqual(fromB, cat.StdOut);
    }

    [Fact]
    public void Read_write_open_runs_the_read_handler()
    {
        File.WriteAllText(_module.PathOf("echo"), "stored\n");
        int before = _handler.ReadCalls(TestHandler.Echo);
        using SafeFileHandle rw = File.OpenHandle(_module.PathOf("echo"), FileMode.Open, FileAccess.ReadWrite);
        Assert.Equal("stored\n", ReadAll(rw));
        Assert.Equal(before + 1, _handler.ReadCalls(TestHandler.Echo));
    }

    [Fact]
    public void Short_counts_deliver_a_large_write_in_order()
    {
        _handler.ResetSink();
        byte[] payload = new byte[4288];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)('a' + (i * 7 % 26));
        }

        string source = Path.Combine(_module.Root, "..", "pp-native-payload-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(source, payload);
        try
        {
            // cat writes the whole file with one write(2) and loops on the short counts.
            ProcessResult cat = ProcessRunner.Sh($"cat {source} > {_module.PathOf("sink")}");
            Assert.True(cat.ExitCode == 0, cat.StdErr);
        }
        finally
        {
            File.Delete(source);
        }

        Assert.Equal(payload, _handler.SinkBytes());
        int[] chunks = _handler.SinkChunkSizes();
        Assert.Equal((4288 + 510) / 511, chunks.Length);
        Assert.All(chunks[..^1], size => Assert.Equal(511, size));

        // In-process too: .NET's own write loop must see the same short counts.
        _handler.ResetSink();
        using (SafeFileHandle sink = File.OpenHandle(_module.PathOf("sink"), FileMode.Open, FileAccess.Write))
        {
            RandomAccess.Write(sink, payload, 0);
        }

        Assert.Equal(payload, _handler.SinkBytes());
    }

    [Fact]
    public void Failing_write_handler_fails_the_write_with_EIO()
    {
        AssertFails($"printf x > {_module.PathOf("fail")}", "I/O error", "Input/output error");

        using SafeFileHandle file = File.OpenHandle(_module.PathOf("fail"), FileMode.Open, FileAccess.Write);
        IOException e = Assert.ThrowsAny<IOException>(() => RandomAccess.Write(file, "x"u8, 0));
        Assert.Contains("Input/output error", e.Message);
    }

    [Fact]
    public void Failing_read_handler_fails_the_read_with_EIO()
    {
        ProcessResult cat = ProcessRunner.Run("cat", [_module.PathOf("fail")]);
        Assert.NotEqual(0, cat.ExitCode);
        Assert.Contains("Input/output error", cat.StdErr);
    }

    [Fact]
    public void Files_without_handlers_read_empty_and_refuse_writes()
    {
        ProcessResult cat = ProcessRunner.Run("cat", [_module.PathOf("silent")]);
        Assert.Equal(0, cat.ExitCode);
        Assert.Equal(string.Empty, cat.StdOut);

        // Root passes the 0444 mode check; the missing write handler answers EIO.
        AssertFails($"printf x > {_module.PathOf("silent")}", "I/O error", "Input/output error");

        ProcessResult readSink = ProcessRunner.Run("cat", [_module.PathOf("sink")]);
        Assert.Equal(0, readSink.ExitCode);
        Assert.Equal(string.Empty, readSink.StdOut);
    }

    [Fact]
    public void Modes_owner_and_size_are_reported()
    {
        ProcessResult stat = ProcessRunner.Run("stat", ["-c", "%n %a %s %U %G %h %F",
            _module.Dir, _module.PathOf("hello"), _module.PathOf("echo"), _module.PathOf("sink"),
            _module.PathOf("net"), _module.PathOf("net/stats"), _module.PathOf("net/deep")]);
        Assert.True(stat.ExitCode == 0, stat.StdErr);
        string d = _module.Dir;
        Assert.Equal(
            $"""
            {d} 555 0 root root 3 directory
            {d}/hello 444 0 root root 1 regular empty file
            {d}/echo 666 0 root root 1 regular empty file
            {d}/sink 222 0 root root 1 regular empty file
            {d}/net 555 0 root root 3 directory
            {d}/net/stats 400 0 root root 1 regular empty file
            {d}/net/deep 555 0 root root 2 directory

            """,
            stat.StdOut);
    }

    [Fact]
    public void Directories_list_their_entries()
    {
        ProcessResult ls = ProcessRunner.Run("ls", ["-a", _module.Dir]);
        Assert.Equal(".\n..\ncounter\necho\nfail\nhello\nnet\nsilent\nsink\n", ls.StdOut);
        ProcessResult lsNet = ProcessRunner.Run("ls", ["-a", _module.PathOf("net")]);
        Assert.Equal(".\n..\ndeep\nstats\n", lsNet.StdOut);
        ProcessResult cat = ProcessRunner.Run("cat", [_module.PathOf("net/stats"), _module.PathOf("net/deep/x")]);
        Assert.Equal("rx 1 tx 2\ndeep\n", cat.StdOut);
        Assert.Equal(["counter", "echo", "fail", "hello", "net", "silent", "sink"],
            Directory.EnumerateFileSystemEntries(_module.Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Changes_to_the_tree_are_refused_with_procfs_errnos()
    {
        string dir = _module.Dir;
        AssertFails($"touch {dir}/new", "Permission denied");            // create: EACCES
        AssertFails($"mknod {dir}/fifo p", "Permission denied");         // mknod: EACCES
        AssertFails($"mkdir {dir}/sub", "Operation not permitted");      // mkdir: EPERM
        AssertFails($"rm -f {dir}/hello", "Operation not permitted");    // unlink: EPERM
        AssertFails($"rmdir {dir}/net/deep", "Operation not permitted"); // rmdir: EPERM
        AssertFails($"mv {dir}/hello {dir}/moved", "Operation not permitted");
        AssertFails($"ln -s x {dir}/link", "Operation not permitted");
        AssertFails($"ln {dir}/hello {dir}/hard", "Operation not permitted");
        AssertFails($"chmod 777 {dir}/hello", "Operation not permitted");
        Assert.True(File.Exists(_module.PathOf("hello")));
    }

    [Fact]
    public void Truncating_a_writable_file_succeeds_and_a_read_only_one_does_not()
    {
        Assert.Equal(0, ProcessRunner.Run("truncate", ["-s", "0", _module.PathOf("echo")]).ExitCode);
        AssertFails($"truncate -s 0 {_module.PathOf("hello")}", "Operation not permitted");
    }

    [Fact]
    public void Unknown_names_are_ENOENT()
    {
        AssertFails($"cat {_module.PathOf("nosuch")}", "No such file or directory");
        AssertFails($"cat {_module.PathOf("net/nosuch")}", "No such file or directory");
        AssertFails($"cat {_module.PathOf("hello/x")}", "Not a directory");
        Assert.False(File.Exists(_module.PathOf("nosuch")));
    }

    [Fact]
    public void Statfs_reports_the_name_limit()
    {
        ProcessResult stat = ProcessRunner.Run("stat", ["-f", "-c", "%l %c", _module.Dir]);
        Assert.Equal(0, stat.ExitCode);
        // Name limit, then 11 inodes: the root, net, net/deep and the 8 files.
        Assert.Equal("255 11\n", stat.StdOut);
    }

    [Fact]
    public void Open_read_release_path_allocates_nothing()
    {
        void Cycle()
        {
            using SafeFileHandle file = File.OpenHandle(_module.PathOf("counter"));
            Span<byte> buffer = stackalloc byte[64];
            long offset = 0;
            int n;
            while ((n = RandomAccess.Read(file, buffer, offset)) > 0)
            {
                offset += n;
            }
        }

        for (int i = 0; i < 200; i++)
        {
            Cycle();
        }

        int first = Volatile.Read(ref _handler.AllocationSampleCount);
        for (int i = 0; i < 300; i++)
        {
            Cycle();
        }

        int last = Volatile.Read(ref _handler.AllocationSampleCount) - 1;
        Assert.True(last - first >= 299, $"expected 300 samples, got {last - first + 1}");

        // Between two read-handler calls the FUSE thread served RELEASE, OPEN and READs.
        long allocated = _handler.AllocationSamples[last] - _handler.AllocationSamples[first];
        Assert.Equal(0, allocated);

        // RELEASE is asynchronous: the last one may still be on its way.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (_module.Mount.OpenHandles != 0 && clock.ElapsedMilliseconds < 2000)
        {
            Thread.Sleep(5);
        }

        Assert.Equal(0, _module.Mount.OpenHandles);
    }

    /// <summary>The shell command must fail with one of <paramref name="messages"/> (dash and coreutils spell EIO differently).</summary>
    [Fact]
    public void Write_path_allocates_nothing()
    {
        using SafeFileHandle sink = File.OpenHandle(_module.PathOf("sink"), FileMode.Open, FileAccess.Write);
        byte[] chunk = new byte[100];
        for (int i = 0; i < 200; i++)
        {
            RandomAccess.Write(sink, chunk, 0);
        }

        int first = Volatile.Read(ref _handler.WriteAllocationSampleCount);
        for (int i = 0; i < 300; i++)
        {
            RandomAccess.Write(sink, chunk, 0);
        }

        int last = Volatile.Read(ref _handler.WriteAllocationSampleCount) - 1;
        Assert.Equal(299, last - first);
        Assert.Equal(0, _handler.WriteAllocationSamples[last] - _handler.WriteAllocationSamples[first]);
        _handler.ResetSink();
    }

    private static void AssertFails(string script, params string[] messages)
    {
        ProcessResult result = ProcessRunner.Sh(script);
        Assert.True(result.ExitCode != 0, $"'{script}' succeeded");
        Assert.True(messages.Any(m => result.StdErr.Contains(m, StringComparison.Ordinal)),
            $"'{script}': expected '{string.Join("' or '", messages)}', got: {result.StdErr}");
    }

    private static string ReadAll(SafeFileHandle file)
    {
        var bytes = new List<byte>();
        byte[] buffer = new byte[7];
        long offset = 0;
        int n;
        while ((n = RandomAccess.Read(file, buffer, offset)) > 0)
        {
            bytes.AddRange(buffer.AsSpan(0, n));
            offset += n;
        }

        return Encoding.ASCII.GetString(bytes.ToArray());
    }
}
