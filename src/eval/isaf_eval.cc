#include "eval/isaf_eval.h"

#include <simdjson.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>

#include "util/json_writer.h"

namespace sitrep::eval {

const char* const kIsafFields[13] = {
    "start_date", "province", "target_group", "event_type", "min_killed",
    "min_captured", "killq", "captureq", "killcaptureraid", "airstrike",
    "noshotsfired", "min_leaders_killed", "min_leaders_captured"};

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool IsSetField(const std::string& f) {
  return f == "province" || f == "target_group" || f == "event_type";
}
bool IsIntField(const std::string& f) {
  return f == "min_leaders_killed" || f == "min_leaders_captured";
}

// A Python-like number: bools are ints, ints compare with floats.
bool AsNumber(element e, double* out, bool* is_int) {
  switch (e.type()) {
    case element_type::BOOL:
      *out = bool(e) ? 1 : 0;
      *is_int = true;
      return true;
    case element_type::INT64:
      *out = static_cast<double>(int64_t(e));
      *is_int = true;
      return true;
    case element_type::UINT64:
      *out = static_cast<double>(uint64_t(e));
      *is_int = true;
      return true;
    case element_type::DOUBLE:
      *out = double(e);
      *is_int = false;
      return true;
    default:
      return false;
  }
}

// Python `a == b` for JSON values (enough for the scorer's use).
bool PyEqual(element a, element b) {
  double x, y;
  bool xi, yi;
  if (AsNumber(a, &x, &xi) && AsNumber(b, &y, &yi)) return x == y;
  if (a.type() == element_type::STRING && b.type() == element_type::STRING)
    return std::string_view(a) == std::string_view(b);
  if (a.type() == element_type::NULL_VALUE && b.type() == element_type::NULL_VALUE) return true;
  if (a.type() == element_type::ARRAY && b.type() == element_type::ARRAY) {
    auto aa = simdjson::dom::array(a), bb = simdjson::dom::array(b);
    if (aa.size() != bb.size()) return false;
    auto it = bb.begin();
    for (element x1 : aa) {
      if (!PyEqual(x1, *it)) return false;
      ++it;
    }
    return true;
  }
  return false;  // objects are never compared by the scorer
}

// Python set() of a JSON value. Returns false where Python raises TypeError.
// Only hashable members matter; strings and numbers are kept as tagged text
// so that 1, 1.0 and true are one member, as in Python.
bool PySet(element v, std::set<std::string>* out) {
  auto key = [](element e, std::string* k) {
    double d;
    bool is_int;
    if (e.type() == element_type::STRING) {
      *k = "s:" + std::string(std::string_view(e));
      return true;
    }
    if (AsNumber(e, &d, &is_int)) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "n:%.17g", d);
      *k = buf;
      return true;
    }
    if (e.type() == element_type::NULL_VALUE) {
      *k = "null";
      return true;
    }
    return false;  // list / dict: unhashable
  };
  switch (v.type()) {
    case element_type::STRING: {
      // A bare string is wrapped in a list first.
      out->insert("s:" + std::string(std::string_view(v)));
      return true;
    }
    case element_type::ARRAY:
      for (element e : simdjson::dom::array(v)) {
        std::string k;
        if (!key(e, &k)) return false;
        out->insert(k);
      }
      return true;
    case element_type::OBJECT:
      for (auto field : simdjson::dom::object(v)) out->insert("s:" + std::string(field.key));
      return true;
    default:
      return false;
  }
}

double SetScore(element pred, element gold, bool exact) {
  std::set<std::string> ps, gs;
  if (!PySet(pred, &ps) || !PySet(gold, &gs)) return 0.0;
  if (exact) return ps == gs ? 1.0 : 0.0;
  if (gold.type() == element_type::ARRAY && simdjson::dom::array(gold).size() == 0) return 0.0;
  if (gold.type() == element_type::STRING && std::string_view(gold).empty()) return 0.0;
  if (gs.empty()) return 0.0;
  size_t inter = 0;
  for (const auto& k : ps) inter += gs.count(k);
  return static_cast<double>(inter) / static_cast<double>(gs.size());
}

