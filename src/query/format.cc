#include "query/format.h"

#include <cstdio>
#include <map>

#include "util/json_writer.h"

namespace sitrep::query {
namespace {

std::string Join(const std::vector<std::string>& v, const char* sep = ",") {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string Opt(const std::optional<int>& v) { return v ? std::to_string(*v) : ""; }

std::string Coord(const std::optional<double>& v) {
  if (!v) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", *v);
  return buf;
}

void EventJson(util::JsonWriter& w, const MergedEvent& e) {
  w.Key("cluster_id").String(e.cluster_id);
  w.Key("date").String(e.date);
  w.Key("date_precision").String(e.date_precision);
  w.Key("types").StringArray(e.types);
  w.Key("location").BeginObject();
  w.Key("country").String(e.country);
  w.Key("admin1").String(e.admin1);
  w.Key("admin2").String(e.admin2);
  w.Key("place").String(e.place);
  w.Key("lat").OptDouble(e.lat);
  w.Key("lon").OptDouble(e.lon);
  w.Key("precision").String(e.geo_precision);
  w.EndObject();
  w.Key("actor").String(e.actor);
  w.Key("target_groups").StringArray(e.groups);
  w.Key("killed").OptInt(e.killed);
  w.Key("captured").OptInt(e.captured);
  w.Key("leaders_killed").OptInt(e.leaders_killed);
  w.Key("leaders_captured").OptInt(e.leaders_captured);
  w.Key("count").Int(e.count);
  w.Key("sources").Int(e.sources);
}

const char* CountryName(const std::string& iso) {
  static const std::map<std::string, const char*> k = {
      {"AF", "Afghanistan"}, {"PK", "Pakistan"}, {"IQ", "Iraq"},     {"SY", "Syria"},
      {"YE", "Yemen"},       {"SO", "Somalia"},  {"LY", "Libya"},    {"ML", "Mali"},
      {"NG", "Nigeria"},     {"PH", "Philippines"}, {"EG", "Egypt"}, {"IR", "Iran"}};
  auto it = k.find(iso);
  return it == k.end() ? iso.c_str() : it->second;
}

bool Has(const std::vector<std::string>& v, const char* t) {
  for (const auto& x : v)
    if (x == t) return true;
  return false;
}

// ACLED event type and sub-event type for a merged event.
std::pair<std::string, std::string> AcledType(const MergedEvent& e) {
  const auto& t = e.types;
  if (Has(t, "suicide_attack")) return {"Explosions/Remote violence", "Suicide bomb"};
  if (Has(t, "airstrike") || Has(t, "drone_strike")) return {"Explosions/Remote violence", "Air/drone strike"};
  if (Has(t, "artillery")) return {"Explosions/Remote violence", "Shelling/artillery/missile attack"};
  if (Has(t, "ied")) return {"Explosions/Remote violence", "Remote explosive/landmine/IED"};
  if (Has(t, "clash") || e.killed.value_or(0) > 0) return {"Battles", "Armed clash"};
  if (Has(t, "assassination")) return {"Violence against civilians", "Attack"};
  if (Has(t, "weapons_seizure")) return {"Strategic developments", "Disrupted weapons use"};
  if (Has(t, "raid") || Has(t, "detention")) return {"Strategic developments", "Arrests"};
  return {"Strategic developments", "Other"};
}

}  // namespace

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string FormatEvents(const std::vector<MergedEvent>& events, const std::string& format) {
  std::string out;
  if (format == "json" || format == "geojson") {
    util::JsonWriter w(&out);
    bool geo = format == "geojson";
    if (geo) w.BeginObject().Key("type").String("FeatureCollection").Key("features");
    w.BeginArray();
    for (const auto& e : events) {
      if (geo) {
        w.BeginObject().Key("type").String("Feature").Key("geometry");
        if (e.lat && e.lon)
          w.BeginObject().Key("type").String("Point").Key("coordinates").BeginArray()
              .Double(*e.lon).Double(*e.lat).EndArray().EndObject();
        else
          w.Null();
        w.Key("properties");
      }
      w.BeginObject();
      EventJson(w, e);
      w.EndObject();
      if (geo) w.EndObject();
    }
    w.EndArray();
    if (geo) w.EndObject();
    return out + "\n";
  }
  if (format == "csv") {
    out = "cluster_id,date,types,country,admin1,admin2,place,lat,lon,groups,killed,captured,"
          "leaders_killed,leaders_captured,count,sources\n";
    for (const auto& e : events) {
      std::vector<std::string> f = {e.cluster_id, e.date, Join(e.types, "|"), e.country,
                                    e.admin1, e.admin2, e.place, Coord(e.lat), Coord(e.lon),
                                    Join(e.groups, "|"), Opt(e.killed), Opt(e.captured),
                                    Opt(e.leaders_killed), Opt(e.leaders_captured),
                                    std::to_string(e.count), std::to_string(e.sources)};
      std::string line;
      for (size_t i = 0; i < f.size(); ++i) line += (i ? "," : "") + CsvField(f[i]);
      out += line + "\n";
    }
    return out;
  }
  char buf[512];
  out = "cluster           date        types                province      district        groups          killed capt. count src\n";
  for (const auto& e : events) {
    std::snprintf(buf, sizeof buf, "%-17s %-11s %-20s %-13s %-15s %-15s %6s %5s %5d %3d\n",
                  e.cluster_id.substr(0, 17).c_str(), e.date.c_str(),
                  Join(e.types).substr(0, 20).c_str(), e.admin1.substr(0, 13).c_str(),
                  e.admin2.substr(0, 15).c_str(), Join(e.groups).substr(0, 15).c_str(),
                  e.killed ? std::to_string(*e.killed).c_str() : "-",
                  e.captured ? std::to_string(*e.captured).c_str() : "-", e.count, e.sources);
    out += buf;
  }
  return out;
}

std::string FormatAggregate(const std::vector<AggregateRow>& rows, const std::string& by,
                            const std::string& format) {
  std::string out;
  if (format == "json" || format == "geojson") {
    util::JsonWriter w(&out);
    w.BeginArray();
    for (const auto& r : rows)
      w.BeginObject().Key(by).String(r.key).Key("events").Int(r.events).Key("count").Int(r.count)
          .Key("killed").Int(r.killed).Key("captured").Int(r.captured).EndObject();
    w.EndArray();
    return out + "\n";
  }
  if (format == "csv") {
    out = by + ",events,count,killed,captured\n";
    for (const auto& r : rows)
      out += CsvField(r.key) + "," + std::to_string(r.events) + "," + std::to_string(r.count) +
             "," + std::to_string(r.killed) + "," + std::to_string(r.captured) + "\n";
    return out;
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-28s %8s %8s %8s %8s\n", by.c_str(), "events", "count",
                "killed", "captured");
  out = buf;
  for (const auto& r : rows) {
    std::snprintf(buf, sizeof buf, "%-28s %8lld %8lld %8lld %8lld\n",
                  (r.key.empty() ? "(unknown)" : r.key).c_str(),
                  static_cast<long long>(r.events), static_cast<long long>(r.count),
                  static_cast<long long>(r.killed), static_cast<long long>(r.captured));
    out += buf;
  }
  return out;
}

std::string FormatAcled(Store& store, const std::vector<MergedEvent>& events) {
  std::string out =
      "event_date,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,location,"
      "latitude,longitude,geo_precision,source,notes,fatalities\n";
  for (const auto& e : events) {
    auto [type, sub] = AcledType(e);
    std::vector<SourceEvent> src = store.Sources(e.cluster_id);
    std::string sources, notes;
    for (const auto& s : src) {
      std::string name = !s.url.empty() ? s.url : (!s.title.empty() ? s.title : s.doc_id);
      if (sources.find(name) == std::string::npos) sources += (sources.empty() ? "" : "; ") + name;
      if (notes.empty() && !s.event.evidence.empty()) notes = s.event.evidence[0].text;
    }
    // ACLED geo_precision: 1 the place itself, 2 near it / a district, 3 a province.
    std::string gp = e.geo_precision == "place" ? "1" : e.geo_precision == "admin2" ? "2"
                   : e.geo_precision.empty() ? "" : "3";
    std::string location = !e.place.empty() ? e.place : !e.admin2.empty() ? e.admin2 : e.admin1;
    std::string actor1 = e.actor.empty() ? std::string("Military Forces") : e.actor;
    std::vector<std::string> f = {e.date, type, sub, actor1, Join(e.groups, "; "),
                                  CountryName(e.country), e.admin1, e.admin2, location,
                                  Coord(e.lat), Coord(e.lon), gp, sources, notes,
                                  std::to_string(e.killed.value_or(0))};
    std::string line;
    for (size_t i = 0; i < f.size(); ++i) line += (i ? "," : "") + CsvField(f[i]);
    out += line + "\n";
  }
  return out;
}

std::string FormatExplainMerge(const std::vector<SourceEvent>& sources) {
  if (sources.empty()) return "no such event or cluster\n";
  std::string out = "merged event " + sources[0].cluster_id + ": " +
                    std::to_string(sources.size()) + " report" +
                    (sources.size() == 1 ? "" : "s") + "\n";
  for (const auto& s : sources) {
    const Event& e = s.event;
    out += "- " + s.event_id + " from " + s.doc_id + (s.url.empty() ? "" : " <" + s.url + ">") +
           ": " + e.date + " " + e.location.admin1 +
           (e.location.admin2.empty() ? "" : "/" + e.location.admin2) +
           (e.location.place.empty() ? "" : "/" + e.location.place) + " " + Join(e.types) +
           (e.target_groups.empty() ? "" : " against " + Join(e.target_groups)) + "\n";
    if (s.merged_with.empty())
      out += "  first report of this event\n";
    else
      out += "  merged with " + s.merged_with + ": " + s.merge_reason + "\n";
    for (const auto& ev : e.evidence) out += "  \"" + ev.text + "\"\n";
  }
  return out;
}

}  // namespace sitrep::query
