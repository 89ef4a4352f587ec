#include "clean/html.h"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <utility>

#include "text/date.h"

namespace sitrep::clean {
namespace {

// ---------------------------------------------------------------- helpers

bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty()) {
    if (IsSpace(static_cast<unsigned char>(s.front()))) { s.remove_prefix(1); continue; }
    if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xC2 &&
        static_cast<unsigned char>(s[1]) == 0xA0) { s.remove_prefix(2); continue; }
    if (s.size() >= 3 && static_cast<unsigned char>(s[0]) == 0xE2 &&
        static_cast<unsigned char>(s[1]) == 0x80 &&
        (static_cast<unsigned char>(s[2]) == 0xA2)) {  // bullet
      s.remove_prefix(3);
      continue;
    }
    break;
  }
  while (!s.empty()) {
    if (IsSpace(static_cast<unsigned char>(s.back()))) { s.remove_suffix(1); continue; }
    if (s.size() >= 2 && static_cast<unsigned char>(s[s.size() - 2]) == 0xC2 &&
        static_cast<unsigned char>(s.back()) == 0xA0) { s.remove_suffix(2); continue; }
    break;
  }
  return s;
}

// The <cctype> classes of the C locale, in which the program runs, without a
// library call per byte: the chrome and dateline tests read every line.
bool IsUpperAscii(unsigned char c) { return c >= 'A' && c <= 'Z'; }
bool IsLowerAscii(unsigned char c) { return c >= 'a' && c <= 'z'; }
bool IsAlphaAscii(unsigned char c) { return IsUpperAscii(c) || IsLowerAscii(c); }
bool IsDigitAscii(unsigned char c) { return c >= '0' && c <= '9'; }

// ASCII only, without the locale lookup of std::tolower (the program runs in
// the C locale, where they agree): the cue words of the chrome tests are ASCII.
char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; }

void LowerInto(std::string_view s, std::string* out) {
  out->resize(s.size());
  for (size_t i = 0; i < s.size(); ++i) (*out)[i] = LowerAscii(s[i]);
}

std::string Lower(std::string_view s) {
  std::string out;
  LowerInto(s, &out);
  return out;
}

bool StartsWithCI(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (LowerAscii(s[i]) != LowerAscii(prefix[i])) return false;
  return true;
}

// StartsWithCI() for a list of lower-case prefixes. Their first bytes are
// in a table: most blocks start with a byte none of them does.
template <const std::string_view* kList, size_t N>
class PrefixSet {
 public:
  // Whether a lowered first byte can start one of the prefixes.
  static bool MayStart(char lowered) { return kFirst[static_cast<unsigned char>(lowered)]; }
  static bool In(std::string_view s) {
    if (s.empty() || !MayStart(LowerAscii(s[0]))) return false;
    char first = LowerAscii(s[0]);
    for (size_t k = 0; k < N; ++k)
      if (kList[k][0] == first && StartsWithCI(s, kList[k])) return true;
    return false;
  }

 private:
  static constexpr std::array<bool, 256> kFirst = [] {
    std::array<bool, 256> t{};
    for (size_t k = 0; k < N; ++k) t[static_cast<unsigned char>(kList[k][0])] = true;
    return t;
  }();
  static constexpr bool Valid() {
    for (size_t k = 0; k < N; ++k) {
      if (kList[k].empty()) return false;
      for (char ch : kList[k])
        if (ch >= 'A' && ch <= 'Z') return false;
    }
    return true;
  }
  static_assert(Valid(), "prefixes are lower case and not empty");
};

bool Contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

// Lower-case cues looked for in whole blocks, ignoring ASCII case (as in
// the lowered block), all in one pass. A cue can start only where its first
// three letters do: sixteen positions at a time are tested for those
// (branch-free byte compares, which the compiler turns into vector
// instructions), and only a position that has them is compared byte by byte.
// Most blocks hold none of the cues; separate searches cost several times
// more. Returns bit k when kCues[k] is in `hay`.
template <const std::string_view* kCues, size_t N>
class CueSet {
 public:
  static uint32_t Find(std::string_view hay) {
    const auto* p = reinterpret_cast<const unsigned char*>(hay.data());
    size_t n = hay.size();
    uint32_t found = 0;
    // A window reads its sixteen starts and the two bytes after the last.
    size_t windows = n >= 18 ? (n - 2) / 16 : 0;
    found |= Windows(p, windows, hay, 0);
    size_t i = windows * 16;
    // The rest, padded with zero bytes, which start no cue (Valid()).
    if (i < n) {
      unsigned char rest[18] = {};
      std::memcpy(rest, p + i, n - i);
      found |= Windows(rest, 1, hay, i);
    }
    return found;
  }

 private:
  // The cues that start at hay[at + k] for k < 16 * count, where w[k] ==
  // hay[at + k] (w may be a padded copy).
  static uint32_t Windows(const unsigned char* w, size_t count, std::string_view hay,
                          size_t at) {
    uint32_t found = 0;
    for (size_t b = 0; b < 16 * count; b += 16) {
      unsigned char hit[16];
      unsigned char any = 0;
      for (size_t k = 0; k < 16; ++k) {
        hit[k] = StartAt(w[b + k] | 0x20, w[b + k + 1] | 0x20, w[b + k + 2] | 0x20,
                         std::make_index_sequence<N>());
        any |= hit[k];
      }
      if (any)
        for (size_t k = 0; k < 16; ++k)
          if (hit[k]) found |= At(hay, at + b + k);
    }
    return found;
  }
  // 1 when bytes (a, b, c), each ORed with 0x20, can start a cue. OR 0x20
  // maps exactly the two cases of a letter to its lower case, so no start
  // that the case-insensitive compare accepts is missed.
  template <size_t... K>
  static unsigned char StartAt(unsigned char a, unsigned char b, unsigned char c,
                               std::index_sequence<K...>) {
    auto is = [](unsigned char x, char cue) {
      return static_cast<unsigned char>(x == (static_cast<unsigned char>(cue) | 0x20));
    };
    return static_cast<unsigned char>(
        ((is(a, kCues[K][0]) & is(b, kCues[K][1]) & is(c, kCues[K][2])) | ...));
  }
  // The bits of the cues that start at i.
  static uint32_t At(std::string_view hay, size_t i) {
    uint32_t found = 0;
    for (size_t c = 0; c < N; ++c) {
      std::string_view cue = kCues[c];
      if (i + cue.size() > hay.size()) continue;
      size_t k = 0;
      while (k < cue.size() && LowerAscii(hay[i + k]) == cue[k]) ++k;
      if (k == cue.size()) found |= uint32_t{1} << c;
    }
    return found;
  }
  static_assert(N <= 32, "one bit per cue");
  static constexpr bool Valid() {
    for (size_t c = 0; c < N; ++c) {
      if (kCues[c].size() < 3) return false;
      for (size_t k = 0; k < 3; ++k)
        if (kCues[c][k] < 'a' || kCues[c][k] > 'z') return false;
      for (char ch : kCues[c])
        if (ch >= 'A' && ch <= 'Z') return false;
    }
    return true;
  }
  static_assert(Valid(), "cues are lower case and start with three letters");
};

