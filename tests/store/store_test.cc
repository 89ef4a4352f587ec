// Store, merge, query and claim checks on texts written for these tests
// (tests/data/store). Backend tests run on SQLite, and on PostgreSQL when
// SITREP_TEST_PG_URL names a server (scripts/test-postgres.sh starts one).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <fstream>
#include <map>
#include <set>

#include "query/claim_check.h"
#include "query/format.h"
#include "query/merge.h"
#include "sitrep/store.h"
#include "store/db.h"
#include "store/schema.h"
#include "util/json_writer.h"
#include "synthetic_store.h"
#include "test_util.h"

namespace sitrep {
namespace {

using testing::Binary;
using testing::FullPipeline;
using testing::RunCommand;
using testing::TempPath;

std::string DataPath(const std::string& name) {
  return std::string(SITREP_TEST_DATA_DIR) + "/store/" + name;
}

std::vector<Document> ReadAll(const std::string& path) {
  std::vector<Document> docs;
  ReadDocuments({path}, [&](Document&& d) { docs.push_back(std::move(d)); return true; },
                [](const ReadError& e) { ADD_FAILURE() << e.ToString(); });
  return docs;
}

std::vector<std::pair<Document, Extraction>> Extract(const std::vector<Document>& docs) {
  std::vector<std::pair<Document, Extraction>> out;
  for (const auto& d : docs) out.emplace_back(d, FullPipeline().Extract(d));
  return out;
}

Document Doc(const std::string& id, const std::string& published, const std::string& text) {
  Document d;
  d.id = id;
  d.published = published;
  d.text = text;
  return d;
}

// ---- merge precision and recall on hand-written pairs -----------------------

struct Pair {
  std::string id, kind;
  bool same = false;
  Document a, b;
};

std::vector<Pair> LoadPairs() {
  std::vector<Pair> pairs;
  std::ifstream in(DataPath("merge_pairs.jsonl"));
  std::string line;
  simdjson::dom::parser parser;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    simdjson::dom::element e = parser.parse(line);
    Pair p;
    p.id = std::string(e["pair"].get_string().value());
    p.kind = std::string(e["kind"].get_string().value());
    p.same = e["same"].get_bool().value();
    p.a = Doc(p.id + "-a", std::string(e["a"]["published"].get_string().value()),
              std::string(e["a"]["text"].get_string().value()));
    p.b = Doc(p.id + "-b", std::string(e["b"]["published"].get_string().value()),
              std::string(e["b"]["text"].get_string().value()));
    pairs.push_back(std::move(p));
  }
  return pairs;
}

bool SameByRule(const Extraction& a, const Extraction& b, std::string* why) {
  for (const auto& x : a.events)
    for (const auto& y : b.events) {
      auto d = query::CompareEvents(query::FactsOf(x), query::FactsOf(y));
      *why = d.reason;
      if (d.same) return true;
    }
  return false;
}

TEST(MergePairs, PrecisionAndRecall) {
  auto pairs = LoadPairs();
  ASSERT_GE(pairs.size(), 60u);
  int tp = 0, fp = 0, fn = 0, tn = 0, positives = 0;
  for (const auto& p : pairs) {
    auto xa = FullPipeline().Extract(p.a), xb = FullPipeline().Extract(p.b);
    std::string why;
    bool same = SameByRule(xa, xb, &why);
    positives += p.same;
    if (same && p.same) ++tp;
    else if (same) ++fp, ADD_FAILURE() << p.id << " (" << p.kind << ") merged: " << why;
    else if (p.same) ++fn, std::printf("missed %s (%s): %s\n", p.id.c_str(), p.kind.c_str(), why.c_str());
    else ++tn;
  }
  double precision = tp + fp ? double(tp) / (tp + fp) : 1.0;
  double recall = tp + fn ? double(tp) / (tp + fn) : 1.0;
  std::printf("merge pairs: %zu (%d same, %zu near misses): tp=%d fp=%d fn=%d tn=%d "
              "precision=%.3f recall=%.3f\n",
              pairs.size(), positives, pairs.size() - positives, tp, fp, fn, tn, precision,
              recall);
  // End to end (extractor + rule), so the number moves with the extractor:
  // every miss so far traced to an extraction error (a count read as 0 or 1,
  // a weekday taken over an explicit date, a type), not to the merge rule.
  EXPECT_GE(precision, 0.95);
  EXPECT_GE(recall, 0.95);
}

// The store applies the same rule: one merged event per pair that is the same.
TEST(MergePairs, StoreClustersAgreeWithRule) {
  auto pairs = LoadPairs();
  int checked = 0;
  for (const auto& p : pairs) {
    if (++checked > 24) break;  // a sample keeps the test fast
    std::string path = TempPath("pair-" + p.id + ".db");
    std::filesystem::remove(path);
    std::string err;
    auto store = Store::Open(path, &err);
    ASSERT_TRUE(store) << err;
    auto batch = Extract({p.a, p.b});
    std::string why;
    bool same = SameByRule(batch[0].second, batch[1].second, &why);
    store->Ingest(batch);
    auto s = store->Stats();
    EXPECT_EQ(s.clusters, s.events - (same ? 1 : 0)) << p.id;
  }
}

TEST(Merge, DayNumbersAndWeeks) {
  EXPECT_EQ(*query::DayNumber("1970-01-02"), 1);
  EXPECT_EQ(query::DayString(*query::DayNumber("2011-04-13")), "2011-04-13");
  EXPECT_EQ(query::IsoWeek("2011-04-13"), "2011-W15");
  EXPECT_EQ(query::IsoWeek("2011-01-01"), "2010-W52");
  EXPECT_FALSE(query::DayNumber("2011-04"));
}

TEST(Merge, ExplainsVetoes) {
  Event a, b;
  a.date = b.date = "2011-04-13";
  a.date_precision = b.date_precision = "day";
  a.location.admin1 = b.location.admin1 = "Kunduz";
  a.location.admin2 = "Imam Sahib";
  b.location.admin2 = "Khan Abad";
  auto d = query::CompareEvents(query::FactsOf(a), query::FactsOf(b));
  EXPECT_FALSE(d.same);
  EXPECT_NE(d.reason.find("districts differ"), std::string::npos) << d.reason;
  b.location.admin2 = "Imam Sahib";
  a.captured = 3;
  b.captured = 14;
  d = query::CompareEvents(query::FactsOf(a), query::FactsOf(b));
  EXPECT_FALSE(d.same);
  EXPECT_NE(d.reason.find("captured counts differ"), std::string::npos) << d.reason;
  b.captured = 3;
  d = query::CompareEvents(query::FactsOf(a), query::FactsOf(b));
  EXPECT_TRUE(d.same) << d.reason;
}

// ---- claim parsing ------------------------------------------------------------

TEST(ClaimParse, SixteenRaids) {
  query::ClaimParseOptions o;
  o.as_of = "2011-05-02";
  o.group_of = [](const std::string& s) { return s == "IMU" ? std::string("imu") : ""; };
  Claim c;
  ASSERT_TRUE(query::ParseClaim(
      "16 raids against the IMU in Badakhshan, Baghlan, Faryab, Kunduz, Takhar, Logar, and "
      "Wardak provinces since January 29. Nine of these raids took place in April and four "
      "occurred in March.",
      o, &c));
  EXPECT_EQ(c.value, 16);
  EXPECT_EQ(c.metric, "raids");
  EXPECT_EQ(c.group, "imu");
  EXPECT_EQ(c.regions, (std::vector<std::string>{"Badakhshan", "Baghlan", "Faryab", "Kunduz",
                                                 "Takhar", "Logar", "Wardak"}));
  EXPECT_EQ(c.period_from, "2011-01-29");
  ASSERT_EQ(c.breakdown.size(), 2u);
  EXPECT_EQ(c.breakdown[0].period, "2011-04");
  EXPECT_EQ(c.breakdown[0].value, 9);
  EXPECT_EQ(c.breakdown[1].period, "2011-03");
  EXPECT_EQ(c.breakdown[1].value, 4);
}

TEST(ClaimParse, YearAndSemicolonForm) {
  query::ClaimParseOptions o;
  Claim c;
  ASSERT_TRUE(query::ParseClaim(
      "12 strikes in Helmand and Kandahar provinces since March 3, 2012; 5 in April", o, &c));
  EXPECT_EQ(c.value, 12);
  EXPECT_EQ(c.metric, "strikes");
  EXPECT_EQ(c.regions, (std::vector<std::string>{"Helmand", "Kandahar"}));
  EXPECT_EQ(c.period_from, "2012-03-03");
  ASSERT_EQ(c.breakdown.size(), 1u);
  EXPECT_EQ(c.breakdown[0].period, "2012-04");
  EXPECT_FALSE(query::ParseClaim("The weather was fine in Kabul.", o, &c));
}

// ---- backends -------------------------------------------------------------------

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      const char* url = std::getenv("SITREP_TEST_PG_URL");
      if (!url || !*url) GTEST_SKIP() << "SITREP_TEST_PG_URL not set";
      std::string schema = "t_" + std::to_string(::getpid()) + "_" +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name();
      for (auto& c : schema)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      auto db = store::OpenPostgres(url);
      db->Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      db->Exec("CREATE SCHEMA " + schema);
      std::string u = url;
      url_ = u + (u.find('?') == std::string::npos ? "?" : "&") +
             "options=-csearch_path%3D" + schema;
    } else {
      std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
      for (auto& c : name)
        if (c == '/') c = '_';
      url_ = TempPath(name + ".db");
      std::filesystem::remove(url_);
      std::filesystem::remove(url_ + "-wal");
      std::filesystem::remove(url_ + "-shm");
    }
    std::string err;
    store_ = Store::Open(url_, &err);
    ASSERT_TRUE(store_) << err;
  }

  void IngestImu() {
    auto s = store_->Ingest(Extract(ReadAll(DataPath("imu_releases.jsonl"))));
    ASSERT_EQ(s.added, 21u);
    ASSERT_EQ(s.failed, 0u);
  }

  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, SchemaVersionAndEmptyStats) {
  auto s = store_->Stats();
  EXPECT_EQ(s.schema_version, store::kSchemaVersion);
  EXPECT_EQ(s.documents, 0);
  // Opening again migrates nothing and keeps the version.
  std::string err;
  auto again = Store::Open(url_, &err);
  ASSERT_TRUE(again) << err;
  EXPECT_EQ(again->Stats().schema_version, store::kSchemaVersion);
}

