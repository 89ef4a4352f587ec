// Store: ingest with idempotency and cross-source merge, and the queries, over
// store::Db (SQLite or PostgreSQL). All SQL is parameterised.
#include "sitrep/store.h"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include "query/merge.h"
#include "store/cells.h"
#include "store/db.h"
#include "store/evidence.h"
#include "store/schema.h"

namespace sitrep {

using store::Db;
using store::Dialect;
using store::Null;
using store::Opt;
using store::Params;
using store::Row;
using store::ToInt;
using store::ToOptDouble;
using store::ToOptInt;
using store::ToStr;
using store::Value;
using store::View;

namespace {

std::string JoinBar(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : "|") + x;
  return s;
}

std::vector<std::string> SplitBar(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t p = 0;
  for (;;) {
    size_t q = s.find('|', p);
    out.push_back(s.substr(p, q == std::string::npos ? std::string::npos : q - p));
    if (q == std::string::npos) break;
    p = q + 1;
  }
  return out;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsLeaderRole(const std::string& role) {
  return role.find("leader") != std::string::npos || role.find("commander") != std::string::npos;
}

bool IsLeaderEvent(const Event& e) {
  if (e.leaders_killed.value_or(0) > 0 || e.leaders_captured.value_or(0) > 0) return true;
  for (const auto& p : e.people)
    if (IsLeaderRole(p.role)) return true;
  return false;
}

std::string SourceIdOf(const Document& d, std::string* kind, std::string* name) {
  auto pos = d.url.find("://");
  if (pos != std::string::npos) {
    std::string host = d.url.substr(pos + 3);
    host = host.substr(0, host.find_first_of("/?#"));
    *kind = "web";
    *name = host;
    return "web:" + host;
  }
  if (d.source.empty() || d.source == "-") {
    *kind = "stdin";
    *name = "-";
    return "stdin";
  }
  std::string base = d.source.substr(d.source.find_last_of('/') + 1);
  *kind = "file";
  *name = base;
  return "file:" + base;
}

int PrecisionRank(const std::string& p) {
  if (p == "place") return 4;
  if (p == "admin2") return 3;
  if (p == "admin1") return 2;
  if (p == "country") return 1;
  return 0;
}

// Columns read back for merging and for SourceEvent.
constexpr const char* kEventCols =
    "e.event_id, e.doc_id, e.cluster_id, e.merged_with, e.merge_reason, e.types, e.date,"
    " e.day, e.date_precision, e.date_basis, e.country, e.admin1, e.admin1_code, e.admin2,"
    " e.place, e.lat, e.lon, e.geo_precision, e.actor, e.groups, e.killed, e.captured,"
    " e.leaders_killed, e.leaders_captured, e.bundled, e.airstrike, e.no_shots_fired,"
    " e.kill_capture_raid, e.background, e.confidence, e.names, e.ord, e.leader";

Event EventFromRow(const Row& r) {
  Event e;
  e.event_id = ToStr(r[0]);
  e.doc_id = ToStr(r[1]);
  e.types = SplitBar(ToStr(r[5]));
  e.date = ToStr(r[6]);
  e.date_precision = ToStr(r[8]);
  e.date_basis = ToStr(r[9]);
  e.location.country = ToStr(r[10]);
  e.location.admin1 = ToStr(r[11]);
  e.location.admin1_code = ToStr(r[12]);
  e.location.admin2 = ToStr(r[13]);
  e.location.place = ToStr(r[14]);
  e.location.lat = ToOptDouble(r[15]);
  e.location.lon = ToOptDouble(r[16]);
  e.location.precision = ToStr(r[17]);
  e.actor = ToStr(r[18]);
  e.target_groups = SplitBar(ToStr(r[19]));
  e.killed = ToOptInt(r[20]);
  e.captured = ToOptInt(r[21]);
  e.leaders_killed = ToOptInt(r[22]);
  e.leaders_captured = ToOptInt(r[23]);
  e.count = static_cast<int>(ToInt(r[24], 1));
  e.airstrike = ToInt(r[25]) != 0;
  e.no_shots_fired = ToInt(r[26]) != 0;
  e.kill_capture_raid = ToInt(r[27]) != 0;
  e.background = ToInt(r[28]) != 0;
  e.confidence = ToOptDouble(r[29]).value_or(0.0);
  return e;
}

query::MergeFacts FactsFromRow(const Row& r) {
  Event e = EventFromRow(r);
  query::MergeFacts f = query::FactsOf(e);
  f.names = SplitBar(ToStr(r[30]));
  return f;
}

}  // namespace

bool ParseGroupBy(const std::string& name, GroupBy* out) {
  static const std::map<std::string, GroupBy> k = {
      {"month", GroupBy::kMonth},     {"week", GroupBy::kWeek},   {"province", GroupBy::kProvince},
      {"district", GroupBy::kDistrict}, {"group", GroupBy::kGroup}, {"type", GroupBy::kType},
      {"country", GroupBy::kCountry}};
  auto it = k.find(name);
  if (it == k.end()) return false;
  *out = it->second;
  return true;
}

struct Store::Impl {
  std::unique_ptr<Db> db;
  std::string backend;
  int schema_version = 0;
  int64_t next_ord = 0;
  // SQLite: documents stored in this batch whose full-text rows are still to
  // be written (FlushFullText).
  std::vector<int64_t> fts_pending;
  // Clusters born in this batch with their member events in order, which
  // RefreshCluster then need not read back; valid while no replacement has
  // re-clustered older events and no document failed half-way.
  std::unordered_map<std::string, std::vector<Event>> born;
  bool born_valid = true;
  // Changes to the summary cells, written at the end of the batch.
  store::CellDelta cells;
  // Sources stored in this batch (one insert per source, not per document).
  std::set<std::string> batch_sources;
  // Points in geo_points: known to be there (committed), and added or
  // found by this batch.
  std::set<std::pair<double, double>> points_known, points_batch;

  bool Pg() const { return db->dialect() == Dialect::kPostgres; }

  // The statements an ingest runs per document, prepared at its first batch.
  struct IngestSql {
    store::Stmt doc_hash, source, document, event, person, claim, relation,
        match_admin1, match_any, cluster, cluster_group, cluster_type, point_used,
        point;
  };
  std::optional<IngestSql> sql;

