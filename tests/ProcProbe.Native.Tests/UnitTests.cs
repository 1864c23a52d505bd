using System.Text;

namespace ProcProbe.Native.Tests;

public sealed class SnapshotBufferTests
{
    [Fact]
    public void Set_append_and_direct_writes_build_the_content()
    {
        var buffer = new SnapshotBuffer(4);
        buffer.Set("abc"u8);
        buffer.Append("defgh"u8);
        Span<byte> span = buffer.GetSpan(3);
        "ijk"u8.CopyTo(span);
        buffer.Advance(3);
        Assert.Equal("abcdefghijk", Encoding.ASCII.GetString(buffer.Content));
        Assert.Equal(11, buffer.Length);
        buffer.Truncate(2);
        Assert.Equal("ab", Encoding.ASCII.GetString(buffer.Content));
        buffer.Set("z"u8);
        Assert.Equal("z", Encoding.ASCII.GetString(buffer.Content));
        buffer.Clear();
        Assert.Equal(0, buffer.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(buffer.Capacity + 1));
    }

    [Fact]
    public void Pooled_buffers_keep_small_arrays_and_drop_huge_ones()
    {
        var buffer = new SnapshotBuffer();
        buffer.Append(new byte[1000]);
        int capacity = buffer.Capacity;
        buffer.ResetForPool();
        Assert.Equal(capacity, buffer.Capacity);
        Assert.Equal(0, buffer.Length);

        buffer.Append(new byte[SnapshotBuffer.RetainedCapacity + 1]);
        buffer.ResetForPool();
        Assert.True(buffer.Capacity <= SnapshotBuffer.RetainedCapacity);
    }
}

public sealed class HandleTableTests
{
    [Fact]
    public void Handles_are_reused_and_closed_ones_are_not_found()
    {
        var table = new HandleTable(initialCapacity: 2);
        int a = table.Rent(3);
        int b = table.Rent(4);
        int c = table.Rent(5); // grows
        Assert.Equal([0, 1, 2], new[] { a, b, c });
        Assert.Equal(5, table.Get((ulong)c)!.FileIndex);
        table.Return((ulong)b);
        Assert.Null(table.Get((ulong)b));
        Assert.Null(table.Get(1000));
        Assert.Equal(b, table.Rent(7));
        Assert.Equal(3, table.InUse);
        table.Return(999); // unknown handle: ignored
        Assert.Equal(3, table.InUse);
    }
}

public sealed class PathValidationTests
{
    private static ProbeFileSpec File(string path) => new() { Path = path, Mode = 0x124, HasRead = true, HasWrite = false };

