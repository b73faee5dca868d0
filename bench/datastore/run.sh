#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Datastore upload benchmark: `grid datastore create` against `rsync -a` into a local
# directory, on the same generated tree, in three scenarios: the first upload, a re-run
# with nothing changed, and a re-run after one small file changed. See bench/README.md.
#
#   bench/datastore/run.sh [BUILD_DIR]      (default: build)
#
# Environment: SMALL_FILES (default 10000, of 4 KiB each), LARGE_FILES (default 100, of
# 8 MiB each), RUNS (default 1: how often the three scenarios are repeated, each time with a
# fresh gridd and rsync destination; the table then shows medians), KEEP_TMP=1 (keep the
# temporary directory: logs, gridd's data, the tree).
#
# Exits 0 whenever the benchmark ran, targets met or not; non-zero only when something
# failed to run (a missing tool, gridd not starting, a command failing) or the results
# are wrong (versions or files that do not match what was uploaded).
set -eu

SMALL_FILES=${SMALL_FILES:-10000}
LARGE_FILES=${LARGE_FILES:-100}
RUNS=${RUNS:-1}
KEEP_TMP=${KEEP_TMP:-0}
SMALL_BYTES=4096
LARGE_BYTES=8388608
SMALL_PER_DIR=100
NAME=bench
# Targets from the issue: grid's time over rsync's, and an absolute cap for the no-op.
TARGET_FIRST=1.5
TARGET_UNCHANGED=2
TARGET_UNCHANGED_S=0.3
TARGET_CHANGED=2

# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"
show_log_lines=20

# --- inputs ---------------------------------------------------------------------------

find_build_dir_abs "${1:-}"
GRID="$build_dir/bin/grid"
need_binary "$GRID"
need_binary "$build_dir/bin/gridd"

command -v rsync >/dev/null 2>&1 || die "'rsync' is not installed (apt-get install rsync, or ./scripts/install-deps.sh)"
need_tools openssl split head awk sed date sync ps cmp find
whole_numbers "SMALL_FILES, LARGE_FILES and RUNS" "$SMALL_FILES" "$LARGE_FILES" "$RUNS"
[ "$RUNS" -ge 1 ] || die "RUNS must be at least 1"
[ "$SMALL_FILES" -ge 1 ] || die "SMALL_FILES must be at least 1 (one of them is changed)"
need_gnu_date

# --- temp dir, isolation and cleanup --------------------------------------------------

make_tmp opengrid-bench-ds
data="$tmp/data"
mkdir -p "$data" "$tmp/run1/home"

# Nothing of the user's own setup is read or written: the CLI's state (~/.grid: credentials,
# settings, hash cache) lives in TMP/runN/home, and the local platform it starts in
# TMP/runN/opengrid (set per run below).
HOME="$tmp/run1/home"
OPENGRID_DATA_DIR="$tmp/run1/opengrid"
export HOME OPENGRID_DATA_DIR
isolate_cli

# The gridd that `grid` started for TMP/opengrid (it detaches, so it is not our child), or
# nothing. Checks the command line so that a recycled pid is never signalled.
gridd_pid() {
    _ep="$OPENGRID_DATA_DIR/endpoint.json"
    [ -s "$_ep" ] || return 0
    _pid=$(sed -n 's/.*"pid"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$_ep" | head -n 1)
    [ -n "$_pid" ] || return 0
    case $(ps -o args= -p "$_pid" 2>/dev/null) in
    *gridd*"$OPENGRID_DATA_DIR"*) echo "$_pid" ;;
    esac
}

# Stops the gridd of the current OPENGRID_DATA_DIR, if it runs: SIGTERM, then SIGKILL after 10 s.
stop_gridd() {
    _pid=$(gridd_pid)
    [ -n "$_pid" ] || return 0
    kill -TERM "$_pid" 2>/dev/null || true
    _i=0
    while kill -0 "$_pid" 2>/dev/null && [ "$_i" -lt 100 ]; do
        sleep 0.1
        _i=$((_i + 1))
    done
    if kill -0 "$_pid" 2>/dev/null; then
        echo "bench/datastore: gridd (pid $_pid) ignored SIGTERM for 10 s, killing it" >&2
        kill -KILL "$_pid" 2>/dev/null || true
    fi
}

# shellcheck disable=SC2317 # reached through the EXIT trap
stop_processes() {
    stop_gridd
}
on_exit_cleanup

# --- the dataset ----------------------------------------------------------------------

# stream KEY IV: an endless, deterministic pseudo-random byte stream (AES-128-CTR over
# zeros), so the tree is byte-identical on every run and machine, and incompressible.
stream() {
    openssl enc -aes-128-ctr -nosalt -K "$1" -iv "$2" -in /dev/zero 2>/dev/null
}
key_small=00000000000000000000000000000001
key_large=00000000000000000000000000000002
key_change=00000000000000000000000000000003

