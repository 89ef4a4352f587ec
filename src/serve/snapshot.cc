#include "serve/snapshot.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <functional>
#include <map>
#include <unordered_map>

namespace sitrep::serve {
namespace {

std::string Upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

std::string Lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : "|") + x;
  return s;
}

// Days since 1970-01-01 of YYYY-MM-DD, read as the store reads --since.
int64_t FilterDay(const std::string& date, const char* what) {
  int y, m, d;
  if (date.size() != 10 || std::sscanf(date.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 ||
      m > 12 || d < 1 || d > 31)
    throw StoreError(std::string(what) + ": expected YYYY-MM-DD, got '" + date + "'");
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int Cmp(const std::string& a, const std::string& b) {
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}
int Cmp(int64_t a, int64_t b) { return a < b ? -1 : a > b ? 1 : 0; }

// Builds a Dict from every value `get` yields and returns the id lookup.
template <typename Get>
std::map<std::string, int32_t> Intern(const std::vector<ClusterFacts>& rows, Get&& get,
                                      std::vector<std::string>* names) {
  std::map<std::string, int32_t> ids;
  for (const auto& r : rows) get(r, [&](const std::string& v) { ids.emplace(v, 0); });
  int32_t n = 0;
  for (auto& [name, id] : ids) {
    id = n++;
    names->push_back(name);
  }
  return ids;
}

// Ids of a dictionary whose folded name equals `want` (folded the same way).
std::vector<char> Folded(const std::vector<std::string>& names, const std::string& want,
                         std::string (*fold)(std::string)) {
  std::vector<char> ok(names.size(), 0);
  for (size_t i = 0; i < names.size(); ++i) ok[i] = fold(names[i]) == want;
  return ok;
}

}  // namespace

int32_t Snapshot::Dict::Find(const std::string& name) const {
  auto it = std::lower_bound(names.begin(), names.end(), name);
  return it != names.end() && *it == name ? static_cast<int32_t>(it - names.begin()) : -1;
}

Snapshot::Snapshot(int64_t version, std::vector<ClusterFacts> clusters) : version_(version) {
  using Emit = std::function<void(const std::string&)>;
  auto one = [](auto field) {
    return [field](const ClusterFacts& c, const Emit& emit) { emit(field(c)); };
  };
  auto month = Intern(clusters, one([](const ClusterFacts& c) { return c.month; }), &months_.names);
  auto week = Intern(clusters, one([](const ClusterFacts& c) { return c.week; }), &weeks_.names);
  auto admin1 =
      Intern(clusters, one([](const ClusterFacts& c) { return c.event.admin1; }), &admin1_.names);
  auto admin2 =
      Intern(clusters, one([](const ClusterFacts& c) { return c.event.admin2; }), &admin2_.names);
  auto place =
      Intern(clusters, one([](const ClusterFacts& c) { return c.event.place; }), &places_.names);
  auto district = Intern(
      clusters, one([](const ClusterFacts& c) { return c.event.admin1 + "/" + c.event.admin2; }),
      &districts_.names);
  auto country = Intern(clusters, one([](const ClusterFacts& c) { return c.event.country; }),
                        &countries_.names);
  auto group = Intern(
      clusters,
      [](const ClusterFacts& c, const Emit& emit) {
        for (const auto& g : c.event.groups) emit(g);
      },
      &groups_.names);
  auto type = Intern(
      clusters,
      [](const ClusterFacts& c, const Emit& emit) {
        for (const auto& t : c.event.types) emit(t);
      },
      &types_.names);
  std::map<std::pair<double, double>, int32_t> point;
  for (const auto& c : clusters)
    if (c.event.lat && c.event.lon) point.emplace(std::make_pair(*c.event.lat, *c.event.lon), 0);
  for (auto& [ll, id] : point) {
    id = static_cast<int32_t>(points_.size());
    points_.push_back({ll.first, ll.second});
  }
  rows_.resize(clusters.size());
  for (size_t i = 0; i < clusters.size(); ++i) {
    Row& r = rows_[i];
    const ClusterFacts& c = clusters[i];
    r.month = month.at(c.month);
    r.week = week.at(c.week);
    r.admin1 = admin1.at(c.event.admin1);
    r.admin2 = admin2.at(c.event.admin2);
    r.place = place.at(c.event.place);
    r.district = district.at(c.event.admin1 + "/" + c.event.admin2);
    r.country = country.at(c.event.country);
    r.groups = static_cast<uint32_t>(ids_.size());
    for (const auto& g : c.event.groups) ids_.push_back(group.at(g));
    r.ngroups = static_cast<uint16_t>(c.event.groups.size());
    r.types = static_cast<uint32_t>(ids_.size());
    for (const auto& t : c.event.types) ids_.push_back(type.at(t));
    r.ntypes = static_cast<uint16_t>(c.event.types.size());
    if (c.event.lat && c.event.lon) r.point = point.at({*c.event.lat, *c.event.lon});
    r.has_day = c.day.has_value();
    r.day = c.day.value_or(0);
    r.leader = c.leader;
    r.count = c.event.count;
    r.killed = c.event.killed.value_or(0);
    r.captured = c.event.captured.value_or(0);
  }
  facts_ = std::move(clusters);
  // Ranks per sort column, as the store orders: the column, then the id;
  // NULL killed/captured after every number.
  std::vector<std::string> types_joined(rows_.size()), groups_joined(rows_.size());
  for (size_t i = 0; i < rows_.size(); ++i) {
    types_joined[i] = Join(facts_[i].event.types);
    groups_joined[i] = Join(facts_[i].event.groups);
  }
  std::vector<size_t> order(rows_.size());
  rank_.assign(kSorts, std::vector<int32_t>(rows_.size()));
  for (int s = 0; s < kSorts; ++s) {
    auto column = [&](size_t i, size_t j) -> int {
      const MergedEvent& a = facts_[i].event;
      const MergedEvent& b = facts_[j].event;
      auto opt = [](const std::optional<int>& x, const std::optional<int>& y) {
        if (!x || !y) return (x ? 0 : 1) - (y ? 0 : 1);  // NULL last
        return Cmp(*x, *y);
      };
      switch (s) {
        case kDate: {
          const auto& x = facts_[i].day;
          const auto& y = facts_[j].day;
          int c = (!x || !y) ? (x ? 1 : 0) - (y ? 1 : 0) : Cmp(*x, *y);  // NULL first
          return c ? c : Cmp(a.date, b.date);
        }
        case kCountry: return Cmp(a.country, b.country);
        case kProvince: return Cmp(a.admin1, b.admin1);
        case kDistrict: return Cmp(a.admin2, b.admin2);
        case kPlace: return Cmp(a.place, b.place);
        case kType: return Cmp(types_joined[i], types_joined[j]);
        case kGroup: return Cmp(groups_joined[i], groups_joined[j]);
        case kActor: return Cmp(a.actor, b.actor);
        case kKilled: return opt(a.killed, b.killed);
        case kCaptured: return opt(a.captured, b.captured);
        case kSources: return Cmp(a.sources, b.sources);
        case kCount: return Cmp(a.count, b.count);
        default: return 0;
      }
    };
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t i, size_t j) {
      int c = column(i, j);
      if (c == 0) c = Cmp(facts_[i].event.cluster_id, facts_[j].event.cluster_id);
      return c < 0;
    });
    first_null_[s] = static_cast<int32_t>(order.size());
    for (size_t k = 0; k < order.size(); ++k) {
      rank_[static_cast<size_t>(s)][order[k]] = static_cast<int32_t>(k);
      const MergedEvent& m = facts_[order[k]].event;
      bool null = (s == kKilled && !m.killed) || (s == kCaptured && !m.captured);
      if (null && first_null_[s] == static_cast<int32_t>(order.size()))
        first_null_[s] = static_cast<int32_t>(k);
    }
  }
}

