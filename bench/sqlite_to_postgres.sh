#!/usr/bin/env bash
# Copies a store made by `sitrep bench --store FILE` into PostgreSQL in bulk
# (COPY), so that the same million merged events can be queried there:
# ingesting them one document at a time over libpq takes far longer than the
# queries are worth measuring. Copies what queries read (sources, documents
# without their text, events, clusters with their groups, types and summary
# cells); evidence, people, claims and relations stay behind.
#
#   bench/sqlite_to_postgres.sh /tmp/s1m.db postgresql://postgres@127.0.0.1:5432/bench
#   build/sitrep bench --store postgresql://postgres@127.0.0.1:5432/bench --events 1000000
#
# The target database must be empty; sitrep creates the schema. Free-text
# columns travel in COPY's text format, which the synthetic values (no tabs,
# newlines or backslashes) need no escaping for.
set -euo pipefail
SRC=$1
DST=$2
SITREP=${SITREP:-$(dirname "$0")/../build/sitrep}
"$SITREP" query --db "$DST" --stats >/dev/null  # creates the schema
copy() {
  local table=$1 cols=$2 select=${3:-$2}
  echo "copy $table" >&2
  sqlite3 -batch -noheader -separator $'\t' -nullvalue '\N' "$SRC" "SELECT $select FROM $table" |
    psql -q -v ON_ERROR_STOP=1 "$DST" -c "\\copy $table ($cols) FROM STDIN"
}
copy sources "source_id, kind, name"
copy documents "doc_id, content_hash, source_id, url, title, published, format, text" \
  "doc_id, content_hash, source_id, url, title, published, format, ''"
copy events "event_id, doc_id, seq, cluster_id, merged_with, merge_reason, types, date, day,\
 date_precision, date_basis, country, admin1, admin1_code, admin2, place, lat, lon,\
 geo_precision, actor, groups, leader, killed, captured, leaders_killed, leaders_captured,\
 bundled, airstrike, no_shots_fired, kill_capture_raid, background, confidence, names, ord"
copy clusters "cluster_id, date, date_precision, day, month, week, country, admin1, admin2,\
 place, lat, lon, geo_precision, types, groups, actor, killed, captured, leaders_killed,\
 leaders_captured, bundled, sources, leader"
copy cluster_groups "group_id, cluster_id"
copy cluster_types "type, cluster_id"
copy cells_gt "month, dmonth, leader, group_id, gkind, type, tkind, events, bundled, killed, captured"
copy cells_geo "month, dmonth, leader, country, admin1, events, bundled, killed, captured"
psql -q "$DST" -c "ANALYZE"
