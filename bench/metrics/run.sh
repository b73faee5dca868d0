#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Metric ingestion benchmark: a sweep of experiments that append JSON-lines metrics to
# $GRID_METRICS_FILE as fast as they can, with a WebSocket subscriber to the `metrics` topic;
# points/s written, stored and delivered against the target of 1,000,000 points/s. Then
# decimate_bench (10 M points to 2,000 buckets, target <= 50 ms). See bench/README.md.
#
#   bench/metrics/run.sh [BUILD_DIR]        (default: build)
#
# Environment: EXPERIMENTS (experiments in the sweep; default: as many as gridd runs at once
# on this machine — the issue asks for 64, see bench/README.md), WRITE_SECONDS (how long each
# writes, default 10), MAX_WALL (seconds after which the run is stopped, default 900),
# PERF=1 (profile gridd with `perf record --call-graph dwarf` at PERF_HZ samples/s, default 49,
# from the submission to the run's end), GRIDD_MAX_RSS_MB (gridd
# is killed when its resident memory passes this; default: half the available memory, at most
# 8192), KEEP_TMP=1 (keep the temporary directory: gridd's data and log, the profile).
#
# Exits 0 whenever the benchmark ran, targets met or not; non-zero only when something failed
# to run (a missing tool or binary, gridd not starting or dying, the bench client failing).
set -eu

WRITE_SECONDS=${WRITE_SECONDS:-10}
MAX_WALL=${MAX_WALL:-900}
PERF=${PERF:-0}
PERF_HZ=${PERF_HZ:-49}
KEEP_TMP=${KEEP_TMP:-0}
ISSUE_EXPERIMENTS=64
TYPE=bench-writer   # defined in the gridd config below: 1 CPU, 256 MiB
RUN_NAME=metrics-bench

# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"
show_log_basename=1

# --- inputs ---------------------------------------------------------------------------

find_build_dir_abs "${1:-}"
GRIDD="$build_dir/bin/gridd"
BENCH="$build_dir/bin/metrics_bench"
DECIMATE="$build_dir/bin/decimate_bench"
for b in "$GRIDD" "$BENCH" "$DECIMATE"; do
    need_binary "$b" "cmake --build $build_dir"
done
need_tools curl awk sed ps date bwrap
need_python3
if [ "$PERF" = 1 ]; then
    command -v perf >/dev/null 2>&1 || die "PERF=1 needs perf (apt-get install linux-perf)"
fi
whole_numbers "EXPERIMENTS, WRITE_SECONDS, MAX_WALL, PERF_HZ and GRIDD_MAX_RSS_MB" \
    "$WRITE_SECONDS" "$MAX_WALL" "$PERF_HZ" "${EXPERIMENTS:-1}" "${GRIDD_MAX_RSS_MB:-1}"
if [ -z "${GRIDD_MAX_RSS_MB:-}" ]; then
    avail_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
    GRIDD_MAX_RSS_MB=$((avail_kb / 2048))
    [ "$GRIDD_MAX_RSS_MB" -le 8192 ] || GRIDD_MAX_RSS_MB=8192
fi

# --- temp dir and cleanup -------------------------------------------------------------

gridd_pid=""
watch_pid=""
perf_pid=""
# shellcheck disable=SC2317 # reached through the EXIT trap
stop_processes() {
    [ -z "$perf_pid" ] || stop "$perf_pid" INT
    [ -z "$watch_pid" ] || { kill "$watch_pid" 2>/dev/null || true; wait "$watch_pid" 2>/dev/null || true; }
    stop_gridd_all "$data"
}
make_tmp opengrid-bench-metrics
data="$tmp/data"
on_exit_cleanup

# --- the experiment script --------------------------------------------------------------

