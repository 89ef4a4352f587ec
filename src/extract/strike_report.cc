#include "extract/strike_report.h"

#include <algorithm>

namespace sitrep::extract::full {
namespace {

// The country a heading or intro sentence switches to ("Iraq", "Syria:",
// "In Syria, ...", "Strikes in Syria"), or "".
std::string HeadingCountry(const View& v, uint32_t s) {
  uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
  uint32_t words = 0;
  std::string country;
  for (uint32_t i = b; i < e; ++i) {
    if (v.I(i).kind != ItemKind::kPunct) ++words;
    if (!country.empty() || v.I(i).kind != ItemKind::kPlace) continue;
    for (int p : v.PlacesOf(i)) {
      const Place& pl = v.kb().places()[static_cast<size_t>(p)];
      if (pl.level == PlaceLevel::kCountry) {
        country = pl.country;
        break;
      }
    }
  }
  if (country.empty()) return "";
  if (words <= 4) return country;  // a heading line
  // "In Syria, coalition forces conducted ..." / "... strikes in Syria".
  const Words& w = v.w();
  if (v.Word(b, w.in_) && b + 1 < e && v.I(b + 1).kind == ItemKind::kPlace) return country;
  for (uint32_t i = b; i + 2 < e; ++i)
    if ((v.Word(i, w.strikes_) || v.IsLex(i, Lex::kAirstrike)) && v.Word(i + 1, w.in_) &&
        v.I(i + 2).kind == ItemKind::kPlace)
      return country;
  return "";
}

struct Line {
  uint32_t place_begin = 0, place_end = 0;  // items naming the place
  int64_t strikes = 0;
};

bool IsStrikeNoun(const View& v, uint32_t i) {
  return v.Word(i, v.w().strikes_) || v.Word(i, v.w().strike_) ||
         v.IsLex(i, Lex::kAirstrike) || v.IsLex(i, Lex::kDroneStrike);
}

// "Near Mosul, four strikes ...", "In the vicinity of Raqqa, one strike ...",
// "Near Al Huwayjah, two airstrikes ...".
bool ParseLine(const View& v, uint32_t s, Line* line) {
  const Words& w = v.w();
  uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
  uint32_t k = b;
  if (v.Word(k, w.near_)) ++k;
  else if (v.Word(k, w.in_) && v.Word(k + 1, w.the_) && v.Word(k + 2, w.vicinity_) &&
           v.Word(k + 3, w.of_))
    k += 4;
  else if (v.Word(k, w.vicinity_) && v.Word(k + 1, w.of_))
    k += 2;
  else if (v.Word(k, w.in_))
    ++k;
  else
    return false;
  uint32_t pb = k;
  while (k < e && !v.Punct(k, ',') && k < pb + 6) ++k;
  if (!v.Punct(k, ',') || k == pb) return false;
  uint32_t pe = k;
  ++k;
  uint32_t next = k;
  int64_t n = v.NumberAt(k, e, &next);
  if (n <= 0) return false;
  // "four strikes", "two coalition strikes", "one precision strike"
  for (uint32_t j = next; j < e && j < next + 3; ++j) {
    if (IsStrikeNoun(v, j)) {
      line->place_begin = pb;
      line->place_end = pe;
      line->strikes = n;
      return true;
    }
  }
  return false;
}

}  // namespace

bool FindStrikeReport(const View& v, const StrikeOptions& o, std::vector<Event>* out,
                      std::vector<bool>* used_sentence) {
  uint32_t n = v.Sentences();
  used_sentence->assign(n, false);
  std::vector<std::pair<uint32_t, Line>> lines;
  for (uint32_t s = 0; s < n; ++s) {
    Line l;
    if (ParseLine(v, s, &l)) lines.emplace_back(s, l);
  }
  if (lines.size() < 2) return false;
  const Words& w = v.w();
  const auto& groups = v.kb().groups();
  std::string country;
  size_t li = 0;
  for (uint32_t s = 0; s < n && li < lines.size(); ++s) {
    if (lines[li].first != s) {
      std::string c = HeadingCountry(v, s);
      if (!c.empty()) country = c;
      continue;
    }
    const Line& l = lines[li].second;
    ++li;
    uint32_t e = v.SentEnd(s);
    Event ev;
    ev.doc_id = o.doc_id;
    ev.types = {"airstrike"};
    ev.airstrike = true;
    ev.count = static_cast<int>(std::min<int64_t>(l.strikes, 100000));
    ev.date = text::FormatDate(o.date);
    ev.date_precision = ev.date.empty() ? "unknown" : "day";
    ev.date_basis = ev.date.empty() ? "" : o.date_basis;
    ev.actor = o.actor;
    // The place: a known place in the heading's country, else the words.
    int place = -1;
    for (uint32_t i = l.place_begin; i < l.place_end && place < 0; ++i)
      if (v.I(i).kind == ItemKind::kPlace) place = v.ChoosePlace(i, country, false, true);
    if (place >= 0 && !country.empty() &&
        v.kb().places()[static_cast<size_t>(place)].country != country)
      place = -1;
    if (place >= 0) {
      FillLocation(v.kb(), place, &ev.location);
    } else {
      ev.location.country = country;
      uint32_t pb = l.place_begin;
      if (v.Word(pb, w.the_) && pb + 1 < l.place_end) ++pb;
      ev.location.place = std::string(v.a().text.substr(
          v.I(pb).start, v.I(l.place_end - 1).end - v.I(pb).start));
      ev.location.precision = country.empty() ? "" : "country";
    }
    for (uint32_t i = l.place_end; i < e; ++i) {
      int g = v.ArmedGroupOf(i);
      if (g >= 0) {
        const std::string& id = groups[static_cast<size_t>(g)].id;
        if (std::find(ev.target_groups.begin(), ev.target_groups.end(), id) ==
            ev.target_groups.end())
          ev.target_groups.push_back(id);
      }
      // "killed 12 ISIL fighters"
      if (v.IsLex(i, Lex::kKill)) {
        uint32_t next;
        int64_t k = v.NumberAt(i + 1, e, &next);
        if (k > 0 && (v.IsLex(next, Lex::kPerson) || v.IsLex(next, Lex::kRole) ||
                      v.ArmedGroupOf(next) >= 0))
          ev.killed = static_cast<int>(std::min<int64_t>(k, 100000));
      }
    }
    if (ev.target_groups.empty() && !o.default_group.empty())
      ev.target_groups.push_back(o.default_group);
    ev.evidence.push_back(v.SentenceEvidence(s));
    ev.confidence = place >= 0 ? 0.85 : 0.6;
    ev.event_id = StableId(o.doc_id, "strike", ev.evidence[0].start);
    out->push_back(std::move(ev));
    (*used_sentence)[s] = true;
  }
  return true;
}

}  // namespace sitrep::extract::full
