#!/usr/bin/env bash
# Configures and builds sitrep into build/ (or $BUILD_DIR) with Ninja.
# Extra CMake arguments pass through: scripts/build.sh -DSITREP_WERROR=ON
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} \
  -DPython3_EXECUTABLE=/usr/bin/python3 "$@" >/dev/null
# TARGET=sitrep builds only the command (what run-example.sh needs).
cmake --build "$BUILD_DIR" -j "${JOBS:-$(nproc)}" ${TARGET:+--target "$TARGET"}
