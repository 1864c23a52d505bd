using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace ProcProbe.Native.Tests;

/// <summary>
/// Checks every mirrored native struct and constant against the C headers: a C program with
/// _Static_assert lines generated from the C# declarations must compile, and its runtime checks
/// of the fuse_file_info bit-fields must pass.
/// </summary>
public class StructLayoutTests
{
    // C# type, C type, C# fields with no C counterpart by that name (bit-field words, alignment, padding).
    private static readonly (Type Type, string CName, string[] NotInC)[] s_structs =
    [
        (typeof(Interop.LibFuse.fuse_args), "struct fuse_args", []),
        (typeof(Interop.LibFuse.fuse_ctx), "struct fuse_ctx", []),
        (typeof(Interop.LibFuse.fuse_entry_param), "struct fuse_entry_param", []),
        (typeof(Interop.LibFuse.fuse_file_info), "struct fuse_file_info", ["bits", "padding2", "_alignment"]),
        (typeof(Interop.LibFuse.fuse_conn_info), "struct fuse_conn_info", []),
        (typeof(Interop.LibFuse.fuse_lowlevel_ops), "struct fuse_lowlevel_ops", []),
        (typeof(Interop.LibFuse.fuse_in_header), "struct fuse_in_header", []),
        (typeof(Interop.LibFuse.fuse_out_header), "struct fuse_out_header", []),
        (typeof(Interop.LibFuse.fuse_open_in), "struct fuse_open_in", []),
        (typeof(Interop.LibFuse.fuse_open_out), "struct fuse_open_out", []),
        (typeof(Interop.LibFuse.fuse_read_in), "struct fuse_read_in", []),
        (typeof(Interop.LibFuse.fuse_write_in), "struct fuse_write_in", []),
        (typeof(Interop.LibFuse.fuse_write_out), "struct fuse_write_out", []),
        (typeof(Interop.LibFuse.fuse_release_in), "struct fuse_release_in", []),
        (typeof(Interop.LibC.iovec), "struct iovec", []),
        (typeof(Interop.LibC.stat), "struct stat", []),
        (typeof(Interop.LibC.timespec), "struct timespec", []),
        (typeof(Interop.LibC.statvfs), "struct statvfs", []),
        // glibc and the kernel headers name the padding differently; sizeof still covers it.
        (typeof(Interop.LibC.statx), "struct statx", ["__statx_pad1", "__statx_pad2"]),
        (typeof(Interop.LibC.statx_timestamp), "struct statx_timestamp", ["__statx_timestamp_pad1"]),
        (typeof(Interop.LibC.pollfd), "struct pollfd", []),
    ];

    [Fact]
    public void Structs_and_constants_match_the_C_headers()
    {
        var c = new StringBuilder();
        c.AppendLine("#define _GNU_SOURCE");
        c.AppendLine("#define FUSE_USE_VERSION 31");
        c.AppendLine("#include <fuse3/fuse_lowlevel.h>");

        // The kernel's side of the protocol, for the requests FuseMount answers without libfuse.
        c.AppendLine("#include <linux/fuse.h>");
        c.AppendLine("#include <sys/uio.h>");
        c.AppendLine("#include <stddef.h>");
        c.AppendLine("#include <stdio.h>");
        c.AppendLine("#include <string.h>");
        c.AppendLine("#include <errno.h>");
        c.AppendLine("#include <signal.h>");
        c.AppendLine("#include <fcntl.h>");
        c.AppendLine("#include <poll.h>");
        c.AppendLine("#include <sys/stat.h>");
        c.AppendLine("#include <sys/statvfs.h>");
        c.AppendLine("#include <sys/mount.h>");
        c.AppendLine("#include <sched.h>");
        int asserts = 0;

        foreach ((Type type, string cName, string[] notInC) in s_structs)
        {
            c.AppendLine($"_Static_assert(sizeof({cName}) == {Marshal.SizeOf(type)}, \"sizeof {cName}\");");
            asserts++;
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                if (notInC.Contains(field.Name))
                {
                    continue;
                }

                long offset = Marshal.OffsetOf(type, field.Name).ToInt64();
                c.AppendLine($"_Static_assert(offsetof({cName}, {field.Name}) == {offset}, \"{cName}.{field.Name}\");");
                asserts++;
            }
        }

