#!/usr/bin/env bash
# Runs the store tests against a throwaway PostgreSQL server: initdb + pg_ctl
# in a temporary directory, on a free port on 127.0.0.1, as the postgres user
# when run as root (initdb refuses root). The server is stopped and removed on
# exit. Uses the store_test binary of $BUILD_DIR (default build/).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
TEST_BIN="$BUILD_DIR/tests/store/store_test"
if [ ! -x "$TEST_BIN" ]; then
  echo "test-postgres: $TEST_BIN not built; run scripts/build.sh first" >&2
  exit 1
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ]; then
  echo "test-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DIR=$(mktemp -d /tmp/sitrep-pg.XXXXXX)
chmod 755 "$DIR"
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$DIR"; fi
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
as_pg "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
export SITREP_TEST_PG_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
echo "test-postgres: server on 127.0.0.1:$PORT"
"$TEST_BIN" --gtest_filter='Backends/StoreTest.*' --gtest_brief=1
# The same queries through the CLI give identical results on both backends.
SITREP="$BUILD_DIR/sitrep"
DB="$DIR/cmp.db"
"$SITREP" ingest -q --db "$DB" tests/data/store/imu_releases.jsonl
"$SITREP" ingest -q --db "$SITREP_TEST_PG_URL" tests/data/store/imu_releases.jsonl
for q in "--by month --group imu" "--by province" "--by week" "--format csv" "--export acled"; do
  # shellcheck disable=SC2086
  if ! diff <("$SITREP" query --db "$DB" $q) <("$SITREP" query --db "$SITREP_TEST_PG_URL" $q); then
    echo "test-postgres: sqlite and postgresql differ for: query $q" >&2
    exit 1
  fi
done
echo "test-postgres: sqlite and postgresql agree on every query"