int WordCount(std::string_view s) {
  int n = 0;
  bool in = false;
  for (char c : s) {
    bool sp = IsSpace(static_cast<unsigned char>(c));
    if (!sp && !in) ++n;
    in = !sp;
  }
  return n;
}

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ------------------------------------------------------------ page dates

struct Tok {
  std::string_view s;
  bool num = false;
};

// At most 64 tokens of s, in a fixed array: every line tried as a date goes
// through here, and most are not one.
struct DateToks {
  static constexpr size_t kMax = 64;
  // Plain fields: an array of Tok would be initialised on every call.
  struct Raw {
    const char* p;
    uint32_t size;
    bool num;
  };
  Raw raw[kMax];
  size_t n = 0;
  size_t size() const { return n; }
  Tok operator[](size_t i) const { return {std::string_view(raw[i].p, raw[i].size), raw[i].num}; }
  void Add(std::string_view s, bool num) {
    raw[n++] = {s.data(), static_cast<uint32_t>(s.size()), num};
  }
};

void DateTokens(std::string_view s, DateToks* out) {
  auto alpha = [](unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; };
  auto digit = [](unsigned char c) { return c >= '0' && c <= '9'; };
  size_t i = 0;
  while (i < s.size() && out->n < DateToks::kMax) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (alpha(c)) {
      size_t b = i;
      while (i < s.size() && alpha(static_cast<unsigned char>(s[i]))) ++i;
      out->Add(s.substr(b, i - b), false);
    } else if (digit(c)) {
      size_t b = i;
      while (i < s.size() && digit(static_cast<unsigned char>(s[i]))) ++i;
      out->Add(s.substr(b, i - b), true);
    } else if (c == '/' || c == '-') {
      out->Add(s.substr(i, 1), false);
      ++i;
    } else {
      ++i;
    }
  }
}

// text::MonthFromName() of a run of letters. Only a month name or a prefix of
// one (three letters or more) is one, so most words are told apart without
// the call.
int MonthOf(std::string_view letters) {
  if (letters.size() < 3 || letters.size() > 9) return 0;
  char c = LowerAscii(letters[0]);
  if (c != 'j' && c != 'f' && c != 'm' && c != 'a' && c != 's' && c != 'o' && c != 'n' &&
      c != 'd')
    return 0;
  return text::MonthFromName(letters);
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9' || v > 100000) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// text::FormatDate() (YYYY-MM-DD, "" for an invalid date) without printf:
// every page and dateline date goes through here.
std::string Format(int y, int m, int d) {
  text::Date date{y, m, d};
  if (!date.valid()) return "";
  std::string out = "0000-00-00";
  for (size_t k = 4; k-- > 0; y /= 10) out[k] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
  return out;
}

}  // namespace

std::string ParsePageDate(std::string_view raw) {
  std::string_view s = Trim(raw);
  // Every form below has a four-digit year; most lines tried have none.
  int digits = 0;
  for (char c : s) {
    digits = c >= '0' && c <= '9' ? digits + 1 : 0;
    if (digits == 4) break;
  }
  if (digits < 4) return "";
  // ISO 8601 at the start: 2011-05-05, 2011-05-05T10:00:00Z.
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    text::Date d = text::ParseIsoDate(s.substr(0, 10));
    if (d.valid()) return text::FormatDate(d);
  }
  DateToks t;
  DateTokens(s, &t);
  for (size_t i = 0; i < t.size(); ++i) {
    // Month D, YYYY
    if (!t[i].num && t[i].s.size() >= 3) {
      int m = MonthOf(t[i].s);
      if (m == 0) continue;
      if (i + 2 < t.size() && t[i + 1].num && t[i + 2].num && t[i + 2].s.size() == 4) {
        std::string r = Format(ToInt(t[i + 2].s), m, ToInt(t[i + 1].s));
        if (!r.empty()) return r;
      }
      // D Month YYYY
      if (i >= 1 && t[i - 1].num && i + 1 < t.size() && t[i + 1].num &&
          t[i + 1].s.size() == 4) {
        std::string r = Format(ToInt(t[i + 1].s), m, ToInt(t[i - 1].s));
        if (!r.empty()) return r;
      }
    }
    // MM/DD/YYYY
    if (t[i].num && i + 4 < t.size() && t[i + 1].s == "/" && t[i + 2].num &&
        t[i + 3].s == "/" && t[i + 4].num && t[i + 4].s.size() == 4) {
      std::string r = Format(ToInt(t[i + 4].s), ToInt(t[i].s), ToInt(t[i + 2].s));
      if (!r.empty()) return r;
    }
    // YYYY-MM-DD inside a longer string
    if (t[i].num && t[i].s.size() == 4 && i + 4 < t.size() && t[i + 1].s == "-" &&
        t[i + 2].num && t[i + 3].s == "-" && t[i + 4].num) {
      std::string r = Format(ToInt(t[i].s), ToInt(t[i + 2].s), ToInt(t[i + 4].s));
      if (!r.empty()) return r;
    }
  }
  return "";
}