bool Truthy(element e) {
  switch (e.type()) {
    case element_type::STRING: return !std::string_view(e).empty();
    case element_type::BOOL: return bool(e);
    case element_type::INT64: return int64_t(e) != 0;
    case element_type::UINT64: return uint64_t(e) != 0;
    case element_type::DOUBLE: return double(e) != 0;
    case element_type::ARRAY: return simdjson::dom::array(e).size() != 0;
    case element_type::OBJECT: return simdjson::dom::object(e).size() != 0;
    default: return false;
  }
}

double FieldScoreOf(const std::string& field, element ev, element gold, bool strict) {
  if (ev.type() != element_type::OBJECT) return 0.0;
  element g;
  bool has_g = !gold[field].get(g);
  element p;
  bool has_p = !ev[field].get(p);
  if (field == "start_date") {
    if (!has_p || !Truthy(p) || !has_g) return 0.0;
    return PyEqual(p, g) ? 1.0 : 0.0;
  }
  if (!has_p) return 0.0;
  if (IsSetField(field)) {
    if (!has_g) return 0.0;
    return SetScore(p, g, strict || field == "province");
  }
  if (IsIntField(field)) {
    double x, y;
    bool xi, yi;
    if (!has_g || !AsNumber(p, &x, &xi) || !xi || !AsNumber(g, &y, &yi) || !yi) return 0.0;
    return x == y ? 1.0 : 0.0;
  }
  if (!has_g) return p.type() == element_type::NULL_VALUE ? 1.0 : 0.0;
  return PyEqual(p, g) ? 1.0 : 0.0;
}

std::string ToJson(element e) { return simdjson::minify(e); }

}  // namespace

bool LoadGold(const std::string& path, GoldSet* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open";
    return false;
  }
  simdjson::dom::parser parser;
  std::string line;
  uint64_t ln = 0;
  while (std::getline(in, line)) {
    ++ln;
    if (ln == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    element row;
    if (parser.parse(line).get(row) || !row.is_object()) {
      *error = path + ":" + std::to_string(ln) + ": not a JSON object";
      return false;
    }
    std::string_view id;
    if (row["id"].get_string().get(id)) {
      *error = path + ":" + std::to_string(ln) + ": row without a string id";
      return false;
    }
    element g;
    if ((row["gold"].get(g) && row["gold_raw"].get(g)) || !g.is_object()) {
      *error = path + ":" + std::to_string(ln) + ": gold row without a gold object";
      return false;
    }
    std::string sid(id);
    if (out->gold_json.count(sid)) {
      *error = path + ":" + std::to_string(ln) + ": duplicate gold id '" + sid + "'";
      return false;
    }
    out->gold_json[sid] = ToJson(g);
    std::string_view text;
    if (!row["text"].get_string().get(text)) out->text[sid] = std::string(text);
    out->order.push_back(sid);
  }
  return true;
}

