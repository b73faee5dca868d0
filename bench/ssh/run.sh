#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/ssh: SSH to a session as `grid session ssh` sets it up (the direct opengrid-ssh
# upgrade: ssh's own TCP connection handed to the session's sshd; WEBSOCKET=1: through gridd's
# WebSocket tunnel instead) next to plain ssh to a local sshd (whose login, like the session's,
# starts in an empty home), in one run: connection set-up, throughput of a 256 MiB cat to
# /dev/null, and the round trip of 1,000 one-byte echoes.
# Target (issue 6): within 1.3x of plain OpenSSH on each. Usage: bench/ssh/run.sh [BUILD_DIR].
# Settings: CONNECTS (10), MIB (256), ECHOES (1000), ROUNDS (5), KEEP_TMP (0), WEBSOCKET (0).
# The two sides take turns, ROUNDS times for throughput and echoes, and each figure is the
# median of its rounds: on a shared machine one run of each side mostly measures what else ran
# at that moment.
set -eu
. "$(dirname "$0")/../lib.sh"

find_build_dir_abs "${1:-}"
GRIDD="$build_dir/bin/gridd"
GRID="$build_dir/bin/grid"
need_binary "$GRIDD"
need_binary "$GRID"
need_tools ssh ssh-keygen python3 bwrap
[ -x /usr/sbin/sshd ] || die "/usr/sbin/sshd is missing (openssh-server; scripts/install-deps.sh installs it)"
need_gnu_date
CONNECTS=${CONNECTS:-10}
MIB=${MIB:-256}
ECHOES=${ECHOES:-1000}
ROUNDS=${ROUNDS:-5}
whole_numbers "CONNECTS, MIB, ECHOES and ROUNDS" "$CONNECTS" "$MIB" "$ECHOES" "$ROUNDS"

make_tmp bench-ssh
sshd_pid=""
home_sshd_pid=""
inetd_pid=""
stop_processes() {
    stop "$sshd_pid" TERM
    stop "$home_sshd_pid" TERM
    stop "$inetd_pid" TERM
    stop_gridd_all "$tmp/data"
}
on_exit_cleanup

# The CLI and ssh only ever see the temp dir.
export HOME="$tmp/home" OPENGRID_DATA_DIR="$tmp/cli-platform" GRID_SSH_CONFIG="$tmp/home/.ssh/config"
isolate_cli
mkdir -p "$HOME/.ssh"
ssh-keygen -q -t ed25519 -N "" -f "$HOME/.ssh/id_bench"

start_gridd "$tmp/data" "$tmp/gridd.log"
read_api_key
export GRID_URL="$url" GRID_USER_ID="$(json_string "$creds" UserID)" GRID_API_KEY="$api_key"
"$GRID" ssh-keys add bench "$HOME/.ssh/id_bench" >/dev/null
"$GRID" session create --name bench --instance_type cpu-1 >/dev/null
i=0
until "$GRID" -o json session list | grep -q '"status": *"running"'; do
    [ $i -lt 300 ] || { show_log "$tmp/gridd.log"; die "the session did not start within 30 s"; }
    sleep 0.1
    i=$((i + 1))
done
"$GRID" session ssh bench -- -o BatchMode=yes true || die "ssh through the tunnel failed"
# WEBSOCKET=1: the tunnel side through gridd's WebSocket (the path of TLS and of older gridds)
# instead of the direct opengrid-ssh upgrade.
if [ "${WEBSOCKET:-0}" = 1 ]; then
    sed -i 's/session proxy --fdpass %n/session proxy --fdpass --websocket %n/' "$GRID_SSH_CONFIG"
    grep -q -- '--websocket' "$GRID_SSH_CONFIG" || die "cannot switch the managed ssh config to --websocket"
fi