        // Constants keep their C names, so every one of them can be checked by name.
        foreach (Type holder in new[] { typeof(Interop.LibC), typeof(Interop.LibFuse) })
        {
            foreach (FieldInfo constant in holder.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public))
            {
                if (!constant.IsLiteral || constant.Name.StartsWith('V'))
                {
                    continue;
                }

                object value = constant.GetRawConstantValue()!;
                string literal = value switch
                {
                    int i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    uint u => u + "u",
                    short s => s.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ulong l => l + "ul",
                    _ => throw new InvalidOperationException($"constant {constant.Name} has unexpected type {value.GetType()}"),
                };
                c.AppendLine($"_Static_assert({constant.Name} == {literal}, \"{constant.Name}\");");
                asserts++;
            }
        }

        // The two fuse_file_info bits procprobe sets, found the only way a bit-field can be: by
        // setting it and looking at the word.
        var bits = Interop.LibFuse.FileInfoBits.ForVersion(314);
        long bitsOffset = Marshal.OffsetOf<Interop.LibFuse.fuse_file_info>(nameof(Interop.LibFuse.fuse_file_info.bits)).ToInt64();
        c.AppendLine($$"""
            static unsigned word_with(int which)
            {
                struct fuse_file_info fi;
                memset(&fi, 0, sizeof fi);
                if (which == 0) fi.direct_io = 1; else fi.keep_cache = 1;
                unsigned w;
                memcpy(&w, (char *)&fi + {{bitsOffset}}, sizeof w);
                return w;
            }

            int main(void)
            {
                if (word_with(0) != {{bits.DirectIo}}u) { printf("direct_io mask is 0x%x\n", word_with(0)); return 1; }
                if (word_with(1) != {{bits.KeepCache}}u) { printf("keep_cache mask is 0x%x\n", word_with(1)); return 1; }
                if (fuse_version() / 100 != 3) { printf("fuse_version %d\n", fuse_version()); return 1; }
                puts("ok");
                return 0;
            }
            """);

        string exe = CTool.Compile("layout", c.ToString(), "-lfuse3");
        ProcessResult run = ProcessRunner.Run(exe, []);
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);
        Assert.Equal("ok\n", run.StdOut);
        Assert.True(asserts > 150, $"only {asserts} assertions were generated");
    }

    [Fact]
    public void Lowlevel_ops_has_the_44_slots_of_libfuse_3_14()
    {
        Assert.Equal(44 * 8, Marshal.SizeOf<Interop.LibFuse.fuse_lowlevel_ops>());
        Assert.Equal(40, Marshal.SizeOf<Interop.LibFuse.fuse_file_info>());
        Assert.Equal(144, Marshal.SizeOf<Interop.LibC.stat>());
    }

    [Fact]
    public void Kernel_request_and_reply_structs_have_the_protocol_7_9_sizes()
    {
        Assert.Equal(40, Marshal.SizeOf<Interop.LibFuse.fuse_in_header>());
        Assert.Equal(16, Marshal.SizeOf<Interop.LibFuse.fuse_out_header>());
        Assert.Equal(8, Marshal.SizeOf<Interop.LibFuse.fuse_open_in>());
        Assert.Equal(16, Marshal.SizeOf<Interop.LibFuse.fuse_open_out>());
        Assert.Equal(40, Marshal.SizeOf<Interop.LibFuse.fuse_read_in>());
        Assert.Equal(40, Marshal.SizeOf<Interop.LibFuse.fuse_write_in>());
        Assert.Equal(8, Marshal.SizeOf<Interop.LibFuse.fuse_write_out>());
        Assert.Equal(24, Marshal.SizeOf<Interop.LibFuse.fuse_release_in>());
    }
}
