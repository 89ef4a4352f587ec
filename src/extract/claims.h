// Claims: aggregates a text asserts ("16 raids in Badakhshan, ... provinces
// since January 29. Nine of these raids took place in April and four occurred in
// March"; "the third strike this month"; "killed more than 20 leaders this
// year"). Works on a whole page or on a single sentence (`sitrep claims check`).
//
// A claim needs a period ("since", "this year", "in April", "over the past
// N months", "so far") or refers back to a claimed set ("those raids"); a
// text of a single sentence needs none.
//
// Conventions: `value` is the minimum the text asserts ("more than 20" -> 21);
// `metric` is raids, strikes, attacks, operations, killed, captured,
// targeted, leaders_killed, leaders_captured or leaders_targeted; `period` dates are YYYY-MM-DD (or
// YYYY-MM / YYYY, or --MM-DD when the year cannot be known); `to` is the
// reference date for open periods ("since January 29"); breakdown periods are
// YYYY-MM for months.
#pragma once

#include <vector>

#include "extract/full_common.h"

namespace sitrep::extract::full {

// Appends the claims of the analysed text. `context_group` (group index or
// -1) is used when a claim names no group. Sets claim_sentence[s] for every
// sentence a claim or its breakdown came from.
void FindClaims(const View& v, const text::Date& ref, int context_group,
                std::vector<Claim>* out, std::vector<bool>* claim_sentence);

}  // namespace sitrep::extract::full
