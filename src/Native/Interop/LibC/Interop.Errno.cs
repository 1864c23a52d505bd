internal static partial class Interop
{
    internal static partial class LibC
    {
        // Linux x86_64 errno values, spelled as in <errno.h>; checked against the C headers by the layout test.
        internal const int EPERM = 1;
        internal const int ENOENT = 2;
        internal const int ESRCH = 3;
        internal const int EINTR = 4;
        internal const int EIO = 5;
        internal const int EBADF = 9;
        internal const int EAGAIN = 11;
        internal const int EACCES = 13;
        internal const int EEXIST = 17;
        internal const int ENODEV = 19;
        internal const int ENOTDIR = 20;
        internal const int EISDIR = 21;
        internal const int EINVAL = 22;
        internal const int ERANGE = 34;
        internal const int ENAMETOOLONG = 36;
        internal const int ENOSYS = 38;
        internal const int ELOOP = 40;
        internal const int ECONNABORTED = 103;
        internal const int ENOTCONN = 107;
    }
}
