#include "serve/api.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>

#include "kb/knowledge_base.h"
#include "query/claim_check.h"
#include "util/json_writer.h"

namespace sitrep::serve {
namespace {

using util::JsonWriter;

constexpr size_t kMaxParam = 256;
constexpr size_t kMaxClaim = 2000;
constexpr size_t kMaxPoints = 5000;

const std::string* Param(const Params& p, const char* key) {
  auto it = p.find(key);
  return it == p.end() ? nullptr : &it->second;
}

std::string Str(const Params& p, const char* key) {
  const std::string* v = Param(p, key);
  return v ? *v : std::string();
}

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

struct BadRequest {
  std::string message;
};

bool Truthy(const std::string& v) { return v == "1" || v == "true" || v == "yes" || v == "on"; }

size_t Size(const Params& p, const char* key, size_t def, size_t max) {
  const std::string* v = Param(p, key);
  if (!v || v->empty()) return def;
  if (v->size() > 12 || !std::all_of(v->begin(), v->end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    throw BadRequest{std::string(key) + ": expected a non-negative integer"};
  return std::min<size_t>(std::strtoull(v->c_str(), nullptr, 10), max);
}

EventFilter FilterOf(const Params& p) {
  for (const auto& [k, v] : p)
    if (v.size() > kMaxParam) throw BadRequest{k + ": longer than 256 bytes"};
  EventFilter f;
  f.group = Str(p, "group");
  f.type = Str(p, "type");
  f.country = Str(p, "country");
  f.province = Str(p, "province");
  f.district = Str(p, "district");
  f.since = Str(p, "since");
  f.until = Str(p, "until");
  f.text = Str(p, "text");
  f.leaders = Truthy(Str(p, "leaders"));
  if (!f.since.empty() && !IsDate(f.since)) throw BadRequest{"since: expected YYYY-MM-DD"};
  if (!f.until.empty() && !IsDate(f.until)) throw BadRequest{"until: expected YYYY-MM-DD"};
  if (const std::string* b = Param(p, "bbox"); b && !b->empty()) {
    std::vector<double> v;
    size_t pos = 0;
    while (pos <= b->size()) {
      size_t q = b->find(',', pos);
      std::string part = b->substr(pos, q == std::string::npos ? std::string::npos : q - pos);
      char* end = nullptr;
      double d = std::strtod(part.c_str(), &end);
      if (part.empty() || end != part.c_str() + part.size() || !(d >= -180 && d <= 180))
        throw BadRequest{"bbox: expected min_lat,min_lon,max_lat,max_lon"};
      v.push_back(d);
      if (q == std::string::npos) break;
      pos = q + 1;
    }
    if (v.size() != 4) throw BadRequest{"bbox: expected min_lat,min_lon,max_lat,max_lon"};
    f.bbox = v;
  }
  return f;
}

void WriteEvidence(JsonWriter& w, const std::vector<Evidence>& ev) {
  w.BeginArray();
  for (const auto& e : ev) {
    w.BeginObject().Key("start").Int(e.start).Key("end").Int(e.end).Key("text").String(e.text);
    w.EndObject();
  }
  w.EndArray();
}

void WriteMerged(JsonWriter& w, const MergedEvent& m) {
  w.BeginObject();
  w.Key("id").String(m.cluster_id);
  w.Key("date").String(m.date);
  w.Key("date_precision").String(m.date_precision);
  w.Key("country").String(m.country);
  w.Key("admin1").String(m.admin1);
  w.Key("admin2").String(m.admin2);
  w.Key("place").String(m.place);
  w.Key("lat").OptDouble(m.lat);
  w.Key("lon").OptDouble(m.lon);
  w.Key("geo_precision").String(m.geo_precision);
  w.Key("types").StringArray(m.types);
  w.Key("groups").StringArray(m.groups);
  w.Key("actor").String(m.actor);
  w.Key("killed").OptInt(m.killed);
  w.Key("captured").OptInt(m.captured);
  w.Key("leaders_killed").OptInt(m.leaders_killed);
  w.Key("leaders_captured").OptInt(m.leaders_captured);
  w.Key("count").Int(m.count);
  w.Key("sources").Int(m.sources);
  w.EndObject();
}

void WriteEvent(JsonWriter& w, const Event& e) {
  w.Key("types").StringArray(e.types);
  w.Key("date").String(e.date);
  w.Key("date_precision").String(e.date_precision);
  w.Key("date_basis").String(e.date_basis);
  w.Key("location").BeginObject();
  w.Key("country").String(e.location.country);
  w.Key("admin1").String(e.location.admin1);
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
  w.Key("background").Bool(e.background);
  w.Key("confidence").Double(e.confidence);
  w.Key("people").BeginArray();
  for (const auto& p : e.people) {
    w.BeginObject().Key("name").String(p.name).Key("role").String(p.role);
    w.Key("group").String(p.group).Key("fate").String(p.fate).EndObject();
  }
  w.EndArray();
}

void WriteClaim(JsonWriter& w, const Claim& c) {
  w.BeginObject();
  w.Key("text").String(c.text);
  w.Key("metric").String(c.metric);
  w.Key("value").Int(c.value);
  w.Key("group").String(c.group);
  w.Key("regions").StringArray(c.regions);
  w.Key("period").BeginObject().Key("from").String(c.period_from).Key("to").String(c.period_to);
  w.EndObject();
  w.Key("breakdown").BeginArray();
  for (const auto& b : c.breakdown)
    w.BeginObject().Key("period").String(b.period).Key("value").Int(b.value).EndObject();
  w.EndArray();
  w.Key("evidence");
  WriteEvidence(w, c.evidence);
  w.EndObject();
}

Reply Json(std::string body) {
  Reply r;
  r.body = std::move(body);
  return r;
}

}  // namespace

Reply ErrorReply(int status, const std::string& message) {
  Reply r;
  r.status = status;
  JsonWriter w(&r.body);
  w.BeginObject().Key("error").String(message).EndObject();
  return r;
}

std::vector<uint32_t> Utf16Offsets(const std::string& s, const std::vector<uint32_t>& bytes) {
  std::vector<size_t> order(bytes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return bytes[a] < bytes[b]; });
  std::vector<uint32_t> out(bytes.size(), 0);
  size_t i = 0;
  uint32_t units = 0;
  size_t k = 0;
  while (k < order.size()) {
    size_t target = std::min<size_t>(bytes[order[k]], s.size());
    while (i < target) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      size_t need = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
      bool ok = need <= 3 && i + need < s.size() + (need == 0 ? 1 : 0);
      for (size_t j = 1; ok && j <= need; ++j)
        if (i + j >= s.size() || (static_cast<unsigned char>(s[i + j]) & 0xC0) != 0x80) ok = false;
      if (!ok) need = 0;
      units += need == 3 ? 2 : 1;
      i += need + 1;
    }
    out[order[k]] = units;
    ++k;
  }
  return out;
}

Api::Api(const ServeOptions& options, std::shared_ptr<const Pipeline> pipeline,
         std::vector<BoundaryLayer> layers, bool have_outlines)
    : options_(options),
      pipeline_(std::move(pipeline)),
      layers_(std::move(layers)),
      have_outlines_(have_outlines) {}

std::string Api::GroupName(const std::string& id) const {
  const KnowledgeBase& kb = pipeline_->kb();
  int g = kb.FindGroup(id);
  return g >= 0 ? kb.groups()[static_cast<size_t>(g)].name : id;
}

Reply Api::Handle(Store& store, const std::string& method, const std::string& path,
                  const Params& params, const std::string& body, const Snapshot* memory) const {
  try {
    if (path == "/api/claims/check") {
      std::string text = Str(params, "text");
      if (method == "POST" && text.empty()) text = body;
      return ClaimCheck(store, text);
    }
    if (method != "GET" && method != "HEAD") return ErrorReply(405, "method not allowed");
    if (path == "/api/meta") return Meta(store, memory);
    if (path == "/api/events") return Events(store, memory, params);
    if (path.rfind("/api/events/", 0) == 0) return EventSources(store, path.substr(12));
    if (path == "/api/aggregate") return AggregateReply(store, memory, params);
    if (path == "/api/points") return PointsReply(store, memory, params);
    if (path.rfind("/api/docs/", 0) == 0) return Doc(store, path.substr(10));
    if (path == "/api/claims") return ClaimList(store);
    if (path == "/api/groups") return Groups(store);
    return ErrorReply(404, "no such endpoint");
  } catch (const BadRequest& e) {
    return ErrorReply(400, e.message);
  } catch (const StoreError& e) {
    std::string what = e.what();
    if (what.find("interrupt") != std::string::npos || what.find("statement timeout") != std::string::npos ||
        what.find("canceling statement") != std::string::npos)
      return ErrorReply(503, "query took longer than " + std::to_string(options_.query_timeout_ms) +
                                 " ms; narrow the filter");
    return ErrorReply(500, "store error");
  }
}

Reply Api::Meta(Store& store, const Snapshot* memory) const {
  StoreStats s = store.Stats();
  EventFilter all;
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("backend").String(store.backend());
  w.Key("documents").Int(s.documents);
  w.Key("events").Int(s.clusters);
  w.Key("reports").Int(s.events);
  w.Key("claims").Int(s.claims);
  w.Key("relations").Int(s.relations);
  w.Key("first_date").String(s.first_date);
  w.Key("last_date").String(s.last_date);
  w.Key("max_page").Int(static_cast<int64_t>(options_.max_page));
  auto list = [&](const char* key, GroupBy by, bool names) {
    w.Key(key).BeginArray();
    for (const auto& r : memory ? memory->Aggregate(all, by) : store.Aggregate(all, by)) {
      if (r.key.empty()) continue;
      w.BeginObject().Key("id").String(r.key).Key("events").Int(r.events);
      if (names) w.Key("name").String(GroupName(r.key));
      w.EndObject();
    }
    w.EndArray();
  };
  list("groups", GroupBy::kGroup, true);
  list("types", GroupBy::kType, false);
  list("countries", GroupBy::kCountry, false);
  list("provinces", GroupBy::kProvince, false);
  w.Key("boundaries").BeginArray();
  for (size_t i = 0; i < layers_.size(); ++i) {
    const auto& l = layers_[i];
    w.BeginObject();
    w.Key("url").String("/geo/boundaries/" + std::to_string(i) + ".geojson");
    w.Key("level").String(l.level);
    w.Key("name_property").String(l.name_property);
    w.Key("province_property").String(l.province_property);
    w.Key("features").Int(static_cast<int64_t>(l.features.size()));
    // Name in the file -> the store's name ("Hilmand" -> "Helmand").
    w.Key("names").BeginObject();
    std::set<std::string> seen;
    for (const auto& f : l.features) {
      std::string key = l.level == "admin2" ? f.province + "/" + f.name : f.name;
      if (!seen.insert(key).second) continue;
      std::string val = l.level == "admin2" ? f.canonical_province + "/" + f.canonical : f.canonical;
      w.Key(key).String(f.canonical.empty() ? "" : val);
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.Key("outlines").String(have_outlines_ ? "/geo/outlines.json" : "");
  w.EndObject();
  return Json(std::move(out));
}

Reply Api::Events(Store& store, const Snapshot* memory, const Params& p) const {
  EventFilter f = FilterOf(p);
  if (memory && !Snapshot::Handles(f)) memory = nullptr;
  EventOrder order;
  order.sort = Str(p, "sort");
  if (order.sort.empty()) order.sort = "date";
  std::string dir = Str(p, "order");
  if (!dir.empty() && dir != "asc" && dir != "desc") throw BadRequest{"order: asc or desc"};
  order.descending = dir == "desc";
  order.offset = Size(p, "offset", 0, 100000000);
  size_t limit = Size(p, "limit", 50, options_.max_page);
  auto events = memory ? memory->Events(f, limit, order) : store.Events(f, limit, order);
  int64_t total = memory ? memory->Count(f) : store.CountEvents(f);
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("total").Int(total);
  w.Key("offset").Int(static_cast<int64_t>(order.offset));
  w.Key("limit").Int(static_cast<int64_t>(limit));
  w.Key("sort").String(order.sort);
  w.Key("order").String(order.descending ? "desc" : "asc");
  w.Key("events").BeginArray();
  for (const auto& m : events) WriteMerged(w, m);
  w.EndArray();
  w.EndObject();
  return Json(std::move(out));
}

Reply Api::EventSources(Store& store, const std::string& id) const {
  if (id.empty() || id.size() > kMaxParam) return ErrorReply(400, "bad event id");
  auto src = store.Sources(id);
  if (src.empty()) return ErrorReply(404, "no such event");
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("id").String(src[0].cluster_id);
  w.Key("sources").BeginArray();
  for (const auto& s : src) {
    w.BeginObject();
    w.Key("event_id").String(s.event_id);
    w.Key("doc_id").String(s.doc_id);
    w.Key("url").String(s.url);
    w.Key("title").String(s.title);
    w.Key("published").String(s.published);
    w.Key("merged_with").String(s.merged_with);
    w.Key("merge_reason").String(s.merge_reason);
    WriteEvent(w, s.event);
    w.Key("evidence");
    WriteEvidence(w, s.event.evidence);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Json(std::move(out));
}

Reply Api::AggregateReply(Store& store, const Snapshot* memory, const Params& p) const {
  EventFilter f = FilterOf(p);
  if (memory && !Snapshot::Handles(f)) memory = nullptr;
  GroupBy by, then;
  std::string by_name = Str(p, "by"), then_name = Str(p, "then");
  if (!ParseGroupBy(by_name, &by))
    throw BadRequest{"by: month, week, province, district, group, type or country"};
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("by").String(by_name);
  if (!then_name.empty()) {
    if (!ParseGroupBy(then_name, &then))
      throw BadRequest{"then: month, week, province, district, group, type or country"};
    w.Key("then").String(then_name);
    w.Key("rows").BeginArray();
    for (const auto& r : memory ? memory->Aggregate(f, by, then) : store.Aggregate(f, by, then)) {
      w.BeginObject().Key("key").String(r.key).Key("key2").String(r.key2);
      w.Key("events").Int(r.events).Key("count").Int(r.count).EndObject();
    }
    w.EndArray();
  } else {
    w.Key("rows").BeginArray();
    for (const auto& r : memory ? memory->Aggregate(f, by) : store.Aggregate(f, by)) {
      w.BeginObject().Key("key").String(r.key).Key("events").Int(r.events);
      w.Key("count").Int(r.count).Key("killed").Int(r.killed).Key("captured").Int(r.captured);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return Json(std::move(out));
}

Reply Api::PointsReply(Store& store, const Snapshot* memory, const Params& p) const {
  EventFilter f = FilterOf(p);
  if (memory && !Snapshot::Handles(f)) memory = nullptr;
  size_t limit = Size(p, "limit", kMaxPoints, kMaxPoints);
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("points").BeginArray();
  for (const auto& m : memory ? memory->Points(f, limit) : store.Points(f, limit)) {
    w.BeginObject().Key("lat").Double(m.lat).Key("lon").Double(m.lon).Key("events").Int(m.events);
    w.Key("place").String(m.place).Key("admin2").String(m.admin2).Key("admin1").String(m.admin1);
    w.Key("country").String(m.country).EndObject();
  }
  w.EndArray().EndObject();
  return Json(std::move(out));
}

Reply Api::Doc(Store& store, const std::string& id) const {
  if (id.empty() || id.size() > 1024) return ErrorReply(400, "bad document id");
  auto d = store.FindDocument(id);
  if (!d) return ErrorReply(404, "no such document");
  // HTML documents: evidence offsets index the cleaned text, which the
  // pipeline reproduces from the stored page.
  std::string text = d->doc.text;
  if (d->doc.format == "html") {
    Extraction x = pipeline_->Extract(d->doc);
    if (!x.text.empty()) text = x.text;
  }
  std::vector<uint32_t> offs;
  auto collect = [&](const std::vector<Evidence>& ev) {
    for (const auto& e : ev) {
      offs.push_back(std::min<uint32_t>(e.start, static_cast<uint32_t>(text.size())));
      offs.push_back(std::min<uint32_t>(std::max(e.start, e.end), static_cast<uint32_t>(text.size())));
    }
  };
  for (const auto& e : d->events) collect(e.event.evidence);
  for (const auto& c : d->claims) collect(c.claim.evidence);
  for (const auto& r : d->relations) collect(r.evidence);
  std::vector<uint32_t> u16 = Utf16Offsets(text, offs);
  size_t k = 0;
  auto evidence = [&](JsonWriter& w, const std::vector<Evidence>& ev) {
    w.BeginArray();
    for (const auto& e : ev) {
      bool exact = e.end > e.start && e.end <= text.size() &&
                   text.compare(e.start, e.end - e.start, e.text) == 0;
      w.BeginObject().Key("start").Int(e.start).Key("end").Int(e.end).Key("text").String(e.text);
      w.Key("u16_start").Int(u16[k]).Key("u16_end").Int(u16[k + 1]).Key("exact").Bool(exact);
      w.EndObject();
      k += 2;
    }
    w.EndArray();
  };
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("id").String(d->doc.id);
  w.Key("url").String(d->doc.url);
  w.Key("title").String(d->doc.title);
  w.Key("published").String(d->doc.published);
  w.Key("format").String(d->doc.format);
  w.Key("text").String(text);
  w.Key("events").BeginArray();
  for (const auto& s : d->events) {
    w.BeginObject();
    w.Key("event_id").String(s.event_id);
    w.Key("cluster_id").String(s.cluster_id);
    WriteEvent(w, s.event);
    w.Key("evidence");
    evidence(w, s.event.evidence);
    w.EndObject();
  }
  w.EndArray();
  w.Key("claims").BeginArray();
  for (const auto& c : d->claims) {
    w.BeginObject().Key("text").String(c.claim.text).Key("metric").String(c.claim.metric);
    w.Key("value").Int(c.claim.value).Key("evidence");
    evidence(w, c.claim.evidence);
    w.EndObject();
  }
  w.EndArray();
  w.Key("relations").BeginArray();
  for (const auto& r : d->relations) {
    w.BeginObject().Key("a").String(r.a).Key("b").String(r.b).Key("kind").String(r.kind);
    w.Key("evidence");
    evidence(w, r.evidence);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Json(std::move(out));
}

Reply Api::ClaimCheck(Store& store, const std::string& text) const {
  if (text.empty()) return ErrorReply(400, "text: the claim to check");
  if (text.size() > kMaxClaim) return ErrorReply(413, "claim longer than 2000 bytes");
  const KnowledgeBase* kb = &pipeline_->kb();
  query::ClaimParseOptions opts;
  opts.group_of = [kb](const std::string& phrase) -> std::string {
    for (const auto& h : kb->Lookup(phrase))
      if (h.kind == kb::PayloadKind::kGroup && !kb->groups()[h.index].is_force)
        return kb->groups()[h.index].id;
    return "";
  };
  opts.province_of = [kb](const std::string& phrase) -> std::string {
    for (const auto& h : kb->Lookup(phrase))
      if (h.kind == kb::PayloadKind::kPlace && kb->places()[h.index].level == PlaceLevel::kAdmin1)
        return kb->places()[h.index].name;
    return "";
  };
  opts.as_of = store.Stats().last_date;
  Document d;
  d.id = "claim";
  d.text = text;
  d.published = opts.as_of;
  Extraction x = pipeline_->Extract(d);
  std::vector<Claim> parsed;
  for (auto c : x.claims) {
    query::NormaliseClaim(opts, &c);
    parsed.push_back(c);
  }
  if (parsed.empty()) {
    Claim c;
    if (query::ParseClaim(text, opts, &c)) parsed.push_back(c);
  }
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("as_of").String(opts.as_of);
  w.Key("checks").BeginArray();
  for (const auto& c : parsed) {
    query::ClaimCheck r = query::CheckClaim(store, c);
    w.BeginObject();
    w.Key("claim");
    WriteClaim(w, r.claim);
    w.Key("holds").Bool(r.holds);
    w.Key("note").String(r.note);
    w.Key("parts").BeginArray();
    for (const auto& part : r.parts) {
      w.BeginObject().Key("kind").String(part.kind).Key("label").String(part.label);
      w.Key("stated").Bool(part.stated).Key("expected").Int(part.expected);
      w.Key("counted").Int(part.counted).Key("holds").Bool(part.holds);
      w.Key("events").StringArray(part.cluster_ids).EndObject();
    }
    w.EndArray();
    w.Key("events").BeginArray();
    size_t n = 0;
    for (const auto& m : r.events) {
      if (++n > options_.max_page) break;
      WriteMerged(w, m);
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  if (parsed.empty())
    w.Key("error").String(
        "no countable claim found (expected \"N raids ... in P1, P2 and P3 provinces since DATE\")");
  w.EndObject();
  return Json(std::move(out));
}

Reply Api::ClaimList(Store& store) const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("claims").BeginArray();
  size_t n = 0;
  for (const auto& c : store.Claims()) {
    if (++n > options_.max_page) break;
    w.BeginObject().Key("doc_id").String(c.doc_id).Key("claim");
    WriteClaim(w, c.claim);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return Json(std::move(out));
}

Reply Api::Groups(Store& store) const {
  struct Edge {
    std::set<std::string> docs;
    std::vector<std::pair<std::string, Evidence>> evidence;
  };
  std::map<std::tuple<std::string, std::string, std::string>, Edge> edges;
  std::map<std::string, int64_t> nodes;
  for (const auto& r : store.Aggregate(EventFilter{}, GroupBy::kGroup))
    if (!r.key.empty()) nodes[r.key] = r.events;
  for (const auto& sr : store.Relations()) {
    const Relation& r = sr.relation;
    if (r.a.empty() || r.b.empty()) continue;
    Edge& e = edges[{r.a, r.b, r.kind}];
    e.docs.insert(sr.doc_id);
    for (const auto& ev : r.evidence)
      if (e.evidence.size() < 20) e.evidence.emplace_back(sr.doc_id, ev);
    nodes.emplace(r.a, 0);
    nodes.emplace(r.b, 0);
  }
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("nodes").BeginArray();
  for (const auto& [id, n] : nodes)
    w.BeginObject().Key("id").String(id).Key("name").String(GroupName(id)).Key("events").Int(n).EndObject();
  w.EndArray().Key("edges").BeginArray();
  for (const auto& [k, e] : edges) {
    w.BeginObject().Key("a").String(std::get<0>(k)).Key("b").String(std::get<1>(k));
    w.Key("kind").String(std::get<2>(k)).Key("documents").Int(static_cast<int64_t>(e.docs.size()));
    w.Key("evidence").BeginArray();
    for (const auto& [doc, ev] : e.evidence)
      w.BeginObject().Key("doc_id").String(doc).Key("text").String(ev.text).EndObject();
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
  return Json(std::move(out));
}

}  // namespace sitrep::serve
