// The golden set: pages written for sitrep (tests/golden/pages), each with the
// events a careful reader would record (tests/golden/expected/<page>.json,
// decided from the page text, never from sitrep's output). The runner scores
// the full profile against them and asserts floors a little below what it
// measures, and that every evidence span slices the input exactly.
//
// Scoring (README.md next to this file explains it for people adding pages):
// - Only reported events count: predicted events with background = true are
//   history the page recalls and are neither rewarded nor punished.
// - Matching is per page. A predicted and an expected event may pair when
//   they agree on where and on when or what kind (or on when and what kind in
//   the same country); among the candidates, the pairs with the most
//   agreement are taken first, each event at most once.
// - Event precision = matched / predicted, recall = matched / expected.
// - Field accuracy is over matched pairs and only over the fields the
//   expected record gives, except killed/captured (absent = the page gives
//   no number: the prediction must be null or 0), leaders_* (absent = 0) and
//   count (absent = 1). Names of places compare through the knowledge base's
//   aliases, so "Abu Kamal" matches "Albu Kamal". People: each expected
//   person counts once; found when a predicted person has the same role and
//   fate (and, when the expected one is named, a name that contains it or is
//   contained in it).
//
// SITREP_GOLDEN_VERBOSE=1 prints every mismatch; SITREP_GOLDEN_PAGES=PREFIX
// scores only the pages whose names start with PREFIX; SITREP_GOLDEN_DIR=DIR
// scores another set laid out the same way.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <simdjson.h>

#include "test_util.h"