namespace {

// ------------------------------------------------------ text-level chrome

struct Block {
  std::string_view text;  // trimmed
  uint32_t start = 0;     // range in the page text (plain) or block index
  uint32_t end = 0;
  bool heading = false;
  bool quote = false;
};

bool IsCommentsHeader(std::string_view t) {
  constexpr size_t kMax = 40;
  if (t.size() > kMax) return false;
  char lowered[kMax];
  for (size_t k = 0; k < t.size(); ++k) lowered[k] = LowerAscii(t[k]);
  std::string_view l(lowered, t.size());
  size_t i = 0;
  while (i < l.size() && IsDigitAscii(static_cast<unsigned char>(l[i]))) ++i;
  std::string_view rest = Trim(l.substr(i));
  if (i > 0) {
    return rest == "comments" || rest == "comment" || rest == "responses" ||
           rest == "response" || rest == "replies" || rest == "reader comments" ||
           rest.starts_with("comments on") || rest.starts_with("responses to") ||
           rest.starts_with("thoughts on");
  }
  return rest == "comments" || rest == "leave a reply" || rest == "leave a comment" ||
         rest == "join the discussion" || rest == "post a comment" ||
         rest == "add a comment" || rest == "reader comments" ||
         rest == "show comments" || rest == "view comments" || rest.starts_with("comments (");
}

constexpr std::string_view kTagsPrefixes[] = {
    "tags:", "tags :", "filed under", "categories:", "category:", "topics:", "posted in ",
    "keywords:"};
bool IsTagsLine(std::string_view t) {
  return PrefixSet<kTagsPrefixes, std::size(kTagsPrefixes)>::In(t) ||
         (t.size() == 4 && StartsWithCI(t, "tags"));
}

// The cues are first looked for by what they share ("deductible", "donat",
// "become a ", "support our "): most blocks hold none of them, and only the
// others are lowered for the full test.
constexpr std::string_view kDonationCues[] = {"deductible", "donat",    "subscribe",
                                              "sign up",    "become a ", "support our "};
bool IsDonationAppeal(std::string_view t) {
  uint32_t found = CueSet<kDonationCues, std::size(kDonationCues)>::Find(t);
  if (found == 0) return false;
  bool deductible = found & 1, donat = found & 2, subscribe = found & (4 | 8),
       become = found & 16, support = found & 32;
  std::string l = Lower(t);
  if (deductible && (Contains(l, "tax-deductible") || Contains(l, "tax deductible")))
    return true;
  if (donat && (Contains(l, "donation") || Contains(l, "donate"))) {
    bool appeal = Contains(l, "support our") || Contains(l, "support us") ||
                  Contains(l, "support independent") || Contains(l, " your ") ||
                  Contains(l, "you ") || Contains(l, "here") || Contains(l, "please");
    if (appeal) return true;
  }
  if (subscribe &&
      (Contains(l, "newsletter") || Contains(l, "inbox") || Contains(l, "email")))
    return true;
  if (become && (Contains(l, "become a member") || Contains(l, "become a patron")))
    return true;
  if (support &&
      (Contains(l, "support our work") || Contains(l, "support our journalism")))
    return true;
  return false;
}

bool IsAuthorBio(std::string_view t) {
  if (t.size() > 600 || StartsWithCI(t, "the ")) return false;
  if (StartsWithCI(t, "about the author")) return true;
  // "<Name Name> is a|an|the ... (Fellow|editor|...)". Only a verb in the
  // first 60 bytes counts, and every verb below starts with " is " or is
  // " was a ": most blocks have neither there.
  std::string_view head = t.substr(0, 66);
  bool verb = false;
  for (size_t k = head.find(' '); k != std::string_view::npos && !verb; k = head.find(' ', k + 1))
    verb = head.substr(k).starts_with(" is ") || head.substr(k).starts_with(" was a ");
  if (!verb) return false;
  size_t is = std::string_view::npos;
  for (std::string_view v : {" is a ", " is an ", " is the ", " was a ", " is senior ", " is "}) {
    size_t p = t.substr(0, 59 + v.size()).find(v);
    if (p != std::string_view::npos) {
      is = p;
      break;
    }
  }
  if (is == std::string_view::npos || is == 0) return false;
  std::string_view name = t.substr(0, is);
  int words = WordCount(name);
  if (words < 2 || words > 5) return false;
  // Every word of the name capitalised.
  bool cap = true, start = true;
  for (char c : name) {
    if (c == ' ') { start = true; continue; }
    if (start && !IsUpperAscii(static_cast<unsigned char>(c))) cap = false;
    start = false;
  }
  if (!cap) return false;
  std::string l = Lower(t.substr(is));
  for (const char* w : {"fellow", "editor", "correspondent", "reporter", "journalist",
                        "writer", "analyst", "contributor", "author", "columnist",
                        "researcher", "director", "professor", "freelance", "staff"})
    if (Contains(l, w)) return true;
  return false;
}

constexpr std::string_view kRelatedPrefixes[] = {
    "for more information on", "for more on ", "related:", "related reading",
    "related articles", "related stories", "related posts", "read more", "see also",
    "also read", "recommended", "more from ", "you may also like", "most popular",
    "trending", "click here"};
bool IsRelatedLinks(std::string_view t) {
  return PrefixSet<kRelatedPrefixes, std::size(kRelatedPrefixes)>::In(t);
}

constexpr std::string_view kShareLines[] = {
    "share", "share this:", "share this", "tweet", "print", "email", "facebook", "twitter",
    "linkedin", "reddit", "whatsapp", "telegram", "pinterest", "copy link",
    "share on facebook", "share on twitter", "like this:", "like", "loading...",
    "advertisement", "ad", "sponsored", "print this page", "print this article",
    "email this", "back to top", "skip to content", "menu", "search"};
constexpr std::string_view kSharePrefixes[] = {
    "share this", "share on ", "\xC2\xA9" /* © */, "copyright", "all rights reserved",
    "follow us", "follow @", "sign up for", "privacy policy"};

// The block, lowered, is one of kShareLines or starts with one of
// kSharePrefixes. Every test is decided by its first 32 bytes, and most
// blocks by the first.
bool IsShareOrLegal(std::string_view t) {
  using Lines = PrefixSet<kShareLines, std::size(kShareLines)>;
  using Prefixes = PrefixSet<kSharePrefixes, std::size(kSharePrefixes)>;
  if (t.empty() || !(Lines::MayStart(LowerAscii(t[0])) || Prefixes::MayStart(LowerAscii(t[0]))))
    return false;
  constexpr size_t kHead = 32;
  char lowered[kHead];
  size_t head = std::min(t.size(), kHead);
  for (size_t k = 0; k < head; ++k) lowered[k] = LowerAscii(t[k]);
  std::string_view l(lowered, head);
  for (std::string_view e : kShareLines)
    if (l == e) return true;
  return Prefixes::In(l);
}

// A byline or a bare date line near the top: chrome, but it dates the page.
bool IsBylineOrDate(std::string_view t, std::string* date) {
  if (t.size() > 160) return false;
  bool by = StartsWithCI(t, "by ") && WordCount(t) <= 14;
  bool posted = StartsWithCI(t, "posted ") || StartsWithCI(t, "published") ||
                StartsWithCI(t, "updated") || StartsWithCI(t, "posted:") ||
                StartsWithCI(t, "date:");
  // A line that is only a date ("May 5, 2011", "Thursday, May 5, 2011").
  bool short_line = WordCount(t) <= 6 && t.find('.') == std::string_view::npos;
  if (!by && !posted && !short_line) return false;
  std::string d = ParsePageDate(t);
  bool bare = !d.empty() && short_line;
  if (by || posted || bare) {
    if (!d.empty() && date->empty()) *date = d;
    return true;
  }
  return false;
}

// A short line that belongs to a menu: a few words, no sentence punctuation,
// no digits.
bool IsMenuish(std::string_view t) {
  if (t.empty() || t.size() > 32 || WordCount(t) > 4 || HasDigit(t)) return false;
  char last = t.back();
  return last != '.' && last != '!' && last != '?' && last != ':' && last != ',' &&
         last != '"';
}

// Marks chrome blocks. Rules run on whole blocks; a comments header cuts
// everything after it (once the article has begun); runs of three or more
// menu-like short lines are menus.
std::vector<bool> ClassifyChrome(const std::vector<Block>& blocks, std::string* date) {
  std::vector<bool> chrome(blocks.size(), false);
  size_t body_chars = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    std::string_view t = blocks[i].text;
    if (IsCommentsHeader(t)) {
      if (body_chars >= 200) {
        for (size_t k = i; k < blocks.size(); ++k) chrome[k] = true;
        break;
      }
      chrome[i] = true;
      continue;
    }
    if (blocks[i].quote) {
      body_chars += t.size();
      continue;
    }
    if (IsTagsLine(t) || IsDonationAppeal(t) || IsRelatedLinks(t) ||
        IsShareOrLegal(t) || (i > 0 && IsAuthorBio(t))) {
      chrome[i] = true;
      continue;
    }
    if (i < 8 && body_chars < 200 && IsBylineOrDate(t, date)) {
      chrome[i] = true;
      continue;
    }
    if (t.size() > 80) body_chars += t.size();
  }
  // Menu runs.
  for (size_t i = 0; i < blocks.size();) {
    size_t j = i;
    while (j < blocks.size() && !blocks[j].heading && IsMenuish(blocks[j].text)) ++j;
    if (j - i >= 3) {
      for (size_t k = i; k < j; ++k) chrome[k] = true;
    }
    i = j > i ? j : i + 1;
  }
  return chrome;
}