bool Snapshot::Handles(const EventFilter& f) { return f.text.empty() && !f.bbox; }

std::vector<uint32_t> Snapshot::Match(const EventFilter& f) const {
  int32_t group = f.group.empty() ? -1 : groups_.Find(Lower(f.group));
  int32_t type = f.type.empty() ? -1 : types_.Find(Lower(f.type));
  std::vector<char> country, province, district;
  if (!f.country.empty()) country = Folded(countries_.names, Upper(f.country), &Upper);
  if (!f.province.empty()) province = Folded(admin1_.names, Lower(f.province), &Lower);
  if (!f.district.empty()) district = Folded(admin2_.names, Lower(f.district), &Lower);
  bool since = !f.since.empty(), until = !f.until.empty();
  int64_t since_day = since ? FilterDay(f.since, "--since") : 0;
  int64_t until_day = until ? FilterDay(f.until, "--until") : 0;
  std::vector<uint32_t> out;
  if ((!f.group.empty() && group < 0) || (!f.type.empty() && type < 0)) return out;
  auto has = [&](uint32_t first, uint16_t n, int32_t id) {
    for (uint32_t k = first; k < first + n; ++k)
      if (ids_[k] == id) return true;
    return false;
  };
  for (uint32_t i = 0; i < rows_.size(); ++i) {
    const Row& r = rows_[i];
    if (group >= 0 && !has(r.groups, r.ngroups, group)) continue;
    if (type >= 0 && !has(r.types, r.ntypes, type)) continue;
    if (!country.empty() && !country[static_cast<size_t>(r.country)]) continue;
    if (!province.empty() && !province[static_cast<size_t>(r.admin1)]) continue;
    if (!district.empty() && !district[static_cast<size_t>(r.admin2)]) continue;
    if ((since || until) && !r.has_day) continue;
    if (since && r.day < since_day) continue;
    if (until && r.day > until_day) continue;
    if (f.leaders && !r.leader) continue;
    out.push_back(i);
  }
  return out;
}

