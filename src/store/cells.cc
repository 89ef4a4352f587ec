#include "store/cells.h"

#include <map>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "query/merge.h"

namespace sitrep::store {
namespace {

constexpr const char* kUpsertGt =
    "INSERT INTO cells_gt (month, dmonth, leader, group_id, gkind, type, tkind, events, bundled,"
    " killed, captured) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (month, dmonth, leader, group_id, gkind, type, tkind)"
    " DO UPDATE SET events = cells_gt.events + excluded.events,"
    " bundled = cells_gt.bundled + excluded.bundled,"
    " killed = cells_gt.killed + excluded.killed,"
    " captured = cells_gt.captured + excluded.captured";
constexpr const char* kUpsertGeo =
    "INSERT INTO cells_geo (month, dmonth, leader, country, admin1, events, bundled, killed,"
    " captured) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (month, dmonth, leader, country, admin1)"
    " DO UPDATE SET events = cells_geo.events + excluded.events,"
    " bundled = cells_geo.bundled + excluded.bundled,"
    " killed = cells_geo.killed + excluded.killed,"
    " captured = cells_geo.captured + excluded.captured";

// (group or type, kind) pairs of one dimension of a cluster.
std::vector<std::pair<std::string, int64_t>> Kinds(const std::set<std::string>& values) {
  std::vector<std::pair<std::string, int64_t>> out;
  if (values.empty()) out.emplace_back("", 2);
  for (const auto& v : values) out.emplace_back(v, out.empty() ? 1 : 0);
  return out;
}

}  // namespace

std::string DayMonth(const Field& day) {
  if (!day || day->empty()) return "";
  return query::DayString(std::stoll(*day)).substr(0, 7);
}

void CellDelta::Add(const ClusterCell& c, int64_t sign) {
  auto add = [&](Sums& s) {
    s.events += sign;
    s.bundled += sign * c.bundled;
    s.killed += sign * c.killed;
    s.captured += sign * c.captured;
  };
  for (const auto& [g, gk] : Kinds(c.groups))
    for (const auto& [t, tk] : Kinds(c.types)) add(gt_[GtKey{c.month, c.dmonth, c.leader, g, gk, t, tk}]);
  add(geo_[GeoKey{c.month, c.dmonth, c.leader, c.country, c.admin1}]);
}

void CellDelta::Write(Db& db) {
  auto zero = [](const Sums& s) {
    return s.events == 0 && s.bundled == 0 && s.killed == 0 && s.captured == 0;
  };
  for (const auto& [k, s] : gt_)
    if (!zero(s))
      db.Exec(kUpsertGt, {std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k),
                          std::get<4>(k), std::get<5>(k), std::get<6>(k), s.events, s.bundled,
                          s.killed, s.captured});
  for (const auto& [k, s] : geo_)
    if (!zero(s))
      db.Exec(kUpsertGeo, {std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k),
                           std::get<4>(k), s.events, s.bundled, s.killed, s.captured});
  Clear();
}

void CellDelta::Clear() {
  gt_.clear();
  geo_.clear();
}

void RebuildClusterCells(Db& db) {
  db.Exec("DELETE FROM cells_gt", {});
  db.Exec("DELETE FROM cells_geo", {});
  std::unordered_map<std::string, ClusterCell> clusters;
  for (const auto& r : db.Query(
           "SELECT cluster_id, month, day, country, admin1, leader, bundled,"
           " COALESCE(killed, 0), COALESCE(captured, 0) FROM clusters",
           {})) {
    ClusterCell& c = clusters[ToStr(r[0])];
    c.month = ToStr(r[1]);
    c.dmonth = DayMonth(r[2]);
    c.country = ToStr(r[3]);
    c.admin1 = ToStr(r[4]);
    c.leader = ToInt(r[5]);
    c.bundled = ToInt(r[6]);
    c.killed = ToInt(r[7]);
    c.captured = ToInt(r[8]);
  }
  for (const auto& r : db.Query("SELECT cluster_id, group_id FROM cluster_groups", {}))
    if (auto it = clusters.find(ToStr(r[0])); it != clusters.end())
      it->second.groups.insert(ToStr(r[1]));
  for (const auto& r : db.Query("SELECT cluster_id, type FROM cluster_types", {}))
    if (auto it = clusters.find(ToStr(r[0])); it != clusters.end())
      it->second.types.insert(ToStr(r[1]));
  CellDelta delta;
  for (const auto& [id, c] : clusters) delta.Add(c, 1);
  delta.Write(db);
}

}  // namespace sitrep::store
