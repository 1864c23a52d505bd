using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using ProcProbe.Native;
using static Interop.LibFuse;

namespace ProcProbe.Benchmarks.Native;

/// <summary>
/// The managed part of serving a probe file: the FUSE callbacks libfuse calls for one `cat`
/// (OPEN, READ, READ at EOF, RELEASE), one `echo x >f` (OPEN, WRITE, RELEASE) and one 4 KiB write on
/// an open file, entered through their unmanaged entry points exactly as libfuse enters them. No
/// mount and no kernel: libfuse's request functions (<c>fuse_req_userdata</c>, <c>fuse_req_ctx</c>,
/// <c>fuse_reply_*</c>) are replaced by unmanaged stubs that only count. The handler is constant, so
/// this is procprobe's own cost per request on top of libfuse and the kernel.
/// The Direct* twins are the same requests as the loop answers them itself (the default once INIT
/// is done): kernel requests built in memory go to <c>FuseMount.TryReplyDirectly</c>, whose replies
/// (one writev each) go to /dev/null, so they include that system call and no libfuse at all.
/// Target: 0 bytes allocated per operation.
/// </summary>
[MemoryDiagnoser]
public unsafe class FuseCallbackBenchmarks
{
    private const int O_WRONLY = 1;
    private const int O_TRUNC = 0x200;

    private static nint s_userData;
    private static fuse_ctx* s_ctx;
    private static long s_replies;

    private FuseMount _mount = null!;
    private fuse_file_info* _fi;
    private fuse_file_info* _streamFi;
    private byte* _payload;
    private fuse_req* _req;
    private byte* _stubs;

    private int _devNull;
    private byte* _openRequest;
    private byte* _readRequest;
    private byte* _eofReadRequest;
    private byte* _releaseRequest;
    private byte* _wOpenRequest;
    private byte* _wWriteRequest;
    private byte* _wReleaseRequest;
    private byte* _streamWriteRequest;

    [GlobalSetup]
    public void Setup()
    {
        if (!LibFuse.TryLoad(out string error))
        {
            throw new InvalidOperationException(error);
        }

        ProbeFileSpec[] files =
        [
            new() { Path = "r", Mode = 0x124, HasRead = true, HasWrite = false },
            new() { Path = "w", Mode = 0x92, HasRead = false, HasWrite = true },
        ];
        _mount = FuseMount.CreateUnmounted(files, new ConstantHandler(), new FuseMountOptions());
        s_userData = _mount.CallbackUserData;
        s_ctx = (fuse_ctx*)NativeMemory.AllocZeroed((nuint)sizeof(fuse_ctx));
        *s_ctx = new fuse_ctx { uid = 1000, gid = 1000, pid = 4242 };

        // procprobe calls these two without a GC transition, so they must be native code, not
        // managed stubs: a few bytes of machine code that return the benchmark's constants.
        _stubs = ConstantReturningStubs((nint)s_userData, (nint)s_ctx);
        fuse_req_userdata = (delegate* unmanaged[Cdecl, SuppressGCTransition]<fuse_req*, void*>)_stubs;
        fuse_req_ctx = (delegate* unmanaged[Cdecl, SuppressGCTransition]<fuse_req*, fuse_ctx*>)(_stubs + StubSize);
        fuse_reply_err = &ReplyErr;
        fuse_reply_open = &ReplyOpen;
        fuse_reply_buf = &ReplyBuf;
        fuse_reply_write = &ReplyWrite;

        // libfuse's fuse_file_info is 64 bytes from 3.17 on; allocate that much.
        _fi = (fuse_file_info*)NativeMemory.AllocZeroed(64);
        _streamFi = (fuse_file_info*)NativeMemory.AllocZeroed(64);
        _payload = (byte*)NativeMemory.AllocZeroed(4096);
        _req = (fuse_req*)NativeMemory.AllocZeroed(64);
        _streamFi->flags = O_WRONLY;
        OnOpenEntry(_req, 3, _streamFi);

        SetupDirect();
    }

    private void SetupDirect()
    {
        // The handle table reuses the slot just released, so every cycle's OPEN gets the fh that
        // one OPEN answered into a pipe here shows; the stream's file stays open beside them.
        ulong streamFh = OpenDirect(3, O_WRONLY);
        ulong readFh = OpenDirect(2, 0);
        ReleaseDirect(readFh);
        ulong writeFh = OpenDirect(3, O_WRONLY | O_TRUNC);
        ReleaseDirect(writeFh);

        _openRequest = Request(FUSE_OPEN, 2, new fuse_open_in { flags = 0 });
        _readRequest = Request(FUSE_READ, 2, new fuse_read_in { fh = readFh, offset = 0, size = 131072 });
        _eofReadRequest = Request(FUSE_READ, 2, new fuse_read_in { fh = readFh, offset = 4, size = 131072 });
        _releaseRequest = Request(FUSE_RELEASE, 2, new fuse_release_in { fh = readFh });
        _wOpenRequest = Request(FUSE_OPEN, 3, new fuse_open_in { flags = O_WRONLY | O_TRUNC });
        _wWriteRequest = Request(FUSE_WRITE, 3, new fuse_write_in { fh = writeFh, size = 4 }, 4);
        _wReleaseRequest = Request(FUSE_RELEASE, 3, new fuse_release_in { fh = writeFh });
        _streamWriteRequest = Request(FUSE_WRITE, 3, new fuse_write_in { fh = streamFh, size = 4096 }, 4096);
        fixed (byte* path = "/dev/null\0"u8)
        {
            _devNull = open(path, 1 /* O_WRONLY */);
        }

        if (_devNull < 0)
        {
            throw new InvalidOperationException("cannot open /dev/null");
        }
    }

