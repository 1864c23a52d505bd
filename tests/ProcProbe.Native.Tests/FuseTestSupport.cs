using System.Buffers.Text;

namespace ProcProbe.Native.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuseCollection
{
    public const string Name = "FUSE";
}

/// <summary>A probe handler with one behaviour per file, recording what the kernel made it do.</summary>
internal sealed class TestHandler : IProbeFileHandler
{
    public const int Hello = 0;
    public const int Counter = 1;
    public const int Echo = 2;
    public const int Sink = 3;
    public const int Fail = 4;
    public const int Stats = 5;
    public const int Silent = 6;
    public const int Deep = 7;

    public static readonly ProbeFileSpec[] Files =
    [
        new() { Path = "hello", Mode = 0x124, HasRead = true, HasWrite = false },      // 0444
        new() { Path = "counter", Mode = 0x124, HasRead = true, HasWrite = false },    // 0444
        new() { Path = "echo", Mode = 0x1B6, HasRead = true, HasWrite = true },        // 0666
        new() { Path = "sink", Mode = 0x92, HasRead = false, HasWrite = true },        // 0222
        new() { Path = "fail", Mode = 0x1A4, HasRead = true, HasWrite = true },        // 0644
        new() { Path = "net/stats", Mode = 0x100, HasRead = true, HasWrite = false },  // 0400
        new() { Path = "silent", Mode = 0x124, HasRead = false, HasWrite = false },    // 0444
        new() { Path = "net/deep/x", Mode = 0x124, HasRead = true, HasWrite = false }, // 0444
    ];

    public const int SinkChunkLimit = 511;

    private readonly Lock _lock = new();
    private readonly int[] _readCalls = new int[Files.Length];
    private readonly byte[] _sink = new byte[1 << 20];
    private readonly int[] _sinkChunks = new int[4096];
    private int _sinkLength;
    private int _sinkChunkCount;
    private int _opens;
    private byte[] _echo = "initial\n"u8.ToArray();

    /// <summary>GC.GetAllocatedBytesForCurrentThread() at each counter read, on the FUSE thread.</summary>
    public readonly long[] AllocationSamples = new long[4096];
    public int AllocationSampleCount;

    /// <summary>The same at each sink write.</summary>
    public readonly long[] WriteAllocationSamples = new long[4096];
    public int WriteAllocationSampleCount;

    public CallerContext LastCaller;
    public Action? OnCounterRead;

    public int ReadCalls(int file) => Volatile.Read(ref _readCalls[file]);

    public byte[] SinkBytes()
    {
        lock (_lock)
        {
            return _sink.AsSpan(0, _sinkLength).ToArray();
        }
    }

    public int[] SinkChunkSizes()
    {
        lock (_lock)
        {
            return _sinkChunks.AsSpan(0, _sinkChunkCount).ToArray();
        }
    }

    public void ResetSink()
    {
        lock (_lock)
        {
            _sinkLength = 0;
            _sinkChunkCount = 0;
        }
    }

    public int Read(int fileIndex, in CallerContext caller, SnapshotBuffer content)
    {
        Interlocked.Increment(ref _readCalls[fileIndex]);
        LastCaller = caller;
        switch (fileIndex)
        {
            case Hello:
                content.Set("hello world\n"u8);
                return 0;
            case Counter:
            {
                int sample = Interlocked.Increment(ref AllocationSampleCount) - 1;
                if (sample < AllocationSamples.Length)
                {
                    AllocationSamples[sample] = GC.GetAllocatedBytesForCurrentThread();
                }

                OnCounterRead?.Invoke();
                int n = Interlocked.Increment(ref _opens);
                content.Append("open "u8);
                Utf8Formatter.TryFormat(n, content.GetSpan(11), out int written);
                content.Advance(written);
                content.Append("\n"u8);
                return 0;
            }

            case Echo:
                lock (_lock)
                {
                    content.Set(_echo);
                }

                return 0;
            case Fail:
                return 5; // EIO
            case Stats:
                content.Set("rx 1 tx 2\n"u8);
                return 0;
            case Deep:
                content.Set("deep\n"u8);
                return 0;
            default:
                throw new InvalidOperationException($"read handler called for file {fileIndex}");
        }
    }

    public int Write(int fileIndex, in CallerContext caller, ReadOnlySpan<byte> data)
    {
        LastCaller = caller;
        switch (fileIndex)
        {
            case Sink:
            {
                int sample = Interlocked.Increment(ref WriteAllocationSampleCount) - 1;
                if (sample < WriteAllocationSamples.Length)
                {
                    WriteAllocationSamples[sample] = GC.GetAllocatedBytesForCurrentThread();
                }

                int take = Math.Min(data.Length, SinkChunkLimit);
                lock (_lock)
                {
                    data[..take].CopyTo(_sink.AsSpan(_sinkLength));
                    _sinkLength += take;
                    _sinkChunks[_sinkChunkCount++] = take;
                }

                return take;
            }

            case Echo:
                lock (_lock)
                {
                    _echo = data.ToArray();
                }

                return data.Length;
            case Fail:
                return -5; // -EIO
            default:
                throw new InvalidOperationException($"write handler called for file {fileIndex}");
        }
    }
}

/// <summary>A temporary ROOT under /tmp with one mounted module, torn down and checked on dispose.</summary>
public sealed class MountedModule : IDisposable
{
    internal MountedModule(IProbeFileHandler handler, IReadOnlyList<ProbeFileSpec> files, FuseMountOptions? options = null, string modName = "mod")
    {
        Root = Path.Combine("/tmp", "pp-native-test-" + Guid.NewGuid().ToString("N"));
        ModuleDirectory.CreateRoot(Root);
        ModName = modName;
        options ??= new FuseMountOptions();
        Dir = ModuleDirectory.Prepare(Root, modName, options.FsName);
        Mount = FuseMount.Mount(Dir, files, handler, options);
        Mount.Start();
    }

    public string Root { get; }

    public string ModName { get; }

    public string Dir { get; }

    public FuseMount Mount { get; }

    public string PathOf(string file) => System.IO.Path.Combine(Dir, file);

    public void Dispose()
    {
        Mount.RequestStop();
        bool exited = Mount.WaitForExit(TimeSpan.FromSeconds(10));
        bool mounted = MountInfo.IsMountPoint(Dir);
        ModuleDirectory.Remove(Root, ModName);
        Directory.Delete(Root);
        Assert.True(exited, "the FUSE loop did not end within 10 s of RequestStop");
        Assert.False(mounted, $"{Dir} is still mounted after stop");
    }
}

public sealed class TestModuleFixture : IDisposable
{
    public TestModuleFixture()
    {
        Handler = new TestHandler();
        Module = new MountedModule(Handler, TestHandler.Files);
    }

    internal TestHandler Handler { get; }

    public MountedModule Module { get; }

    public void Dispose() => Module.Dispose();
}
