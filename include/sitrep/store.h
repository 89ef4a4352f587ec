// The event store: documents, their extracted records and the cross-source
// merge of events, in SQLite (a file path, the default) or PostgreSQL
// (postgresql://... URL). Both backends hold the same schema and answer the
// same queries with the same results.
//
//   std::string err;
//   auto store = sitrep::Store::Open("events.db", &err);
//   store->Ingest({{doc, pipeline.Extract(doc)}});     // one transaction
//   auto rows = store->Aggregate(filter, sitrep::GroupBy::kMonth);
//
// Counting unit: a merged event ("cluster"), i.e. one real-world event however
// many documents report it. Every cluster keeps each source event with the
// document it came from and its evidence.
//
// Methods throw sitrep::StoreError on database failures (a failed Ingest
// rolls its batch back: nothing already stored is lost). A Store is not
// thread-safe; open one per thread or process (SQLite runs in WAL mode, so
// readers never block the writer; writers take turns).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sitrep/document.h"
#include "sitrep/record.h"

namespace sitrep {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What Ingest did with each document.
struct IngestStats {
  uint64_t added = 0;      // new document id
  uint64_t unchanged = 0;  // same id and same content hash: nothing changed
  uint64_t replaced = 0;   // same id, new content: its old records replaced
  uint64_t events = 0;     // events stored by this call
  uint64_t merged = 0;     // of those, events that joined an existing cluster
  uint64_t failed = 0;     // documents whose records could not be stored
  std::vector<std::string> errors;  // "SOURCE:LINE: reason" per failed document
};

// Filters for queries; empty fields do not filter. Names compare
// case-insensitively with the canonical names of the extractor.
struct EventFilter {
  std::string group;     // canonical group id (taliban, imu, haqqani, ...)
  std::string country;   // ISO 3166-1 alpha-2
  std::string province;  // admin1 name
  std::string district;  // admin2 name
  std::string type;      // event type (raid, airstrike, ...)
  std::string since;     // YYYY-MM-DD, inclusive
  std::string until;     // YYYY-MM-DD, inclusive
  bool leaders = false;  // only events that killed/captured/targeted a leader
  std::string text;      // full-text search over the source documents
  // Bounding box (min_lat, min_lon, max_lat, max_lon) over event coordinates.
  std::optional<std::vector<double>> bbox;
};

enum class GroupBy { kMonth, kWeek, kProvince, kDistrict, kGroup, kType, kCountry };
// "month", "week", "province", "district", "group", "type", "country".
bool ParseGroupBy(const std::string& name, GroupBy* out);

// One merged event: what its sources agree on (most specific place, union of
// types and groups, largest counts).
struct MergedEvent {
  std::string cluster_id;
  std::string date;  // YYYY-MM-DD (or YYYY-MM, YYYY when that is all we know)
  std::string date_precision;
  std::string country, admin1, admin2, place;
  std::optional<double> lat, lon;
  std::string geo_precision;  // place | admin2 | admin1 | country | ""
  std::vector<std::string> types;
  std::vector<std::string> groups;
  std::string actor;
  std::optional<int> killed, captured, leaders_killed, leaders_captured;
  int count = 1;  // separate raids/strikes this event bundles
  int sources = 1;  // documents reporting it
};

// One source event of a cluster, with the document it came from.
struct SourceEvent {
  std::string event_id;
  std::string cluster_id;
  std::string doc_id, url, title, published;
  Event event;  // as extracted (evidence included)
  std::string merged_with;   // event it was matched to ("" for the first)
  std::string merge_reason;  // why, in words
};

struct AggregateRow {
  std::string key;      // month "2011-04", week "2011-W15", province, ...
  int64_t events = 0;   // merged events
  int64_t count = 0;    // sum of counts (raids/strikes bundled in reports)
  int64_t killed = 0;
  int64_t captured = 0;
};

struct StoredClaim {
  std::string doc_id;
  int index = 0;
  Claim claim;
};

struct StoreStats {
  int schema_version = 0;
  int64_t documents = 0, events = 0, clusters = 0, claims = 0, relations = 0, sources = 0;
  std::string first_date, last_date;  // of merged events known to the day
};

// ---- read side of the dashboard (`sitrep serve`) ----------------------------

struct StoreOpenOptions {
  // No schema creation or migration and no writes: SQLite opens the file
  // read-only, PostgreSQL sets default_transaction_read_only. The schema must
  // already be there (made by `sitrep ingest`).
  bool read_only = false;
  // A statement running longer fails with StoreError (0: no cap).
  int query_timeout_ms = 0;
};

// Order and offset of a page of merged events.
struct EventOrder {
  // date | country | province | district | place | type | group | actor |
  // killed | captured | sources | count | id; anything else sorts by date.
  std::string sort = "date";
  bool descending = false;
  size_t offset = 0;
};

// Merged events sharing one coordinate (place, district or province centroid).
struct MapPoint {
  double lat = 0, lon = 0;
  int64_t events = 0;
  std::string place, admin2, admin1, country;  // of one event there
};

// Two-key aggregate (e.g. month x group for a stacked timeline).
struct Aggregate2Row {
  std::string key, key2;
  int64_t events = 0;
  int64_t count = 0;
};

// A merged event with the fields filters and groupings read, for answering
// repeated queries from memory (the dashboard, see src/serve/snapshot.h).
struct ClusterFacts {
  MergedEvent event;
  std::optional<int64_t> day;  // days since 1970-01-01 when known to the day
  std::string month;           // "2011-04" ("" when unknown)
  std::string week;            // "2011-W15" ("" when unknown)
  bool leader = false;         // killed/captured/targeted a leader
};

struct StoredRelation {
  std::string doc_id;
  Relation relation;  // evidence included
};

// A stored document with everything extracted from it.
struct StoredDocument {
  Document doc;                     // id, url, title, published, format, text
  std::vector<SourceEvent> events;  // its events (evidence offsets index doc.text)
  std::vector<StoredClaim> claims;
  std::vector<Relation> relations;
};

class Store {
 public:
  // `url`: a file path (SQLite, created when missing) or postgresql://...
  // Creates or migrates the schema. Returns nullptr and sets *error on failure.
  static std::unique_ptr<Store> Open(const std::string& url, std::string* error);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Stores a batch in one transaction. Idempotent per document: a document
  // whose id and content hash are already stored is skipped; one with a known
  // id and a new hash replaces its own records. Events are merged with those
  // of other documents as they arrive.
  IngestStats Ingest(const std::vector<std::pair<Document, Extraction>>& batch);