namespace sitrep {
namespace {

namespace fs = std::filesystem;
using testing::FullPipeline;

// Floors: set a little below the measured numbers (see the README) so that a
// regression fails and noise does not.
constexpr double kMinPrecision = 0.95;
constexpr double kMinRecall = 0.93;
constexpr double kMinF1 = 0.94;
constexpr double kMinFieldMean = 0.88;

struct ExpPerson {
  std::string name, role, fate, group;
};

struct ExpEvent {
  std::set<std::string> fields;  // keys the expected record gives
  std::set<std::string> types, target_groups;
  std::string date, date_basis, country, admin1, admin2, place, actor;
  std::optional<int> killed, captured, leaders_killed, leaders_captured;
  int count = 1;
  std::vector<ExpPerson> people;
};

struct Page {
  std::string name;
  std::string input;
  std::string published;
  std::vector<ExpEvent> events;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// SITREP_GOLDEN_DIR points the runner at another set laid out the same way
// (pages/, expected/), e.g. real pages someone has labelled.
fs::path GoldenDir() {
  const char* dir = std::getenv("SITREP_GOLDEN_DIR");
  if (dir && *dir) return fs::path(dir);
  return fs::path(SITREP_SOURCE_DIR) / "tests" / "golden";
}

bool CustomSet() {
  const char* dir = std::getenv("SITREP_GOLDEN_DIR");
  const char* only = std::getenv("SITREP_GOLDEN_PAGES");
  return (dir && *dir) || (only && *only);
}

std::string Str(simdjson::ondemand::value v) {
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return "";
  return std::string(s);
}

std::set<std::string> StrSet(simdjson::ondemand::value v) {
  std::set<std::string> out;
  simdjson::ondemand::array a;
  if (v.get_array().get(a) != simdjson::SUCCESS) return out;
  for (auto x : a) {
    std::string_view s;
    if (x.get_string().get(s) == simdjson::SUCCESS) out.insert(std::string(s));
  }
  return out;
}

std::optional<int> Int(simdjson::ondemand::value v) {
  int64_t n;
  if (v.get_int64().get(n) != simdjson::SUCCESS) return std::nullopt;
  return static_cast<int>(n);
}

// Parses one expected file; returns false (with *error) on malformed JSON.
bool LoadExpected(const fs::path& path, Page* page, std::string* error) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string json;
  if (simdjson::padded_string::load(path.string()).get(json) != simdjson::SUCCESS) {
    *error = "cannot read " + path.string();
    return false;
  }
  simdjson::ondemand::document doc;
  if (parser.iterate(json).get(doc) != simdjson::SUCCESS) {
    *error = "bad JSON in " + path.string();
    return false;
  }
  simdjson::ondemand::object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS) {
    *error = "not an object: " + path.string();
    return false;
  }
  for (auto field : root) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) continue;
    simdjson::ondemand::value val;
    if (field.value().get(val) != simdjson::SUCCESS) continue;
    if (key == "published") {
      page->published = Str(val);
    } else if (key == "events") {
      simdjson::ondemand::array arr;
      if (val.get_array().get(arr) != simdjson::SUCCESS) {
        *error = "events is not an array: " + path.string();
        return false;
      }
      for (auto ev : arr) {
        simdjson::ondemand::object o;
        if (ev.get_object().get(o) != simdjson::SUCCESS) continue;
        ExpEvent e;
        for (auto f : o) {
          std::string_view k;
          if (f.unescaped_key().get(k) != simdjson::SUCCESS) continue;
          simdjson::ondemand::value v;
          if (f.value().get(v) != simdjson::SUCCESS) continue;
          std::string ks(k);
          e.fields.insert(ks);
          if (ks == "types") e.types = StrSet(v);
          else if (ks == "target_groups") e.target_groups = StrSet(v);
          else if (ks == "date") e.date = Str(v);
          else if (ks == "date_basis") e.date_basis = Str(v);
          else if (ks == "country") e.country = Str(v);
          else if (ks == "admin1") e.admin1 = Str(v);
          else if (ks == "admin2") e.admin2 = Str(v);
          else if (ks == "place") e.place = Str(v);
          else if (ks == "actor") e.actor = Str(v);
          else if (ks == "killed") e.killed = Int(v);
          else if (ks == "captured") e.captured = Int(v);
          else if (ks == "leaders_killed") e.leaders_killed = Int(v);
          else if (ks == "leaders_captured") e.leaders_captured = Int(v);
          else if (ks == "count") e.count = Int(v).value_or(1);
          else if (ks == "people") {
            simdjson::ondemand::array pa;
            if (v.get_array().get(pa) != simdjson::SUCCESS) continue;
            for (auto pv : pa) {
              simdjson::ondemand::object po;
              if (pv.get_object().get(po) != simdjson::SUCCESS) continue;
              ExpPerson p;
              for (auto pf : po) {
                std::string_view pk;
                if (pf.unescaped_key().get(pk) != simdjson::SUCCESS) continue;
                simdjson::ondemand::value pvv;
                if (pf.value().get(pvv) != simdjson::SUCCESS) continue;
                if (pk == "name") p.name = Str(pvv);
                else if (pk == "role") p.role = Str(pvv);
                else if (pk == "fate") p.fate = Str(pvv);
                else if (pk == "group") p.group = Str(pvv);
              }
              e.people.push_back(std::move(p));
            }
          }
        }
        page->events.push_back(std::move(e));
      }
    }
  }
  return true;
}

std::vector<Page> LoadPages() {
  std::vector<Page> pages;
  fs::path dir = GoldenDir() / "pages";
  std::vector<fs::path> files;
  // SITREP_GOLDEN_PAGES=prefix scores a subset (the floors hold for the set).
  const char* only = std::getenv("SITREP_GOLDEN_PAGES");
  std::string prefix = only ? only : "";
  for (const auto& f : fs::directory_iterator(dir))
    if (f.is_regular_file() && f.path().filename().string().rfind(prefix, 0) == 0)
      files.push_back(f.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    Page p;
    p.name = f.filename().string();
    p.input = ReadFile(f);
    fs::path exp = GoldenDir() / "expected" / (f.stem().string() + ".json");
    std::string error;
    if (!fs::exists(exp)) {
      ADD_FAILURE() << "no expected record for " << p.name;
      continue;
    }
    if (!LoadExpected(exp, &p, &error)) {
      ADD_FAILURE() << error;
      continue;
    }
    pages.push_back(std::move(p));
  }
  return pages;
}

