#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# API throughput benchmark: gridd's authenticated GET /api/v1/user against nginx serving
# the same JSON bytes from a file. See bench/README.md.
#
#   bench/api/run.sh [BUILD_DIR]        (default: build; `make bench` passes $(BUILD_DIR))
#
# Environment: DURATION (seconds per measurement, default 10), WARMUP (seconds, default 2),
# CONNECTIONS (default 64), THREADS (wrk threads, default 2), GRIDD_CONFIG (a YAML file
# passed to gridd as --config), KEEP_TMP=1 (keep the temporary directory for inspection).
#
# Exits 0 whenever the benchmark ran, target met or not; non-zero only when something
# failed to run (missing tool, a server that did not start or died, wrk failing).
set -eu

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
KEEP_TMP=${KEEP_TMP:-0}
# Targets from the issue.
TARGET_RATIO=0.5
TARGET_P99_MS=20

NGINX=${NGINX:-/usr/sbin/nginx}
API_PATH=/api/v1/user

# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"
show_log_lines=20
show_log_basename=1

# --- inputs ---------------------------------------------------------------------------

find_build_dir "${1:-}"
GRIDD="$build_dir/bin/gridd"
need_binary "$GRIDD"

need_tools wrk curl awk sed ps od cmp
[ -x "$NGINX" ] || die "nginx not found at $NGINX (apt-get install nginx-light)"
[ -z "${GRIDD_CONFIG:-}" ] || [ -r "$GRIDD_CONFIG" ] || die "cannot read GRIDD_CONFIG=$GRIDD_CONFIG"
whole_numbers "DURATION, WARMUP, CONNECTIONS and THREADS" "$DURATION" "$WARMUP" "$CONNECTIONS" "$THREADS"

# --- temp dir and cleanup -------------------------------------------------------------

gridd_pid=""
nginx_pid=""
# shellcheck disable=SC2317 # reached through the EXIT trap
stop_processes() {
    stop "$nginx_pid" QUIT
    stop "$gridd_pid" TERM
}
make_tmp opengrid-bench
on_exit_cleanup

# --- gridd ----------------------------------------------------------------------------

mkdir -p "$tmp/data"
set --
[ -z "${GRIDD_CONFIG:-}" ] || set -- --config "$GRIDD_CONFIG"
start_gridd "$tmp/data" "$tmp/gridd.log" "$@"
gridd_url=$url
read_api_key
auth_header="Authorization: Bearer $api_key"

# The real response, once; nginx serves exactly these bytes.
mkdir -p "$tmp/www${API_PATH%/*}"
body="$tmp/www$API_PATH"
if ! curl -sS -f --max-time 10 -H "$auth_header" -o "$body" "$gridd_url$API_PATH" 2>"$tmp/curl.err"; then
    redact <"$tmp/curl.err" >&2
    show_log "$tmp/gridd.log"
    die "GET $API_PATH on gridd failed"
fi
[ -s "$body" ] || die "gridd returned an empty body for $API_PATH"

# --- nginx ----------------------------------------------------------------------------

mkdir -p "$tmp/nginx-temp"
nginx_build=$("$NGINX" -V 2>&1)
sed_escape() {
    printf '%s\n' "$1" | sed 's/[\\|&]/\\&/g'
}
# A temp-path directive for each module this nginx was built with.
temp_path() {
    case $nginx_build in
    *"--without-http_$1_module"*) echo "# $1 module not built in" ;;
    *) echo "$1_temp_path $tmp/nginx-temp/$1;" ;;
    esac
}
if [ "$(id -u)" -eq 0 ]; then
    # As root the workers would otherwise run as nobody and could not read $tmp (0700).
    user_directive="user $(id -un) $(id -gn);"
else
    user_directive="# running unprivileged: workers keep the current user"
fi

