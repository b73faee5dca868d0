#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/charts: builds and runs the chart benchmark offscreen. Usage: run.sh [BUILD_DIR] [ARGS…]
set -eu
BUILD_DIR="${1:-build}"
[ $# -gt 0 ] && shift
cmake --build "$BUILD_DIR" --target charts_bench >/dev/null
QT_QPA_PLATFORM=offscreen "$BUILD_DIR/bin/charts_bench" "$@"