  const IngestSql& Sql() {
    if (sql) return *sql;
    IngestSql q;
    q.doc_hash = db->Prepare("SELECT content_hash FROM documents WHERE doc_id = ?");
    q.source = db->Prepare(
        "INSERT INTO sources (source_id, kind, name) VALUES (?, ?, ?)"
        " ON CONFLICT (source_id) DO NOTHING");
    q.document = db->Prepare(
        "INSERT INTO documents (doc_id, content_hash, source_id, url, title, published, format,"
        " text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    q.event = db->Prepare(
        "INSERT INTO events (event_id, doc_id, seq, cluster_id, merged_with, merge_reason,"
        " types, date, day, date_precision, date_basis, country, admin1, admin1_code, admin2,"
        " place, lat, lon, geo_precision, actor, groups, leader, killed, captured,"
        " leaders_killed, leaders_captured, bundled, airstrike, no_shots_fired,"
        " kill_capture_raid, background, confidence, names, ord, evidence)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.person = db->Prepare(
        "INSERT INTO people (event_id, doc_id, seq, name, role, group_id, fate)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)");
    q.claim = db->Prepare(
        "INSERT INTO claims (claim_id, doc_id, seq, text, metric, value, group_id, regions,"
        " period_from, period_to, breakdown, evidence)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.relation = db->Prepare(
        "INSERT INTO relations (doc_id, seq, a, b, kind, evidence) VALUES (?, ?, ?, ?, ?, ?)");
    // Merge candidates share the province or leave it open: a query for
    // each, joined by UNION ALL, so that each reads a range of the (admin1,
    // day) index (an IN list costs a temporary table per execution); a
    // report without a province compares with every province's, through the
    // day index.
    // Districts that differ veto a merge (the rule compares them folded):
    // those rows need not be read back and compared.
    std::string select = std::string("SELECT ") + kEventCols + " FROM events e WHERE ";
    std::string where =
        " AND (CAST(? AS TEXT) = '' OR e.admin2 = '' OR LOWER(e.admin2) = LOWER(?))"
        " AND e.day BETWEEN ? AND ? AND e.doc_id <> ? AND e.background = 0"
        " AND e.ord < ? AND e.cluster_id IS NOT NULL";
    q.match_admin1 = db->Prepare(select + "e.admin1 = ?" + where + " UNION ALL " + select +
                                 "e.admin1 = ''" + where);
    q.match_any = db->Prepare(select + "1 = 1" + where);
    q.cluster = db->Prepare(
        "INSERT INTO clusters (cluster_id, date, date_precision, day, month, week, country,"
        " admin1, admin2, place, lat, lon, geo_precision, types, groups, actor, killed, captured,"
        " leaders_killed, leaders_captured, bundled, sources, leader)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.cluster_group =
        db->Prepare("INSERT INTO cluster_groups (group_id, cluster_id) VALUES (?, ?)");
    q.cluster_type = db->Prepare("INSERT INTO cluster_types (type, cluster_id) VALUES (?, ?)");
    if (!Pg()) {
      q.point_used = db->Prepare("SELECT 1 FROM clusters WHERE lat = ? AND lon = ? LIMIT 1");
      q.point = db->Prepare(
          "INSERT INTO geo_points (min_lat, max_lat, min_lon, max_lon, lat, lon)"
          " VALUES (?, ?, ?, ?, ?, ?)");
    }
    sql = q;
    return *sql;
  }

  // ---- ingest -------------------------------------------------------------

  // One transaction; `savepoints`: a document that fails is rolled back and
  // reported, else the whole batch is (and DocumentFailed thrown).
  IngestStats IngestBatch(const std::vector<std::pair<Document, Extraction>>& batch,
                          bool savepoints);

  // Deletes every record of a document; returns the clusters it touched.
  std::set<std::string> DeleteDocument(const std::string& doc_id) {
    std::set<std::string> clusters;
    for (const auto& r : db->Query(
             "SELECT DISTINCT cluster_id FROM events WHERE doc_id = ? AND cluster_id IS NOT NULL",
             {doc_id}))
      clusters.insert(ToStr(r[0]));
    db->Exec("DELETE FROM people WHERE doc_id = ?", {doc_id});
    db->Exec("DELETE FROM claims WHERE doc_id = ?", {doc_id});
    db->Exec("DELETE FROM relations WHERE doc_id = ?", {doc_id});
    db->Exec("DELETE FROM events WHERE doc_id = ?", {doc_id});
    if (!Pg()) {
      // Its full-text row: still pending when stored earlier in this batch.
      for (const auto& r :
           db->Query("SELECT id, title, text FROM documents WHERE doc_id = ?", {doc_id})) {
        int64_t id = ToInt(r[0]);
        auto it = std::find(fts_pending.begin(), fts_pending.end(), id);
        if (it != fts_pending.end())
          fts_pending.erase(it);
        else
          db->Exec("INSERT INTO documents_fts(documents_fts, rowid, title, text)"
                   " VALUES ('delete', ?, ?, ?)",
                   {id, ToStr(r[1]), ToStr(r[2])});
      }
    }
    db->Exec("DELETE FROM documents WHERE doc_id = ?", {doc_id});
    return clusters;
  }

  // The events of the dissolved clusters are matched again, in their original
  // order, as if the removed document had never been ingested.
  void Recluster(const std::set<std::string>& dissolved, std::set<std::string>* touched) {
    born_valid = false;
    std::vector<Row> members;
    for (const auto& c : dissolved) {
      touched->insert(c);
      auto rows = db->Query(std::string("SELECT ") + kEventCols +
                                " FROM events e WHERE e.cluster_id = ? ORDER BY e.ord",
                            {c});
      members.insert(members.end(), rows.begin(), rows.end());
    }
    std::sort(members.begin(), members.end(),
              [](const Row& a, const Row& b) { return ToInt(a[31]) < ToInt(b[31]); });
    for (const auto& m : members)
      db->Exec("UPDATE events SET cluster_id = event_id, merged_with = NULL, merge_reason = NULL"
               " WHERE event_id = ?",
               {ToStr(m[0])});
    for (const auto& m : members) {
      query::MergeFacts f = FactsFromRow(m);
      std::string cluster = f.event_id, with, reason;
      Match(f, ToInt(m[31]), &cluster, &with, &reason);
      db->Exec("UPDATE events SET cluster_id = ?, merged_with = ?, merge_reason = ?"
               " WHERE event_id = ?",
               {cluster, with.empty() ? Null() : Value(with),
                reason.empty() ? Null() : Value(reason), f.event_id});
      touched->insert(cluster);
    }
  }

  // Finds the best earlier event (ord < `ord`) from another document that
  // describes the same real event; sets its cluster, id and the reason.
  bool Match(const query::MergeFacts& f, int64_t ord, std::string* cluster, std::string* with,
             std::string* reason) {
    if (f.background || !f.day) return false;
    const IngestSql& q = Sql();
    Params p = {View(f.admin2), View(f.admin2), *f.day - 2, *f.day + 2, View(f.doc_id), ord};
    std::vector<Row> rows;
    if (f.admin1.empty()) {
      rows = db->Query(q.match_any, p);
    } else {
      Params both = {View(f.admin1)};
      both.insert(both.end(), p.begin(), p.end());
      both.insert(both.end(), p.begin(), p.end());
      rows = db->Query(q.match_admin1, both);
    }
    // In the order they were stored: the earliest of equally good matches wins.
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return ToInt(a[31]) < ToInt(b[31]); });
    int best = -1000;
    for (const auto& r : rows) {
      query::MergeFacts g = FactsFromRow(r);
      auto d = query::CompareEvents(g, f);
      if (d.same && d.score > best) {
        best = d.score;
        *cluster = ToStr(r[2]);
        *with = g.event_id;
        *reason = d.reason;
      }
    }
    return best > -1000;
  }

