#include "extract/claims.h"

#include <algorithm>
#include <optional>

namespace sitrep::extract::full {
namespace {

using fact::KindBit;
using fact::LexBit;

struct Period {
  bool found = false;
  std::string from, to;
  uint32_t b = 0, e = 0;  // items of the period phrase
};

text::Date LastOfMonth(int y, int m) {
  text::Date next{m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1};
  return text::AddDays(next, -1);
}

std::string DateString(const text::Date& d, const std::string& precision) {
  if (precision == "day") return FormatPartial(d.year, d.month, d.day);
  if (precision == "month") return FormatPartial(d.year, d.month, 0);
  return FormatPartial(d.year, 0, 0);
}

std::string RefString(const text::Date& ref) {
  return ref.valid() ? text::FormatDate(ref) : "";
}

// Month or year range of a date phrase ("in April" -> 2011-04-01..2011-04-30).
void Range(const text::Date& d, const std::string& precision, Period* p) {
  if (precision == "month" && d.year > 0) {
    p->from = FormatPartial(d.year, d.month, 1);
    p->to = text::FormatDate(LastOfMonth(d.year, d.month));
  } else if (precision == "month") {
    p->from = FormatPartial(0, d.month, 0);
    p->to = p->from;
  } else if (precision == "year") {
    p->from = FormatPartial(d.year, 1, 1);
    p->to = FormatPartial(d.year, 12, 31);
  } else {
    p->from = p->to = DateString(d, precision);
  }
}

bool IsUnit(const View& v, uint32_t i, int* days) {
  const Words& w = v.w();
  if (v.Word(i, w.day_) || v.Word(i, w.days_)) *days = 1;
  else if (v.Word(i, w.week_) || v.Word(i, w.weeks_)) *days = 7;
  else if (v.Word(i, w.month_) || v.Word(i, w.months_)) *days = 30;
  else if (v.Word(i, w.year_) || v.Word(i, w.years_)) *days = 365;
  else return false;
  return true;
}

Period FindPeriod(const View& v, uint32_t s, const text::Date& ref) {
  const Words& w = v.w();
  Period p;
  uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
  for (uint32_t i = b; i < e && !p.found; ++i) {
    if (!(v.Facts(i) & fact::kPeriodWord)) continue;  // every branch below starts so
    text::Date d;
    std::string prec;
    uint32_t next = i;
    if (v.Word(i, w.since_) && v.DateAt(i + 1, e, ref, &d, &prec, &next)) {
      p.found = true;
      p.from = DateString(d, prec);
      if (prec == "month") p.from = FormatPartial(d.year, d.month, d.year > 0 ? 1 : 0);
      if (prec == "year") p.from = FormatPartial(d.year, 1, 1);
      p.to = RefString(ref);
      p.b = i;
      p.e = next;
    } else if ((v.Word(i, w.this_) || v.Word(i, w.last_)) && i + 1 < e) {
      bool last = v.Word(i, w.last_);
      if (v.Word(i + 1, w.year_)) {
        p.found = true;
        if (ref.valid()) {
          int y = last ? ref.year - 1 : ref.year;
          p.from = FormatPartial(y, 1, 1);
          p.to = last ? FormatPartial(y, 12, 31) : RefString(ref);
        }
        p.b = i;
        p.e = i + 2;
      } else if (v.Word(i + 1, w.month_)) {
        p.found = true;
        if (ref.valid()) {
          int y = ref.year, m = ref.month;
          if (last) {
            m -= 1;
            if (m == 0) {
              m = 12;
              --y;
            }
          }
          p.from = FormatPartial(y, m, 1);
          p.to = last ? text::FormatDate(LastOfMonth(y, m)) : RefString(ref);
        }
        p.b = i;
        p.e = i + 2;
      } else if (v.Word(i + 1, w.week_) && !last) {
        p.found = true;
        if (ref.valid()) {
          p.from = text::FormatDate(text::AddDays(ref, -6));
          p.to = RefString(ref);
        }
        p.b = i;
        p.e = i + 2;
      }
    } else if ((v.Word(i, w.over_) || v.Word(i, w.in_) || v.Word(i, w.during_)) &&
               v.Word(i + 1, w.the_) &&
               (v.Word(i + 2, w.past_) || v.Word(i + 2, w.last_))) {
      uint32_t k = i + 3;
      uint32_t after = k;
      int64_t n = v.NumberAt(k, e, &after);
      if (n < 0 && v.IsLex(k, Lex::kQuantity)) after = k + 1;  // "several"
      else if (n < 0) after = k;
      int unit = 0;
      if (IsUnit(v, after, &unit)) {
        p.found = true;
        p.to = RefString(ref);
        if (ref.valid() && n > 0) p.from = text::FormatDate(text::AddDays(ref, -n * unit));
        else if (ref.valid() && n < 0 && after == k) p.from = text::FormatDate(text::AddDays(ref, -unit));
        p.b = i;
        p.e = after + 1;
      }
    } else if (v.Word(i, w.so_) && v.Word(i + 1, w.far_)) {
      p.found = true;
      p.to = RefString(ref);
      p.b = i;
      p.e = i + 2;
    } else if (v.Word(i, w.to_) && v.Word(i + 1, w.date_)) {
      p.found = true;
      p.to = RefString(ref);
      p.b = i;
      p.e = i + 2;
    } else if (v.Word(i, w.between_) && v.DateAt(i + 1, e, ref, &d, &prec, &next) &&
               v.Word(next, w.and_)) {
      text::Date d2;
      std::string prec2;
      uint32_t next2;
      if (v.DateAt(next + 1, e, ref, &d2, &prec2, &next2)) {
        p.found = true;
        p.from = DateString(d, prec);
        p.to = DateString(d2, prec2);
        p.b = i;
        p.e = next2;
      }
    } else if (v.Word(i, w.in_) && v.DateAt(i + 1, e, ref, &d, &prec, &next) &&
               prec != "day") {
      p.found = true;
      Range(d, prec, &p);
      p.b = i;
      p.e = next;
    }
  }
  return p;
}

struct Metric {
  std::string name;   // raids, strikes, ...
  uint32_t noun = 0;  // item of the noun
  bool person = false;
  bool leader = false;
};

// The metric noun that a number at `i` (ending before `k`) counts.
bool MetricAfter(const View& v, uint32_t k, uint32_t e, Metric* m) {
  const Words& w = v.w();
  for (uint32_t j = k, skipped = 0; j < e && skipped <= 3; ++j, ++skipped) {
    if (v.IsLex(j, Lex::kOperation)) {
      const std::string& val = v.LexOf(j).value;
      if (val == "raid") m->name = "raids";
      else if (val == "operation") m->name = "operations";
      else return false;
      m->noun = j;
      return true;
    }
    if (v.IsLex(j, Lex::kAirstrike) || v.IsLex(j, Lex::kDroneStrike) ||
        v.Word(j, w.strikes_) || v.Word(j, w.strike_)) {
      m->name = "strikes";
      m->noun = j;
      return true;
    }
    if (v.Word(j, w.attacks_) || v.Word(j, w.attack_)) {
      m->name = "attacks";
      m->noun = j;
      return true;
    }
    if (v.IsLex(j, Lex::kRole) || v.IsLex(j, Lex::kPerson)) {
      // "leaders and associates": the first head counts.
      m->person = true;
      m->leader = v.IsLex(j, Lex::kRole) && v.LexOf(j).number == 1;
      m->noun = j;
      return true;
    }
    // "45 Taliban fighters" is one group item: its last word is the noun.
    if (v.I(j).kind == ItemKind::kGroup && v.I(j).tok_end - v.I(j).tok_begin > 1) {
      std::string_view raw = v.Raw(j);
      std::string_view last = raw.substr(raw.find_last_of(' ') + 1);
      for (const char* noun : {"fighters", "militants", "insurgents", "members", "operatives",
                               "leaders", "commanders", "terrorists", "gunmen"}) {
        if (last == noun) {
          m->person = true;
          m->leader = last == "leaders" || last == "commanders";
          m->noun = j;
          return true;
        }
      }
    }
    const Item& it = v.I(j);
    bool modifier = (it.kind == ItemKind::kWord && !(it.flags & text::kCapitalised) &&
                     !v.Word(j, w.of_) && !v.Word(j, w.in_) && !v.Word(j, w.and_) &&
                     !v.Word(j, w.the_) && !v.Word(j, w.to_) && !v.Word(j, w.by_) &&
                     !v.Word(j, w.on_) && !v.Word(j, w.were_) && !v.Word(j, w.was_)) ||
                    it.kind == ItemKind::kGroup ||
                    (it.kind == ItemKind::kLex && it.lex == Lex::kActor);
    if (!modifier) return false;
  }
  return false;
}

// The kill/capture verb of a number phrase at `num` whose noun is at `noun`:
// the nearest one before the number in the same clause ("the capture of two
// facilitators"), else the nearest in the sentence.
int NearestVerb(const View& v, uint32_t num, uint32_t noun, uint32_t b, uint32_t e) {
  for (uint32_t j = num; j > b && num - j < 8;) {
    --j;
    if (v.Punct(j, ';') || v.Punct(j, '.')) break;
    if (v.IsLex(j, Lex::kKill) || v.IsLex(j, Lex::kCapture)) return static_cast<int>(j);
  }
  int best = -1;
  uint32_t best_d = UINT32_MAX;
  for (uint32_t j = b; j < e; ++j) {
    if (!v.IsLex(j, Lex::kKill) && !v.IsLex(j, Lex::kCapture)) continue;
    uint32_t d = j > noun ? j - noun : noun - j;
    if (d < best_d) {
      best_d = d;
      best = static_cast<int>(j);
    }
  }
  return best;
}

std::vector<std::string> Regions(const View& v, uint32_t s, const Period& p) {
  std::vector<std::string> out;
  uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
  bool want_admin1 = false;
  for (uint32_t i = b; i < e; ++i)
    if (v.Word(i, v.w().provinces_)) want_admin1 = true;
  std::vector<std::string> countries;
  for (uint32_t i = b; i < e; ++i) {
    if (i >= p.b && i < p.e) continue;
    if (v.I(i).kind != ItemKind::kPlace) continue;
    int pl = v.ChoosePlace(i, "", want_admin1);
    if (pl < 0) continue;
    const Place& place = v.kb().places()[static_cast<size_t>(pl)];
    auto& list = place.level == PlaceLevel::kCountry ? countries : out;
    if (std::find(list.begin(), list.end(), place.name) == list.end())
      list.push_back(place.name);
  }
  if (out.empty()) return countries;
  return out;
}

int GroupInSentence(const View& v, uint32_t s) {
  for (uint32_t i = v.SentBegin(s); i < v.SentEnd(s); ++i) {
    int g = v.ArmedGroupOf(i);
    if (g >= 0 && !v.AffiliationModifier(i)) return g;
  }
  return -1;
}

// "Nine of these raids took place in April and four occurred in March".
std::vector<Claim::Part> Breakdown(const View& v, uint32_t from, uint32_t e,
                                   const text::Date& ref) {
  const Words& w = v.w();
  std::vector<Claim::Part> parts;
  for (uint32_t i = from; i < e; ++i) {
    uint32_t k;
    int64_t n = v.NumberAt(i, e, &k);
    if (n < 0) continue;
    if (i > 0 && v.MonthAt(i - 1) > 0) continue;  // a day of a date
    for (uint32_t j = k; j < e && j < k + 8; ++j) {
      if (!v.Word(j, w.in_) && !v.Word(j, w.during_)) continue;
      text::Date d;
      std::string prec;
      uint32_t next;
      if (!v.DateAt(j + 1, e, ref, &d, &prec, &next) || prec == "day") continue;
      Claim::Part part;
      part.period = prec == "month" ? FormatPartial(d.year, d.month, 0)
                                    : FormatPartial(d.year, 0, 0);
      part.value = n;
      parts.push_back(part);
      i = next - 1;
      break;
    }
  }
  return parts;
}

bool IsBreakdownSentence(const View& v, uint32_t s) {
  const Words& w = v.w();
  uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
  for (uint32_t i = b; i < e && i < b + 4; ++i) {
    uint32_t k;
    if (v.NumberAt(i, e, &k) >= 0 && v.Word(k, w.of_) &&
        (v.Word(k + 1, w.those_) || v.Word(k + 1, w.these_) || v.Word(k + 1, w.them_) ||
         v.Word(k + 1, w.the_)))
      return true;
  }
  return false;
}

}  // namespace

void FindClaims(const View& v, const text::Date& ref, int context_group,
                std::vector<Claim>* out, std::vector<bool>* claim_sentence) {
  const Words& w = v.w();
  uint32_t n = v.Sentences();
  claim_sentence->assign(n, false);
  int last_claim = -1;
  for (uint32_t s = 0; s < n; ++s) {
    uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
    // Cheap filter: a number or an ordinal must occur.
    if (!v.SentHas(s, KindBit(ItemKind::kNumber) | LexBit(Lex::kQuantity) | fact::kOrdinalWord))
      continue;
    bool any = false;
    for (uint32_t i = b; i < e && !any; ++i)
      any = v.I(i).kind == ItemKind::kNumber ||
            (v.IsLex(i, Lex::kQuantity) && v.LexOf(i).value == "word") ||
            v.OrdinalAt(i) > 0;
    if (!any) continue;
    if (last_claim >= 0 && IsBreakdownSentence(v, s)) {
      auto parts = Breakdown(v, b, e, ref);
      if (!parts.empty()) {
        Claim& c = (*out)[static_cast<size_t>(last_claim)];
        c.breakdown.insert(c.breakdown.end(), parts.begin(), parts.end());
        c.evidence.push_back(v.SentenceEvidence(s));
        (*claim_sentence)[s] = true;
        continue;
      }
    }
    Period p = FindPeriod(v, s, ref);
    // "In the course of those raids ...": the period of the previous claim.
    std::optional<Claim> inherit;
    if (!p.found && last_claim >= 0) {
      for (uint32_t i = b; i + 1 < e; ++i)
        if ((v.Word(i, w.those_) || v.Word(i, w.these_)) &&
            (v.IsLex(i + 1, Lex::kOperation) || v.Word(i + 1, w.strikes_) ||
             v.IsLex(i + 1, Lex::kAirstrike)))
          inherit = (*out)[static_cast<size_t>(last_claim)];
    }
    // A text of one sentence is read as a claim even without a period
    // (`sitrep claims check "16 raids against the IMU in Kunduz"`).
    bool single = n == 1;
    if (!p.found && !inherit && !single) continue;
    int group = GroupInSentence(v, s);
    if (group < 0 && s > 0) group = GroupInSentence(v, s - 1);
    if (group < 0) group = context_group;
    size_t first_new = out->size();
    for (uint32_t i = b; i < e; ++i) {
      if (i >= p.b && i < p.e && p.found) continue;
      uint32_t k = i;
      int64_t value = v.NumberAt(i, e, &k);
      bool ordinal = false;
      if (value < 0) {
        int o = v.OrdinalAt(i);
        if (o == 0) continue;
        value = o;
        k = i + 1;
        ordinal = true;
      }
      if (i > b && (v.MonthAt(i - 1) > 0 || (v.Punct(i - 1, '.') && v.MonthAt(i - 2) > 0)))
        continue;  // "Jan. 29"
      if (v.I(i).kind == ItemKind::kNumber && v.I(i).end - v.I(i).start == 4 &&
          value >= 1900 && value <= 2100)
        continue;  // a year
      if (v.Word(k, w.of_)) continue;  // "nine of those": a breakdown
      Metric m;
      if (!MetricAfter(v, k, e, &m)) continue;
      if (m.person) {
        int verb = NearestVerb(v, i, m.noun, b, e);
        if (verb >= 0) {
          bool kill = v.IsLex(static_cast<uint32_t>(verb), Lex::kKill);
          m.name = std::string(m.leader ? "leaders_" : "") + (kill ? "killed" : "captured");
        } else {
          // "targeted more than 20 leaders this year"
          bool targeted = false;
          for (uint32_t j = b; j < e && !targeted; ++j)
            targeted = v.LexValue(j, Lex::kOperation, "target");
          if (!targeted) continue;
          m.name = m.leader ? "leaders_targeted" : "targeted";
        }
      }
      (void)ordinal;
      Claim c;
      c.metric = m.name;
      c.value = value;
      if (group >= 0) c.group = v.kb().groups()[static_cast<size_t>(group)].id;
      if (inherit) {
        c.regions = inherit->regions;
        c.period_from = inherit->period_from;
        c.period_to = inherit->period_to;
        if (c.group.empty()) c.group = inherit->group;
      } else {
        c.regions = Regions(v, s, p);
        c.period_from = p.from;
        c.period_to = p.to;
      }
      c.text = std::string(v.SentText(s));
      c.evidence.push_back(v.SentenceEvidence(s));
      // A breakdown in the same sentence ("..., nine of them in April").
      uint32_t after = std::max(m.noun + 1, p.found ? p.e : 0u);
      c.breakdown = Breakdown(v, after, e, ref);
      out->push_back(std::move(c));
      i = m.noun;
    }
    if (out->size() > first_new) {
      // A lone sentence without a period may also report an event.
      if (p.found || inherit) (*claim_sentence)[s] = true;
      if (!inherit) last_claim = static_cast<int>(first_new);
    }
  }
}

}  // namespace sitrep::extract::full