Report Score(const GoldSet& gold, const std::vector<std::string>& pred_lines,
             const std::string& source, const std::string& explain_id) {
  Report r;
  r.gold_rows = gold.order.size();
  simdjson::dom::parser row_parser;
  // Predictions kept as JSON text (or "" for an unusable one) per id.
  std::map<std::string, std::string> preds;
  std::map<std::string, int> warn_counts;
  auto warn = [&](const std::string& kind, const std::string& msg) {
    int n = ++warn_counts[kind];
    if (n <= 10) r.warnings.push_back("isaf_score: warning: " + msg);
    else if (n == 11)
      r.warnings.push_back("isaf_score: warning: further '" + kind + "' warnings suppressed");
  };
  uint64_t ln = 0;
  for (const auto& raw : pred_lines) {
    ++ln;
    if (raw.find_first_not_of(" \t\r\n\f\v") == std::string::npos) continue;
    ++r.stats.rows;
    std::string where = source + ":" + std::to_string(ln);
    element row;
    if (row_parser.parse(raw).get(row)) {
      ++r.stats.bad_rows;
      warn("bad_json", where + ": not valid JSON; ignored");
      continue;
    }
    if (!row.is_object()) {
      ++r.stats.bad_rows;
      warn("not_object", where + ": row is not a JSON object; ignored");
      continue;
    }
    std::string_view idv;
    if (row["id"].get_string().get(idv)) {
      ++r.stats.bad_rows;
      warn("no_id", where + ": row has no string 'id'; ignored");
      continue;
    }
    std::string id(idv);
    if (!gold.gold_json.count(id)) {
      ++r.stats.unknown_ids;
      warn("unknown_id", where + ": id '" + id + "' is not in the gold file; ignored");
      continue;
    }
    if (preds.count(id)) {
      ++r.stats.duplicate_ids;
      warn("duplicate_id", where + ": duplicate id '" + id + "'; keeping the first");
      continue;
    }
    element ev;
    std::string ev_json;
    if (!row["event"].get(ev)) {
      if (ev.type() == element_type::STRING) {
        std::string inner{std::string_view(ev)};
        simdjson::dom::parser p2;
        element parsed;
        if (inner.find_first_not_of(" \t\r\n") == std::string::npos) {
          ev_json.clear();
        } else if (p2.parse(inner).get(parsed)) {
          ++r.stats.bad_rows;
          warn("bad_event", where + ": id '" + id + "': 'event' string is not valid JSON; scored as wrong");
          preds[id] = "";
          continue;
        } else {
          ev_json = ToJson(parsed);
        }
      } else {
        ev_json = ToJson(ev);
      }
    } else {
      // Fields at the top level next to "id".
      std::string obj = "{";
      bool first = true;
      for (auto field : simdjson::dom::object(row)) {
        if (field.key == "id") continue;
        if (!first) obj += ",";
        first = false;
        util::AppendJsonString(&obj, field.key);
        obj += ":" + ToJson(field.value);
      }
      ev_json = obj + "}";
    }
    if (ev_json.empty() || ev_json[0] != '{') {
      ++r.stats.bad_rows;
      warn("bad_event", where + ": id '" + id + "': prediction is not a JSON object; scored as wrong");
      ev_json.clear();
    }
    preds[id] = ev_json;
  }

  simdjson::dom::parser gp, pp;
  for (const auto& id : gold.order) {
    auto it = preds.find(id);
    if (it == preds.end()) continue;
    ++r.matched;
    if (it->second.empty()) continue;
    ++r.usable;
    element g = gp.parse(gold.gold_json.at(id)).value();
    element ev = pp.parse(it->second).value();
    for (int f = 0; f < 13; ++f) {
      r.fields[f].published += FieldScoreOf(kIsafFields[f], ev, g, false);
      r.fields[f].strict += FieldScoreOf(kIsafFields[f], ev, g, true);
    }
  }
  r.missing = r.gold_rows - r.matched;
  double tp = 0, ts = 0;
  for (int f = 0; f < 13; ++f) {
    tp += r.fields[f].published;
    ts += r.fields[f].strict;
  }
  double n = static_cast<double>(r.gold_rows);
  r.aggregate_published = n > 0 ? (tp / 13) / n * 100 : 0.0;
  r.aggregate_strict = n > 0 ? (ts / 13) / n * 100 : 0.0;
  if (r.missing > 0)
    r.warnings.push_back("isaf_score: warning: " + std::to_string(r.missing) + " of " +
                         std::to_string(r.gold_rows) +
                         " gold ids have no prediction row (scored as wrong)");

  if (!explain_id.empty() && gold.gold_json.count(explain_id)) {
    element g = gp.parse(gold.gold_json.at(explain_id)).value();
    auto it = preds.find(explain_id);
    bool usable = it != preds.end() && !it->second.empty();
    std::string ev_text = usable ? it->second : "null";
    simdjson::dom::parser ep;
    element ev = ep.parse(ev_text).value();
    std::string out = "explain " + explain_id + ":\n";
    if (!usable) out += "  (no usable prediction for this id: every field scores 0)\n";
    char buf[512];
    std::snprintf(buf, sizeof buf, "  %-20s  %-5s %-5s  %-40s  %s\n", "field", "pub", "strict",
                  "gold", "pred");
    out += buf;
    for (int f = 0; f < 13; ++f) {
      std::string field = kIsafFields[f];
      double pub = usable ? FieldScoreOf(field, ev, g, false) : 0.0;
      double st = usable ? FieldScoreOf(field, ev, g, true) : 0.0;
      element gv, pv;
      std::string gs = g[field].get(gv) ? "null" : ToJson(gv);
      std::string ps = !usable ? "<none>" : (ev[field].get(pv) ? "<missing>" : ToJson(pv));
      std::snprintf(buf, sizeof buf, "  %-20s  %-5.2f %-5.2f   %-40s  %s%s\n", field.c_str(), pub,
                    st, gs.c_str(), ps.c_str(), (pub == 1.0 && st == 1.0) ? "" : "   <--");
      out += buf;
    }
    r.explain = out;
  }
  return r;
}

