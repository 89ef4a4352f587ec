// The extracted record (profile `full`) and its ISAF view. Field names follow
// DESIGN.md; they are a contract for JSON output, the store and Python.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sitrep {

// A byte range [start, end) into Document::text, plus a copy of the text.
struct Evidence {
  uint32_t start = 0;
  uint32_t end = 0;
  std::string text;
};

struct Location {
  std::string country;  // ISO 3166-1 alpha-2
  std::string admin1;   // canonical province/state name
  std::string admin2;   // canonical district name
  std::string place;    // village / town / city
  std::string admin1_code;  // ISO 3166-2 code when known
  std::optional<double> lat;
  std::optional<double> lon;
  std::string precision;  // "place" | "admin2" | "admin1" | "country" | "" (unknown)
};

struct Person {
  std::string name;   // empty when the text does not name the person
  std::string role;   // leader, commander, facilitator, ...
  std::string group;  // canonical group id
  std::string fate;   // killed | captured | targeted | wounded | ""
};

struct Event {
  std::string event_id;
  std::string doc_id;
  std::vector<std::string> types;  // raid, detention, airstrike, ...
  std::string date;                // YYYY-MM-DD or YYYY-MM or YYYY or ""
  std::string date_precision;      // day | month | year | unknown
  std::string date_basis;          // explicit | relative | dateline | published
  Location location;
  std::string actor;                       // canonical force id
  std::vector<std::string> target_groups;  // canonical group ids
  std::optional<int> killed;
  std::optional<int> captured;
  std::optional<int> leaders_killed;
  std::optional<int> leaders_captured;
  int count = 1;
  bool airstrike = false;
  bool no_shots_fired = false;
  bool kill_capture_raid = false;
  std::vector<Person> people;
  bool background = false;
  std::vector<Evidence> evidence;
  double confidence = 0.0;
};

struct Claim {
  std::string text;
  std::string metric;  // raids, killed, captured, strikes, ...
  int64_t value = 0;
  std::string group;
  std::vector<std::string> regions;
  std::string period_from;
  std::string period_to;
  struct Part {
    std::string period;
    int64_t value = 0;
  };
  std::vector<Part> breakdown;
  std::vector<Evidence> evidence;
};

struct Relation {
  std::string a;
  std::string b;
  std::string kind;  // ally, affiliate, part_of, rival, ...
  std::vector<Evidence> evidence;
};

// The 13-field record of the public ISAF press-release data set, in its label
// vocabulary. A view over the full record (see isaf.h).
struct IsafRecord {
  std::string name;
  std::string start_date;
  std::vector<std::string> event_type;
  std::vector<std::string> province;
  std::vector<std::string> target_group;
  int min_killed = 0;
  int min_captured = 0;
  bool killq = false;
  bool captureq = false;
  bool killcaptureraid = false;
  bool airstrike = false;
  bool noshotsfired = false;
  int min_leaders_killed = 0;
  int min_leaders_captured = 0;
};

// Everything one document yields.
struct Extraction {
  std::string doc_id;
  std::vector<Event> events;
  std::vector<Claim> claims;
  std::vector<Relation> relations;
  std::optional<IsafRecord> isaf;  // set by the isaf profile
  std::vector<std::string> warnings;
  // Profile full: the page title and publication date used, and, when the
  // input was HTML, the cleaned text that evidence offsets index (printed as
  // "text"; empty when offsets index Document::text itself).
  std::string title;
  std::string published;
  std::string text;
  std::vector<std::string> explain;  // set when PipelineOptions::explain
};

}  // namespace sitrep
