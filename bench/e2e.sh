#!/usr/bin/env bash
# bench/e2e.sh - end-to-end benchmark: procprobe vs the C libfuse3 baseline vs stapbpf.
#
#   bench/e2e.sh [--smoke] [--loops] [--no-stap] [--no-procprobe] [--runs N] [-h|--help]
#
# Serves the same two files with three servers and runs the same C client
# (/work/shared/bench/fuse-baseline/client.c) against each:
#   C       ll_server -f -s   (libfuse3 low-level API, single-threaded loop): files r ("abc\n"), w
#   pp      procprobe -e 'global n; probe procfs("r").read { $value = "abc\n" }
#                         probe procfs("w").write { n++ } probe end { printf("n=%d\n", n) }'
#           (the end probe only reports the write-handler count at exit)
#   stap    stapbpf-peer, same script: FIFOs under
#           /var/tmp/systemtap-$USER/MODNAME/ (reads may come back empty, writes merge:
#           the client's error count is the result)
# Matrix: placement {pinned: server and client `taskset -c 0`; unpinned} x client threads {1,2}
#         x mode {read, readonce, write, stream}; RUNS repetitions, medians reported.
# Also: exec -> file readable latency (median of LAT_RUNS, C vs procprobe, via mountlat.c),
#       the start-up floor (exec -> file readable, median of LAT_RUNS, for programs that only write
#       that file: bench/e2e/floor.c and a Native AOT one built with procprobe's settings from
#       bench/e2e/floor; not with --smoke),
#       VmRSS/VmHWM after RSS_READS reads, binary size, write-handler call accounting,
#       clean shutdown (no mount, no directory left).
# Prints one markdown table set and writes it to bench/results/<timestamp>.md (raw client lines
# next to it as <timestamp>.raw.txt). --smoke: tiny run (< 30 s once procprobe is built), C and
# procprobe only, output in $TMPDIR, exit status 1 if a C or procprobe row has client errors or a
# server leaves something behind.
# --loops: the loop choice instead (bench/README.md, "Loop choice"): unpinned only, 1 and 2 client
# threads x {read, readonce, write, stream}, against procprobe single-threaded
# (PROCPROBE_FUSE_THREADS=1) and multi-threaded (PROCPROBE_FUSE_THREADS=N for N in LOOP_PP_THREADS),
# C ll_server -f -s and C ll_server -f (libfuse's multi-threaded loop); no stap, no start-up or
# memory sections. Per row: median ops/s with the range over the runs, p50, p99, server CPU us/op,
# and each server's ops/s relative to procprobe single-threaded in the same run.
#
# Environment:
#   PROCPROBE_BIN   procprobe executable to test (default: build one with dotnet publish into a
#                   temp dir; with --smoke, artifacts/procprobe is used if it exists);
#                   PROCPROBE_BIN_DESC describes where it came from, for the report
#   PROCPROBE_REV   build this commit (git archive into the temp dir) instead of the working tree
#   FUSE_BASELINE   C baseline sources (default /work/shared/bench/fuse-baseline)
#   STAPBPF_PEER    stapbpf wrapper (default /work/shared/tools/stapbpf-peer)
#   RUNS=5 N_OPS=20000 STREAM_MB=16 LAT_RUNS=20 RSS_READS=100000 CLIENT_TIMEOUT=120 PIN_CPU=0
#   BENCH_NICE=-20  priority of servers and clients (root only; 0 = leave it alone)
#   RESULTS_DIR     where the .md goes (default bench/results; --smoke: $TMPDIR)
#   LOOP_PP_THREADS="2 4"  procprobe loop thread counts besides 1 that --loops measures
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

SMOKE=0
LOOPS=0
WITH_STAP=1
WITH_PP=1
RUNS_OPT=""
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) SMOKE=1 ;;
	--loops) LOOPS=1 ;;
	--no-stap) WITH_STAP=0 ;;
	--no-procprobe) WITH_PP=0 ;;   # C baseline (and stap) only, e.g. while procprobe cannot serve yet
	--runs) RUNS_OPT=${2:?--runs needs a number}; shift ;;
	--runs=*) RUNS_OPT=${1#--runs=} ;;
	-h|--help) usage; exit 0 ;;
	*) echo "e2e.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

if [ "$SMOKE" = 1 ]; then
	WITH_STAP=0
	: "${RUNS:=1}" "${N_OPS:=1000}" "${STREAM_MB:=1}" "${LAT_RUNS:=3}" "${RSS_READS:=3000}"
	: "${RESULTS_DIR:=${TMPDIR:-/tmp}}"
fi
[ "$SMOKE" = 1 ] && [ "$LOOPS" = 1 ] && { echo "e2e.sh: --smoke and --loops exclude each other" >&2; exit 2; }
if [ "$LOOPS" = 1 ]; then
	WITH_STAP=0
	[ "$WITH_PP" = 1 ] || { echo "e2e.sh: --loops compares procprobe's loops; it cannot run with --no-procprobe" >&2; exit 2; }