std::string FormatText(const Report& r) {
  std::string out;
  char buf[256];
  if (!r.explain.empty()) out += r.explain + "\n";
  std::snprintf(buf, sizeof buf,
                "gold rows: %zu  prediction rows: %llu  matched: %zu  usable: %zu  missing: %zu  "
                "bad: %llu  unknown ids: %llu  duplicate ids: %llu\n",
                r.gold_rows, static_cast<unsigned long long>(r.stats.rows), r.matched, r.usable,
                r.missing, static_cast<unsigned long long>(r.stats.bad_rows),
                static_cast<unsigned long long>(r.stats.unknown_ids),
                static_cast<unsigned long long>(r.stats.duplicate_ids));
  out += buf;
  std::snprintf(buf, sizeof buf, "%-22s %10s %10s\n", "field", "published", "strict");
  out += buf;
  double n = static_cast<double>(r.gold_rows);
  for (int f = 0; f < 13; ++f) {
    std::snprintf(buf, sizeof buf, "%-22s %10.2f %10.2f\n", kIsafFields[f],
                  n > 0 ? r.fields[f].published / n * 100 : 0.0,
                  n > 0 ? r.fields[f].strict / n * 100 : 0.0);
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "aggregate_published: %.2f\naggregate_strict: %.2f\naggregate: %.2f\n",
                r.aggregate_published, r.aggregate_strict, r.aggregate_published);
  out += buf;
  return out;
}

std::string FormatJson(const Report& r) {
  std::string out;
  util::JsonWriter w(&out);
  double n = static_cast<double>(r.gold_rows);
  auto round4 = [](double v) { return std::round(v * 10000.0) / 10000.0; };
  w.BeginObject();
  w.Key("gold_rows").Int(static_cast<int64_t>(r.gold_rows));
  w.Key("pred_rows").Int(static_cast<int64_t>(r.stats.rows));
  w.Key("matched").Int(static_cast<int64_t>(r.matched));
  w.Key("usable").Int(static_cast<int64_t>(r.usable));
  w.Key("missing").Int(static_cast<int64_t>(r.missing));
  w.Key("bad_rows").Int(static_cast<int64_t>(r.stats.bad_rows));
  w.Key("unknown_ids").Int(static_cast<int64_t>(r.stats.unknown_ids));
  w.Key("duplicate_ids").Int(static_cast<int64_t>(r.stats.duplicate_ids));
  w.Key("fields").BeginObject();
  for (int f = 0; f < 13; ++f) {
    w.Key(kIsafFields[f]).BeginObject();
    w.Key("published").Double(round4(n > 0 ? r.fields[f].published / n * 100 : 0.0));
    w.Key("strict").Double(round4(n > 0 ? r.fields[f].strict / n * 100 : 0.0));
    w.Key("published_total").Double(round4(r.fields[f].published));
    w.Key("strict_total").Double(round4(r.fields[f].strict));
    w.EndObject();
  }
  w.EndObject();
  w.Key("aggregate_published").Double(round4(r.aggregate_published));
  w.Key("aggregate_strict").Double(round4(r.aggregate_strict));
  w.Key("aggregate").Double(round4(r.aggregate_published));
  w.EndObject();
  char buf[64];
  std::snprintf(buf, sizeof buf, "\naggregate: %.2f\n", r.aggregate_published);
  return out + buf;
}

}  // namespace sitrep::eval
