#include "sitrep/pipeline.h"

#include <algorithm>
#include <cstdio>

#include "clean/html.h"
#include "extract/extractor.h"
#include "extract/full_record.h"
#include "extract/isaf_view.h"
#include "kb/knowledge_base.h"
#include "util/json_writer.h"

namespace sitrep {

bool ParseProfile(const std::string& name, Profile* out) {
  if (name == "full") *out = Profile::kFull;
  else if (name == "isaf") *out = Profile::kIsaf;
  else return false;
  return true;
}

Pipeline::Pipeline(PipelineOptions options, std::shared_ptr<const KnowledgeBase> kb)
    : options_(std::move(options)), kb_(std::move(kb)) {}

Pipeline::~Pipeline() = default;

std::unique_ptr<Pipeline> Pipeline::Create(const PipelineOptions& options,
                                           std::string* error) {
  std::string dir = KnowledgeBase::FindDir(options.kb_dir);
  std::shared_ptr<const KnowledgeBase> kb =
      KnowledgeBase::Load(dir, options.kb_overlays, error);
  if (!kb) return nullptr;
  return std::unique_ptr<Pipeline>(new Pipeline(options, std::move(kb)));
}

namespace {

// A stable id: FNV-1a over the document id and the event's first evidence.
std::string EventId(const std::string& doc_id, size_t index, uint32_t start) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  };
  mix(doc_id);
  mix("#");
  mix(std::to_string(index));
  mix("@");
  mix(std::to_string(start));
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

Event ToEvent(const KnowledgeBase& kb, const extract::DocumentAnalysis& d,
              const extract::Incident& inc, const std::string& doc_id, size_t index) {
  Event e;
  e.doc_id = doc_id;
  // Types from the outcome and the trigger words.
  auto add = [&](const std::string& t) {
    if (std::find(e.types.begin(), e.types.end(), t) == e.types.end()) e.types.push_back(t);
  };
  if (inc.drone) add("drone_strike");
  else if (inc.airstrike) add("airstrike");
  if (inc.captured > 0 || (inc.capture_mentioned && inc.operation)) add("detention");
  if (inc.operation && !inc.airstrike) add("raid");
  if (inc.clash) add("clash");
  for (const auto& t : inc.other_types)
    if (t != "clash") add(t == "cache" ? "weapons_seizure" : t);
  if (e.types.empty()) add("other");
  e.date = text::FormatDate(inc.date);
  e.date_precision = e.date.empty() ? "unknown" : "day";
  e.date_basis = inc.date_basis;
  if (inc.place >= 0) {
    const Place& p = kb.places()[static_cast<size_t>(inc.place)];
    e.location.country = p.country;
    if (inc.admin1 >= 0) {
      e.location.admin1 = kb.places()[static_cast<size_t>(inc.admin1)].name;
      e.location.admin1_code = kb.places()[static_cast<size_t>(inc.admin1)].id;
    }
    if (inc.admin2 >= 0) e.location.admin2 = kb.places()[static_cast<size_t>(inc.admin2)].name;
    if (p.level == PlaceLevel::kPlace) e.location.place = p.name;
    e.location.precision = p.level == PlaceLevel::kPlace    ? "place"
                           : p.level == PlaceLevel::kAdmin2 ? "admin2"
                           : p.level == PlaceLevel::kAdmin1 ? "admin1"
                                                            : "country";
    // Coordinates of the most specific level that has them.
    for (int k = inc.place; k >= 0; k = kb.places()[static_cast<size_t>(k)].parent) {
      const Place& q = kb.places()[static_cast<size_t>(k)];
      if (q.lat && q.lon) {
        e.location.lat = q.lat;
        e.location.lon = q.lon;
        break;
      }
    }
  }
  if (inc.actor >= 0) e.actor = kb.groups()[static_cast<size_t>(inc.actor)].id;
  for (int g : inc.groups) e.target_groups.push_back(kb.groups()[static_cast<size_t>(g)].id);
  if (inc.kill_mentioned || inc.killed > 0) {
    e.killed = inc.killed;
    e.leaders_killed = inc.leaders_killed;
  }
  if (inc.capture_mentioned || inc.captured > 0) {
    e.captured = inc.captured;
    e.leaders_captured = inc.leaders_captured;
  }
  e.airstrike = inc.airstrike;
  e.no_shots_fired = inc.no_shots;
  e.people = inc.people;
  e.background = inc.background;
  for (const auto& [s, t] : inc.evidence) {
    Evidence ev;
    ev.start = s;
    ev.end = t;
    ev.text = std::string(d.analysis.text.substr(s, t - s));
    e.evidence.push_back(std::move(ev));
  }
  double conf = 0.4;
  if (inc.place >= 0) conf += 0.2;
  if (!e.date.empty()) conf += 0.1;
  if (inc.killed > 0 || inc.captured > 0) conf += 0.2;
  if (!inc.groups.empty()) conf += 0.1;
  e.confidence = std::min(conf, 1.0);
  e.event_id = EventId(doc_id, index, e.evidence.empty() ? 0 : e.evidence[0].start);
  return e;
}

// Releases the per-thread analysis buffers after a huge document, so that
// one does not hold its memory for the rest of the run.
class ScratchGuard {
 public:
  explicit ScratchGuard(extract::DocumentAnalysis* d) : d_(d) {}
  ~ScratchGuard() {
    if (d_->analysis.tokens.tokens.capacity() > kKeepTokens) *d_ = extract::DocumentAnalysis{};
  }
  ScratchGuard(const ScratchGuard&) = delete;
  ScratchGuard& operator=(const ScratchGuard&) = delete;

