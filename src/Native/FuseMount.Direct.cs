using System.Runtime.InteropServices;
using System.Text;
using static Interop.LibC;
using static Interop.LibFuse;

namespace ProcProbe.Native;

// Direct replies (FuseMountOptions.DirectReplies): the loop decodes OPEN, READ, WRITE and RELEASE
// itself and answers them with one writev(2) of fuse_out_header + payload, running the same
// Open/Read/Write/Release as the libfuse callbacks. libfuse would allocate a request (calloc and
// mutex), call back into managed code, take fuse_req_ctx and fuse_reply_* as further native calls,
// and free the request under the session lock; the kernel sees the same reply bytes either way.
// Everything else (INIT, LOOKUP, GETATTR, INTERRUPT, ...) still goes through libfuse. A reply to
// a request libfuse never saw is fine for INTERRUPT: libfuse keeps an interrupt it cannot match
// and later answers it EAGAIN, which the kernel drops once the request has been answered.
public sealed unsafe partial class FuseMount
{
    // Set by OnInit when the negotiated protocol has the request layouts below (7.9+: the 40-byte
    // fuse_read_in and fuse_write_in). No other request can arrive before INIT is answered.
    private volatile bool _directReady;

    // libfuse's allow_root: only the mount's owner and root may send most requests, OPEN among
    // them; libfuse answers the others EACCES, so such OPENs are left to it.
    private bool _denyOthers;
    private uint _owner;

    private long _directReplies;

    /// <summary>Requests answered by the loop itself rather than through libfuse (for tests).</summary>
    internal long DirectReplies => Interlocked.Read(ref _directReplies);

    /// <summary>
    /// Answers the request in <paramref name="request"/> (<paramref name="received"/> bytes read from
    /// <paramref name="fd"/>) if it is one served directly; false leaves it to libfuse, untouched.
    /// </summary>
    internal bool TryReplyDirectly(int fd, byte* request, nint received)
    {
        var header = (fuse_in_header*)request;
        if (received < sizeof(fuse_in_header) || header->len != (ulong)received || header->total_extlen != 0)
        {
            return false;
        }

        byte* arg = request + sizeof(fuse_in_header);
        nint argSize = received - sizeof(fuse_in_header);
        var reply = new KernelReply(fd, header);
        try
        {
            switch (header->opcode)
            {
                case FUSE_OPEN:
                    if (argSize < sizeof(fuse_open_in) || (_denyOthers && header->uid != _owner && header->uid != 0))
                    {
                        return false;
                    }

                    CountDirectReply();
                    Open(reply, header->nodeid);
                    break;
                case FUSE_READ:
                {
                    if (argSize < sizeof(fuse_read_in))
                    {
                        return false;
                    }

                    var read = (fuse_read_in*)arg;
                    CountDirectReply();
                    Read(reply, read->fh, read->size, (long)read->offset);
                    break;
                }

                case FUSE_WRITE:
                {
                    var write = (fuse_write_in*)arg;
                    if (argSize < sizeof(fuse_write_in) || (ulong)(argSize - sizeof(fuse_write_in)) < write->size)
                    {
                        return false;
                    }

                    CountDirectReply();
                    Write(reply, write->fh, arg + sizeof(fuse_write_in), write->size);
                    break;
                }

                case FUSE_RELEASE:
                    if (argSize < sizeof(fuse_release_in))
                    {
                        return false;
                    }

                    CountDirectReply();
                    Release(reply, ((fuse_release_in*)arg)->fh);
                    break;
                default:
                    return false;
            }
        }
        catch (Exception e)
        {
            // As the callbacks' forwarders do.
            Fail(reply, this, e);
        }

        return true;
    }

    // Counted before the request is handled, so that whoever sees its effect (a released handle)
    // also sees it counted.
    private void CountDirectReply()
    {
        if (_singleLoop)
        {
            _directReplies++;
        }
        else
        {
            Interlocked.Increment(ref _directReplies);
        }
    }

    /// <summary>Replies to the kernel on /dev/fuse exactly as libfuse 3.14's fuse_reply_* would.</summary>
    private readonly struct KernelReply : IReply
    {
        private readonly int _fd;
        private readonly fuse_in_header* _in;

        public KernelReply(int fd, fuse_in_header* header)
        {
            _fd = fd;
            _in = header;
        }

        // What libfuse copies into the request's fuse_ctx.
        public CallerContext Caller => new((int)_in->pid, _in->uid, _in->gid);

        public int Error(int errno) => Send(-errno, null, 0);

        public int Open(ulong fh)
        {
            var open = new fuse_open_out { fh = fh, open_flags = FOPEN_DIRECT_IO };
            return Send(0, &open, (nuint)sizeof(fuse_open_out));
        }

        public int Data(byte* data, nuint size) => Send(0, data, size);

        public int Written(nuint count)
        {
            var written = new fuse_write_out { size = (uint)count };
            return Send(0, &written, (nuint)sizeof(fuse_write_out));
        }

        private int Send(int error, void* arg, nuint argSize)
        {
            if (error <= -1000 || error > 0)
            {
                // libfuse's send_reply: it logs and sends ERANGE instead.
                ReportToStderr($"fuse: bad error value: {error}\n");
                error = -ERANGE;
            }

            var header = new fuse_out_header { error = error, unique = _in->unique };
            iovec* iov = stackalloc iovec[2];
            iov[0] = new iovec { iov_base = &header, iov_len = (nuint)sizeof(fuse_out_header) };
            int count = 1;
            if (argSize != 0 && error == 0)
            {
                iov[1] = new iovec { iov_base = arg, iov_len = argSize };
                count = 2;
            }

            header.len = (uint)(iov[0].iov_len + (count == 2 ? argSize : 0));

            // One writev per reply: atomic on /dev/fuse, so loop threads never interleave replies.
            if (Writev(_fd, iov, count) == -1)
            {
                int errno = Marshal.GetLastPInvokeError();

                // ENOENT: the request was interrupted and its caller no longer waits; libfuse is quiet about it too.
                if (errno != ENOENT)
                {
                    ReportToStderr("fuse: writing device: " + Marshal.GetPInvokeErrorMessage(errno) + "\n");
                }

                return -errno;
            }

            return 0;
        }

        // libfuse's messages go to the process's stderr (fd 2) through stdio; so do these, which only
        // a bug (an errno out of range) or a reply the kernel refuses can cause.
        private static void ReportToStderr(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            fixed (byte* p = bytes)
            {
                Interop.LibC.Write(2, p, (nuint)bytes.Length);
            }
        }
    }
}
