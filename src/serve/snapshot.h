// The dashboard's queries answered from memory: every merged event of one
// store version, loaded once (Store::AllClusters) and shared read-only by the
// worker threads. A filter change asks for a page, a count, three or four
// aggregates and the map points; over 100,000 events each of those is a scan
// of the clusters table in SQL (10-50 ms, so a p99 of hundreds of ms under
// concurrent load) but well under a millisecond over these rows.
//
// Results equal the store's (SQLite) for every filter Handles(): the same
// matching (ASCII case folding, as SQLite's UPPER/LOWER), byte order for
// keys and text sorts, NULLs first ascending. Full-text search and bounding
// boxes (FTS5, R*Tree) are left to the store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sitrep/store.h"

namespace sitrep::serve {

class Snapshot {
 public:
  Snapshot(int64_t version, std::vector<ClusterFacts> clusters);

  int64_t version() const { return version_; }
  size_t size() const { return rows_.size(); }

  // False when the filter needs the store (text, bbox).
  static bool Handles(const EventFilter& f);

  // As Store::Events, CountEvents, Aggregate (both) and Points. Throw
  // StoreError on a bad date, as the store does.
  std::vector<MergedEvent> Events(const EventFilter& f, size_t limit,
                                  const EventOrder& order) const;
  int64_t Count(const EventFilter& f) const;
  std::vector<AggregateRow> Aggregate(const EventFilter& f, GroupBy by) const;
  std::vector<Aggregate2Row> Aggregate(const EventFilter& f, GroupBy by, GroupBy then) const;
  std::vector<MapPoint> Points(const EventFilter& f, size_t limit) const;

 private:
  // Names of one dimension in byte order; rows hold their index, so that
  // ids compare as the names do and counts go to dense arrays.
  struct Dict {
    std::vector<std::string> names;
    int32_t Find(const std::string& name) const;  // -1: absent
  };
  // The columns a page can be sorted by.
  enum Sort { kDate, kCountry, kProvince, kDistrict, kPlace, kType, kGroup, kActor, kKilled,
              kCaptured, kSources, kCount, kId, kSorts };
  // What filters and groupings read, apart from the rest of each event so
  // that a scan touches a few cache lines per thousand events, not pages.
  struct Row {
    int32_t month = 0, week = 0, admin1 = 0, district = 0, country = 0, admin2 = 0, place = 0;
    int32_t point = -1;  // index into points_ (none without coordinates)
    uint32_t groups = 0, types = 0;   // first index into ids_
    uint16_t ngroups = 0, ntypes = 0;
    bool has_day = false, leader = false;
    int64_t day = 0;
    int32_t count = 1, killed = 0, captured = 0;  // NULL counts as 0
  };
  struct Point {
    double lat = 0, lon = 0;
  };
  std::vector<uint32_t> Match(const EventFilter& f) const;
  const Dict& DictOf(GroupBy by) const;
  template <typename Fn>
  void ForKeys(const Row& r, GroupBy by, Fn&& fn) const;

  int64_t version_;
  std::vector<Row> rows_;
  std::vector<ClusterFacts> facts_;  // same index as rows_
  std::vector<int32_t> ids_;         // group and type ids of the rows
  // Position of each row in the ascending order of each sort column (then
  // cluster id), NULL killed/captured after every number: rank_[sort][row].
  std::vector<std::vector<int32_t>> rank_;
  int32_t first_null_[kSorts] = {};  // ranks from here on are NULLs
  Dict months_, weeks_, admin1_, districts_, countries_, admin2_, places_, groups_, types_;
  std::vector<Point> points_;  // by lat, lon
};

}  // namespace sitrep::serve
