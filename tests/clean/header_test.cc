#include "clean/header.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <random>

#include "clean/header_patterns.h"

namespace sitrep::clean {
namespace {

TEST(Header, DatelineWithYear) {
  std::string t = "2012-05-S-011\nFor Immediate Release\n\nKABUL, Afghanistan (May 3, 2012)\nForces did things.";
  Header h = ParseHeader(t, 0);
  EXPECT_TRUE(h.has_dateline);
  EXPECT_EQ(text::FormatDate(h.issued), "2012-05-03");
  EXPECT_EQ(h.dateline_place, "KABUL");
  EXPECT_EQ(t.substr(h.body_start, 7), "\nForces");
}

TEST(Header, YearFromReferenceNumber) {
  std::string t = "2010-11-S-203\nISAF Joint Command - Afghanistan\n\nKABUL, Afghanistan (Nov. 9)\nText.";
  Header h = ParseHeader(t, 0);
  EXPECT_EQ(text::FormatDate(h.issued), "2010-11-09");
  EXPECT_EQ(h.ref_year, 2010);
}

TEST(Header, ReferenceNumberWithEnDashAfterLineSeparator) {
  // U+2028 before the number and U+2013 inside it, as some releases print it.
  std::string t = "Dec. 9: Patrol Finds Cache\nISAF Joint Command\u20282009-12-CA\u2013081\u2028"
                  "For Immediate Release\n\nA patrol found a cache today.";
  Header h = ParseHeader(t, 0);
  EXPECT_EQ(h.ref_year, 2009);
  EXPECT_EQ(h.ref_month, 12);
  EXPECT_EQ(text::FormatDate(h.issued), "2009-12-09");
}

TEST(Header, DatelineWithAbbreviatedState) {
  std::string t = "TAMPA, Fla. (March 2, 2016) - Coalition aircraft struck targets.";
  Header h = ParseHeader(t, 0);
  EXPECT_TRUE(h.has_dateline);
  EXPECT_EQ(h.dateline_place, "TAMPA");
  EXPECT_EQ(text::FormatDate(h.issued), "2016-03-02");
}

TEST(Header, TitleDateWithoutDateline) {
  std::string t = "Mar. 4: Joint Operations in the South\nNEWS RELEASE\u2028ISAF Joint Command - "
                  "Afghanistan\u20282010-03-CA-017\u2028For Immediate Release\n\nIn Helmand last night ...";
  Header h = ParseHeader(t, 0);
  EXPECT_EQ(text::FormatDate(h.issued), "2010-03-04");
  EXPECT_FALSE(h.has_dateline);
}

TEST(Header, DatelineQuotedInsideAnArticleIsNotTheHeader) {
  std::string t = "Coalition forces raided a compound in the north today, officials said after the "
                  "operation ended and the force returned to its base in the province.\n"
                  "From the release:\nKABUL, Afghanistan (May 5, 2011)\nForces detained two men.";
  Header h = ParseHeader(t, 0);
  EXPECT_FALSE(h.has_dateline);
  EXPECT_EQ(h.body_start, 0u);
}

TEST(Header, ImpossibleDateIsNotUsed) {
  Header h = ParseHeader("KABUL, Afghanistan (Feb. 30, 2011)\nText.", 0);
  EXPECT_FALSE(h.issued.valid());
}

// Random text made of the pieces the two header patterns look for, so that
// matches, near misses and UTF-8 oddities all come up.
std::string RandomHeaderText(std::mt19937& rng) {
  static const char* kPieces[] = {
      "KABUL", "Kabul", "Afghanistan", "Afghanistani", "Fla", "Iraq", ",", ", ", ".", ". ", "(",
      "( ", ")", " )", " ", "  ", "\t", "\n", "\r", "\f", "\v", "Jan", "Jan.", "Sept", "September",
      "Septembers", "Dec.", "1", "4", "12", "123", "2011", "20111", "-", "'", "_", "x", "X", "S",
      "CA", "ABCD", "\u2013", "\u2028", "\u00e9", "\xc3", "\xe2\x80", "\xff", "2010-", "-03-",
      "011-07-S-046", "2013-01-S-025", "09-12-CA\u2013081", "10-11-S-203X", "99-99-A-XX_"};
  std::string t;
  int n = 1 + static_cast<int>(rng() % 24);
  for (int i = 0; i < n; ++i) t += kPieces[rng() % (sizeof kPieces / sizeof *kPieces)];
  return t;
}

// A dateline-like text: each slot is usually right, sometimes not quite.
std::string RandomDateline(std::mt19937& rng) {
  auto pick = [&](std::initializer_list<const char*> l) {
    return std::string(l.begin()[rng() % l.size()]);
  };
  std::string t = pick({"", "", "x ", "For Immediate Release\n", "ISAF ", "a, ", "(", "Jan. 4, "});
  t += pick({"KABUL", "K", "Kabul", "FORWARD OPERATING BASE SALERNO", "TAMPA", "St. Louis-Oak's",
             "AN AREA WITH A VERY LONG NAME THAT GOES ON AND ON", "kabul", "K1"});
  t += pick({",", ", ", ",\n ", " ,", ",\v"});
  t += pick({"Afghanistan", "Afghanistani", "Iraq", "Fla", "A", "Ab", "afghanistan", "Mali"});
  t += pick({"", ".", ". ", " ", "..", "\t"});
  t += pick({"(", "( ", "(\n", "[", ""});
  t += pick({"Jan", "Jan.", "Ja", "Sept", "September", "Septembers", "MAY", "May"});
  t += pick({"", ".", " "});
  t += pick({" ", "  ", "\n", "", "\v"});
  t += pick({"4", "12", "123", "", "x"});
  t += pick({"", ", 2011", ",2011", ". 2011", ", 201", ", 20111", ",", " 2011", ", 2011 "});
  t += pick({")", " )", "", "]", ") more"});
  int edits = static_cast<int>(rng() % 3);
  for (int e = 0; e < edits && !t.empty(); ++e) t[rng() % t.size()] = static_cast<char>(rng() % 128);
  return t;
}

size_t Offset(std::string_view in, const char* p) {
  return p == nullptr ? SIZE_MAX : static_cast<size_t>(p - in.data());
}

TEST(HeaderPatterns, DatelineMatcherAgreesWithRe2) {
  const RE2 re(internal::kDatelinePattern);
  ASSERT_TRUE(re.ok());
  std::mt19937 rng(1);
  int matches = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string t = i % 2 ? RandomHeaderText(rng) : RandomDateline(rng);
    re2::StringPiece g[5];
    bool want = RE2::PartialMatch(t, re, &g[0], &g[1], &g[2], &g[3], &g[4]);
    internal::DatelineParts p;
    bool got = internal::MatchDateline(t, &p);
    ASSERT_EQ(got, want) << t;
    if (!want) continue;
    ++matches;
    std::string_view parts[5] = {p.place, p.country, p.month, p.day, p.year};
    for (int k = 0; k < 5; ++k) {
      EXPECT_EQ(Offset(t, parts[k].data()), Offset(t, g[k].data())) << t << " group " << k;
      EXPECT_EQ(parts[k].size(), g[k].size()) << t << " group " << k;
    }
  }
  EXPECT_GT(matches, 300);
}

TEST(HeaderPatterns, ReferenceMatcherAgreesWithRe2) {
  const RE2 re(internal::kRefPattern);
  ASSERT_TRUE(re.ok());
  std::mt19937 rng(2);
  int matches = 0, asked = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string t = RandomHeaderText(rng);
    re2::StringPiece y, m;
    bool want = RE2::PartialMatch(t, re, &y, &m);
    std::string_view gy, gm;
    internal::RefMatch got = internal::MatchRef(t, &gy, &gm);
    if (got == internal::RefMatch::kAskRe2) {
      ++asked;
      continue;
    }
    ASSERT_EQ(got == internal::RefMatch::kYes, want) << t;
    if (!want) continue;
    ++matches;
    EXPECT_EQ(Offset(t, gy.data()), Offset(t, y.data())) << t;
    EXPECT_EQ(gy.size(), y.size()) << t;
    EXPECT_EQ(Offset(t, gm.data()), Offset(t, m.data())) << t;
  }
  EXPECT_GT(matches, 10000);
  EXPECT_LT(asked, matches);
}

}  // namespace
}  // namespace sitrep::clean
