// The knowledge base: places, armed groups and forces, and lexicons, loaded
// from data/kb and compiled into one phrase matcher over normalised tokens.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kb/matcher.h"
#include "sitrep/pipeline.h"

namespace sitrep {

enum class PlaceLevel : uint8_t { kCountry, kAdmin1, kAdmin2, kPlace };

struct Place {
  std::string id;
  PlaceLevel level = PlaceLevel::kPlace;
  std::string name;
  std::string country;
  int32_t parent = -1;  // index into places, -1 for none
  std::optional<double> lat, lon;
  std::string isaf;  // ISAF province label (Afghan provinces only)
  int64_t population = 0;
};

struct Group {
  std::string id;
  bool is_force = false;
  std::string name;
  std::string short_name;
  std::string type;
  std::string country;
  std::string isaf;  // ISAF target_group label, if any
  struct Link {
    std::string kind;
    std::string target;
  };
  std::vector<Link> affiliations;
};

// Lexicon categories the extractor understands; data/kb/lexicon/*.tsv use
// their names in the `category` column.
enum class Lex : uint8_t {
  kCapture,       // detained, arrested, captured, taken into custody
  kKill,          // killed, killing, died
  kAirstrike,     // airstrike, precision strike, air weapons team
  kDroneStrike,   // drone strike
  kPerson,        // insurgents, suspects, men, individuals
  kRole,          // leader, commander, facilitator (value = role, number = 1 if a leader)
  kQuantity,      // several, multiple, numerous, two, a dozen (number = value)
  kTime,          // today, yesterday, last night, weekdays (value = kind)
  kMonth,         // January..December, Jan., Sept. (number = month)
  kNoShots,       // "without incident", "no shots were fired"
  kOperation,     // operation, raid, search
  kReport,        // confirmed, announced, reported
  kWounded,       // wounded, injured
  kEventType,     // other trigger words (value = event type)
  kActor,         // generic force words (security force, coalition)
  kCivilian,      // civilians
  kCount
};

const char* LexName(Lex lex);

struct LexEntry {
  Lex category = Lex::kEventType;
  std::string value;
  int number = 0;
};

class KnowledgeBase {
 public:
  // Loads every *.tsv under dir/places, dir/groups.tsv and dir/lexicon, then
  // the overlays in order. Returns nullptr and sets *error on bad data.
  static std::unique_ptr<KnowledgeBase> Load(const std::string& dir,
                                             const std::vector<std::string>& overlays,
                                             std::string* error);
  // Locates the knowledge-base directory (see PipelineOptions::kb_dir).
  static std::string FindDir(const std::string& configured);

  const std::vector<Place>& places() const { return places_; }
  const std::vector<Group>& groups() const { return groups_; }
  const std::vector<LexEntry>& lexicon() const { return lexicon_; }
  const kb::PhraseMatcher& matcher() const { return matcher_; }

  int FindPlace(std::string_view id) const;
  int FindGroup(std::string_view id) const;
  // All places and groups whose name or alias normalises like `name`.
  std::vector<kb::Payload> Lookup(std::string_view name) const;

  // True when `ancestor` is `place` or one of its parents.
  bool IsWithin(int place, int ancestor) const;
  // The admin1 (province) containing place, or -1.
  int Admin1Of(int place) const;
  int Admin2Of(int place) const;

 private:
  // `overlay`: rows may replace earlier rows with the same id; in the base
  // files a repeated id is an error.
  bool LoadPlaces(const std::string& path, bool overlay, std::string* error);
  bool LoadGroups(const std::string& path, bool overlay, std::string* error);
  bool LoadLexicon(const std::string& path, std::string* error);
  bool LoadAny(const std::string& path, std::string* error);
  bool LoadStopNames(const std::string& path, std::string* error);
  bool Compile(std::string* error);

  std::vector<Place> places_;
  std::vector<std::vector<std::string>> place_aliases_;
  std::vector<std::string> place_parent_ids_;
  std::vector<std::string> place_where_;
  std::vector<Group> groups_;
  std::vector<std::vector<std::string>> group_aliases_;
  std::vector<std::string> group_where_;
  std::vector<LexEntry> lexicon_;
  std::vector<std::string> lexicon_phrases_;
  std::unordered_set<std::string> stop_names_;  // normalised, space-joined
  std::unordered_map<std::string, int> place_index_;
  std::unordered_map<std::string, int> group_index_;
  kb::PhraseMatcher matcher_;
};

}  // namespace sitrep
