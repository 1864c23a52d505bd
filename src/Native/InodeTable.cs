using System.Text;
using static Interop.LibC;

namespace ProcProbe.Native;

/// <summary>
/// The whole file tree, built once at mount: inode 1 (<c>FUSE_ROOT_ID</c>) is the root directory,
/// then intermediate directories and one inode per file. Nodes are found by index (ino - 1), names
/// are compared as bytes. Paths are handled as byte strings (one char per byte, see
/// <see cref="ProbeFileSpec.ByteString"/>): a component's length is its byte count.
/// </summary>
internal sealed class InodeTable
{
    internal const int MaxNameBytes = 255;
    private const uint DirectoryMode = 0x16D; // 0555

    private readonly Inode[] _nodes;

    private InodeTable(Inode[] nodes) => _nodes = nodes;

    internal int Count => _nodes.Length;

    /// <summary>The node for <paramref name="ino"/>, or null.</summary>
    internal Inode? Get(ulong ino) => ino - 1 < (ulong)_nodes.Length ? _nodes[(int)(ino - 1)] : null;

    internal Inode? Lookup(Inode directory, ReadOnlySpan<byte> name)
    {
        foreach (int child in directory.Children)
        {
            Inode node = _nodes[child];
            if (name.SequenceEqual(node.Name))
            {
                return node;
            }
        }

        return null;
    }

    internal Inode ByIndex(int index) => _nodes[index];

    /// <summary>Checks that every path can be served; <paramref name="error"/> is one line.</summary>
    internal static bool Validate(IReadOnlyList<ProbeFileSpec> files, out string error)
    {
        var directories = new HashSet<string>(StringComparer.Ordinal);
        var regular = new HashSet<string>(StringComparer.Ordinal);
        foreach (ProbeFileSpec file in files)
        {
            string path = file.ByteString;
            if (path.Length == 0 || path[0] == '/' || path[^1] == '/')
            {
                error = $"procfs path \"{Display(path)}\" must be relative and must not end in '/'";
                return false;
            }

            string[] parts = path.Split('/');
            for (int i = 0; i < parts.Length; i++)
            {
                string part = parts[i];
                if (part.Length == 0 || part == "." || part == "..")
                {
                    error = $"procfs path \"{Display(path)}\" has an empty, '.' or '..' component";
                    return false;
                }

                if (part.Contains('\0'))
                {
                    error = $"procfs path \"{Display(path)}\" contains a NUL character";
                    return false;
                }

                if (part.Length > MaxNameBytes)
                {
                    error = $"procfs path \"{Display(path)}\" has a component of more than {MaxNameBytes} bytes";
                    return false;
                }

                string prefix = string.Join('/', parts, 0, i + 1);
                if (i < parts.Length - 1)
                {
                    directories.Add(prefix);
                }
            }

            if (!regular.Add(path))
            {
                error = $"procfs path \"{Display(path)}\" is listed twice";
                return false;
            }
        }

        foreach (string directory in directories)
        {
            if (regular.Contains(directory))
            {
                error = $"procfs path \"{Display(directory)}\" is both a file and a directory";
                return false;
            }
        }

        error = string.Empty;
        return true;
    }

    /// <summary>A byte-string path as text for a message (bytes that are not UTF-8 show as U+FFFD).</summary>
    private static string Display(string byteString) => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(byteString));

    internal static InodeTable Build(IReadOnlyList<ProbeFileSpec> files, uint uid, uint gid, DateTimeOffset time)
    {
        if (!Validate(files, out string error))
        {
            throw new ArgumentException(error, nameof(files));
        }

        var nodes = new List<Inode>();
        var children = new List<List<int>>();
        var directoryIndex = new Dictionary<string, int>(StringComparer.Ordinal);

        int AddNode(int parent, string name, bool isDirectory, int fileIndex, uint mode)
        {
            var node = new Inode((ulong)nodes.Count + 1, parent < 0 ? FUSE_ROOT_ID_INO : (ulong)parent + 1, name, isDirectory, fileIndex);
            node.Attr.st_ino = node.Ino;
            node.Attr.st_mode = (isDirectory ? S_IFDIR : S_IFREG) | (mode & 0x1FF);
            node.Attr.st_nlink = isDirectory ? 2UL : 1UL;
            node.Attr.st_uid = uid;
            node.Attr.st_gid = gid;
            node.Attr.st_size = 0;
            node.Attr.st_blksize = 4096;
            var ts = new timespec { tv_sec = time.ToUnixTimeSeconds(), tv_nsec = time.Ticks % TimeSpan.TicksPerSecond * 100 };
            node.Attr.st_atim = ts;
            node.Attr.st_mtim = ts;
            node.Attr.st_ctim = ts;
            nodes.Add(node);
            children.Add([]);
            if (parent >= 0)
            {
                children[parent].Add(nodes.Count - 1);
                if (isDirectory)
                {
                    nodes[parent].Attr.st_nlink++;
                }
            }

            return nodes.Count - 1;
        }

        AddNode(-1, string.Empty, isDirectory: true, fileIndex: -1, DirectoryMode);
        for (int fileIndex = 0; fileIndex < files.Count; fileIndex++)
        {
            string[] parts = files[fileIndex].ByteString.Split('/');
            int parent = 0;
            for (int i = 0; i < parts.Length - 1; i++)
            {
                string prefix = string.Join('/', parts, 0, i + 1);
                if (!directoryIndex.TryGetValue(prefix, out int dir))
                {
                    dir = AddNode(parent, parts[i], isDirectory: true, fileIndex: -1, DirectoryMode);
                    directoryIndex.Add(prefix, dir);
                }

                parent = dir;
            }

            AddNode(parent, parts[^1], isDirectory: false, fileIndex, files[fileIndex].Mode);
        }

        for (int i = 0; i < nodes.Count; i++)
        {
            nodes[i].Children = children[i].ToArray();
        }

        return new InodeTable(nodes.ToArray());
    }

    private const ulong FUSE_ROOT_ID_INO = Interop.LibFuse.FUSE_ROOT_ID;
}

/// <summary>One file or directory of the tree.</summary>
internal sealed class Inode
{
    /// <summary>What lookup, getattr and readdir hand to libfuse; mutable only while the table is built.</summary>
    public stat Attr;

    /// <param name="name">The name's bytes, one char per byte.</param>
    public Inode(ulong ino, ulong parent, string name, bool isDirectory, int fileIndex)
    {
        Ino = ino;
        Parent = parent;
        Name = Encoding.Latin1.GetBytes(name);
        NameZ = new byte[Name.Length + 1];
        Name.CopyTo(NameZ, 0);
        IsDirectory = isDirectory;
        FileIndex = fileIndex;
    }

    public ulong Ino { get; }

    /// <summary>The parent's inode; the root is its own parent.</summary>
    public ulong Parent { get; }

    public byte[] Name { get; }

    /// <summary><see cref="Name"/> with a terminating NUL, for fuse_add_direntry.</summary>
    public byte[] NameZ { get; }

    public bool IsDirectory { get; }

    /// <summary>Index into the mount's file list, or -1 for a directory.</summary>
    public int FileIndex { get; }

    /// <summary>Indexes of the children in the table (directories only).</summary>
    public int[] Children { get; set; } = [];
}