TEST_P(StoreTest, IngestIsIdempotent) {
  IngestImu();
  auto before = store_->Stats();
  EXPECT_EQ(before.documents, 21);
  EXPECT_EQ(before.events, 20);
  EXPECT_EQ(before.clusters, 19);  // the wire story merges with its release
  EXPECT_EQ(before.sources, 3);    // releases, wire, analysis hosts
  auto s = store_->Ingest(Extract(ReadAll(DataPath("imu_releases.jsonl"))));
  EXPECT_EQ(s.unchanged, 21u);
  EXPECT_EQ(s.added + s.replaced + s.events, 0u);
  auto after = store_->Stats();
  EXPECT_EQ(after.documents, before.documents);
  EXPECT_EQ(after.events, before.events);
  EXPECT_EQ(after.clusters, before.clusters);
}

TEST_P(StoreTest, UpdatedDocumentReplacesItsRecords) {
  IngestImu();
  // The release is corrected: the operation was in Khan Abad, not Imam Sahib.
  Document d = Doc("imu-2011-04-13", "2011-04-13",
                   "KABUL, Afghanistan (April 14, 2011)\nAn Afghan and coalition security "
                   "force detained an Islamic Movement of Uzbekistan leader and two suspected "
                   "insurgents during an operation in Khan Abad district, Kunduz province, "
                   "yesterday.");
  d.url = "https://releases.example.org/2011/04/13/kunduz";
  auto s = store_->Ingest(Extract({d}));
  EXPECT_EQ(s.replaced, 1u);
  auto st = store_->Stats();
  EXPECT_EQ(st.documents, 21);
  EXPECT_EQ(st.events, 20);
  EXPECT_EQ(st.clusters, 20);  // the wire story (Imam Sahib) no longer merges
  EventFilter f;
  f.district = "Khan Abad";
  f.since = "2011-04-13";
  f.until = "2011-04-13";
  auto ev = store_->Events(f);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].sources, 1);
  f.district = "Imam Sahib";
  ev = store_->Events(f);
  ASSERT_EQ(ev.size(), 1u);
  auto src = store_->Sources(ev[0].cluster_id);
  ASSERT_EQ(src.size(), 1u);
  EXPECT_EQ(src[0].doc_id, "wire-2011-04-14");
  EXPECT_TRUE(src[0].merged_with.empty());
}