mkdir -p "$tmp/code" "$data"
# Appends {"step": i, "a": x, "b": y, "c": z} lines (3 points each) to $GRID_METRICS_FILE as
# fast as one Python process can format them, 16,384 lines (about 1 MiB) per write(2),
# for --seconds seconds.
cat >"$tmp/code/writer.py" <<'EOF'
import os, sys, time
args = sys.argv[1:]
seconds = float(args[args.index('--seconds') + 1])
CHUNK = 16384
fd = os.open(os.environ['GRID_METRICS_FILE'], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
step = 0
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    data = ''.join([f'{{"step": {s}, "a": {s * 0.5}, "b": {1.0 / (s + 1)}, "c": {s % 1000}}}\n'
                    for s in range(step, step + CHUNK)]).encode()
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    step += CHUNK
os.close(fd)
print(f'wrote {step} lines ({3 * step} points) in {seconds} s', flush=True)
EOF

# --- gridd --------------------------------------------------------------------------------

max_exp=${EXPERIMENTS:-$ISSUE_EXPERIMENTS}
[ "$max_exp" -ge 1 ] || die "EXPERIMENTS must be at least 1"
cat >"$tmp/gridd.yaml" <<EOF
runs:
  max_experiments: $max_exp
instance_types:
  - name: $TYPE
    cpus: 1
    memory: 256MiB
EOF
start_gridd "$data" "$tmp/gridd.log" --config "$tmp/gridd.yaml"
read_api_key

# How many experiments of $TYPE gridd runs at once: its scheduler gives each one its CPUs
# (at least 1) out of the machine's, and its memory out of the machine's.
curl -sS -f --max-time 10 -H "Authorization: Bearer $api_key" -o "$tmp/types.json" "$url/api/v1/instance-types" ||
    die "GET /api/v1/instance-types failed"
cluster_json() {
    /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["cluster"][sys.argv[2]])' "$tmp/types.json" "$1" 2>/dev/null
}
cluster_cpus=$(cluster_json cpus) || cluster_cpus=""
cluster_mem=$(cluster_json memory_bytes) || cluster_mem=""
if [ -z "$cluster_cpus" ] || [ -z "$cluster_mem" ]; then
    die "cannot read the cluster's CPUs and memory from GET /api/v1/instance-types"
fi
fit=$cluster_cpus
by_mem=$((cluster_mem / 268435456))
[ "$by_mem" -ge "$fit" ] || fit=$by_mem
EXPERIMENTS=${EXPERIMENTS:-$fit}

echo "bench/metrics: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  gridd: $GRIDD ($("$GRIDD" --version 2>/dev/null | head -n 1)) at $url, data in $data"
echo "  cluster: $cluster_cpus CPUs, $((cluster_mem / 1048576)) MiB; instance type $TYPE = 1 CPU, 256 MiB;" \
    "gridd runs at most $fit at once"
if [ "$EXPERIMENTS" -lt "$ISSUE_EXPERIMENTS" ] && [ "$fit" -lt "$ISSUE_EXPERIMENTS" ]; then
    echo "  NOTE: the issue asks for $ISSUE_EXPERIMENTS concurrent writers. gridd's scheduler gives every" \
        "experiment at least one whole CPU (an instance type needs cpus >= 1), so this machine runs only $fit at" \
        "once; measuring $EXPERIMENTS experiment(s) that all run at the same time (EXPERIMENTS=64 submits the" \
        "issue's sweep, $fit at a time)."
elif [ "$EXPERIMENTS" -gt "$fit" ]; then
    echo "  NOTE: $EXPERIMENTS experiments but only $fit run at once: they run in waves, and the rates are" \
        "over the whole run."
fi
echo "  each writes for ${WRITE_SECONDS} s; run stopped after ${MAX_WALL} s; gridd killed above ${GRIDD_MAX_RSS_MB} MiB resident"
echo

# A guard for the shared machine: gridd holds a whole backlog of points in memory at once.
(
    peak=0
    while alive "$gridd_pid"; do
        rss=$(ps -o rss= -p "$gridd_pid" 2>/dev/null | tr -d ' ')
        rss=${rss:-0}
        [ "$rss" -le "$peak" ] || { peak=$rss; echo "$peak" >"$tmp/gridd-peak-rss-kb"; }
        if [ $((rss / 1024)) -gt "$GRIDD_MAX_RSS_MB" ]; then
            echo "gridd resident memory $((rss / 1024)) MiB > GRIDD_MAX_RSS_MB=$GRIDD_MAX_RSS_MB: killed it" >"$tmp/killed"
            kill -KILL "$gridd_pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
) &
watch_pid=$!