echo "bench/datastore: generating $SMALL_FILES files of $SMALL_BYTES B and $LARGE_FILES of $LARGE_BYTES B in $data ..."
gen_start=$(now)
# Small files: SMALL_PER_DIR per directory, small/d000/f000 ...
d=0
left=$SMALL_FILES
while [ "$left" -gt 0 ]; do
    n=$SMALL_PER_DIR
    [ "$left" -ge "$n" ] || n=$left
    dir="$data/small/$(printf 'd%03d' "$d")"
    mkdir -p "$dir"
    stream "$key_small" "$(printf '%032x' "$d")" | head -c $((n * SMALL_BYTES)) |
        split -b "$SMALL_BYTES" -a 3 -d - "$dir/f"
    left=$((left - n))
    d=$((d + 1))
done
# Large files: large/big000.bin ...
if [ "$LARGE_FILES" -gt 0 ]; then
    mkdir -p "$data/large"
    stream "$key_large" 00000000000000000000000000000000 | head -c $((LARGE_FILES * LARGE_BYTES)) |
        split -b "$LARGE_BYTES" -a 3 -d --additional-suffix=.bin - "$data/large/big"
fi
total_files=$((SMALL_FILES + LARGE_FILES))
got=$(find "$data" -type f | wc -l | tr -d ' ')
[ "$got" -eq "$total_files" ] || die "generated $got files, expected $total_files"
total_bytes=$((SMALL_FILES * SMALL_BYTES + LARGE_FILES * LARGE_BYTES))
sync
gen_end=$(now)
tree_changed_at=$gen_end

# --- measurements ---------------------------------------------------------------------

# gridd's CPU time so far (clock ticks), or nothing.
gridd_cpu() {
    awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || true
}

# wait_gridd_idle: waits (at most 10 s) until the local gridd has used no CPU for 0.2 s.
# After a version succeeds gridd prepares the next version's tree in the background; it must
# not run during the next timed command, rsync's or grid's, so neither is slowed by it. (Run
# hourly from cron, it has long finished before the next upload.)
wait_gridd_idle() {
    _pid=$(gridd_pid)
    [ -n "$_pid" ] || return 0
    _before=$(gridd_cpu "$_pid")
    _i=0
    while [ "$_i" -lt 50 ]; do
        sleep 0.2
        _after=$(gridd_cpu "$_pid")
        [ "$_after" != "$_before" ] || return 0
        _before=$_after
        _i=$((_i + 1))
    done
}

# timed LOG CMD...: runs CMD with its output in LOG; sets `elapsed` (seconds). Dirty pages
# left by the previous command are written out first (untimed), so neither tool pays for
# the other's writeback, and gridd's background work is waited for; caches are not dropped.
timed() {
    _log=$1
    shift
    wait_gridd_idle
    sync
    _t0=$(now)
    if ! "$@" >"$_log" 2>&1; then
        show_log "$_log"
        show_log "$OPENGRID_DATA_DIR/gridd.log"
        die "failed: $*"
    fi
    _t1=$(now)
    elapsed=$(since "$_t0" "$_t1")
}

# grid_upload SCENARIO: sets grid_s. The command is timed until the version has succeeded;
# its upload log (on stderr, in the log) also says when the commit was accepted, which is
# where Grid's own CLI returned ("Please use `grid datastore` to check the status").
grid_upload() {
    QT_LOGGING_RULES="opengrid.core.datastore.upload.debug=true" \
        timed "$logs/grid-$1.log" "$GRID" datastore create --source "$data/" --name "$NAME"
    grid_s=$elapsed
    echo "  grid  $1: ${elapsed} s   $(grep -v '^opengrid\.' "$logs/grid-$1.log" | tail -n 1)"
    _committed=$(sed -n 's/.*upload: committed at \([0-9]*\) ms.*/\1/p' "$logs/grid-$1.log")
    wait_gridd_idle # gridd logs its line just after the version is visible as succeeded
    _optimized=$(grep -a 'succeeded:' "$OPENGRID_DATA_DIR/gridd.log" | tail -n 1 | sed -n 's/.*(\(.*\)).*/\1/p')
    [ -z "$_committed" ] || echo "        (committed ${_committed} ms into its work, where Grid's CLI returned; gridd: ${_optimized})"
}
# rsync_copy SCENARIO: sets rsync_s. rsync never syncs; grid's gridd does (syncfs before a
# version succeeds). For context the flush of what rsync wrote is timed too, but it is not
# part of rsync's figure.
rsync_copy() {
    timed "$logs/rsync-$1.log" rsync -a "$data/" "$dest/"
    rsync_s=$elapsed
    _t0=$(now)
    sync
    _t1=$(now)
    echo "  rsync $1: ${elapsed} s   (then 'sync' of its writes: $(since "$_t0" "$_t1") s, not counted)"
}

