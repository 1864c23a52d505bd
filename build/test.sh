#!/usr/bin/env bash
# Run every test: publish the AOT binaries (process tests run them; procprobe-static, the build with
# libfuse3.a linked in, needs libfuse3-dev), then all test projects.
# Ends with one line: "N passed, N failed", totalled from the TRX results.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

build/aot.sh --package --static-fuse || { echo "0 passed, 1 failed"; exit 1; }
export PROCPROBE_BIN="$root/artifacts/procprobe"

status=0
for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  echo "== $name"
  dotnet test "$proj" -c Release --nologo --logger "trx;LogFileName=$name.trx" --blame-hang-timeout 5m \
      --results-directory "$results" || status=1
done

# Totals come from the TRX files so that a crashed test host counts as a failure, not as silence.
read -r passed failed < <(python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
p = f = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find(".//{*}Counters")
    if c is None:
        f += 1
        continue
    p += int(c.get("passed", 0))
    f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
print(p, f)
PY
)
n_trx=$(ls "$results"/*.trx 2>/dev/null | wc -l)
n_proj=$(ls tests/*/*.csproj | wc -l)
if (( n_trx < n_proj )); then failed=$((failed + n_proj - n_trx)); fi
if (( failed > 0 )); then status=1; fi
[[ -f "$results/differential-summary.txt" ]] && cat "$results/differential-summary.txt"
echo "$passed passed, $failed failed"
exit $status
