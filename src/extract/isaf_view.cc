#include "extract/isaf_view.h"

#include <algorithm>
#include <charconv>
#include <string_view>

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
// alphabetical order ("aq;taliban", "airstrike;detention"). The labels are
// views of knowledge-base strings and literals: copying each into a
// vector<string> first cost more than the rest of the record.
std::string Joined(std::string_view* labels, size_t n) {
  std::sort(labels, labels + n);
  n = static_cast<size_t>(std::unique(labels, labels + n) - labels);
  std::string j;
  for (size_t k = 0; k < n; ++k) {
    if (k > 0) j += ';';
    j += labels[k];
  }
  return j;
}

// The labels of one cell: a handful (the rules find a few groups per
// incident) fit without allocating; a pathological page with more spills to
// the heap.
class Labels {
 public:
  void Add(std::string_view s) {
    if (n_ < kInline) fixed_[n_++] = s;
    else more_.push_back(s);
  }
  std::string Join() {
    if (more_.empty()) return Joined(fixed_, n_);
    more_.insert(more_.begin(), fixed_, fixed_ + n_);
    return Joined(more_.data(), more_.size());
  }
  bool empty() const { return n_ == 0; }

 private:
  static constexpr size_t kInline = 16;
  std::string_view fixed_[kInline];
  size_t n_ = 0;
  std::vector<std::string_view> more_;
};

void AppendInt(std::string* out, int v) {
  char buf[16];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
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
  if (inc->admin1 >= 0) r.province.push_back(kb.places()[static_cast<size_t>(inc->admin1)].isaf);
  else r.province.emplace_back();

  Labels groups;
  for (int g : inc->groups) {
    const std::string& label = kb.groups()[static_cast<size_t>(g)].isaf;
    if (!label.empty()) {
      groups.Add(label);
      break;
    }
  }
  auto holds = [](const std::vector<int>& v, int g) {
    return std::find(v.begin(), v.end(), g) != v.end();
  };
  auto add_labels = [&](const std::vector<int>& more) {
    for (int g : more) {
      const std::string& label = kb.groups()[static_cast<size_t>(g)].isaf;
      if (!label.empty()) groups.Add(label);
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
  r.target_group.push_back(groups.Join());

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

  Labels types;
  // With an air strike, the strike is the event type when it did the
  // killing; a raid that killed and detained, with a strike on the side,
  // stays a capture-and-kill.
  if (civilian_event) {
    if (r.airstrike) types.Add("airstrike");
  } else if (r.airstrike && r.killq && r.captureq && !inc->kills_by_air) {
    types.Add("captureandkill");
  } else if (r.airstrike && (r.killq || !r.captureq)) {
    types.Add("airstrike");
    if (r.captureq) types.Add("detention");
  } else if (r.killq && r.captureq) {
    types.Add("captureandkill");
  } else if (r.killq) {
    types.Add("insurgentskilled");
  } else {
    types.Add("detention");
  }
  if (inc->civilian_harm) types.Add("civiliancasualty");
  r.event_type.push_back(types.Join());
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
  std::string& what = r.name;
  if (r.min_killed) {
    AppendInt(&what, r.min_killed);
    what += " killed";
  }
  if (r.min_captured) {
    if (!what.empty()) what += ", ";
    AppendInt(&what, r.min_captured);
    what += " detained";
  }
  if (what.empty()) what = r.airstrike ? "Airstrike" : "Operation";
  if (inc->admin1 >= 0) {
    what += " in ";
    what += kb.places()[static_cast<size_t>(inc->admin1)].name;
  }
  return r;
}

}  // namespace sitrep::extract