fi
LOOP_PP_THREADS=${LOOP_PP_THREADS:-2 4}
RUNS=${RUNS_OPT:-${RUNS:-5}}
N_OPS=${N_OPS:-20000}
STREAM_MB=${STREAM_MB:-16}
LAT_RUNS=${LAT_RUNS:-20}
RSS_READS=${RSS_READS:-100000}
CLIENT_TIMEOUT=${CLIENT_TIMEOUT:-120}
PIN_CPU=${PIN_CPU:-0}
RESULTS_DIR=${RESULTS_DIR:-$REPO/bench/results}
FUSE_BASELINE=${FUSE_BASELINE:-/work/shared/bench/fuse-baseline}
STAPBPF_PEER=${STAPBPF_PEER:-/work/shared/tools/stapbpf-peer}
BENCH_NICE=${BENCH_NICE:--20}
WARMUP=200        # client warm-up iterations per thread (read/readonce/write)
STREAM_WARMUP=2   # 1 MiB warm-up passes per thread (stream)

SCRIPT='global n; probe procfs("r").read { $value = "abc\n" } probe procfs("w").write { n++ }'
# The end probe reports how many times the write handler ran (write accounting). It runs only at
# exit; the handlers are unchanged. (stapbpf does not print written-but-never-read globals at exit,
# and procprobe did not either when this was written, so the display cannot be relied on.)
SCRIPT_END="$SCRIPT probe end { printf(\"n=%d\\n\", n) }"
# procprobe cuts every write to min(MAXSTRINGLEN, bufsize) - 1 bytes (511 by default, CONTRACT §5)
# and reports the short count; the client's stream mode treats a short write as an error, so the
# stream rows use limits that let a whole 4 KiB write through as one handler call.
PP_STREAM_DEFS=(-D MAXSTRINGLEN=4097 -D STP_PROCFS_BUFSIZE=4097)

die() { echo "e2e.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%T)] $*" >&2; }

# ------------------------------------------------------------------ prerequisites
for tool in gcc pkg-config taskset timeout awk sed sort; do
	command -v "$tool" >/dev/null 2>&1 || die "missing prerequisite: $tool"
done
pkg-config --exists fuse3 2>/dev/null || die "missing prerequisite: libfuse3 development files (apt-get install libfuse3-dev fuse3)"
[ -c /dev/fuse ] || die "missing prerequisite: /dev/fuse"
if [ "$(id -u)" != 0 ]; then
	command -v fusermount3 >/dev/null 2>&1 || die "missing prerequisite: fusermount3 (apt-get install fuse3) or run as root"
fi
for f in client.c mountlat.c ll_server.c; do
	[ -r "$FUSE_BASELINE/$f" ] || die "missing prerequisite: $FUSE_BASELINE/$f (set FUSE_BASELINE)"
done
# Servers and clients run at nice -20 (root only) so that other work on the machine (builds, tests)
# disturbs the measurement less; it applies to C, procprobe and stap alike. BENCH_NICE=0 turns it off.
PRIO=()
if [ "$(id -u)" = 0 ] && [ "$BENCH_NICE" != 0 ]; then PRIO=(nice -n "$BENCH_NICE"); fi
NCPU=$(nproc)
[ "$PIN_CPU" -lt "$NCPU" ] || die "PIN_CPU=$PIN_CPU but only $NCPU CPUs"
if [ "$WITH_STAP" = 1 ]; then
	[ -x "$STAPBPF_PEER" ] || die "missing prerequisite: $STAPBPF_PEER (set STAPBPF_PEER, or pass --no-stap)"
	[ "$(id -u)" = 0 ] || die "stapbpf needs root (run as root, or pass --no-stap)"
fi
if [ -z "${PROCPROBE_BIN:-}" ] && [ "$SMOKE" = 1 ] && [ -x "$REPO/artifacts/procprobe" ]; then
	PROCPROBE_BIN=$REPO/artifacts/procprobe
fi
if [ "$WITH_PP" = 0 ]; then
	:
elif [ -n "${PROCPROBE_BIN:-}" ]; then
	[ -x "$PROCPROBE_BIN" ] || die "PROCPROBE_BIN=$PROCPROBE_BIN is not executable"
else
	command -v dotnet >/dev/null 2>&1 || die "missing prerequisite: dotnet (.NET 10 SDK) to build procprobe, or set PROCPROBE_BIN"
fi

# ------------------------------------------------------------------ work dir + cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/procprobe-e2e.XXXXXX")
B=$WORK/bin
PPROOT=$WORK/root
STAP_ROOT=/var/tmp/systemtap-$(id -un)
mkdir -p "$B" "$PPROOT" "$WORK/logs"
RAW=$WORK/raw.txt
: >"$RAW"
PIDS=()          # every server process this script started (killed by PID on exit)
STAP_DIRS=()     # stapbpf FIFO directories of our module names
SEQ=0