  void InsertDocument(const Document& d, const Extraction& x, const std::string& hash,
                      IngestStats* stats, std::set<std::string>* touched) {
    const IngestSql& q = Sql();
    std::string kind, name;
    std::string source_id = SourceIdOf(d, &kind, &name);
    if (batch_sources.insert(source_id).second) db->Exec(q.source, {source_id, kind, name});
    db->Exec(q.document, {View(d.id), View(hash), View(source_id), View(d.url), View(d.title),
                          View(d.published),
                          d.format.empty() ? Value(std::string_view("text")) : View(d.format),
                          View(d.text)});
    if (!Pg()) fts_pending.push_back(db->LastInsertRowid());
    std::set<std::string> seen;
    for (size_t i = 0; i < x.events.size(); ++i) {
      Event e = x.events[i];
      e.doc_id = d.id;
      if (e.event_id.empty() || seen.count(e.event_id))
        e.event_id = d.id + "#" + std::to_string(i);
      seen.insert(e.event_id);
      query::MergeFacts f = query::FactsOf(e);
      int64_t ord = ++next_ord;
      std::string cluster, with, reason;
      if (!e.background) {
        cluster = e.event_id;
        if (Match(f, ord, &cluster, &with, &reason)) ++stats->merged;
      }
      auto day = query::DayNumber(e.date);
      std::vector<std::string> names;
      for (const auto& p : e.people)
        if (!p.name.empty()) names.push_back(p.name);
      db->Exec(
          q.event,
          {View(e.event_id), View(d.id), static_cast<int64_t>(i),
           cluster.empty() ? Null() : View(cluster), with.empty() ? Null() : View(with),
           reason.empty() ? Null() : View(reason), JoinBar(e.types), View(e.date),
           day ? Value(*day) : Null(), View(e.date_precision), View(e.date_basis),
           View(e.location.country), View(e.location.admin1), View(e.location.admin1_code),
           View(e.location.admin2), View(e.location.place), Opt(e.location.lat),
           Opt(e.location.lon), View(e.location.precision), View(e.actor),
           JoinBar(e.target_groups),
           static_cast<int64_t>(IsLeaderEvent(e)), Opt(e.killed), Opt(e.captured),
           Opt(e.leaders_killed), Opt(e.leaders_captured), static_cast<int64_t>(e.count),
           static_cast<int64_t>(e.airstrike), static_cast<int64_t>(e.no_shots_fired),
           static_cast<int64_t>(e.kill_capture_raid), static_cast<int64_t>(e.background),
           e.confidence, JoinBar(names), ord, store::PackEvidence(e.evidence, d.text)});
      for (size_t p = 0; p < e.people.size(); ++p)
        db->Exec(q.person, {View(e.event_id), View(d.id), static_cast<int64_t>(p),
                            View(e.people[p].name), View(e.people[p].role),
                            View(e.people[p].group), View(e.people[p].fate)});
      ++stats->events;
      if (cluster.empty()) continue;
      touched->insert(cluster);
      if (cluster == e.event_id)
        born[cluster].push_back(std::move(e));
      else if (auto it = born.find(cluster); it != born.end())
        it->second.push_back(std::move(e));
    }
    for (size_t i = 0; i < x.claims.size(); ++i) {
      const Claim& c = x.claims[i];
      std::string id = d.id + "#c" + std::to_string(i);
      std::string breakdown;
      for (const auto& p : c.breakdown)
        breakdown += (breakdown.empty() ? "" : "|") + p.period + "=" + std::to_string(p.value);
      db->Exec(
          q.claim,
          {id, d.id, static_cast<int64_t>(i), c.text, c.metric, c.value, c.group,
           JoinBar(c.regions), c.period_from, c.period_to, breakdown,
           store::PackEvidence(c.evidence, d.text)});
    }
    for (size_t i = 0; i < x.relations.size(); ++i) {
      const Relation& r = x.relations[i];
      db->Exec(q.relation, {d.id, static_cast<int64_t>(i), r.a, r.b, r.kind,
                            store::PackEvidence(r.evidence, d.text)});
    }
  }

  // Indexes the batch's documents in one statement. FTS5 writes its pending
  // terms to disk at every savepoint and statement end of a transaction it
  // takes part in: written row by row (the old trigger), each document made
  // its own index segment and the next ~20 statements paid for the flush.
  void FlushFullText() {
    if (fts_pending.empty()) return;
    std::string ids = "[";
    for (int64_t id : fts_pending) ids += (ids.size() > 1 ? "," : "") + std::to_string(id);
    ids += "]";
    fts_pending.clear();
    db->Exec(
        "INSERT INTO documents_fts(rowid, title, text) SELECT d.id, d.title, d.text"
        " FROM json_each(?) j JOIN documents d ON d.id = j.value ORDER BY d.id",
        {ids});
  }

  // SQLite: puts a cluster's point in the geo_points R*Tree unless some
  // cluster already has it (points are never removed: a box that holds a
  // point no cluster has any more finds no cluster through it).
  void AddPoint(double lat, double lon) {
    std::pair<double, double> pt(lat, lon);
    if (points_known.count(pt) || !points_batch.insert(pt).second) return;
    if (!db->Query(Sql().point_used, {lat, lon}).empty()) return;
    db->Exec(Sql().point, {lat, lat, lon, lon, lat, lon});
  }

  // Recomputes a cluster's summary row from its member events.
  void RefreshCluster(const std::string& id) {
    if (born_valid) {
      if (auto it = born.find(id); it != born.end()) {
        // Born in this batch: no old row, and the members are at hand. They
        // are read as the database would give them back (the slow path).
        bool leader = false;
        for (auto& e : it->second) {
          leader = leader || IsLeaderEvent(e);
          e.types = SplitBar(JoinBar(e.types));
          e.target_groups = SplitBar(JoinBar(e.target_groups));
          e.location.lat = AsStored(e.location.lat);
          e.location.lon = AsStored(e.location.lon);
        }
        WriteCluster(id, it->second, leader);
        return;
      }
    }
    auto rows = db->Query(std::string("SELECT ") + kEventCols +
                              " FROM events e WHERE e.cluster_id = ? ORDER BY e.ord",
                          {id});
    // Its old summary row, groups, types and point go together; a new
    // cluster (the common case) has none of them to delete.
    auto old = db->Query(
        "SELECT month, day, country, admin1, leader, bundled, COALESCE(killed, 0),"
        " COALESCE(captured, 0) FROM clusters WHERE cluster_id = ?",
        {id});
    if (!old.empty()) {
      store::ClusterCell cell;
      const Row& o = old[0];
      cell.month = ToStr(o[0]);
      cell.dmonth = store::DayMonth(o[1]);
      cell.country = ToStr(o[2]);
      cell.admin1 = ToStr(o[3]);
      cell.leader = ToInt(o[4]);
      cell.bundled = ToInt(o[5]);
      cell.killed = ToInt(o[6]);
      cell.captured = ToInt(o[7]);
      for (const auto& r : db->Query("SELECT group_id FROM cluster_groups WHERE cluster_id = ?", {id}))
        cell.groups.insert(ToStr(r[0]));
      for (const auto& r : db->Query("SELECT type FROM cluster_types WHERE cluster_id = ?", {id}))
        cell.types.insert(ToStr(r[0]));
      cells.Add(cell, -1);
      db->Exec("DELETE FROM clusters WHERE cluster_id = ?", {id});
      db->Exec("DELETE FROM cluster_groups WHERE cluster_id = ?", {id});
      db->Exec("DELETE FROM cluster_types WHERE cluster_id = ?", {id});
    }
    if (rows.empty()) return;
    std::vector<Event> ev;
    bool leader = false;
    for (const auto& r : rows) {
      ev.push_back(EventFromRow(r));
      leader = leader || ToInt(r[32]) != 0;
    }
    WriteCluster(id, ev, leader);
  }

