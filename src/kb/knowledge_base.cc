#include "kb/knowledge_base.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <unordered_set>

#include "kb/tsv.h"

#ifndef SITREP_SOURCE_DATA_DIR
#define SITREP_SOURCE_DATA_DIR ""
#endif
#ifndef SITREP_INSTALL_DATA_DIR
#define SITREP_INSTALL_DATA_DIR ""
#endif

namespace sitrep {
namespace fs = std::filesystem;

namespace {

constexpr std::pair<const char*, Lex> kLexNames[] = {
    {"capture", Lex::kCapture},     {"kill", Lex::kKill},
    {"airstrike", Lex::kAirstrike}, {"drone_strike", Lex::kDroneStrike},
    {"person", Lex::kPerson},       {"role", Lex::kRole},
    {"quantity", Lex::kQuantity},   {"time", Lex::kTime},
    {"month", Lex::kMonth},         {"no_shots", Lex::kNoShots},
    {"operation", Lex::kOperation}, {"report", Lex::kReport},
    {"wounded", Lex::kWounded},     {"event_type", Lex::kEventType},
    {"actor", Lex::kActor},         {"civilian", Lex::kCivilian},
};

bool ParseLex(std::string_view name, Lex* out) {
  for (const auto& [n, l] : kLexNames)
    if (name == n) {
      *out = l;
      return true;
    }
  return false;
}

bool ParseDouble(std::string_view s, std::optional<double>* out) {
  if (s.empty()) {
    out->reset();
    return true;
  }
  // from_chars first: no copy, no locale (strtod cost ~700 instructions a
  // field, 17M of the 245M of loading). Both round correctly, so they agree;
  // what from_chars refuses ("+1", " 1", hex) still goes to strtod.
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(v)) {
    *out = v;
    return true;
  }
  std::string tmp(s);
  char* end = nullptr;
  v = std::strtod(tmp.c_str(), &end);
  // NaN passes every range check, so non-finite values are bad outright.
  if (end == tmp.c_str() || *end != '\0' || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

bool ParseInt(std::string_view s, int64_t* out) {
  if (s.empty()) {
    *out = 0;
    return true;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

kb::CaseRule CaseRuleOf(std::string_view phrase) {
  size_t letters = 0, uppers = 0;
  size_t i = 0;
  while (i < phrase.size() && phrase[i] != ' ') {
    unsigned char c = static_cast<unsigned char>(phrase[i]);
    if (std::isalpha(c)) {
      ++letters;
      if (std::isupper(c)) ++uppers;
    }
    ++i;
  }
  if (letters >= 2 && uppers == letters) return kb::CaseRule::kAllCaps;
  // Mixed-case acronyms such as "LeT" or "TTP's" are treated as acronyms too.
  if (letters >= 2 && uppers >= 2 && letters <= 4) return kb::CaseRule::kCapitalised;
  if (!phrase.empty() && std::isupper(static_cast<unsigned char>(phrase[0])))
    return kb::CaseRule::kCapitalised;
  return kb::CaseRule::kAny;
}

}  // namespace

const char* LexName(Lex lex) {
  for (const auto& [n, l] : kLexNames)
    if (l == lex) return n;
  return "?";
}

std::string KnowledgeBase::FindDir(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (const char* env = std::getenv("SITREP_DATA"); env && *env) return env;
  std::error_code ec;
  for (const char* d : {SITREP_SOURCE_DATA_DIR, SITREP_INSTALL_DATA_DIR}) {
    if (*d && fs::is_directory(fs::path(d), ec)) return d;
  }
  return "data/kb";
}

std::unique_ptr<KnowledgeBase> KnowledgeBase::Load(
    const std::string& dir, const std::vector<std::string>& overlays,
    std::string* error) {
  auto kb = std::unique_ptr<KnowledgeBase>(new KnowledgeBase());
  std::error_code ec;
  fs::path root(dir);
  if (!fs::is_directory(root, ec)) {
    *error = dir + ": knowledge-base directory not found";
    return nullptr;
  }
  auto list_tsv = [&](const fs::path& d) {
    std::vector<std::string> files;
    if (!fs::is_directory(d, ec)) return files;
    for (const auto& e : fs::directory_iterator(d, ec))
      if (e.is_regular_file() && e.path().extension() == ".tsv")
        files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files;
  };
  for (const auto& f : list_tsv(root / "places"))
    if (!kb->LoadPlaces(f, false, error)) return nullptr;
  if (fs::exists(root / "groups.tsv", ec) &&
      !kb->LoadGroups((root / "groups.tsv").string(), false, error))
    return nullptr;
  for (const auto& f : list_tsv(root / "lexicon"))
    if (!kb->LoadLexicon(f, error)) return nullptr;
  if (fs::exists(root / "stopnames.tsv", ec) &&
      !kb->LoadStopNames((root / "stopnames.tsv").string(), error))
    return nullptr;
  for (const auto& f : overlays)
    if (!kb->LoadAny(f, error)) return nullptr;
  if (!kb->Compile(error)) return nullptr;
  return kb;
}

bool KnowledgeBase::LoadAny(const std::string& path, std::string* error) {
  kb::TsvFile t;
  if (!t.Open(path, error)) return false;
  if (t.Column("level") >= 0) return LoadPlaces(path, true, error);
  if (t.Column("affiliations") >= 0 || t.Column("kind") >= 0)
    return LoadGroups(path, true, error);
  if (t.Column("category") >= 0) return LoadLexicon(path, error);
  *error = path + ":1: not a knowledge-base file (needs a 'level', 'kind' or "
                  "'category' column)";
  return false;
}

bool KnowledgeBase::LoadPlaces(const std::string& path, bool overlay, std::string* error) {
  kb::TsvFile t;
  if (!t.Open(path, error)) return false;
  if (!t.Require({"id", "level", "name", "country"}, error)) return false;
  int c_id = t.Column("id"), c_level = t.Column("level"),
      c_name = t.Column("name"), c_country = t.Column("country"),
      c_parent = t.Column("parent"), c_lat = t.Column("lat"),
      c_lon = t.Column("lon"), c_isaf = t.Column("isaf"),
      c_pop = t.Column("population"), c_alias = t.Column("aliases");
  std::unordered_map<std::string, size_t> seen_here;  // id -> row
  for (size_t r = 0; r < t.rows(); ++r) {
    Place p;
    p.id = std::string(t.Get(r, c_id));
    if (p.id.empty()) {
      *error = t.Where(r) + ": empty id";
      return false;
    }
    std::string_view level = t.Get(r, c_level);
    if (level == "country") p.level = PlaceLevel::kCountry;
    else if (level == "admin1") p.level = PlaceLevel::kAdmin1;
    else if (level == "admin2") p.level = PlaceLevel::kAdmin2;
    else if (level == "place") p.level = PlaceLevel::kPlace;
    else {
      *error = t.Where(r) + ": unknown level '" + std::string(level) + "'";
      return false;
    }
    p.name = std::string(t.Get(r, c_name));
    if (p.name.empty()) {
      *error = t.Where(r) + ": empty name";
      return false;
    }
    p.country = std::string(t.Get(r, c_country));
    if (!ParseDouble(t.Get(r, c_lat), &p.lat) || !ParseDouble(t.Get(r, c_lon), &p.lon)) {
      *error = t.Where(r) + ": bad coordinates";
      return false;
    }
    if ((p.lat && (*p.lat < -90 || *p.lat > 90)) || (p.lon && (*p.lon < -180 || *p.lon > 180))) {
      *error = t.Where(r) + ": coordinates out of range";
      return false;
    }
    p.isaf = std::string(t.Get(r, c_isaf));
    if (!ParseInt(t.Get(r, c_pop), &p.population)) {
      *error = t.Where(r) + ": bad population";
      return false;
    }
    std::vector<std::string> aliases;
    for (auto a : kb::SplitList(t.Get(r, c_alias))) aliases.emplace_back(a);
    std::string parent(t.Get(r, c_parent));
    if (auto [first, fresh] = seen_here.emplace(p.id, r); !fresh) {
      *error = t.Where(r) + ": duplicate id '" + p.id + "' (first at line " +
               std::to_string(t.LineOf(first->second)) + ")";
      return false;
    }
    auto it = place_index_.find(p.id);
    if (it != place_index_.end() && !overlay) {
      *error = t.Where(r) + ": duplicate id '" + p.id + "' (also at " +
               place_where_[static_cast<size_t>(it->second)] + ")";
      return false;
    }
    if (it != place_index_.end()) {
      // An overlay overrides the earlier entry with the same id.
      size_t k = static_cast<size_t>(it->second);
      places_[k] = std::move(p);
      place_aliases_[k] = std::move(aliases);
      place_parent_ids_[k] = std::move(parent);
      place_where_[k] = t.Where(r);
      continue;
    }
    place_index_.emplace(p.id, static_cast<int>(places_.size()));
    places_.push_back(std::move(p));
    place_aliases_.push_back(std::move(aliases));
    place_parent_ids_.push_back(std::move(parent));
    place_where_.push_back(t.Where(r));
  }
  return true;
}

bool KnowledgeBase::LoadGroups(const std::string& path, bool overlay, std::string* error) {
  kb::TsvFile t;
  if (!t.Open(path, error)) return false;
  if (!t.Require({"id", "kind", "name"}, error)) return false;
  int c_id = t.Column("id"), c_kind = t.Column("kind"), c_name = t.Column("name"),
      c_short = t.Column("short"), c_type = t.Column("type"),
      c_country = t.Column("country"), c_isaf = t.Column("isaf"),
      c_alias = t.Column("aliases"), c_aff = t.Column("affiliations");
  std::unordered_map<std::string, size_t> seen_here;  // id -> row
  for (size_t r = 0; r < t.rows(); ++r) {
    Group g;
    g.id = std::string(t.Get(r, c_id));
    if (g.id.empty()) {
      *error = t.Where(r) + ": empty id";
      return false;
    }
    if (auto [first, fresh] = seen_here.emplace(g.id, r); !fresh) {
      *error = t.Where(r) + ": duplicate id '" + g.id + "' (first at line " +
               std::to_string(t.LineOf(first->second)) + ")";
      return false;
    }
    std::string_view kind = t.Get(r, c_kind);
    if (kind != "group" && kind != "force") {
      *error = t.Where(r) + ": kind must be 'group' or 'force', not '" +
               std::string(kind) + "'";
      return false;
    }
    g.is_force = kind == "force";
    g.name = std::string(t.Get(r, c_name));
    g.short_name = std::string(t.Get(r, c_short));
    g.type = std::string(t.Get(r, c_type));
    g.country = std::string(t.Get(r, c_country));
    g.isaf = std::string(t.Get(r, c_isaf));
    for (auto a : kb::SplitList(t.Get(r, c_aff))) {
      size_t colon = a.find(':');
      if (colon == std::string_view::npos) {
        *error = t.Where(r) + ": affiliation '" + std::string(a) +
                 "' is not kind:id";
        return false;
      }
      g.affiliations.push_back({std::string(a.substr(0, colon)),
                                std::string(a.substr(colon + 1))});
    }
    std::vector<std::string> aliases;
    if (!g.short_name.empty()) aliases.push_back(g.short_name);
    for (auto a : kb::SplitList(t.Get(r, c_alias))) aliases.emplace_back(a);
    auto it = group_index_.find(g.id);
    if (it != group_index_.end() && !overlay) {
      *error = t.Where(r) + ": duplicate id '" + g.id + "' (also at " +
               group_where_[static_cast<size_t>(it->second)] + ")";
      return false;
    }
    if (it != group_index_.end()) {
      size_t k = static_cast<size_t>(it->second);
      groups_[k] = std::move(g);
      group_aliases_[k] = std::move(aliases);
      group_where_[k] = t.Where(r);
      continue;
    }
    group_index_.emplace(g.id, static_cast<int>(groups_.size()));
    groups_.push_back(std::move(g));
    group_aliases_.push_back(std::move(aliases));
    group_where_.push_back(t.Where(r));
  }
  return true;
}

bool KnowledgeBase::LoadLexicon(const std::string& path, std::string* error) {
  kb::TsvFile t;
  if (!t.Open(path, error)) return false;
  if (!t.Require({"phrase", "category"}, error)) return false;
  int c_phrase = t.Column("phrase"), c_cat = t.Column("category"),
      c_value = t.Column("value"), c_num = t.Column("number");
  for (size_t r = 0; r < t.rows(); ++r) {
    LexEntry e;
    std::string_view cat = t.Get(r, c_cat);
    if (!ParseLex(cat, &e.category)) {
      *error = t.Where(r) + ": unknown category '" + std::string(cat) + "'";
      return false;
    }
    std::string phrase(t.Get(r, c_phrase));
    if (phrase.empty()) {
      *error = t.Where(r) + ": empty phrase";
      return false;
    }
    e.value = std::string(t.Get(r, c_value));
    int64_t num = 0;
    if (!ParseInt(t.Get(r, c_num), &num)) {
      *error = t.Where(r) + ": bad number";
      return false;
    }
    e.number = static_cast<int>(num);
    lexicon_.push_back(std::move(e));
    lexicon_phrases_.push_back(std::move(phrase));
  }
  return true;
}

bool KnowledgeBase::LoadStopNames(const std::string& path, std::string* error) {
  kb::TsvFile t;
  if (!t.Open(path, error)) return false;
  if (!t.Require({"phrase"}, error)) return false;
  int c = t.Column("phrase");
  for (size_t r = 0; r < t.rows(); ++r) {
    std::string key;
    for (const auto& tok : text::NormalizePhrase(t.Get(r, c))) key += tok + " ";
    stop_names_.insert(key);
  }
  return true;
}

bool KnowledgeBase::Compile(std::string* error) {
  for (size_t k = 0; k < places_.size(); ++k) {
    const std::string& pid = place_parent_ids_[k];
    if (pid.empty()) continue;
    auto it = place_index_.find(pid);
    if (it == place_index_.end()) {
      *error = place_where_[k] + ": unknown parent '" + pid + "'";
      return false;
    }
    places_[k].parent = it->second;
  }
  for (size_t k = 0; k < groups_.size(); ++k)
    for (const auto& link : groups_[k].affiliations)
      if (!group_index_.count(link.target)) {
        *error = group_where_[k] + ": unknown affiliation target '" + link.target + "'";
        return false;
      }
  // Reject parent cycles so that hierarchy walks terminate.
  for (size_t k = 0; k < places_.size(); ++k) {
    int p = places_[k].parent;
    for (int steps = 0; p >= 0; ++steps) {
      if (steps > 8) {
        *error = place_where_[k] + ": parent chain too deep or cyclic";
        return false;
      }
      p = places_[static_cast<size_t>(p)].parent;
    }
  }
  auto add = [&](const std::string& phrase, kb::PayloadKind kind, uint32_t index) {
    auto toks = text::NormalizePhrase(phrase);
    if (toks.empty()) return;
    if (kind == kb::PayloadKind::kPlace && !stop_names_.empty()) {
      std::string key;
      for (const auto& tok : toks) key += tok + " ";
      if (stop_names_.count(key)) return;
    }
    kb::Payload p;
    p.kind = kind;
    p.index = index;
    p.case_rule = CaseRuleOf(phrase);
    matcher_.Add(toks, p);
  };
  for (size_t k = 0; k < places_.size(); ++k) {
    add(places_[k].name, kb::PayloadKind::kPlace, static_cast<uint32_t>(k));
    for (const auto& a : place_aliases_[k])
      add(a, kb::PayloadKind::kPlace, static_cast<uint32_t>(k));
  }
  for (size_t k = 0; k < groups_.size(); ++k) {
    add(groups_[k].name, kb::PayloadKind::kGroup, static_cast<uint32_t>(k));
    for (const auto& a : group_aliases_[k])
      add(a, kb::PayloadKind::kGroup, static_cast<uint32_t>(k));
  }
  for (size_t k = 0; k < lexicon_.size(); ++k)
    add(lexicon_phrases_[k], kb::PayloadKind::kLex, static_cast<uint32_t>(k));
  matcher_.Finish();
  return true;
}

int KnowledgeBase::FindPlace(std::string_view id) const {
  auto it = place_index_.find(std::string(id));
  return it == place_index_.end() ? -1 : it->second;
}

int KnowledgeBase::FindGroup(std::string_view id) const {
  auto it = group_index_.find(std::string(id));
  return it == group_index_.end() ? -1 : it->second;
}

std::vector<kb::Payload> KnowledgeBase::Lookup(std::string_view name) const {
  text::TokenizedText t;
  text::Tokenize(name, 0, static_cast<uint32_t>(name.size()), {}, &t);
  std::vector<kb::Match> matches;
  std::vector<kb::Payload> payloads;
  // Match case-insensitively: a user typing "kandahar" means Kandahar.
  for (auto& tok : t.tokens) tok.flags |= text::kCapitalised | text::kAllCaps;
  matcher_.FindAll(t.tokens, &matches, &payloads);
  std::vector<kb::Payload> out;
  for (const auto& m : matches) {
    if (m.tok_begin != 0 || m.tok_end != t.tokens.size()) continue;
    for (uint32_t p = m.payload_begin; p < m.payload_end; ++p)
      if (payloads[p].kind != kb::PayloadKind::kLex) out.push_back(payloads[p]);
  }
  return out;
}

bool KnowledgeBase::IsWithin(int place, int ancestor) const {
  for (int p = place; p >= 0; p = places_[static_cast<size_t>(p)].parent)
    if (p == ancestor) return true;
  return false;
}

int KnowledgeBase::Admin1Of(int place) const {
  for (int p = place; p >= 0; p = places_[static_cast<size_t>(p)].parent)
    if (places_[static_cast<size_t>(p)].level == PlaceLevel::kAdmin1) return p;
  return -1;
}

int KnowledgeBase::Admin2Of(int place) const {
  for (int p = place; p >= 0; p = places_[static_cast<size_t>(p)].parent)
    if (places_[static_cast<size_t>(p)].level == PlaceLevel::kAdmin2) return p;
  return -1;
}

}  // namespace sitrep
