// The evidence of an event, claim or relation, kept in a column of its own
// row (schema v4) rather than as a row per sentence: a release-length
// document has five or six evidence sentences, and a row each was a fifth of
// the cost of storing it. Most sentences are a slice of the stored document
// text and are kept as their offsets only.
//
//   packed := item (";" item)*
//   item   := START "," END "="                 the bytes [START, END) of the
//                                               document text
//           | START "," END "," LEN ":" TEXT    any other text, LEN bytes
//
// The format is the same on both backends (a TEXT column).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sitrep/record.h"
#include "store/db.h"

namespace sitrep::store {

// Packs `evidence` found in `doc_text` (the document's stored text).
std::string PackEvidence(const std::vector<Evidence>& evidence, std::string_view doc_text);

// The evidence again; a malformed tail is dropped.
std::vector<Evidence> UnpackEvidence(std::string_view packed, std::string_view doc_text);

// Migration 4: packs the rows of the evidence table into the `evidence`
// columns of events, claims and relations, document by document, then drops
// the table.
void MoveEvidence(Db& db);

}  // namespace sitrep::store
