// Pre-aggregated summaries of merged events (schema v2): merged events,
// bundled counts, killed and captured per cell, in two small tables that
// together answer the common aggregations without touching the clusters.
// Counting `--by month --group X` over a million events reads a few thousand
// cells instead of joining a million clusters with their groups.
//
//   cells_gt   (month, dmonth, leader, group_id, gkind, type, tkind)
//   cells_geo  (month, dmonth, leader, country, admin1)
//
// Both dimensions in one table would leave a cell per cluster or so (72
// months x 34 provinces x groups x types): no faster than the clusters.
//
// cells_geo holds one row per cluster. In cells_gt a cluster with G groups
// and T types adds one row per (group, type) pair. `gkind` says which: 1 for
// its first group (byte order), 0 for its others, 2 for "no group"
// (group_id ''); `tkind` likewise for types. A query that neither filters
// nor groups by group keeps gkind >= 1 (one row per cluster); one that does
// keeps gkind <= 1 (each of its groups once), and the same for types, so
// every cluster is counted exactly as the joins over cluster_groups /
// cluster_types count it.
//
// `month` is clusters.month (the key shown); `dmonth` is the month of
// clusters.day ('' when the day is unknown), which day filters on whole
// months compare with.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "store/db.h"

namespace sitrep::store {

struct ClusterCell {
  std::string month, dmonth, country, admin1;
  int64_t leader = 0;
  std::set<std::string> groups, types;
  int64_t bundled = 0, killed = 0, captured = 0;
};

// Changes to the cells, summed in memory and written with one upsert per
// cell: an ingest batch of 2000 clusters touches far fewer cells than it has
// clusters x (group, type) pairs. Cells whose events fall to 0 stay (queries
// skip them).
class CellDelta {
 public:
  // Adds (sign = 1) or removes (sign = -1) one cluster's contribution.
  void Add(const ClusterCell& c, int64_t sign);
  // Writes the sums and starts again from zero.
  void Write(Db& db);
  void Clear();

 private:
  struct Sums {
    int64_t events = 0, bundled = 0, killed = 0, captured = 0;
  };
  using GtKey =
      std::tuple<std::string, std::string, int64_t, std::string, int64_t, std::string, int64_t>;
  using GeoKey = std::tuple<std::string, std::string, int64_t, std::string, std::string>;
  std::map<GtKey, Sums> gt_;
  std::map<GeoKey, Sums> geo_;
};

// `dmonth` for a day number (null: '').
std::string DayMonth(const Field& day);

// Fills both tables from clusters, cluster_groups and cluster_types (the v2
// migration of a v1 store).
void RebuildClusterCells(Db& db);

}  // namespace sitrep::store
