// The brief's drawings: a monthly timeline (stacked bars) and a map of the
// events (equirectangular projection scaled by the cosine of the central
// latitude, graticule, optional province outlines from GeoJSON). Plain SVG,
// no scripts, no external references; tooltips are <title> elements.
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "report/report.h"

namespace sitrep::report {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr const char* kRaidColour = "#1f4e79";
constexpr const char* kStrikeColour = "#c8651b";
constexpr const char* kOtherColour = "#8a96a3";

std::string Esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string F(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const char* ShortMonth(const std::string& ym) {
  static const char* const k[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int m = ym.size() >= 7 ? std::atoi(ym.substr(5, 2).c_str()) : 0;
  return m >= 1 && m <= 12 ? k[m - 1] : "?";
}

// A tick step giving about four gridlines up to `max`.
int64_t Step(int64_t max) {
  int64_t step = 1;
  for (int64_t base = 1;; base *= 10) {
    for (int64_t m : {1, 2, 5}) {
      step = base * m;
      if (max / step <= 5) return step;
    }
  }
}

std::string EventKind(const EventEntry& e) {
  return e.raid ? "raid" : e.strike ? "strike" : "other";
}

const char* Colour(const EventEntry& e) {
  return e.raid ? kRaidColour : e.strike ? kStrikeColour : kOtherColour;
}

std::string Where(const MergedEvent& m) {
  std::string s;
  for (const auto* p : {&m.place, &m.admin2, &m.admin1})
    if (!p->empty() && s.find(*p) == std::string::npos) s += (s.empty() ? "" : ", ") + *p;
  return s.empty() ? "place unknown" : s;
}

}  // namespace

std::string TimelineSvg(const Brief& b) {
  const int W = 720, H = 270, L = 44, R = 12, T = 40, B = 46;
  int n = static_cast<int>(b.months.size());
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << W << ' ' << H
    << "\" width=\"" << W << "\" height=\"" << H
    << "\" role=\"img\" aria-label=\"Monthly timeline of raids and strikes\""
       " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n";
  o << "<title>Raids and strikes per month</title>\n";
  o << "<rect width=\"" << W << "\" height=\"" << H << "\" fill=\"#ffffff\"/>\n";
  // Legend.
  int lx = L;
  for (auto [label, colour] : {std::pair{"raids", kRaidColour}, std::pair{"air strikes", kStrikeColour},
                               std::pair{"other incidents", kOtherColour}}) {
    o << "<rect x=\"" << lx << "\" y=\"12\" width=\"10\" height=\"10\" fill=\"" << colour
      << "\"/><text x=\"" << lx + 14 << "\" y=\"21\" fill=\"#333\">" << label << "</text>\n";
    lx += 22 + static_cast<int>(std::string(label).size()) * 6 + 14;
  }
  o << "<text x=\"" << W - R << "\" y=\"21\" text-anchor=\"end\" fill=\"#666\">lighter bars: "
       "previous period</text>\n";
  if (n == 0) {
    o << "<text x=\"" << W / 2 << "\" y=\"" << H / 2
      << "\" text-anchor=\"middle\" fill=\"#666\">no dated events</text></svg>\n";
    return o.str();
  }
  int64_t max = 1;
  for (const auto& m : b.months) max = std::max(max, m.raids + m.strikes + m.other);
  int64_t step = Step(max);
  int64_t top = ((max + step - 1) / step) * step;
  double pw = W - L - R, ph = H - T - B;
  auto y_of = [&](double v) { return T + ph - ph * v / static_cast<double>(top); };
  for (int64_t v = 0; v <= top; v += step) {
    o << "<line x1=\"" << L << "\" x2=\"" << W - R << "\" y1=\"" << F(y_of(static_cast<double>(v)))
      << "\" y2=\"" << F(y_of(static_cast<double>(v))) << "\" stroke=\"" << (v == 0 ? "#444" : "#e1e5ea")
      << "\"/>\n<text x=\"" << L - 6 << "\" y=\"" << F(y_of(static_cast<double>(v)) + 4)
      << "\" text-anchor=\"end\" fill=\"#555\">" << v << "</text>\n";
  }
  double slot = pw / n, bw = std::min(46.0, slot * 0.7);
  int label_every = n <= 16 ? 1 : (n + 15) / 16;
  int boundary = -1;
  for (int i = 0; i < n; ++i) {
    const MonthRow& m = b.months[static_cast<size_t>(i)];
    if (i > 0 && b.months[static_cast<size_t>(i - 1)].previous && !m.previous) boundary = i;
    double x = L + slot * i + (slot - bw) / 2;
    double base = 0;
    std::string tip = MonthName(m.month, true) + ": " + std::to_string(m.raids) + " raids, " +
                      std::to_string(m.strikes) + " strikes, " + std::to_string(m.other) +
                      " other" + (m.previous ? " (previous period)" : "");
    o << "<g opacity=\"" << (m.previous ? "0.45" : "1") << "\"><title>" << Esc(tip) << "</title>\n";
    for (auto [v, colour] : {std::pair{m.raids, kRaidColour}, std::pair{m.strikes, kStrikeColour},
                             std::pair{m.other, kOtherColour}}) {
      if (v <= 0) continue;
      double y0 = y_of(base), y1 = y_of(base + static_cast<double>(v));
      o << "<rect x=\"" << F(x) << "\" y=\"" << F(y1) << "\" width=\"" << F(bw) << "\" height=\""
        << F(y0 - y1) << "\" fill=\"" << colour << "\"/>\n";
      base += static_cast<double>(v);
    }
    int64_t total = m.raids + m.strikes + m.other;
    if (total > 0)
      o << "<text x=\"" << F(x + bw / 2) << "\" y=\"" << F(y_of(base) - 4)
        << "\" text-anchor=\"middle\" fill=\"#222\">" << total << "</text>\n";
    o << "</g>\n";
    if (i % label_every == 0) {
      o << "<text x=\"" << F(x + bw / 2) << "\" y=\"" << T + ph + 15
        << "\" text-anchor=\"middle\" fill=\"#333\">" << ShortMonth(m.month) << "</text>\n";
      if (i == 0 || m.month.compare(5, 2, "01") == 0)
        o << "<text x=\"" << F(x + bw / 2) << "\" y=\"" << T + ph + 29
          << "\" text-anchor=\"middle\" fill=\"#666\">" << m.month.substr(0, 4) << "</text>\n";
    }
  }
  if (boundary > 0) {
    double x = L + slot * boundary;
    o << "<line x1=\"" << F(x) << "\" x2=\"" << F(x) << "\" y1=\"" << T - 6 << "\" y2=\"" << T + ph
      << "\" stroke=\"#b33\" stroke-dasharray=\"4 3\"/>\n<text x=\"" << F(x + 4) << "\" y=\""
      << T + 4 << "\" fill=\"#b33\">this period</text>\n<text x=\"" << F(x - 4) << "\" y=\""
      << T + 4 << "\" text-anchor=\"end\" fill=\"#b33\">previous</text>\n";
  }
  o << "</svg>\n";
  return o.str();
}

std::string MapSvg(const Brief& b, const Boundaries* boundaries) {
  const int W = 720, H = 480, PAD = 24;
  std::vector<const EventEntry*> pts;
  for (const auto& e : b.events)
    if (e.ev.lat && e.ev.lon) pts.push_back(&e);
  std::set<std::string> provinces;
  for (const auto& e : b.events)
    if (!e.ev.admin1.empty()) provinces.insert(Lower(e.ev.admin1));
  double la0 = 90, la1 = -90, lo0 = 180, lo1 = -180;
  auto extend = [&](double lon, double lat) {
    la0 = std::min(la0, lat);
    la1 = std::max(la1, lat);
    lo0 = std::min(lo0, lon);
    lo1 = std::max(lo1, lon);
  };
  for (const auto* e : pts) extend(*e->ev.lon, *e->ev.lat);
  if (boundaries)
    for (const auto& s : boundaries->shapes)
      if (pts.empty() || provinces.count(Lower(s.name)))
        for (const auto& ring : s.rings)
          for (auto [lon, lat] : ring) extend(lon, lat);
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << W << ' ' << H
    << "\" width=\"" << W << "\" height=\"" << H
    << "\" role=\"img\" aria-label=\"Map of the events\""
       " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n";
  o << "<title>Events on the map</title>\n";
  o << "<rect width=\"" << W << "\" height=\"" << H << "\" fill=\"#eef3f7\"/>\n";
  if (la0 > la1) {
    o << "<text x=\"" << W / 2 << "\" y=\"" << H / 2
      << "\" text-anchor=\"middle\" fill=\"#666\">no event has coordinates</text></svg>\n";
    return o.str();
  }
  // At least a degree and a half across, plus a margin.
  double clat = (la0 + la1) / 2, clon = (lo0 + lo1) / 2;
  double hlat = std::max((la1 - la0) / 2 * 1.15, 0.75);
  double hlon = std::max((lo1 - lo0) / 2 * 1.15, 0.75);
  la0 = std::max(-89.0, clat - hlat);
  la1 = std::min(89.0, clat + hlat);
  lo0 = clon - hlon;
  lo1 = clon + hlon;
  double kx = std::cos(clat * kPi / 180);
  double sx = (W - 2 * PAD) / ((lo1 - lo0) * kx), sy = (H - 2 * PAD) / (la1 - la0);
  double s = std::min(sx, sy);
  double ox = W / 2.0 - (clon - lo0) * kx * s, oy = H / 2.0 - (la1 - clat) * s;
  auto X = [&](double lon) { return ox + (lon - lo0) * kx * s; };
  auto Y = [&](double lat) { return oy + (la1 - lat) * s; };
  // Graticule.
  double span = std::max(la1 - la0, lo1 - lo0);
  double g = span > 40 ? 10 : span > 16 ? 5 : span > 6 ? 2 : span > 2.5 ? 1 : 0.5;
  o << "<g stroke=\"#d5dee6\" stroke-width=\"1\">\n";
  for (double lat = std::ceil(la0 / g) * g; lat <= la1; lat += g)
    o << "<line x1=\"0\" x2=\"" << W << "\" y1=\"" << F(Y(lat)) << "\" y2=\"" << F(Y(lat))
      << "\"/>\n";
  for (double lon = std::ceil(lo0 / g) * g; lon <= lo1; lon += g)
    o << "<line y1=\"0\" y2=\"" << H << "\" x1=\"" << F(X(lon)) << "\" x2=\"" << F(X(lon))
      << "\"/>\n";
  o << "</g>\n<g fill=\"#7b8a99\" font-size=\"10\">\n";
  for (double lat = std::ceil(la0 / g) * g; lat <= la1; lat += g)
    o << "<text x=\"4\" y=\"" << F(Y(lat) - 3) << "\">" << F(lat) << "&#176;" << (lat >= 0 ? "N" : "S")
      << "</text>\n";
  for (double lon = std::ceil(lo0 / g) * g; lon <= lo1; lon += g)
    o << "<text x=\"" << F(X(lon) + 3) << "\" y=\"" << H - 5 << "\">" << F(lon) << "&#176;"
      << (lon >= 0 ? "E" : "W") << "</text>\n";
  o << "</g>\n";
  // Province outlines; the provinces with events are shaded.
  if (boundaries) {
    o << "<g stroke=\"#8fa1b3\" stroke-width=\"0.8\" stroke-linejoin=\"round\">\n";
    for (const auto& shape : boundaries->shapes) {
      std::string d;
      for (const auto& ring : shape.rings) {
        double px = 1e9, py = 1e9;
        size_t kept = 0;
        for (size_t i = 0; i < ring.size(); ++i) {
          double x = X(ring[i].first), y = Y(ring[i].second);
          bool last = i + 1 == ring.size();
          if (kept > 0 && !last && std::abs(x - px) < 0.7 && std::abs(y - py) < 0.7) continue;
          d += (kept == 0 ? "M" : "L") + F(x) + "," + F(y);
          px = x;
          py = y;
          ++kept;
        }
        if (kept > 0) d += "Z";
      }
      if (d.empty()) continue;
      bool hit = provinces.count(Lower(shape.name)) > 0;
      o << "<path fill=\"" << (hit ? "#fbe3c4" : "#ffffff") << "\" d=\"" << d << "\"><title>"
        << Esc(shape.name) << "</title></path>\n";
    }
    o << "</g>\n";
  }
  // Province labels centred under the lowest of their events.
  std::map<std::string, std::pair<double, double>> sum;  // (sum of x, lowest y)
  std::map<std::string, int> cnt;
  for (const auto* e : pts) {
    if (e->ev.admin1.empty()) continue;
    auto& p = sum[e->ev.admin1];
    p.first += X(*e->ev.lon);
    p.second = cnt[e->ev.admin1] == 0 ? Y(*e->ev.lat) : std::max(p.second, Y(*e->ev.lat));
    ++cnt[e->ev.admin1];
  }
  // Events at the same spot are spread on a small circle.
  std::map<std::pair<long, long>, std::vector<const EventEntry*>> spots;
  for (const auto* e : pts)
    spots[{std::lround(X(*e->ev.lon)), std::lround(Y(*e->ev.lat))}].push_back(e);
  o << "<g>\n";
  for (const auto& [k, v] : spots) {
    for (size_t i = 0; i < v.size(); ++i) {
      const EventEntry& e = *v[i];
      double x = X(*e.ev.lon), y = Y(*e.ev.lat);
      if (v.size() > 1) {
        double a = 2 * kPi * static_cast<double>(i) / static_cast<double>(v.size());
        x += 9 * std::cos(a);
        y += 9 * std::sin(a);
      }
      double r = 4.5 + 1.5 * std::sqrt(static_cast<double>(std::max(1, e.operations)));
      std::string tip = "E" + std::to_string(e.n) + " " + e.ev.date + " " + Where(e.ev) + ": " +
                        EventKind(e);
      if (e.ev.killed) tip += ", " + std::to_string(*e.ev.killed) + " killed";
      if (e.ev.captured) tip += ", " + std::to_string(*e.ev.captured) + " captured";
      o << "<g><title>" << Esc(tip) << "</title><circle cx=\"" << F(x) << "\" cy=\"" << F(y)
        << "\" r=\"" << F(r) << "\" fill=\"" << Colour(e)
        << "\" fill-opacity=\"0.85\" stroke=\"#fff\" stroke-width=\"1.2\"/>";
      if (pts.size() <= 60)
        o << "<text x=\"" << F(x + r + 1) << "\" y=\"" << F(y - r + 2)
          << "\" font-size=\"9\" fill=\"#223\">E" << e.n << "</text>";
      o << "</g>\n";
    }
  }
  o << "</g>\n<g font-size=\"12\" font-weight=\"bold\" fill=\"#3b4a5a\" text-anchor=\"middle\">\n";
  for (const auto& [name, p] : sum) {
    double n = cnt[name];
    o << "<text x=\"" << F(p.first / n) << "\" y=\"" << F(std::min(p.second + 26, H - 18.0))
      << "\" paint-order=\"stroke\" stroke=\"#eef3f7\" stroke-width=\"3\">" << Esc(name)
      << "</text>\n";
  }
  o << "</g>\n";
  // Legend.
  o << "<g font-size=\"11\" fill=\"#333\"><rect x=\"" << W - 150 << "\" y=\"8\" width=\"142\" "
    << "height=\"62\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#c9d3dc\"/>\n";
  int ly = 24;
  for (auto [label, colour] : {std::pair{"raid", kRaidColour}, std::pair{"air strike", kStrikeColour},
                               std::pair{"other incident", kOtherColour}}) {
    o << "<circle cx=\"" << W - 136 << "\" cy=\"" << ly - 4 << "\" r=\"5\" fill=\"" << colour
      << "\"/><text x=\"" << W - 124 << "\" y=\"" << ly << "\">" << label << "</text>\n";
    ly += 17;
  }
  o << "</g>\n";
  size_t missing = b.events.size() - pts.size();
  if (missing > 0)
    o << "<text x=\"8\" y=\"16\" fill=\"#555\">" << missing
      << (missing == 1 ? " event has" : " events have") << " no coordinates and is not drawn</text>\n";
  o << "</svg>\n";
  return o.str();
}

namespace {

bool Ring(simdjson::dom::array coords, std::vector<std::pair<double, double>>* out,
          size_t* budget) {
  for (auto p : coords) {
    simdjson::dom::array xy;
    if (p.get(xy) || xy.size() < 2) return false;
    double lon, lat;
    if (xy.at(0).get(lon) || xy.at(1).get(lat)) return false;
    if (!std::isfinite(lon) || !std::isfinite(lat) || std::abs(lon) > 180 || std::abs(lat) > 90)
      return false;
    if ((*budget)-- == 0) return false;
    out->push_back({lon, lat});
  }
  return true;
}

bool Geometry(simdjson::dom::element g, Boundaries::Shape* shape, size_t* budget, int depth) {
  if (depth > 8) return false;
  std::string_view type;
  if (g["type"].get(type)) return false;
  if (type == "GeometryCollection") {
    simdjson::dom::array gs;
    if (g["geometries"].get(gs)) return false;
    for (auto x : gs)
      if (!Geometry(x, shape, budget, depth + 1)) return false;
    return true;
  }
  simdjson::dom::array c;
  if (g["coordinates"].get(c)) return type == "Point" || type == "MultiPoint" ||
                                        type == "LineString" || type == "MultiLineString";
  if (type == "Polygon") {
    for (auto ring : c) {
      simdjson::dom::array r;
      if (ring.get(r)) return false;
      shape->rings.emplace_back();
      if (!Ring(r, &shape->rings.back(), budget)) return false;
    }
  } else if (type == "MultiPolygon") {
    for (auto poly : c) {
      simdjson::dom::array rings;
      if (poly.get(rings)) return false;
      for (auto ring : rings) {
        simdjson::dom::array r;
        if (ring.get(r)) return false;
        shape->rings.emplace_back();
        if (!Ring(r, &shape->rings.back(), budget)) return false;
      }
    }
  }
  return true;
}

}  // namespace

bool LoadBoundaries(const std::string& path, Boundaries* out, std::string* error) {
  constexpr size_t kMaxBytes = 64u << 20;
  constexpr size_t kMaxPoints = 2000000;
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    *error = path + ": " + ec.message();
    return false;
  }
  if (size > kMaxBytes) {
    *error = path + ": larger than 64 MiB";
    return false;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.load(path).get(doc); err) {
    *error = path + ": not JSON: " + simdjson::error_message(err);
    return false;
  }
  Boundaries b;
  size_t budget = kMaxPoints;
  auto feature = [&](simdjson::dom::element f) -> bool {
    Boundaries::Shape shape;
    simdjson::dom::object props;
    if (!f["properties"].get(props))
      for (const char* k : {"name", "NAME_1", "shapeName", "ADM1_EN", "province", "admin1"}) {
        std::string_view v;
        if (!props[k].get(v)) {
          shape.name = std::string(v);
          break;
        }
      }
    simdjson::dom::element g;
    if (f["geometry"].get(g) || g.is_null()) return true;
    if (!Geometry(g, &shape, &budget, 0)) return false;
    if (!shape.rings.empty()) b.shapes.push_back(std::move(shape));
    return true;
  };
  std::string_view type;
  if (doc.get_object().error() || doc["type"].get(type)) {
    *error = path + ": not GeoJSON (no \"type\")";
    return false;
  }
  bool ok = true;
  if (type == "FeatureCollection") {
    simdjson::dom::array fs;
    if (doc["features"].get(fs)) {
      *error = path + ": FeatureCollection without \"features\"";
      return false;
    }
    for (auto f : fs) ok = ok && feature(f);
  } else if (type == "Feature") {
    ok = feature(doc);
  } else {
    Boundaries::Shape shape;
    ok = Geometry(doc, &shape, &budget, 0);
    if (ok && !shape.rings.empty()) b.shapes.push_back(std::move(shape));
  }
  if (!ok) {
    *error = path + ": bad geometry (coordinates must be [lon, lat] numbers in range; at most " +
             std::to_string(kMaxPoints) + " points)";
    return false;
  }
  if (b.shapes.empty()) {
    *error = path + ": no Polygon or MultiPolygon features";
    return false;
  }
  *out = std::move(b);
  return true;
}

}  // namespace sitrep::report
