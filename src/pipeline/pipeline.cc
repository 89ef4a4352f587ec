#include "sitrep/pipeline.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

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

void ToEvent(const KnowledgeBase& kb, const extract::DocumentAnalysis&,
             const extract::Incident& inc, const std::string& doc_id, size_t, Event* out) {
  Event& e = *out;
  e.doc_id = doc_id;
  e.types.reserve(4);  // most have up to four: growing one at a time allocates three times
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
  // Offsets only: BuildFullRecord chooses the event's evidence among these
  // spans and others, copies its text from the page, and sets event_id.
  e.evidence.reserve(inc.evidence.size());
  for (const auto& [s, t] : inc.evidence) {
    Evidence ev;
    ev.start = s;
    ev.end = t;
    e.evidence.push_back(std::move(ev));
  }
  double conf = 0.4;
  if (inc.place >= 0) conf += 0.2;
  if (!e.date.empty()) conf += 0.1;
  if (inc.killed > 0 || inc.captured > 0) conf += 0.2;
  if (!inc.groups.empty()) conf += 0.1;
  e.confidence = std::min(conf, 1.0);
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
  static thread_local extract::FullScratch full_scratch;  // as `scratch` above
  extract::BuildFullRecord(*kb_, page, text, published, doc.id, d, &ToEvent, &full_scratch, &x);
  return x;
}

namespace {

// Writes the full record straight into the line. Its fields are fixed, so
// keys, commas and brackets are literals: JsonWriter's per-key escaping and
// comma bookkeeping were about half of writing a record, and the full
// record has ten times the keys of the isaf one. The bytes are JsonWriter's.
class RecordOut {
 public:
  explicit RecordOut(std::string* out) : o_(*out) {}
  RecordOut& Lit(std::string_view s) {
    o_.append(s);
    return *this;
  }
  RecordOut& Str(std::string_view s) {
    util::AppendJsonString(&o_, s);
    return *this;
  }
  RecordOut& Int(int64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    o_.append(buf, r.ptr);
    return *this;
  }
  // As JsonWriter::Double: the digits of printf("%.10g") (to_chars general,
  // precision 10), null when not finite. Coordinates and confidences take a
  // path in integers: to_chars cost a fifth of writing a record.
  RecordOut& Double(double v) {
    if (!std::isfinite(v)) return Lit("null");
    double a = std::fabs(v);
    // Between 1e-3 and 1e9, %.10g is fixed notation: the value rounded to
    // ten significant digits, trailing zeros dropped. The product below is
    // within 2e-6 of the exact one, so its rounding is the exact rounding
    // unless the fraction is near one half (a tie, or too close to tell):
    // those go to to_chars.
    if (a >= 1e-3 && a < 1e9) {
      static constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4,  1e5, 1e6,
                                          1e7, 1e8, 1e9, 1e10, 1e11, 1e12};
      int x = 8;  // the decimal exponent: 10^x <= a < 10^(x+1)
      while (x >= 0 && a < kPow10[x]) --x;
      if (x < 0) x = a >= 1e-1 ? -1 : a >= 1e-2 ? -2 : -3;
      int decimals = 9 - x;
      double p = a * kPow10[decimals];
      double whole = std::floor(p), frac = p - whole;
      if (std::fabs(frac - 0.5) > 1e-4) {
        uint64_t m = static_cast<uint64_t>(whole) + (frac > 0.5 ? 1 : 0);
        if (m == 10000000000ULL) {  // rounded up to the next power of ten
          m = 1000000000ULL;
          --decimals;
        }
        while (decimals > 0 && m % 10 == 0) {
          m /= 10;
          --decimals;
        }
        char buf[32];
        char* e = buf + sizeof buf;
        char* b = e;
        for (int k = 0; k < decimals; ++k, m /= 10) *--b = static_cast<char>('0' + m % 10);
        if (decimals > 0) *--b = '.';
        do {
          *--b = static_cast<char>('0' + m % 10);
          m /= 10;
        } while (m > 0);
        if (v < 0) *--b = '-';
        o_.append(b, static_cast<size_t>(e - b));
        return *this;
      }
    }
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 10);
    o_.append(buf, r.ptr);
    return *this;
  }
  RecordOut& OptInt(const std::optional<int>& v) { return v ? Int(*v) : Lit("null"); }
  RecordOut& OptDouble(const std::optional<double>& v) { return v ? Double(*v) : Lit("null"); }
  RecordOut& Bool(bool v) { return Lit(v ? "true" : "false"); }
  RecordOut& StrArray(const std::vector<std::string>& v) {
    o_.push_back('[');
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) o_.push_back(',');
      Str(v[i]);
    }
    o_.push_back(']');
    return *this;
  }
  RecordOut& EvidenceList(const std::vector<Evidence>& list) {
    o_.push_back('[');
    for (size_t i = 0; i < list.size(); ++i) {
      const Evidence& ev = list[i];
      Lit(i > 0 ? ",{\"start\":" : "{\"start\":").Int(ev.start);
      Lit(",\"end\":").Int(ev.end);
      Lit(",\"text\":").Str(ev.text).Lit("}");
    }
    o_.push_back(']');
    return *this;
  }

 private:
  std::string& o_;
};

