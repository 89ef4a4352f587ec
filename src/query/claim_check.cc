#include "query/claim_check.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include "query/merge.h"

namespace sitrep::query {
namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Word {
  std::string text;   // as written
  std::string lower;  // lower case, trailing '.' removed
  char punct = 0;     // punctuation right after the word (',', '.', ';') or 0
};

std::vector<Word> Words(const std::string& s) {
  std::vector<Word> out;
  std::string cur;
  auto flush = [&](char punct) {
    if (!cur.empty()) {
      Word w;
      w.text = cur;
      w.lower = Lower(cur);
      w.punct = punct;
      out.push_back(std::move(w));
      cur.clear();
    } else if (punct && !out.empty() && !out.back().punct) {
      out.back().punct = punct;
    }
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '\'' || (c & 0x80)) {
      cur += c;
    } else if (c == '.' && !cur.empty() && cur.size() <= 4 &&
               std::isupper(static_cast<unsigned char>(cur[0])) &&
               !std::isdigit(static_cast<unsigned char>(cur[1 % cur.size()])) &&
               i + 1 < s.size() && s[i + 1] == ' ' && i + 2 < s.size() &&
               std::isdigit(static_cast<unsigned char>(s[i + 2]))) {
      // "Jan. 29": an abbreviation, not a sentence end.
      flush(0);
    } else if (c == ',' || c == '.' || c == ';' || c == ':') {
      flush(c);
    } else {
      flush(0);
    }
  }
  flush(0);
  return out;
}