is_running() { # alive and not a zombie
	local st
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
is_mounted() { awk -v m="$1" '$2 == m { f = 1 } END { exit !f }' /proc/self/mounts; }
lazy_unmount() {
	if [ "$(id -u)" = 0 ]; then umount -l "$1" 2>/dev/null || fusermount3 -u -z "$1" 2>/dev/null || true
	else fusermount3 -u -z "$1" 2>/dev/null || true; fi
}
mounts_under() { awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts; }

cleanup() {
	local rc=$? pid m d
	trap - EXIT INT TERM
	set +e
	for pid in "${PIDS[@]}"; do is_running "$pid" && kill -TERM "$pid" 2>/dev/null; done
	for pid in "${PIDS[@]}"; do
		for _ in $(seq 1 200); do is_running "$pid" || break; sleep 0.01; done
		is_running "$pid" && kill -KILL "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	for m in $(mounts_under "$WORK" | sort -r); do lazy_unmount "$m"; done
	for d in "${STAP_DIRS[@]}"; do [ -d "$d" ] && rm -rf "$d"; done
	if [ -z "$(mounts_under "$WORK")" ]; then rm -rf --one-file-system "$WORK" 2>/dev/null || true
	else echo "e2e.sh: WARNING: mounts left under $WORK" >&2; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

problem() { echo "PROBLEM $*" >>"$RAW"; log "PROBLEM: $*"; }  # leftovers, crashes, timeouts

# ------------------------------------------------------------------ build
log "building the C baseline from $FUSE_BASELINE"
FUSE_FLAGS=$(pkg-config --cflags --libs fuse3)
gcc -O2 -Wall -Wextra -o "$B/ll_server" "$FUSE_BASELINE/ll_server.c" $FUSE_FLAGS
gcc -O2 -Wall -Wextra -pthread -o "$B/client" "$FUSE_BASELINE/client.c"
gcc -O2 -Wall -Wextra -o "$B/mountlat" "$FUSE_BASELINE/mountlat.c"
gcc -O2 -Wall -Wextra -o "$B/floor" "$HERE/e2e/floor.c"
# The start-up floor: what a Native AOT program pays before Main (bench/README.md, "What limits").
FLOOR=""
if [ "$WITH_PP" = 1 ] && [ "$SMOKE" = 0 ]; then
	log "building the Native AOT floor program (dotnet publish, ~1 min)"
	if dotnet publish "$HERE/e2e/floor/Floor.csproj" -c Release -nologo -o "$WORK/floor" \
		--artifacts-path "$WORK/floor-art" >"$WORK/logs/floor.log" 2>&1; then
		FLOOR=$WORK/floor/aot-floor
	else
		problem "the Native AOT floor program did not build (log: $(tail -3 "$WORK/logs/floor.log" | tr '\n' ' '))"
	fi
fi

PP_BUILT=""
PP=""
# What the procprobe under test was built from, for the report.
GIT_HEAD=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
GIT_REV="working tree at $GIT_HEAD"
if [ -n "$(git -C "$REPO" status --porcelain -- src 2>/dev/null)" ]; then GIT_REV="$GIT_REV + uncommitted src changes"; fi
if [ "$WITH_PP" = 0 ]; then
	:
elif [ -z "${PROCPROBE_BIN:-}" ]; then
	src=$REPO
	if [ -n "${PROCPROBE_REV:-}" ]; then
		# a committed revision, exported with git archive (the checkout is not touched)
		rev=$(git -C "$REPO" rev-parse --short "$PROCPROBE_REV^{commit}" 2>/dev/null) || die "PROCPROBE_REV=$PROCPROBE_REV is not a commit"
		src=$WORK/src; mkdir -p "$src"
		git -C "$REPO" archive "$rev" | tar -x -C "$src" || die "git archive $rev failed"
		GIT_REV="commit $rev"
	fi
	log "building procprobe from $GIT_REV (dotnet publish, 1-3 min)"
	if ! dotnet publish "$src/src/Cli/ProcProbe.Cli.csproj" -c Release -r linux-x64 -nologo \
		-o "$WORK/publish" --artifacts-path "$WORK/art" >"$WORK/logs/publish.log" 2>&1; then
		tail -30 "$WORK/logs/publish.log" >&2
		die "procprobe build failed (log above); set PROCPROBE_REV=HEAD to build the last commit, or PROCPROBE_BIN to test an existing binary"
	fi
	PROCPROBE_BIN=$WORK/publish/procprobe
	PP_BUILT=" (built by e2e.sh from $GIT_REV)"
else
	GIT_REV="${PROCPROBE_BIN_DESC:-unknown source (PROCPROBE_BIN)}; repo $GIT_REV"
fi
if [ "$WITH_PP" = 1 ]; then
	PP=$PROCPROBE_BIN
	# procprobe must serve the script before anything is measured
	SMOKE_OUT=$(timeout 30 "$PP" --root "$PPROOT" -m "ppcheck$$" -c 'cat "$PROCPROBE_DIR/r"' -e "$SCRIPT_END" 2>&1) ||
		die "procprobe cannot serve the benchmark script (or use --no-procprobe): $SMOKE_OUT"
	case $SMOKE_OUT in
	"abc"*) ;;
	*) die "procprobe served unexpected content for r: $SMOKE_OUT" ;;
	esac
fi

# ------------------------------------------------------------------ environment
STAMP=$(date +%Y%m%d-%H%M%S)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
ENVTXT="date $(date -Is); $(uname -r); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') x $NCPU vCPU; $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo); libfuse $(pkg-config --modversion fuse3); gcc $(gcc -dumpfullversion); $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
log "$ENVTXT"
log "procprobe: ${PP:-not tested}$PP_BUILT; load average at start: $LOAD0"