nginx_port=""
attempt=0
while [ -z "$nginx_port" ]; do
    attempt=$((attempt + 1))
    [ $attempt -le 10 ] || { show_log "$tmp/nginx-error.log"; die "nginx did not start (10 ports tried)"; }
    port=$(od -An -N2 -tu2 /dev/urandom | awk '{ print 20000 + $1 % 40000 }')
    # Skip ports something already answers on.
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" 2>/dev/null; then
        continue
    fi
    sed -e "s|@PREFIX@|$(sed_escape "$tmp")|g" \
        -e "s|@PORT@|$port|g" \
        -e "s|@USER_DIRECTIVE@|$(sed_escape "$user_directive")|g" \
        -e "s|@PROXY_TEMP@|$(sed_escape "$(temp_path proxy)")|g" \
        -e "s|@FASTCGI_TEMP@|$(sed_escape "$(temp_path fastcgi)")|g" \
        -e "s|@UWSGI_TEMP@|$(sed_escape "$(temp_path uwsgi)")|g" \
        -e "s|@SCGI_TEMP@|$(sed_escape "$(temp_path scgi)")|g" \
        "$script_dir/nginx.conf.in" >"$tmp/nginx.conf"
    : >"$tmp/nginx-error.log"
    "$NGINX" -p "$tmp/" -c "$tmp/nginx.conf" -e "$tmp/nginx-error.log" -g 'daemon off;' \
        >"$tmp/nginx-stdout.log" 2>&1 &
    nginx_pid=$!
    i=0
    while :; do
        if ! alive "$nginx_pid"; then
            wait "$nginx_pid" 2>/dev/null || true
            nginx_pid=""
            grep -qs 'Address already in use' "$tmp/nginx-error.log" "$tmp/nginx-stdout.log" && break
            show_log "$tmp/nginx-stdout.log"
            show_log "$tmp/nginx-error.log"
            die "nginx exited at start (config: $tmp/nginx.conf; rerun with KEEP_TMP=1 to inspect)"
        fi
        if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port$API_PATH" 2>/dev/null; then
            nginx_port=$port
            break
        fi
        [ $i -lt 100 ] || { show_log "$tmp/nginx-error.log"; die "nginx did not answer within 10 s"; }
        sleep 0.1
        i=$((i + 1))
    done
done
nginx_url="http://127.0.0.1:$nginx_port"

# Both sides must return the same bytes, or the comparison means nothing.
curl -sS -f --max-time 10 -o "$tmp/nginx-body" "$nginx_url$API_PATH" || die "GET $API_PATH on nginx failed"
cmp -s "$body" "$tmp/nginx-body" || die "nginx does not return the bytes gridd returned"

# --- measurements ---------------------------------------------------------------------

# run_wrk NAME URL SECONDS: wrk with the same request to either server. nginx ignores
# the Authorization header; sending it keeps the requests byte-identical.
run_wrk() {
    if ! wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3"s --latency -H "$auth_header" "$2$API_PATH" \
        >"$tmp/wrk-$1.txt" 2>&1; then
        redact <"$tmp/wrk-$1.txt" >&2
        die "wrk against $1 failed"
    fi
}

# Converts wrk's 1.23us / 4.56ms / 7.89s / 1.00m to milliseconds.
to_ms() {
    echo "$1" | awk '{
        v = $1
        if (v ~ /us$/)      { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /m$/)  { sub(/m$/, "", v);  printf "%.3f", v * 60000 }
        else if (v ~ /h$/)  { sub(/h$/, "", v);  printf "%.3f", v * 3600000 }
        else if (v ~ /s$/)  { sub(/s$/, "", v);  printf "%.3f", v * 1000 }
        else                { printf "nan" }
    }'
}

# parse NAME: reads wrk's output for NAME into rps, p99 (ms), bad (non-2xx/3xx responses),
# sockerr (socket errors of any kind) and total (requests completed).
parse() {
    _f="$tmp/wrk-$1.txt"
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$_f")
    p99=$(awk '$1 == "99%" { print $2 }' "$_f")
    if [ -z "$rps" ] || [ -z "$p99" ]; then
        redact <"$_f" >&2
        die "could not read wrk's output for $1"
    fi
    p99=$(to_ms "$p99")
    bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$_f")
    bad=${bad:-0}
    sockerr=$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$_f")
    sockerr=${sockerr:-0}
    total=$(awk '/ requests in / { print $1 }' "$_f")
}

