#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `make run-headless`: starts the local platform in the foreground and says how to reach it —
# for machines without a desktop. (`make run` starts the desktop app, which finds or starts
# this same platform by itself.)
set -eu
BUILD_DIR="${1:-build}"
BIN="$(cd "$BUILD_DIR/bin" && pwd)"
DATA_DIR="${OPENGRID_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/opengrid}"
LISTEN="${OPENGRID_LISTEN:-127.0.0.1:7411}"

cat <<MSG
OpenGrid local platform
  data:     $DATA_DIR
  API:      http://$LISTEN/api/v1   (health: http://$LISTEN/api/v1/health)
  your key: $DATA_DIR/local-credentials.json (mode 0600)
  CLI:      $BIN/grid status          (uses this platform with no setup)
Stop with Ctrl-C.
MSG
exec "$BIN/gridd" --data-dir "$DATA_DIR" --listen "$LISTEN"