  // A coordinate as read back from the database: SQLite gives REAL values
  // back as text with 15 significant digits.
  std::optional<double> AsStored(const std::optional<double>& v) const {
    if (!v) return v;
    // SQLite stores NaN as NULL (the knowledge base refuses NaN coordinates;
    // this keeps the batch path equal to a read-back if one ever came).
    if (!std::isfinite(*v)) return std::nullopt;
    if (Pg()) return v;
    char buf[40];
    auto end = std::to_chars(buf, buf + sizeof buf - 1, *v, std::chars_format::general, 15).ptr;
    *end = '\0';
    return std::strtod(buf, nullptr);
  }

  // Stores the summary row, groups, types, point and cells of a cluster from
  // its member events (in order; at least one).
  void WriteCluster(const std::string& id, const std::vector<Event>& ev, bool leader) {
    std::set<std::string> docs;
    for (const auto& e : ev) docs.insert(e.doc_id);
    // Date: the first report with an exact day, else the first report.
    const Event* dated = &ev[0];
    for (const auto& e : ev)
      if (e.date_precision == "day") {
        dated = &e;
        break;
      }
    // Place: the most specific location reported first.
    const Event* placed = &ev[0];
    for (const auto& e : ev)
      if (PrecisionRank(e.location.precision) > PrecisionRank(placed->location.precision))
        placed = &e;
    std::set<std::string> types, groups;
    std::optional<int> killed, captured, lk, lc;
    auto mx = [](std::optional<int>& a, const std::optional<int>& b) {
      if (b && (!a || *b > *a)) a = b;
    };
    int bundled = 1;
    std::string actor;
    for (const auto& e : ev) {
      types.insert(e.types.begin(), e.types.end());
      groups.insert(e.target_groups.begin(), e.target_groups.end());
      mx(killed, e.killed);
      mx(captured, e.captured);
      mx(lk, e.leaders_killed);
      mx(lc, e.leaders_captured);
      bundled = std::max(bundled, e.count);
      if (actor.empty()) actor = e.actor;
    }
    const Location& loc = placed->location;
    std::string month = dated->date.size() >= 7 ? dated->date.substr(0, 7) : "";
    auto day = query::DayNumber(dated->date);
    store::ClusterCell cell;
    cell.month = month;
    cell.dmonth = day ? query::DayString(*day).substr(0, 7) : "";
    cell.country = loc.country;
    cell.admin1 = loc.admin1;
    cell.leader = leader;
    cell.groups = groups;
    cell.types = types;
    cell.bundled = bundled;
    cell.killed = killed.value_or(0);
    cell.captured = captured.value_or(0);
    cells.Add(cell, 1);
    if (!Pg() && loc.lat && loc.lon) AddPoint(*loc.lat, *loc.lon);
    const IngestSql& q = Sql();
    db->Exec(q.cluster,
             {View(id), View(dated->date), View(dated->date_precision),
              day ? Value(*day) : Null(), View(month), query::IsoWeek(dated->date),
              View(loc.country), View(loc.admin1), View(loc.admin2), View(loc.place),
              Opt(loc.lat), Opt(loc.lon), View(loc.precision),
              JoinBar({types.begin(), types.end()}), JoinBar({groups.begin(), groups.end()}),
              View(actor), Opt(killed), Opt(captured), Opt(lk), Opt(lc),
              static_cast<int64_t>(bundled), static_cast<int64_t>(docs.size()),
              static_cast<int64_t>(leader)});
    for (const auto& g : groups) db->Exec(q.cluster_group, {View(g), View(id)});
    for (const auto& t : types) db->Exec(q.cluster_type, {View(t), View(id)});
  }

  // ---- queries ------------------------------------------------------------

  // The cells column for a grouping key; "" when no cells hold it (week,
  // district).
  static std::string CellKey(GroupBy by) {
    switch (by) {
      case GroupBy::kMonth: return "month";
      case GroupBy::kProvince: return "admin1";
      case GroupBy::kCountry: return "country";
      case GroupBy::kGroup: return "group_id";
      case GroupBy::kType: return "type";
      case GroupBy::kWeek:
      case GroupBy::kDistrict: return "";
    }
    return "";
  }

  // "FROM cells_... WHERE ..." selecting what Where() selects over clusters,
  // when one cells table can say it (see store/cells.h): no text, box or
  // district; dates on whole months; groups and types, or countries and
  // provinces, not both; and no group (type) filter while grouping by group
  // (type), which needs the other groups of each matching cluster. `keys`
  // are the grouping keys. False: ask the clusters.
  bool CellFrom(const EventFilter& f, const std::vector<GroupBy>& keys, std::string* from,
                Params* p) {
    if (!f.text.empty() || f.bbox || !f.district.empty()) return false;
    bool group_key = false, type_key = false, geo_key = false;
    for (GroupBy k : keys) {
      if (CellKey(k).empty()) return false;
      group_key = group_key || k == GroupBy::kGroup;
      type_key = type_key || k == GroupBy::kType;
      geo_key = geo_key || k == GroupBy::kProvince || k == GroupBy::kCountry;
    }
    if ((!f.group.empty() && group_key) || (!f.type.empty() && type_key)) return false;
    bool gt = group_key || type_key || !f.group.empty() || !f.type.empty();
    bool geo = geo_key || !f.country.empty() || !f.province.empty();
    if (gt && geo) return false;
    std::string since, until;
    if (!f.since.empty()) {
      auto d = query::DayNumber(f.since);
      if (!d) return false;  // Where() reports it
      std::string s = query::DayString(*d);
      if (s.compare(8, 2, "01") != 0) return false;
      since = s.substr(0, 7);
    }
    if (!f.until.empty()) {
      auto d = query::DayNumber(f.until);
      if (!d) return false;
      if (query::DayString(*d + 1).compare(8, 2, "01") != 0) return false;
      until = query::DayString(*d).substr(0, 7);
    }
    Params q;
    std::string c = gt ? " FROM cells_gt WHERE 1 = 1" : " FROM cells_geo WHERE 1 = 1";
    if (gt) {
      if (!f.group.empty()) {
        c += " AND group_id = ? AND gkind <= 1";
        q.push_back(Lower(f.group));
      } else {
        c += group_key ? " AND gkind <= 1" : " AND gkind >= 1";
      }
      if (!f.type.empty()) {
        c += " AND type = ? AND tkind <= 1";
        q.push_back(Lower(f.type));
      } else {
        c += type_key ? " AND tkind <= 1" : " AND tkind >= 1";
      }
    }
    if (!f.country.empty()) {
      c += " AND UPPER(country) = UPPER(?)";
      q.push_back(f.country);
    }
    if (!f.province.empty()) {
      c += " AND LOWER(admin1) = LOWER(?)";
      q.push_back(f.province);
    }
    if (!since.empty()) {
      c += " AND dmonth >= ?";
      q.push_back(since);
    }
    if (!until.empty()) {
      c += " AND dmonth <> '' AND dmonth <= ?";
      q.push_back(until);
    }
    if (f.leaders) c += " AND leader = 1";
    *from = c;
    p->insert(p->end(), q.begin(), q.end());
    return true;
  }

