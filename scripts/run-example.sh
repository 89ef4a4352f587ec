#!/usr/bin/env bash
# The main job on the bundled example: install what is missing, build, extract
# events from examples/press-releases.jsonl (ISAF profile and full records).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh
TARGET=sitrep bash scripts/build.sh
echo "== ISAF profile (table) =="
./build/sitrep extract --profile isaf --format table examples/press-releases.jsonl
echo "== full records (JSON lines) =="
./build/sitrep extract --profile full examples/press-releases.jsonl | head -c 2000; echo
if ./build/sitrep ingest --help >/dev/null 2>&1; then
  rm -f /tmp/sitrep-example.db
  ./build/sitrep ingest --db /tmp/sitrep-example.db examples/press-releases.jsonl
  echo "== events by province (SQLite store /tmp/sitrep-example.db) =="
  ./build/sitrep query --db /tmp/sitrep-example.db --by province --format table
fi
