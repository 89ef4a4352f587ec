#!/usr/bin/env bash
# Builds the libFuzzer targets (clang 14, ASan + UBSan) and runs each for a
# given time, niced, with a persistent corpus.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      (default: 60 s, every target)
#   scripts/fuzz.sh --stats                    (totals so far)
#
# Environment: FUZZ_DIR (build dir, default build-fuzz), JOBS (build jobs,
# default 2), FUZZ_PARALLEL (targets run at once, default 1), NICE (default 15),
# FUZZ_NO_BUILD=1 to skip the build.
# Corpus: $FUZZ_DIR/corpus/<target> (seeded from fuzz/seeds/<target> and the
# regression inputs); crashes: $FUZZ_DIR/artifacts/<target>/; one line per run
# appended to $FUZZ_DIR/stats.tsv (target, wall seconds, CPU seconds, execs,
# corpus files, crashed 0/1); `scripts/fuzz.sh --stats` sums it for docs/RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_DIR=${FUZZ_DIR:-build-fuzz}
if [ "${1:-}" = --stats ]; then
  # Totals per target over every run so far, for docs/RELIABILITY.md.
  printf '%-16s %6s %8s %12s %7s %7s\n' target runs CPU-min execs corpus crashes
  awk -F'\t' '{r[$1]++; c[$1]+=$3; e[$1]+=$4; n[$1]=$5; x[$1]+=$6}
    END {for (t in r) printf "%-16s %6d %8.1f %12d %7d %7d\n", t, r[t], c[t]/60, e[t], n[t], x[t]}' \
    "$FUZZ_DIR/stats.tsv" | sort
  exit 0
fi
SECONDS_PER=${1:-60}
shift || true
NICE=${NICE:-15}

if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$FUZZ_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSITREP_BUILD_FUZZ=ON -DSITREP_SANITIZE=ON -DSITREP_BUILD_TESTS=OFF \
    -DSITREP_BUILD_BENCH=OFF -DSITREP_BUILD_PYTHON=OFF >/dev/null
  nice -n "$NICE" cmake --build "$FUZZ_DIR" -j "${JOBS:-2}" --target fuzzers
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/fuzz_*.cc; do targets+=("$(basename "$f" .cc)"); done
fi

run_one() {
  local t=$1
  local corpus="$FUZZ_DIR/corpus/$t" art="$FUZZ_DIR/artifacts/$t"
  mkdir -p "$corpus" "$art"
  local seeds=()
  [ -d "fuzz/seeds/$t" ] && seeds+=("fuzz/seeds/$t")
  [ -d "tests/fuzz-regressions/$t" ] && seeds+=("tests/fuzz-regressions/$t")
  local dict=()
  [ -f "fuzz/dicts/$t.dict" ] && dict=(-dict="fuzz/dicts/$t.dict")
  local log="$FUZZ_DIR/logs/$t.$(date +%s).log"
  mkdir -p "$FUZZ_DIR/logs"
  local crashed=0 cpu
  local tf
  tf=$(mktemp)
  # CPU seconds (user + sys) of the fuzzer, not wall time: runs are niced.
  { TIMEFORMAT='%U %S'; time {
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    nice -n "$NICE" "$FUZZ_DIR/fuzz/$t" -max_total_time="$SECONDS_PER" -timeout=30 \
      -rss_limit_mb=2560 -max_len="${FUZZ_MAX_LEN:-16384}" -print_final_stats=1 \
      -artifact_prefix="$art/" "${dict[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1 || crashed=1
  }; } 2>"$tf"
  cpu=$(awk '{printf "%d", $1 + $2}' "$tf")
  rm -f "$tf"
  local execs secs files
  execs=$( (grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o "[0-9]*$" | tail -1) || true)
  secs=$( (grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | awk '{print $5}' | tail -1) || true)
  files=$(find "$corpus" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "${secs:-$SECONDS_PER}" "${cpu:-0}" "${execs:-0}" "$files" "$crashed" >>"$FUZZ_DIR/stats.tsv"
  if [ "$crashed" = 1 ]; then
    echo "fuzz: $t FAILED (see $log and $art)" >&2
    grep -E 'ERROR|invariant|SUMMARY|Test unit written' "$log" | head -20 >&2 || true
    return 1
  fi
  echo "fuzz: $t ok: ${execs:-?} execs in ${secs:-?} s (${cpu:-?} CPU s), corpus $files"
}

status=0
par=${FUZZ_PARALLEL:-1}
running=0
for t in "${targets[@]}"; do
  if [ "$par" -le 1 ]; then
    run_one "$t" || status=1
  else
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$par" ]; then wait -n || status=1; running=$((running - 1)); fi
  fi
done
while [ "$running" -gt 0 ]; do wait -n || status=1; running=$((running - 1)); done
exit $status
