#include "clean/header.h"

#include <re2/re2.h>

#include <algorithm>
#include <vector>

namespace sitrep::clean {
namespace {

// Only the start of a document can hold its header.
constexpr size_t kHeaderWindow = 1200;

struct Line {
  size_t start, end;  // raw byte range
  std::string_view text;  // trimmed
};

bool IsSpaceByte(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// Splits on '\n' and U+2028/U+2029, trimming spaces and NBSP.
std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  size_t start = 0;
  auto push = [&](size_t s, size_t e) {
    size_t a = s, b = e;
    while (true) {
      if (a < b && IsSpaceByte(static_cast<unsigned char>(text[a]))) { ++a; continue; }
      if (a + 1 < b && static_cast<unsigned char>(text[a]) == 0xC2 &&
          static_cast<unsigned char>(text[a + 1]) == 0xA0) { a += 2; continue; }
      break;
    }
    while (true) {
      if (b > a && IsSpaceByte(static_cast<unsigned char>(text[b - 1]))) { --b; continue; }
      if (b >= a + 2 && static_cast<unsigned char>(text[b - 2]) == 0xC2 &&
          static_cast<unsigned char>(text[b - 1]) == 0xA0) { b -= 2; continue; }
      break;
    }
    lines.push_back({s, e, text.substr(a, b - a)});
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      push(start, i);
      start = i + 1;
    } else if (static_cast<unsigned char>(text[i]) == 0xE2 && i + 2 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
                static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
      push(start, i);
      start = i + 3;
      i += 2;
    }
  }
  push(start, text.size());
  return lines;
}

// Moves `at` back to the first byte of the UTF-8 character it falls in, so
// that a regex never starts on a continuation byte.
size_t CharStart(std::string_view text, size_t at) {
  while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80)
    --at;
  return at;
}

// The reference-number pattern, tried only where it can start: two digits,
// '-', two digits, '-' (the unanchored pattern over a whole window is the
// costliest step of reading a header).
bool FindRef(std::string_view text, const RE2& ref, re2::StringPiece* year,
             re2::StringPiece* month) {
  auto digit = [&](size_t k) { return text[k] >= '0' && text[k] <= '9'; };
  for (size_t k = 2; k + 3 < text.size(); ++k) {
    if (text[k] != '-' || !digit(k - 1) || !digit(k - 2) || !digit(k + 1) || !digit(k + 2) ||
        text[k + 3] != '-')
      continue;
    size_t from = CharStart(text, k > 5 ? k - 5 : 0);
    size_t to = std::min(text.size(), k + 24);
    re2::StringPiece in(text.data() + from, to - from);
    if (year ? RE2::PartialMatch(in, ref, year, month) : RE2::PartialMatch(in, ref)) return true;
  }
  return false;
}

// Boilerplate lines start with one of a few words; test the first letter
// before the (case-insensitive, anchored) pattern.
bool IsBoiler(std::string_view line, const RE2& boiler) {
  if (line.empty()) return false;
  char c = static_cast<char>(line[0] | 0x20);
  if (c != 'f' && c != 'd' && c != 'n' && c != 'p' && c != 'i' && c != 's' && c != 'e')
    return false;
  return RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), boiler);
}

bool ContainsUpdate(std::string_view line) {
  for (size_t k = 0; k + 6 <= line.size(); ++k)
    if ((line[k] | 0x20) == 'u' && (line[k + 1] | 0x20) == 'p' && (line[k + 2] | 0x20) == 'd' &&
        (line[k + 3] | 0x20) == 'a' && (line[k + 4] | 0x20) == 't' && (line[k + 5] | 0x20) == 'e')
      return true;
  return false;
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') break;
    v = v * 10 + (c - '0');
    if (v > 100000) break;
  }
  return v;
}