# ------------------------------------------------------------------ server control
# (each helper succeeds even when the process is gone, so `set -e` never fires on a dead server)
srv_cpu_ns() { { cat /proc/"$1"/task/*/schedstat 2>/dev/null || true; } | awk '{ s += $1 } END { printf "%.0f", s }'; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || true; }
nthreads() { { ls "/proc/$1/task" 2>/dev/null || true; } | wc -l; }

# start_server KIND PLACE [extra procprobe args...]
# KIND c|cmt|pp (cmt: C with libfuse's multi-threaded loop, i.e. without -s); PLACE pinned|unpinned.
# PP_THREADS, when set, is passed to procprobe as PROCPROBE_FUSE_THREADS.
# Starts through mountlat (exec -> readable latency). Sets SRV_PID SRV_DIR SRV_MNT SRV_LOG SRV_MS
# SRV_KIND (c for both C loops: same exit line, same clean-up).
PP_THREADS=""
start_server() {
	local kind=$1 place=$2; shift 2
	local -a pin=() argv=() penv=()
	[ "$place" = pinned ] && pin=(taskset -c "$PIN_CPU")
	SEQ=$((SEQ + 1))
	SRV_KIND=$kind
	SRV_LOG=$WORK/logs/$kind-$SEQ.log
	if [ "$kind" = c ] || [ "$kind" = cmt ]; then
		SRV_KIND=c
		SRV_MNT=$WORK/c-$SEQ; SRV_DIR=$SRV_MNT
		mkdir -p "$SRV_MNT"
		if [ "$kind" = c ]; then argv=("${pin[@]}" "$B/ll_server" -f -s "$SRV_MNT")
		else argv=("${pin[@]}" "$B/ll_server" -f "$SRV_MNT"); fi
	else
		local name=ppb$$_$SEQ
		SRV_MNT=$PPROOT/$name; SRV_DIR=$SRV_MNT
		[ -n "$PP_THREADS" ] && penv=(env "PROCPROBE_FUSE_THREADS=$PP_THREADS")
		argv=("${pin[@]}" "${penv[@]}" "$PP" --root "$PPROOT" -m "$name" "$@" -e "$SCRIPT_END")
	fi
	local out
	out=$(LL_SERVER_VERBOSE=1 "${PRIO[@]}" "$B/mountlat" "$SRV_DIR/r" 'abc\n' "$WORK/srv.pid" -- "${argv[@]}" 2>>"$SRV_LOG") || {
		[ -s "$WORK/srv.pid" ] && PIDS+=("$(cat "$WORK/srv.pid")")
		problem "$kind $place: server failed to start (log: $(tail -3 "$SRV_LOG" | tr '\n' ' '))"
		return 1
	}
	SRV_PID=$(cat "$WORK/srv.pid"); rm -f "$WORK/srv.pid"
	PIDS+=("$SRV_PID")
	SRV_MS=$(sed -n 's/.* ms=\([0-9.]*\).*/\1/p' <<<"$out")
}

# stop_server: SIGTERM by PID, wait, check that nothing is left. Sets STOP_INFO="stop_ms=.. left=..".
stop_server() {
	local pid=$SRV_PID t0 t1 left=none
	t0=$(date +%s%N)
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 1000); do is_running "$pid" || break; sleep 0.005; done
	if is_running "$pid"; then
		problem "$SRV_KIND: pid $pid still running 5 s after SIGTERM; SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true; left=process
	fi
	t1=$(date +%s%N)
	if is_mounted "$SRV_MNT"; then
		problem "$SRV_KIND: $SRV_MNT still mounted after exit; lazy unmount"
		lazy_unmount "$SRV_MNT"; left=mount
	fi
	if [ "$SRV_KIND" = c ]; then rmdir "$SRV_MNT" 2>/dev/null || true
	elif [ -e "$SRV_MNT" ]; then
		problem "pp: $SRV_MNT left behind after exit"; rmdir "$SRV_MNT" 2>/dev/null || true; left=directory
	fi
	STOP_INFO="stop_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }') left=$left"
}

# handler_calls KIND LOG: how many times the write handler ran (from the server's exit output)
handler_calls() {
	case $1 in
	c) { sed -n 's/.*write handler saw \([0-9]*\) calls.*/\1/p' "$2" 2>/dev/null || true; } | tail -1 ;;
	*) { sed -n 's/^n=\([0-9]*\)$/\1/p' "$2" 2>/dev/null || true; } | tail -1 ;;
	esac
}

