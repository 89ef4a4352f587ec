#include "query/merge.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

namespace sitrep::query {
namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Families of event types that reports of one event may mix: a raid is
// reported as a detention or a firefight, an air strike as a drone strike.
int Family(const std::string& t) {
  if (t == "raid" || t == "detention" || t == "clash" || t == "weapons_seizure" ||
      t == "assassination")
    return 1;
  if (t == "airstrike" || t == "drone_strike" || t == "artillery") return 2;
  if (t == "ied" || t == "suicide_attack") return 3;
  return 0;  // other: compatible with anything
}

bool TypesCompatible(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::set<int> fa, fb;
  for (const auto& t : a)
    if (Family(t)) fa.insert(Family(t));
  for (const auto& t : b)
    if (Family(t)) fb.insert(Family(t));
  if (fa.empty() || fb.empty()) return true;
  for (int f : fa)
    if (fb.count(f)) return true;
  return false;
}

bool Intersects(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  return false;
}

// Counts from two reports of one event: "several" vs 3, 4 vs 5 agree; 2 vs 12
// do not.
bool CountsClose(int a, int b) {
  int lo = std::min(a, b), hi = std::max(a, b);
  return hi - lo <= 2 || lo * 2 >= hi;
}

std::vector<std::string> NameTokens(const std::string& name) {
  static const std::set<std::string> kSkip = {"mullah", "maulvi", "mawlawi", "qari", "haji",
                                               "hajji", "sheikh", "abu", "al", "bin", "ibn",
                                               "commander", "mohammad", "muhammad", "mohammed"};
  std::vector<std::string> out;
  std::string cur;
  for (char c : name + " ") {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!cur.empty()) {
      if (cur.size() > 2 && !kSkip.count(cur)) out.push_back(cur);
      cur.clear();
    }
  }
  return out;
}

bool NamesShared(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& x : a)
    for (const auto& y : b)
      if (Intersects(NameTokens(x), NameTokens(y))) return true;
  return false;
}

double Km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 6371.0 * 2 * std::asin(std::min(1.0, std::sqrt(h)));
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s.empty() ? "-" : s;
}

std::string OptStr(const std::optional<int>& v) { return v ? std::to_string(*v) : "-"; }

}  // namespace