TEST_P(StoreTest, QueriesFilterAndAggregate) {
  IngestImu();
  EventFilter f;
  f.group = "imu";
  f.type = "raid";
  auto months = store_->Aggregate(f, GroupBy::kMonth);
  std::map<std::string, int64_t> m;
  for (const auto& r : months) m[r.key] = r.events;
  EXPECT_EQ(m["2011-01"], 1);
  EXPECT_EQ(m["2011-02"], 3);
  EXPECT_EQ(m["2011-03"], 4);
  EXPECT_EQ(m["2011-04"], 10);  // nine in the claimed provinces, one in Balkh
  f.province = "kunduz";
  f.since = "2011-02-01";
  EXPECT_EQ(store_->Events(f).size(), 4u);
  EventFilter g;
  auto groups = store_->Aggregate(g, GroupBy::kGroup);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].key, "imu");
  EXPECT_EQ(groups[0].events, 18);
  EXPECT_EQ(groups[1].key, "taliban");
  g.country = "AF";
  g.leaders = true;
  auto leaders = store_->Events(g);
  EXPECT_GE(leaders.size(), 10u);
  EXPECT_LT(leaders.size(), 19u);
  EventFilter t;
  t.text = "Uzbek militant";  // only the wire story's title says this
  auto hits = store_->Events(t);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].admin2, "Imam Sahib");
  EXPECT_EQ(hits[0].sources, 2);
  // Words joined by a non-ASCII dash or quoted with curly quotes are still
  // words that must all occur (never a phrase, which the index cannot match).
  for (const char* text : {"Uzbek\u2013militant", "\u201cUzbek\u201d militant"}) {
    t.text = text;
    auto same = store_->Events(t);
    ASSERT_EQ(same.size(), 1u) << text;
    EXPECT_EQ(same[0].cluster_id, hits[0].cluster_id) << text;
  }
  EventFilter box;  // Takhar and Badakhshan, east of 69.3 E
  box.bbox = std::vector<double>{36.0, 69.3, 38.0, 71.5};
  std::set<std::string> provinces;
  for (const auto& e : store_->Events(box)) provinces.insert(e.admin1);
  EXPECT_EQ(provinces, (std::set<std::string>{"Badakhshan", "Takhar"}));
  auto weeks = store_->Aggregate(EventFilter{}, GroupBy::kWeek);
  EXPECT_EQ(weeks.front().key, "2011-W03");
}

TEST_P(StoreTest, ExplainMerge) {
  IngestImu();
  auto src = store_->Sources("wire-2011-04-14");
  ASSERT_EQ(src.size(), 2u);
  EXPECT_EQ(src[0].doc_id, "imu-2011-04-13");
  EXPECT_EQ(src[1].doc_id, "wire-2011-04-14");
  EXPECT_EQ(src[1].merged_with, src[0].event_id);
  EXPECT_NE(src[1].merge_reason.find("same district Imam Sahib"), std::string::npos)
      << src[1].merge_reason;
  ASSERT_FALSE(src[1].event.evidence.empty());
  EXPECT_NE(src[1].event.evidence[0].text.find("night raid"), std::string::npos);
  std::string text = query::FormatExplainMerge(src);
  EXPECT_NE(text.find("2 reports"), std::string::npos) << text;
}

