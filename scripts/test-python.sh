#!/usr/bin/env bash
# The Python module and its pytest suite (including Dask on a LocalCluster
# with 2 workers), with Debian's python3. Builds the module into the main
# build tree ($BUILD_DIR, default build/).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
PY=/usr/bin/python3
BUILD_DIR="$BUILD_DIR" bash scripts/build.sh -DSITREP_BUILD_PYTHON=ON -DPython3_EXECUTABLE=$PY
export SITREP_BUILD_DIR="$PWD/$BUILD_DIR"
export PYTHONPATH="$SITREP_BUILD_DIR/python${PYTHONPATH:+:$PYTHONPATH}"
# Dask workers inherit PYTHONPATH; keep their scratch space out of the tree.
export DASK_TEMPORARY_DIRECTORY=${TMPDIR:-/tmp}
$PY -m pytest -q -p no:cacheprovider python/tests "$@"
