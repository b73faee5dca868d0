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

script_dir=$(cd "$(dirname "$0")" && pwd)
repo_root=$(cd "$script_dir/../.." && pwd)

die() {
    echo "bench/metrics: error: $*" >&2
    exit 1
}
redact() {
    sed 's/grid_[A-Za-z0-9_-]*/grid_<redacted>/g'
}

# --- inputs ---------------------------------------------------------------------------

build_dir=${1:-build}
case $build_dir in
/*) ;;
*) [ -d "$build_dir" ] || build_dir="$repo_root/$build_dir" ;;
esac
build_dir=$(cd "$build_dir" 2>/dev/null && pwd) || die "no build directory ${1:-build}"
GRIDD="$build_dir/bin/gridd"
BENCH="$build_dir/bin/metrics_bench"
DECIMATE="$build_dir/bin/decimate_bench"
for b in "$GRIDD" "$BENCH" "$DECIMATE"; do
    [ -x "$b" ] || die "no $(basename "$b") binary at $b (build first: cmake --build $build_dir)"
done
for tool in curl awk sed ps date bwrap; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (./scripts/install-deps.sh)"
done
[ -x /usr/bin/python3 ] || die "the experiments run /usr/bin/python3, which is missing"
if [ "$PERF" = 1 ]; then
    command -v perf >/dev/null 2>&1 || die "PERF=1 needs perf (apt-get install linux-perf)"
fi
for n in "$WRITE_SECONDS" "$MAX_WALL" "$PERF_HZ" "${EXPERIMENTS:-1}" "${GRIDD_MAX_RSS_MB:-1}"; do
    case $n in '' | *[!0-9]*) die "EXPERIMENTS, WRITE_SECONDS, MAX_WALL, PERF_HZ and GRIDD_MAX_RSS_MB must be whole numbers" ;; esac
done
if [ -z "${GRIDD_MAX_RSS_MB:-}" ]; then
    avail_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
    GRIDD_MAX_RSS_MB=$((avail_kb / 2048))
    [ "$GRIDD_MAX_RSS_MB" -le 8192 ] || GRIDD_MAX_RSS_MB=8192
fi

# --- temp dir and cleanup -------------------------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/opengrid-bench-metrics.XXXXXX")
chmod 700 "$tmp"
data="$tmp/data"
gridd_pid=""
watch_pid=""
perf_pid=""

alive() {
    _s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    case $_s in Z*) return 1 ;; esac
    return 0
}

# stop PID SIGNAL: signal a child, give it 10 s, then SIGKILL; reap it.
# shellcheck disable=SC2317
stop() {
    [ -n "$1" ] || return 0
    kill "-$2" "$1" 2>/dev/null || true
    _i=0
    while alive "$1" && [ "$_i" -lt 100 ]; do
        sleep 0.1
        _i=$((_i + 1))
    done
    if alive "$1"; then
        echo "bench/metrics: pid $1 ignored SIG$2 for 10 s, killing it" >&2
        kill -KILL "$1" 2>/dev/null || true
    fi
    wait "$1" 2>/dev/null || true
}

# The `gridd supervise DIR` processes gridd started for experiments under $data (they are
# detached, so they outlive gridd). Each pid is checked against its command line.
# shellcheck disable=SC2317
supervisors() {
    ps -eo pid=,args= 2>/dev/null | awk -v d="$data/" '
        index($0, " supervise " d) && $2 ~ /gridd$/ { print $1 }'
}

# shellcheck disable=SC2317
cleanup() {
    _rc=$?
    trap - EXIT INT TERM
    [ -z "$perf_pid" ] || stop "$perf_pid" INT
    [ -z "$watch_pid" ] || { kill "$watch_pid" 2>/dev/null || true; wait "$watch_pid" 2>/dev/null || true; }
    stop "$gridd_pid" TERM
    for p in $(supervisors); do
        kill -TERM "$p" 2>/dev/null || true
    done
    sleep 0.5
    for p in $(supervisors); do
        echo "bench/metrics: supervisor $p still running, killing it" >&2
        kill -KILL "$p" 2>/dev/null || true
    done
    if [ "$KEEP_TMP" = 1 ]; then
        echo "bench/metrics: kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
    exit "$_rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_log() {
    if [ -s "$1" ]; then
        echo "--- last lines of $(basename "$1") ---" >&2
        tail -n 30 "$1" | redact >&2
    fi
}

json_string() {
    sed -n "s/.*\"$2\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$1" | head -n 1
}

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
"$GRIDD" --data-dir "$data" --listen 127.0.0.1:0 --config "$tmp/gridd.yaml" >"$tmp/gridd.log" 2>&1 &
gridd_pid=$!
i=0
url=""
while [ -z "$url" ]; do
    if ! alive "$gridd_pid"; then
        show_log "$tmp/gridd.log"
        die "gridd exited before it was listening"
    fi
    [ $i -lt 300 ] || { show_log "$tmp/gridd.log"; die "gridd wrote no endpoint.json within 30 s"; }
    if [ -s "$data/endpoint.json" ] && [ -s "$data/local-credentials.json" ]; then
        url=$(json_string "$data/endpoint.json" url)
    fi
    [ -n "$url" ] || sleep 0.1
    i=$((i + 1))
done
creds="$data/local-credentials.json"
api_key=$(json_string "$creds" APIKey)
[ -n "$api_key" ] || die "no APIKey in $creds"

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
        awk -v hz="$PERF_HZ" '/^ *[0-9.]+%/ { printf "    %-8s %7.1f s   %s%s\n", $1, $2 / hz, $3, ($3 == "gridd" ? "  (main thread: scheduler, metrics collector)" : ($3 ~ /^http/ ? "  (HTTP/WebSocket worker: REST, event streams)" : "")) }' |
        head -n 8 || true
    echo "by library (self time):"
    perf report -i "$tmp/perf.data" --no-children --stdio --sort dso -g none 2>/dev/null |
        awk '/^ *[0-9.]+%/ && $1 + 0 >= 0.5 { printf "    %-8s %s\n", $1, $2 }' | head -n 12 || true
    echo "gridd's own functions and the calls they make, inclusive (children) share of all samples, >= 2%:"
    perf report -i "$tmp/perf.data" --children --stdio --sort symbol -g none --percent-limit 2 2>/dev/null |
        awk '/^ *[0-9.]+%/ {
                 line = $0; sub(/^ *[0-9.]+% *[0-9.]+% *\[[.k]\] */, "", line); sub(/ +$/, "", line)
                 if (line ~ /og::|QSqlQuery::exec|sqlite3_step|QJsonDocument|QJsonArray::append|QCborValue|QWebSocket|malloc|free|QDirIterator|QFile::read/)
                     printf "    %-8s %s\n", $1, substr(line, 1, 110)
             }' | head -n 30 || true
fi

# --- decimation ------------------------------------------------------------------------------

echo
echo "--- decimate_bench (10,000,000 points -> 2,000 buckets, target <= 50 ms) ---"
"$DECIMATE" || echo "WARNING: decimate_bench exited $?"
exit 0
