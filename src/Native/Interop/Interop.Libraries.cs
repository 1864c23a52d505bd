internal static partial class Interop
{
    /// <summary>Every native library procprobe loads, named in one place.</summary>
    internal static class Libraries
    {
        /// <summary>libfuse 3.0 to 3.16.</summary>
        internal const string LibFuse3 = "libfuse3.so.3";

        /// <summary>libfuse 3.17 and newer (the soname was bumped, the symbol versions were kept).</summary>
        internal const string LibFuse3Abi4 = "libfuse3.so.4";

        internal const string LibC = "libc.so.6";
    }
}