Extraction ExtractPage(const Page& p) {
  Document d;
  d.id = p.name;
  d.text = p.input;
  d.published = p.published;
  if (p.name.size() > 5 && p.name.compare(p.name.size() - 5, 5, ".html") == 0) d.format = "html";
  return FullPipeline().Extract(d);
}

// ------------------------------------------------------------- comparison

std::string Norm(std::string_view s) {
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
  return out;
}

// Same place name: equal after folding, or the expected spelling is a name or
// alias of a knowledge-base place whose canonical name is the predicted one.
bool SamePlace(const std::string& expected, const std::string& predicted) {
  if (expected.empty() || predicted.empty()) return expected.empty() && predicted.empty();
  std::string ne = Norm(expected), np = Norm(predicted);
  if (ne == np) return true;
  const KnowledgeBase& kb = testing::Kb();
  for (const auto& pl : kb.Lookup(expected))
    if (pl.kind == kb::PayloadKind::kPlace &&
        Norm(kb.places()[pl.index].name) == np)
      return true;
  return false;
}

std::set<std::string> TypeSet(const std::vector<std::string>& v) {
  return std::set<std::string>(v.begin(), v.end());
}

bool Intersects(const std::set<std::string>& a, const std::set<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&](const std::string& x) { return b.count(x) > 0; });
}

bool WhereAgrees(const ExpEvent& e, const Event& p) {
  if (!e.country.empty() && e.country != p.location.country) return false;
  if (!e.place.empty() && SamePlace(e.place, p.location.place)) return true;
  if (!e.admin1.empty()) return SamePlace(e.admin1, p.location.admin1);
  return !e.country.empty();
}

// Agreement score of a candidate pair, or -1 when they cannot pair.
double PairScore(const ExpEvent& e, const Event& p) {
  bool where = WhereAgrees(e, p);
  bool when = !e.date.empty() && e.date == p.date;
  auto pt = TypeSet(p.types);
  bool kind = Intersects(e.types, pt);
  bool same_country = e.country.empty() || e.country == p.location.country;
  if (!((where && (when || kind)) || (when && kind && same_country))) return -1;
  double score = 4.0 * where + 2.0 * when + 2.0 * kind;
  if (!e.place.empty() && SamePlace(e.place, p.location.place)) score += 1;
  if (!e.admin2.empty() && SamePlace(e.admin2, p.location.admin2)) score += 1;
  size_t common = 0;
  for (const auto& t : e.types) common += pt.count(t);
  std::set<std::string> uni = e.types;
  uni.insert(pt.begin(), pt.end());
  if (!uni.empty()) score += static_cast<double>(common) / static_cast<double>(uni.size());
  return score;
}

struct Tally {
  size_t right = 0, total = 0;
  void Add(bool ok) {
    ++total;
    right += ok ? 1 : 0;
  }
  double Acc() const { return total ? static_cast<double>(right) / static_cast<double>(total) : 0; }
};