bool ReadsLikeRelease(std::string_view p) {
  std::string l = Lower(p);
  return Contains(l, "security force") || Contains(l, "afghan-led") ||
         Contains(l, "coalition force") || Contains(l, "combined force") ||
         Contains(l, "were detained") || Contains(l, "was detained") ||
         Contains(l, "insurgents were") || Contains(l, "the operation");
}

}  // namespace

std::vector<std::pair<uint32_t, uint32_t>> FindQuotedReleases(std::string_view text) {
  // Paragraphs: runs of non-blank lines, read one at a time (most pages
  // quote nothing, and need no list of them).
  struct Para {
    uint32_t start = 0, end = 0;
    std::string_view t;
  };
  size_t next_line = 0;
  auto next = [&](Para* p) {
    while (next_line < text.size()) {
      size_t line_end = text.find('\n', next_line);
      if (line_end == std::string_view::npos) line_end = text.size();
      std::string_view line = Trim(text.substr(next_line, line_end - next_line));
      next_line = line_end + 1;
      if (!line.empty()) {
        p->start = static_cast<uint32_t>(line.data() - text.data());
        p->end = p->start + static_cast<uint32_t>(line.size());
        p->t = line;
        return true;
      }
    }
    return false;
  };
  std::vector<std::pair<uint32_t, uint32_t>> out;
  Para cur, quoted;
  bool have = next(&cur);
  while (have) {
    std::string_view t = cur.t;
    bool cue = false;
    if (!t.empty() && t.back() == ':') {
      std::string l = Lower(t.size() > 160 ? t.substr(t.size() - 160) : t);
      cue = Contains(l, "press release") || Contains(l, "news release") ||
            Contains(l, "statement") || Contains(l, "release:") ||
            Contains(l, "announced:") || Contains(l, "said:") || Contains(l, "reported:") ||
            Contains(l, "according to");
    }
    // A cue needs a paragraph after it.
    if (!cue || !next(&quoted)) {
      have = cue ? false : next(&cur);
      continue;
    }
    uint32_t s = quoted.start, e = quoted.end;
    have = next(&cur);
    while (have && ReadsLikeRelease(cur.t) &&
           (StartsWithCI(cur.t, "the ") || StartsWithCI(cur.t, "during ") ||
            StartsWithCI(cur.t, "several ") || StartsWithCI(cur.t, "in ")) &&
           !Contains(cur.t, "ISAF has")) {
      e = cur.end;
      have = next(&cur);
    }
    out.emplace_back(s, e);
    // The paragraph that ended the quote is read next, as a cue or not.
  }
  return out;
}

