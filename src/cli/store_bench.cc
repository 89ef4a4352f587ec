// `sitrep bench --store DB`: a synthetic store of N events built through
// Store::Ingest from generated records (no text extraction), then the
// dashboard's and `sitrep query`'s aggregations timed on it.
#include "cli/store_bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "sitrep/store.h"
#if defined(SITREP_HAVE_SERVER)
#include "serve/snapshot.h"
#endif

namespace sitrep::cli {
namespace {

constexpr const char* kProvinces[] = {
    "Badakhshan", "Badghis",  "Baghlan",   "Balkh",    "Bamyan",   "Daykundi", "Farah",
    "Faryab",     "Ghazni",   "Ghor",      "Helmand",  "Herat",    "Jowzjan",  "Kabul",
    "Kandahar",   "Kapisa",   "Khost",     "Kunar",    "Kunduz",   "Laghman",  "Logar",
    "Nangarhar",  "Nimroz",   "Nuristan",  "Paktika",  "Paktiya",  "Panjshir", "Parwan",
    "Samangan",   "Sar-e Pol", "Takhar",   "Uruzgan",  "Wardak",   "Zabul"};
constexpr int kNumProvinces = 34;
constexpr int kDistrictsPerProvince = 12;  // ~ the 398 real districts
// Skewed: a few groups account for most events, as in the releases.
constexpr const char* kGroups[] = {"taliban", "taliban", "taliban", "taliban", "haqqani",
                                   "haqqani", "imu",     "aq",      "hig",     "lej",
                                   "ttp",     "lashkar"};
constexpr const char* kTypes[] = {"raid", "raid", "raid", "raid", "detention", "detention",
                                  "airstrike", "bombing"};

struct Gen {
  std::mt19937_64 rng{20251125};
  int64_t Pick(int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); }
};

std::string TwoDigits(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// Day number -> YYYY-MM-DD (civil calendar, days since 1970-01-01).
std::string Civil(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return std::to_string(y + (m <= 2)) + "-" + TwoDigits(static_cast<int>(m)) + "-" +
         TwoDigits(static_cast<int>(d));
}

// An event around `day` (a few days either way: releases arrive roughly in
// date order, as a crawl or a feed delivers them).
Event MakeEvent(Gen& g, int64_t day) {
  Event e;
  day += g.Pick(7);
  e.date = Civil(day);
  e.date_precision = "day";
  e.date_basis = "dateline";
  if (g.Pick(20) == 0) {  // a report that only gives the month
    e.date = e.date.substr(0, 7);
    e.date_precision = "month";
  }
  int p = static_cast<int>(g.Pick(kNumProvinces));
  int d = static_cast<int>(g.Pick(kDistrictsPerProvince));
  e.location.country = "AF";
  e.location.admin1 = kProvinces[p];
  double lat = 30.5 + (p % 6) * 1.1 + d * 0.07, lon = 61.5 + (p / 6) * 1.6 + d * 0.09;
  switch (g.Pick(10)) {
    case 0:  // province only
      e.location.precision = "admin1";
      e.location.lat = 30.5 + (p % 6) * 1.1 + 0.4;
      e.location.lon = 61.5 + (p / 6) * 1.6 + 0.5;
      break;
    case 1:
    case 2:  // a village
      e.location.admin2 = std::string(kProvinces[p]) + " D" + std::to_string(d);
      e.location.place = "Village " + std::to_string(g.Pick(40)) + " of " + e.location.admin2;
      e.location.precision = "place";
      e.location.lat = lat + static_cast<double>(g.Pick(20)) * 0.003;
      e.location.lon = lon + static_cast<double>(g.Pick(20)) * 0.003;
      break;
    default:
      e.location.admin2 = std::string(kProvinces[p]) + " D" + std::to_string(d);
      e.location.precision = "admin2";
      e.location.lat = lat;
      e.location.lon = lon;
  }
  e.actor = "isaf";
  int ng = static_cast<int>(g.Pick(20));
  if (ng > 0) e.target_groups.push_back(kGroups[g.Pick(12)]);
  if (ng > 17) {
    std::string second = kGroups[g.Pick(12)];
    if (second != e.target_groups[0]) e.target_groups.push_back(second);
  }
  std::sort(e.target_groups.begin(), e.target_groups.end());
  e.types.push_back(kTypes[g.Pick(8)]);
  if (e.types[0] == "raid" && g.Pick(5) == 0) e.types.push_back("detention");
  std::sort(e.types.begin(), e.types.end());
  if (g.Pick(3) == 0) e.killed = static_cast<int>(g.Pick(8));
  if (g.Pick(2) == 0) e.captured = static_cast<int>(1 + g.Pick(6));
  if (g.Pick(6) == 0) {
    e.leaders_captured = 1;
    e.people.push_back({"Mullah Synthetic " + std::to_string(g.Pick(5000)), "leader",
                        e.target_groups.empty() ? "" : e.target_groups[0], "captured"});
  }
  e.count = g.Pick(25) == 0 ? static_cast<int>(2 + g.Pick(4)) : 1;
  e.airstrike = e.types[0] == "airstrike";
  e.confidence = 0.8;
  return e;
}

std::string ReleaseText(const Event& e, const std::string& id) {
  std::string where = e.location.admin2.empty() ? e.location.admin1 + " province"
                                                : e.location.admin2 + " district, " +
                                                      e.location.admin1 + " province";
  std::string group = e.target_groups.empty() ? "insurgent" : e.target_groups[0];
  return "KABUL, Afghanistan (" + e.date + ") - An Afghan and coalition security force " +
         (e.types[0] == "airstrike" ? "conducted a precision air strike against " : "detained ") +
         (e.captured ? std::to_string(*e.captured) : std::string("several")) + " suspected " +
         group + " insurgents in " + where +
         ". The security force also seized weapons and ammunition. Release " + id + ".";
}

double Ms(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

template <typename F>
void Time(const char* name, int runs, F&& f) {
  std::vector<double> ms;
  size_t rows = 0;
  for (int i = 0; i < runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    rows = f();
    ms.push_back(Ms(t0));
  }
  std::sort(ms.begin(), ms.end());
  std::printf("  %-44s median %8.2f ms  min %8.2f ms  max %8.2f ms  (%zu rows, %d runs)\n", name,
              ms[ms.size() / 2], ms.front(), ms.back(), rows, runs);
}

// The queries of `sitrep query --by ...` and of the dashboard, on a Store or
// on the server's in-memory copy (same method names but CountEvents).
template <typename Q>
void RunQueries(Q& q, int runs) {
  EventFilter all, taliban, kandahar, month, leaders, week;
  taliban.group = "taliban";
  kandahar.province = "Kandahar";
  kandahar.type = "raid";
  month.since = "2011-04-01";
  month.until = "2011-04-30";
  leaders.leaders = true;
  leaders.country = "AF";
  week.since = "2011-04-03";
  week.until = "2011-04-16";
  Time("--by month", runs, [&] { return q.Aggregate(all, GroupBy::kMonth).size(); });
  Time("--by month --group taliban", runs,
       [&] { return q.Aggregate(taliban, GroupBy::kMonth).size(); });
  Time("--by group", runs, [&] { return q.Aggregate(all, GroupBy::kGroup).size(); });
  Time("--by province --since/--until (a month)", runs,
       [&] { return q.Aggregate(month, GroupBy::kProvince).size(); });
  Time("--by type --province Kandahar --type raid", runs,
       [&] { return q.Aggregate(kandahar, GroupBy::kType).size(); });
  Time("--by week --role leader --country AF", runs,
       [&] { return q.Aggregate(leaders, GroupBy::kWeek).size(); });
  Time("--by district (two weeks)", runs,
       [&] { return q.Aggregate(week, GroupBy::kDistrict).size(); });
  Time("--by district --group taliban", runs,
       [&] { return q.Aggregate(taliban, GroupBy::kDistrict).size(); });
  Time("month x group (timeline)", runs,
       [&] { return q.Aggregate(all, GroupBy::kMonth, GroupBy::kGroup).size(); });
  Time("month x group --group taliban", runs,
       [&] { return q.Aggregate(taliban, GroupBy::kMonth, GroupBy::kGroup).size(); });
  Time("month x type --province Kandahar --type raid", runs,
       [&] { return q.Aggregate(kandahar, GroupBy::kMonth, GroupBy::kType).size(); });
  Time("count (all)", runs, [&] { return static_cast<size_t>(q.CountEvents(all)); });
  Time("count --group taliban", runs,
       [&] { return static_cast<size_t>(q.CountEvents(taliban)); });
  EventOrder by_date;
  by_date.descending = true;
  Time("page of 50 by date desc", runs, [&] { return q.Events(all, 50, by_date).size(); });
  Time("page of 50 --group taliban by date", runs,
       [&] { return q.Events(taliban, 50, EventOrder{}).size(); });
  EventOrder by_killed;
  by_killed.sort = "killed";
  by_killed.descending = true;
  Time("page of 50 --province Kandahar --type raid by killed", runs,
       [&] { return q.Events(kandahar, 50, by_killed).size(); });
  Time("points (5000)", runs, [&] { return q.Points(all, 5000).size(); });
  Time("points --group taliban (5000)", runs, [&] { return q.Points(taliban, 5000).size(); });
}

#if defined(SITREP_HAVE_SERVER)
struct MemoryQueries {
  const serve::Snapshot& s;
  auto Aggregate(const EventFilter& f, GroupBy by) { return s.Aggregate(f, by); }
  auto Aggregate(const EventFilter& f, GroupBy by, GroupBy then) {
    return s.Aggregate(f, by, then);
  }
  int64_t CountEvents(const EventFilter& f) { return s.Count(f); }
  auto Events(const EventFilter& f, size_t n, const EventOrder& o) { return s.Events(f, n, o); }
  auto Points(const EventFilter& f, size_t n) { return s.Points(f, n); }
};
#endif

}  // namespace

int RunStoreBench(const StoreBenchOptions& o) {
  std::string error;
  auto store = Store::Open(o.db, &error);
  if (!store) {
    std::fprintf(stderr, "sitrep bench: cannot open store %s: %s\n", o.db.c_str(), error.c_str());
    return 1;
  }
  StoreStats before = store->Stats();
  if (before.events < static_cast<int64_t>(o.events)) {
    Gen g;
    g.rng.seed(20251125 + static_cast<uint64_t>(before.events));  // new events when topping up
    const int64_t first_day = 14245;  // 2009-01-01
    const int64_t days = 6 * 365 - 7;
    std::vector<std::pair<Document, Extraction>> batch;
    std::vector<Event> recent;  // retold by a second source now and then
    size_t made = static_cast<size_t>(before.events), docs = 0;
    auto t0 = std::chrono::steady_clock::now();
    double ingest_ms = 0;
    auto flush = [&] {
      auto t1 = std::chrono::steady_clock::now();
      IngestStats s = store->Ingest(batch);
      ingest_ms += Ms(t1);
      if (s.failed) std::fprintf(stderr, "sitrep bench: %s\n", s.errors.at(0).c_str());
      batch.clear();
    };
    while (made < o.events) {
      Document d;
      d.id = "synthetic-" + std::to_string(made);
      Extraction x;
      bool retold = !recent.empty() && g.Pick(30) == 0;
      Event e = retold ? recent[static_cast<size_t>(g.Pick(static_cast<int64_t>(recent.size())))]
                       : MakeEvent(g, first_day + static_cast<int64_t>(made) * days /
                                                     static_cast<int64_t>(o.events));
      d.url = (retold ? "https://wire.example.test/" : "https://releases.example.test/") + d.id;
      d.title = "Release " + d.id;
      d.published = e.date.size() == 10 ? e.date : e.date + "-28";
      d.text = ReleaseText(e, d.id);
      e.event_id = d.id + "#0";
      e.evidence = {{0, static_cast<uint32_t>(d.text.size()), d.text}};
      if (!retold) {
        if (recent.size() < 64) recent.push_back(e);
        else recent[static_cast<size_t>(g.Pick(64))] = e;
      }
      x.events.push_back(std::move(e));
      batch.emplace_back(std::move(d), std::move(x));
      ++made;
      ++docs;
      if (batch.size() >= o.batch) flush();
      if (made % 100000 == 0)
        std::fprintf(stderr, "sitrep bench: %zu events, %.0f s\n", made, Ms(t0) / 1000);
    }
    if (!batch.empty()) flush();
    std::printf("generated %zu documents (1 event each) in %.1f s: Store::Ingest %.0f docs/s "
                "(no extraction, batches of %zu)\n",
                docs, Ms(t0) / 1000, static_cast<double>(docs) / (ingest_ms / 1000), o.batch);
  }
  if (o.runs <= 0) return 0;
  StoreStats s = store->Stats();
  std::printf("store %s (%s): %lld documents, %lld events in %lld merged events, %s..%s\n",
              o.db.c_str(), store->backend().c_str(), static_cast<long long>(s.documents),
              static_cast<long long>(s.events), static_cast<long long>(s.clusters),
              s.first_date.c_str(), s.last_date.c_str());
  std::printf("queries on the store (as `sitrep query --by ...` and the API ask them):\n");
  RunQueries(*store, o.runs);
  Time("stats", o.runs, [&] { return static_cast<size_t>(store->Stats().clusters); });
#if defined(SITREP_HAVE_SERVER)
  auto t0 = std::chrono::steady_clock::now();
  serve::Snapshot memory(store->Version(), store->AllClusters());
  std::printf("the same in memory (`sitrep serve`; loaded in %.0f ms):\n", Ms(t0));
  MemoryQueries mq{memory};
  RunQueries(mq, o.runs);
#endif
  return 0;
}

}  // namespace sitrep::cli
