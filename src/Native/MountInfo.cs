using System.Text;

namespace ProcProbe.Native;

/// <summary>One line of /proc/self/mountinfo, with the fields procprobe needs.</summary>
internal readonly record struct MountEntry(string MountPoint, string FsType, string Source);

internal static class MountInfo
{
    /// <summary>The top-most mount at <paramref name="mountPoint"/> (an absolute, canonical path), or null.</summary>
    internal static MountEntry? Find(string mountPoint)
    {
        MountEntry? found = null;
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            if (TryParse(line, out MountEntry entry) && entry.MountPoint == mountPoint)
            {
                found = entry; // later lines are mounted on top of earlier ones
            }
        }

        return found;
    }

    internal static bool IsMountPoint(string mountPoint) => Find(mountPoint) is not null;

    /// <summary>
    /// Parses "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS"
    /// (proc(5)); the variable-length optional fields end at the lone "-".
    /// </summary>
    internal static bool TryParse(string line, out MountEntry entry)
    {
        entry = default;
        string[] fields = line.Split(' ');
        int separator = fields.Length < 10 ? -1 : Array.IndexOf(fields, "-", 6);
        if (separator < 0 || separator + 2 >= fields.Length)
        {
            return false;
        }

        entry = new MountEntry(Unescape(fields[4]), Unescape(fields[separator + 1]), Unescape(fields[separator + 2]));
        return true;
    }

    /// <summary>Undoes the kernel's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash).</summary>
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\'))
        {
            return field;
        }

        var bytes = new List<byte>(field.Length);
        byte[] raw = Encoding.UTF8.GetBytes(field);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 3 < raw.Length && IsOctal(raw[i + 1]) && IsOctal(raw[i + 2]) && IsOctal(raw[i + 3]))
            {
                bytes.Add((byte)(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0')));
                i += 3;
            }
            else
            {
                bytes.Add(raw[i]);
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());

        static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';
    }
}