std::optional<int64_t> DayNumber(const std::string& date) {
  int y, m, d;
  if (date.size() != 10) return std::nullopt;
  auto digit = [&](size_t i) { return date[i] >= '0' && date[i] <= '9'; };
  auto num = [&](size_t i, size_t n) {
    int v = 0;
    for (size_t k = i; k < i + n; ++k) v = v * 10 + (date[k] - '0');
    return v;
  };
  // YYYY-MM-DD read directly (the store reads a few dates per event);
  // anything else as before.
  if (digit(0) && digit(1) && digit(2) && digit(3) && date[4] == '-' && digit(5) && digit(6) &&
      date[7] == '-' && digit(8) && digit(9)) {
    y = num(0, 4);
    m = num(5, 2);
    d = num(8, 2);
  } else if (std::sscanf(date.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  // Days from civil (H. Hinnant).
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string DayString(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  if (y >= 0 && y <= 9999) {
    std::string out = "0000-00-00";
    for (int i = 3; i >= 0; --i, y /= 10) out[static_cast<size_t>(i)] = static_cast<char>('0' + y % 10);
    out[5] = static_cast<char>('0' + m / 10);
    out[6] = static_cast<char>('0' + m % 10);
    out[8] = static_cast<char>('0' + d / 10);
    out[9] = static_cast<char>('0' + d % 10);
    return out;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
                static_cast<int>(d));
  return buf;
}

std::string IsoWeek(const std::string& date) {
  auto day = DayNumber(date);
  if (!day) return "";
  // 1970-01-01 was a Thursday; ISO weekday 1 = Monday.
  int64_t wd = ((*day + 3) % 7 + 7) % 7 + 1;
  int64_t thursday = *day - wd + 4;
  std::string ty = DayString(thursday).substr(0, 4);
  auto jan1 = DayNumber(ty + "-01-01");
  int64_t week = (thursday - *jan1) / 7 + 1;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s-W%02d", ty.c_str(), static_cast<int>(week));
  return buf;
}

MergeFacts FactsOf(const Event& e) {
  MergeFacts f;
  f.event_id = e.event_id;
  f.doc_id = e.doc_id;
  f.date = e.date;
  f.date_basis = e.date_basis;
  if (e.date_precision == "day" || e.date_precision.empty()) f.day = DayNumber(e.date);
  f.background = e.background;
  f.country = e.location.country;
  f.admin1 = e.location.admin1;
  f.admin2 = e.location.admin2;
  f.place = e.location.place;
  f.lat = e.location.lat;
  f.lon = e.location.lon;
  if (e.location.precision != "place") f.lat = f.lon = std::nullopt;
  f.types = e.types;
  f.groups = e.target_groups;
  f.killed = e.killed;
  f.captured = e.captured;
  f.leaders_killed = e.leaders_killed;
  f.leaders_captured = e.leaders_captured;
  for (const auto& p : e.people)
    if (!p.name.empty()) f.names.push_back(p.name);
  return f;
}

MergeDecision CompareEvents(const MergeFacts& a, const MergeFacts& b) {
  MergeDecision d;
  std::string& r = d.reason;
  auto veto = [&](const std::string& why) {
    d.same = false;
    r += (r.empty() ? "" : "; ") + ("no: " + why);
    return d;
  };
  if (a.background || b.background) return veto("background (recalled, not reported)");
  if (!a.day || !b.day) return veto("date not known to the day");
  int64_t gap = std::llabs(*a.day - *b.day);
  const MergeFacts& later = *a.day > *b.day ? a : b;
  bool published_only = gap > 0 && later.date_basis == "published";
  if (gap > (published_only ? 2 : 1))
    return veto("dates " + a.date + " and " + b.date + " more than " +
                (published_only ? "two days" : "a day") + " apart");
  auto level = [](const std::string& x, const std::string& y) {
    if (x.empty() || y.empty()) return true;
    return Lower(x) == Lower(y);
  };
  if (!level(a.country, b.country))
    return veto("countries differ (" + a.country + " / " + b.country + ")");
  if (!level(a.admin1, b.admin1))
    return veto("provinces differ (" + a.admin1 + " / " + b.admin1 + ")");
  if (!level(a.admin2, b.admin2))
    return veto("districts differ (" + a.admin2 + " / " + b.admin2 + ")");
  bool place_same = !a.place.empty() && !b.place.empty() && Lower(a.place) == Lower(b.place);
  bool near = false;
  if (a.lat && a.lon && b.lat && b.lon) {
    double km = Km(*a.lat, *a.lon, *b.lat, *b.lon);
    if (km > 25) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "places %.0f km apart", km);
      return veto(buf);
    }
    near = km <= 5;
  }
  if (!a.place.empty() && !b.place.empty() && !place_same && !near)
    return veto("villages differ (" + a.place + " / " + b.place + ")");
  if (!TypesCompatible(a.types, b.types))
    return veto("types incompatible (" + Join(a.types) + " / " + Join(b.types) + ")");
  // A zero is not evidence against a count: reports that do not give one
  // (or give it in words the extractor does not read) come out as 0.
  if (a.killed.value_or(0) > 0 && b.killed.value_or(0) > 0 && !CountsClose(*a.killed, *b.killed))
    return veto("killed counts differ (" + OptStr(a.killed) + " / " + OptStr(b.killed) + ")");
  if (a.captured.value_or(0) > 0 && b.captured.value_or(0) > 0 &&
      !CountsClose(*a.captured, *b.captured))
    return veto("captured counts differ (" + OptStr(a.captured) + " / " + OptStr(b.captured) +
                ")");
  bool names_shared = NamesShared(a.names, b.names);
  if (!a.names.empty() && !b.names.empty() && !names_shared)
    return veto("named people differ");

  int s = 0;
  auto add = [&](int points, const std::string& why) {
    s += points;
    r += (r.empty() ? "" : "; ") + why + (points >= 0 ? " +" : " ") + std::to_string(points);
  };
  if (gap == 0) add(2, "same day " + a.date);
  else if (published_only)
    r += "dates " + a.date + " / " + b.date + " (" + later.date + " is only the publication date)";
  else r += "one day apart (" + a.date + " / " + b.date + ")";
  if (!a.admin2.empty() && !b.admin2.empty()) add(2, "same district " + a.admin2);
  else if (!a.admin1.empty() && !b.admin1.empty())
    r += std::string(r.empty() ? "" : "; ") + "same province " + a.admin1;
  if (place_same || near) add(2, "same place " + (a.place.empty() ? b.place : a.place));
  if (names_shared) add(3, "same person named");
  if (!a.groups.empty() && !b.groups.empty()) {
    if (Intersects(a.groups, b.groups)) add(1, "same group " + Join(a.groups));
    else add(-2, "groups differ (" + Join(a.groups) + " / " + Join(b.groups) + ")");
  }
  if (a.killed.value_or(0) > 0 && a.killed == b.killed) add(1, "killed " + OptStr(a.killed));
  if (a.captured.value_or(0) > 0 && a.captured == b.captured)
    add(1, "captured " + OptStr(a.captured));
  auto lead = [](const MergeFacts& f) {
    return f.leaders_killed.value_or(0) + f.leaders_captured.value_or(0);
  };
  if (lead(a) > 0 && lead(a) == lead(b)) add(1, "leaders " + std::to_string(lead(a)));
  for (const auto& t : a.types)
    if (t != "other" && std::find(b.types.begin(), b.types.end(), t) != b.types.end()) {
      add(2, "same type " + t);
      break;
    }
  d.score = s;
  if (gap == 0 || published_only) {
    d.same = s >= 5;
  } else {
    d.same = s >= 6 && (place_same || near || names_shared);
  }
  r += std::string("; score ") + std::to_string(s) + (d.same ? ": same event" : ": not enough");
  return d;
}

}  // namespace sitrep::query