# The reference: the same OpenSSH on the same machine, straight to an sshd on a free port.
# Both ends must run the same login: the session's login starts in its own home, empty here,
# so the reference sshd runs with an empty directory over the login's home as well (bwrap, as
# the session does). Otherwise the reference pays for this machine's ~/.bashrc (sshd's `bash
# -c` reads it; pyenv's init alone forks ~100 processes) and the echo measures where that
# start-up leaves `cat` on the CPUs: see bench/README.md.
login_home=$(getent passwd "$(id -un)" | cut -d: -f6)
[ -d "$login_home" ] || die "cannot find the home of $(id -un) (getent passwd)"
mkdir "$tmp/login-home"
in_empty_home() {
    bwrap --die-with-parent --new-session --dev-bind / / --bind "$tmp/login-home" "$login_home" "$@"
}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ssh-keygen -q -t ed25519 -N "" -f "$tmp/host_key"
cp "$HOME/.ssh/id_bench.pub" "$tmp/authorized_keys"
cat >"$tmp/sshd_config" <<CFG
ListenAddress 127.0.0.1:$port
HostKey $tmp/host_key
AuthorizedKeysFile $tmp/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile none
CFG
mkdir -p /run/sshd 2>/dev/null || true
in_empty_home /usr/sbin/sshd -D -e -f "$tmp/sshd_config" 2>"$tmp/sshd.log" &
sshd_pid=$!
# For information: the same sshd with the login's own home, as the bench ran before.
home_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed "s/^ListenAddress .*/ListenAddress 127.0.0.1:$home_port/" "$tmp/sshd_config" >"$tmp/sshd_config_home"
/usr/sbin/sshd -D -e -f "$tmp/sshd_config_home" 2>"$tmp/sshd-home.log" &
home_sshd_pid=$!
# A second reference for the echo: the same sshd in inetd mode (`sshd -i` per connection, as a
# session runs it), started by a minimal launcher in its own session and empty home as the
# session's agent is, so the tunnel's own cost is told apart from the cost of sshd's inetd mode.
grep -v '^ListenAddress' "$tmp/sshd_config" >"$tmp/sshd_config_inetd"
inetd_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
in_empty_home python3 - "$inetd_port" "$tmp/sshd_config_inetd" "$tmp/sshd-inetd.log" <<'PY' &
import socket, subprocess, sys
listener = socket.create_server(("127.0.0.1", int(sys.argv[1])))
log = open(sys.argv[3], "a")
while True:
    conn, _ = listener.accept()
    subprocess.Popen(["/usr/sbin/sshd", "-i", "-e", "-f", sys.argv[2]], stdin=conn, stdout=conn, stderr=log)
    conn.close()
PY
inetd_pid=$!
cat >>"$GRID_SSH_CONFIG" <<CFG
Host direct
    HostName 127.0.0.1
    Port $port
    IdentityFile $HOME/.ssh/id_bench
    UserKnownHostsFile $tmp/direct_known_hosts
    StrictHostKeyChecking accept-new
Host inetd
    HostName 127.0.0.1
    Port $inetd_port
    IdentityFile $HOME/.ssh/id_bench
    UserKnownHostsFile $tmp/direct_known_hosts
    StrictHostKeyChecking accept-new
    HostKeyAlias direct
Host home
    HostName 127.0.0.1
    Port $home_port
    IdentityFile $HOME/.ssh/id_bench
    UserKnownHostsFile $tmp/direct_known_hosts
    StrictHostKeyChecking accept-new
    HostKeyAlias direct
CFG
sleep 0.5
ssh -F "$GRID_SSH_CONFIG" -o BatchMode=yes direct true || { show_log "$tmp/sshd.log"; die "plain ssh to the local sshd failed"; }

SSH="ssh -F $GRID_SSH_CONFIG -o BatchMode=yes"

