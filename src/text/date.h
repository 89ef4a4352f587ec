// Calendar dates for extraction: validation, arithmetic and month names.
#pragma once

#include <string>
#include <string_view>

namespace sitrep::text {

struct Date {
  int year = 0;   // 0 = unknown
  int month = 0;  // 1..12, 0 = unknown
  int day = 0;    // 1..31, 0 = unknown
  bool valid() const;  // a real day of the Gregorian calendar
  bool operator==(const Date&) const = default;
};

// Days since 1970-01-01; the date must be valid.
long DaysFromCivil(const Date& d);
Date CivilFromDays(long days);
Date AddDays(const Date& d, long n);
// 0 = Sunday .. 6 = Saturday.
int Weekday(const Date& d);
// The most recent `weekday` on or before d.
Date LastWeekdayOnOrBefore(const Date& d, int weekday);

// "YYYY-MM-DD"; "" when invalid.
std::string FormatDate(const Date& d);
// Parses "YYYY-MM-DD"; returns an invalid date on failure.
Date ParseIsoDate(std::string_view s);
// "Jan", "Jan.", "January", "Sept" (any case) -> 1..12, else 0.
int MonthFromName(std::string_view name);

}  // namespace sitrep::text
