#include "clean/header.h"

#include <re2/re2.h>

#include "clean/header_patterns.h"

#include <algorithm>
#include <cstring>
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
void SplitLines(std::string_view text, std::vector<Line>* out) {
  std::vector<Line>& lines = *out;
  lines.clear();
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
  // memchr for the two bytes a break starts with, '\n' and 0xE2 (the lead
  // byte of U+2028/U+2029), instead of a test per byte: the window is most
  // of a short document.
  const char* data = text.data();
  const size_t n = text.size();
  auto next = [&](size_t from, char c) {
    const void* p = from < n ? std::memchr(data + from, c, n - from) : nullptr;
    return p ? static_cast<size_t>(static_cast<const char*>(p) - data) : n;
  };
  size_t nl = next(0, '\n'), e2 = next(0, '\xE2');
  while (nl < n || e2 < n) {
    if (nl < e2) {
      push(start, nl);
      start = nl + 1;
      nl = next(nl + 1, '\n');
      continue;
    }
    size_t i = e2;
    if (i + 2 < n && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
         static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
      push(start, i);
      start = i + 3;
      e2 = next(i + 3, '\xE2');
      if (nl < start) nl = next(start, '\n');
    } else {
      e2 = next(i + 1, '\xE2');
    }
  }
  push(start, text.size());
}

// Moves `at` back to the first byte of the UTF-8 character it falls in, so
// that a regex never starts on a continuation byte.
size_t CharStart(std::string_view text, size_t at) {
  while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80)
    --at;
  return at;
}

const RE2& RefRe2() {
  static const RE2 kRef(internal::kRefPattern);
  return kRef;
}