# stapbpf: started as our child (stap compiles for a few seconds; mountlat's 10 s limit is too
# tight under load), ready when both FIFOs exist. Sets STAP_PID STAP_BPID SRV_DIR SRV_LOG STAP_START_S.
start_stap() {
	local place=$1; local -a pin=()
	[ "$place" = pinned ] && pin=(taskset -c "$PIN_CPU")
	SEQ=$((SEQ + 1))
	local name=ppbs$$_$SEQ t0
	SRV_DIR=$STAP_ROOT/$name; SRV_LOG=$WORK/logs/stap-$SEQ.log; SRV_KIND=stap
	STAP_DIRS+=("$SRV_DIR")
	t0=$(date +%s%N)
	# in $WORK: stap --runtime=bpf leaves MODNAME.bo in its working directory
	(cd "$WORK" && exec "${PRIO[@]}" "${pin[@]}" "$STAPBPF_PEER" -m "$name" -e "$SCRIPT_END") >"$SRV_LOG" 2>&1 &
	STAP_PID=$!; PIDS+=("$STAP_PID")
	for _ in $(seq 1 1200); do
		[ -p "$SRV_DIR/r" ] && [ -p "$SRV_DIR/w" ] && break
		is_running "$STAP_PID" || break
		sleep 0.05
	done
	if ! [ -p "$SRV_DIR/w" ]; then
		problem "stap $place: FIFOs did not appear (log: $(tail -3 "$SRV_LOG" | tr '\n' ' '))"
		return 1
	fi
	STAP_START_S=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
	STAP_BPID=$(pgrep -P "$STAP_PID" -x stapbpf | head -1 || true)
	[ -n "$STAP_BPID" ] && PIDS+=("$STAP_BPID")
	SRV_PID=${STAP_BPID:-$STAP_PID}
}
stop_stap() { # SIGINT to stapbpf runs the end probe; stap then exits
	local left=none
	[ -n "$STAP_BPID" ] && kill -INT "$STAP_BPID" 2>/dev/null
	for _ in $(seq 1 1000); do is_running "$STAP_PID" || break; sleep 0.01; done
	if is_running "$STAP_PID"; then
		problem "stap: still running 10 s after SIGINT to stapbpf; SIGTERM"
		kill -TERM "$STAP_PID" 2>/dev/null; sleep 1
		is_running "$STAP_PID" && kill -KILL "$STAP_PID" 2>/dev/null
		[ -n "$STAP_BPID" ] && is_running "$STAP_BPID" && kill -KILL "$STAP_BPID" 2>/dev/null
		left=process
	fi
	wait "$STAP_PID" 2>/dev/null || true
	if [ -e "$SRV_DIR" ]; then left=directory; rm -rf "$SRV_DIR"; fi
	STOP_INFO="stop_ms=- left=$left"
}

# run_client REP SRV PLACE MODE THREADS: one client run against $SRV_DIR, appends a ROW line
WRITES_SENT=0
run_client() {
	local rep=$1 srv=$2 place=$3 mode=$4 thr=$5
	local -a pin=() args
	[ "$place" = pinned ] && pin=(taskset -c "$PIN_CPU")
	case $mode in
	read|readonce) args=(-p "$SRV_DIR/r" -n "$N_OPS" -w "$WARMUP" -e 'abc\n') ;;
	write) args=(-p "$SRV_DIR/w" -n "$N_OPS" -w "$WARMUP"); WRITES_SENT=$((WRITES_SENT + thr * (WARMUP + N_OPS))) ;;
	stream) args=(-p "$SRV_DIR/w" -n "$STREAM_MB" -w "$STREAM_WARMUP"); WRITES_SENT=$((WRITES_SENT + thr * (STREAM_WARMUP + STREAM_MB) * 256)) ;;
	esac
	local c0 c1 line rc=0 cpu=-
	c0=$(srv_cpu_ns "$SRV_PID")
	# SIGPIPE ignored: a FIFO whose reader went away gives EPIPE (counted) instead of killing the client
	line=$(trap '' PIPE; timeout "$CLIENT_TIMEOUT" "${PRIO[@]}" "${pin[@]}" "$B/client" "${args[@]}" -m "$mode" -t "$thr" -l "$srv" 2>&1) || rc=$?
	c1=$(srv_cpu_ns "$SRV_PID")
	line=$(grep -m1 '^RESULT' <<<"$line" || true)
	if [ -z "$line" ]; then
		[ "$rc" = 124 ] && problem "$srv $place $mode t=$thr: client timed out after ${CLIENT_TIMEOUT}s" ||
			problem "$srv $place $mode t=$thr: client failed (rc=$rc)"
		line="RESULT label=$srv mode=$mode threads=$thr ops=0 ops_per_s=0 p50_us=0 p99_us=0 errors=1 first_error=no-result(rc=$rc)"
	else
		local ops; ops=$(sed -n 's/.* ops=\([0-9]*\) .*/\1/p' <<<"$line")
		[ -n "$ops" ] && [ "$ops" -gt 0 ] && [ -n "$c0" ] && [ -n "$c1" ] &&
			cpu=$(awk -v a="$c0" -v b="$c1" -v o="$ops" 'BEGIN { printf "%.2f", (b - a) / o / 1000 }')
	fi
	echo "ROW rep=$rep srv=$srv place=$place srv_cpu_us=$cpu ${line#RESULT }" >>"$RAW"
	printf '  %-5s %-8s t=%s %-8s %s\n' "$srv" "$place" "$thr" "$mode" \
		"$(sed -n 's/.*\(ops_per_s=[0-9]*\) \(p50_us=[0-9.]*\) \(p99_us=[0-9.]*\).*\(errors=[0-9]*\).*/\1 \2 \3 \4/p' <<<"$line") srv_cpu_us/op=$cpu" >&2
}