 private:
  static constexpr size_t kKeepTokens = 1 << 18;  // ~6 MB of tokens, ~1 MB of text
  extract::DocumentAnalysis* d_;
};

}  // namespace

Extraction Pipeline::Extract(const Document& doc) const {
  Extraction x;
  x.doc_id = doc.id;
  // The analysis buffers (tokens, matches, items...) are reused by the
  // documents a thread extracts: allocating and growing them for every
  // document cost about a tenth of the isaf profile. Nothing returned refers
  // to them.
  static thread_local extract::DocumentAnalysis scratch;
  ScratchGuard guard(&scratch);
  extract::DocumentAnalysis& d = scratch;
  // Page reading (src/clean/html.h): HTML pages become their article text;
  // in profile full, chrome in plain-text pages is blanked (offsets kept).
  clean::Page page;
  std::string_view text = doc.text;
  if (doc.format == "html" || clean::LooksLikeHtml(doc.text)) {
    page = clean::CleanHtml(doc.text);
    text = page.text;
  } else if (options_.profile == Profile::kFull) {
    page = clean::CleanText(doc.text);
    text = page.text;
  }
  text::Date published = text::ParseIsoDate(doc.published);
  if (!published.valid()) published = text::ParseIsoDate(options_.default_published);
  if (!published.valid()) published = text::ParseIsoDate(page.published);
  extract::AnalyseDocument(*kb_, text, published, &d);
  if (options_.explain) x.explain = extract::Explain(*kb_, d);
  if (options_.profile == Profile::kIsaf) {
    x.isaf = extract::ToIsaf(*kb_, d);
    return x;
  }
  x.title = !doc.title.empty() ? doc.title : page.title;
  x.published = text::FormatDate(published);
  if (page.rewritten) x.text = page.text;
  extract::BuildFullRecord(*kb_, page, text, published, doc.id, d, &ToEvent, &x);
  return x;
}

