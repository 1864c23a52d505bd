#!/usr/bin/env bash
# Publish artifacts/procprobe: one trimmed Native AOT executable.
#   build/aot.sh             publish and check the binary
#   build/aot.sh --package   also make artifacts/procprobe-<version>-linux-x64.tar.gz
#                            (the binary, the man page and the README)
# Needs the .NET 10 SDK plus clang and zlib headers (Native AOT's linker prerequisites).
# Fails on any trim, AOT or IL warning, and when the binary links anything but glibc
# (libfuse is loaded at run time, so the -dev package is never needed to run it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
package=0
for arg in "$@"; do
  case $arg in
    --package) package=1 ;;
    *) echo "aot.sh: unknown option '$arg' (known: --package)" >&2; exit 2 ;;
  esac
done
out=artifacts
log=$(mktemp)
trap 'rm -f "$log"' EXIT
mkdir -p "$out"
if ! dotnet publish src/Cli/ProcProbe.Cli.csproj -c Release -r linux-x64 -o "$out/publish" \
      -p:TreatWarningsAsErrors=true -nologo >"$log" 2>&1; then
  cat "$log" >&2
  echo "aot.sh: publish failed" >&2
  exit 1
fi
if grep -E 'warning (IL|AOT)[0-9]+' "$log" >&2; then
  echo "aot.sh: trim/AOT warnings are errors" >&2
  exit 1
fi
# Copy then rename: a running procprobe keeps its own inode, so rebuilding never fails with "text file busy".
cp "$out/publish/procprobe" "$out/procprobe.new"
mv -f "$out/procprobe.new" "$out/procprobe"
if ldd "$out/procprobe" | grep -vE '^\s*(linux-vdso\.so\.1|lib(c|m|dl|pthread|rt)\.so\.[0-9]+|/lib64/ld-linux-x86-64\.so\.2)\b' >&2; then
  echo "aot.sh: artifacts/procprobe links more than glibc (above)" >&2
  exit 1
fi
ls -l "$out/procprobe"

if (( package )); then
  build/package.sh "$out/procprobe" "$out"
fi
