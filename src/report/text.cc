// Wording helpers for the brief: AP-style numbers, dates, months and lists.
#include <cstdio>
#include <cstdlib>

#include "report/report.h"

namespace sitrep::report {
namespace {

const char* const kMonthsAp[] = {"Jan.", "Feb.", "March", "April", "May", "June",
                                 "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."};
const char* const kMonthsFull[] = {"January", "February", "March",     "April",
                                   "May",     "June",     "July",      "August",
                                   "September", "October", "November", "December"};

int MonthIndex(const std::string& s) {
  if (s.size() < 7 || s[4] != '-') return -1;
  int m = std::atoi(s.substr(5, 2).c_str());
  return m >= 1 && m <= 12 ? m - 1 : -1;
}

}  // namespace

std::string NumberWord(int64_t n, bool capitalise) {
  static const char* const kWords[] = {
      "zero",    "one",     "two",       "three",    "four",     "five",    "six",
      "seven",   "eight",   "nine",      "ten",      "eleven",   "twelve",  "thirteen",
      "fourteen", "fifteen", "sixteen",  "seventeen", "eighteen", "nineteen"};
  static const char* const kTens[] = {"", "", "twenty", "thirty", "forty",
                                      "fifty", "sixty", "seventy", "eighty", "ninety"};
  std::string s;
  if (n >= 0 && n <= 9) {
    s = kWords[n];
  } else if (capitalise && n >= 10 && n <= 19) {
    // AP style: a sentence never starts with digits.
    s = kWords[n];
  } else if (capitalise && n >= 20 && n <= 99) {
    s = std::string(kTens[n / 10]) + (n % 10 ? std::string("-") + kWords[n % 10] : "");
  } else {
    s = std::to_string(n);
  }
  if (capitalise && !s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 32);
  return s;
}

std::string ApDate(const std::string& ymd, bool with_year) {
  int m = MonthIndex(ymd);
  if (m < 0) return ymd;
  std::string out = kMonthsAp[m];
  if (ymd.size() >= 10) out += " " + std::to_string(std::atoi(ymd.substr(8, 2).c_str()));
  if (with_year) out += (ymd.size() >= 10 ? ", " : " ") + ymd.substr(0, 4);
  return out;
}

std::string MonthName(const std::string& ym, bool with_year) {
  int m = MonthIndex(ym);
  if (m < 0) return ym;
  return std::string(kMonthsFull[m]) + (with_year ? " " + ym.substr(0, 4) : "");
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) s += items.size() == 2 ? " and " : (i + 1 == items.size() ? ", and " : ", ");
    s += items[i];
  }
  return s;
}

std::string Sentence::Text() const {
  std::string s;
  for (const auto& p : pieces) s += p.text;
  return s;
}

std::string Brief::SummaryText() const {
  std::string s;
  for (const auto& x : summary) {
    if (!s.empty()) s += " ";
    s += x.Text();
  }
  return s;
}

const Note* Brief::FindNote(int n) const {
  for (const auto& x : notes)
    if (x.n == n) return &x;
  return nullptr;
}

}  // namespace sitrep::report