# median: the middle of the numbers on stdin (one a line).
median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# connect HOST: median seconds of CONNECTS `ssh HOST true`.
connect() {
    for _n in $(seq "$CONNECTS"); do
        _t0=$(now); $SSH "$1" true; since "$_t0" "$(now)" 4; echo
    done | median
}
# throughput HOST: MiB/s of MIB MiB from the remote's cat to local /dev/null.
throughput() {
    _t0=$(now)
    $SSH "$1" "cat /tmp/bench.bin" >/dev/null
    awk -v s="$(since "$_t0" "$(now)" 4)" -v m="$MIB" 'BEGIN { printf "%.1f", m / s }'
}
# echoes HOST: median round trip in ms of ECHOES one-byte echoes through a remote `cat`.
echoes() {
    python3 - "$ECHOES" $SSH "$1" <<'PY'
import os, subprocess, sys, time
n = int(sys.argv[1])
p = subprocess.Popen(sys.argv[2:] + ["stty raw -echo 2>/dev/null; exec cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
times = []
for i in range(n + 10):  # the first 10 warm up
    t0 = time.perf_counter()
    p.stdin.write(b"x")
    got = p.stdout.read(1)
    if got != b"x":
        sys.exit("echo %d came back as %r" % (i, got))
    if i >= 10:
        times.append(time.perf_counter() - t0)
p.stdin.close()
p.wait()
times.sort()
print("%.3f" % (times[len(times) // 2] * 1000))
PY
}

echo "$bench_tag: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
ct=$(connect bench); cd=$(connect direct)
$SSH bench "head -c $((MIB * 1024 * 1024)) /dev/zero > /tmp/bench.bin"
$SSH direct "head -c $((MIB * 1024 * 1024)) /dev/zero > /tmp/bench.bin"
: >"$tmp/rounds"
for _r in $(seq "$ROUNDS"); do
    echo "tunnel $(throughput bench) $(echoes bench) direct $(throughput direct) $(echoes direct) inetd $(echoes inetd) home $(echoes home)" >>"$tmp/rounds"
done
$SSH bench "rm -f /tmp/bench.bin"
$SSH direct "rm -f /tmp/bench.bin"
tt=$(awk '{ print $2 }' "$tmp/rounds" | median); et=$(awk '{ print $3 }' "$tmp/rounds" | median)
td=$(awk '{ print $5 }' "$tmp/rounds" | median); ed=$(awk '{ print $6 }' "$tmp/rounds" | median)
ei=$(awk '{ print $8 }' "$tmp/rounds" | median)
eh=$(awk '{ print $10 }' "$tmp/rounds" | median)
echo "$bench_tag: rounds (MiB/s, echo ms):"
sed 's/^/  /' "$tmp/rounds"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v r="$1" 'BEGIN { print (r <= 1.3 ? "met" : "MISSED") }'; }
rc=$(ratio "$ct" "$cd"); rt=$(ratio "$td" "$tt"); re=$(ratio "$et" "$ed")
printf '\n%-34s %14s %14s %8s\n' "" "tunnel" "plain ssh" "ratio"
printf '%-34s %12s s %12s s %7sx  (target <= 1.3x: %s)\n' "connection set-up (median of $CONNECTS)" "$ct" "$cd" "$rc" "$(verdict "$rc")"
printf '%-34s %9s MiB/s %9s MiB/s %7sx  (target <= 1.3x: %s)\n' "throughput, $MIB MiB cat ($ROUNDS)" "$tt" "$td" "$rt" "$(verdict "$rt")"
printf '%-34s %11s ms %11s ms %7sx  (target <= 1.3x: %s)\n' "echo RTT ($ROUNDS x $ECHOES)" "$et" "$ed" "$re" "$(verdict "$re")"
printf '%-34s %11s ms %11s ms %7sx  (plain ssh to sshd -i, the mode a session runs: for information)\n' "echo RTT vs sshd -i ($ROUNDS x $ECHOES)" "$et" "$ei" "$(ratio "$et" "$ei")"
printf '%-34s %11s ms %11s ms %7sx  (plain sshd -D, login in its own home: for information)\n' "echo RTT vs own-home sshd ($ROUNDS x $ECHOES)" "$et" "$eh" "$(ratio "$et" "$eh")"
echo "SSH_BENCH connect_tunnel=$ct connect_direct=$cd mibs_tunnel=$tt mibs_direct=$td echo_ms_tunnel=$et echo_ms_direct=$ed echo_ms_inetd=$ei echo_ms_home=$eh"