results="$tmp/results" # lines: RUN SCENARIO GRID_S RSYNC_S
: >"$results"
problems=""
problem() {
    problems="$problems
  - $*"
}

load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
echo "bench/datastore: $(nproc 2>/dev/null || echo '?') CPUs (load average $load); $total_files files, $total_bytes bytes" \
    "(generated in $(since "$gen_start" "$gen_end" 1) s)"
grid_version=$("$GRID" -o json version 2>/dev/null | sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
echo "  grid:  $GRID (v${grid_version:-?}), with its own local gridd"
echo "  rsync: $(command -v rsync) ($(rsync --version | head -n 1 | sed 's/  */ /g')), into a local directory"
echo "  order: in each scenario rsync first, then grid; 'sync' (untimed) before every command"

run=1
while [ "$run" -le "$RUNS" ]; do
    rdir="$tmp/run$run"
    logs="$rdir/logs"
    dest="$rdir/rsync-dest"
    mkdir -p "$rdir/home" "$logs"
    HOME="$rdir/home"
    OPENGRID_DATA_DIR="$rdir/opengrid"
    export HOME OPENGRID_DATA_DIR

    # Started once per run, untimed: gridd's start-up is not part of any measurement.
    if ! "$GRID" status >"$logs/status.log" 2>&1; then
        show_log "$logs/status.log"
        show_log "$OPENGRID_DATA_DIR/gridd.log"
        die "'grid status' failed: the local platform did not start"
    fi
    [ -n "$(gridd_pid)" ] || die "grid started no gridd in $OPENGRID_DATA_DIR (is a platform configured elsewhere?)"

    echo
    [ "$RUNS" -eq 1 ] || echo "=== run $run of $RUNS"
    echo "scenario 1: first upload (gridd pid $(gridd_pid), a fresh one)"
    rsync_copy first
    rsync_first=$rsync_s
    # The hash cache does not trust files changed within 2 s before it recorded them (racy
    # timestamps), so the tree must be older than that when grid first scans it, or the
    # unchanged re-run would re-hash some of it. rsync's run takes longer than that with
    # the default sizes; only a tiny tree needs the wait.
    wait_s=$(awk -v g="$tree_changed_at" -v n="$(now)" 'BEGIN { w = 3 - (n - g); if (w > 0) printf "%.2f", w; else print 0 }')
    [ "$wait_s" = 0 ] || sleep "$wait_s"
    grid_upload first
    echo "$run first $grid_s $rsync_first" >>"$results"

    echo "scenario 2: nothing changed"
    rsync_copy unchanged
    rsync_unchanged=$rsync_s
    grid_upload unchanged
    echo "$run unchanged $grid_s $rsync_unchanged" >>"$results"

    # One of the small files in the middle (another one in each run), same size, new bytes.
    i=$((SMALL_FILES / 2 + run - 1))
    i=$((i % SMALL_FILES))
    changed="small/$(printf 'd%03d/f%03d' $((i / SMALL_PER_DIR)) $((i % SMALL_PER_DIR)))"
    [ -f "$data/$changed" ] || die "no $data/$changed to change"
    echo "scenario 3: one small file changed ($changed, same size, new content)"
    stream "$key_change" "$(printf '%032x' "$run")" | head -c "$SMALL_BYTES" >"$data/$changed.new"
    mv "$data/$changed.new" "$data/$changed"
    tree_changed_at=$(now)
    rsync_copy changed
    rsync_changed=$rsync_s
    grid_upload changed
    echo "$run changed $grid_s $rsync_changed" >>"$results"

    # --- correctness of this run
    grep -q "unchanged" "$logs/grid-first.log" && problem "run $run: the first upload said 'unchanged'"
    grep -q "unchanged" "$logs/grid-unchanged.log" || problem "run $run: the unchanged re-run did not print 'unchanged'"
    grep -q "unchanged" "$logs/grid-changed.log" && problem "run $run: the re-run after a change said 'unchanged'"

    if ! "$GRID" datastore list -o json >"$logs/list.json" 2>"$logs/list.err"; then
        show_log "$logs/list.err"
        die "'grid datastore list -o json' failed"
    fi
    # One line per version of NAME: "VERSION STATUS FILE_COUNT SIZE_BYTES" (the JSON output
    # has one key per line).
    versions=$(awk -v want="$NAME" '
        /^[[:space:]]*\{/ { name = ""; version = ""; status = ""; files = ""; size = "" }
        /"name"[[:space:]]*:/ { v = $0; sub(/^[^:]*:[[:space:]]*"/, "", v); sub(/".*$/, "", v); name = v }
        /"version"[[:space:]]*:/ { v = $0; sub(/^[^:]*:[[:space:]]*/, "", v); sub(/[,[:space:]]*$/, "", v); version = v }
        /"status"[[:space:]]*:/ { v = $0; sub(/^[^:]*:[[:space:]]*"/, "", v); sub(/".*$/, "", v); status = v }
        /"file_count"[[:space:]]*:/ { v = $0; sub(/^[^:]*:[[:space:]]*/, "", v); sub(/[,[:space:]]*$/, "", v); files = v }
        /"size_bytes"[[:space:]]*:/ { v = $0; sub(/^[^:]*:[[:space:]]*/, "", v); sub(/[,[:space:]]*$/, "", v); size = v }
        /^[[:space:]]*\}/ { if (name == want) print version, status, files, size; name = "" }
    ' "$logs/list.json" | sort -n)
    expected_versions="1 succeeded $total_files $total_bytes
2 succeeded $total_files $total_bytes"
    if [ "$versions" != "$expected_versions" ]; then
        problem "run $run: grid datastore list shows, for '$NAME' (version status files bytes):
$(echo "${versions:-(none)}" | sed 's/^/      /')
    expected:
$(echo "$expected_versions" | sed 's/^/      /')"
    fi
    got=$(find "$dest" -type f | wc -l | tr -d ' ')
    [ "$got" -eq "$total_files" ] || problem "run $run: rsync's copy holds $got files, expected $total_files"
    cmp -s "$data/$changed" "$dest/$changed" || problem "run $run: rsync's copy of the changed file differs"

    wait_gridd_idle
    grep -a "tree prepared" "$OPENGRID_DATA_DIR/gridd.log" | sed 's/^.*opengrid\.server\.datastores: /  gridd, in the background: /'
    stop_gridd
    run=$((run + 1))
done

# --- report ---------------------------------------------------------------------------

# stats SCENARIO: "MEDIAN_GRID MEDIAN_RSYNC MEDIAN_RATIO" over the runs; the ratio is the
# median of each run's grid/rsync (the two tools of one run ran under the same conditions).
stats() {
    awk -v want="$1" '
        function median(a, n,    i, j, t) {
            for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        $2 == want { n++; g[n] = $3; r[n] = $4; q[n] = ($4 > 0) ? $3 / $4 : 1e9 }
        END { printf "%.3f %.3f %.2f\n", median(g, n), median(r, n), median(q, n) }
    ' "$results"
}

# row SCENARIO LABEL MAX_RATIO [MAX_SECONDS]
all_met=yes
row() {
    # shellcheck disable=SC2046 # three numbers
    set -- "$1" "$2" "$3" "${4:-}" $(stats "$1")
    _ok=$(awk -v g="$5" -v q="$7" -v t="$3" -v s="$4" 'BEGIN {
        ok = (q <= t)
        if (s != "" && g >= s + 0) ok = 0
        print ok ? "met" : "MISSED" }')
    [ "$_ok" = met ] || all_met=no
    _target="<= ${3}x"
    [ -z "$4" ] || _target="$_target, < ${4} s"
    printf '%-22s %10s %10s %8s   %-18s %s\n' "$2" "$5" "$6" "${7}x" "$_target" "$_ok"
}

echo
if [ "$RUNS" -gt 1 ]; then
    echo "all runs (seconds):"
    printf '  %-4s %-10s %9s %9s %7s\n' run scenario grid rsync ratio
    awk '{ printf "  %-4s %-10s %9s %9s %6.2fx\n", $1, $2, $3, $4, ($4 > 0) ? $3 / $4 : 0 }' "$results"
    echo
    echo "medians of $RUNS runs (ratio: the median of the runs' ratios):"
fi
printf '%-22s %10s %10s %8s   %-18s %s\n' scenario "grid (s)" "rsync (s)" ratio target result
row first "first upload" "$TARGET_FIRST"
row unchanged "unchanged re-run" "$TARGET_UNCHANGED" "$TARGET_UNCHANGED_S"
row changed "one small file changed" "$TARGET_CHANGED"
echo
echo "ratio: grid's seconds / rsync's seconds (lower is better)"

if [ -n "$problems" ]; then
    echo
    echo "CORRECTNESS FAILED:$problems"
    echo "(logs: rerun with KEEP_TMP=1 and see $tmp/run*/logs)"
    exit 1
fi
echo "correctness: in every run versions 1 and 2 of '$NAME' succeeded with $total_files files;" \
    "the unchanged re-run printed 'unchanged'; rsync's copy matches"
echo
if [ "$all_met" = yes ]; then
    echo "RESULT: all targets met"
else
    echo "RESULT: target missed"
fi
exit 0
