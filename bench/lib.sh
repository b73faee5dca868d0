# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=sh
# Shell helpers shared by the benchmark scripts (bench/*/run.sh). POSIX sh; sourced, not run:
#
#   . "$(dirname "$0")/../lib.sh"
#
# Sets script_dir (the calling script's directory), repo_root and bench_tag ("bench/NAME",
# the prefix of every message). Helpers' own variables start with an underscore.

script_dir=$(cd "$(dirname "$0")" && pwd)
repo_root=$(cd "$script_dir/../.." && pwd)
bench_tag="bench/$(basename "$script_dir")"

# show_log prints this many lines, and names the log by its file name (1) or its path (0).
show_log_lines=30
show_log_basename=0

# --- messages ---------------------------------------------------------------------------

# die MESSAGE: prints "bench/NAME: error: MESSAGE" to stderr and exits 1.
die() {
    echo "$bench_tag: error: $*" >&2
    exit 1
}

# redact: a filter that never lets an API key reach the terminal, whatever a log contains.
redact() {
    sed 's/grid_[A-Za-z0-9_-]*/grid_<redacted>/g'
}

# show_log FILE: the last lines of a log (if it is not empty) to stderr, redacted.
show_log() {
    if [ -s "$1" ]; then
        if [ "$show_log_basename" = 1 ]; then
            echo "--- last lines of $(basename "$1") ---" >&2
        else
            echo "--- last lines of $1 ---" >&2
        fi
        tail -n "$show_log_lines" "$1" | redact >&2
    fi
}

# --- inputs -----------------------------------------------------------------------------

