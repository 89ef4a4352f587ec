// Event assembly: splits a document into incidents, and for each finds the
// place, date, target group, people and counts from the items of its
// sentences. The ISAF view (isaf_view.h) and the full record both read this.
#pragma once

#include <string>
#include <vector>

#include "extract/items.h"
#include "sitrep/record.h"
#include "text/date.h"

namespace sitrep::extract {

// A noun phrase that names who was killed or captured.
struct Casualty {
  uint32_t item_begin = 0, item_end = 0;
  int count = 0;
  int leaders = 0;
  bool subset = false;   // "including a leader": already in another count
  bool killed = false;   // else captured
  std::string role;      // leader, facilitator, ... or ""
  int group = -1;        // group index
  std::string name;      // person's name, when given
  int sentence = -1;     // sentence it was counted in
  bool another = false;  // "additional suspects", "other insurgents"
  bool vague = false;    // counted from "several", "a number of"
};

struct Incident {
  uint32_t first_sentence = 0;  // [first_sentence, end_sentence)
  uint32_t end_sentence = 0;
  bool has_trigger = false;
  bool background = false;
  // The incident opens with a round-up of several operations in several
  // provinces ("during operations in Khost and Paktiya provinces"); the
  // paragraphs after it tell each operation.
  bool summary = false;
  int release = 0;  // 0 = the first release in the text
  int killed = 0, captured = 0, leaders_killed = 0, leaders_captured = 0;
  bool kill_mentioned = false, capture_mentioned = false;
  bool air_support = false;  // helicopters / close air support in a ground fight
  bool kills_by_air = false;  // the kills are told with the strike ("a strike killing two")
  bool airstrike = false, drone = false, no_shots = false, operation = false;
  bool civilian_harm = false, clash = false;
  int civilians_killed = 0;     // most civilians a sentence says were killed
  bool attacked_first = false;  // the force was fired on / attacked
  bool targeted = false;   // the operation went after someone ("in search of a leader")
  bool patrol = false;     // a patrol or clearing operation, not a raid on a target
  bool cache = false;      // a cache was found
  bool afghan_unilateral = false;  // an Afghan unit's own operation
  std::vector<std::string> other_types;
  int place = -1;     // most specific resolved place
  int admin1 = -1;    // province
  int admin2 = -1;    // district
  std::vector<int> groups;  // target groups in order of mention
  // Groups of a person the operation went for or took ("a Haqqani
  // facilitator", "a Taliban sub-commander"), as opposed to groups named in
  // a description ("has connections with al-Qaida leaders").
  std::vector<int> target_groups;
  // "an al-Qaida-associated Taliban leader", "a HIG/Taliban-associated
  // planner": groups named together for one person.
  std::vector<int> joint_groups;
  int actor = -1;
  text::Date date;
  std::string date_basis;  // explicit | relative | dateline | published | ""
  std::vector<Casualty> casualties;
  std::vector<std::pair<uint32_t, uint32_t>> evidence;  // byte ranges
  std::vector<Person> people;
};

struct DocumentAnalysis {
  Analysis analysis;
  text::Date reference;  // release or publication date
  std::string reference_basis;
  std::vector<Incident> incidents;
};

// Human-readable lines saying how each incident was read: its sentences,
// place, date, and every counted phrase.
std::vector<std::string> Explain(const KnowledgeBase& kb, const DocumentAnalysis& doc);

// Runs the whole analysis of one text.
void AnalyseDocument(const KnowledgeBase& kb, std::string_view text,
                     const text::Date& published, DocumentAnalysis* out);

}  // namespace sitrep::extract