struct Report {
  size_t pages = 0, expected = 0, predicted = 0, matched = 0;
  std::map<std::string, Tally> fields;
  std::vector<std::string> notes;
  double Precision() const {
    return predicted ? static_cast<double>(matched) / static_cast<double>(predicted) : 1.0;
  }
  double Recall() const {
    return expected ? static_cast<double>(matched) / static_cast<double>(expected) : 1.0;
  }
  double F1() const {
    double p = Precision(), r = Recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
  double FieldMean() const {
    double s = 0;
    for (const auto& [k, t] : fields) s += t.Acc();
    return fields.empty() ? 0 : s / static_cast<double>(fields.size());
  }
};

std::string Show(const std::optional<int>& v) { return v ? std::to_string(*v) : "null"; }

std::string Show(const std::set<std::string>& s) {
  std::string out = "[";
  for (const auto& x : s) out += (out.size() > 1 ? "," : "") + x;
  return out + "]";
}

// An absent expected count means the page gives none: null or 0 is right.
bool SameCount(const std::optional<int>& expected, const std::optional<int>& predicted) {
  if (!expected) return !predicted || *predicted == 0;
  return predicted && *predicted == *expected;
}

bool NameMatches(const std::string& expected, const std::string& predicted) {
  if (expected.empty()) return true;
  std::string a = Norm(expected), b = Norm(predicted);
  return !b.empty() && (a.find(b) != std::string::npos || b.find(a) != std::string::npos);
}

void ScoreFields(const std::string& page, const ExpEvent& e, const Event& p, Report* r) {
  auto check = [&](const std::string& field, bool ok, const std::string& want,
                   const std::string& got) {
    r->fields[field].Add(ok);
    if (!ok) r->notes.push_back(page + ": " + field + " want " + want + " got " + got);
  };
  auto has = [&](const char* f) { return e.fields.count(f) > 0; };
  if (has("types")) {
    auto pt = TypeSet(p.types);
    check("types", pt == e.types, Show(e.types), Show(pt));
  }
  if (has("date")) check("date", p.date == e.date, e.date, p.date);
  if (has("date_basis"))
    check("date_basis", p.date_basis == e.date_basis, e.date_basis, p.date_basis);
  if (has("country"))
    check("country", p.location.country == e.country, e.country, p.location.country);
  if (has("admin1"))
    check("admin1", SamePlace(e.admin1, p.location.admin1), e.admin1, p.location.admin1);
  if (has("admin2"))
    check("admin2", SamePlace(e.admin2, p.location.admin2), e.admin2, p.location.admin2);
  if (has("place")) check("place", SamePlace(e.place, p.location.place), e.place, p.location.place);
  if (has("actor")) check("actor", p.actor == e.actor, e.actor, p.actor);
  if (has("target_groups")) {
    auto pg = TypeSet(p.target_groups);
    check("target_groups", pg == e.target_groups, Show(e.target_groups), Show(pg));
  }
  check("killed", SameCount(e.killed, p.killed), Show(e.killed), Show(p.killed));
  check("captured", SameCount(e.captured, p.captured), Show(e.captured), Show(p.captured));
  check("leaders_killed", SameCount(e.leaders_killed, p.leaders_killed),
        Show(e.leaders_killed), Show(p.leaders_killed));
  check("leaders_captured", SameCount(e.leaders_captured, p.leaders_captured),
        Show(e.leaders_captured), Show(p.leaders_captured));
  check("count", p.count == e.count, std::to_string(e.count), std::to_string(p.count));
  for (const auto& ep : e.people) {
    bool found = std::any_of(p.people.begin(), p.people.end(), [&](const Person& q) {
      return q.role == ep.role && q.fate == ep.fate && NameMatches(ep.name, q.name) &&
             (ep.group.empty() || ep.group == q.group);
    });
    std::string got;
    for (const auto& q : p.people)
      got += " " + q.role + "/" + q.fate + "/" + q.name + "/" + q.group;
    check("people", found, ep.role + "/" + ep.fate + "/" + ep.name + "/" + ep.group,
          "[" + got + " ]");
  }
}

std::string Describe(const Event& p) {
  std::string s = p.date + " " + p.location.country + "/" + p.location.admin1 + "/" +
                  p.location.admin2 + "/" + p.location.place + " ";
  for (const auto& t : p.types) s += t + ",";
  if (!p.evidence.empty()) s += " \"" + p.evidence[0].text.substr(0, 80) + "\"";
  return s;
}

void ScorePage(const Page& page, const Extraction& x, Report* r) {
  std::vector<const Event*> pred;
  for (const auto& e : x.events)
    if (!e.background) pred.push_back(&e);
  ++r->pages;
  r->expected += page.events.size();
  r->predicted += pred.size();
  struct Cand {
    double score;
    size_t e, p;
  };
  std::vector<Cand> cands;
  for (size_t i = 0; i < page.events.size(); ++i)
    for (size_t j = 0; j < pred.size(); ++j) {
      double s = PairScore(page.events[i], *pred[j]);
      if (s >= 0) cands.push_back({s, i, j});
    }
  std::stable_sort(cands.begin(), cands.end(),
                   [](const Cand& a, const Cand& b) { return a.score > b.score; });
  std::vector<bool> eu(page.events.size(), false), pu(pred.size(), false);
  for (const auto& c : cands) {
    if (eu[c.e] || pu[c.p]) continue;
    eu[c.e] = pu[c.p] = true;
    ++r->matched;
    ScoreFields(page.name, page.events[c.e], *pred[c.p], r);
  }
  for (size_t i = 0; i < eu.size(); ++i)
    if (!eu[i]) {
      const ExpEvent& e = page.events[i];
      r->notes.push_back(page.name + ": MISSED " + e.date + " " + e.country + "/" + e.admin1 +
                         "/" + e.place + " " + Show(e.types));
    }
  for (size_t j = 0; j < pu.size(); ++j)
    if (!pu[j]) r->notes.push_back(page.name + ": SPURIOUS " + Describe(*pred[j]));
}

std::string Pct(double v) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << 100.0 * v;
  return o.str();
}