const Snapshot::Dict& Snapshot::DictOf(GroupBy by) const {
  switch (by) {
    case GroupBy::kMonth: return months_;
    case GroupBy::kWeek: return weeks_;
    case GroupBy::kProvince: return admin1_;
    case GroupBy::kDistrict: return districts_;
    case GroupBy::kCountry: return countries_;
    case GroupBy::kGroup: return groups_;
    case GroupBy::kType: return types_;
  }
  return months_;
}

// Calls fn(id) for each key a cluster counts under: one for most groupings,
// one per group or type (none when it has none), as the store's joins count.
template <typename Fn>
void Snapshot::ForKeys(const Row& r, GroupBy by, Fn&& fn) const {
  switch (by) {
    case GroupBy::kMonth: fn(r.month); return;
    case GroupBy::kWeek: fn(r.week); return;
    case GroupBy::kProvince: fn(r.admin1); return;
    case GroupBy::kDistrict: fn(r.district); return;
    case GroupBy::kCountry: fn(r.country); return;
    case GroupBy::kGroup:
      for (uint32_t k = r.groups; k < r.groups + r.ngroups; ++k) fn(ids_[k]);
      return;
    case GroupBy::kType:
      for (uint32_t k = r.types; k < r.types + r.ntypes; ++k) fn(ids_[k]);
      return;
  }
}

int64_t Snapshot::Count(const EventFilter& f) const {
  return static_cast<int64_t>(Match(f).size());
}

std::vector<AggregateRow> Snapshot::Aggregate(const EventFilter& f, GroupBy by) const {
  const Dict& dict = DictOf(by);
  std::vector<AggregateRow> sums(dict.names.size());
  for (uint32_t i : Match(f)) {
    const Row& r = rows_[i];
    ForKeys(r, by, [&](int32_t k) {
      AggregateRow& a = sums[static_cast<size_t>(k)];
      ++a.events;
      a.count += r.count;
      a.killed += r.killed;
      a.captured += r.captured;
    });
  }
  std::vector<AggregateRow> out;  // ids are in key order
  for (size_t k = 0; k < sums.size(); ++k)
    if (sums[k].events > 0) {
      sums[k].key = dict.names[k];
      out.push_back(std::move(sums[k]));
    }
  return out;
}