namespace {

void WriteEvent(util::JsonWriter& w, const Event& e) {
  w.BeginObject();
  w.Key("event_id").String(e.event_id);
  w.Key("doc_id").String(e.doc_id);
  w.Key("types").StringArray(e.types);
  w.Key("date").String(e.date);
  w.Key("date_precision").String(e.date_precision);
  w.Key("date_basis").String(e.date_basis);
  w.Key("location").BeginObject();
  w.Key("country").String(e.location.country);
  w.Key("admin1").String(e.location.admin1);
  w.Key("admin1_code").String(e.location.admin1_code);
  w.Key("admin2").String(e.location.admin2);
  w.Key("place").String(e.location.place);
  w.Key("lat").OptDouble(e.location.lat);
  w.Key("lon").OptDouble(e.location.lon);
  w.Key("precision").String(e.location.precision);
  w.EndObject();
  w.Key("actor").String(e.actor);
  w.Key("target_groups").StringArray(e.target_groups);
  w.Key("killed").OptInt(e.killed);
  w.Key("captured").OptInt(e.captured);
  w.Key("leaders_killed").OptInt(e.leaders_killed);
  w.Key("leaders_captured").OptInt(e.leaders_captured);
  w.Key("count").Int(e.count);
  w.Key("airstrike").Bool(e.airstrike);
  w.Key("no_shots_fired").Bool(e.no_shots_fired);
  w.Key("people").BeginArray();
  for (const auto& p : e.people) {
    w.BeginObject();
    w.Key("name").String(p.name);
    w.Key("role").String(p.role);
    w.Key("group").String(p.group);
    w.Key("fate").String(p.fate);
    w.EndObject();
  }
  w.EndArray();
  w.Key("background").Bool(e.background);
  w.Key("evidence").BeginArray();
  for (const auto& ev : e.evidence) {
    w.BeginObject();
    w.Key("start").Int(ev.start);
    w.Key("end").Int(ev.end);
    w.Key("text").String(ev.text);
    w.EndObject();
  }
  w.EndArray();
  w.Key("confidence").Double(e.confidence);
  w.EndObject();
}

void WriteEvidenceList(util::JsonWriter& w, const std::vector<Evidence>& list) {
  w.BeginArray();
  for (const auto& ev : list) {
    w.BeginObject();
    w.Key("start").Int(ev.start);
    w.Key("end").Int(ev.end);
    w.Key("text").String(ev.text);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string ToJsonLine(const Extraction& x, Profile profile) {
  std::string out;
  out.reserve(1024);
  util::JsonWriter w(&out);
  w.BeginObject();
  w.Key("id").String(x.doc_id);
  if (profile == Profile::kIsaf) {
    static const IsafRecord kNone;
    const IsafRecord& r = x.isaf ? *x.isaf : kNone;  // no copy of the record
    w.Key("event").BeginObject();
    w.Key("name").String(r.name);
    w.Key("start_date").String(r.start_date);
    w.Key("event_type").StringArray(r.event_type);
    w.Key("province").StringArray(r.province);
    w.Key("target_group").StringArray(r.target_group);
    w.Key("min_killed").Int(r.min_killed);
    w.Key("min_captured").Int(r.min_captured);
    w.Key("killq").Bool(r.killq);
    w.Key("captureq").Bool(r.captureq);
    w.Key("killcaptureraid").Bool(r.killcaptureraid);
    w.Key("airstrike").Bool(r.airstrike);
    w.Key("noshotsfired").Bool(r.noshotsfired);
    w.Key("min_leaders_killed").Int(r.min_leaders_killed);
    w.Key("min_leaders_captured").Int(r.min_leaders_captured);
    w.EndObject();
  } else {
    if (!x.title.empty()) w.Key("title").String(x.title);
    if (!x.published.empty()) w.Key("published").String(x.published);
    w.Key("events").BeginArray();
    for (const auto& e : x.events) WriteEvent(w, e);
    w.EndArray();
    w.Key("claims").BeginArray();
    for (const auto& c : x.claims) {
      w.BeginObject();
      w.Key("text").String(c.text);
      w.Key("metric").String(c.metric);
      w.Key("value").Int(c.value);
      w.Key("group").String(c.group);
      w.Key("regions").StringArray(c.regions);
      w.Key("period").BeginObject();
      w.Key("from").String(c.period_from);
      w.Key("to").String(c.period_to);
      w.EndObject();
      w.Key("breakdown").BeginArray();
      for (const auto& p : c.breakdown) {
        w.BeginObject();
        w.Key("period").String(p.period);
        w.Key("value").Int(p.value);
        w.EndObject();
      }
      w.EndArray();
      w.Key("evidence");
      WriteEvidenceList(w, c.evidence);
      w.EndObject();
    }
    w.EndArray();
    w.Key("relations").BeginArray();
    for (const auto& r : x.relations) {
      w.BeginObject();
      w.Key("a").String(r.a);
      w.Key("b").String(r.b);
      w.Key("kind").String(r.kind);
      w.Key("evidence");
      WriteEvidenceList(w, r.evidence);
      w.EndObject();
    }
    w.EndArray();
    // Cleaned HTML: the text that evidence offsets index.
    if (!x.text.empty()) w.Key("text").String(x.text);
  }
  w.EndObject();
  return out;
}

}  // namespace sitrep
