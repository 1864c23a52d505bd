using System.Runtime.InteropServices;
using static Interop.LibC;

namespace ProcProbe.Native;

/// <summary>
/// ROOT and ROOT/MODNAME: creating the root safely, taking over a module directory left by a dead
/// procprobe, refusing one served by a live procprobe, and removing the mount point afterwards.
/// </summary>
public static unsafe class ModuleDirectory
{
    /// <summary>The family name in every procprobe mount's source ("procprobe:PID").</summary>
    public const string FsNamePrefix = "procprobe";

    /// <summary>The fsname that records <paramref name="pid"/> as the owner of a mount.</summary>
    public static string FsNameFor(int pid) => FsNamePrefix + ":" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Creates ROOT (mode 0755, parents as needed) and checks it without following a symbolic link:
    /// ROOT must be a real directory owned by root or by the calling user. Returns the absolute path.
    /// </summary>
    public static string CreateRoot(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (full.Length == 0)
        {
            full = "/";
        }

        bool created = false;
        string[] parts = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string current = string.Empty;
        foreach (string part in parts)
        {
            current += "/" + part;
            fixed (byte* path = FuseMount.Utf8Z(current))
            {
                if (Mkdir(path, 0x1ED) == 0)
                {
                    created = current.Length == full.Length;
                    continue;
                }
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != EEXIST)
            {
                throw new FuseException($"cannot create {current}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }

        int fd;
        fixed (byte* path = FuseMount.Utf8Z(full))
        {
            fd = Open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        }

        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (LStat(full, out statx st) == 0 && (st.stx_mode & S_IFMT) == S_IFLNK)
            {
                throw new FuseException($"{full} is a symbolic link; refusing to use it as the procprobe root");
            }

            throw new FuseException(errno == ENOTDIR
                ? $"{full} is not a directory"
                : $"cannot open {full}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        try
        {
            statx st;
            int result;
            fixed (byte* empty = "\0"u8)
            {
                result = Statx(fd, empty, AT_EMPTY_PATH, STATX_BASIC_STATS, &st);
            }

            if (result != 0)
            {
                throw new FuseException($"cannot stat {full}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }

            uint euid = GetEUid();
            if (st.stx_uid != 0 && st.stx_uid != euid)
            {
                throw new FuseException($"{full} is owned by uid {st.stx_uid}, neither root nor you; refusing to use it as the procprobe root");
            }

            // mkdir's mode went through the umask; the contract says 0755.
            if (created && FChmod(fd, 0x1ED) != 0)
            {
                throw new FuseException($"cannot chmod {full}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            Close(fd);
        }

        return full;
    }

    /// <summary>
    /// Makes ROOT/MODNAME ready to be mounted on and returns its absolute path. If it is already a
    /// mount: one whose owner (the pid in its fsname, see <see cref="FsNameFor"/>) is alive fails
    /// with "module MODNAME is already served by procprobe (pid N)"; one whose connection is dead
    /// (ENOTCONN) or whose owner is gone is lazily unmounted and reused.
    /// </summary>
    /// <param name="fsName">The fsname this process will mount with; its part before ':' names the family of mounts to recognise.</param>
    public static string Prepare(string root, string modName, string fsName)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(modName);
        ArgumentNullException.ThrowIfNull(fsName);
        if (modName.Contains('/') || modName is "." or "..")
        {
            throw new ArgumentException($"invalid module name \"{modName}\"", nameof(modName));
        }

        string mountPoint = MountPointOf(root, modName);
        int colon = fsName.LastIndexOf(':');
        string family = colon > 0 ? fsName[..colon] : fsName;

        fixed (byte* path = FuseMount.Utf8Z(mountPoint))
        {
            // A directory this call creates cannot be a mount point: /proc/self/mountinfo is only
            // searched when the name already exists, as it usually does not.
            if (Mkdir(path, 0x1ED) == 0)
            {
                return mountPoint;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != EEXIST)
            {
                throw new FuseException($"cannot create {mountPoint}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }

        if (MountInfo.Find(mountPoint) is MountEntry existing)
        {
            int statError = StatError(mountPoint);
            int? owner = OwnerPid(existing.Source, family);
            bool dead = statError == ENOTCONN || (owner is int pid && !ProcessExists(pid));
            if (!dead)
            {
                throw new FuseException(owner is int live
                    ? $"module {modName} is already served by procprobe (pid {live})"
                    : $"{mountPoint} is already a mount point ({existing.FsType} from {existing.Source}); refusing to mount over it");
            }

            if (!LazyUnmount(mountPoint, out string? error))
            {
                throw new FuseException(error ?? $"cannot unmount the dead mount at {mountPoint}");
            }

            if (MountInfo.IsMountPoint(mountPoint))
            {
                throw new FuseException($"cannot unmount the dead mount at {mountPoint}");
            }
        }

        if (LStat(mountPoint, out statx st) != 0 || (st.stx_mode & S_IFMT) != S_IFDIR)
        {
            throw new FuseException($"{mountPoint} exists and is not a directory");
        }

        return mountPoint;
    }

    /// <summary>Removes the (unmounted) directory ROOT/MODNAME and nothing else. A missing directory is fine.</summary>
    public static void Remove(string root, string modName)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(modName);
        string mountPoint;
        try
        {
            mountPoint = MountPointOf(root, modName);
        }
        catch (FuseException)
        {
            return; // ROOT itself is gone, so is its child
        }

        fixed (byte* path = FuseMount.Utf8Z(mountPoint))
        {
            if (Rmdir(path) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != ENOENT)
                {
                    throw new FuseException($"cannot remove {mountPoint}: {Marshal.GetPInvokeErrorMessage(errno)}");
                }
            }
        }
    }

    /// <summary>ROOT resolved to its canonical path (as /proc/self/mountinfo shows it) + "/" + MODNAME.</summary>
    internal static string MountPointOf(string root, string modName)
    {
        byte* resolved;
        fixed (byte* path = FuseMount.Utf8Z(Path.GetFullPath(root)))
        {
            resolved = Realpath(path, null);
        }

        if (resolved == null)
        {
            throw new FuseException($"cannot resolve {root}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            string canonical = Marshal.PtrToStringUTF8((nint)resolved)!;
            return canonical == "/" ? "/" + modName : canonical + "/" + modName;
        }
        finally
        {
            Free(resolved);
        }
    }

    /// <summary>The pid recorded in a mount source "FAMILY:PID", or null.</summary>
    internal static int? OwnerPid(string source, string family)
    {
        if (source.Length > family.Length + 1 && source.StartsWith(family, StringComparison.Ordinal) && source[family.Length] == ':' &&
            int.TryParse(source.AsSpan(family.Length + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) && pid > 0)
        {
            return pid;
        }

        return null;
    }

    internal static bool ProcessExists(int pid) => Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == EPERM;

    /// <summary>0 if stat succeeds, else its errno (ENOTCONN for a FUSE mount whose server died).</summary>
    internal static int StatError(string path)
    {
        statx st;
        fixed (byte* p = FuseMount.Utf8Z(path))
        {
            return Statx(AT_FDCWD, p, 0, STATX_BASIC_STATS, &st) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    internal static bool LazyUnmount(string mountPoint, out string? error)
    {
        error = null;
        if (GetEUid() == 0)
        {
            fixed (byte* p = FuseMount.Utf8Z(mountPoint))
            {
                if (Umount2(p, MNT_DETACH) == 0)
                {
                    return true;
                }
            }

            error = $"cannot unmount {mountPoint}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
            return false;
        }

        return FuseMount.RunFusermountUnmount(mountPoint, out error);
    }

    private static int LStat(string path, out statx st)
    {
        fixed (byte* p = FuseMount.Utf8Z(path))
        fixed (statx* s = &st)
        {
            return Statx(AT_FDCWD, p, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, s);
        }
    }
}