text::Date MakeDate(std::string_view month, std::string_view day,
                    std::string_view year, int fallback_year) {
  text::Date d;
  d.month = text::MonthFromName(month);
  d.day = ToInt(day);
  d.year = year.empty() ? fallback_year : ToInt(year);
  return d;
}

}  // namespace

Header ParseHeader(std::string_view full_text, int fallback_year) {
  // Patterns are compiled once per process; RE2 objects are thread-safe.
  static const RE2 kRef(R"((?:^|[^0-9A-Za-z-])(\d{2,4})-(\d{2})-[A-Z]{1,3}(?:-|\x{2013})[0-9X]{2,4}\b)");
  static const RE2 kDateline(
      R"(([A-Z][A-Za-z.'\- ]{1,40}),\s*(Afghanistan|Iraq|Syria|Pakistan|Yemen|Somalia|Libya|Mali|Nigeria|[A-Z][a-z]+)\.?\s*\(\s*([A-Z][a-z]{2,8})\.?\s+(\d{1,2})(?:[,.]\s*(\d{4}))?\s*\))");
  static const RE2 kTitleDate(R"(^([A-Z][a-z]{2,8})\.?\s+(\d{1,2})\s*:)");
  static const RE2 kHeadingDate(
      R"((?i:operational update|update)[, ]+([A-Z][a-z]{2,8})\.?\s+(\d{1,2})(?:,\s*(\d{4}))?)");
  static const RE2 kBoiler(
      R"((?i)^(?:for immediate release|download pdf|news release|press release|isaf joint command\s*-?\s*afghanistan|print|share|email)\b)");

  Header h;
  std::string_view window = full_text.substr(0, std::min(full_text.size(), kHeaderWindow));
  auto lines = SplitLines(window);

  // Reference number: year and month. Like the dateline, the pattern is
  // tried only where it can start: two digits, '-', two digits, '-'.
  {
    re2::StringPiece ys, ms;
    if (FindRef(window, kRef, &ys, &ms)) {
      int year = ToInt(std::string_view(ys.data(), ys.size()));
      if (year < 100) year += 2000;
      if (year < 1000) year = 2000 + year % 100;  // "011-07-S-046"
      h.ref_year = year;
      h.ref_month = ToInt(std::string_view(ms.data(), ms.size()));
    }
  }
  int year_hint = h.ref_year ? h.ref_year : fallback_year;

  // Dateline.
  {
    re2::StringPiece place, country, mon, day, year;
    // The unanchored pattern is costly over the whole window; a dateline
    // needs "(" and a month, so only the text around each "(" is tried.
    bool found = false;
    for (size_t paren = window.find('('); paren != std::string_view::npos && !found;
         paren = window.find('(', paren + 1)) {
      // "(Dec. 4", "( June 30": a capital then a small letter, unlike "(IED)".
      size_t m = paren + 1;
      while (m < window.size() && window[m] == ' ') ++m;
      if (m + 1 >= window.size() || window[m] < 'A' || window[m] > 'Z' || window[m + 1] < 'a' ||
          window[m + 1] > 'z')
        continue;
      size_t from = CharStart(window, paren > 72 ? paren - 72 : 0);  // place, country
      size_t to = std::min(window.size(), paren + 32);
      re2::StringPiece in(window.data() + from, to - from);
      found = RE2::PartialMatch(in, kDateline, &place, &country, &mon, &day, &year);
    }
    if (found) {
      text::Date d = MakeDate(std::string_view(mon.data(), mon.size()),
                              std::string_view(day.data(), day.size()),
                              std::string_view(year.data(), year.size()), year_hint);
      // A dateline heads the text: only a title, boilerplate and reference
      // lines may come before it. One further down belongs to a release
      // quoted inside an article.
      bool heads_text = true;
      size_t dl_start = static_cast<size_t>(place.data() - window.data());
      int prefix_lines = 0;
      for (const auto& line : lines) {
        if (line.start >= dl_start) break;
        if (line.text.empty()) continue;
        ++prefix_lines;
        size_t end_in_line = std::min(line.end, dl_start) - line.start;
        std::string_view part = window.substr(line.start, end_in_line);
        while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) part.remove_suffix(1);
        if (part.size() > 200 || (!part.empty() && part.back() == '.' && part.size() > 60))
          heads_text = false;
      }
      if (prefix_lines > 8) heads_text = false;
      if (d.month != 0 && heads_text) {
        h.has_dateline = true;
        h.dateline_start = static_cast<uint32_t>(place.data() - window.data());
        // End: the closing parenthesis after the day.
        size_t close = window.find(')', static_cast<size_t>(day.data() - window.data()));
        h.dateline_end = static_cast<uint32_t>(close == std::string_view::npos
                                                   ? day.data() + day.size() - window.data()
                                                   : close + 1);
        h.dateline_place.assign(place.data(), place.size());
        h.dateline_country.assign(country.data(), country.size());
        h.body_start = h.dateline_end;
        if (d.valid()) {
          h.issued = d;
          h.basis = Header::Basis::kDateline;
        }
      }
    }
  }

  // Without a dateline the body starts after the leading header lines.
  if (!h.has_dateline) {
    size_t body = 0;
    bool saw_header = false;
    for (size_t i = 0; i < lines.size() && i < 12; ++i) {
      std::string_view t = lines[i].text;
      if (t.empty()) continue;
      bool boiler = IsBoiler(t, kBoiler) || FindRef(t, kRef, nullptr, nullptr);
      // A title: first line, no final period, short.
      bool title = i == 0 && t.size() < 160 && t.back() != '.';
      if (title && h.title.empty()) h.title.assign(t);
      if (boiler || title) {
        body = lines[i].end;
        saw_header = true;
        continue;
      }
      break;
    }
    if (saw_header) h.body_start = static_cast<uint32_t>(std::min(body + 1, full_text.size()));
  } else if (!lines.empty() && lines[0].start < h.dateline_start) {
    std::string_view t = lines[0].text;
    if (!t.empty() && t.size() < 160 && !IsBoiler(t, kBoiler) &&
        !FindRef(t, kRef, nullptr, nullptr) && t.back() != '.')
      h.title.assign(t);
  }

  // Title or heading dates stand in for a missing dateline.
  if (h.basis == Header::Basis::kNone) {
    for (size_t i = 0; i < lines.size() && i < 8; ++i) {
      re2::StringPiece tp(lines[i].text.data(), lines[i].text.size());
      re2::StringPiece mon, day, year;
      // "Dec. 17: ..." needs a colon near the start.
      std::string_view lt = lines[i].text;
      size_t colon = lt.find(':');
      if (colon != std::string_view::npos && colon < 16 &&
          RE2::PartialMatch(tp, kTitleDate, &mon, &day)) {
        text::Date d = MakeDate(std::string_view(mon.data(), mon.size()),
                                std::string_view(day.data(), day.size()), "", year_hint);
        if (d.valid()) {
          h.issued = d;
          h.basis = Header::Basis::kTitle;
          break;
        }
      }
      if (ContainsUpdate(lt) && RE2::PartialMatch(tp, kHeadingDate, &mon, &day, &year)) {
        text::Date d = MakeDate(std::string_view(mon.data(), mon.size()),
                                std::string_view(day.data(), day.size()),
                                std::string_view(year.data(), year.size()), year_hint);
        if (d.valid()) {
          h.issued = d;
          h.basis = Header::Basis::kHeading;
          break;
        }
      }
    }
  }
  // A reference month that disagrees with the dateline month by one means the
  // year may have rolled over (release of Jan. 1 numbered in December).
  if (h.issued.valid() && h.ref_year && h.ref_month == 12 && h.issued.month == 1 &&
      h.basis != Header::Basis::kDateline)
    h.issued.year = h.ref_year + 1;
  return h;
}

}  // namespace sitrep::clean