# Per-server state of a session, keyed "LABEL.field" (labels: c, pp, pps = procprobe for the
# stream rows, stap).
declare -A ST
save_state() {
	local l=$1
	ST[$l.pid]=$SRV_PID; ST[$l.dir]=$SRV_DIR; ST[$l.mnt]=${SRV_MNT:-}; ST[$l.log]=$SRV_LOG
	ST[$l.kind]=$SRV_KIND; ST[$l.start]=${SRV_MS:-${STAP_START_S:-}}
	ST[$l.spid]=${STAP_PID:-}; ST[$l.bpid]=${STAP_BPID:-}; ST[$l.ws]=0; ST[$l.up]=1
}
load_state() {
	local l=$1
	SRV_PID=${ST[$l.pid]}; SRV_DIR=${ST[$l.dir]}; SRV_MNT=${ST[$l.mnt]}; SRV_LOG=${ST[$l.log]}
	SRV_KIND=${ST[$l.kind]}; STAP_PID=${ST[$l.spid]}; STAP_BPID=${ST[$l.bpid]}
}

# session REP PLACE: start every server (all pinned, or all unpinned; an idle server sleeps in
# read(2) and costs nothing), then for each mode and thread count run the client against each
# server back to back (C first in odd runs, last in even runs), then stop them all.
session() {
	local rep=$1 place=$2 l m t srv lab hc
	local -a labels=(c) order=(c pp stap)
	[ "$WITH_PP" = 1 ] && labels+=(pp pps)
	[ "$WITH_STAP" = 1 ] && labels+=(stap)
	[ $((rep % 2)) = 0 ] && order=(stap pp c)
	for l in "${labels[@]}"; do
		ST[$l.up]=0
		SRV_MS=""; STAP_START_S=""; STAP_PID=""; STAP_BPID=""; SRV_MNT=""
		case $l in
		c) start_server c "$place" || continue ;;
		pp) start_server pp "$place" || continue ;;
		pps) start_server pp "$place" "${PP_STREAM_DEFS[@]}" || continue ;;
		stap) start_stap "$place" || continue ;;
		esac
		save_state "$l"
	done
	for m in read readonce write stream; do
		for t in 1 2; do
			for srv in "${order[@]}"; do
				lab=$srv
				[ "$srv" = pp ] && [ "$m" = stream ] && lab=pps
				[ "${ST[$lab.up]:-0}" = 1 ] || continue
				load_state "$lab"
				WRITES_SENT=${ST[$lab.ws]}
				run_client "$rep" "$srv" "$place" "$m" "$t"
				ST[$lab.ws]=$WRITES_SENT
			done
		done
	done
	for l in "${labels[@]}"; do
		[ "${ST[$l.up]:-0}" = 1 ] || continue
		load_state "$l"
		if [ "$l" = stap ]; then stop_stap; else stop_server; fi
		hc=$(handler_calls "$SRV_KIND" "$SRV_LOG"); hc=${hc:--}
		echo "SESSION rep=$rep srv=$SRV_KIND place=$place label=$l start=${ST[$l.start]} $STOP_INFO handler_calls=$hc writes_sent=${ST[$l.ws]}" >>"$RAW"
		ST[$l.up]=0
	done
	SRV_MS=""; STAP_START_S=""
}

# loops_session REP: the --loops matrix of one repetition. Every server (C -s, C multi-threaded,
# procprobe with 1 and each of LOOP_PP_THREADS loop threads, each twice: default limits and the
# stream limits) runs unpinned at once; each client run goes to every server back to back, in
# one order in odd repetitions and the reverse in even ones.
loops_session() {
	local rep=$1 l m t lab hc n
	local -a labels=(c-st c-mt pp-st) order
	for n in $LOOP_PP_THREADS; do labels+=("pp-mt$n"); done
	order=("${labels[@]}")
	if [ $((rep % 2)) = 0 ]; then
		order=(); for ((n = ${#labels[@]} - 1; n >= 0; n--)); do order+=("${labels[n]}"); done
	fi
	for l in "${labels[@]}"; do
		for lab in "$l" "$l.s"; do
			case $l in c-*) [ "$lab" = "$l" ] || continue ;; esac   # C serves 4 KiB writes whole as is
			ST[$lab.up]=0; SRV_MS=""; SRV_MNT=""; STAP_PID=""; STAP_BPID=""
			case $l in
			c-st) start_server c unpinned || continue ;;
			c-mt) start_server cmt unpinned || continue ;;
			pp-st) PP_THREADS=1 ;;
			pp-mt*) PP_THREADS=${l#pp-mt} ;;
			esac
			if [ "${l%%-*}" = pp ]; then
				if [ "$lab" = "$l" ]; then start_server pp unpinned || { PP_THREADS=""; continue; }
				else start_server pp unpinned "${PP_STREAM_DEFS[@]}" || { PP_THREADS=""; continue; }; fi
				PP_THREADS=""
			fi
			save_state "$lab"
			ST[$lab.threads]=$(nthreads "$SRV_PID")
		done
	done
	for m in read readonce write stream; do
		for t in 1 2; do
			for l in "${order[@]}"; do
				lab=$l
				[ "${l%%-*}" = pp ] && [ "$m" = stream ] && lab=$l.s
				[ "${ST[$lab.up]:-0}" = 1 ] || continue
				load_state "$lab"
				WRITES_SENT=${ST[$lab.ws]}
				run_client "$rep" "$l" unpinned "$m" "$t"
				ST[$lab.ws]=$WRITES_SENT
			done
		done
	done
	for l in "${labels[@]}"; do
		for lab in "$l" "$l.s"; do
			[ "${ST[$lab.up]:-0}" = 1 ] || continue
			load_state "$lab"
			n=$(nthreads "$SRV_PID")
			stop_server
			hc=$(handler_calls "$SRV_KIND" "$SRV_LOG"); hc=${hc:--}
			echo "SESSION rep=$rep srv=$SRV_KIND place=unpinned label=$lab start=${ST[$lab.start]} $STOP_INFO handler_calls=$hc writes_sent=${ST[$lab.ws]} threads_start=${ST[$lab.threads]} threads_end=$n" >>"$RAW"
			ST[$lab.up]=0
		done
	done
	SRV_MS=""
}