TEST_P(StoreTest, SixteenRaidsClaimHolds) {
  IngestImu();
  query::ClaimParseOptions o;
  o.as_of = store_->Stats().last_date;
  EXPECT_EQ(o.as_of, "2011-04-28");
  o.group_of = [](const std::string& s) { return s == "IMU" ? std::string("imu") : ""; };
  Claim c;
  ASSERT_TRUE(query::ParseClaim(
      "16 raids against the IMU in Badakhshan, Baghlan, Faryab, Kunduz, Takhar, Logar, and "
      "Wardak provinces since January 29. Nine of these raids took place in April and four "
      "occurred in March.",
      o, &c));
  auto r = query::CheckClaim(*store_, c);
  EXPECT_TRUE(r.holds);
  ASSERT_EQ(r.parts.size(), 10u);
  EXPECT_EQ(r.parts[0].counted, 16);
  EXPECT_EQ(r.parts.back().label, "2011-03");
  EXPECT_EQ(r.parts.back().counted, 4);
  EXPECT_EQ(r.parts[8].counted, 9);
  // A wrong breakdown does not hold, and says which part fails.
  c.breakdown[0].value = 8;
  c.value = 15;
  r = query::CheckClaim(*store_, c);
  EXPECT_FALSE(r.holds);
  EXPECT_FALSE(r.parts[0].holds);
  EXPECT_FALSE(r.parts[8].holds);
  EXPECT_TRUE(r.parts[9].holds);
  std::string text = query::FormatClaimCheck(*store_, r, true);
  EXPECT_NE(text.find("DOES NOT HOLD"), std::string::npos);
  EXPECT_NE(text.find("night raid"), std::string::npos);  // evidence of the merged event
}

TEST_P(StoreTest, AcledExport) {
  IngestImu();
  EventFilter f;
  f.district = "Imam Sahib";
  f.since = "2011-04-01";
  std::string csv = query::FormatAcled(*store_, store_->Events(f));
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "event_date,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,location,"
            "latitude,longitude,geo_precision,source,notes,fatalities");
  EXPECT_NE(csv.find("2011-04-13,Strategic developments,Arrests,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("https://releases.example.org/2011/04/13/kunduz; "
                     "https://wire.example.net/afghanistan/uzbek-militant-held"),
            std::string::npos)
      << csv;
}

// ---- summary cells: the same counts as the clusters ---------------------------

// Counts per key computed here from the merged events Events() returns (the
// clusters table, never the summary cells).
std::map<std::string, AggregateRow> Oracle(Store& store, const EventFilter& f, GroupBy by) {
  std::map<std::string, AggregateRow> out;
  for (const auto& m : store.Events(f, 1000000)) {
    std::vector<std::string> keys;
    switch (by) {
      case GroupBy::kMonth: keys = {m.date.size() >= 7 ? m.date.substr(0, 7) : ""}; break;
      case GroupBy::kWeek: keys = {query::IsoWeek(m.date)}; break;
      case GroupBy::kProvince: keys = {m.admin1}; break;
      case GroupBy::kDistrict: keys = {m.admin1 + "/" + m.admin2}; break;
      case GroupBy::kCountry: keys = {m.country}; break;
      case GroupBy::kGroup: keys = m.groups; break;
      case GroupBy::kType: keys = m.types; break;
    }
    for (const auto& k : keys) {
      AggregateRow& a = out[k];
      a.key = k;
      ++a.events;
      a.count += m.count;
      a.killed += m.killed.value_or(0);
      a.captured += m.captured.value_or(0);
    }
  }
  return out;
}

std::vector<EventFilter> SummaryFilters() {
  std::vector<EventFilter> fs(14);
  fs[1].group = "imu";
  fs[2].type = "Raid";
  fs[3].group = "taliban";
  fs[3].type = "raid";
  fs[4].province = "kunduz";
  fs[5].country = "af";
  fs[6].leaders = true;
  fs[7].since = "2011-03-01";  // whole months: the cells answer
  fs[7].until = "2011-04-30";
  fs[8].since = "2011-03-02";  // not: the clusters answer
  fs[9].group = "haqqani";
  fs[9].since = "2011-02-01";
  fs[9].leaders = true;
  fs[10].province = "Helmand";
  fs[10].group = "taliban";
  fs[11].district = "Kunduz D1";
  fs[12].until = "2011-05-31";
  fs[12].country = "AF";
  fs[13].group = "nobody";
  return fs;
}

void ExpectCellsAgree(Store& store, const std::string& when) {
  const GroupBy keys[] = {GroupBy::kMonth,   GroupBy::kWeek,    GroupBy::kProvince, GroupBy::kDistrict,
                          GroupBy::kCountry, GroupBy::kGroup,   GroupBy::kType};
  int i = 0;
  for (const auto& f : SummaryFilters()) {
    SCOPED_TRACE(when + ", filter " + std::to_string(i++));
    EXPECT_EQ(store.CountEvents(f), static_cast<int64_t>(store.Events(f, 1000000).size()));
    for (GroupBy by : keys) {
      auto want = Oracle(store, f, by);
      auto got = store.Aggregate(f, by);
      ASSERT_EQ(got.size(), want.size()) << "by " << static_cast<int>(by);
      for (const auto& a : got) {
        const AggregateRow& w = want[a.key];
        EXPECT_EQ(a.events, w.events) << a.key;
        EXPECT_EQ(a.count, w.count) << a.key;
        EXPECT_EQ(a.killed, w.killed) << a.key;
        EXPECT_EQ(a.captured, w.captured) << a.key;
      }
      // Two keys: every pair of an event's keys, as the joins pair them.
      for (GroupBy then : {GroupBy::kGroup, GroupBy::kType, GroupBy::kMonth, GroupBy::kProvince}) {
        std::map<std::pair<std::string, std::string>, int64_t> pairs;
        for (const auto& r : store.Aggregate(f, by, then)) pairs[{r.key, r.key2}] = r.events;
        std::map<std::pair<std::string, std::string>, int64_t> expect;
        for (const auto& m : store.Events(f, 1000000)) {
          auto keys_of = [&](GroupBy k) -> std::vector<std::string> {
            switch (k) {
              case GroupBy::kMonth: return {m.date.size() >= 7 ? m.date.substr(0, 7) : ""};
              case GroupBy::kWeek: return {query::IsoWeek(m.date)};
              case GroupBy::kProvince: return {m.admin1};
              case GroupBy::kDistrict: return {m.admin1 + "/" + m.admin2};
              case GroupBy::kCountry: return {m.country};
              case GroupBy::kGroup: return m.groups;
              case GroupBy::kType: return m.types;
            }
            return {};
          };
          for (const auto& k1 : keys_of(by))
            for (const auto& k2 : keys_of(then)) ++expect[{k1, k2}];
        }
        EXPECT_EQ(pairs, expect) << "by " << static_cast<int>(by) << " then "
                                 << static_cast<int>(then);
      }
    }
  }
}

