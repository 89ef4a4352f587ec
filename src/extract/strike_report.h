// Military strike reports that list places under country headings:
//
//   Iraq
//   Near Mosul, four strikes struck two ISIL tactical units ...
//   Syria
//   Near Raqqa, one strike destroyed an ISIL vehicle.
//
// One airstrike event per listed place, `count` = the number of strikes, the
// place resolved in the country of the current heading ("Iraq", "In Syria,",
// "Strikes in Syria").
#pragma once

#include <string>
#include <vector>

#include "extract/full_common.h"

namespace sitrep::extract::full {

struct StrikeOptions {
  text::Date date;          // event date (reference or "yesterday" resolved)
  std::string date_basis;
  std::string actor;        // canonical force id, may be empty
  std::string default_group;  // canonical group id when a line names none
  std::string doc_id;
};

// Returns true when the text reads as a strike report (two or more "Near
// <place>, N strikes" lines); then appends one event per line.
bool FindStrikeReport(const View& v, const StrikeOptions& o, std::vector<Event>* out,
                      std::vector<bool>* used_sentence);

}  // namespace sitrep::extract::full