# The "Problems" section of a report: every PROBLEM line of the raw file.
# load_lines CONSEQUENCE: the report's load-average line, and a warning saying CONSEQUENCE when the
# 1-minute load exceeded the CPUs at the start or the end of the run.
load_lines() {
	echo "- load average: $LOAD0 at start, $LOAD1 at end; duration $((T_END - T_START)) s (without builds)"
	if awk -v a="$LOAD0" -v b="$LOAD1" -v n="$NCPU" 'BEGIN { split(a, x, " "); split(b, y, " "); exit !(x[1] > n || y[1] > n) }'; then
		echo "- **warning: the 1-minute load average exceeded the $NCPU CPUs during this run**: $1"
	fi
}

problems_section() {
	if grep -q '^PROBLEM' "$RAW"; then
		echo
		echo "### Problems"
		echo
		sed -n 's/^PROBLEM /- /p' "$RAW"
	fi
}

# Keeps the raw lines beside the report and shows the report.
publish_report() {
	cp "$RAW" "$OUT_RAW"
	echo
	cat "$OUT_MD"
	echo
	log "written: $OUT_MD (raw client lines: $OUT_RAW)"
}

if [ "$LOOPS" = 1 ]; then
	T_START=$(date +%s)
	for rep in $(seq 1 "$RUNS"); do
		log "loops: run $rep/$RUNS ($(cut -d' ' -f1-3 /proc/loadavg))"
		loops_session "$rep"
	done
	T_END=$(date +%s)
	LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
	mkdir -p "$RESULTS_DIR"
	OUT_MD=$RESULTS_DIR/$STAMP-loops.md
	OUT_RAW=$RESULTS_DIR/$STAMP-loops.raw.txt
	{
		echo "## procprobe FUSE loop choice, $STAMP"
		echo
		echo "- machine: $ENVTXT"
		if [ -n "$PP_BUILT" ]; then echo "- procprobe: built by e2e.sh from $GIT_REV"
		else echo "- procprobe: \`$PP\` ($GIT_REV)"; fi
		load_lines "other processes took CPU time from the servers and clients, so compare servers through the same-run ratios and their spread rather than single ops/s figures."
		echo "- parameters: RUNS=$RUNS (medians shown, range over the runs), N_OPS=$N_OPS per client thread (+$WARMUP warm-up), STREAM_MB=$STREAM_MB per thread; unpinned; servers and clients run ${PRIO[*]:-at normal priority}; server order reversed in even runs"
		echo "- servers: c-st = \`ll_server -f -s\`, c-mt = \`ll_server -f\` (libfuse multi-threaded loop, up to 10 workers); pp-st = procprobe with PROCPROBE_FUSE_THREADS=1, pp-mtN = PROCPROBE_FUSE_THREADS=N; script \`$SCRIPT_END\`; procprobe stream rows with \`${PP_STREAM_DEFS[*]}\`"
		echo
		awk -f "$HERE/e2e/common.awk" -f "$HERE/e2e/loops.awk" "$RAW"
		problems_section
	} >"$OUT_MD"
	publish_report
	exit 0
fi

# ------------------------------------------------------------------ 1. client matrix
T_START=$(date +%s)
for rep in $(seq 1 "$RUNS"); do
	for place in pinned unpinned; do
		log "run $rep/$RUNS, $place"
		session "$rep" "$place"
	done
done

# ------------------------------------------------------------------ 2. exec -> readable latency
log "exec -> readable latency, $LAT_RUNS x (C, procprobe), unpinned"
for i in $(seq 1 "$LAT_RUNS"); do
	for srv in c pp; do
		[ "$srv" = pp ] && [ "$WITH_PP" = 0 ] && continue
		start_server "$srv" unpinned || continue
		stop_server
		echo "LAT srv=$srv ms=$SRV_MS $STOP_INFO" >>"$RAW"
		SRV_MS=""
	done
done

