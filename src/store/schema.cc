#include "store/schema.h"

#include <string>
#include <vector>

#include "sitrep/store.h"
#include "store/cells.h"
#include "store/evidence.h"

namespace sitrep::store {
namespace {

struct Migration {
  int version;
  const char* name;
  std::vector<std::string> common;    // both dialects
  std::vector<std::string> sqlite;    // SQLite only (FTS5, R*Tree)
  std::vector<std::string> postgres;  // PostgreSQL only (tsvector, GiST)
  void (*fill)(Db&) = nullptr;        // then computes derived data, same transaction
};

// Column types chosen to mean the same in both dialects: TEXT, BIGINT
// (SQLite: integer affinity), DOUBLE PRECISION (SQLite: real affinity).
const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> m = {
      {1,
       "initial schema",
       {
           "CREATE TABLE IF NOT EXISTS sources ("
           " source_id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL)",
           "CREATE TABLE IF NOT EXISTS events ("
           " event_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, seq BIGINT NOT NULL,"
           " cluster_id TEXT, merged_with TEXT, merge_reason TEXT,"
           " types TEXT NOT NULL, date TEXT NOT NULL, day BIGINT, date_precision TEXT NOT NULL,"
           " date_basis TEXT NOT NULL, country TEXT NOT NULL, admin1 TEXT NOT NULL,"
           " admin1_code TEXT NOT NULL, admin2 TEXT NOT NULL, place TEXT NOT NULL,"
           " lat DOUBLE PRECISION, lon DOUBLE PRECISION, geo_precision TEXT NOT NULL,"
           " actor TEXT NOT NULL, groups TEXT NOT NULL, leader BIGINT NOT NULL, killed BIGINT, captured BIGINT,"
           " leaders_killed BIGINT, leaders_captured BIGINT, bundled BIGINT NOT NULL,"
           " airstrike BIGINT NOT NULL, no_shots_fired BIGINT NOT NULL,"
           " kill_capture_raid BIGINT NOT NULL, background BIGINT NOT NULL,"
           " confidence DOUBLE PRECISION NOT NULL, names TEXT NOT NULL, ord BIGINT NOT NULL)",
           "CREATE INDEX IF NOT EXISTS events_doc ON events(doc_id)",
           "CREATE INDEX IF NOT EXISTS events_cluster ON events(cluster_id)",
           "CREATE INDEX IF NOT EXISTS events_day ON events(day)",
           "CREATE INDEX IF NOT EXISTS events_merged_with ON events(merged_with)",
           "CREATE TABLE IF NOT EXISTS evidence ("
           " owner_kind TEXT NOT NULL, owner_id TEXT NOT NULL, doc_id TEXT NOT NULL,"
           " seq BIGINT NOT NULL, start_off BIGINT NOT NULL, end_off BIGINT NOT NULL,"
           " text TEXT NOT NULL, PRIMARY KEY (owner_kind, owner_id, seq))",
           "CREATE INDEX IF NOT EXISTS evidence_doc ON evidence(doc_id)",
           "CREATE TABLE IF NOT EXISTS people ("
           " event_id TEXT NOT NULL, doc_id TEXT NOT NULL, seq BIGINT NOT NULL,"
           " name TEXT NOT NULL, role TEXT NOT NULL, group_id TEXT NOT NULL, fate TEXT NOT NULL,"
           " PRIMARY KEY (event_id, seq))",
           "CREATE INDEX IF NOT EXISTS people_doc ON people(doc_id)",
           "CREATE INDEX IF NOT EXISTS people_name ON people(name)",
           "CREATE TABLE IF NOT EXISTS claims ("
           " claim_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, seq BIGINT NOT NULL,"
           " text TEXT NOT NULL, metric TEXT NOT NULL, value BIGINT NOT NULL,"
           " group_id TEXT NOT NULL, regions TEXT NOT NULL, period_from TEXT NOT NULL,"
           " period_to TEXT NOT NULL, breakdown TEXT NOT NULL)",
           "CREATE INDEX IF NOT EXISTS claims_doc ON claims(doc_id)",
           "CREATE TABLE IF NOT EXISTS relations ("
           " doc_id TEXT NOT NULL, seq BIGINT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,"
           " kind TEXT NOT NULL, PRIMARY KEY (doc_id, seq))",
           "CREATE TABLE IF NOT EXISTS clusters ("
           " cluster_id TEXT PRIMARY KEY, date TEXT NOT NULL, date_precision TEXT NOT NULL,"
           " day BIGINT, month TEXT NOT NULL, week TEXT NOT NULL, country TEXT NOT NULL,"
           " admin1 TEXT NOT NULL, admin2 TEXT NOT NULL, place TEXT NOT NULL,"
           " lat DOUBLE PRECISION, lon DOUBLE PRECISION, geo_precision TEXT NOT NULL,"
           " types TEXT NOT NULL, groups TEXT NOT NULL, actor TEXT NOT NULL,"
           " killed BIGINT, captured BIGINT, leaders_killed BIGINT, leaders_captured BIGINT,"
           " bundled BIGINT NOT NULL, sources BIGINT NOT NULL, leader BIGINT NOT NULL)",
           "CREATE INDEX IF NOT EXISTS clusters_day ON clusters(day)",
           "CREATE INDEX IF NOT EXISTS clusters_admin1 ON clusters(admin1)",
           "CREATE TABLE IF NOT EXISTS cluster_groups ("
           " group_id TEXT NOT NULL, cluster_id TEXT NOT NULL, PRIMARY KEY (group_id, cluster_id))",
           "CREATE INDEX IF NOT EXISTS cluster_groups_cluster ON cluster_groups(cluster_id)",
           "CREATE TABLE IF NOT EXISTS cluster_types ("
           " type TEXT NOT NULL, cluster_id TEXT NOT NULL, PRIMARY KEY (type, cluster_id))",
           "CREATE INDEX IF NOT EXISTS cluster_types_cluster ON cluster_types(cluster_id)",
       },
       {
           "CREATE TABLE IF NOT EXISTS documents ("
           " id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL,"
           " source_id TEXT NOT NULL, url TEXT NOT NULL, title TEXT NOT NULL,"
           " published TEXT NOT NULL, format TEXT NOT NULL, text TEXT NOT NULL)",
           "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5("
           " title, text, content='documents', content_rowid='id')",
           "CREATE TRIGGER IF NOT EXISTS documents_ai AFTER INSERT ON documents BEGIN"
           " INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);"
           " END",
           "CREATE TRIGGER IF NOT EXISTS documents_ad AFTER DELETE ON documents BEGIN"
           " INSERT INTO documents_fts(documents_fts, rowid, title, text)"
           " VALUES ('delete', old.id, old.title, old.text); END",
           "CREATE VIRTUAL TABLE IF NOT EXISTS clusters_geo USING rtree("
           " id, min_lat, max_lat, min_lon, max_lon, +cluster_id TEXT)",
       },
       {
           "CREATE TABLE IF NOT EXISTS documents ("
           " id BIGSERIAL PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL,"
           " source_id TEXT NOT NULL, url TEXT NOT NULL, title TEXT NOT NULL,"
           " published TEXT NOT NULL, format TEXT NOT NULL, text TEXT NOT NULL,"
           " tsv tsvector GENERATED ALWAYS AS"
           " (to_tsvector('english', title || ' ' || text)) STORED)",
           "CREATE INDEX IF NOT EXISTS documents_tsv ON documents USING gin(tsv)",
           "CREATE INDEX IF NOT EXISTS clusters_geo ON clusters USING gist (point(lon, lat))",
       }},
      {2,
       "summary cells (store/cells.h), store version, ingest and map indexes",
       {
           "CREATE TABLE IF NOT EXISTS cells_gt ("
           " month TEXT NOT NULL, dmonth TEXT NOT NULL, leader BIGINT NOT NULL,"
           " group_id TEXT NOT NULL, gkind BIGINT NOT NULL, type TEXT NOT NULL,"
           " tkind BIGINT NOT NULL, events BIGINT NOT NULL, bundled BIGINT NOT NULL,"
           " killed BIGINT NOT NULL, captured BIGINT NOT NULL,"
           " PRIMARY KEY (month, dmonth, leader, group_id, gkind, type, tkind))",
           "CREATE TABLE IF NOT EXISTS cells_geo ("
           " month TEXT NOT NULL, dmonth TEXT NOT NULL, leader BIGINT NOT NULL,"
           " country TEXT NOT NULL, admin1 TEXT NOT NULL, events BIGINT NOT NULL,"
           " bundled BIGINT NOT NULL, killed BIGINT NOT NULL, captured BIGINT NOT NULL,"
           " PRIMARY KEY (month, dmonth, leader, country, admin1))",
           // Bumped by every ingest that changes something: the server's
           // answer cache is keyed by it.
           "CREATE TABLE IF NOT EXISTS store_version ("
           " id BIGINT PRIMARY KEY, version BIGINT NOT NULL)",
           "INSERT INTO store_version (id, version) VALUES (1, 1)",
           // The merge looks for candidates in one province over five days;
           // the day index alone read every province's events of those days.
           "CREATE INDEX IF NOT EXISTS events_admin1_day ON events(admin1, day)",
           // MAX(ord) at the start of each batch was a full scan.
           "CREATE INDEX IF NOT EXISTS events_ord ON events(ord)",
           // Never searched: one index less to update per event.
           "DROP INDEX IF EXISTS events_merged_with",
       },
       {},
       {},
       &RebuildClusterCells},
      {3,
       "ingest: full-text rows per batch, ord counter, point R*Tree, WITHOUT ROWID pairs",
       {
           // The next event's `ord` is kept here: an index on events(ord)
           // was one more b-tree to update per event for one MAX per batch.
           "ALTER TABLE store_version ADD COLUMN ords BIGINT NOT NULL DEFAULT 0",
           "UPDATE store_version SET ords = (SELECT COALESCE(MAX(ord), 0) FROM events)"
           " WHERE id = 1",
           "DROP INDEX IF EXISTS events_ord",
       },
       {
           // Store::Ingest indexes a batch's documents in one statement and
           // deletes a replaced document's row itself (store.cc,
           // FlushFullText).
           "DROP TRIGGER IF EXISTS documents_ai",
           "DROP TRIGGER IF EXISTS documents_ad",
           // The map filter: an R*Tree over the distinct points (district
           // and village coordinates: a few thousand) and an index on
           // clusters(lat, lon), in place of an R*Tree entry per cluster
           // (a third of the cost of storing a cluster). Same boxes, same
           // float rounding, so the same clusters match.
           "CREATE VIRTUAL TABLE IF NOT EXISTS geo_points USING rtree("
           " id, min_lat, max_lat, min_lon, max_lon, +lat, +lon)",
           "DELETE FROM geo_points",
           "INSERT INTO geo_points (min_lat, max_lat, min_lon, max_lon, lat, lon)"
           " SELECT lat, lat, lon, lon, lat, lon FROM (SELECT DISTINCT lat, lon FROM clusters"
           " WHERE lat IS NOT NULL AND lon IS NOT NULL ORDER BY lat, lon)",
           "CREATE INDEX IF NOT EXISTS clusters_latlon ON clusters(lat, lon)",
           "DROP TABLE IF EXISTS clusters_geo",
           // The (group or type, cluster) pairs hold their rows in the
           // primary key's b-tree: one b-tree less to update per row. (Not
           // evidence or people: their keys are random event ids, and whole
           // rows inserted at random places cost more than the b-tree saved.)
           // The summary cells likewise: a few thousand small rows, read
           // whole or by key.
           "CREATE TABLE cells_gt_v3 ("
           " month TEXT NOT NULL, dmonth TEXT NOT NULL, leader BIGINT NOT NULL,"
           " group_id TEXT NOT NULL, gkind BIGINT NOT NULL, type TEXT NOT NULL,"
           " tkind BIGINT NOT NULL, events BIGINT NOT NULL, bundled BIGINT NOT NULL,"
           " killed BIGINT NOT NULL, captured BIGINT NOT NULL,"
           " PRIMARY KEY (month, dmonth, leader, group_id, gkind, type, tkind)) WITHOUT ROWID",
           "INSERT INTO cells_gt_v3 SELECT month, dmonth, leader, group_id, gkind, type, tkind,"
           " events, bundled, killed, captured FROM cells_gt",
           "DROP TABLE cells_gt",
           "ALTER TABLE cells_gt_v3 RENAME TO cells_gt",
           "CREATE TABLE cells_geo_v3 ("
           " month TEXT NOT NULL, dmonth TEXT NOT NULL, leader BIGINT NOT NULL,"
           " country TEXT NOT NULL, admin1 TEXT NOT NULL, events BIGINT NOT NULL,"
           " bundled BIGINT NOT NULL, killed BIGINT NOT NULL, captured BIGINT NOT NULL,"
           " PRIMARY KEY (month, dmonth, leader, country, admin1)) WITHOUT ROWID",
           "INSERT INTO cells_geo_v3 SELECT month, dmonth, leader, country, admin1, events,"
           " bundled, killed, captured FROM cells_geo",
           "DROP TABLE cells_geo",
           "ALTER TABLE cells_geo_v3 RENAME TO cells_geo",
           "CREATE TABLE cluster_groups_v3 ("
           " group_id TEXT NOT NULL, cluster_id TEXT NOT NULL, PRIMARY KEY (group_id, cluster_id))"
           " WITHOUT ROWID",
           "INSERT INTO cluster_groups_v3 SELECT group_id, cluster_id FROM cluster_groups",
           "DROP TABLE cluster_groups",
           "ALTER TABLE cluster_groups_v3 RENAME TO cluster_groups",
           "CREATE INDEX cluster_groups_cluster ON cluster_groups(cluster_id)",
           "CREATE TABLE cluster_types_v3 ("
           " type TEXT NOT NULL, cluster_id TEXT NOT NULL, PRIMARY KEY (type, cluster_id))"
           " WITHOUT ROWID",
           "INSERT INTO cluster_types_v3 SELECT type, cluster_id FROM cluster_types",
           "DROP TABLE cluster_types",
           "ALTER TABLE cluster_types_v3 RENAME TO cluster_types",
           "CREATE INDEX cluster_types_cluster ON cluster_types(cluster_id)",
       },
       {}},
      {4,
       "ingest of release-length documents: full-text settings, evidence in its owner rows,"
       " people by document",
       {
           // Never searched (people are read by document and event).
           "DROP INDEX IF EXISTS people_name",
           // The evidence of each event, claim and relation in its own row
           // (store/evidence.h); the evidence table goes (MoveEvidence).
           "ALTER TABLE events ADD COLUMN evidence TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE claims ADD COLUMN evidence TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE relations ADD COLUMN evidence TEXT NOT NULL DEFAULT ''",
       },
       {
           // People keyed by document first: every reader knows the
           // document, a replaced document's rows are one key range, and the
           // rows of one document lie together. One b-tree per row where
           // there were three (rowid table, primary key, doc_id index).
           "CREATE TABLE people_v4 ("
           " event_id TEXT NOT NULL, doc_id TEXT NOT NULL, seq BIGINT NOT NULL,"
           " name TEXT NOT NULL, role TEXT NOT NULL, group_id TEXT NOT NULL, fate TEXT NOT NULL,"
           " PRIMARY KEY (doc_id, event_id, seq)) WITHOUT ROWID",
           "INSERT INTO people_v4 SELECT event_id, doc_id, seq, name, role, group_id, fate"
           " FROM people",
           "DROP TABLE people",
           "ALTER TABLE people_v4 RENAME TO people",
           // The full-text index without positions (detail=none) or column
           // sizes: queries are words that must all occur (the store quotes
           // each, Where()), never phrases or NEAR, and nothing is ranked.
           // Indexing a release-length document costs 30% less.
           "DROP TABLE documents_fts",
           "CREATE VIRTUAL TABLE documents_fts USING fts5("
           " title, text, content='documents', content_rowid='id', detail=none, columnsize=0)",
           "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
           // FTS5 keeps pending terms in memory up to `hashsize` bytes
           // (default 1 MB) and writes a segment each time it fills: a batch
           // of 5,000 release-length documents made several segments, which
           // automerge then merged again. 16 MB held such a batch whole, as
           // one segment; larger batches or longer documents make a few
           // segments instead of dozens (memory: at most 16 MB more while a
           // batch is indexed).
           "INSERT INTO documents_fts(documents_fts, rank) VALUES ('hashsize', 16777216)",
           // Merge 8 segments of a level instead of 4: each posting is
           // rewritten log8 instead of log4 times as the index grows (a
           // query reads at most 8 segments per level, not 4).
           "INSERT INTO documents_fts(documents_fts, rank) VALUES ('automerge', 8)",
       },
       {
           "ALTER TABLE people DROP CONSTRAINT people_pkey",
           "ALTER TABLE people ADD PRIMARY KEY (doc_id, event_id, seq)",
           "DROP INDEX IF EXISTS people_doc",
       },
       &MoveEvidence},
  };
  return m;
}

}  // namespace

int Migrate(Db& db) {
  db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY,"
      " name TEXT NOT NULL)",
      {});
  int current = 0;
  for (const auto& m : Migrations()) {
    db.BeginWrite();
    try {
      auto rows = db.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
      current = static_cast<int>(ToInt(rows.at(0).at(0)));
      if (current > kSchemaVersion) {
        db.Rollback();
        throw StoreError("database schema version " + std::to_string(current) +
                         " is newer than this sitrep (" + std::to_string(kSchemaVersion) + ")");
      }
      bool applied = !db.Query("SELECT version FROM schema_migrations WHERE version = ?",
                               {static_cast<int64_t>(m.version)})
                          .empty();
      if (applied) {
        db.Commit();
        continue;
      }
      for (const auto& s : m.common) db.Exec(s, {});
      for (const auto& s : db.dialect() == Dialect::kSqlite ? m.sqlite : m.postgres)
        db.Exec(s, {});
      if (m.fill) m.fill(db);
      db.Exec("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
              {static_cast<int64_t>(m.version), std::string(m.name)});
      db.Commit();
      current = m.version;
    } catch (...) {
      db.Rollback();
      throw;
    }
  }
  return current;
}

}  // namespace sitrep::store