// A document that fails (here: an event id another document already has)
// is reported and rolled back alone: the batch is stored again with a
// savepoint per document, and the store ends up as without that document.
TEST_P(StoreTest, FailingDocumentIsRolledBackAlone) {
  auto batch = testing::SyntheticBatch(300);
  auto bad = batch;
  bad[150].second.events[0].event_id = bad[20].second.events[0].event_id;
  bad[150].first.line = 151;
  auto s = store_->Ingest(bad);
  EXPECT_EQ(s.failed, 1u);
  EXPECT_EQ(s.added, batch.size() - 1);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_NE(s.errors[0].find(":151: "), std::string::npos) << s.errors[0];
  ExpectCellsAgree(*store_, "after a failed document");
  auto with_failure = store_->Aggregate(EventFilter{}, GroupBy::kMonth, GroupBy::kGroup);
  auto stats = store_->Stats();
  EXPECT_EQ(stats.documents, static_cast<int64_t>(batch.size() - 1));
  // The same batch without the failing document, in a fresh store.
  store_.reset();
  SetUp();
  batch.erase(batch.begin() + 150);
  ASSERT_EQ(store_->Ingest(batch).failed, 0u);
  auto clean = store_->Aggregate(EventFilter{}, GroupBy::kMonth, GroupBy::kGroup);
  ASSERT_EQ(clean.size(), with_failure.size());
  for (size_t i = 0; i < clean.size(); ++i) {
    EXPECT_EQ(clean[i].key, with_failure[i].key);
    EXPECT_EQ(clean[i].key2, with_failure[i].key2);
    EXPECT_EQ(clean[i].events, with_failure[i].events);
  }
  EXPECT_EQ(store_->Stats().clusters, stats.clusters);
}

// The summary cells (schema v2) answer aggregations and counts with the same
// numbers as the clusters, after ingest, after a document's replacement
// re-clusters its events, and after the v2 migration of a v1 store.
TEST_P(StoreTest, SummaryCellsAgreeWithClusters) {
  auto batch = testing::SyntheticBatch(400);
  auto s = store_->Ingest(batch);
  ASSERT_EQ(s.failed, 0u);
  ASSERT_GT(s.merged, 20u);
  ExpectCellsAgree(*store_, "after ingest");
  int64_t v = store_->Version();
  // Replacements move events between clusters and empty some cells.
  std::vector<std::pair<Document, Extraction>> changed;
  for (size_t i = 0; i < batch.size(); i += 7) {
    auto [d, x] = batch[i];
    d.text += " Corrected.";
    x.events[0].target_groups = {"imu"};
    x.events[0].location.admin1 = "Logar";
    changed.emplace_back(d, x);
  }
  s = store_->Ingest(changed);
  ASSERT_EQ(s.replaced, changed.size());
  EXPECT_GT(store_->Version(), v);
  ExpectCellsAgree(*store_, "after replacements");
  // Nothing new: the version stays.
  v = store_->Version();
  store_->Ingest(changed);
  EXPECT_EQ(store_->Version(), v);
  // A v1 store (no cells) is migrated: the cells are computed from the
  // clusters. (Migration 4, which does not touch them, stays applied.)
  auto before = store_->Aggregate(EventFilter{}, GroupBy::kMonth, GroupBy::kGroup);
  store_.reset();
  {
    auto db = GetParam() == "postgresql" ? store::OpenPostgres(url_) : store::OpenSqlite(url_);
    for (const char* sql : {"DROP TABLE cells_gt", "DROP TABLE cells_geo", "DROP TABLE store_version",
                            "DELETE FROM schema_migrations WHERE version IN (2, 3)"})
      db->Exec(sql, {});
  }
  std::string err;
  store_ = Store::Open(url_, &err);
  ASSERT_TRUE(store_) << err;
  EXPECT_EQ(store_->Stats().schema_version, store::kSchemaVersion);
  ExpectCellsAgree(*store_, "after migration");
  auto after = store_->Aggregate(EventFilter{}, GroupBy::kMonth, GroupBy::kGroup);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].key, before[i].key);
    EXPECT_EQ(after[i].key2, before[i].key2);
    EXPECT_EQ(after[i].events, before[i].events);
    EXPECT_EQ(after[i].count, before[i].count);
  }
}

