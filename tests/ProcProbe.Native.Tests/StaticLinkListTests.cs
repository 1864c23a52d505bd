using System.Runtime.InteropServices;
using System.Text;
using System.Xml.Linq;

namespace ProcProbe.Native.Tests;

/// <summary>
/// LibFuseFunctions.props, the list procprobe-static takes from libfuse3.a and exports at FUSE_3.0,
/// against the installed libfuse, and the lookup order of LibFuse.TryLoad (the program first).
/// </summary>
public sealed unsafe class StaticLinkListTests
{
    private static string[] StaticLinkList() =>
        XDocument.Load(Path.Combine(AppContext.BaseDirectory, "LibFuseFunctions.props"))
            .Descendants("LibFuseFunction")
            .SelectMany(e => e.Attribute("Include")!.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToArray();

    [Fact]
    public void Every_listed_function_is_in_libfuse_at_FUSE_3_0()
    {
        string[] functions = StaticLinkList();
        Assert.Equal(functions.Length, functions.Distinct().Count());
        Assert.Contains("fuse_version", functions); // what LibFuse.TryLoad probes the program for
        Assert.True(NativeLibrary.TryLoad("libfuse3.so.3", out nint library) || NativeLibrary.TryLoad("libfuse3.so.4", out library),
            "libfuse3 is not installed: apt-get install fuse3");
        Assert.All(functions, name => Assert.True(Lookup(library, name, "FUSE_3.0") != null, $"libfuse3 has no {name}@FUSE_3.0"));
        Assert.True(Interop.LibFuse.Defines(library));
    }

    [Fact]
    public void The_list_names_exactly_the_functions_procprobe_binds()
    {
        // Every libfuse function procprobe calls is a function-pointer field of Interop.LibFuse,
        // named as in C; procprobe-static exports exactly the listed ones.
        string[] bound = typeof(Interop.LibFuse)
            .GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)
            .Where(f => f.FieldType.IsFunctionPointer)
            .Select(f => f.Name)
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(bound, StaticLinkList().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_program_without_libfuse_linked_in_defines_none_of_it()
    {
        // The test host, like the dynamic procprobe, carries no libfuse: TryLoad goes on to libfuse3.so.
        Assert.False(Interop.LibFuse.Defines(NativeLibrary.GetMainProgramHandle()));
    }

    private static void* Lookup(nint library, string name, string version)
    {
        fixed (byte* n = Encoding.ASCII.GetBytes(name + "\0"))
        fixed (byte* v = Encoding.ASCII.GetBytes(version + "\0"))
        {
            return Interop.LibC.dlvsym(library, n, v);
        }
    }
}
