#!/usr/bin/env bash
# Regenerates NAME.diag.verified.txt / NAME.p2.verified.txt from SystemTap itself (stap-oracle -p2).
# The script is passed with -e so file names print as <input>, as the fixture test compiles them.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${STAP_ORACLE:-/work/shared/tools/stap-oracle}
for f in "$here"/*.stp; do
  name=$(basename "$f" .stp)
  args=$(head -1 "$f" | sed -n 's/^#! stap//p')
  # shellcheck disable=SC2086
  "$oracle" -p2 $args -e "$(cat "$f")" >"$here/$name.p2.verified.txt" 2>"$here/$name.diag.verified.txt"
  [[ -s $here/$name.p2.verified.txt ]] || rm -f "$here/$name.p2.verified.txt"
done