// Everything evidence-bearing the store gives back, as text, to compare.
std::string EvidenceDump(Store& store, const std::vector<std::string>& doc_ids) {
  std::string out;
  auto ev = [&](const std::vector<Evidence>& v) {
    for (const auto& e : v)
      out += "  " + std::to_string(e.start) + "-" + std::to_string(e.end) + " " + e.text + "\n";
  };
  for (const auto& id : doc_ids) {
    auto d = store.FindDocument(id);
    if (!d) {
      out += id + " missing\n";
      continue;
    }
    for (const auto& e : d->events) {
      out += id + " event " + e.event_id + "\n";
      ev(e.event.evidence);
      for (const auto& s : store.Sources(e.event_id)) {
        out += " source " + s.event_id + "\n";
        ev(s.event.evidence);
      }
    }
    for (const auto& c : d->claims) {
      out += id + " claim\n";
      ev(c.claim.evidence);
    }
    for (const auto& r : d->relations) {
      out += id + " relation " + r.a + " " + r.b + "\n";
      ev(r.evidence);
    }
  }
  for (const auto& c : store.Claims()) {
    out += "claims " + c.doc_id + "\n";
    ev(c.claim.evidence);
  }
  for (const auto& r : store.Relations()) {
    out += "relations " + r.doc_id + "\n";
    ev(r.relation.evidence);
  }
  return out;
}

