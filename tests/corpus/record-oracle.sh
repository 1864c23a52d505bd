#!/usr/bin/env bash
# Regenerate the golden oracle results of the differential corpus: for every X.stp under
# tests/corpus/differential, X.oracle.txt holds what SystemTap's own translator does with it at
# -p1 and -p2 (exit status, first stderr line, stdout). The xunit harness
# (tests/ProcProbe.Cli.Tests/Differential) compares procprobe against these files.
#
#   tests/corpus/record-oracle.sh                 # the whole corpus, two at a time
#   tests/corpus/record-oracle.sh lexer/foo.stp   # only the named scripts (relative to differential/)
#
# Oracle: $STAP_ORACLE, else ../shared/tools/stap-oracle from the repository root.
# A script's first line `#! stap OPTIONS [-- ARGS]` gives extra options (placed before -pN) and
# script arguments (placed after the file); scripts are run from differential/ with their relative
# path, so `# file NAME` in -p1 output is the same for stap and procprobe.
#
# Machine-dependent text is scrubbed, the same way the harness's live mode does it
# (DifferentialCorpus.Scrub): the fake kernel tree path stap-oracle uses -> @FAKE_KERNEL@,
# the running kernel release -> @KERNEL_RELEASE@. It shows up only in -p2 output of kernel-only/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/differential
repo=$(cd "$here/../.." && pwd)
oracle=${STAP_ORACLE:-$repo/../shared/tools/stap-oracle}
export LC_ALL=C

run_one() {
  local rel=$1 opts=() args=() first tok seen_dashes=0
  first=$(head -n1 -- "$rel")
  if [[ $first == '#! stap'* ]]; then
    for tok in ${first#'#! stap'}; do
      if [[ $tok == -- ]]; then seen_dashes=1
      elif ((seen_dashes)); then args+=("$tok")
      else opts+=("$tok"); fi
    done
  fi
  local tmp out=${rel%.stp}.oracle.txt
  tmp=$(mktemp -d)
  local p1rc=0 p2rc=0
  timeout 120 "$oracle" "${opts[@]}" -p1 "$rel" "${args[@]}" >"$tmp/p1.out" 2>"$tmp/p1.err" </dev/null || p1rc=$?
  timeout 120 "$oracle" "${opts[@]}" -p2 "$rel" "${args[@]}" >"$tmp/p2.out" 2>"$tmp/p2.err" </dev/null || p2rc=$?
  local fake=${STAP_FAKE_KERNEL:-/tmp/stap-fake-kernel} release
  release=$(uname -r)
  local f
  for f in p1.out p1.err p2.out p2.err; do
    # Literal (not regex) replacement of the two machine-dependent strings.
    FAKE=$fake REL=$release perl -pi -e 's/\Q$ENV{FAKE}\E/\@FAKE_KERNEL\@/g; s/\Q$ENV{REL}\E/\@KERNEL_RELEASE\@/g' "$tmp/$f"
  done
  {
    echo "# stap-oracle results for $rel (regenerate: tests/corpus/record-oracle.sh $rel)"
    echo "command: $(printf '%s ' stap "${opts[@]}" -pN "$rel" "${args[@]}" | sed 's/ $//')"
    echo "p1.exit: $p1rc"
    echo "p1.stderr: $(head -n1 "$tmp/p1.err")"
    echo "p2.exit: $p2rc"
    echo "p2.stderr: $(head -n1 "$tmp/p2.err")"
    echo "p1.stdout: $(wc -c <"$tmp/p1.out") bytes"
    cat "$tmp/p1.out"
    echo "p2.stdout: $(wc -c <"$tmp/p2.out") bytes"
    cat "$tmp/p2.out"
  } >"$out"
  rm -rf "$tmp"
}

if [[ ${1:-} == --one ]]; then
  cd "$corpus"
  run_one "$2"
  exit 0
fi

cd "$corpus"
# The first call may install systemtap (apt); do it once before running in parallel.
"$oracle" -p1 -e 'probe begin {}' >/dev/null 2>&1 || true
start=$(date +%s.%N)
if (($#)); then printf '%s\n' "$@"; else find . -name '*.stp' -printf '%P\n' | sort; fi |
  xargs -P2 -n1 -d '\n' "$here/record-oracle.sh" --one
end=$(date +%s.%N)
n=$(if (($#)); then echo $#; else find . -name '*.stp' | wc -l; fi)
awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN { printf "record-oracle: %d scripts (-p1 and -p2 each) in %.1f s, %.0f ms per script\n", n, e - s, (e - s) * 1000 / n }'
