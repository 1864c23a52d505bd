using System.Runtime.InteropServices;

namespace ProcProbe.Native;

/// <summary>
/// Script output on an inherited descriptor (normally fd 1), written with plain write(2).
/// FileStream would track its own offset and use pwrite, overwriting what a shared
/// <c>&gt; file 2&gt;&amp;1</c> already holds; the console stream swallows EPIPE. Here every
/// failure, a broken pipe included, surfaces as an IOException, so the session can end on it.
/// </summary>
public sealed unsafe class DescriptorOutputStream(int fd) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            byte* p = start;
            nuint left = (nuint)buffer.Length;
            while (left > 0)
            {
                nint n = Interop.LibC.Write(fd, p, left);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Interop.LibC.EINTR)
                    {
                        continue;
                    }
                    throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
                }
                p += n;
                left -= (nuint)n;
            }
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
