// Date parsing and arithmetic: ParseIsoDate, MonthFromName, Date::valid,
// FormatDate round trips and day arithmetic on whatever is valid.
#include <cstring>

#include "fuzz_util.h"
#include "text/date.h"

using sitrep::text::Date;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  Date d = sitrep::text::ParseIsoDate(s);
  if (d.year != 0 || d.month != 0 || d.day != 0) {
    FUZZ_CHECK(d.valid());
    FUZZ_CHECK(sitrep::text::FormatDate(d) == s);
  }
  int m = sitrep::text::MonthFromName(s);
  FUZZ_CHECK(m >= 0 && m <= 12);

  // Arbitrary field values: valid() decides, FormatDate agrees.
  if (size >= 12) {
    Date r;
    std::memcpy(&r.year, data, 4);
    std::memcpy(&r.month, data + 4, 4);
    std::memcpy(&r.day, data + 8, 4);
    std::string f = sitrep::text::FormatDate(r);
    FUZZ_CHECK(f.empty() == !r.valid());
    if (r.valid()) {
      FUZZ_CHECK(f.size() == 10);
      FUZZ_CHECK(sitrep::text::ParseIsoDate(f) == r);
      long days = sitrep::text::DaysFromCivil(r);
      FUZZ_CHECK(sitrep::text::CivilFromDays(days) == r);
      int16_t delta = 0;
      if (size >= 14) std::memcpy(&delta, data + 12, 2);
      Date moved = sitrep::text::AddDays(r, delta);
      FUZZ_CHECK(sitrep::text::DaysFromCivil(moved) == days + delta);
      int wd = sitrep::text::Weekday(r);
      FUZZ_CHECK(wd >= 0 && wd <= 6);
      Date last = sitrep::text::LastWeekdayOnOrBefore(r, (wd + (delta & 3)) % 7);
      FUZZ_CHECK(sitrep::text::DaysFromCivil(last) <= days);
      FUZZ_CHECK(days - sitrep::text::DaysFromCivil(last) < 7);
    }
  }
  return 0;
}
