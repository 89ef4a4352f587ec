#include "text/date.h"

#include <chrono>

namespace sitrep::text {

bool Date::valid() const {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31)
    return false;  // std::chrono::day keeps only the low 8 bits
  std::chrono::year_month_day ymd{std::chrono::year(year),
                                  std::chrono::month(static_cast<unsigned>(month)),
                                  std::chrono::day(static_cast<unsigned>(day))};
  return ymd.ok();
}

long DaysFromCivil(const Date& d) {
  std::chrono::year_month_day ymd{std::chrono::year(d.year),
                                  std::chrono::month(static_cast<unsigned>(d.month)),
                                  std::chrono::day(static_cast<unsigned>(d.day))};
  return std::chrono::sys_days(ymd).time_since_epoch().count();
}

Date CivilFromDays(long days) {
  std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(days))};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(unsigned(ymd.month())),
              static_cast<int>(unsigned(ymd.day()))};
}

Date AddDays(const Date& d, long n) { return CivilFromDays(DaysFromCivil(d) + n); }

int Weekday(const Date& d) {
  std::chrono::weekday w{std::chrono::sys_days(std::chrono::days(DaysFromCivil(d)))};
  return static_cast<int>(w.c_encoding());
}

Date LastWeekdayOnOrBefore(const Date& d, int weekday) {
  int back = (Weekday(d) - weekday + 7) % 7;
  return AddDays(d, -back);
}

std::string FormatDate(const Date& d) {
  if (!d.valid()) return "";
  // By hand: snprintf cost ~1700 instructions a call, on every document.
  // valid() bounds the fields (year 1..9999), so the widths are fixed.
  char buf[10];
  auto put = [&](int pos, int value, int width) {
    for (int k = width - 1; k >= 0; --k, value /= 10) buf[pos + k] = static_cast<char>('0' + value % 10);
  };
  put(0, d.year, 4);
  buf[4] = '-';
  put(5, d.month, 2);
  buf[7] = '-';
  put(8, d.day, 2);
  return std::string(buf, sizeof buf);
}

Date ParseIsoDate(std::string_view s) {
  Date d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return {};
  auto num = [&](size_t b, size_t n) {
    int v = 0;
    for (size_t i = b; i < b + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  d.year = num(0, 4);
  d.month = num(5, 2);
  d.day = num(8, 2);
  if (!d.valid()) return {};
  return d;
}

int MonthFromName(std::string_view name) {
  // Lower-cased into a fixed buffer (a std::string per call was most of the
  // cost): nothing longer than "september" can match.
  constexpr size_t kLongest = 9;
  char buf[kLongest];
  size_t len = 0;
  for (char c : name) {
    if (c == '.') break;
    if (len == kLongest) return 0;
    buf[len++] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  std::string_view n(buf, len);
  static constexpr const char* kNames[] = {"january", "february", "march",
                                           "april", "may", "june", "july",
                                           "august", "september", "october",
                                           "november", "december"};
  for (int m = 0; m < 12; ++m) {
    std::string_view full(kNames[m]);
    if (n == full) return m + 1;
    if (n.size() >= 3 && n.size() < full.size() && full.substr(0, n.size()) == n)
      return m + 1;
  }
  return 0;
}

}  // namespace sitrep::text