echo "bench/api: GET $API_PATH, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency, $(nproc 2>/dev/null || echo '?') CPUs"
echo "  gridd: $GRIDD ($("$GRIDD" --version 2>/dev/null | head -n 1)) at $gridd_url"
echo "  nginx: $("$NGINX" -v 2>&1 | sed 's/^nginx version: //') at $nginx_url, worker_processes auto"
echo "  body:  $(wc -c <"$body" | tr -d ' ') bytes of JSON, identical on both"
echo

if [ "$WARMUP" -gt 0 ]; then
    echo "warming up (${WARMUP}s each)..."
    run_wrk gridd "$gridd_url" "$WARMUP"
    run_wrk nginx "$nginx_url" "$WARMUP"
fi

measure() {
    echo "measuring $1 (${DURATION}s)..."
    run_wrk "$1" "$2" "$DURATION"
    echo "--- wrk output for $1 ---"
    sed 's/^/  /' "$tmp/wrk-$1.txt" | redact
}
measure gridd "$gridd_url"
measure nginx "$nginx_url"

alive "$gridd_pid" || { show_log "$tmp/gridd.log"; die "gridd died during the benchmark"; }
alive "$nginx_pid" || { show_log "$tmp/nginx-error.log"; die "nginx died during the benchmark"; }

parse gridd
rps_gridd=$rps p99_gridd=$p99 bad_gridd=$bad sockerr_gridd=$sockerr total_gridd=$total
parse nginx
rps_nginx=$rps p99_nginx=$p99 bad_nginx=$bad sockerr_nginx=$sockerr total_nginx=$total

# --- report ---------------------------------------------------------------------------

echo
printf '%-8s %14s %12s %12s %10s %14s\n' server requests/s "p99 (ms)" requests non-2xx "socket errors"
printf '%-8s %14s %12s %12s %10s %14s\n' gridd "$rps_gridd" "$p99_gridd" "$total_gridd" "$bad_gridd" "$sockerr_gridd"
printf '%-8s %14s %12s %12s %10s %14s\n' nginx "$rps_nginx" "$p99_nginx" "$total_nginx" "$bad_nginx" "$sockerr_nginx"
echo

ratio=$(awk -v a="$rps_gridd" -v b="$rps_nginx" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "nan" }')
ratio_ok=$(awk -v r="$ratio" -v t="$TARGET_RATIO" 'BEGIN { print (r != "nan" && r + 0 >= t) ? "yes" : "no" }')
p99_ok=$(awk -v p="$p99_gridd" -v t="$TARGET_P99_MS" 'BEGIN { print (p + 0 <= t) ? "yes" : "no" }')
verdict() { [ "$1" = yes ] && echo met || echo MISSED; }

echo "ratio gridd/nginx requests/s: ${ratio}x   (target >= ${TARGET_RATIO}x: $(verdict "$ratio_ok"))"
echo "gridd p99 latency:            ${p99_gridd} ms (target <= ${TARGET_P99_MS} ms: $(verdict "$p99_ok"))"

errors=no
if [ "$bad_gridd" != 0 ] || [ "$sockerr_gridd" != 0 ]; then
    errors=yes
    echo
    echo "WARNING: gridd answered $bad_gridd of $total_gridd requests with a non-2xx/3xx status and had" \
        "$sockerr_gridd socket errors; its requests/s counts failures too, so the figures above" \
        "overstate it."
    echo "  $(grep 'Socket errors' "$tmp/wrk-gridd.txt" | sed 's/^ *//')"
fi
if [ "$bad_nginx" != 0 ] || [ "$sockerr_nginx" != 0 ]; then
    echo
    echo "WARNING: nginx had $bad_nginx non-2xx/3xx responses and $sockerr_nginx socket errors;" \
        "the reference figures are suspect."
fi

echo
if [ "$ratio_ok" = yes ] && [ "$p99_ok" = yes ] && [ "$errors" = no ]; then
    echo "RESULT: target met"
else
    echo "RESULT: target missed"
fi
exit 0