    [Theory]
    [InlineData("a/", "must be relative")]
    [InlineData("/a", "must be relative")]
    [InlineData("a//b", "empty, '.' or '..'")]
    [InlineData("a/../b", "empty, '.' or '..'")]
    public void Bad_paths_are_rejected_with_one_line(string path, string message)
    {
        Assert.False(FuseMount.ValidatePaths([File(path)], out string error));
        Assert.Contains(message, error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Name_length_clashes_and_duplicates_are_rejected()
    {
        Assert.True(FuseMount.ValidatePaths([File(new string('x', 255)), File("net/stats"), File("net/more/x")], out _));
        Assert.False(FuseMount.ValidatePaths([File(new string('x', 256))], out string tooLong));
        Assert.Contains("more than 255 bytes", tooLong);
        Assert.False(FuseMount.ValidatePaths([File("é" + new string('x', 254))], out _)); // 256 bytes in UTF-8
        Assert.False(FuseMount.ValidatePaths([File("net"), File("net/stats")], out string clash));
        Assert.Contains("both a file and a directory", clash);
        Assert.False(FuseMount.ValidatePaths([File("a"), File("a")], out string twice));
        Assert.Contains("listed twice", twice);
    }

    [Fact]
    public void Inode_table_links_directories_and_counts_links()
    {
        InodeTable table = InodeTable.Build([File("net/stats"), File("top"), File("net/deep/x")], uid: 7, gid: 8, DateTimeOffset.UnixEpoch);
        Inode root = table.Get(1)!;
        Assert.True(root.IsDirectory);
        Assert.Equal(3UL, root.Attr.st_nlink); // ".", "..", net
        Inode net = table.Lookup(root, "net"u8)!;
        Assert.Equal(0x416DU, net.Attr.st_mode); // S_IFDIR | 0555
        Assert.Equal(7U, net.Attr.st_uid);
        Assert.Equal(8U, net.Attr.st_gid);
        Inode stats = table.Lookup(net, "stats"u8)!;
        Assert.Equal(0, stats.FileIndex);
        Assert.Equal(0x8124U, stats.Attr.st_mode); // S_IFREG | 0444
        Assert.Equal(net.Ino, stats.Parent);
        Assert.Null(table.Lookup(root, "stats"u8));
        Assert.Null(table.Get(0));
        Assert.Null(table.Get((ulong)table.Count + 1));
    }

    private static ProbeFileSpec RawFile(byte[] path) => new() { Path = "shown", PathBytes = path, Mode = 0x124, HasRead = true, HasWrite = false };

    [Fact]
    public void Raw_path_bytes_are_served_as_they_are_not_re_encoded()
    {
        // a script's path need not be UTF-8: bin\xff\xfe must not become bin\xc3\xbf\xc3\xbe
        InodeTable table = InodeTable.Build([RawFile([.. "bin"u8, 0xff, 0xfe]), RawFile([(byte)'d', 0xe9, (byte)'/', (byte)'x'])], uid: 0, gid: 0, DateTimeOffset.UnixEpoch);
        Inode root = table.Get(1)!;
        Inode bin = table.Lookup(root, [.. "bin"u8, 0xff, 0xfe])!;
        Assert.Equal(0, bin.FileIndex);
        Assert.Equal(new byte[] { (byte)'b', (byte)'i', (byte)'n', 0xff, 0xfe, 0 }, bin.NameZ);
        Assert.Null(table.Lookup(root, "bin\u00ff\u00fe"u8));
        Inode dir = table.Lookup(root, [(byte)'d', 0xe9])!;
        Assert.True(dir.IsDirectory);
        Assert.Equal(1, table.Lookup(dir, "x"u8)!.FileIndex);
    }

    [Fact]
    public void Raw_path_bytes_are_validated_by_their_byte_count()
    {
        Assert.True(FuseMount.ValidatePaths([RawFile(Enumerable.Repeat((byte)0xff, 255).ToArray())], out _));
        Assert.False(FuseMount.ValidatePaths([RawFile(Enumerable.Repeat((byte)0xff, 256).ToArray())], out string tooLong));
        Assert.Contains("more than 255 bytes", tooLong);
        Assert.False(FuseMount.ValidatePaths([RawFile([0xff]), RawFile([0xff])], out string twice));
        Assert.Contains("listed twice", twice);
    }
}

public sealed class MountInfoTests
{
    [Fact]
    public void Parses_mountinfo_lines_with_optional_fields_and_escapes()
    {
        Assert.True(MountInfo.TryParse(
            @"61 27 0:52 / /run/procprobe/my\040mod rw,nosuid,nodev,relatime shared:30 master:1 - fuse.procprobe procprobe:4242 rw,user_id=0,group_id=0,default_permissions",
            out MountEntry entry));
        Assert.Equal("/run/procprobe/my mod", entry.MountPoint);
        Assert.Equal("fuse.procprobe", entry.FsType);
        Assert.Equal("procprobe:4242", entry.Source);
        Assert.False(MountInfo.TryParse("garbage", out _));
        Assert.Equal("a\\b", MountInfo.Unescape(@"a\134b"));
    }

    [Fact]
    public void Owner_pid_comes_from_the_fsname()
    {
        Assert.Equal(4242, ModuleDirectory.OwnerPid("procprobe:4242", "procprobe"));
        Assert.Null(ModuleDirectory.OwnerPid("procprobe", "procprobe"));
        Assert.Null(ModuleDirectory.OwnerPid("procprobe:x1", "procprobe"));
        Assert.Null(ModuleDirectory.OwnerPid("other:12", "procprobe"));
        Assert.Equal($"procprobe:{Environment.ProcessId}", new FuseMountOptions().FsName);
    }
}
