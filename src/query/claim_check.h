// Checking an aggregate claim ("16 raids in Badakhshan, Baghlan, ... and
// Wardak provinces since January 29. Nine of these raids took place in April and
// four occurred in March.") against the store: the total, each region and
// each period of the breakdown, with the merged events that count.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sitrep/record.h"
#include "sitrep/store.h"

namespace sitrep::query {

struct ClaimParseOptions {
  // Resolves a phrase to a canonical group id ("" when it is none).
  std::function<std::string(const std::string&)> group_of;
  // Resolves a phrase to a canonical province name ("" when it is none).
  std::function<std::string(const std::string&)> province_of;
  // Reference date YYYY-MM-DD for dates written without a year: the latest
  // such date not after it is taken. Empty: today's year is not guessed, the
  // year stays unknown and the claim cannot be checked by period.
  std::string as_of;
};

// The small fallback parser used when the extractor finds no claim in the
// text: "N <metric> [against G] in P1, P2 and P3 province(s) since DATE[;.]
// K (of those) ... in MONTH". Returns false when no "N <metric>" is found.
bool ParseClaim(const std::string& text, const ClaimParseOptions& options, Claim* out);

// Completes a claim from the extractor with the parser's defaults: a year for
// periods written without one (YYYY-MM-DD ≤ as_of), canonical region names.
void NormaliseClaim(const ClaimParseOptions& options, Claim* claim);

struct ClaimPart {
  std::string kind;     // total | region | period
  std::string label;    // "total", "Kunduz", "2011-04"
  bool stated = false;  // the claim gives a number for this part
  int64_t expected = 0;
  int64_t counted = 0;
  bool holds = false;
  std::vector<std::string> cluster_ids;  // the merged events counted
};

struct ClaimCheck {
  Claim claim;
  std::vector<ClaimPart> parts;
  bool holds = false;  // every part holds
  std::vector<MergedEvent> events;  // every event counted (any part)
  std::string note;  // how events were selected, in words
};

// Counts in the store. Raids count raid-type events, strikes air and drone
// strikes, killed/captured sum the minimum counts; a merged event reported
// by several sources counts once, and a report that bundles N raids counts N.
ClaimCheck CheckClaim(Store& store, const Claim& claim);

// Human-readable report: one line per part, then the events with evidence.
std::string FormatClaimCheck(Store& store, const ClaimCheck& check, bool with_evidence);

}  // namespace sitrep::query