    /// <summary>One direct OPEN answered into a pipe; checks the reply and returns its fh.</summary>
    private ulong OpenDirect(ulong ino, uint flags)
    {
        byte* request = Request(FUSE_OPEN, ino, new fuse_open_in { flags = flags });
        var reply = stackalloc byte[64];
        nint length = Exchange(request, reply, 64);
        var header = (fuse_out_header*)reply;
        var open = (fuse_open_out*)(reply + sizeof(fuse_out_header));
        if (length != 32 || header->len != 32 || header->error != 0 || open->open_flags != FOPEN_DIRECT_IO)
        {
            throw new InvalidOperationException($"unexpected OPEN reply: {length} bytes, error {header->error}");
        }

        NativeMemory.Free(request);
        return open->fh;
    }

    private void ReleaseDirect(ulong fh)
    {
        byte* request = Request(FUSE_RELEASE, 2, new fuse_release_in { fh = fh });
        var reply = stackalloc byte[64];
        if (Exchange(request, reply, 64) != 16 || ((fuse_out_header*)reply)->error != 0)
        {
            throw new InvalidOperationException("unexpected RELEASE reply");
        }

        NativeMemory.Free(request);
    }

    private nint Exchange(byte* request, byte* reply, int capacity)
    {
        int* fds = stackalloc int[2];
        if (pipe(fds) != 0)
        {
            throw new InvalidOperationException("pipe failed");
        }

        if (!_mount.TryReplyDirectly(fds[1], request, (nint)((fuse_in_header*)request)->len))
        {
            throw new InvalidOperationException("the request was not answered directly");
        }

        nint length = read(fds[0], reply, (nuint)capacity);
        close(fds[0]);
        close(fds[1]);
        return length;
    }

    /// <summary>A kernel request: fuse_in_header, <paramref name="arg"/>, then <paramref name="data"/> zero bytes.</summary>
    private static byte* Request<TArg>(int opcode, ulong ino, TArg arg, int data = 0)
        where TArg : unmanaged
    {
        int length = sizeof(fuse_in_header) + sizeof(TArg) + data;
        byte* request = (byte*)NativeMemory.AllocZeroed((nuint)length);
        *(fuse_in_header*)request = new fuse_in_header
        {
            len = (uint)length,
            opcode = (uint)opcode,
            unique = 2,
            nodeid = ino,
            uid = 1000,
            gid = 1000,
            pid = 4242,
        };
        *(TArg*)(request + sizeof(fuse_in_header)) = arg;
        return request;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.Free(_fi);
        NativeMemory.Free(_streamFi);
        NativeMemory.Free(_payload);
        NativeMemory.Free(_req);
        NativeMemory.Free(s_ctx);
        munmap(_stubs, 4096);
        foreach (byte* request in (byte*[])[_openRequest, _readRequest, _eofReadRequest, _releaseRequest, _wOpenRequest, _wWriteRequest, _wReleaseRequest, _streamWriteRequest])
        {
            NativeMemory.Free(request);
        }

        close(_devNull);
    }

    /// <summary>`cat r`: OPEN, READ (runs the handler), READ at EOF, RELEASE.</summary>
    [Benchmark]
    public void CatCycle()
    {
        _fi->flags = 0;
        OnOpenEntry(_req, 2, _fi);
        OnReadEntry(_req, 2, 131072, 0, _fi);
        OnReadEntry(_req, 2, 131072, 4, _fi);
        OnReleaseEntry(_req, 2, _fi);
    }

    /// <summary>`echo x > w`: OPEN with O_TRUNC, one 4-byte WRITE, RELEASE.</summary>
    [Benchmark]
    public void EchoCycle()
    {
        _fi->flags = O_WRONLY | O_TRUNC;
        OnOpenEntry(_req, 3, _fi);
        OnWriteEntry(_req, 3, _payload, 4, 0, _fi);
        OnReleaseEntry(_req, 3, _fi);
    }

    /// <summary>One 4 KiB WRITE on a file that stays open (the stream mode of the C client).</summary>
    [Benchmark]
    public void StreamWrite() => OnWriteEntry(_req, 3, _payload, 4096, 0, _streamFi);