  std::string Where(const EventFilter& f, Params* p) {
    std::string w = " WHERE 1 = 1";
    if (!f.group.empty()) {
      w += " AND c.cluster_id IN (SELECT cluster_id FROM cluster_groups WHERE group_id = ?)";
      p->push_back(Lower(f.group));
    }
    if (!f.type.empty()) {
      w += " AND c.cluster_id IN (SELECT cluster_id FROM cluster_types WHERE type = ?)";
      p->push_back(Lower(f.type));
    }
    if (!f.country.empty()) {
      w += " AND UPPER(c.country) = UPPER(?)";
      p->push_back(f.country);
    }
    if (!f.province.empty()) {
      w += " AND LOWER(c.admin1) = LOWER(?)";
      p->push_back(f.province);
    }
    if (!f.district.empty()) {
      w += " AND LOWER(c.admin2) = LOWER(?)";
      p->push_back(f.district);
    }
    if (!f.since.empty()) {
      auto d = query::DayNumber(f.since);
      if (!d) throw StoreError("--since: expected YYYY-MM-DD, got '" + f.since + "'");
      w += " AND c.day >= ?";
      p->push_back(*d);
    }
    if (!f.until.empty()) {
      auto d = query::DayNumber(f.until);
      if (!d) throw StoreError("--until: expected YYYY-MM-DD, got '" + f.until + "'");
      w += " AND c.day <= ?";
      p->push_back(*d);
    }
    if (f.leaders) w += " AND c.leader = 1";
    if (!f.text.empty()) {
      if (Pg()) {
        w += " AND c.cluster_id IN (SELECT e.cluster_id FROM events e JOIN documents d"
             " ON d.doc_id = e.doc_id WHERE d.tsv @@ plainto_tsquery('english', ?))";
        p->push_back(f.text);
      } else {
        // Every word quoted, as the index splits it: user text is never
        // FTS5 syntax, and each quoted word is one term (the index keeps no
        // positions, so a phrase of several could not be matched).
        std::string q;
        for (const auto& word : db->FullTextTerms(f.text))
          q += (q.empty() ? "\"" : " \"") + word + "\"";
        w += " AND c.cluster_id IN (SELECT e.cluster_id FROM events e JOIN documents d"
             " ON d.doc_id = e.doc_id WHERE d.id IN"
             " (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?))";
        p->push_back(q.empty() ? std::string("\"\"") : q);
      }
    }
    if (f.bbox) {
      if (f.bbox->size() != 4) throw StoreError("bbox needs min_lat,min_lon,max_lat,max_lon");
      const auto& b = *f.bbox;
      if (Pg()) {
        w += " AND point(c.lon, c.lat) <@ box(point(CAST(? AS DOUBLE PRECISION),"
             " CAST(? AS DOUBLE PRECISION)), point(CAST(? AS DOUBLE PRECISION),"
             " CAST(? AS DOUBLE PRECISION)))";
        p->insert(p->end(), {b[1], b[0], b[3], b[2]});
      } else {
        w += " AND (c.lat, c.lon) IN (SELECT lat, lon FROM geo_points WHERE min_lat >= ?"
             " AND max_lat <= ? AND min_lon >= ? AND max_lon <= ?)";
        p->insert(p->end(), {b[0], b[2], b[1], b[3]});
      }
    }
    return w;
  }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

std::unique_ptr<Store> Store::Open(const std::string& url, std::string* error) {
  try {
    auto impl = std::make_unique<Impl>();
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
      impl->db = store::OpenPostgres(url);
      impl->backend = "postgresql";
    } else {
      impl->db = store::OpenSqlite(url);
      impl->backend = "sqlite";
    }
    impl->schema_version = store::Migrate(*impl->db);
    return std::unique_ptr<Store>(new Store(std::move(impl)));
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return nullptr;
  }
}

const std::string& Store::backend() const { return impl_->backend; }

int64_t Store::Version() {
  return ToInt(impl_->db->Query("SELECT version FROM store_version WHERE id = 1").at(0).at(0));
}

std::string Store::ContentHash(const Document& d) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&](const std::string& s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0xffu) * 1099511628211ULL;  // field separator
  };
  mix(d.text);
  mix(d.title);
  mix(d.url);
  mix(d.published);
  mix(d.format);
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

namespace {

// Thrown out of a batch stored without savepoints when a document fails.
struct DocumentFailed {};

}  // namespace

IngestStats Store::Impl::IngestBatch(const std::vector<std::pair<Document, Extraction>>& batch,
                                     bool savepoints) {
  IngestStats stats;
  db->BeginWrite();
  fts_pending.clear();
  born.clear();
  born_valid = true;
  cells.Clear();
  batch_sources.clear();
  points_batch.clear();
  try {
    next_ord = ToInt(db->Query("SELECT ords FROM store_version WHERE id = 1").at(0).at(0));
    std::set<std::string> touched;
    for (const auto& [doc, x] : batch) {
      std::string hash = ContentHash(doc);
      auto found = db->Query(Sql().doc_hash, {View(doc.id)});
      bool old = !found.empty();
      if (old && ToStr(found[0][0]) == hash) {
        ++stats.unchanged;
        continue;
      }
      if (savepoints) db->Exec("SAVEPOINT doc");
      // A replaced document may take its full-text row off the pending list.
      size_t fts_size = fts_pending.size();
      std::vector<int64_t> fts_before;
      if (savepoints && old) fts_before = fts_pending;
      try {
        IngestStats one;
        std::set<std::string> t;
        if (old) Recluster(DeleteDocument(doc.id), &t);
        InsertDocument(doc, x, hash, &one, &t);
        if (savepoints) db->Exec("RELEASE SAVEPOINT doc");
        touched.insert(t.begin(), t.end());
        stats.events += one.events;
        stats.merged += one.merged;
        ++(old ? stats.replaced : stats.added);
      } catch (const StoreError& e) {
        if (!savepoints) throw DocumentFailed{};
        db->Exec("ROLLBACK TO SAVEPOINT doc");
        db->Exec("RELEASE SAVEPOINT doc");
        if (old)
          fts_pending = std::move(fts_before);
        else
          fts_pending.resize(fts_size);
        born_valid = false;
        batch_sources.clear();
        ++stats.failed;
        stats.errors.push_back(
            (doc.source.empty() ? doc.id : doc.source) +
            (doc.line ? ":" + std::to_string(doc.line) : std::string()) + ": " + e.what());
      }
    }
    for (const auto& c : touched) RefreshCluster(c);
    cells.Write(*db);
    FlushFullText();
    if (stats.added + stats.replaced > 0)
      db->Exec("UPDATE store_version SET version = version + 1, ords = ? WHERE id = 1",
               {next_ord});
    db->Commit();
    points_known.insert(points_batch.begin(), points_batch.end());
  } catch (...) {
    db->Rollback();
    throw;
  }
  return stats;
}

