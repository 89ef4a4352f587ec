#include "clean/header.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace sitrep::clean
