// Map layers for the dashboard: boundary files given with --boundaries
// (GeoJSON FeatureCollections, e.g. geoBoundaries ADM1/ADM2) with each
// feature's name resolved to the store's canonical admin1/admin2 name through
// the knowledge base, and the country outlines (npm world-atlas TopoJSON).
#pragma once

#include <string>
#include <vector>

namespace sitrep {
class KnowledgeBase;
}

namespace sitrep::serve {

struct BoundaryFeature {
  std::string name;       // as in the file
  std::string province;   // parent name as in the file (districts), or ""
  std::string canonical;  // the store's admin1 (provinces) or admin2 name, or ""
  std::string canonical_province;  // districts: the store's admin1 name
};

struct BoundaryLayer {
  std::string level;      // "admin1" | "admin2"
  std::string path;
  std::string name_property;      // property holding the feature name
  std::string province_property;  // districts: property holding the province, or ""
  std::vector<BoundaryFeature> features;
  std::string bytes;      // the file, served as is
};

// Reads and checks one boundary file; the level comes from the properties
// (a province/ADM1 parent property means districts) or the file name.
bool LoadBoundaryLayer(const std::string& path, const KnowledgeBase& kb, BoundaryLayer* out,
                       std::string* error);

// Country outlines: `configured`, else $SITREP_OUTLINES, else world-atlas
// countries-110m.json under the source tree's or the install's node_modules.
// Returns "" when none is found (the map then draws a graticule).
std::string FindOutlines(const std::string& configured);

}  // namespace sitrep::serve
