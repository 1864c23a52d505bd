using System.Runtime.InteropServices;

namespace ProcProbe.Native;

/// <summary>
/// Loading of libfuse3 (linked into procprobe-static, else <c>libfuse3.so.3</c>, then <c>libfuse3.so.4</c>) and the environment checks
/// the command line reports as one line each.
/// </summary>
public static unsafe class LibFuse
{
    private static readonly Lock s_lock = new();
    private static int s_state; // 0 = not tried, 1 = loaded, -1 = failed
    private static string s_error = string.Empty;
    private static volatile bool s_deviceChecked;
    private static int s_version;
    private static string s_packageVersion = string.Empty;

    /// <summary>The value of <c>fuse_version()</c> (e.g. 314), once loaded.</summary>
    public static int Version => s_version;

    /// <summary>The value of <c>fuse_pkgversion()</c> (e.g. "3.14.0"), once loaded.</summary>
    public static string PackageVersion => s_packageVersion;

    internal static Interop.LibFuse.FileInfoBits FileInfoBits { get; private set; }

    /// <summary>
    /// Loads libfuse3 and resolves every function by symbol version. Thread-safe; the outcome is
    /// cached. On failure <paramref name="error"/> is one line saying what to install.
    /// </summary>
    public static bool TryLoad(out string error)
    {
        lock (s_lock)
        {
            if (s_state == 0)
            {
                s_state = LoadCore(out s_error) ? 1 : -1;
            }

            error = s_error;
            return s_state == 1;
        }
    }

    /// <summary>
    /// Checks that the FUSE device exists (and, for non-root users, that fusermount3 is there). A
    /// passed check is remembered: the CLI checks before its begin probes and FuseMount.Mount checks
    /// again, and the second would only repeat the stat and the PATH search on the start-up path.
    /// </summary>
    public static bool CheckDevice(out string error)
    {
        if (s_deviceChecked)
        {
            error = string.Empty;
            return true;
        }

        if (!File.Exists("/dev/fuse"))
        {
            error = "/dev/fuse not found: load the fuse kernel module ('modprobe fuse'), or give the container the device ('--device /dev/fuse')";
            return false;
        }

        if (Interop.LibC.GetEUid() != 0)
        {
            if (FindFusermount() is null)
            {
                error = "fusermount3 not found: install it with 'apt-get install fuse3'";
                return false;
            }

            // libfuse opens /dev/fuse itself before it falls back to fusermount3, and gives up if
            // that open is refused (udev normally makes the device 0666).
            int access;
            fixed (byte* device = "/dev/fuse\0"u8)
            {
                access = Interop.LibC.Access(device, Interop.LibC.R_OK | Interop.LibC.W_OK);
            }

            if (access != 0)
            {
                error = "/dev/fuse is not readable and writable for this user: make it mode 0666 ('chmod 0666 /dev/fuse') or run as root";
                return false;
            }
        }

        error = string.Empty;
        s_deviceChecked = true;
        return true;
    }

    internal static string? FindFusermount()
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (string dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "fusermount3");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return File.Exists("/bin/fusermount3") ? "/bin/fusermount3" : null;
    }

    private static bool LoadCore(out string error)
    {
        // procprobe-static (build/aot.sh --static-fuse) has libfuse linked in: the program itself
        // is looked at first, by the same symbol versions; any other build finds nothing there
        // (an LD_PRELOADed libfuse3.so would be found and serve as well).
        nint library = NativeLibrary.GetMainProgramHandle();
        string? missing;
        try
        {
            if (!Interop.LibFuse.Defines(library) &&
                !NativeLibrary.TryLoad(Interop.Libraries.LibFuse3, out library) &&
                !NativeLibrary.TryLoad(Interop.Libraries.LibFuse3Abi4, out library))
            {
                error = "libfuse3 not found: install it with 'apt-get install fuse3' (the library is libfuse3.so.3 or libfuse3.so.4)";
                return false;
            }

            missing = Interop.LibFuse.Load(library);
        }
        catch (EntryPointNotFoundException)
        {
            error = "dlvsym not found in libc.so.6: procprobe needs glibc 2.34 or newer";
            return false;
        }

        if (missing is not null)
        {
            error = $"libfuse3 lacks {missing}: install libfuse 3.x with 'apt-get install fuse3'";
            return false;
        }

        int version = Interop.LibFuse.fuse_version();
        if (version < 300 || version >= 400)
        {
            error = $"libfuse3 reports version {version}, expected 3.x: install it with 'apt-get install fuse3'";
            return false;
        }

        s_version = version;
        byte* package = Interop.LibFuse.fuse_pkgversion();
        s_packageVersion = package == null ? string.Empty : Marshal.PtrToStringUTF8((nint)package) ?? string.Empty;
        FileInfoBits = Interop.LibFuse.FileInfoBits.ForVersion(version);
        error = string.Empty;
        return true;
    }
}
