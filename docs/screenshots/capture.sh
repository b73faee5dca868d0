#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Retakes docs/screenshots/*.png with the real app under Xvfb, on a fresh local platform in a
# temporary HOME (never the user's own settings, keys or data). Usage: capture.sh BUILD_DIR
# [--sessions] (only the sessions scenes: SSH keys, New session, the panel, a terminal).
set -eu
BUILD_DIR="$(cd "${1:-build}" && pwd)"
ONLY="${2:-}"
OUT="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$OUT/../.." && pwd)"
TMP="$(mktemp -d)"
trap 'if [ -f "$TMP/platform/endpoint.json" ]; then kill "$(sed -n "s/.*\"pid\": *\([0-9]*\).*/\1/p" "$TMP/platform/endpoint.json")" 2>/dev/null || true; fi; rm -rf "$TMP"' EXIT
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/config" XDG_DATA_HOME="$TMP/data" OPENGRID_DATA_DIR="$TMP/platform" GRID_DIR="$TMP/grid"
unset GRID_URL GRID_USER_ID GRID_API_KEY
mkdir -p "$HOME" "$TMP/src"
/usr/bin/python3 "$SRC/examples/make_cifar5.py" --out "$TMP/src/cifar5" --train 12 --test 4 >/dev/null
# Under Xvfb so the window system, fonts and styles are those of a real desktop.
xvfb-run -a -s '-screen 0 1600x1000x24' "$BUILD_DIR/bin/opengrid-capture" "$OUT" "$TMP/src" $ONLY
xvfb-run -a -s '-screen 0 1600x1000x24' "$BUILD_DIR/bin/opengrid-capture" "$OUT" "$TMP/src" --dark $ONLY
