#!/usr/bin/env bash
# CI: builds the libFuzzer targets with clang 14 (ASan + UBSan), replays every
# regression input under tests/fuzz-regressions/<target>/, then runs each
# target for a short time (FUZZ_SECONDS, default 20). Fails on any crash.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_DIR=${FUZZ_DIR:-build-fuzz}
export FUZZ_DIR
CC=clang-14 CXX=clang++-14 cmake -S . -B "$FUZZ_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSITREP_BUILD_FUZZ=ON -DSITREP_SANITIZE=ON -DSITREP_BUILD_TESTS=OFF \
  -DSITREP_BUILD_BENCH=OFF -DSITREP_BUILD_PYTHON=OFF >/dev/null
cmake --build "$FUZZ_DIR" -j "${JOBS:-2}" --target fuzzers

echo "== fuzz regression inputs =="
for dir in tests/fuzz-regressions/*/; do
  [ -d "$dir" ] || continue
  t=$(basename "$dir")
  if [ ! -x "$FUZZ_DIR/fuzz/$t" ]; then
    echo "test-fuzz: no target $t for $dir" >&2
    exit 1
  fi
  mapfile -t inputs < <(find "$dir" -type f ! -name '*.md' | sort)
  [ ${#inputs[@]} -gt 0 ] || continue
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$FUZZ_DIR/fuzz/$t" -timeout=30 -rss_limit_mb=2560 "${inputs[@]}" >"$FUZZ_DIR/regress-$t.log" 2>&1 || {
      cat "$FUZZ_DIR/regress-$t.log" >&2
      echo "test-fuzz: regression input for $t fails" >&2
      exit 1
    }
  echo "$t: ${#inputs[@]} regression inputs ok"
done

echo "== fuzz smoke runs (${FUZZ_SECONDS:-20} s each) =="
FUZZ_NO_BUILD=1 NICE=${NICE:-0} bash scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