namespace {

// ------------------------------------------------------------ datelines

// A dash that ends a dateline: "-", "--", an en or em dash, with a space after.
size_t DashAt(std::string_view s, size_t i) {
  if (s.compare(i, 2, "--") == 0) return 2;
  if (s.compare(i, 3, "\xE2\x80\x93") == 0 || s.compare(i, 3, "\xE2\x80\x94") == 0) return 3;
  if (i < s.size() && s[i] == '-') return 1;
  return 0;
}

bool IsUpperWord(std::string_view w) {
  int letters = 0;
  for (unsigned char c : w) {
    if (IsLowerAscii(c)) return false;
    if (IsUpperAscii(c)) ++letters;
    else if (c != '.' && c != '\'' && c != '-') return false;
  }
  return letters >= 2;
}

// The wire-story dateline that opens the line at `line` ("PESHAWAR, Pakistan,
// Oct. 10, 2012 - ", "TAMPA, Fla. (July 14, 2022) - ", "MOGADISHU, Somalia - ",
// "BAMAKO, Dec. 7, 2017 -", or a line that is only "BEIRUT, Aug. 20, 2022"):
// returns its length (through the dash and the spaces after it), 0 when there
// is none. The city is written in capitals, which is what tells a dateline
// from a sentence that starts with a place. The release form that the header
// parser reads ("KABUL, Afghanistan (Jan. 5, 2012)") is left to it.
// A wire date without its year ("Dec 6", "Nov. 29"): the dateline is
// still one, and the page's own date stands.
constexpr const char* kNoYear = "?";
bool YearlessMonthDay(std::string_view chunk) {
  size_t w = 0;
  while (w < chunk.size() && IsAlphaAscii(static_cast<unsigned char>(chunk[w]))) ++w;
  if (w < 3 || text::MonthFromName(chunk.substr(0, w)) == 0) return false;
  size_t k = w;
  if (k < chunk.size() && chunk[k] == '.') ++k;
  if (k >= chunk.size() || chunk[k] != ' ') return false;
  ++k;
  size_t digits = 0;
  while (k < chunk.size() && IsDigitAscii(static_cast<unsigned char>(chunk[k]))) ++k, ++digits;
  return k == chunk.size() && digits >= 1 && digits <= 2;
}

size_t WireDatelineAt(std::string_view line, std::string* date) {
  size_t i = 0, n = line.size();
  // IsUpperWord() below fails on a city that starts with any other byte.
  if (n == 0 || !(IsUpperAscii(line[0]) || line[0] == '.' || line[0] == '\'' || line[0] == '-'))
    return 0;
  // City: one to four capitalised words.
  int words = 0;
  while (i < n && words < 4) {
    size_t b = i;
    while (i < n && line[i] != ' ' && line[i] != ',' && line[i] != '(') ++i;
    if (!IsUpperWord(line.substr(b, i - b))) return 0;
    ++words;
    if (i < n && line[i] == ' ' && i + 1 < n &&
        IsUpperAscii(static_cast<unsigned char>(line[i + 1])) &&
        IsUpperWord(line.substr(i + 1, std::min(line.find_first_of(" ,(", i + 1), n) - i - 1))) {
      ++i;
      continue;
    }
    break;
  }
  if (words == 0) return 0;
  // Regions (", Pakistan", ", Fla.", ", N.C."), then a date, in any order
  // the wires use.
  int regions = 0;
  bool region_dot = false, paren_date = false;
  std::string when;
  while (i < n) {
    size_t j = i;
    bool paren = false;
    if (line[j] == ',') ++j;
    else if (line[j] == ' ' && j + 1 < n && line[j + 1] == '(') { j += 2; paren = true; }
    else if (line[j] == '(') { ++j; paren = true; }
    else break;
    // The header parser's form (one plain region, then parentheses) is left
    // to it whatever the parentheses hold; no need to parse the date.
    if (paren && when.empty() && regions == 1 && !region_dot) return 0;
    while (j < n && line[j] == ' ') ++j;
    // A date: up to the closing parenthesis, the dash or the end of line.
    size_t stop = paren ? line.find(')', j) : line.find_first_of("-(\xE2", j);
    if (stop == std::string_view::npos) stop = n;
    std::string_view chunk = Trim(line.substr(j, stop - j));
    if (!chunk.empty() && chunk.back() == ',') chunk.remove_suffix(1);
    size_t w1 = 0;
    while (w1 < chunk.size() && IsAlphaAscii(static_cast<unsigned char>(chunk[w1]))) ++w1;
    bool starts_date = !chunk.empty() && (IsDigitAscii(static_cast<unsigned char>(chunk[0])) ||
                                          MonthOf(chunk.substr(0, w1)) > 0);
    std::string d = starts_date ? ParsePageDate(chunk) : "";
    if (d.empty() && starts_date && YearlessMonthDay(chunk)) d = kNoYear;
    if (!d.empty() && chunk.size() <= 24 && when.empty()) {
      when = d;
      paren_date = paren;
      size_t chunk_end = static_cast<size_t>(chunk.data() + chunk.size() - line.data());
      i = paren && stop < n ? stop + 1 : chunk_end;
      continue;
    }
    if (paren || !when.empty()) break;
    // A region: one to three capitalised words.
    size_t k = j;
    int rw = 0;
    while (k < n && rw < 3 && IsUpperAscii(static_cast<unsigned char>(line[k]))) {
      while (k < n && line[k] != ' ' && line[k] != ',' && line[k] != '(') {
        if (line[k] == '.') region_dot = true;
        ++k;
      }
      ++rw;
      if (k + 1 < n && line[k] == ' ' && IsUpperAscii(static_cast<unsigned char>(line[k + 1]))) ++k;
      else break;
    }
    if (rw == 0) break;
    ++regions;
    i = k;
    if (regions > 2) return 0;
  }
  // The header parser's form: one plain region and a date in parentheses.
  if (paren_date && regions == 1 && !region_dot) return 0;
  size_t k = i;
  while (k < n && line[k] == ' ') ++k;
  if (k >= n) {
    // A line that is only a dateline needs its date.
    if (when.empty()) return 0;
    *date = when == kNoYear ? "" : when;
    return n;
  }
  size_t dash = DashAt(line, k);
  if (dash == 0) return 0;
  k += dash;
  if (k < n && line[k] != ' ') return 0;
  while (k < n && line[k] == ' ') ++k;
  *date = when == kNoYear ? "" : when;
  return k;
}

// "Mogadishu, 9 October 2019 - AMISOM troops ...", a line "Niamey, 16
// February 2023": the dateline of African and Asian releases, the city in
// title case. Only a full date with its year, then a dash or the end of the
// line, tells it from a sentence that starts with a place.
size_t TitleCaseDatelineAt(std::string_view line, std::string* date) {
  size_t n = line.size(), i = 0;
  int words = 0;
  while (i < n && words < 3) {
    if (!IsUpperAscii(static_cast<unsigned char>(line[i]))) return 0;
    size_t b = i++;
    while (i < n && (IsLowerAscii(static_cast<unsigned char>(line[i])) || line[i] == '-' ||
                     line[i] == '\''))
      ++i;
    if (i - b < 3) return 0;
    ++words;
    if (i < n && line[i] == ' ' && i + 1 < n && IsUpperAscii(static_cast<unsigned char>(line[i + 1])))
      ++i;
    else
      break;
  }
  if (i + 1 >= n || line[i] != ',' || line[i + 1] != ' ') return 0;
  // "Tue, 14 Feb 2023 16:05:00 GMT" is a feed item's date, not a city's.
  static constexpr const char* kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  for (const char* wd : kWeekdays)
    if (line.starts_with(wd)) return 0;
  size_t j = i + 2;
  size_t stop = line.find_first_of("-\xE2", j);
  if (stop == std::string_view::npos) stop = n;
  std::string_view chunk = Trim(line.substr(j, stop - j));
  if (chunk.empty() || chunk.size() > 24 || chunk.find(':') != std::string_view::npos) return 0;
  std::string d = ParsePageDate(chunk);
  if (d.empty()) return 0;
  size_t k = static_cast<size_t>(chunk.data() + chunk.size() - line.data());
  while (k < n && line[k] == ' ') ++k;
  if (k >= n) {
    *date = d;
    return n;
  }
  size_t dash = DashAt(line, k);
  if (dash == 0) return 0;
  k += dash;
  if (k < n && line[k] != ' ') return 0;
  while (k < n && line[k] == ' ') ++k;
  *date = d;
  return k;
}

// Blanks a wire dateline near the top of `text` (the dateline city is where
// the reporter filed from, not where the event happened, and its date is the
// day the story's "on Tuesday" counts from); returns the dateline's date.
std::string BlankWireDateline(std::string* text,
                              std::vector<std::pair<uint32_t, uint32_t>>* chrome) {
  size_t i = 0;
  for (int lines = 0; i < text->size() && i < 3000 && lines < 16; ++lines) {
    size_t e = text->find('\n', i);
    if (e == std::string::npos) e = text->size();
    std::string_view line(text->data() + i, e - i);
    size_t lead = 0;
    while (lead < line.size() && line[lead] == ' ') ++lead;
    std::string date;
    size_t len = lead < line.size() ? WireDatelineAt(line.substr(lead), &date) : 0;
    if (len == 0 && lead < line.size()) len = TitleCaseDatelineAt(line.substr(lead), &date);
    if (len > 0) {
      uint32_t s = static_cast<uint32_t>(i + lead);
      uint32_t t = static_cast<uint32_t>(i + lead + len);
      for (uint32_t p = s; p < t; ++p) (*text)[p] = ' ';
      if (chrome) chrome->emplace_back(s, t);
      return date;
    }
    i = e + 1;
  }
  return "";
}

}  // namespace

uint32_t Page::SourceOffset(uint32_t offset) const {
  // No map: plain text, whose `text` keeps the input's offsets, or HTML that
  // produced no text. Either way the answer must stay inside the input.
  if (source_map.empty()) return std::min(offset, static_cast<uint32_t>(text.size()));
  auto it = std::upper_bound(source_map.begin(), source_map.end(), offset,
                             [](uint32_t o, const Segment& s) { return o < s.text_offset; });
  if (it == source_map.begin()) return source_map.front().source_offset;
  --it;
  return it->source_offset;
}

