// FUSE, /proc and the C toolchain: these tests are Linux-only by nature.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
