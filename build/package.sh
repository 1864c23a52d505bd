#!/usr/bin/env bash
# package.sh BINARY OUTDIR [STATIC_BINARY]: make OUTDIR/procprobe-<version>-linux-x64.tar.gz holding
# the binary (and procprobe-static, the build with libfuse linked in, when given), the man page and
# the README under procprobe-<version>-linux-x64/. The version is the binary's own.
# Run by `build/aot.sh --package`; prints the tarball's path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if (( $# != 2 && $# != 3 )); then
  echo "usage: build/package.sh BINARY OUTDIR [STATIC_BINARY]" >&2
  exit 2
fi
binary=$1
outdir=$2
static_binary=${3:-}
version=$("$binary" --version | sed -n 's/^procprobe \([^:]*\):.*/\1/p')
if [[ -z $version ]]; then
  echo "package.sh: $binary --version did not print 'procprobe VERSION: ...'" >&2
  exit 1
fi
name="procprobe-$version-linux-x64"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
install -m 0755 "$binary" "$stage/$name/procprobe"
if [[ -n $static_binary ]]; then
  install -m 0755 "$static_binary" "$stage/$name/procprobe-static"
fi
install -m 0644 "$root/docs/procprobe.1" "$root/README.md" "$stage/$name/"
mkdir -p "$outdir"
# Owner, order and time are fixed so that the same inputs make the same tarball.
mtime=$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)
tar -C "$stage" --owner=0 --group=0 --numeric-owner --sort=name --mtime="@$mtime" \
    -czf "$outdir/$name.tar.gz" "$name"
echo "$outdir/$name.tar.gz"
