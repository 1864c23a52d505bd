#!/usr/bin/env bash
# Re-record what SystemTap's own translator says for the translator conformance cases
# (procfs-semantics.md §7.1 C01-C32 and the translator rows of §7.3 D01-D10), so CI needs no oracle.
#
#   tests/ProcProbe.Cli.Tests/Conformance/Translator/record-golden.sh          # every case
#   tests/ProcProbe.Cli.Tests/Conformance/Translator/record-golden.sh C01 D04  # only these
#
# A case is either ID.stp, whose first line `#! stap OPTIONS` gives the options (run as
# `stap OPTIONS ID.stp` from this folder, as upstream's drivers do), or ID.args, one argument per
# line (run as `stap ARGS`, for -l and -e cases). The result goes to ID.oracle.txt:
#   command: ...            exit: N
#   stdout: N bytes\n<bytes>
#   stderr: N bytes\n<bytes>
# The xunit side (TranslatorConformanceTests) reads the same files.
#
# Oracle: $STAP_ORACLE, else ../shared/tools/stap-oracle from the repository root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
oracle=${STAP_ORACLE:-$repo/../shared/tools/stap-oracle}
export LC_ALL=C
cd "$here"

record() {
  local id=$1 args=() tok rc=0 tmp
  if [[ -f $id.stp ]]; then
    local first
    first=$(head -n1 -- "$id.stp")
    for tok in ${first#'#! stap'}; do args+=("$tok"); done
    args+=("$id.stp")
  elif [[ -f $id.args ]]; then
    mapfile -t args <"$id.args"
  else
    echo "no case $id" >&2
    return 1
  fi
  tmp=$(mktemp -d)
  timeout 120 "$oracle" "${args[@]}" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
  # The fake kernel tree and the running kernel release are machine-dependent.
  local fake=${STAP_FAKE_KERNEL:-/tmp/stap-fake-kernel} release
  release=$(uname -r)
  FAKE=$fake REL=$release perl -pi -e 's/\Q$ENV{FAKE}\E/\@FAKE_KERNEL\@/g; s/\Q$ENV{REL}\E/\@KERNEL_RELEASE\@/g' "$tmp/out" "$tmp/err"
  {
    echo "# stap-oracle result for $id (regenerate: record-golden.sh $id)"
    echo "command: stap$(printf ' %q' "${args[@]}")"
    echo "exit: $rc"
    echo "stdout: $(wc -c <"$tmp/out") bytes"
    cat "$tmp/out"
    echo "stderr: $(wc -c <"$tmp/err") bytes"
    cat "$tmp/err"
  } >"$id.oracle.txt"
  rm -rf "$tmp"
  echo "$id: exit $rc"
}

if (($#)); then
  ids=("$@")
else
  mapfile -t ids < <(ls -- *.stp *.args | sed 's/\.[a-z]*$//' | sort -u)
fi
for id in "${ids[@]}"; do record "$id"; done