bool LooksLikeHtml(std::string_view text) {
  std::string_view t = text;
  if (t.size() >= 3 && static_cast<unsigned char>(t[0]) == 0xEF &&
      static_cast<unsigned char>(t[1]) == 0xBB && static_cast<unsigned char>(t[2]) == 0xBF)
    t.remove_prefix(3);
  while (!t.empty() && IsSpace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  if (t.empty() || t.front() != '<') return false;
  std::string head = Lower(t.substr(0, std::min<size_t>(t.size(), 2048)));
  for (const char* tag : {"<!doctype html", "<html", "<head", "<body", "<article", "<div",
                          "<p>", "<p ", "<meta", "<title", "<!--", "<section", "<main",
                          "<h1", "<h2", "<span", "<table", "<ul", "<nav", "<header"})
    if (Contains(head, tag)) return true;
  return false;
}

Page CleanText(std::string_view text) {
  Page page;
  page.text.assign(text);
  // Paragraphs (blank-line separated); a paragraph of several short lines is
  // split into its lines (menus, lists of links). Room is made for a
  // release's blocks and lines: grown one at a time they allocate repeatedly.
  std::vector<Block> blocks;
  blocks.reserve(16);
  struct Line {
    uint32_t s, e;
    std::string_view t;
  };
  std::vector<Line> para;
  para.reserve(16);
  auto flush = [&] {
    if (para.empty()) return;
    bool all_short = para.size() >= 2 &&
                     std::all_of(para.begin(), para.end(),
                                 [](const Line& l) { return l.t.size() <= 40; });
    if (all_short || para.size() == 1) {
      for (const auto& l : para) blocks.push_back({l.t, l.s, l.e, false, false});
    } else {
      uint32_t s = para.front().s, e = para.back().e;
      blocks.push_back({text.substr(s, e - s), s, e, false, false});
    }
    para.clear();
  };
  size_t i = 0;
  while (i <= text.size()) {
    size_t line_end = text.find('\n', i);
    if (line_end == std::string_view::npos) line_end = text.size();
    std::string_view line = Trim(text.substr(i, line_end - i));
    if (line.empty()) {
      flush();
    } else {
      uint32_t s = static_cast<uint32_t>(line.data() - text.data());
      para.push_back({s, s + static_cast<uint32_t>(line.size()), line});
    }
    if (line_end >= text.size()) break;
    i = line_end + 1;
  }
  flush();
  // Title: the first block when it is a short line without a full stop.
  if (!blocks.empty()) {
    std::string_view t = blocks.front().text;
    t = Trim(t.substr(0, t.find('\n')));
    if (!t.empty() && t.size() <= 160 && t.back() != '.' && WordCount(t) >= 2)
      page.title = std::string(t);
  }
  std::vector<bool> chrome = ClassifyChrome(blocks, &page.published);
  if (!page.published.empty()) page.published_source = "byline";
  for (size_t k = 0; k < blocks.size(); ++k) {
    if (!chrome[k]) continue;
    uint32_t s = blocks[k].start, e = blocks[k].end;
    // Extend to the end of the input when everything after is chrome, so
    // nothing stray survives between chrome blocks.
    page.chrome.emplace_back(s, e);
    for (uint32_t p = s; p < e; ++p)
      if (page.text[p] != '\n') page.text[p] = ' ';
  }
  if (std::string d = BlankWireDateline(&page.text, &page.chrome); !d.empty()) {
    page.published = d;
    page.published_source = "dateline";
  }
  page.quotes = FindQuotedReleases(page.text);
  return page;
}

// ------------------------------------------------------------------ HTML

namespace {

const char* Attr(const GumboNode* n, const char* name) {
  if (n->type != GUMBO_NODE_ELEMENT) return nullptr;
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : nullptr;
}

bool TokenMatches(std::string_view tok) {
  static const char* kSub[] = {"nav",        "menu",      "sidebar",   "widget",
                               "comment",    "share",     "sharing",   "social",
                               "related",    "author",    "donat",     "newsletter",
                               "subscribe",  "footer",    "breadcrumb", "advert",
                               "promo",      "cookie",    "popup",     "modal",
                               "pagination", "pager",     "byline",    "masthead",
                               "site-header", "post-tags", "tag-list", "taglist",
                               "tags",       "banner",    "signup",    "sponsor",
                               "disqus",     "respond",   "skip-link", "screen-reader",
                               "toolbar",    "dropdown",  "trending",  "most-popular",
                               "recommend",  "outbrain",  "taboola",   "support-",
                               "bio",        "entry-meta", "post-meta", "article-meta"};
  for (const char* s : kSub)
    if (Contains(tok, s)) return true;
  if (tok == "ad" || tok == "ads" || tok.starts_with("ad-") || tok.starts_with("ads-") ||
      tok == "header" || tok == "tag" || tok == "hidden" || tok == "meta")
    return true;
  return false;
}

bool ClassLooksChrome(const char* v) {
  if (!v) return false;
  std::string l = Lower(v);
  size_t i = 0;
  while (i < l.size()) {
    while (i < l.size() && IsSpace(static_cast<unsigned char>(l[i]))) ++i;
    size_t b = i;
    while (i < l.size() && !IsSpace(static_cast<unsigned char>(l[i]))) ++i;
    if (i > b && TokenMatches(std::string_view(l).substr(b, i - b))) return true;
  }
  return false;
}

bool IsChromeElement(const GumboNode* n) {
  if (n->type != GUMBO_NODE_ELEMENT) return false;
  switch (n->v.element.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
      return true;
    default:
      break;
  }
  if (Attr(n, "hidden")) return true;
  if (const char* r = Attr(n, "role")) {
    std::string l = Lower(r);
    if (l == "navigation" || l == "complementary" || l == "banner" ||
        l == "contentinfo" || l == "search" || l == "menu" || l == "dialog")
      return true;
  }
  if (const char* s = Attr(n, "style")) {
    std::string l = Lower(s);
    if (Contains(l, "display:none") || Contains(l, "display: none")) return true;
  }
  if (const char* a = Attr(n, "aria-hidden"))
    if (std::string_view(a) == "true") return true;
  return ClassLooksChrome(Attr(n, "class")) || ClassLooksChrome(Attr(n, "id"));
}

bool IsBlockTag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_LI: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BR: case GUMBO_TAG_TR: case GUMBO_TAG_TABLE: case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE: case GUMBO_TAG_PRE: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
    case GUMBO_TAG_HR: case GUMBO_TAG_MAIN: case GUMBO_TAG_BODY: case GUMBO_TAG_TD:
    case GUMBO_TAG_TH: case GUMBO_TAG_CENTER: case GUMBO_TAG_ADDRESS:
      return true;
    default:
      return false;
  }
}

