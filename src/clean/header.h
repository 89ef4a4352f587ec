// Finds where the body of a press release or news item starts, and the date
// the text was issued: the dateline ("KABUL, Afghanistan (Jan. 25, 2013)"),
// the reference number ("2013-01-S-025", which carries the year and month), a
// dated title ("Feb. 17: Afghan-ISAF Operations ...") or an "Operational
// Update" heading. Header lines ("For Immediate Release", "Download PDF",
// "ISAF Joint Command - Afghanistan") are skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "text/date.h"

namespace sitrep::clean {

struct Header {
  uint32_t body_start = 0;   // first byte of the body
  text::Date issued;         // release date, when the text gives one
  enum class Basis { kNone, kDateline, kTitle, kHeading } basis = Basis::kNone;
  bool has_dateline = false;
  uint32_t dateline_start = 0;  // [start, end) of the whole dateline
  uint32_t dateline_end = 0;
  std::string dateline_place;   // "KABUL"
  std::string dateline_country; // "Afghanistan"
  int ref_year = 0;             // from the reference number
  int ref_month = 0;
  std::string title;            // first line when it reads like a title
};

// `fallback_year` completes a day-and-month date when the text has no year.
Header ParseHeader(std::string_view text, int fallback_year);

}  // namespace sitrep::clean