std::optional<int64_t> Number(const std::string& w) {
  static const std::map<std::string, int64_t> k = {
      {"one", 1},      {"two", 2},        {"three", 3},     {"four", 4},     {"five", 5},
      {"six", 6},      {"seven", 7},      {"eight", 8},     {"nine", 9},     {"ten", 10},
      {"eleven", 11},  {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15},
      {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20},
      {"thirty", 30},  {"forty", 40},     {"fifty", 50},    {"a dozen", 12}, {"dozen", 12}};
  if (!w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return w.size() < 10 ? std::optional<int64_t>(std::stoll(w)) : std::nullopt;
  auto it = k.find(w);
  if (it != k.end()) return it->second;
  auto dash = w.find('-');
  if (dash != std::string::npos) {
    auto a = k.find(w.substr(0, dash)), b = k.find(w.substr(dash + 1));
    if (a != k.end() && b != k.end() && a->second >= 20 && b->second < 10)
      return a->second + b->second;
  }
  return std::nullopt;
}

int Month(const std::string& w) {
  static const char* kNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  static const char* kFull[] = {"january", "february", "march",     "april",   "may",      "june",
                                "july",    "august",   "september", "october", "november", "december"};
  for (int i = 0; i < 12; ++i)
    if (w == kNames[i] || w == kFull[i] || (i == 8 && w == "sept")) return i + 1;
  return 0;
}

std::string Metric(const std::string& w) {
  static const std::map<std::string, std::string> k = {
      {"raid", "raids"},          {"raids", "raids"},          {"operation", "raids"},
      {"operations", "raids"},    {"strike", "strikes"},       {"strikes", "strikes"},
      {"airstrike", "strikes"},   {"airstrikes", "strikes"},   {"killed", "killed"},
      {"captured", "captured"},   {"detained", "captured"},    {"arrested", "captured"},
      {"detentions", "captured"}, {"arrests", "captured"}};
  auto it = k.find(w);
  return it == k.end() ? "" : it->second;
}

std::string Ymd(int y, int m, int d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

std::string Ym(int y, int m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return buf;
}

// Year for a month/day written without one: the latest not after as_of.
int YearFor(int month, int day, const std::string& as_of) {
  if (as_of.size() < 10) return 0;
  int y = std::stoi(as_of.substr(0, 4));
  if (Ymd(y, month, day) > as_of.substr(0, 10)) --y;
  return y;
}

}  // namespace

bool ParseClaim(const std::string& text, const ClaimParseOptions& options, Claim* out) {
  std::vector<Word> w = Words(text);
  Claim c;
  c.text = text;
  size_t total_at = w.size();
  for (size_t i = 0; i + 1 < w.size() && total_at == w.size(); ++i) {
    auto n = Number(w[i].lower);
    if (!n) continue;
    for (size_t j = i + 1; j < w.size() && j <= i + 3; ++j) {
      std::string m = Metric(w[j].lower);
      if (!m.empty()) {
        c.value = *n;
        c.metric = m;
        total_at = j;
        break;
      }
    }
  }
  if (total_at == w.size()) return false;
  c.evidence.push_back({0, static_cast<uint32_t>(text.size()), text});

  // Group: the longest phrase (up to 6 words) the resolver knows.
  if (options.group_of) {
    for (size_t i = 0; i < w.size() && c.group.empty(); ++i)
      for (size_t len = std::min<size_t>(6, w.size() - i); len >= 1 && c.group.empty(); --len) {
        std::string phrase;
        for (size_t k = i; k < i + len; ++k) phrase += (k > i ? " " : "") + w[k].text;
        c.group = options.group_of(phrase);
      }
  }

  // Regions: "in A, B, C, and D province(s)" after the total.
  size_t since_at = w.size();
  for (size_t i = total_at + 1; i < w.size(); ++i) {
    if (w[i].lower == "since" || w[i].lower == "from") {
      since_at = i;
      break;
    }
    if (w[i].lower != "in" || i + 1 >= w.size() || Month(w[i + 1].lower)) continue;
    std::string cur;
    size_t k = i + 1;
    for (; k < w.size(); ++k) {
      const std::string& l = w[k].lower;
      bool stop = l == "province" || l == "provinces" || l == "since" || l == "from" ||
                  l == "during" || l == "between";
      if (stop || l == "and") {
        if (!cur.empty()) c.regions.push_back(cur);
        cur.clear();
        if (stop) break;
        continue;
      }
      cur += (cur.empty() ? "" : " ") + w[k].text;
      if (w[k].punct) {
        c.regions.push_back(cur);
        cur.clear();
        if (w[k].punct != ',') break;
      }
    }
    if (!cur.empty()) c.regions.push_back(cur);
    if (!c.regions.empty()) {
      if (options.province_of) {
        std::vector<std::string> known;
        for (const auto& r : c.regions) {
          std::string p = options.province_of(r);
          if (!p.empty()) known.push_back(p);
        }
        c.regions = known;
      }
      i = k;
      if (k < w.size() && (w[k].lower == "since" || w[k].lower == "from")) {
        since_at = k;
        break;
      }
    }
  }

  // Period start: "since Month Day[, Year]".
  int from_y = 0, from_m = 0;
  if (since_at + 1 < w.size()) {
    size_t k = since_at + 1;
    if (k < w.size() && Month(w[k].lower)) {
      from_m = Month(w[k].lower);
      int day = 1;
      if (k + 1 < w.size()) {
        auto d = Number(w[k + 1].lower);
        if (d && *d >= 1 && *d <= 31) {
          day = static_cast<int>(*d);
          ++k;
        }
      }
      if (k + 1 < w.size()) {
        auto y = Number(w[k + 1].lower);
        if (y && *y > 1900 && *y < 2200) from_y = static_cast<int>(*y);
      }
      if (!from_y) from_y = YearFor(from_m, day, options.as_of);
      if (from_y) c.period_from = Ymd(from_y, from_m, day);
    }
  }
  if (!options.as_of.empty() && !c.period_from.empty()) c.period_to = options.as_of.substr(0, 10);

  // Breakdown: "K ... in MONTH" after the period.
  size_t start = since_at < w.size() ? since_at + 3 : total_at + 1;
  for (size_t i = start; i < w.size(); ++i) {
    auto n = Number(w[i].lower);
    if (!n) continue;
    for (size_t j = i + 1; j < w.size() && j <= i + 8; ++j) {
      if (Number(w[j].lower)) break;
      int m = Month(w[j].lower);
      if (!m || (w[j - 1].lower != "in" && w[j - 1].lower != "during")) continue;
      int y = from_y ? (m >= from_m ? from_y : from_y + 1) : YearFor(m, 1, options.as_of);
      c.breakdown.push_back({y ? Ym(y, m) : std::to_string(m), *n});
      i = j;
      break;
    }
  }
  *out = std::move(c);
  return true;
}

void NormaliseClaim(const ClaimParseOptions& options, Claim* c) {
  if (options.province_of) {
    std::vector<std::string> regions;
    for (const auto& r : c->regions) {
      std::string p = options.province_of(r);
      regions.push_back(p.empty() ? r : p);
    }
    c->regions = regions;
  }
  if (c->period_to.empty() && !c->period_from.empty() && !options.as_of.empty())
    c->period_to = options.as_of.substr(0, 10);
}

ClaimCheck CheckClaim(Store& store, const Claim& claim) {
  ClaimCheck out;
  out.claim = claim;
  EventFilter f;
  f.group = claim.group;
  f.since = claim.period_from.size() == 10 ? claim.period_from : "";
  f.until = claim.period_to.size() == 10 ? claim.period_to : "";
  std::string m = claim.metric;
  if (m == "raids") f.type = "raid";
  std::vector<MergedEvent> all = store.Events(f, 10000000);
  std::set<std::string> regions;
  for (const auto& r : claim.regions) regions.insert(Lower(r));
  auto value = [&](const MergedEvent& e) -> int64_t {
    if (m == "killed") return e.killed.value_or(0);
    if (m == "captured") return e.captured.value_or(0);
    return e.count;
  };
  auto is_strike = [](const MergedEvent& e) {
    for (const auto& t : e.types)
      if (t == "airstrike" || t == "drone_strike") return true;
    return false;
  };
  ClaimPart total{"total", "total", true, claim.value, 0, false, {}};
  std::map<std::string, ClaimPart> by_region, by_period;
  for (const auto& r : claim.regions)
    by_region[Lower(r)] = ClaimPart{"region", r, false, 1, 0, false, {}};
  for (const auto& p : claim.breakdown)
    by_period[p.period] = ClaimPart{"period", p.period, true, p.value, 0, false, {}};
  for (auto& e : all) {
    if (m == "strikes" && !is_strike(e)) continue;
    if (!regions.empty() && !regions.count(Lower(e.admin1))) continue;
    int64_t v = value(e);
    if (v <= 0) continue;
    total.counted += v;
    total.cluster_ids.push_back(e.cluster_id);
    auto r = by_region.find(Lower(e.admin1));
    if (r != by_region.end()) {
      r->second.counted += v;
      r->second.cluster_ids.push_back(e.cluster_id);
    }
    for (auto& [period, part] : by_period)
      if (e.date.compare(0, period.size(), period) == 0) {
        part.counted += v;
        part.cluster_ids.push_back(e.cluster_id);
      }
    out.events.push_back(e);
  }
  total.holds = total.counted == total.expected;
  out.parts.push_back(total);
  for (const auto& r : claim.regions) {
    ClaimPart p = by_region[Lower(r)];
    p.holds = p.counted >= 1;
    out.parts.push_back(p);
  }
  for (const auto& b : claim.breakdown) {
    ClaimPart p = by_period[b.period];
    p.holds = p.counted == p.expected;
    out.parts.push_back(p);
  }
  out.holds = std::all_of(out.parts.begin(), out.parts.end(),
                          [](const ClaimPart& p) { return p.holds; });
  out.note = "counted " + (m.empty() ? std::string("events") : m) +
             (claim.group.empty() ? "" : " against " + claim.group) +
             (claim.regions.empty() ? "" : " in the listed provinces") +
             (f.since.empty() ? "" : " from " + f.since) + (f.until.empty() ? "" : " to " + f.until) +
             "; each merged event once";
  return out;
}

std::string FormatClaimCheck(Store& store, const ClaimCheck& c, bool with_evidence) {
  std::string s;
  char buf[512];
  std::snprintf(buf, sizeof buf, "claim: %s\n", c.claim.text.c_str());
  s += buf;
  std::string regions;
  for (const auto& r : c.claim.regions) regions += (regions.empty() ? "" : ", ") + r;
  std::snprintf(buf, sizeof buf, "parsed: %lld %s%s%s%s%s%s\n",
                static_cast<long long>(c.claim.value), c.claim.metric.c_str(),
                c.claim.group.empty() ? "" : " against ", c.claim.group.c_str(),
                regions.empty() ? "" : " in ", regions.c_str(),
                c.claim.period_from.empty() ? "" : (" since " + c.claim.period_from).c_str());
  s += buf;
  s += c.note + "\n";
  for (const auto& p : c.parts) {
    if (p.stated)
      std::snprintf(buf, sizeof buf, "%-14s %-7s stated %-4lld counted %-4lld %s\n",
                    p.label.c_str(), p.kind.c_str(), static_cast<long long>(p.expected),
                    static_cast<long long>(p.counted), p.holds ? "HOLDS" : "DOES NOT HOLD");
    else
      std::snprintf(buf, sizeof buf, "%-14s %-7s stated >=1   counted %-4lld %s\n",
                    p.label.c_str(), p.kind.c_str(), static_cast<long long>(p.counted),
                    p.holds ? "HOLDS" : "DOES NOT HOLD");
    s += buf;
  }
  s += std::string("overall: ") + (c.holds ? "HOLDS" : "DOES NOT HOLD") + "\n";
  if (!with_evidence) return s;
  s += "events:\n";
  for (const auto& e : c.events) {
    std::string types;
    for (const auto& t : e.types) types += (types.empty() ? "" : ",") + t;
    std::snprintf(buf, sizeof buf, "  %s %s %s/%s %s x%d (%d source%s)\n", e.cluster_id.c_str(),
                  e.date.c_str(), e.admin1.c_str(), e.admin2.c_str(), types.c_str(), e.count,
                  e.sources, e.sources == 1 ? "" : "s");
    s += buf;
    for (const auto& src : store.Sources(e.cluster_id))
      for (const auto& ev : src.event.evidence) s += "    [" + src.doc_id + "] " + ev.text + "\n";
  }
  return s;
}

}  // namespace sitrep::query