    /// <summary>CatCycle as the loop answers it itself.</summary>
    [Benchmark]
    public void DirectCatCycle()
    {
        Direct(_openRequest);
        Direct(_readRequest);
        Direct(_eofReadRequest);
        Direct(_releaseRequest);
    }

    /// <summary>EchoCycle as the loop answers it itself.</summary>
    [Benchmark]
    public void DirectEchoCycle()
    {
        Direct(_wOpenRequest);
        Direct(_wWriteRequest);
        Direct(_wReleaseRequest);
    }

    /// <summary>StreamWrite as the loop answers it itself.</summary>
    [Benchmark]
    public void DirectStreamWrite() => Direct(_streamWriteRequest);

    /// <summary>
    /// One writev(2) of a bare fuse_out_header to /dev/null: the system call each direct reply
    /// includes (and libfuse's reply would make too), to subtract from the Direct* rows.
    /// </summary>
    [Benchmark]
    public nint WritevOnly()
    {
        var header = new fuse_out_header { len = 16, unique = 2 };
        var iov = new Interop.LibC.iovec { iov_base = &header, iov_len = 16 };
        return writev(_devNull, &iov, 1);
    }

    private void Direct(byte* request) => _mount.TryReplyDirectly(_devNull, request, (nint)((fuse_in_header*)request)->len);

    private static void OnOpenEntry(fuse_req* req, ulong ino, fuse_file_info* fi) =>
        ((delegate* unmanaged[Cdecl]<fuse_req*, ulong, fuse_file_info*, void>)&FuseMount.OnOpen)(req, ino, fi);

    private static void OnReadEntry(fuse_req* req, ulong ino, nuint size, long offset, fuse_file_info* fi) =>
        ((delegate* unmanaged[Cdecl]<fuse_req*, ulong, nuint, long, fuse_file_info*, void>)&FuseMount.OnRead)(req, ino, size, offset, fi);

    private static void OnWriteEntry(fuse_req* req, ulong ino, byte* buffer, nuint size, long offset, fuse_file_info* fi) =>
        ((delegate* unmanaged[Cdecl]<fuse_req*, ulong, byte*, nuint, long, fuse_file_info*, void>)&FuseMount.OnWrite)(req, ino, buffer, size, offset, fi);

    private static void OnReleaseEntry(fuse_req* req, ulong ino, fuse_file_info* fi) =>
        ((delegate* unmanaged[Cdecl]<fuse_req*, ulong, fuse_file_info*, void>)&FuseMount.OnRelease)(req, ino, fi);

    private const int StubSize = 16;

    /// <summary>Two x86-64 functions in one executable page: `mov rax, imm64; ret` for each value.</summary>
    private static byte* ConstantReturningStubs(nint first, nint second)
    {
        const int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
        byte* page = (byte*)mmap(null, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == (byte*)-1)
        {
            throw new InvalidOperationException("mmap failed");
        }

        nint[] values = [first, second];
        for (int i = 0; i < values.Length; i++)
        {
            byte* stub = page + i * StubSize;
            stub[0] = 0x48; // REX.W
            stub[1] = 0xB8; // mov rax, imm64
            *(nint*)(stub + 2) = values[i];
            stub[10] = 0xC3; // ret
        }

        if (mprotect(page, 4096, PROT_READ | PROT_EXEC) != 0)
        {
            throw new InvalidOperationException("mprotect failed");
        }

        return page;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern void* mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(void* addr, nuint length, int prot);

    [DllImport("libc")]
    private static extern int munmap(void* addr, nuint length);

    [DllImport("libc")]
    private static extern int open(byte* path, int flags);

    [DllImport("libc")]
    private static extern int pipe(int* fds);

    [DllImport("libc")]
    private static extern nint read(int fd, byte* buffer, nuint count);

    [DllImport("libc")]
    private static extern int close(int fd);

    [DllImport("libc")]
    private static extern nint writev(int fd, Interop.LibC.iovec* iov, int count);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ReplyErr(fuse_req* req, int errno)
    {
        if (errno != 0)
        {
            throw new InvalidOperationException($"callback answered errno {errno}");
        }

        s_replies++;
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ReplyOpen(fuse_req* req, fuse_file_info* fi)
    {
        s_replies++;
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ReplyBuf(fuse_req* req, byte* data, nuint size)
    {
        s_replies++;
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ReplyWrite(fuse_req* req, nuint count)
    {
        s_replies++;
        return 0;
    }

    /// <summary>The benchmark script's handlers with no interpreter: `$value = "abc\n"` and `n++`.</summary>
    private sealed class ConstantHandler : IProbeFileHandler
    {
        private long _writes;

        public int Read(int fileIndex, in CallerContext caller, SnapshotBuffer content)
        {
            content.Set("abc\n"u8);
            return 0;
        }

        public int Write(int fileIndex, in CallerContext caller, ReadOnlySpan<byte> data)
        {
            _writes++;
            return data.Length;
        }
    }
}
