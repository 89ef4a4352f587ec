// Hand-written matchers for the two header patterns that run on every
// document: the dateline and the reference number. Through RE2 they were the
// costliest step of the isaf profile (about a fifth of its instructions, most
// of it RE2's set-up and submatch extraction per call). Each matcher returns
// exactly what RE2::PartialMatch returns for the pattern quoted beside it;
// tests/clean/header_test.cc checks that against RE2 on random text.
#pragma once

#include <string_view>

namespace sitrep::clean::internal {

inline constexpr const char* kDatelinePattern =
    R"(([A-Z][A-Za-z.'\- ]{1,40}),\s*(Afghanistan|Iraq|Syria|Pakistan|Yemen|Somalia|Libya|Mali|Nigeria|[A-Z][a-z]+)\.?\s*\(\s*([A-Z][a-z]{2,8})\.?\s+(\d{1,2})(?:[,.]\s*(\d{4}))?\s*\))";

struct DatelineParts {
  std::string_view place, country, month, day;
  std::string_view year;  // data() == nullptr when the year is absent
};

// Leftmost match of kDatelinePattern in `in`.
bool MatchDateline(std::string_view in, DatelineParts* out);

inline constexpr const char* kRefPattern =
    R"((?:^|[^0-9A-Za-z-])(\d{2,4})-(\d{2})-[A-Z]{1,3}(?:-|\x{2013})[0-9X]{2,4}\b)";

enum class RefMatch { kNo, kYes, kAskRe2 };

// Leftmost match of kRefPattern in `in`, with its year and month groups.
// kAskRe2: the leftmost candidate follows a non-ASCII character, which only
// counts as the pattern's separator when it is valid UTF-8; RE2 decides.
RefMatch MatchRef(std::string_view in, std::string_view* year, std::string_view* month);

}  // namespace sitrep::clean::internal