TEST_P(StoreTest, EvidenceIsKeptWithItsOwnerAndMovedThereFromAV3Store) {
  IngestImu();
  // A document whose evidence is partly not a slice of its stored text (as
  // for cleaned HTML), with a claim and a relation.
  Document d = Doc("html-1", "2011-05-01",
                   "<p>Afghan forces detained two insurgents in Andar district, Ghazni "
                   "province, yesterday.</p>");
  Extraction x = FullPipeline().Extract(d);
  ASSERT_FALSE(x.events.empty());
  x.events[0].evidence = {{3, 40, "Afghan forces detained two insurgents"},
                          {3, 40, "Afghan forces detained two insurgents (cleaned)"},
                          {0, 0, ""}};
  Claim c;
  c.text = "two insurgents";
  c.metric = "captured";
  c.value = 2;
  c.evidence = {{27, 41, "two insurgents"}, {500, 510, "beyond the text; kept"}};
  x.claims.push_back(c);
  x.relations.push_back({"taliban", "haqqani", "ally", {{3, 9, "Afghan"}, {1, 2, "p;1,2=;"}}});
  auto s = store_->Ingest({{d, x}});
  ASSERT_EQ(s.added, 1u);
  std::vector<std::string> ids = {"html-1"};
  for (const auto& doc : ReadAll(DataPath("imu_releases.jsonl"))) ids.push_back(doc.id);
  std::string expected = EvidenceDump(*store_, ids);
  ASSERT_NE(expected.find("(cleaned)"), std::string::npos);
  ASSERT_NE(expected.find("p;1,2=;"), std::string::npos);
  ASSERT_NE(expected.find("Imam Sahib"), std::string::npos);

  // Back to the v3 layout: an evidence row per sentence, no evidence columns.
  store_.reset();
  {
    auto db = GetParam() == "postgresql" ? store::OpenPostgres(url_) : store::OpenSqlite(url_);
    db->Exec(
        "CREATE TABLE evidence (owner_kind TEXT NOT NULL, owner_id TEXT NOT NULL,"
        " doc_id TEXT NOT NULL, seq BIGINT NOT NULL, start_off BIGINT NOT NULL,"
        " end_off BIGINT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (owner_kind, owner_id, seq))",
        {});
    db->Exec("CREATE INDEX evidence_doc ON evidence(doc_id)", {});
    auto add = [&](const char* kind, const std::string& owner, const std::string& doc,
                   const std::vector<Evidence>& ev) {
      for (size_t i = 0; i < ev.size(); ++i)
        db->Exec("INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?)",
                 {std::string(kind), owner, doc, static_cast<int64_t>(i),
                  static_cast<int64_t>(ev[i].start), static_cast<int64_t>(ev[i].end),
                  ev[i].text});
    };
    {
      std::string err;
      auto st = Store::Open(url_, &err);
      ASSERT_TRUE(st) << err;
      for (const auto& id : ids) {
        auto doc = st->FindDocument(id);
        ASSERT_TRUE(doc) << id;
        for (const auto& e : doc->events) add("event", e.event_id, id, e.event.evidence);
        for (const auto& cl : doc->claims)
          add("claim", id + "#c" + std::to_string(cl.index), id, cl.claim.evidence);
        for (size_t i = 0; i < doc->relations.size(); ++i)
          add("relation", id + "#r" + std::to_string(i), id, doc->relations[i].evidence);
      }
    }
    for (const char* t : {"events", "claims", "relations"})
      db->Exec(std::string("ALTER TABLE ") + t + " DROP COLUMN evidence", {});
    db->Exec("DELETE FROM schema_migrations WHERE version = 4", {});
  }
  std::string err;
  store_ = Store::Open(url_, &err);
  ASSERT_TRUE(store_) << err;
  EXPECT_EQ(store_->Stats().schema_version, store::kSchemaVersion);
  EXPECT_EQ(EvidenceDump(*store_, ids), expected);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"));

// ---- command line: bad input, concurrency, crashes ------------------------------

std::string Sh(const std::string& s) { return "'" + s + "'"; }

TEST(StoreCli, BadRowsAreReportedAndTheRestStored) {
  std::string in = TempPath("bad.jsonl");
  {
    std::ofstream o(in);
    o << "{\"id\":\"ok-1\",\"published\":\"2011-05-03\",\"text\":\"KABUL, Afghanistan (May 3, "
         "2011)\\nAfghan and coalition forces detained two suspected insurgents in Andar "
         "district, Ghazni province, today.\"}\n";
    o << "{\"id\":\"broken\",\"text\": \n";
    o << "{\"id\":\"ok-2\",\"published\":\"2011-05-04\",\"text\":\"KABUL, Afghanistan (May 4, "
         "2011)\\nA precision airstrike killed two insurgents in Garmsir district, Helmand "
         "province, today.\"}\n";
  }
  std::string db = TempPath("bad.db");
  std::filesystem::remove(db);
  auto r = RunCommand(Binary() + " ingest --db " + Sh(db) + " " + Sh(in), true);
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("bad.jsonl:2:"), std::string::npos) << r.out;
  r = RunCommand(Binary() + " query --db " + Sh(db) + " --format csv");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("Andar"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Garmsir"), std::string::npos) << r.out;
  r = RunCommand(Binary() + " query --db " + Sh(db) + " --by month --format json");
  EXPECT_NE(r.out.find("{\"month\":\"2011-05\",\"events\":2"), std::string::npos) << r.out;
}

TEST(StoreCli, ClaimsCheckCommand) {
  std::string db = TempPath("claims.db");
  std::filesystem::remove(db);
  auto r = RunCommand(Binary() + " ingest -q --db " + Sh(db) + " " +
                      Sh(DataPath("imu_releases.jsonl")), true);
  ASSERT_EQ(r.status, 0) << r.out;
  r = RunCommand(Binary() + " claims check --brief --db " + Sh(db) +
                 " '16 raids against the IMU in Badakhshan, Baghlan, Faryab, Kunduz, Takhar, "
                 "Logar, and Wardak provinces since January 29. Nine of these raids took place in "
                 "April and four occurred in March.'");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("2011-04        period  stated 9    counted 9    HOLDS"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("overall: HOLDS"), std::string::npos) << r.out;
  r = RunCommand(Binary() + " claims check --brief --db " + Sh(db) +
                 " '5 raids in Kunduz province since Feb. 1; 3 in March'");
  EXPECT_EQ(r.status, 4) << r.out;
  EXPECT_NE(r.out.find("2011-03        period  stated 3    counted 2    DOES NOT HOLD"),
            std::string::npos) << r.out;
}

// A corpus big enough that ingest takes a while: the IMU releases re-dated
// over many days, written out as JSONL.
std::string BigCorpus(int copies) {
  std::string path = TempPath("big-" + std::to_string(copies) + ".jsonl");
  if (std::filesystem::exists(path)) return path;
  auto docs = ReadAll(DataPath("imu_releases.jsonl"));
  std::ofstream o(path);
  for (int c = 0; c < copies; ++c)
    for (const auto& d : docs) {
      std::string text;
      util::AppendJsonString(&text, d.text);
      std::string pub = query::DayString(*query::DayNumber(d.published) + 7 * c);
      o << "{\"id\":\"" << d.id << "-" << c << "\",\"published\":\"" << pub
        << "\",\"text\":" << text << "}\n";
    }
  return path;
}

std::vector<std::string> SqlColumn(const std::string& db, const std::string& sql);

std::string Dump(const std::string& db) {
  auto r = RunCommand(Binary() + " query --db " + Sh(db) + " --limit 100000 --format csv");
  auto s = RunCommand(Binary() + " query --db " + Sh(db) + " --stats");
  // The evidence lives in a column of its owner row (schema v4), which the
  // query output above does not show whole: compare it too.
  std::string evidence;
  for (const char* sql : {"SELECT doc_id || '#' || seq || ':' || evidence FROM events ORDER BY doc_id, seq",
                          "SELECT evidence FROM claims ORDER BY evidence",
                          "SELECT evidence FROM relations ORDER BY evidence"})
    for (const auto& row : SqlColumn(db, sql)) evidence += row + "\n";
  return r.out + s.out + evidence;
}

TEST(StoreCli, ConcurrentIngestsLoseAndDuplicateNothing) {
  std::string corpus = BigCorpus(40);
  std::string one = TempPath("serial.db"), two = TempPath("parallel.db");
  for (auto& p : {one, two}) std::filesystem::remove(p);
  auto r = RunCommand(Binary() + " ingest -q -j 1 --batch 50 --db " + Sh(one) + " " + Sh(corpus), true);
  ASSERT_EQ(r.status, 0) << r.out;
  r = RunCommand("(" + Binary() + " ingest -q -j 1 --batch 50 --db " + Sh(two) + " " + Sh(corpus) +
                 " & " + Binary() + " ingest -q -j 1 --batch 50 --db " + Sh(two) + " " + Sh(corpus) +
                 " & wait)", true);
  EXPECT_EQ(r.out, "");
  auto s = RunCommand(Binary() + " query --db " + Sh(two) + " --stats");
  EXPECT_NE(s.out.find("840 documents"), std::string::npos) << s.out;
  // Same documents and events; the clusters too, since each batch is
  // matched against everything committed before it.
  auto a = RunCommand(Binary() + " query --db " + Sh(one) + " --stats");
  EXPECT_EQ(a.out.substr(a.out.find(':')), s.out.substr(s.out.find(':')));
}

// One value per row of `sql` (the first column), read with SQLite directly so
// a damaged file cannot be hidden behind the CLI's own checks.
std::vector<std::string> SqlColumn(const std::string& db, const std::string& sql) {
  std::vector<std::string> out;
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    return {"cannot open"};
  }
  char* err = nullptr;
  sqlite3_exec(
      h, sql.c_str(),
      [](void* o, int, char** values, char**) {
        static_cast<std::vector<std::string>*>(o)->push_back(values[0] ? values[0] : "NULL");
        return 0;
      },
      &out, &err);
  if (err) out.push_back(std::string("error: ") + err);
  sqlite3_free(err);
  sqlite3_close(h);
  return out;
}