bool IsHeadingTag(GumboTag t) {
  return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 ||
         t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

// Text blocks with their source offsets.
struct HBlock {
  std::string text;
  std::vector<Page::Segment> segs;  // text_offset relative to this block
  bool heading = false;
  bool quote = false;
};

class Emitter {
 public:
  void Walk(const GumboNode* n, bool quote, bool heading) {
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
      AddText(n->v.text.text, static_cast<uint32_t>(n->v.text.start_pos.offset), quote,
              heading);
      return;
    }
    if (n->type == GUMBO_NODE_WHITESPACE) {
      pending_space_ = true;
      return;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) return;
    if (IsChromeElement(n)) return;
    GumboTag tag = n->v.element.tag;
    bool block = IsBlockTag(tag);
    if (block) Break();
    bool q = quote || tag == GUMBO_TAG_BLOCKQUOTE;
    bool h = heading || IsHeadingTag(tag);
    const GumboVector& ch = n->v.element.children;
    for (unsigned i = 0; i < ch.length; ++i)
      Walk(static_cast<const GumboNode*>(ch.data[i]), q, h);
    if (block) Break();
    else pending_space_ = pending_space_ || tag == GUMBO_TAG_TD;
  }
  void Break() {
    if (!cur_.text.empty()) blocks_.push_back(std::move(cur_));
    cur_ = HBlock();
    pending_space_ = false;
  }
  std::vector<HBlock>& blocks() { return blocks_; }

 private:
  void AddText(const char* s, uint32_t src, bool quote, bool heading) {
    bool first = true;
    for (const char* p = s; *p; ++p) {
      unsigned char c = static_cast<unsigned char>(*p);
      bool space = IsSpace(c);
      if (c == 0xC2 && static_cast<unsigned char>(p[1]) == 0xA0) {
        space = true;
        ++p;
      }
      if (space) {
        pending_space_ = true;
        continue;
      }
      if (pending_space_ && !cur_.text.empty()) cur_.text.push_back(' ');
      pending_space_ = false;
      if (first) {
        cur_.segs.push_back({static_cast<uint32_t>(cur_.text.size()), src});
        first = false;
      }
      cur_.quote = cur_.quote || quote;
      cur_.heading = cur_.heading || heading;
      cur_.text.push_back(static_cast<char>(c));
    }
  }

  std::vector<HBlock> blocks_;
  HBlock cur_;
  bool pending_space_ = false;
};

void CollectText(const GumboNode* n, std::string* out) {
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA ||
      n->type == GUMBO_NODE_WHITESPACE) {
    out->append(n->v.text.text);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT) return;
  const GumboVector& ch = n->v.element.children;
  for (unsigned i = 0; i < ch.length; ++i)
    CollectText(static_cast<const GumboNode*>(ch.data[i]), out);
}

std::string CollapsedText(const GumboNode* n) {
  std::string raw;
  CollectText(n, &raw);
  std::string out;
  bool sp = false;
  for (char c : raw) {
    if (IsSpace(static_cast<unsigned char>(c))) {
      sp = true;
      continue;
    }
    if (sp && !out.empty()) out.push_back(' ');
    sp = false;
    out.push_back(c);
  }
  return out;
}

// Paragraph text directly under an element, not counting chrome.
size_t ParagraphChars(const GumboNode* n) {
  if (n->type != GUMBO_NODE_ELEMENT || IsChromeElement(n)) return 0;
  size_t total = 0;
  const GumboVector& ch = n->v.element.children;
  for (unsigned i = 0; i < ch.length; ++i) {
    const GumboNode* c = static_cast<const GumboNode*>(ch.data[i]);
    if (c->type == GUMBO_NODE_ELEMENT && c->v.element.tag == GUMBO_TAG_P &&
        !IsChromeElement(c)) {
      std::string t;
      CollectText(c, &t);
      total += t.size();
    }
  }
  return total;
}

struct Finder {
  const GumboNode* title = nullptr;
  const GumboNode* h1 = nullptr;
  std::vector<const GumboNode*> articles;
  const GumboNode* body_hint = nullptr;  // itemprop=articleBody, .entry-content ...
  const GumboNode* main = nullptr;
  const GumboNode* body = nullptr;
  const GumboNode* best_p_parent = nullptr;
  size_t best_p_chars = 0;
  std::string og_title;
  std::string meta_date;
  std::string time_date;
  std::string byline_date;

  void Walk(const GumboNode* n, bool in_chrome) {
    if (n->type != GUMBO_NODE_ELEMENT) return;
    GumboTag tag = n->v.element.tag;
    if (tag == GUMBO_TAG_TITLE && !title) title = n;
    if (tag == GUMBO_TAG_META) Meta(n);
    if (tag == GUMBO_TAG_TIME && time_date.empty()) {
      if (const char* dt = Attr(n, "datetime")) time_date = ParsePageDate(dt);
      if (time_date.empty()) time_date = ParsePageDate(CollapsedText(n));
    }
    if (const char* ip = Attr(n, "itemprop")) {
      std::string_view v(ip);
      if (v == "datePublished" && meta_date.empty()) {
        if (const char* c = Attr(n, "content")) meta_date = ParsePageDate(c);
        else if (const char* dt = Attr(n, "datetime")) meta_date = ParsePageDate(dt);
      }
      if (v == "articleBody" && !body_hint) body_hint = n;
    }
    bool chrome = in_chrome || IsChromeElement(n);
    if (byline_date.empty() && tag != GUMBO_TAG_HEAD) {
      std::string cls = Lower(std::string(Attr(n, "class") ? Attr(n, "class") : "") + " " +
                              (Attr(n, "id") ? Attr(n, "id") : ""));
      if (Contains(cls, "date") || Contains(cls, "byline") || Contains(cls, "posted") ||
          Contains(cls, "published") || Contains(cls, "meta")) {
        std::string t = CollapsedText(n);
        if (t.size() < 200) byline_date = ParsePageDate(t);
      }
    }
    if (!chrome) {
      if (tag == GUMBO_TAG_H1 && !h1) h1 = n;
      if (tag == GUMBO_TAG_ARTICLE) articles.push_back(n);
      if (tag == GUMBO_TAG_MAIN && !main) main = n;
      if (tag == GUMBO_TAG_BODY) body = n;
      if (!body_hint) {
        std::string cls = Lower(std::string(Attr(n, "class") ? Attr(n, "class") : "") + " " +
                                (Attr(n, "id") ? Attr(n, "id") : ""));
        for (const char* k : {"entry-content", "post-content", "article-body",
                              "article-content", "story-body", "story-content",
                              "post-body", "articlebody", "article__body", "field-body"})
          if (Contains(cls, k)) {
            body_hint = n;
            break;
          }
      }
      size_t pc = ParagraphChars(n);
      if (pc > best_p_chars) {
        best_p_chars = pc;
        best_p_parent = n;
      }
    }
    const GumboVector& ch = n->v.element.children;
    for (unsigned i = 0; i < ch.length; ++i)
      Walk(static_cast<const GumboNode*>(ch.data[i]), chrome);
  }

  void Meta(const GumboNode* n) {
    const char* content = Attr(n, "content");
    if (!content) return;
    const char* key = Attr(n, "property");
    if (!key) key = Attr(n, "name");
    if (!key) key = Attr(n, "itemprop");
    if (!key) return;
    std::string k = Lower(key);
    if (k == "og:title" && og_title.empty()) og_title = content;
    if (meta_date.empty() &&
        (k == "article:published_time" || k == "og:published_time" ||
         k == "datepublished" || k == "pubdate" || k == "publishdate" ||
         k == "publish-date" || k == "date" || k == "dc.date.issued" || k == "dc.date" ||
         k == "dcterms.date" || k == "dcterms.created" || k == "sailthru.date" ||
         k == "parsely-pub-date" || k == "article.published" || k == "citation_date"))
      meta_date = ParsePageDate(content);
  }
};

size_t TotalParagraphChars(const GumboNode* n) {
  if (n->type != GUMBO_NODE_ELEMENT || IsChromeElement(n)) return 0;
  size_t total = ParagraphChars(n);
  const GumboVector& ch = n->v.element.children;
  for (unsigned i = 0; i < ch.length; ++i)
    total += TotalParagraphChars(static_cast<const GumboNode*>(ch.data[i]));
  return total;
}