// ------------------------------------------------------------------ tests

TEST(Golden, SetIsLargeAndVaried) {
  if (CustomSet()) GTEST_SKIP() << "scoring another set";
  auto pages = LoadPages();
  size_t html = 0, none = 0;
  for (const auto& p : pages) {
    if (p.name.find(".html") != std::string::npos) ++html;
    if (p.events.empty()) ++none;
  }
  EXPECT_GE(pages.size(), 40u);
  EXPECT_GE(html, pages.size() / 3);
  EXPECT_GE(none, 5u);  // pages with no event test precision
}

TEST(Golden, EvidenceSlicesTheInputExactly) {
  for (const auto& page : LoadPages()) {
    Extraction x = ExtractPage(page);
    const std::string& t = x.text.empty() ? page.input : x.text;
    auto check = [&](const std::vector<Evidence>& list, const char* what) {
      for (const auto& e : list) {
        ASSERT_LE(e.start, e.end) << page.name << " " << what;
        ASSERT_LE(e.end, t.size()) << page.name << " " << what;
        EXPECT_FALSE(e.text.empty()) << page.name << " " << what;
        EXPECT_EQ(t.substr(e.start, e.end - e.start), e.text) << page.name << " " << what;
      }
    };
    for (const auto& e : x.events) {
      EXPECT_FALSE(e.evidence.empty()) << page.name << ": event without evidence";
      check(e.evidence, "event");
    }
    for (const auto& c : x.claims) check(c.evidence, "claim");
    for (const auto& rel : x.relations) check(rel.evidence, "relation");
  }
}

TEST(Golden, ScoresAboveFloor) {
  Report r;
  for (const auto& page : LoadPages()) ScorePage(page, ExtractPage(page), &r);
  std::ostringstream out;
  out << "golden: " << r.pages << " pages, " << r.expected << " expected events, "
      << r.predicted << " predicted, " << r.matched << " matched\n";
  out << "event precision " << Pct(r.Precision()) << "  recall " << Pct(r.Recall()) << "  F1 "
      << Pct(r.F1()) << "\n";
  for (const auto& [k, t] : r.fields)
    out << "  " << std::left << std::setw(18) << k << std::right << std::setw(6) << Pct(t.Acc())
        << "  (" << t.right << "/" << t.total << ")\n";
  out << "field mean " << Pct(r.FieldMean()) << "\n";
  std::cout << out.str();
  const char* verbose = std::getenv("SITREP_GOLDEN_VERBOSE");
  if (verbose && *verbose == '1')
    for (const auto& n : r.notes) std::cout << "  " << n << "\n";
  if (CustomSet()) return;  // the floors are for the bundled set
  EXPECT_GE(r.Precision(), kMinPrecision);
  EXPECT_GE(r.Recall(), kMinRecall);
  EXPECT_GE(r.F1(), kMinF1);
  EXPECT_GE(r.FieldMean(), kMinFieldMean);
}

}  // namespace
}  // namespace sitrep