// Rows per table, and events stored twice under different keys, for
// "nothing lost, nothing twice".
std::string RowCounts(const std::string& db) {
  std::string out;
  for (const char* table : {"documents", "events", "people", "claims", "relations",
                            "clusters", "cluster_groups", "cluster_types", "sources"}) {
    auto n = SqlColumn(db, std::string("SELECT COUNT(*) FROM ") + table);
    out += std::string(table) + "=" + (n.empty() ? "?" : n[0]) + " ";
  }
  auto dup_events = SqlColumn(db, "SELECT COUNT(*) - COUNT(DISTINCT doc_id || '#' || seq) FROM events");
  out += "duplicate_events=" + (dup_events.empty() ? "?" : dup_events[0]);
  return out;
}

TEST(StoreCli, KilledIngestResumesToTheSameDatabase) {
  // 504 documents in 26 batches: enough commits to kill between (with 336
  // the faster store left a window between the first and the last commit
  // that 12 kills all missed now and then), small enough that 12 kills and
  // re-runs stay well under a minute under ASan.
  std::string corpus = BigCorpus(24);
  const std::string n_docs = "504";
  std::string ref = TempPath("ref.db");
  std::filesystem::remove(ref);
  std::string ingest = Binary() + " ingest -q -j 1 --batch 20 --db ";
  auto t0 = std::chrono::steady_clock::now();
  auto r = RunCommand(ingest + Sh(ref) + " " + Sh(corpus), true);
  ASSERT_EQ(r.status, 0) << r.out;
  // Kill moments are drawn over the measured length of one ingest, so they
  // fall inside it on a fast machine and under sanitizers alike.
  int run_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - t0).count());
  std::string expected = Dump(ref), expected_rows = RowCounts(ref);
  ASSERT_NE(expected_rows.find("documents=" + n_docs + " "), std::string::npos) << expected_rows;
  ASSERT_NE(expected_rows.find("duplicate_events=0"), std::string::npos)
      << expected_rows;
  unsigned seed = std::random_device{}();
  if (const char* env = std::getenv("SITREP_KILL_SEED")) seed = static_cast<unsigned>(std::stoul(env));
  std::printf("kill -9 trials: seed %u (SITREP_KILL_SEED replays), one ingest %d ms\n", seed, run_ms);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_ms(std::max(1, run_ms / 50), std::max(2, run_ms * 95 / 100));
  constexpr int kTrials = 12;
  int partial = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    int ms = delay_ms(rng);
    std::string where = "trial " + std::to_string(trial) + " (seed " + std::to_string(seed) +
                        "), killed after " + std::to_string(ms) + " ms";
    std::string db = TempPath("killed-" + std::to_string(trial) + ".db");
    for (auto suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(db + suffix);
    RunCommand("(" + ingest + Sh(db) + " " + Sh(corpus) + " & pid=$!; sleep " +
                   std::to_string(ms / 1000.0) + "; kill -9 $pid; wait $pid) 2>/dev/null",
               true);
    // What the kill left is a consistent database (or none at all)...
    std::string committed = "no database";
    if (std::filesystem::exists(db + "-journal")) {
      // Killed while a new file switched to WAL (the one write SQLite makes
      // through a rollback journal): the hot journal is rolled back by the
      // next writer, and a read-only connection may not do it ("attempt to
      // write a readonly database"). The re-run below must still complete.
      committed = "killed while switching to WAL (hot journal)";
    } else if (std::filesystem::exists(db)) {
      auto check = SqlColumn(db, "PRAGMA integrity_check");
      EXPECT_EQ(check, std::vector<std::string>{"ok"}) << where;
      auto docs = SqlColumn(db, "SELECT COUNT(*) FROM documents");
      // A kill before the schema commits leaves an empty file: nothing to count.
      committed = docs.empty() || docs[0].rfind("error", 0) == 0 ? "no schema yet"
                                                                  : docs[0] + " of " + n_docs + " documents committed";
      if (!docs.empty() && docs[0] != "0" && docs[0] != n_docs) ++partial;
    }
    std::printf("  %s: %s\n", where.c_str(), committed.c_str());
    // ... and a re-run completes it with nothing lost and nothing twice.
    r = RunCommand(ingest + Sh(db) + " " + Sh(corpus), true);
    ASSERT_EQ(r.status, 0) << where << "\n" << r.out;
    EXPECT_EQ(SqlColumn(db, "PRAGMA integrity_check"), std::vector<std::string>{"ok"}) << where;
    EXPECT_EQ(RowCounts(db), expected_rows) << where;
    EXPECT_EQ(Dump(db), expected) << where;
  }
  // Kills that all landed before the first commit or after the last would
  // test nothing; with moments spread over the run most land in between.
  EXPECT_GE(partial, 1) << "no kill interrupted the ingest between commits (seed " << seed << ")";
  std::printf("kill -9 trials: %d, %d of them between the first and the last commit\n", kTrials,
              partial);
}

}  // namespace
}  // namespace sitrep