// Strips a site-name suffix: "Title | Site", "Title - Site", "Title — Site".
std::string StripSiteName(std::string t) {
  for (const char* sep : {" | ", " \xE2\x80\x94 ", " \xE2\x80\x93 ", " - ", " :: "}) {
    size_t p = t.rfind(sep);
    if (p != std::string::npos && p > 10) {
      t.resize(p);
      break;
    }
  }
  return std::string(Trim(t));
}

}  // namespace

// Hostile pages nest elements 100,000 deep: gumbo's scope checks are linear
// in the depth (quadratic overall), and its tree destruction and our walks
// recurse once per level. A lexical pass measures the nesting; when it goes
// beyond kMaxHtmlDepth the tags beyond that depth are dropped (their text
// stays), so the tree gumbo builds is at most that deep. Ordinary pages are
// parsed as they are.
constexpr int kMaxHtmlDepth = 1024;

static bool IsVoidTag(std::string_view name) {
  for (const char* v : {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                        "meta", "param", "source", "track", "wbr", "keygen", "command"})
    if (name.size() == std::strlen(v) &&
        std::equal(name.begin(), name.end(), v,
                   [](char a, char b) { return (a | 0x20) == b; }))
      return true;
  return false;
}

// Returns true and fills *out with the flattened HTML when `html` nests
// deeper than kMaxHtmlDepth.
static bool FlattenDeepHtml(std::string_view html, std::string* out) {
  auto is_alpha = [](char c) { return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); };
  for (int pass = 0; pass < 2; ++pass) {
    int depth = 0;
    bool deep = false;
    size_t i = 0, copied = 0;
    while (i < html.size()) {
      size_t lt = html.find('<', i);
      if (lt == std::string_view::npos || lt + 1 >= html.size()) break;
      bool close = html[lt + 1] == '/';
      size_t name_at = lt + (close ? 2 : 1);
      if (name_at >= html.size() || !is_alpha(html[name_at])) {
        i = lt + 1;
        continue;
      }
      size_t gt = html.find('>', name_at);
      if (gt == std::string_view::npos) break;
      size_t name_end = name_at;
      while (name_end < gt && (is_alpha(html[name_end]) || (html[name_end] >= '0' && html[name_end] <= '9')))
        ++name_end;
      std::string_view name = html.substr(name_at, name_end - name_at);
      bool self_closing = html[gt - 1] == '/';
      bool drop = false;
      if (close) {
        drop = depth > kMaxHtmlDepth;
        if (depth > 0) --depth;
      } else if (!IsVoidTag(name) && !self_closing) {
        ++depth;
        drop = depth > kMaxHtmlDepth;
      }
      if (drop) {
        deep = true;
        if (pass == 1) {
          out->append(html.substr(copied, lt - copied));
          copied = gt + 1;
        }
      }
      i = gt + 1;
    }
    if (!deep) return false;
    if (pass == 1) out->append(html.substr(copied));
  }
  return true;
}

Page CleanHtml(std::string_view input) {
  Page page;
  page.rewritten = true;
  std::string flattened;
  std::string_view html = FlattenDeepHtml(input, &flattened) ? std::string_view(flattened) : input;
  GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  if (!out) return page;
  Finder f;
  f.Walk(out->root, false);

  // Title: the article's <h1>, else og:title, else <title> without the site.
  if (f.h1) page.title = CollapsedText(f.h1);
  if (page.title.empty() && !f.og_title.empty()) page.title = std::string(Trim(f.og_title));
  if (page.title.empty() && f.title) page.title = StripSiteName(CollapsedText(f.title));

  // Body: the <article> with the most paragraph text, else a body hint, else
  // <main>, else the element with the most paragraph text.
  const GumboNode* root = nullptr;
  size_t best = 0;
  for (const GumboNode* a : f.articles) {
    size_t c = TotalParagraphChars(a);
    if (!root || c > best) {
      root = a;
      best = c;
    }
  }
  if (root && best < 100) root = nullptr;
  if (!root && f.body_hint) root = f.body_hint;
  if (!root && f.main) root = f.main;
  if (!root && f.best_p_parent) root = f.best_p_parent;
  if (!root) root = f.body ? f.body : out->root;

  Emitter em;
  em.Walk(root, false, false);
  em.Break();
  std::vector<HBlock>& hb = em.blocks();

  // Text-level chrome inside the article (donation appeals, bios, tags).
  std::vector<Block> blocks;
  blocks.reserve(hb.size());
  for (const auto& b : hb) blocks.push_back({Trim(b.text), 0, 0, b.heading, b.quote});
  std::string byline;
  std::vector<bool> chrome = ClassifyChrome(blocks, &byline);

  // Publication date: meta, then <time>, then a byline.
  if (!f.meta_date.empty()) {
    page.published = f.meta_date;
    page.published_source = "meta";
  } else if (!f.time_date.empty()) {
    page.published = f.time_date;
    page.published_source = "time";
  } else if (!f.byline_date.empty()) {
    page.published = f.byline_date;
    page.published_source = "byline";
  } else if (!byline.empty()) {
    page.published = byline;
    page.published_source = "byline";
  }

  // Assemble: title, blank line, paragraphs separated by blank lines.
  std::string& text = page.text;
  size_t first = 0;
  while (first < hb.size() && chrome[first]) ++first;
  bool title_in_body = first < hb.size() && Trim(hb[first].text) == Trim(page.title);
  if (!page.title.empty() && !title_in_body) {
    text += page.title;
    text += "\n\n";
  }
  uint32_t quote_start = 0;
  bool in_quote = false;
  for (size_t k = 0; k < hb.size(); ++k) {
    if (chrome[k]) continue;
    const HBlock& b = hb[k];
    if (!text.empty() && !text.ends_with("\n\n")) text += "\n\n";
    uint32_t base = static_cast<uint32_t>(text.size());
    if (b.quote && !in_quote) {
      quote_start = base;
      in_quote = true;
    } else if (!b.quote && in_quote) {
      page.quotes.emplace_back(quote_start, static_cast<uint32_t>(base - 2));
      in_quote = false;
    }
    for (const auto& s : b.segs) page.source_map.push_back({base + s.text_offset, s.source_offset});
    text += b.text;
  }
  if (in_quote) page.quotes.emplace_back(quote_start, static_cast<uint32_t>(text.size()));
  text += "\n";
  if (std::string d = BlankWireDateline(&text, nullptr); !d.empty()) {
    page.published = d;
    page.published_source = "dateline";
  }
  // Quotes introduced in the text ("From the ISAF press release:").
  for (const auto& q : FindQuotedReleases(text)) {
    bool dup = std::any_of(page.quotes.begin(), page.quotes.end(), [&](const auto& p) {
      return p.first <= q.first && q.second <= p.second;
    });
    if (!dup) page.quotes.push_back(q);
  }
  std::sort(page.quotes.begin(), page.quotes.end());
  gumbo_destroy_output(&kGumboDefaultOptions, out);
  return page;
}

}  // namespace sitrep::clean
