#include "text/date.h"

#include <gtest/gtest.h>

namespace sitrep::text {
namespace {

TEST(Date, ValidatesCalendar) {
  EXPECT_TRUE((Date{2012, 2, 29}).valid());
  EXPECT_FALSE((Date{2011, 2, 29}).valid());
  EXPECT_FALSE((Date{2011, 2, 30}).valid());
  EXPECT_FALSE((Date{20111, 1, 1}).valid());
}

TEST(Date, ArithmeticAndWeekdays) {
  EXPECT_EQ(FormatDate(AddDays(Date{2011, 3, 1}, -1)), "2011-02-28");
  EXPECT_EQ(Weekday(Date{2013, 1, 22}), 2);  // a Tuesday
  EXPECT_EQ(FormatDate(LastWeekdayOnOrBefore(Date{2013, 1, 22}, 0)), "2013-01-20");
  EXPECT_EQ(FormatDate(LastWeekdayOnOrBefore(Date{2013, 1, 22}, 2)), "2013-01-22");
}

TEST(Date, MonthNames) {
  EXPECT_EQ(MonthFromName("Sept."), 9);
  EXPECT_EQ(MonthFromName("January"), 1);
  EXPECT_EQ(MonthFromName("Dec"), 12);
  EXPECT_EQ(MonthFromName("Monday"), 0);
  EXPECT_EQ(FormatDate(ParseIsoDate("2011-02-05")), "2011-02-05");
  EXPECT_FALSE(ParseIsoDate("2011-02-30").valid());
}

}  // namespace
}  // namespace sitrep::text
