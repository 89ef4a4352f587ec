// Generated documents with ready-made extractions, for store tests that need
// many varied merged events without running the extractor: several groups
// and types per event or none, missing counts, month-only dates, province-
// only places, shared coordinates, and retellings by a second source that
// merge with the first report.
#pragma once

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "sitrep/document.h"
#include "sitrep/record.h"

namespace sitrep::testing {

inline std::vector<std::pair<Document, Extraction>> SyntheticBatch(size_t n, uint64_t seed = 1) {
  static const char* kProvinces[] = {"Kunduz", "Helmand", "Kandahar", "Khost", "Logar", "Takhar"};
  static const char* kGroups[] = {"taliban", "taliban", "haqqani", "imu", "aq"};
  static const char* kTypes[] = {"raid", "raid", "detention", "airstrike", "bombing"};
  std::mt19937_64 rng(seed);
  auto pick = [&](uint64_t k) { return rng() % k; };
  std::vector<std::pair<Document, Extraction>> out;
  std::vector<Event> told;
  for (size_t i = 0; i < n; ++i) {
    Document d;
    d.id = "syn-" + std::to_string(i);
    Event e;
    bool retold = !told.empty() && pick(6) == 0;
    if (retold) {
      e = told[pick(told.size())];
    } else {
      int month = 1 + static_cast<int>(pick(6)), day = 1 + static_cast<int>(pick(28));
      e.date = "2011-" + std::string(month < 10 ? "0" : "") + std::to_string(month) + "-" +
               (day < 10 ? "0" : "") + std::to_string(day);
      e.date_precision = "day";
      if (pick(12) == 0) {
        e.date = e.date.substr(0, 7);
        e.date_precision = "month";
      }
      e.date_basis = "dateline";
      size_t p = pick(6);
      e.location.country = pick(10) == 0 ? "PK" : "AF";
      e.location.admin1 = kProvinces[p];
      e.location.precision = "admin1";
      double lat = 32.0 + static_cast<double>(p), lon = 64.0 + static_cast<double>(p);
      if (pick(3) != 0) {
        size_t k = pick(3);
        e.location.admin2 = std::string(kProvinces[p]) + " D" + std::to_string(k);
        e.location.precision = "admin2";
        lat += 0.1 * static_cast<double>(k + 1);
        lon += 0.1 * static_cast<double>(k + 1);
        if (pick(3) == 0) {
          e.location.place = "Village " + std::to_string(pick(4));
          e.location.precision = "place";
          lat += 0.01 * static_cast<double>(e.location.place.back() - '0');
        }
      }
      if (pick(15) != 0) {
        e.location.lat = lat;
        e.location.lon = lon;
      }
      for (size_t g = pick(4); g > 0; --g) e.target_groups.push_back(kGroups[pick(5)]);
      for (size_t t = 1 + pick(2); t > 0; --t) e.types.push_back(kTypes[pick(5)]);
      for (auto* v : {&e.target_groups, &e.types}) {
        std::sort(v->begin(), v->end());
        v->erase(std::unique(v->begin(), v->end()), v->end());
      }
      if (pick(3) != 0) e.killed = static_cast<int>(pick(5));
      if (pick(2) != 0) e.captured = static_cast<int>(pick(4));
      if (pick(5) == 0) e.leaders_killed = 1;
      e.count = pick(10) == 0 ? 3 : 1;
      e.actor = pick(4) == 0 ? "afghan" : "isaf";
      e.confidence = 0.9;
      told.push_back(e);
    }
    d.url = (retold ? "https://wire.example.test/" : "https://releases.example.test/") + d.id;
    d.title = "Release " + d.id;
    d.published = e.date.size() == 10 ? e.date : e.date + "-28";
    d.text = "Synthetic release " + d.id + " about " + e.location.admin1 + ".";
    e.event_id = d.id + "#0";
    e.evidence = {{0, static_cast<uint32_t>(d.text.size()), d.text}};
    Extraction x;
    x.events.push_back(e);
    out.emplace_back(std::move(d), std::move(x));
  }
  return out;
}

}  // namespace sitrep::testing