# exec -> readable for programs that only write the file: the floor under the rows above
if [ -n "$FLOOR" ]; then
	log "start-up floor: exec -> file readable, $LAT_RUNS x (C floor, Native AOT floor), unpinned"
	mkdir -p "$WORK/floor-files"
	for i in $(seq 1 "$LAT_RUNS"); do
		for what in c aot; do
			file=$WORK/floor-files/$what-$i
			if [ "$what" = c ]; then argv=("$B/floor" "$file"); else argv=("$FLOOR" "$file"); fi
			# the program keeps mountlat's stderr: a log file, not the substitution's pipe
			out=$("${PRIO[@]}" "$B/mountlat" "$file" 'abc\n' "$WORK/floor.pid" -- "${argv[@]}" 2>>"$WORK/logs/floor-run.log") ||
				{ problem "floor $what: $(tail -1 "$WORK/logs/floor-run.log")"; continue; }
			pid=$(cat "$WORK/floor.pid"); rm -f "$WORK/floor.pid"
			kill -TERM "$pid" 2>/dev/null || true
			for _ in $(seq 1 1000); do is_running "$pid" || break; sleep 0.005; done
			echo "FLOOR what=$what ms=$(sed -n 's/.* ms=\([0-9.]*\).*/\1/p' <<<"$out")" >>"$RAW"
		done
	done
fi

# ------------------------------------------------------------------ 3. RSS after RSS_READS reads
log "memory after $RSS_READS reads (pinned)"
for srv in c pp stap; do
	[ "$srv" = stap ] && [ "$WITH_STAP" = 0 ] && continue
	[ "$srv" = pp ] && [ "$WITH_PP" = 0 ] && continue
	if [ "$srv" = stap ]; then start_stap pinned || continue
	else start_server "$srv" pinned || continue; fi
	idle=$(status_kb "$SRV_PID" VmRSS)
	(trap '' PIPE; timeout "$CLIENT_TIMEOUT" "${PRIO[@]}" taskset -c "$PIN_CPU" "$B/client" -p "$SRV_DIR/r" -m read \
		-n "$RSS_READS" -w 0 -e 'abc\n' -l rss >"$WORK/rss-client.txt" 2>&1) || true
	rss=$(status_kb "$SRV_PID" VmRSS); hwm=$(status_kb "$SRV_PID" VmHWM)
	thr=$(nthreads "$SRV_PID")
	errs=$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' "$WORK/rss-client.txt" || true)
	if [ "$srv" = stap ]; then stop_stap; else stop_server; fi
	echo "RSS srv=$srv idle_kb=$idle rss_kb=$rss hwm_kb=$hwm threads=$thr reads=$RSS_READS errors=${errs:-?} $STOP_INFO" >>"$RAW"
done
T_END=$(date +%s)
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ 4. report
PP_SIZE=0; [ -n "$PP" ] && PP_SIZE=$(stat -c %s "$PP")
C_SIZE=$(stat -c %s "$B/ll_server")
mkdir -p "$RESULTS_DIR"
SUFFIX=""; [ "$SMOKE" = 1 ] && SUFFIX="-smoke"
OUT_MD=$RESULTS_DIR/$STAMP$SUFFIX.md
OUT_RAW=$RESULTS_DIR/$STAMP$SUFFIX.raw.txt
{
	echo "## procprobe end-to-end benchmark, $STAMP${SUFFIX:+ (smoke run)}"
	echo
	echo "- machine: $ENVTXT"
	if [ -n "$PP" ]; then
		if [ -n "$PP_BUILT" ]; then echo "- procprobe: built by e2e.sh from $GIT_REV, $PP_SIZE bytes"
		else echo "- procprobe: \`$PP\` ($GIT_REV), $PP_SIZE bytes"; fi
	else echo "- procprobe: not tested (--no-procprobe)"; fi
	load_lines "other processes competed for the CPUs (even at nice -20 they preempt the pinned pair), so ops/s, p99 and the exec → readable times are disturbed; the server CPU µs/op column is the comparison that holds up under load."
	echo "- parameters: RUNS=$RUNS (medians shown), N_OPS=$N_OPS per client thread (+$WARMUP warm-up), STREAM_MB=$STREAM_MB per thread (one op = one 4 KiB write), pinned = server and client \`taskset -c $PIN_CPU\`; servers and clients run ${PRIO[*]:-at normal priority}"
	echo "- servers: C = \`ll_server -f -s\` (libfuse3 LL API, single-threaded); pp = procprobe and stap = stapbpf-peer (FIFOs), both with the script \`$SCRIPT_END\`; procprobe stream rows with \`${PP_STREAM_DEFS[*]}\`"
	echo
	awk -v with_stap="$WITH_STAP" -v pp_size="$PP_SIZE" -v c_size="$C_SIZE" -v rss_reads="$RSS_READS" \
		-v lat_runs="$LAT_RUNS" -f "$HERE/e2e/common.awk" -f "$HERE/e2e/report.awk" "$RAW"
	problems_section
} >"$OUT_MD"
publish_report

if [ "$SMOKE" = 1 ]; then
	fail=0
	grep -E '^ROW .*srv=(c|pp) ' "$RAW" | grep -qv ' errors=0 ' && { echo "e2e.sh --smoke: client errors against C or procprobe" >&2; fail=1; }
	grep -q '^PROBLEM' "$RAW" && { echo "e2e.sh --smoke: problem(s), see above" >&2; fail=1; }
	exit "$fail"
fi
