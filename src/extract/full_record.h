// Profile `full`: every event of a page with the whole record of DESIGN.md,
// plus claims and relations, as post-processing of the lead's incident
// analysis (extractor.h), which it does not change.
//
// How a page is read:
// 1. Sentences are classed: reported (the news), background (history the page
//    recalls: "have killed the IMU's past two commanders", "since Jan. 29",
//    "over the past months"), aside (claims, relation statements, group
//    descriptions).
// 2. The incident analysis runs on the reported sentences only (other
//    sentences blanked, so byte offsets are unchanged), once per entry of a
//    digest ("In Helmand province, ... In Kandahar province, ..."), and once
//    on the background sentences (events with background = true).
// 3. A quoted press release and the article's own sentence about the same raid
//    give one event with both sentences as evidence.
// 4. Strike reports ("Near Mosul, four strikes ...") give one airstrike event
//    per place (strike_report.h).
#pragma once

#include <string>
#include <string_view>

#include "clean/html.h"
#include "extract/extractor.h"
#include "extract/full_common.h"
#include "sitrep/record.h"

namespace sitrep::extract {

// Fills *out, a default Event, with the full-profile event of one incident
// (the pipeline's ToEvent), `index` being the event's number in the
// document. Its evidence holds the incident's spans without their text, and
// event_id is left empty: BuildFullRecord settles both (an event without
// evidence gets the id StableId(doc_id, to_string(index), 0)).
using IncidentToEvent = void (*)(const KnowledgeBase& kb, const DocumentAnalysis& d,
                                 const Incident& inc, const std::string& doc_id, size_t index,
                                 Event* out);

// Buffers BuildFullRecord reuses from one document to the next, so that a
// thread that extracts many (Pipeline::Extract keeps one per thread) does not
// allocate them for each. Nothing returned refers to them.
struct FullScratch {
  full::View::Buffers view;
  std::vector<bool> relation_sentences, claim_sentences, strike_sentences;
  std::vector<bool> report, background;  // the sentence classes
};

// `text` is the page text (page.text for cleaned pages) and `d` the lead's
// analysis of it. Fills x->events, x->claims, x->relations. `scratch` may be
// null.
void BuildFullRecord(const KnowledgeBase& kb, const clean::Page& page, std::string_view text,
                     const text::Date& published, const std::string& doc_id,
                     const DocumentAnalysis& d, IncidentToEvent to_event,
                     FullScratch* scratch, Extraction* x);

}  // namespace sitrep::extract