if [ "$PERF" = 1 ]; then
    # DWARF call chains: gridd, Qt and SQLite are built without frame pointers.
    perf record --call-graph dwarf,8192 -F "$PERF_HZ" -p "$gridd_pid" -o "$tmp/perf.data" >"$tmp/perf-record.log" 2>&1 &
    perf_pid=$!
fi

# --- the run --------------------------------------------------------------------------------

bench_rc=0
: >"$tmp/bench.log"
(
    "$BENCH" --url "$url" --credentials "$creds" --code "$tmp/code" --data-dir "$data" \
        --experiments "$EXPERIMENTS" --seconds "$WRITE_SECONDS" --instance-type "$TYPE" \
        --max-wall "$MAX_WALL" --name "$RUN_NAME" 2>&1 | tee "$tmp/bench.log" | redact
) &
bench_job=$!
# The profile covers the run (submission to the run's end), not the counting afterwards.
while alive "$bench_job"; do
    if [ -n "$perf_pid" ] && grep -q '^counting stored points' "$tmp/bench.log"; then
        stop "$perf_pid" INT
        perf_pid=""
    fi
    sleep 0.2
done
wait "$bench_job" || true
grep -q '^METRICS_BENCH ' "$tmp/bench.log" || bench_rc=1

if [ -n "$perf_pid" ]; then
    stop "$perf_pid" INT
    perf_pid=""
fi
peak_kb=$(cat "$tmp/gridd-peak-rss-kb" 2>/dev/null || echo 0)
echo "gridd peak resident memory: $((peak_kb / 1024)) MiB (sampled every 0.2 s)"
if [ -s "$tmp/killed" ]; then
    echo "WARNING: $(cat "$tmp/killed")"
    show_log "$tmp/gridd.log"
elif ! alive "$gridd_pid"; then
    echo "WARNING: gridd died during the benchmark"
    show_log "$tmp/gridd.log"
fi
if [ "$bench_rc" != 0 ]; then
    show_log "$tmp/gridd.log"
    die "metrics_bench did not finish (its output is above)"
fi

if [ "$PERF" = 1 ] && [ -s "$tmp/perf.data" ]; then
    echo
    echo "--- where gridd's time went (perf record --call-graph dwarf,8192 -F $PERF_HZ -p GRIDD) ---"
    echo "by thread (CPU seconds = samples / $PERF_HZ Hz, from the submission to the run's end):"
    perf report -i "$tmp/perf.data" --no-children --stdio --sort comm -g none -n 2>/dev/null |
        awk -v hz="$PERF_HZ" '/^ *[0-9.]+%/ { printf "    %-8s %7.1f s   %s%s\n", $1, $2 / hz, $3, ($3 == "gridd" ? "  (main thread: scheduler)" : ($3 ~ /^metrics/ ? "  (metrics ingestion: read, parse, store, publish)" : ($3 ~ /^http/ ? "  (HTTP/WebSocket worker: REST, event streams)" : ""))) }' |
        head -n 8 || true
    echo "by library (self time):"
    perf report -i "$tmp/perf.data" --no-children --stdio --sort dso -g none 2>/dev/null |
        awk '/^ *[0-9.]+%/ && $1 + 0 >= 0.5 { printf "    %-8s %s\n", $1, $2 }' | head -n 12 || true
    echo "gridd's own functions and the calls they make, inclusive (children) share of all samples, >= 2%:"
    perf report -i "$tmp/perf.data" --children --stdio --sort symbol -g none --percent-limit 2 2>/dev/null |
        awk '/^ *[0-9.]+%/ {
                 line = $0; sub(/^ *[0-9.]+% *[0-9.]+% *\[[.k]\] */, "", line); sub(/ +$/, "", line)
                 if (line ~ /og::|QSqlQuery::exec|sqlite3_step|QJsonDocument|QJsonArray::append|QCborValue|QWebSocket|malloc|free|QDirIterator|QFile::read|fdatasync|to_chars/)
                     printf "    %-8s %s\n", $1, substr(line, 1, 110)
             }' | head -n 30 || true
fi

# --- decimation ------------------------------------------------------------------------------

echo
echo "--- decimate_bench (10,000,000 points -> 2,000 buckets, target <= 50 ms) ---"
"$DECIMATE" || echo "WARNING: decimate_bench exited $?"
exit 0
