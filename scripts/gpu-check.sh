#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The GPU checks (tests/integration/test_gpu_isolation, and test_sessions whose GPU case needs
# one) on a machine with NVIDIA GPUs that lacks our build dependencies, e.g. a rented GPU host
# with another distribution.
#
#   scripts/gpu-check.sh bundle BUILD_DIR OUT.tar.xz   here: gridd, grid, the test, bwrap and
#                                                      the libraries they need, in one archive
#   scripts/gpu-check.sh run OUT.tar.xz                there: unpack to a temp dir and run the tests
#
# Sessions need OpenSSH on the GPU host. Where it lacks it and `run` is root, the bundle's
# sshd, ssh, scp, sftp and ssh-keygen are installed into /usr (with the libraries the host lacks, never
# replacing one) and the privilege-separation user made: meant for throw-away GPU machines.
#
# The C library and libstdc++ stay out of the bundle: the GPU host's own (newer) ones serve.
# Sandboxed experiments never see the bundle's libraries: bubblewrap starts them with a clean
# environment on the host's own /usr.
set -eu

bundle() {
    build="$1" out="$2"
    stage="$(mktemp -d)"
    trap 'rm -rf "$stage"' EXIT
    mkdir -p "$stage/bin" "$stage/lib" "$stage/plugins/sqldrivers" "$stage/plugins/tls"
    cp "$build/bin/gridd" "$build/bin/gridd-session-agent" "$build/bin/grid" "$build/bin/test_gpu_isolation" "$build/bin/test_sessions" "$(command -v bwrap)" "$stage/bin/"
    mkdir -p "$stage/openssh/lib"
    cp /usr/sbin/sshd /usr/bin/ssh /usr/bin/scp /usr/bin/sftp /usr/bin/ssh-keygen "$stage/openssh/"
    for f in "$stage"/openssh/*; do [ -f "$f" ] && ldd "$f"; done | awk '$3 ~ /^\// { print $3 }' | sort -u |
        grep -Ev '/(libc|libm|libdl|librt|libresolv|libpthread|libstdc\+\+|libgcc_s|ld-linux[^/]*)\.so' |
        while read -r lib; do cp -L "$lib" "$stage/openssh/lib/"; done
    strip --strip-debug "$stage"/bin/*
    plugin="$(find /usr/lib -path '*qt6/plugins/sqldrivers/libqsqlite.so' | head -n 1)"
    cp "$plugin" "$stage/plugins/sqldrivers/"
    cp "$(dirname "$plugin")/../tls/libqopensslbackend.so" "$stage/plugins/tls/"
    for f in "$stage"/bin/* "$stage"/plugins/*/*.so; do ldd "$f"; done |
        awk '$3 ~ /^\// { print $3 }' | sort -u |
        grep -Ev '/(libc|libm|libdl|librt|libresolv|libpthread|libstdc\+\+|libgcc_s|ld-linux[^/]*)\.so' |
        while read -r lib; do cp -L "$lib" "$stage/lib/"; done
    tar -C "$stage" -cJf "$out" .
    echo "gpu-check: $(du -h "$out" | cut -f1) bundle in $out"
}

install_openssh() {
    dir="$1"
    [ "$(id -u)" -eq 0 ] || return 0
    libdir=/usr/lib/x86_64-linux-gnu
    [ -x /usr/sbin/sshd ] || cp "$dir/openssh/sshd" /usr/sbin/sshd
    for tool in ssh scp sftp ssh-keygen; do
        command -v "$tool" >/dev/null 2>&1 || cp "$dir/openssh/$tool" /usr/bin/
    done
    for lib in "$dir"/openssh/lib/*; do
        [ -e "$libdir/$(basename "$lib")" ] || cp "$lib" "$libdir/"
    done
    id sshd >/dev/null 2>&1 || useradd -r -M -d /run/sshd -s /usr/sbin/nologin sshd
    ldconfig
}

run() {
    dir="$(mktemp -d)"
    tar -C "$dir" -xJf "$1"
    nvidia-smi -L || echo "gpu-check: nvidia-smi failed" >&2
    install_openssh "$dir"
    status=0
    for t in test_gpu_isolation test_sessions; do
        LD_LIBRARY_PATH="$dir/lib" QT_PLUGIN_PATH="$dir/plugins" PATH="$dir/bin:$PATH" \
            OPENGRID_TEST_BIN_DIR="$dir/bin" QT_QPA_PLATFORM=offscreen "$dir/bin/$t" || status=1
    done
    return $status
}

case "${1:-}" in
bundle) bundle "$2" "$3" ;;
run) run "$2" ;;
*) echo "usage: $0 bundle BUILD_DIR OUT.tar.xz | run OUT.tar.xz" >&2; exit 2 ;;
esac