IngestStats Store::Ingest(const std::vector<std::pair<Document, Extraction>>& batch) {
  // A savepoint per document costs some 3% of an ingest and is needed only
  // when a document fails: the batch is first stored without them and, if
  // one fails, rolled back and stored again with them, so that the failing
  // documents are reported and the others kept.
  try {
    return impl_->IngestBatch(batch, false);
  } catch (const DocumentFailed&) {
  }
  return impl_->IngestBatch(batch, true);
}

std::vector<MergedEvent> Store::Events(const EventFilter& filter, size_t limit) {
  Params p;
  std::string sql =
      "SELECT c.cluster_id, c.date, c.date_precision, c.country, c.admin1, c.admin2, c.place,"
      " c.lat, c.lon, c.geo_precision, c.types, c.groups, c.actor, c.killed, c.captured,"
      " c.leaders_killed, c.leaders_captured, c.bundled, c.sources FROM clusters c" +
      impl_->Where(filter, &p) + " ORDER BY c.date, c.cluster_id LIMIT ?";
  p.push_back(static_cast<int64_t>(limit));
  std::vector<MergedEvent> out;
  for (const auto& r : impl_->db->Query(sql, p)) {
    MergedEvent m;
    m.cluster_id = ToStr(r[0]);
    m.date = ToStr(r[1]);
    m.date_precision = ToStr(r[2]);
    m.country = ToStr(r[3]);
    m.admin1 = ToStr(r[4]);
    m.admin2 = ToStr(r[5]);
    m.place = ToStr(r[6]);
    m.lat = ToOptDouble(r[7]);
    m.lon = ToOptDouble(r[8]);
    m.geo_precision = ToStr(r[9]);
    m.types = SplitBar(ToStr(r[10]));
    m.groups = SplitBar(ToStr(r[11]));
    m.actor = ToStr(r[12]);
    m.killed = ToOptInt(r[13]);
    m.captured = ToOptInt(r[14]);
    m.leaders_killed = ToOptInt(r[15]);
    m.leaders_captured = ToOptInt(r[16]);
    m.count = static_cast<int>(ToInt(r[17], 1));
    m.sources = static_cast<int>(ToInt(r[18], 1));
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<AggregateRow> Store::Aggregate(const EventFilter& filter, GroupBy by) {
  Params p;
  std::string key, join, from;
  if (impl_->CellFrom(filter, {by}, &from, &p)) {
    std::string cell_key = Impl::CellKey(by);
    std::vector<AggregateRow> out;
    for (const auto& r : impl_->db->Query(
             "SELECT " + cell_key + ", SUM(events), SUM(bundled), SUM(killed), SUM(captured)" +
             from + " GROUP BY " + cell_key +
             " HAVING SUM(events) > 0 ORDER BY 1",
             p)) {
      AggregateRow a;
      a.key = ToStr(r[0]);
      a.events = ToInt(r[1]);
      a.count = ToInt(r[2]);
      a.killed = ToInt(r[3]);
      a.captured = ToInt(r[4]);
      out.push_back(std::move(a));
    }
    return out;
  }
  switch (by) {
    case GroupBy::kMonth: key = "c.month"; break;
    case GroupBy::kWeek: key = "c.week"; break;
    case GroupBy::kProvince: key = "c.admin1"; break;
    case GroupBy::kDistrict: key = "c.admin1 || '/' || c.admin2"; break;
    case GroupBy::kCountry: key = "c.country"; break;
    case GroupBy::kGroup:
      key = "g.group_id";
      join = " JOIN cluster_groups g ON g.cluster_id = c.cluster_id";
      break;
    case GroupBy::kType:
      key = "t.type";
      join = " JOIN cluster_types t ON t.cluster_id = c.cluster_id";
      break;
  }
  std::string sql = "SELECT " + key +
                    ", COUNT(*), SUM(c.bundled), SUM(COALESCE(c.killed, 0)),"
                    " SUM(COALESCE(c.captured, 0)) FROM clusters c" +
                    join + impl_->Where(filter, &p) + " GROUP BY " + key + " ORDER BY 1";
  std::vector<AggregateRow> out;
  for (const auto& r : impl_->db->Query(sql, p)) {
    AggregateRow a;
    a.key = ToStr(r[0]);
    a.events = ToInt(r[1]);
    a.count = ToInt(r[2]);
    a.killed = ToInt(r[3]);
    a.captured = ToInt(r[4]);
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<SourceEvent> Store::Sources(const std::string& id) {
  Db& db = *impl_->db;
  auto c = db.Query(
      "SELECT cluster_id FROM events WHERE (event_id = ? OR cluster_id = ? OR doc_id = ?)"
      " AND cluster_id IS NOT NULL ORDER BY ord LIMIT 1",
      {id, id, id});
  std::vector<SourceEvent> out;
  if (c.empty()) return out;
  std::string cluster = ToStr(c[0][0]);
  auto rows = db.Query(std::string("SELECT ") + kEventCols +
                           ", d.url, d.title, d.published, e.evidence, d.text"
                           " FROM events e JOIN documents d"
                           " ON d.doc_id = e.doc_id WHERE e.cluster_id = ? ORDER BY e.ord",
                       {cluster});
  for (const auto& r : rows) {
    SourceEvent s;
    s.event = EventFromRow(r);
    s.event_id = s.event.event_id;
    s.cluster_id = cluster;
    s.doc_id = s.event.doc_id;
    s.merged_with = ToStr(r[3]);
    s.merge_reason = ToStr(r[4]);
    s.url = ToStr(r[33]);
    s.title = ToStr(r[34]);
    s.published = ToStr(r[35]);
    s.event.evidence = store::UnpackEvidence(ToStr(r[36]), ToStr(r[37]));
    for (const auto& pr : db.Query(
             "SELECT name, role, group_id, fate FROM people WHERE doc_id = ? AND event_id = ?"
             " ORDER BY seq",
             {s.doc_id, s.event_id}))
      s.event.people.push_back({ToStr(pr[0]), ToStr(pr[1]), ToStr(pr[2]), ToStr(pr[3])});
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<StoredClaim> Store::Claims() {
  Db& db = *impl_->db;
  std::vector<StoredClaim> out;
  for (const auto& r : db.Query(
           "SELECT c.claim_id, c.doc_id, c.seq, c.text, c.metric, c.value, c.group_id, c.regions,"
           " c.period_from, c.period_to, c.breakdown, c.evidence, d.text FROM claims c"
           " JOIN documents d ON d.doc_id = c.doc_id ORDER BY c.doc_id, c.seq")) {
    StoredClaim s;
    s.doc_id = ToStr(r[1]);
    s.index = static_cast<int>(ToInt(r[2]));
    Claim& c = s.claim;
    c.text = ToStr(r[3]);
    c.metric = ToStr(r[4]);
    c.value = ToInt(r[5]);
    c.group = ToStr(r[6]);
    c.regions = SplitBar(ToStr(r[7]));
    c.period_from = ToStr(r[8]);
    c.period_to = ToStr(r[9]);
    for (const auto& part : SplitBar(ToStr(r[10]))) {
      auto eq = part.rfind('=');
      if (eq == std::string::npos) continue;
      c.breakdown.push_back({part.substr(0, eq), std::stoll(part.substr(eq + 1))});
    }
    c.evidence = store::UnpackEvidence(ToStr(r[11]), ToStr(r[12]));
    out.push_back(std::move(s));
  }
  return out;
}

StoreStats Store::Stats() {
  StoreStats s;
  Db& db = *impl_->db;
  s.schema_version = impl_->schema_version;
  auto n = [&](const char* sql) { return ToInt(db.Query(sql).at(0).at(0)); };
  s.documents = n("SELECT COUNT(*) FROM documents");
  s.events = n("SELECT COUNT(*) FROM events");
  s.clusters = n("SELECT COUNT(*) FROM clusters");
  s.claims = n("SELECT COUNT(*) FROM claims");
  s.relations = n("SELECT COUNT(*) FROM relations");
  s.sources = n("SELECT COUNT(*) FROM sources");
  // Two subqueries: each reads one end of the day index, where MIN and MAX
  // in one query scan all of it.
  auto d = db.Query("SELECT (SELECT MIN(day) FROM clusters), (SELECT MAX(day) FROM clusters)");
  if (!d.empty() && d[0][0]) {
    s.first_date = query::DayString(ToInt(d[0][0]));
    s.last_date = query::DayString(ToInt(d[0][1]));
  }
  return s;
}

// ---- read side of the dashboard (`sitrep serve`) ----------------------------

namespace {

MergedEvent MergedFromRow(const Row& r) {
  MergedEvent m;
  m.cluster_id = ToStr(r[0]);
  m.date = ToStr(r[1]);
  m.date_precision = ToStr(r[2]);
  m.country = ToStr(r[3]);
  m.admin1 = ToStr(r[4]);
  m.admin2 = ToStr(r[5]);
  m.place = ToStr(r[6]);
  m.lat = ToOptDouble(r[7]);
  m.lon = ToOptDouble(r[8]);
  m.geo_precision = ToStr(r[9]);
  m.types = SplitBar(ToStr(r[10]));
  m.groups = SplitBar(ToStr(r[11]));
  m.actor = ToStr(r[12]);
  m.killed = ToOptInt(r[13]);
  m.captured = ToOptInt(r[14]);
  m.leaders_killed = ToOptInt(r[15]);
  m.leaders_captured = ToOptInt(r[16]);
  m.count = static_cast<int>(ToInt(r[17], 1));
  m.sources = static_cast<int>(ToInt(r[18], 1));
  return m;
}

// Key expression and join for one grouping; `alias` names the join table.
std::string GroupKey(GroupBy by, const std::string& alias, std::string* join) {
  switch (by) {
    case GroupBy::kMonth: return "c.month";
    case GroupBy::kWeek: return "c.week";
    case GroupBy::kProvince: return "c.admin1";
    case GroupBy::kDistrict: return "c.admin1 || '/' || c.admin2";
    case GroupBy::kCountry: return "c.country";
    case GroupBy::kGroup:
      *join += " JOIN cluster_groups " + alias + " ON " + alias + ".cluster_id = c.cluster_id";
      return alias + ".group_id";
    case GroupBy::kType:
      *join += " JOIN cluster_types " + alias + " ON " + alias + ".cluster_id = c.cluster_id";
      return alias + ".type";
  }
  return "c.month";
}

}  // namespace

std::unique_ptr<Store> Store::Open(const std::string& url, const StoreOpenOptions& options,
                                   std::string* error) {
  if (!options.read_only && options.query_timeout_ms <= 0) return Open(url, error);
  try {
    auto impl = std::make_unique<Impl>();
    bool pg = url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
    if (pg) {
      impl->db = store::OpenPostgres(url);
      impl->backend = "postgresql";
      if (options.read_only) impl->db->Exec("SET default_transaction_read_only = on", {});
      if (options.query_timeout_ms > 0)
        impl->db->Exec("SET statement_timeout = " + std::to_string(options.query_timeout_ms), {});
    } else {
      impl->db = store::OpenSqlite(url, options.read_only, options.query_timeout_ms);
      impl->backend = "sqlite";
    }
    if (options.read_only) {
      std::vector<Row> v;
      try {
        v = impl->db->Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
      } catch (const StoreError&) {
        throw StoreError("not a sitrep store (no schema): create it with `sitrep ingest`");
      }
      impl->schema_version = static_cast<int>(ToInt(v.at(0).at(0)));
      if (impl->schema_version != store::kSchemaVersion)
        throw StoreError("store schema v" + std::to_string(impl->schema_version) +
                         ", this sitrep reads v" + std::to_string(store::kSchemaVersion) +
                         ": open it once with `sitrep ingest` to migrate");
    } else {
      impl->schema_version = store::Migrate(*impl->db);
    }
    return std::unique_ptr<Store>(new Store(std::move(impl)));
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return nullptr;
  }
}

std::vector<MergedEvent> Store::Events(const EventFilter& filter, size_t limit,
                                       const EventOrder& order) {
  static const std::map<std::string, std::string> kSort = {
      {"date", "c.day"},          {"country", "c.country"}, {"province", "c.admin1"},
      {"district", "c.admin2"},   {"place", "c.place"},     {"type", "c.types"},
      {"group", "c.groups"},      {"actor", "c.actor"},     {"killed", "c.killed"},
      {"captured", "c.captured"}, {"sources", "c.sources"}, {"count", "c.bundled"},
      {"id", "c.cluster_id"}};
  auto it = kSort.find(order.sort);
  std::string col = it == kSort.end() ? "c.day" : it->second;
  const char* dir = order.descending ? " DESC" : " ASC";
  // Dates sort on the indexed day column alone so that a page is read from
  // the index; other columns put NULLs last in both directions.
  std::string by = col == "c.day" ? col + dir : "(" + col + " IS NULL), " + col + dir;
  if (col == "c.day") by += ", c.date" + std::string(dir);
  by += ", c.cluster_id" + std::string(dir);
  Params p;
  std::string sql =
      "SELECT c.cluster_id, c.date, c.date_precision, c.country, c.admin1, c.admin2, c.place,"
      " c.lat, c.lon, c.geo_precision, c.types, c.groups, c.actor, c.killed, c.captured,"
      " c.leaders_killed, c.leaders_captured, c.bundled, c.sources FROM clusters c" +
      impl_->Where(filter, &p) + " ORDER BY " + by + " LIMIT ? OFFSET ?";
  p.push_back(static_cast<int64_t>(limit));
  p.push_back(static_cast<int64_t>(order.offset));
  std::vector<MergedEvent> out;
  for (const auto& r : impl_->db->Query(sql, p)) out.push_back(MergedFromRow(r));
  return out;
}

std::vector<ClusterFacts> Store::AllClusters() {
  std::vector<ClusterFacts> out;
  for (const auto& r : impl_->db->Query(
           "SELECT c.cluster_id, c.date, c.date_precision, c.country, c.admin1, c.admin2, c.place,"
           " c.lat, c.lon, c.geo_precision, c.types, c.groups, c.actor, c.killed, c.captured,"
           " c.leaders_killed, c.leaders_captured, c.bundled, c.sources, c.day, c.month, c.week,"
           " c.leader FROM clusters c ORDER BY c.cluster_id")) {
    ClusterFacts f;
    f.event = MergedFromRow(r);
    if (r[19]) f.day = ToInt(r[19]);
    f.month = ToStr(r[20]);
    f.week = ToStr(r[21]);
    f.leader = ToInt(r[22]) != 0;
    out.push_back(std::move(f));
  }
  return out;
}

int64_t Store::CountEvents(const EventFilter& filter) {
  Params p;
  std::string from;
  if (impl_->CellFrom(filter, {}, &from, &p))
    return ToInt(impl_->db->Query("SELECT SUM(events)" + from, p).at(0).at(0));
  std::string sql = "SELECT COUNT(*) FROM clusters c" + impl_->Where(filter, &p);
  return ToInt(impl_->db->Query(sql, p).at(0).at(0));
}

std::vector<MapPoint> Store::Points(const EventFilter& filter, size_t limit) {
  Params p;
  // SQLite: `+` keeps the clusters(lat, lon) index (for boxes) out of this
  // plan; walking it in order and reading each cluster from it took 3 s on
  // a million merged events, the table scan and a sort take 1.
  const char* plus = impl_->Pg() ? "" : "+";
  std::string sql =
      "SELECT c.lat, c.lon, COUNT(*), MIN(c.place), MIN(c.admin2), MIN(c.admin1),"
      " MIN(c.country) FROM clusters c" +
      impl_->Where(filter, &p) + " AND " + plus + "c.lat IS NOT NULL AND " + plus +
      "c.lon IS NOT NULL GROUP BY " + plus + "c.lat, " + plus + "c.lon"
      " ORDER BY 3 DESC, 1, 2 LIMIT ?";
  p.push_back(static_cast<int64_t>(limit));
  std::vector<MapPoint> out;
  for (const auto& r : impl_->db->Query(sql, p)) {
    MapPoint m;
    m.lat = ToOptDouble(r[0]).value_or(0);
    m.lon = ToOptDouble(r[1]).value_or(0);
    m.events = ToInt(r[2]);
    m.place = ToStr(r[3]);
    m.admin2 = ToStr(r[4]);
    m.admin1 = ToStr(r[5]);
    m.country = ToStr(r[6]);
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<Aggregate2Row> Store::Aggregate(const EventFilter& filter, GroupBy by,
                                            GroupBy then) {
  Params p;
  std::string from;
  // Grouping by group twice pairs each cluster's groups: only the joins say that.
  bool twice = by == then && (by == GroupBy::kGroup || by == GroupBy::kType);
  if (!twice && impl_->CellFrom(filter, {by, then}, &from, &p)) {
    std::string k1c = Impl::CellKey(by), k2c = Impl::CellKey(then);
    std::vector<Aggregate2Row> out;
    for (const auto& r : impl_->db->Query(
             "SELECT " + k1c + ", " + k2c + ", SUM(events), SUM(bundled)" + from +
                 " GROUP BY " + k1c + ", " + k2c + " HAVING SUM(events) > 0 ORDER BY 1, 2",
             p)) {
      Aggregate2Row a;
      a.key = ToStr(r[0]);
      a.key2 = ToStr(r[1]);
      a.events = ToInt(r[2]);
      a.count = ToInt(r[3]);
      out.push_back(std::move(a));
    }
    return out;
  }
  std::string join;
  std::string k1 = GroupKey(by, "g1", &join);
  std::string k2 = GroupKey(then, "g2", &join);
  std::string sql = "SELECT " + k1 + ", " + k2 + ", COUNT(*), SUM(c.bundled) FROM clusters c" +
                    join + impl_->Where(filter, &p) + " GROUP BY " + k1 + ", " + k2 +
                    " ORDER BY 1, 2";
  std::vector<Aggregate2Row> out;
  for (const auto& r : impl_->db->Query(sql, p)) {
    Aggregate2Row a;
    a.key = ToStr(r[0]);
    a.key2 = ToStr(r[1]);
    a.events = ToInt(r[2]);
    a.count = ToInt(r[3]);
    out.push_back(std::move(a));
  }
  return out;
}

std::optional<StoredDocument> Store::FindDocument(const std::string& doc_id) {
  Db& db = *impl_->db;
  auto d = db.Query(
      "SELECT doc_id, url, title, published, format, text FROM documents WHERE doc_id = ?",
      {doc_id});
  if (d.empty()) return std::nullopt;
  StoredDocument out;
  out.doc.id = ToStr(d[0][0]);
  out.doc.url = ToStr(d[0][1]);
  out.doc.title = ToStr(d[0][2]);
  out.doc.published = ToStr(d[0][3]);
  out.doc.format = ToStr(d[0][4]);
  out.doc.text = ToStr(d[0][5]);
  for (const auto& r : db.Query(std::string("SELECT ") + kEventCols +
                                    ", e.evidence FROM events e WHERE e.doc_id = ? ORDER BY e.seq",
                                {doc_id})) {
    SourceEvent s;
    s.event = EventFromRow(r);
    s.event_id = s.event.event_id;
    s.cluster_id = ToStr(r[2]);
    s.doc_id = doc_id;
    s.url = out.doc.url;
    s.title = out.doc.title;
    s.published = out.doc.published;
    s.merged_with = ToStr(r[3]);
    s.merge_reason = ToStr(r[4]);
    s.event.evidence = store::UnpackEvidence(ToStr(r[33]), out.doc.text);
    out.events.push_back(std::move(s));
  }
  for (const auto& r : db.Query(
           "SELECT claim_id, seq, text, metric, value, group_id, regions, period_from, period_to,"
           " evidence FROM claims WHERE doc_id = ? ORDER BY seq",
           {doc_id})) {
    StoredClaim c;
    c.doc_id = doc_id;
    c.index = static_cast<int>(ToInt(r[1]));
    c.claim.text = ToStr(r[2]);
    c.claim.metric = ToStr(r[3]);
    c.claim.value = ToInt(r[4]);
    c.claim.group = ToStr(r[5]);
    c.claim.regions = SplitBar(ToStr(r[6]));
    c.claim.period_from = ToStr(r[7]);
    c.claim.period_to = ToStr(r[8]);
    c.claim.evidence = store::UnpackEvidence(ToStr(r[9]), out.doc.text);
    out.claims.push_back(std::move(c));
  }
  for (const auto& r :
       db.Query("SELECT seq, a, b, kind, evidence FROM relations WHERE doc_id = ? ORDER BY seq",
                {doc_id})) {
    Relation rel{ToStr(r[1]), ToStr(r[2]), ToStr(r[3]), {}};
    rel.evidence = store::UnpackEvidence(ToStr(r[4]), out.doc.text);
    out.relations.push_back(std::move(rel));
  }
  return out;
}

std::vector<StoredRelation> Store::Relations() {
  Db& db = *impl_->db;
  std::vector<StoredRelation> out;
  for (const auto& r : db.Query(
           "SELECT r.doc_id, r.a, r.b, r.kind, r.evidence, d.text FROM relations r"
           " JOIN documents d ON d.doc_id = r.doc_id ORDER BY r.doc_id, r.seq",
           {})) {
    Relation rel{ToStr(r[1]), ToStr(r[2]), ToStr(r[3]), {}};
    rel.evidence = store::UnpackEvidence(ToStr(r[4]), ToStr(r[5]));
    out.push_back({ToStr(r[0]), std::move(rel)});
  }
  return out;
}

}  // namespace sitrep