# find_build_dir ARG: sets build_dir from the script's BUILD_DIR argument (default: build);
# a relative path that is no directory here is taken relative to the repository root.
find_build_dir() {
    build_dir=${1:-build}
    case $build_dir in
    /*) ;;
    *) [ -d "$build_dir" ] || build_dir="$repo_root/$build_dir" ;;
    esac
}

# find_build_dir_abs ARG: find_build_dir, then made absolute; dies if it does not exist.
find_build_dir_abs() {
    find_build_dir "$1"
    build_dir=$(cd "$build_dir" 2>/dev/null && pwd) || die "no build directory ${1:-build}"
}

# need_binary PATH [HOW TO BUILD]: dies unless PATH is an executable.
need_binary() {
    [ -x "$1" ] || die "no $(basename "$1") binary at $1 (build first: ${2:-make build})"
}

# need_tools TOOL...: dies naming the first TOOL not on PATH.
need_tools() {
    for _tool in "$@"; do
        command -v "$_tool" >/dev/null 2>&1 || die "'$_tool' is not installed (./scripts/install-deps.sh)"
    done
}

# need_python3: experiments run /usr/bin/python3; dies without it.
need_python3() {
    [ -x /usr/bin/python3 ] || die "the experiments run /usr/bin/python3, which is missing"
}

# need_gnu_date: the timing helpers need nanoseconds from `date +%N`.
need_gnu_date() {
    case $(date +%N) in '' | *[!0-9]*) die "'date +%N' gives no nanoseconds (GNU date needed)" ;; esac
}

# whole_numbers NAMES VALUE...: dies with "NAMES must be whole numbers" unless every VALUE is.
whole_numbers() {
    _names=$1
    shift
    for _n in "$@"; do
        case $_n in '' | *[!0-9]*) die "$_names must be whole numbers" ;; esac
    done
}

# isolate_cli: forgets every variable that would point the grid CLI at the user's own
# state or platform (the callers set HOME and OPENGRID_DATA_DIR into the temp dir).
isolate_cli() {
    unset GRID_DIR GRID_CREDENTIAL_PATH GRID_SETTINGS_PATH GRID_USER_ID GRID_API_KEY GRID_URL XDG_DATA_HOME
}

# --- temp dir and cleanup ---------------------------------------------------------------

# make_tmp NAME: sets tmp to a new private directory $TMPDIR/NAME.XXXXXX.
make_tmp() {
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    chmod 700 "$tmp"
}

# on_exit_cleanup: installs the traps. On exit (INT and TERM exit with 130 and 143) the
# script's own stop_processes runs, then tmp is removed (kept with KEEP_TMP=1), and the
# script exits with the status it had.
on_exit_cleanup() {
    trap _cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}
# shellcheck disable=SC2317 # reached through the EXIT trap
_cleanup() {
    _rc=$?
    trap - EXIT INT TERM
    stop_processes
    if [ "${KEEP_TMP:-0}" = 1 ]; then
        echo "$bench_tag: kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
    exit "$_rc"
}

# --- processes --------------------------------------------------------------------------

# alive PID: true while PID is a running (not zombie) process.
alive() {
    _s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    case $_s in Z*) return 1 ;; esac
    return 0
}

# stop PID SIGNAL: signal a child, give it 10 s, then SIGKILL; reap it. No-op for "".
# shellcheck disable=SC2317 # reached through the EXIT trap
stop() {
    [ -n "$1" ] || return 0
    kill "-$2" "$1" 2>/dev/null || true
    _i=0
    while alive "$1" && [ "$_i" -lt 100 ]; do
        sleep 0.1
        _i=$((_i + 1))
    done
    if alive "$1"; then
        echo "$bench_tag: pid $1 ignored SIG$2 for 10 s, killing it" >&2
        kill -KILL "$1" 2>/dev/null || true
    fi
    wait "$1" 2>/dev/null || true
}

# json_string FILE KEY: the string value of "KEY": "value" in a small JSON file.
json_string() {
    sed -n "s/.*\"$2\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$1" | head -n 1
}

# start_gridd DATA LOG [ARG...]: starts GRIDD (set by the caller) in the background with
# its own data directory DATA on a free local port, output in LOG, and waits (at most 30 s)
# until it wrote endpoint.json and local-credentials.json. Sets gridd_pid, url and creds
# (the credentials file); dies, showing LOG, if gridd exits first or takes too long.
start_gridd() {
    _data=$1
    _log=$2
    shift 2
    "$GRIDD" --data-dir "$_data" --listen 127.0.0.1:0 "$@" >"$_log" 2>&1 &
    gridd_pid=$!
    creds="$_data/local-credentials.json"
    _i=0
    url=""
    while [ -z "$url" ]; do
        if ! alive "$gridd_pid"; then
            show_log "$_log"
            die "gridd exited before it was listening"
        fi
        [ $_i -lt 300 ] || { show_log "$_log"; die "gridd wrote no endpoint.json within 30 s"; }
        if [ -s "$_data/endpoint.json" ] && [ -s "$creds" ]; then
            url=$(json_string "$_data/endpoint.json" url)
        fi
        [ -n "$url" ] || sleep 0.1
        _i=$((_i + 1))
    done
}

# read_api_key: sets api_key from the credentials file start_gridd found; dies without one.
read_api_key() {
    api_key=$(json_string "$creds" APIKey)
    [ -n "$api_key" ] || die "no APIKey in $creds"
}

# supervisors DIR: the `gridd supervise DIR/...` processes gridd started for experiments
# under DIR (they are detached, so they outlive gridd); each pid is checked against its
# command line, so nothing else is ever matched.
# shellcheck disable=SC2317 # reached through the EXIT trap
supervisors() {
    ps -eo pid=,args= 2>/dev/null | awk -v d="$1/" 'index($0, " supervise " d) && $2 ~ /gridd$/ { print $1 }'
}

# stop_gridd_all DIR: stops the gridd of start_gridd (SIGTERM, SIGKILL after 10 s), then
# every experiment supervisor it left under DIR (SIGTERM, SIGKILL after 1 s).
# shellcheck disable=SC2317 # reached through the EXIT trap
stop_gridd_all() {
    stop "${gridd_pid:-}" TERM
    gridd_pid=""
    _left=$(supervisors "$1")
    [ -z "$_left" ] || {
        # shellcheck disable=SC2086 # a list of pids
        kill -TERM $_left 2>/dev/null || true
        sleep 1
    }
    for _p in $(supervisors "$1"); do
        echo "$bench_tag: experiment supervisor $_p still running, killing it" >&2
        kill -KILL "$_p" 2>/dev/null || true
    done
}

# --- timing and reporting ---------------------------------------------------------------

# now: the time in seconds, with nanoseconds (GNU date).
now() {
    date +%s.%N
}

# since T0 T1 [DECIMALS]: T1 - T0 in seconds, with DECIMALS (default 3) places.
since() {
    awk -v a="$1" -v b="$2" -v d="${3:-3}" 'BEGIN { printf "%." d "f", b - a }'
}
