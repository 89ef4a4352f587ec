// Cross-source merge: do two extracted events describe the same real event?
// A pure function over the facts both records carry, so that the store, the
// tests and `sitrep query --explain-merge` share one rule.
//
// Hard conditions (any fails: not the same event): neither is background; both
// dates are known to the day and at most one day apart; the place hierarchies
// agree wherever both sides know a level (country, province, district,
// village); the types belong to compatible families (ground operation, air
// strike, bombing, ...); kill/capture counts, when both give one, are close;
// when both name people, at least one name is shared.
//
// Then corroboration is scored: same day +2, same district +2, same village or
// coordinates within 5 km +2, shared named person +3, shared group +1 (groups
// that are disjoint -2), equal killed/captured/leader counts +1 each, a shared
// type +2. Same day needs a score of 5 (the date and district alone are not
// enough); one day apart needs 6 and a shared village or person name
// (otherwise it is a near miss: the same district the next day is usually
// another operation). A date that is only the publication date (basis
// "published") bounds the event from above: the other report may be up to two
// days earlier, and the pair is then scored like a same-day pair without the
// same-day points.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sitrep/record.h"

namespace sitrep::query {

struct MergeFacts {
  std::string event_id;
  std::string doc_id;
  std::optional<int64_t> day;  // days since 1970-01-01 when the date is exact
  std::string date;
  std::string date_basis;  // explicit | relative | dateline | published
  bool background = false;
  std::string country, admin1, admin2, place;
  std::optional<double> lat, lon;
  std::vector<std::string> types;
  std::vector<std::string> groups;
  std::optional<int> killed, captured, leaders_killed, leaders_captured;
  std::vector<std::string> names;  // named people, as written
};

struct MergeDecision {
  bool same = false;
  int score = 0;
  std::string reason;  // every check, in words
};

MergeFacts FactsOf(const Event& e);
MergeDecision CompareEvents(const MergeFacts& a, const MergeFacts& b);

// Days since 1970-01-01 for YYYY-MM-DD; nullopt for anything less precise.
std::optional<int64_t> DayNumber(const std::string& date);
// YYYY-MM-DD for a day number.
std::string DayString(int64_t day);
// ISO week "YYYY-Www" for a YYYY-MM-DD date ("" otherwise).
std::string IsoWeek(const std::string& date);

}  // namespace sitrep::query