void WriteEvent(RecordOut& w, const Event& e) {
  w.Lit("{\"event_id\":").Str(e.event_id);
  w.Lit(",\"doc_id\":").Str(e.doc_id);
  w.Lit(",\"types\":").StrArray(e.types);
  w.Lit(",\"date\":").Str(e.date);
  w.Lit(",\"date_precision\":").Str(e.date_precision);
  w.Lit(",\"date_basis\":").Str(e.date_basis);
  w.Lit(",\"location\":{\"country\":").Str(e.location.country);
  w.Lit(",\"admin1\":").Str(e.location.admin1);
  w.Lit(",\"admin1_code\":").Str(e.location.admin1_code);
  w.Lit(",\"admin2\":").Str(e.location.admin2);
  w.Lit(",\"place\":").Str(e.location.place);
  w.Lit(",\"lat\":").OptDouble(e.location.lat);
  w.Lit(",\"lon\":").OptDouble(e.location.lon);
  w.Lit(",\"precision\":").Str(e.location.precision);
  w.Lit("},\"actor\":").Str(e.actor);
  w.Lit(",\"target_groups\":").StrArray(e.target_groups);
  w.Lit(",\"killed\":").OptInt(e.killed);
  w.Lit(",\"captured\":").OptInt(e.captured);
  w.Lit(",\"leaders_killed\":").OptInt(e.leaders_killed);
  w.Lit(",\"leaders_captured\":").OptInt(e.leaders_captured);
  w.Lit(",\"count\":").Int(e.count);
  w.Lit(",\"airstrike\":").Bool(e.airstrike);
  w.Lit(",\"no_shots_fired\":").Bool(e.no_shots_fired);
  w.Lit(",\"people\":[");
  for (size_t i = 0; i < e.people.size(); ++i) {
    const Person& p = e.people[i];
    w.Lit(i > 0 ? ",{\"name\":" : "{\"name\":").Str(p.name);
    w.Lit(",\"role\":").Str(p.role);
    w.Lit(",\"group\":").Str(p.group);
    w.Lit(",\"fate\":").Str(p.fate).Lit("}");
  }
  w.Lit("],\"background\":").Bool(e.background);
  w.Lit(",\"evidence\":").EvidenceList(e.evidence);
  w.Lit(",\"confidence\":").Double(e.confidence).Lit("}");
}

void WriteFullRecord(const Extraction& x, std::string* out) {
  RecordOut w(out);
  if (!x.title.empty()) w.Lit(",\"title\":").Str(x.title);
  if (!x.published.empty()) w.Lit(",\"published\":").Str(x.published);
  w.Lit(",\"events\":[");
  for (size_t i = 0; i < x.events.size(); ++i) {
    if (i > 0) w.Lit(",");
    WriteEvent(w, x.events[i]);
  }
  w.Lit("],\"claims\":[");
  for (size_t i = 0; i < x.claims.size(); ++i) {
    const Claim& c = x.claims[i];
    w.Lit(i > 0 ? ",{\"text\":" : "{\"text\":").Str(c.text);
    w.Lit(",\"metric\":").Str(c.metric);
    w.Lit(",\"value\":").Int(c.value);
    w.Lit(",\"group\":").Str(c.group);
    w.Lit(",\"regions\":").StrArray(c.regions);
    w.Lit(",\"period\":{\"from\":").Str(c.period_from);
    w.Lit(",\"to\":").Str(c.period_to);
    w.Lit("},\"breakdown\":[");
    for (size_t k = 0; k < c.breakdown.size(); ++k) {
      w.Lit(k > 0 ? ",{\"period\":" : "{\"period\":").Str(c.breakdown[k].period);
      w.Lit(",\"value\":").Int(c.breakdown[k].value).Lit("}");
    }
    w.Lit("],\"evidence\":").EvidenceList(c.evidence).Lit("}");
  }
  w.Lit("],\"relations\":[");
  for (size_t i = 0; i < x.relations.size(); ++i) {
    const Relation& r = x.relations[i];
    w.Lit(i > 0 ? ",{\"a\":" : "{\"a\":").Str(r.a);
    w.Lit(",\"b\":").Str(r.b);
    w.Lit(",\"kind\":").Str(r.kind);
    w.Lit(",\"evidence\":").EvidenceList(r.evidence).Lit("}");
  }
  w.Lit("]");
  // Cleaned HTML: the text that evidence offsets index.
  if (!x.text.empty()) w.Lit(",\"text\":").Str(x.text);
}

// Bytes a full record takes besides its strings' escaping, roughly: enough
// that the line is not regrown while it is written.
size_t FullRecordSize(const Extraction& x) {
  size_t n = 256 + x.doc_id.size() + x.title.size() + x.text.size();
  auto evidence = [&](const std::vector<Evidence>& list) {
    for (const auto& ev : list) n += 40 + ev.text.size();
  };
  for (const auto& e : x.events) {
    n += 560 + 2 * e.doc_id.size() + 64 * e.people.size();
    evidence(e.evidence);
  }
  for (const auto& c : x.claims) {
    n += 200 + c.text.size();
    evidence(c.evidence);
  }
  for (const auto& r : x.relations) {
    n += 64;
    evidence(r.evidence);
  }
  return n;
}

}  // namespace

std::string ToJsonLine(const Extraction& x, Profile profile) {
  std::string out;
  if (profile != Profile::kIsaf) {
    out.reserve(FullRecordSize(x));
    out.append("{\"id\":");
    util::AppendJsonString(&out, x.doc_id);
    WriteFullRecord(x, &out);
    out.push_back('}');
    return out;
  }
  out.reserve(1024);
  util::JsonWriter w(&out);
  w.BeginObject();
  w.Key("id").String(x.doc_id);
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
  w.EndObject();
  return out;
}

}  // namespace sitrep