  // Merged events matching `filter`, by date then id; at most `limit`.
  std::vector<MergedEvent> Events(const EventFilter& filter, size_t limit = 1000);
  // Merged events per bucket, in key order.
  std::vector<AggregateRow> Aggregate(const EventFilter& filter, GroupBy by);
  // The source events of one merged event, given its cluster id, the id of
  // any member event, or a document id (its first event's cluster).
  std::vector<SourceEvent> Sources(const std::string& id);
  // Claims stated in ingested documents.
  std::vector<StoredClaim> Claims();
  StoreStats Stats();

  // ---- read side of the dashboard (`sitrep serve`) ----
  static std::unique_ptr<Store> Open(const std::string& url, const StoreOpenOptions& options,
                                     std::string* error);
  // A page of merged events in the given order (then by id).
  std::vector<MergedEvent> Events(const EventFilter& filter, size_t limit,
                                  const EventOrder& order);
  // How many merged events match.
  int64_t CountEvents(const EventFilter& filter);
  // Merged events with coordinates, per distinct coordinate; at most `limit`
  // points, the busiest first.
  std::vector<MapPoint> Points(const EventFilter& filter, size_t limit);
  // Merged events per (by, then) bucket pair, in key order.
  std::vector<Aggregate2Row> Aggregate(const EventFilter& filter, GroupBy by, GroupBy then);
  // One document; nullopt when the id is unknown.
  std::optional<StoredDocument> FindDocument(const std::string& doc_id);
  // Every relation stated in ingested documents, with its evidence.
  std::vector<StoredRelation> Relations();
  // Every merged event, in cluster id order.
  std::vector<ClusterFacts> AllClusters();

  const std::string& backend() const;  // "sqlite" or "postgresql"

  // A number that every ingest changing the store moves (kept in the store,
  // so other processes' ingests count): answers computed at one version
  // hold until it changes. The dashboard's answer cache is keyed by it.
  int64_t Version();

  // Content hash used for idempotency: 64-bit FNV-1a (hex) over the text,
  // title, url, publication date and format.
  static std::string ContentHash(const Document& doc);

  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sitrep
