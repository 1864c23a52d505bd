#!/usr/bin/env bash
# Publish artifacts/procprobe: one trimmed Native AOT executable.
#   build/aot.sh                publish and check the binary
#   build/aot.sh --static-fuse  also make artifacts/procprobe-static: the same compiled code linked
#                               a second time with libfuse3.a (package libfuse3-dev), so it needs
#                               only glibc and /dev/fuse (plus fusermount3 for non-root users);
#                               costs one extra link (seconds), not a second compilation
#   build/aot.sh --package      also make artifacts/procprobe-<version>-linux-x64.tar.gz
#                               (the binary, procprobe-static if built, the man page and the README)
# Needs the .NET 10 SDK plus clang and zlib headers (Native AOT's linker prerequisites).
# Fails on any trim, AOT or IL warning, and when a binary links anything but glibc
# (procprobe loads libfuse at run time, so the -dev package is never needed to run it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
package=0
static_fuse=false
for arg in "$@"; do
  case $arg in
    --package) package=1 ;;
    --static-fuse) static_fuse=true ;;
    *) echo "aot.sh: unknown option '$arg' (known: --package, --static-fuse)" >&2; exit 2 ;;
  esac
done
libfuse_archive=/usr/lib/x86_64-linux-gnu/libfuse3.a
if [[ $static_fuse == true && ! -f $libfuse_archive ]]; then
  echo "aot.sh: --static-fuse needs $libfuse_archive: apt-get install libfuse3-dev" >&2
  exit 1
fi
out=artifacts
log=$(mktemp)
trap 'rm -f "$log"' EXIT
mkdir -p "$out"
# A procprobe-static left by an earlier --static-fuse run would not match the new procprobe.
rm -f "$out/procprobe-static"
if ! dotnet publish src/Cli/ProcProbe.Cli.csproj -c Release -r linux-x64 -o "$out/publish" \
      -p:TreatWarningsAsErrors=true -p:StaticFuse=$static_fuse -p:LibFuseArchive=$libfuse_archive \
      -nologo >"$log" 2>&1; then
  cat "$log" >&2
  echo "aot.sh: publish failed" >&2
  exit 1
fi
if grep -E 'warning (IL|AOT)[0-9]+' "$log" >&2; then
  echo "aot.sh: trim/AOT warnings are errors" >&2
  exit 1
fi
binaries=(procprobe)
[[ $static_fuse == true ]] && binaries+=(procprobe-static)
for binary in "${binaries[@]}"; do
  # Copy then rename: a running procprobe keeps its own inode, so rebuilding never fails with "text file busy".
  cp "$out/publish/$binary" "$out/$binary.new"
  mv -f "$out/$binary.new" "$out/$binary"
  if ldd "$out/$binary" | grep -vE '^\s*(linux-vdso\.so\.1|lib(c|m|dl|pthread|rt)\.so\.[0-9]+|/lib64/ld-linux-x86-64\.so\.2)\b' >&2; then
    echo "aot.sh: artifacts/$binary links more than glibc (above)" >&2
    exit 1
  fi
  ls -l "$out/$binary"
done

if (( package )); then
  if [[ $static_fuse == true ]]; then
    build/package.sh "$out/procprobe" "$out" "$out/procprobe-static"
  else
    build/package.sh "$out/procprobe" "$out"
  fi
fi
