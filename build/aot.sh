#!/usr/bin/env bash
# Publish artifacts/procprobe: one trimmed Native AOT executable.
# Needs the .NET 10 SDK plus clang and zlib headers (Native AOT's linker prerequisites).
# Fails on any trim, AOT or IL warning.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
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
ls -l "$out/procprobe"
