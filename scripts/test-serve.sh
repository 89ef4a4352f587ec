#!/usr/bin/env bash
# sitrep serve in a real browser: builds a store from tests/serve/data (texts
# written for the tests), starts the server on a free loopback port, drives
# Debian's headless Chromium with python3-selenium (tests/serve/browser_test.py:
# markers, 34 provinces when ../shared/data/geo is there, timeline, table,
# filters in the URL, evidence highlighting, a hostile document, claims,
# groups, no console errors, no request off loopback, screenshots), then a
# short bounded wrk run on loopback that must see no errors.
# Screenshots go to $SITREP_ARTEFACTS (default /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
has_serve() { [ -x "$1" ] && "$1" serve --help 2>/dev/null | grep -q -- --boundaries; }
BIN=${SITREP_BIN:-}
if [ -z "$BIN" ]; then
  for b in build/sitrep build-serve/sitrep; do
    if [ -z "$BIN" ] && has_serve "$b"; then BIN=$b; fi
  done
fi
[ -n "$BIN" ] || { echo "test-serve: no sitrep binary with the server (build first; needs libmicrohttpd-dev)" >&2; exit 1; }
has_serve "$BIN" || { echo "test-serve: $BIN was built without the server" >&2; exit 1; }
for t in /usr/bin/chromium /usr/bin/chromedriver; do
  [ -x "$t" ] || { echo "test-serve: $t missing (scripts/setup-deps.sh installs it)" >&2; exit 1; }
done
/usr/bin/python3 -c 'import selenium' || { echo "test-serve: python3-selenium missing" >&2; exit 1; }

tmp=$(mktemp -d /tmp/sitrep-serve.XXXXXX)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$BIN" ingest -q --db "$tmp/serve.db" tests/serve/data/releases.jsonl
args=(serve -q --db "$tmp/serve.db" --port 0)
provinces=0
geo=../shared/data/geo
if [ -f "$geo/afg_adm1.geojson" ] && [ -f "$geo/afg_adm2.geojson" ]; then
  args+=(--boundaries "$geo/afg_adm1.geojson" --boundaries "$geo/afg_adm2.geojson")
  provinces=34
else
  echo "test-serve: $geo absent: no boundary layers (province check skipped)"
fi
"$BIN" "${args[@]}" >"$tmp/out" 2>"$tmp/err" &
pid=$!
url=
for _ in $(seq 1 300); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/out" 2>/dev/null || true)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "test-serve: server did not start" >&2; cat "$tmp/err" >&2; exit 1; }
echo "test-serve: $url"

/usr/bin/python3 tests/serve/browser_test.py "$url" --provinces "$provinces" \
  --screenshot "${SITREP_ARTEFACTS:-/tmp}"

if command -v wrk >/dev/null; then
  out=$(wrk -t2 -c8 -d3s --timeout 5s "$url/api/events?limit=50&group=taliban" 2>&1)
  echo "$out" | sed 's/^/  wrk: /'
  if echo "$out" | grep -Eq 'Non-2xx|Socket errors'; then
    echo "test-serve: wrk saw errors" >&2; exit 1
  fi
  echo "1 passed, 0 failed (wrk smoke)"
fi
