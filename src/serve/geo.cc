#include "serve/geo.h"

#include <simdjson.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kb/knowledge_base.h"

namespace sitrep::serve {
namespace {

constexpr size_t kMaxBoundaryBytes = 64u << 20;

bool ReadFile(const std::string& path, size_t cap, std::string* out, std::string* error) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    *error = path + ": " + ec.message();
    return false;
  }
  if (size > cap) {
    *error = path + ": larger than " + std::to_string(cap >> 20) + " MiB";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in.good() && !in.eof()) {
    *error = path + ": cannot read";
    return false;
  }
  *out = ss.str();
  return true;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Canonical place name of `level` for `name`; for districts, one inside
// `province` (index) when several share the name.
std::string Canonical(const KnowledgeBase& kb, const std::string& name, PlaceLevel level,
                      int province, int* index) {
  std::string best;
  *index = -1;
  for (const auto& h : kb.Lookup(name)) {
    if (h.kind != kb::PayloadKind::kPlace) continue;
    const Place& p = kb.places()[h.index];
    if (p.level != level) continue;
    if (province >= 0 && !kb.IsWithin(static_cast<int>(h.index), province)) {
      if (best.empty()) {
        best = p.name;
        *index = static_cast<int>(h.index);
      }
      continue;
    }
    *index = static_cast<int>(h.index);
    return p.name;
  }
  return best;
}

}  // namespace

bool LoadBoundaryLayer(const std::string& path, const KnowledgeBase& kb, BoundaryLayer* out,
                       std::string* error) {
  BoundaryLayer layer;
  layer.path = path;
  if (!ReadFile(path, kMaxBoundaryBytes, &layer.bytes, error)) return false;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.parse(layer.bytes).get(doc); err) {
    *error = path + ": not JSON: " + simdjson::error_message(err);
    return false;
  }
  std::string_view type;
  simdjson::dom::array features;
  if (doc["type"].get(type) || type != "FeatureCollection" || doc["features"].get(features)) {
    *error = path + ": not a GeoJSON FeatureCollection";
    return false;
  }
  static const char* kNameProps[] = {"name", "shapeName", "NAME_2", "NAME_1", "ADM2_EN",
                                     "ADM1_EN", "district", "province", "admin2", "admin1"};
  static const char* kParentProps[] = {"province", "NAME_1", "ADM1_EN", "admin1"};
  std::string lower_path = Lower(std::filesystem::path(path).filename().string());
  bool districts_by_name = lower_path.find("adm2") != std::string::npos ||
                           lower_path.find("district") != std::string::npos;
  // Properties of the first feature decide which keys hold names.
  for (auto f : features) {
    simdjson::dom::object props;
    if (f["properties"].get(props)) continue;
    for (const char* k : kParentProps) {
      std::string_view v;
      if (!props[k].get(v)) {
        layer.province_property = k;
        break;
      }
    }
    for (const char* k : kNameProps) {
      std::string_view v;
      if (k == layer.province_property) continue;
      if (!props[k].get(v)) {
        layer.name_property = k;
        break;
      }
    }
    break;
  }
  if (layer.name_property.empty()) {
    *error = path + ": features carry no name property (name, shapeName, NAME_1, ...)";
    return false;
  }
  layer.level = (!layer.province_property.empty() || districts_by_name) ? "admin2" : "admin1";
  if (layer.level == "admin1") layer.province_property.clear();
  for (auto f : features) {
    BoundaryFeature bf;
    simdjson::dom::object props;
    if (!f["properties"].get(props)) {
      std::string_view v;
      if (!props[layer.name_property].get(v)) bf.name = std::string(v);
      if (!layer.province_property.empty() && !props[layer.province_property].get(v))
        bf.province = std::string(v);
    }
    int idx = -1, prov = -1;
    if (layer.level == "admin1") {
      bf.canonical = Canonical(kb, bf.name, PlaceLevel::kAdmin1, -1, &idx);
    } else {
      if (!bf.province.empty())
        bf.canonical_province = Canonical(kb, bf.province, PlaceLevel::kAdmin1, -1, &prov);
      bf.canonical = Canonical(kb, bf.name, PlaceLevel::kAdmin2, prov, &idx);
      if (bf.canonical_province.empty() && idx >= 0) {
        int a1 = kb.Admin1Of(idx);
        if (a1 >= 0) bf.canonical_province = kb.places()[static_cast<size_t>(a1)].name;
      }
    }
    layer.features.push_back(std::move(bf));
  }
  *out = std::move(layer);
  return true;
}

std::string FindOutlines(const std::string& configured) {
  namespace fs = std::filesystem;
  if (!configured.empty()) return fs::exists(configured) ? configured : "";
  if (const char* env = std::getenv("SITREP_OUTLINES"); env && *env && fs::exists(env)) return env;
  const std::string rel = "node_modules/world-atlas/countries-110m.json";
  for (const std::string& base : {std::string(SITREP_SOURCE_ROOT) + "/",
                                  std::string(SITREP_INSTALL_SHARE_DIR) + "/"})
    if (fs::exists(base + rel)) return base + rel;
  return "";
}

}  // namespace sitrep::serve
