#include "extract/isaf_view.h"

#include <algorithm>

namespace sitrep::extract {

const Incident* MainIncident(const DocumentAnalysis& doc) {
  if (doc.incidents.empty()) return nullptr;
  const Incident* first = nullptr;
  for (const auto& inc : doc.incidents) {
    if (!inc.has_trigger) continue;
    // Updates appended after the release tell of other events.
    if (inc.release > 0 && first) break;
    if (!first) first = &inc;
    // A round-up is described by the first detailed operation after it.
    if (!inc.summary) return (first->summary && &inc != first) ? &inc : first;
  }
  return first ? first : &doc.incidents.front();
}

namespace {

// The data set writes a multi-valued cell as one ';'-joined label in
// alphabetical order ("aq;taliban", "airstrike;detention").
std::vector<std::string> Joined(std::vector<std::string> labels) {
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  if (labels.empty()) return {""};
  std::string j;
  for (const auto& l : labels) {
    if (!j.empty()) j += ';';
    j += l;
  }
  return {j};
}

}  // namespace

IsafRecord ToIsaf(const KnowledgeBase& kb, const DocumentAnalysis& doc) {
  IsafRecord r;
  const Incident* inc = MainIncident(doc);
  if (!inc) {
    r.province = {""};
    r.target_group = {""};
    r.event_type = {"detention"};
    return r;
  }
  r.start_date = text::FormatDate(inc->date);
  std::string prov;
  if (inc->admin1 >= 0) prov = kb.places()[static_cast<size_t>(inc->admin1)].isaf;
  r.province = {prov};

  std::vector<std::string> groups;
  for (int g : inc->groups) {
    const std::string& label = kb.groups()[static_cast<size_t>(g)].isaf;
    if (!label.empty()) {
      groups.push_back(label);
      break;
    }
  }
  auto holds = [](const std::vector<int>& v, int g) {
    return std::find(v.begin(), v.end(), g) != v.end();
  };
  auto add_labels = [&](const std::vector<int>& more) {
    for (int g : more) {
      const std::string& label = kb.groups()[static_cast<size_t>(g)].isaf;
      if (!label.empty()) groups.push_back(label);
    }
  };
  if (!groups.empty()) {
    int first = inc->groups.front();
    // "an al-Qaida associated Taliban leader": both groups are the target's.
    if (holds(inc->joint_groups, first)) add_labels(inc->joint_groups);
    // A second group joins the label when the operation went for one of its
    // people too ("a Haqqani facilitator ... a Taliban sub-commander").
    if (holds(inc->target_groups, first)) add_labels(inc->target_groups);
  }
  r.target_group = Joined(groups);

  r.min_killed = inc->killed;
  r.min_captured = inc->captured;
  r.min_leaders_killed = inc->leaders_killed;
  r.min_leaders_captured = inc->leaders_captured;
  // An update appended to the release ("ISAF confirms the capture of the
  // leader") tells who was among the same event's detainees.
  for (const auto& later : doc.incidents) {
    if (later.release <= inc->release || later.admin1 != inc->admin1 || inc->admin1 < 0) continue;
    r.min_leaders_captured = std::max(r.min_leaders_captured, later.leaders_captured);
  }
  r.min_captured = std::max(r.min_captured, r.min_leaders_captured);
  // A release about civilians killed, with no insurgent killed or held,
  // counts the civilians.
  bool civilian_event = inc->civilians_killed > 0 && r.min_killed == 0 && r.min_captured == 0;
  if (civilian_event) r.min_killed = inc->civilians_killed;
  r.killq = r.min_killed > 0;
  r.captureq = r.min_captured > 0;
  r.airstrike = inc->airstrike;
  r.noshotsfired = inc->no_shots;
  // ... and how it went: "no shots were fired" may close the update only.
  for (const auto& later : doc.incidents)
    if (later.release > inc->release && later.admin1 == inc->admin1 && inc->admin1 >= 0 &&
        later.date == inc->date && later.no_shots && !inc->clash && r.min_killed == 0)
      r.noshotsfired = true;

  std::vector<std::string> types;
  // With an air strike, the strike is the event type when it did the
  // killing; a raid that killed and detained, with a strike on the side,
  // stays a capture-and-kill.
  if (civilian_event) {
    if (r.airstrike) types.push_back("airstrike");
  } else if (r.airstrike && r.killq && r.captureq && !inc->kills_by_air) {
    types.push_back("captureandkill");
  } else if (r.airstrike && (r.killq || !r.captureq)) {
    types.push_back("airstrike");
    if (r.captureq) types.push_back("detention");
  } else if (r.killq && r.captureq) {
    types.push_back("captureandkill");
  } else if (r.killq) {
    types.push_back("insurgentskilled");
  } else {
    types.push_back("detention");
  }
  if (inc->civilian_harm) types.push_back("civiliancasualty");
  r.event_type = Joined(types);
  // A "kill-capture raid" goes after someone. Patrols that stumble on
  // insurgents, clearing operations, cache finds and Afghan units' own
  // operations are not; neither is a strike from the air.
  if (civilian_event || (r.airstrike && !r.captureq)) {
    r.killcaptureraid = false;
  } else if (r.captureq && !r.killq) {
    // Capturing a named person or a leader, facilitator, ... means the
    // force came for them, even on a "patrol".
    bool got_someone = false;
    for (const auto& c : inc->casualties)
      if (!c.killed && (!c.role.empty() || !c.name.empty())) got_someone = true;
    r.killcaptureraid = !inc->afghan_unilateral &&
                        !((inc->cache || inc->patrol) && !inc->targeted && !got_someone);
  } else if (r.killq && !r.captureq) {
    r.killcaptureraid = inc->targeted;
  } else if (r.killq && r.captureq) {
    r.killcaptureraid = !((inc->patrol || inc->afghan_unilateral) && !inc->targeted);
  } else {
    r.killcaptureraid = inc->targeted;
  }

  // A headline: "2 killed, 3 detained in Kandahar".
  std::string what;
  if (r.min_killed) what += std::to_string(r.min_killed) + " killed";
  if (r.min_captured) {
    if (!what.empty()) what += ", ";
    what += std::to_string(r.min_captured) + " detained";
  }
  if (what.empty()) what = r.airstrike ? "Airstrike" : "Operation";
  if (inc->admin1 >= 0) what += " in " + kb.places()[static_cast<size_t>(inc->admin1)].name;
  r.name = what;
  return r;
}

}  // namespace sitrep::extract