// The reference-number pattern, tried only where it can start: two digits,
// '-', two digits, '-' (the unanchored pattern over a whole window is the
// costliest step of reading a header).
bool FindRef(std::string_view text, std::string_view* year, std::string_view* month) {
  auto digit = [&](size_t k) { return text[k] >= '0' && text[k] <= '9'; };
  for (size_t k = text.find('-', 2); k != std::string_view::npos && k + 3 < text.size();
       k = text.find('-', k + 1)) {
    if (!digit(k - 1) || !digit(k - 2) || !digit(k + 1) || !digit(k + 2) || text[k + 3] != '-')
      continue;
    size_t from = CharStart(text, k > 5 ? k - 5 : 0);
    size_t to = std::min(text.size(), k + 24);
    std::string_view in = text.substr(from, to - from);
    std::string_view y, m;
    internal::RefMatch r = internal::MatchRef(in, &y, &m);
    if (r == internal::RefMatch::kAskRe2) {
      re2::StringPiece ys, ms;
      r = RE2::PartialMatch(re2::StringPiece(in.data(), in.size()), RefRe2(), &ys, &ms)
              ? internal::RefMatch::kYes
              : internal::RefMatch::kNo;
      y = std::string_view(ys.data(), ys.size());
      m = std::string_view(ms.data(), ms.size());
    }
    if (r == internal::RefMatch::kYes) {
      if (year) {
        *year = y;
        *month = m;
      }
      return true;
    }
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

namespace internal {
namespace {

bool IsUpperAscii(unsigned char c) { return c >= 'A' && c <= 'Z'; }
bool IsLowerAscii(unsigned char c) { return c >= 'a' && c <= 'z'; }
bool IsDigitAscii(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsWordByte(unsigned char c) {  // RE2's \b is ASCII: [0-9A-Za-z_]
  return IsUpperAscii(c) || IsLowerAscii(c) || IsDigitAscii(c) || c == '_';
}

// Skips RE2's \s, [\t\n\f\r ], from i.
size_t SkipSpaces(std::string_view in, size_t i) {
  while (i < in.size() && (in[i] == ' ' || in[i] == '\t' || in[i] == '\n' || in[i] == '\f' ||
                           in[i] == '\r'))
    ++i;
  return i;
}

template <typename Pred>
size_t SkipWhile(std::string_view in, size_t i, Pred pred) {
  while (i < in.size() && pred(static_cast<unsigned char>(in[i]))) ++i;
  return i;
}

// kDatelinePattern starting at s. Each repetition in the pattern is followed
// by a character it cannot take, so the pattern can match from s in one way
// only (no backtracking) and one left-to-right pass decides it.
// On failure, *next is where the next start worth trying is: every capital
// inside the run of place characters reaches the same end, so past a start
// that failed for any reason but the place being too long the whole run
// fails too.
bool DatelineAt(std::string_view in, size_t s, DatelineParts* out, size_t* next) {
  const size_t n = in.size();
  auto at = [&](size_t i) { return static_cast<unsigned char>(in[i]); };
  *next = s + 1;
  // ([A-Z][A-Za-z.'\- ]{1,40}),
  if (!IsUpperAscii(at(s))) return false;
  size_t c = SkipWhile(in, s + 1, [](unsigned char b) {
    return IsUpperAscii(b) || IsLowerAscii(b) || b == '.' || b == '\'' || b == '-' || b == ' ';
  });
  if (c >= n || in[c] != ',' || c - s - 1 < 1) {
    *next = c;
    return false;
  }
  if (c - s - 1 > 40) return false;
  *next = c;
  // \s*(Afghanistan|...|[A-Z][a-z]+): every name is a capital and small
  // letters, so the group is the whole run of small letters.
  size_t p = SkipSpaces(in, c + 1);
  if (p >= n || !IsUpperAscii(at(p))) return false;
  size_t q = SkipWhile(in, p + 1, IsLowerAscii);
  if (q - p < 2) return false;
  // \.?\s*\(\s*([A-Z][a-z]{2,8})
  size_t r = q < n && in[q] == '.' ? q + 1 : q;
  r = SkipSpaces(in, r);
  if (r >= n || in[r] != '(') return false;
  r = SkipSpaces(in, r + 1);
  if (r >= n || !IsUpperAscii(at(r))) return false;
  size_t t = SkipWhile(in, r + 1, IsLowerAscii);
  if (t - r - 1 < 2 || t - r - 1 > 8) return false;
  // \.?\s+(\d{1,2})
  size_t u = t < n && in[t] == '.' ? t + 1 : t;
  size_t d = SkipSpaces(in, u);
  if (d == u) return false;
  size_t e = SkipWhile(in, d, IsDigitAscii);
  if (e - d < 1 || e - d > 2) return false;
  // (?:[,.]\s*(\d{4}))?\s*\)
  std::string_view year;
  size_t v = e;
  if (v < n && (in[v] == ',' || in[v] == '.')) {
    size_t w = SkipSpaces(in, v + 1);
    if (SkipWhile(in, w, IsDigitAscii) < w + 4 || w + 4 > n) return false;
    year = in.substr(w, 4);
    v = w + 4;
  }
  v = SkipSpaces(in, v);
  if (v >= n || in[v] != ')') return false;
  out->place = in.substr(s, c - s);
  out->country = in.substr(p, q - p);
  out->month = in.substr(r, t - r);
  out->day = in.substr(d, e - d);
  out->year = year;
  return true;
}

// kRefPattern after its separator: the number starting at q.
bool RefAt(std::string_view in, size_t q, std::string_view* year, std::string_view* month) {
  const size_t n = in.size();
  auto at = [&](size_t i) { return static_cast<unsigned char>(in[i]); };
  // (\d{2,4})-(\d{2})-
  size_t d = SkipWhile(in, q, IsDigitAscii);
  if (d - q < 2 || d - q > 4 || d + 3 >= n || in[d] != '-' || !IsDigitAscii(at(d + 1)) ||
      !IsDigitAscii(at(d + 2)) || in[d + 3] != '-')
    return false;
  // [A-Z]{1,3}(?:-|\x{2013})
  size_t u = d + 4;
  size_t a = SkipWhile(in, u, IsUpperAscii);
  if (a - u < 1 || a - u > 3) return false;
  if (a < n && in[a] == '-') {
    a += 1;
  } else if (a + 2 < n && at(a) == 0xE2 && at(a + 1) == 0x80 && at(a + 2) == 0x93) {
    a += 3;
  } else {
    return false;
  }
  // [0-9X]{2,4}\b
  size_t b = SkipWhile(in, a, [](unsigned char x) { return IsDigitAscii(x) || x == 'X'; });
  if (b - a < 2 || b - a > 4 || (b < n && IsWordByte(at(b)))) return false;
  *year = in.substr(q, d - q);
  *month = in.substr(d + 1, 2);
  return true;
}

}  // namespace

bool MatchDateline(std::string_view in, DatelineParts* out) {
  for (size_t s = 0, next = 0; s < in.size(); s = std::max(next, s + 1))
    if (DatelineAt(in, s, out, &next)) return true;
  return false;
}

RefMatch MatchRef(std::string_view in, std::string_view* year, std::string_view* month) {
  for (size_t q = 0; q < in.size(); ++q) {
    if (!IsDigitAscii(static_cast<unsigned char>(in[q]))) continue;
    // (?:^|[^0-9A-Za-z-]) before the number.
    if (q > 0) {
      unsigned char before = static_cast<unsigned char>(in[q - 1]);
      if (before >= 0x80) {
        std::string_view y, m;
        if (RefAt(in, q, &y, &m)) return RefMatch::kAskRe2;
        continue;
      }
      if (IsWordByte(before) && before != '_') continue;  // [0-9A-Za-z]
      if (before == '-') continue;
    }
    if (RefAt(in, q, year, month)) return RefMatch::kYes;
  }
  return RefMatch::kNo;
}

}  // namespace internal

Header ParseHeader(std::string_view full_text, int fallback_year) {
  // Patterns are compiled once per process; RE2 objects are thread-safe.
  static const RE2 kTitleDate(R"(^([A-Z][a-z]{2,8})\.?\s+(\d{1,2})\s*:)");
  static const RE2 kHeadingDate(
      R"((?i:operational update|update)[, ]+([A-Z][a-z]{2,8})\.?\s+(\d{1,2})(?:,\s*(\d{4}))?)");
  static const RE2 kBoiler(
      R"((?i)^(?:for immediate release|download pdf|news release|press release|isaf joint command\s*-?\s*afghanistan|print|share|email)\b)");

  Header h;
  std::string_view window = full_text.substr(0, std::min(full_text.size(), kHeaderWindow));
  // Reused by the documents a thread reads (no allocation per document).
  static thread_local std::vector<Line> lines;
  SplitLines(window, &lines);

  // Reference number: year and month. Like the dateline, the pattern is
  // tried only where it can start: two digits, '-', two digits, '-'.
  {
    std::string_view ys, ms;
    if (FindRef(window, &ys, &ms)) {
      int year = ToInt(ys);
      if (year < 100) year += 2000;
      if (year < 1000) year = 2000 + year % 100;  // "011-07-S-046"
      h.ref_year = year;
      h.ref_month = ToInt(ms);
    }
  }
  int year_hint = h.ref_year ? h.ref_year : fallback_year;

  // Dateline.
  {
    internal::DatelineParts parts;
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
      found = internal::MatchDateline(window.substr(from, to - from), &parts);
    }
    if (found) {
      const std::string_view place = parts.place, day = parts.day;
      text::Date d = MakeDate(parts.month, day, parts.year, year_hint);
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
        h.dateline_place.assign(place);
        h.dateline_country.assign(parts.country);
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
      bool boiler = IsBoiler(t, kBoiler) || FindRef(t, nullptr, nullptr);
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
        !FindRef(t, nullptr, nullptr) && t.back() != '.')
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
