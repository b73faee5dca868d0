#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs every Debian 12 package OpenGrid builds, tests and benchmarks with.
# Non-interactive and idempotent: does nothing when everything is present.
set -eu

PACKAGES="
build-essential cmake ninja-build ccache pkg-config git
qt6-base-dev qt6-websockets-dev qt6-httpserver-dev qt6-tools-dev qt6-l10n-tools
libqt6sql6-sqlite libqt6sql6-psql libgl1-mesa-dev
libyaml-cpp-dev libssl-dev openssl libarchive-dev libzstd-dev libssh-dev libvterm-dev qtkeychain-qt6-dev
sqlite3 curl procps rsync
openssh-client openssh-server sshfs
bubblewrap python3
wrk nginx-light
xvfb xauth imagemagick
"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-deps: missing packages:$missing" >&2
        echo "install-deps: run this script as root (or install sudo) to install them" >&2
        exit 1
    fi
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