std::vector<Aggregate2Row> Snapshot::Aggregate(const EventFilter& f, GroupBy by,
                                               GroupBy then) const {
  const Dict& d1 = DictOf(by);
  const Dict& d2 = DictOf(then);
  struct Sums {
    int64_t events = 0, count = 0;
  };
  std::unordered_map<uint64_t, Sums> sums;
  for (uint32_t i : Match(f)) {
    const Row& r = rows_[i];
    int count = r.count;
    ForKeys(r, by, [&](int32_t k1) {
      ForKeys(r, then, [&](int32_t k2) {
        Sums& s = sums[(static_cast<uint64_t>(k1) << 32) | static_cast<uint32_t>(k2)];
        ++s.events;
        s.count += count;
      });
    });
  }
  std::vector<std::pair<uint64_t, Sums>> cells(sums.begin(), sums.end());
  std::sort(cells.begin(), cells.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Aggregate2Row> out;
  out.reserve(cells.size());
  for (const auto& [k, s] : cells)
    out.push_back({d1.names[k >> 32], d2.names[k & 0xffffffffu], s.events, s.count});
  return out;
}

std::vector<MergedEvent> Snapshot::Events(const EventFilter& f, size_t limit,
                                          const EventOrder& order) const {
  static const std::map<std::string, Sort> kSortOf = {
      {"date", kDate},         {"country", kCountry}, {"province", kProvince},
      {"district", kDistrict}, {"place", kPlace},     {"type", kType},
      {"group", kGroup},       {"actor", kActor},     {"killed", kKilled},
      {"captured", kCaptured}, {"sources", kSources}, {"count", kCount},
      {"id", kId}};
  auto it = kSortOf.find(order.sort);
  Sort s = it == kSortOf.end() ? kDate : it->second;
  bool desc = order.descending;
  // Descending keeps NULL killed/captured last, as the store does (it sorts
  // on "col IS NULL" first); the date's NULLs simply come last.
  bool nulls_last = s == kKilled || s == kCaptured;
  const std::vector<int32_t>& rank = rank_[static_cast<size_t>(s)];
  int32_t first_null = first_null_[s];
  auto is_null = [&](uint32_t i) { return nulls_last && rank[i] >= first_null; };
  std::vector<uint32_t> rows = Match(f);
  std::vector<MergedEvent> out;
  if (order.offset >= rows.size() || limit == 0) return out;
  size_t end = order.offset + std::min(limit, rows.size() - order.offset);
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(end), rows.end(),
                    [&](uint32_t a, uint32_t b) {
                      bool na = is_null(a), nb = is_null(b);
                      if (na != nb) return nb;
                      return desc ? rank[a] > rank[b] : rank[a] < rank[b];
                    });
  for (size_t i = order.offset; i < end; ++i) out.push_back(facts_[rows[i]].event);
  return out;
}

std::vector<MapPoint> Snapshot::Points(const EventFilter& f, size_t limit) const {
  // Per point the count and the smallest name of each field (the store's
  // MIN); dictionary ids compare as the names do.
  struct Acc {
    int64_t events = 0;
    int32_t place = INT32_MAX, admin2 = INT32_MAX, admin1 = INT32_MAX, country = INT32_MAX;
  };
  std::vector<Acc> acc(points_.size());
  for (uint32_t i : Match(f)) {
    const Row& r = rows_[i];
    if (r.point < 0) continue;
    Acc& a = acc[static_cast<size_t>(r.point)];
    ++a.events;
    a.place = std::min(a.place, r.place);
    a.admin2 = std::min(a.admin2, r.admin2);
    a.admin1 = std::min(a.admin1, r.admin1);
    a.country = std::min(a.country, r.country);
  }
  std::vector<size_t> used;  // by lat, lon
  for (size_t p = 0; p < acc.size(); ++p)
    if (acc[p].events > 0) used.push_back(p);
  std::stable_sort(used.begin(), used.end(),
                   [&](size_t a, size_t b) { return acc[a].events > acc[b].events; });
  if (used.size() > limit) used.resize(limit);
  std::vector<MapPoint> out;
  out.reserve(used.size());
  auto name = [](const Dict& d, int32_t id) { return d.names[static_cast<size_t>(id)]; };
  for (size_t p : used) {
    const Acc& a = acc[p];
    out.push_back({points_[p].lat, points_[p].lon, a.events, name(places_, a.place),
                   name(admin2_, a.admin2), name(admin1_, a.admin1), name(countries_, a.country)});
  }
  return out;
}

}  // namespace sitrep::serve
