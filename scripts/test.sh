#!/usr/bin/env bash
# The whole test suite, as CI runs it: install what is missing, build with
# warnings as errors and run every test; then the same tests under
# AddressSanitizer + UndefinedBehaviorSanitizer; then the extra suites
# (Python, fuzz smoke runs) that exist.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh
JOBS=${JOBS:-$(nproc)}

echo "== build (warnings as errors) =="
BUILD_DIR=build bash scripts/build.sh -DSITREP_WERROR=ON
echo "== tests =="
ctest --test-dir build --output-on-failure -j "$JOBS"

if [ "${SITREP_SKIP_SANITIZE:-0}" != 1 ]; then
  echo "== build with -fsanitize=address,undefined =="
  BUILD_DIR=build-asan BUILD_TYPE=Debug bash scripts/build.sh -DSITREP_WERROR=ON -DSITREP_SANITIZE=ON -DSITREP_BUILD_BENCH=OFF
  echo "== tests under sanitizers =="
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$JOBS" -E "${SITREP_ASAN_EXCLUDE:-^$}"
fi

for extra in scripts/test-*.sh; do
  [ -e "$extra" ] || continue
  echo "== $extra =="
  bash "$extra"
done
echo "all tests passed"
