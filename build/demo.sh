#!/usr/bin/env bash
# First command for a new machine: install what is missing (for the build, the demo and the tests
# that build/test.sh runs), build artifacts/procprobe, and serve a demo probe file until Ctrl-C.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
need=()
command -v fusermount3 >/dev/null || need+=(fuse3)
ldconfig -p | grep -q 'libfuse3\.so\.[34]' || need+=(libfuse3-3)
command -v clang >/dev/null || need+=(clang)
[[ -f /usr/include/zlib.h ]] || need+=(zlib1g-dev)
# For build/test.sh: the struct layout check compiles against the fuse3 headers, the man page test runs groff.
[[ -f /usr/include/fuse3/fuse_lowlevel.h ]] || need+=(libfuse3-dev)
command -v gcc >/dev/null || need+=(gcc)
command -v python3 >/dev/null || need+=(python3)
command -v groff >/dev/null || need+=(groff-base)
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  sudo=; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
build/aot.sh
cat <<'MSG'

procprobe is serving the demo; in another terminal:
    cat  "$dir/hello"            # runs the read probe
    echo hi > "$dir/hello"       # runs the write probe, printed here
where $dir is printed below. Ctrl-C stops it and removes the files.

MSG
exec artifacts/procprobe -m demo -v -e '
global writes
probe procfs("hello").read { $value = sprintf("hello from procprobe, %d writes so far\n", writes) }
probe procfs("hello").write { writes++; printf("write %d: %s", writes, $value) }
probe end { printf("bye after %d writes\n", writes) }'
