#include "extract/full_record.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "extract/claims.h"
#include "extract/full_common.h"
#include "extract/relations.h"
#include "extract/strike_report.h"

namespace sitrep::extract {
namespace {

using full::View;
using full::Words;
using full::fact::KindBit;
using full::fact::LexBit;
namespace fact = full::fact;

// Lex categories that name an action (a trigger of some kind).
constexpr uint64_t kTriggerLex = LexBit(Lex::kKill) | LexBit(Lex::kCapture);

bool HasCurrentTime(const View& v, uint32_t s) {
  if (!v.SentHas(s, LexBit(Lex::kTime))) return false;
  uint32_t e = v.SentEnd(s);
  for (uint32_t i = v.NextWith(v.SentBegin(s), e, LexBit(Lex::kTime)); i < e;
       i = v.NextWith(i + 1, e, LexBit(Lex::kTime))) {
    std::string_view t = v.LexOf(i).value;
    if (t == "today" || t == "yesterday" || t == "weekday" || t == "overnight") return true;
  }
  return false;
}

// A kill or capture that happened (not "responsible for killing", "to detain").
bool IsTrigger(const View& v, uint32_t i, uint32_t b) {
  if (!v.IsLex(i, Lex::kKill) && !v.IsLex(i, Lex::kCapture)) return false;
  if (i > b && v.Word(i - 1, v.w().to_)) return false;
  for (uint32_t k = i; k > b && i - k < 6;) {
    --k;
    if (v.Word(k, v.w().responsible_) || v.Word(k, v.w().involved_) ||
        v.Word(k, v.w().plans_))
      return false;
  }
  return true;
}

bool HasTrigger(const View& v, uint32_t s) {
  if (!v.SentHas(s, kTriggerLex | LexBit(Lex::kAirstrike) | LexBit(Lex::kDroneStrike)))
    return false;
  uint32_t b = v.SentBegin(s);
  for (uint32_t i = b; i < v.SentEnd(s); ++i) {
    if (IsTrigger(v, i, b)) return true;
    if (v.IsLex(i, Lex::kAirstrike) || v.IsLex(i, Lex::kDroneStrike)) return true;
  }
  return false;
}

// History the page recalls rather than reports.
// "In September, an attack on a convoy killed 27 soldiers" in a November
// story: a month named without a day, before the reference month, dates
// history.
bool EarlierMonth(const View& v, uint32_t s, const text::Date& ref) {
  if (!ref.valid()) return false;
  const Words& w = v.w();
  uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
  for (uint32_t i = b + 1; i < e; ++i) {
    int m = v.MonthAt(i);
    if (m == 0 || !v.Word(i - 1, w.in_)) continue;
    if (i + 1 < e && v.I(i + 1).kind == ItemKind::kNumber) continue;  // "in May 2011", "in May 5"
    if (m < ref.month) return true;
  }
  return false;
}

bool IsBackground(const View& v, uint32_t s, const text::Date& ref) {
  // Every cue has a history word, a year or a month (an earlier month dates
  // history: EarlierMonth).
  if (!v.SentHas(s, fact::kHistoryWord | fact::kMonth | KindBit(ItemKind::kNumber)))
    return false;
  const Words& w = v.w();
  uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
  bool cue = EarlierMonth(v, s, ref);
  for (uint32_t i = b; i < e && !cue; ++i) {
    if (v.Word(i, w.since_) || v.Word(i, w.ago_) || v.Word(i, w.previously_) ||
        v.Word(i, w.history_))
      cue = true;
    else if (v.Word(i, w.past_)) {
      // "over the past months", "in the past", "past two commanders"
      uint32_t k;
      cue = (i > b && (v.Word(i - 1, w.the_) || v.Word(i - 1, w.its_) ||
                       v.Word(i - 1, w.their_))) ||
            v.NumberAt(i + 1, e, &k) >= 0 || v.IsLex(i + 1, Lex::kQuantity);
    } else if (v.Word(i, w.last_) && (v.Word(i + 1, w.year_) || v.Word(i + 1, w.month_))) {
      cue = true;
    } else if (v.Word(i, w.earlier_) && v.Word(i + 1, w.this_)) {
      cue = true;
    } else if (v.Word(i, w.in_) && v.Word(i + 1, w.recent_)) {
      cue = true;
    } else if (v.Word(i, w.course_) && v.Word(i + 1, w.of_) &&
               (v.Word(i + 2, w.those_) || v.Word(i + 2, w.these_))) {
      cue = true;
    } else if ((v.Word(i, w.has_) || v.Word(i, w.have_)) && v.Word(i + 1, w.been_) &&
               v.Word(i + 2, w.involved_)) {
      cue = true;
    } else if (v.Word(i, w.stepped_) && v.Word(i + 1, w.up_)) {
      cue = true;
    } else if (v.Word(i, w.in_) && i + 1 < e && v.I(i + 1).kind == ItemKind::kNumber &&
               v.I(i + 1).end - v.I(i + 1).start == 4 && ref.valid() &&
               v.I(i + 1).number >= 1900 && v.I(i + 1).number < ref.year) {
      cue = true;
    }
  }
  return cue && !HasCurrentTime(v, s);
}

// Describes a group or a target rather than reporting an event.
bool IsDescription(const View& v, uint32_t s) {
  if (!v.SentHas(s, fact::kArmedGroup | LexBit(Lex::kEventType))) return false;
  bool group = false, op = false, desc_type = false, action_type = false;
  uint32_t b = v.SentBegin(s);
  constexpr uint64_t kReports = LexBit(Lex::kAirstrike) | LexBit(Lex::kDroneStrike) |
                               LexBit(Lex::kTime) | LexBit(Lex::kNoShots);
  // Items with none of these change nothing below.
  constexpr uint64_t kTested = kReports | kTriggerLex | fact::kArmedGroup |
                               LexBit(Lex::kOperation) | LexBit(Lex::kEventType) |
                               fact::kRecoveredWord;
  uint32_t e = v.SentEnd(s);
  for (uint32_t i = v.NextWith(b, e, kTested); i < e; i = v.NextWith(i + 1, e, kTested)) {
    uint64_t f = v.Facts(i);
    if ((f & kReports) || ((f & kTriggerLex) && IsTrigger(v, i, b))) return false;
    if (f & fact::kArmedGroup) group = true;
    if (f & LexBit(Lex::kOperation)) op = true;
    if (f & LexBit(Lex::kEventType)) {
      std::string_view t = v.LexOf(i).value;
      if (t == "clash" || t == "weapons_seizure") action_type = true;
      else desc_type = true;
    }
    // "The troops recovered two rifles and IED-making materials": what was found.
    if (v.Word(i, v.w().recovered_)) action_type = true;
  }
  if (action_type) return false;
  return desc_type || (group && !op);
}

// A raid, a targeting or a time word: a relation sentence that also reports
// ("In a raid today ..., ISAF targeted a leader of the al Qaeda-linked IMU").
bool HasRaidOrTime(const View& v, uint32_t s) {
  if (!v.SentHas(s, LexBit(Lex::kOperation) | LexBit(Lex::kTime))) return false;
  for (uint32_t i = v.SentBegin(s); i < v.SentEnd(s); ++i)
    if (v.LexValue(i, Lex::kOperation, "raid") || v.LexValue(i, Lex::kOperation, "target") ||
        v.LexValue(i, Lex::kOperation, "search") || v.IsLex(i, Lex::kTime))
      return true;
  return false;
}

// A sentence worth quoting as evidence of an event: it names an action, a
// time or a place (not "From the ISAF press release:").
bool IsEvidenceSentence(const View& v, uint32_t s) {
  constexpr uint64_t kAny =
      KindBit(ItemKind::kPlace) | kTriggerLex | LexBit(Lex::kAirstrike) |
      LexBit(Lex::kDroneStrike) | LexBit(Lex::kOperation) | LexBit(Lex::kEventType) |
      LexBit(Lex::kTime) | LexBit(Lex::kNoShots);
  if (!v.SentHas(s, kAny)) return false;
  for (uint32_t i = v.SentBegin(s); i < v.SentEnd(s); ++i) {
    const Item& it = v.I(i);
    if (it.kind == ItemKind::kPlace) return true;
    if (it.kind == ItemKind::kLex &&
        (it.lex == Lex::kCapture || it.lex == Lex::kKill || it.lex == Lex::kAirstrike ||
         it.lex == Lex::kDroneStrike || it.lex == Lex::kOperation ||
         it.lex == Lex::kEventType || it.lex == Lex::kTime || it.lex == Lex::kNoShots))
      return true;
  }
  return false;
}

// In a copy used to count background events, blanks the words that make the
// incident analysis read a sentence as a running total ("have killed",
// "past two", "since Jan. 29"), so that it counts the people the history
// names. Evidence is always sliced from the original text.
void NeutraliseTotals(const View& v, uint32_t s, const text::Date& ref, std::string* out) {
  const Words& w = v.w();
  uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
  auto blank = [&](uint32_t from, uint32_t to) {  // items [from, to)
    for (uint32_t i = from; i < to && i < e; ++i)
      for (uint32_t p = v.I(i).start; p < v.I(i).end; ++p) (*out)[p] = ' ';
  };
  for (uint32_t i = b; i < e; ++i) {
    text::Date d;
    std::string prec;
    uint32_t next;
    if (v.Word(i, w.since_)) {
      blank(i, v.DateAt(i + 1, e, ref, &d, &prec, &next) ? next : i + 1);
    } else if (v.Word(i, w.total_) || (v.Word(i, w.so_) && v.Word(i + 1, w.far_)) ||
               (v.Word(i, w.to_) && v.Word(i + 1, w.date_))) {
      blank(i, v.Word(i, w.total_) ? i + 1 : i + 2);
    } else if (v.Word(i, w.past_) || v.Word(i, w.last_) || v.Word(i, w.this_)) {
      uint32_t k;
      if (v.Word(i + 1, w.year_) || v.Word(i + 1, w.month_) || v.Word(i + 1, w.months_) ||
          v.Word(i + 1, w.weeks_) || v.Word(i + 1, w.years_) ||
          v.NumberAt(i + 1, e, &k) >= 0 || v.IsLex(i + 1, Lex::kQuantity))
        blank(i, i + 1);
    } else if (v.Word(i, w.have_) || v.Word(i, w.has_)) {
      blank(i, i + 1);
    }
  }
}

// Items that change the incident analysis when their sentence is blanked.
bool HasRelevantItems(const View& v, uint32_t s) {
  constexpr uint64_t kIgnored = LexBit(Lex::kQuantity) | LexBit(Lex::kPerson) |
                                LexBit(Lex::kReport) | LexBit(Lex::kCivilian) |
                                LexBit(Lex::kWounded);
  constexpr uint64_t kAny = KindBit(ItemKind::kPlace) | KindBit(ItemKind::kGroup) |
                            ((LexBit(Lex::kCount) - 1) & ~kIgnored);
  if (!v.SentHas(s, kAny)) return false;
  for (uint32_t i = v.SentBegin(s); i < v.SentEnd(s); ++i) {
    const Item& it = v.I(i);
    if (it.kind == ItemKind::kPlace || it.kind == ItemKind::kGroup) return true;
    if (it.kind == ItemKind::kLex && it.lex != Lex::kQuantity && it.lex != Lex::kPerson &&
        it.lex != Lex::kReport && it.lex != Lex::kCivilian && it.lex != Lex::kWounded)
      return true;
  }
  return false;
}

// First armed group named as such (not "al Qaeda-linked") in the text.
int MainGroup(const View& v) {
  for (uint32_t i = 0; i < v.Items(); ++i) {
    int g = v.ArmedGroupOf(i);
    if (g >= 0 && !v.AffiliationModifier(i)) return g;
  }
  return -1;
}

// A sentence that opens a digest entry: "In Helmand province, ...", "In Nad
// Ali district, Helmand province, ...", "Also in ...", "Elsewhere in ...",
// "Helmand province: ...". Only at the start of a line.
bool OpensEntry(const View& v, uint32_t s) {
  const Words& w = v.w();
  uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
  if (!(v.I(b).flags & text::kLineStart)) return false;
  uint32_t k = b;
  if ((v.Word(k, w.also_) || v.Word(k, w.elsewhere_) || v.Word(k, w.meanwhile_)) &&
      v.Word(k + 1, w.in_))
    k += 2;
  else if (v.Word(k, w.in_))
    ++k;
  else if (v.I(k).kind == ItemKind::kPlace &&
           ((v.Word(k + 1, w.province_) && v.Punct(k + 2, ':')) || v.Punct(k + 1, ':')))
    return true;
  else
    return false;
  if (v.Word(k, w.the_)) ++k;
  if (k >= e || v.I(k).kind != ItemKind::kPlace) return false;
  // The place phrase ends with a comma before the clause.
  for (uint32_t j = k + 1; j < e && j < k + 8; ++j)
    if (v.Punct(j, ',')) return true;
  return false;
}

bool HasEventWords(const View& v, uint32_t s) {
  if (!v.SentHas(s, kTriggerLex | LexBit(Lex::kAirstrike) | LexBit(Lex::kDroneStrike) |
                        LexBit(Lex::kOperation) | LexBit(Lex::kEventType)))
    return false;
  for (uint32_t i = v.SentBegin(s); i < v.SentEnd(s); ++i)
    if (v.IsLex(i, Lex::kCapture) || v.IsLex(i, Lex::kKill) || v.IsLex(i, Lex::kAirstrike) ||
        v.IsLex(i, Lex::kDroneStrike) || v.IsLex(i, Lex::kOperation) ||
        v.IsLex(i, Lex::kEventType))
      return true;
  return false;
}

// The day a time word at item i names, against the reference date.
bool ResolveItem(const View& v, uint32_t i, const text::Date& ref, text::Date* d) {
  if (!ref.valid() || !v.IsLex(i, Lex::kTime)) return false;
  const LexEntry& e = v.LexOf(i);
  std::string_view value = e.value;
  if (value == "today" || value == "overnight") *d = ref;
  else if (value == "yesterday") *d = text::AddDays(ref, -1);
  else if (value == "weekday") *d = text::LastWeekdayOnOrBefore(ref, e.number);
  else return false;
  return true;
}

// Resolves a relative time word against the reference date.
bool ResolveTime(const View& v, uint32_t s, const text::Date& ref, text::Date* d) {
  if (!ref.valid() || !v.SentHas(s, LexBit(Lex::kTime))) return false;
  uint32_t end = v.SentEnd(s);
  for (uint32_t i = v.NextWith(v.SentBegin(s), end, LexBit(Lex::kTime)); i < end;
       i = v.NextWith(i + 1, end, LexBit(Lex::kTime)))
    if (ResolveItem(v, i, ref, d)) return true;
  return false;
}

// Wire copy dates twice: "... killed six militants on Wednesday, the
// military said on Thursday". The day after "said" is when it was told; the
// event's day is the other one.
bool EventDayBesideReportDay(const View& v, const Incident& inc, const text::Date& ref,
                             text::Date* out) {
  const Words& w = v.w();
  uint32_t last = std::min<uint32_t>(inc.end_sentence, v.Sentences());
  for (uint32_t s = inc.first_sentence; s < last; ++s) {
    if (!v.SentHas(s, LexBit(Lex::kTime))) continue;
    uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
    bool reported_day = false, event_day = false;
    text::Date event;
    for (uint32_t i = v.NextWith(b, e, LexBit(Lex::kTime)); i < e;
         i = v.NextWith(i + 1, e, LexBit(Lex::kTime))) {
      text::Date d;
      if (!ResolveItem(v, i, ref, &d)) continue;
      bool told = false;
      for (uint32_t k = i; k > b && i - k <= 3 && !told;) {
        --k;
        told = v.Word(k, w.said_) || v.Word(k, w.told_) || v.Word(k, w.added_) ||
               v.Word(k, w.stated_) || v.IsLex(k, Lex::kReport);
      }
      if (told) {
        reported_day = true;
      } else if (!event_day) {
        event_day = true;
        event = d;
      }
    }
    if (reported_day && event_day) {
      *out = event;
      return true;
    }
  }
  return false;
}

// Copy of `text` with every sentence not in `keep` blanked (line breaks kept).
std::string Masked(const View& v, std::string_view text, const std::vector<bool>& keep) {
  std::string out(text);
  char* bytes = out.data();
  for (uint32_t s = 0; s < v.Sentences(); ++s) {
    if (keep[s]) continue;
    // Runs between line breaks become spaces.
    for (uint32_t p = v.SentStart(s), stop = v.SentStop(s); p < stop;) {
      const void* nl = std::memchr(bytes + p, '\n', stop - p);
      uint32_t q = nl ? static_cast<uint32_t>(static_cast<const char*>(nl) - bytes) : stop;
      std::memset(bytes + p, ' ', q - p);
      p = q + 1;
    }
  }
  return out;
}

// The sentence that starts at byte `start`, or UINT32_MAX.
uint32_t SentenceAt(const View& v, uint32_t start) {
  uint32_t lo = 0, hi = v.Sentences();
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (v.SentStart(mid) < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < v.Sentences() && v.SentStart(lo) == start ? lo : UINT32_MAX;
}

bool InRanges(const std::vector<std::pair<uint32_t, uint32_t>>& r, uint32_t start) {
  for (const auto& [b, e] : r)
    if (start >= b && start < e) return true;
  return false;
}

// People the event targeted without catching them: "an operation to detain
// an IMU leader", "targeted yet another leader of the al Qaeda-linked IMU".
void TargetedPeople(const View& v, uint32_t first_s, uint32_t end_s, Event* ev) {
  const Words& w = v.w();
  const auto& groups = v.kb().groups();
  for (uint32_t s = first_s; s < end_s; ++s) {
    if (!v.SentHas(s, LexBit(Lex::kRole))) continue;
    uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
    // An operation word or "to" (one of the period words).
    constexpr uint64_t kCue = LexBit(Lex::kOperation) | fact::kPeriodWord;
    for (uint32_t i = v.NextWith(b, e, kCue); i < e; i = v.NextWith(i + 1, e, kCue)) {
      bool target = v.LexValue(i, Lex::kOperation, "target") ||
                    v.LexValue(i, Lex::kOperation, "search") ||
                    (v.Word(i, w.to_) && (v.Word(i + 1, w.detain_) || v.Word(i + 1, w.capture_) ||
                                          v.Word(i + 1, w.arrest_) || v.Word(i + 1, w.kill_)));
      if (!target) continue;
      int group = -1;
      uint32_t j = i + 1;
      if (v.Word(i, w.to_)) ++j;
      uint32_t role = 0;
      bool found = false;
      for (; j < e && j < i + 10; ++j) {
        if (v.IsLex(j, Lex::kRole)) {
          role = j;
          found = true;
          break;
        }
        int g = v.ArmedGroupOf(j);
        if (g >= 0 && !v.AffiliationModifier(j)) group = g;
        const Item& it = v.I(j);
        if (it.kind == ItemKind::kPunct || v.IsLex(j, Lex::kCapture) ||
            v.IsLex(j, Lex::kKill) || v.IsLex(j, Lex::kPerson))
          break;
      }
      if (!found) continue;
      const LexEntry& r = v.LexOf(role);
      Person p;
      p.role = r.value;
      p.fate = "targeted";
      uint32_t k = role + 1;
      // "leader of the al Qaeda-linked Islamic Movement of Uzbekistan"
      if (v.Word(k, w.of_)) {
        for (uint32_t m = k + 1; m < e && m < k + 6; ++m) {
          int g = v.ArmedGroupOf(m);
          if (g >= 0 && !v.AffiliationModifier(m)) {
            if (group < 0) group = g;
            break;
          }
          if (v.I(m).kind == ItemKind::kPunct) break;
        }
      } else {
        // A name right after the role: "leader Mullah Abdul".
        uint32_t nb = k;
        if (v.Punct(nb, ',')) ++nb;
        uint32_t ne = nb;
        while (ne < e && ne < nb + 4 && v.I(ne).kind == ItemKind::kWord && v.Capitalised(ne))
          ++ne;
        if (ne > nb)
          p.name = std::string(v.a().text.substr(v.I(nb).start, v.I(ne - 1).end - v.I(nb).start));
      }
      if (group >= 0) p.group = groups[static_cast<size_t>(group)].id;
      bool dup = false;
      for (auto& q : ev->people) {
        if (q.role != p.role) continue;
        if (!q.group.empty() && !p.group.empty() && q.group != p.group) continue;
        if (!q.name.empty() && !p.name.empty() && q.name != p.name) continue;
        if (q.group.empty()) q.group = p.group;
        if (q.name.empty()) q.name = p.name;
        dup = true;
        break;
      }
      if (!dup) ev->people.push_back(p);
    }
  }
}

// The types of the DESIGN.md enumeration.
constexpr std::string_view kTypes[] = {
    "raid", "detention", "airstrike", "drone_strike", "clash", "ied", "suicide_attack",
    "assassination", "artillery", "weapons_seizure", "other"};
// kTypes by length and last letter: no two share both (checked below), so a
// type is known after one compare.
struct TypeTable {
  static constexpr size_t kLengths = 16;
  int8_t at[kLengths][26];
  bool unique = true;
  constexpr TypeTable() : at{} {
    for (auto& row : at)
      for (auto& x : row) x = -1;
    for (size_t k = 0; k < std::size(kTypes); ++k) {
      std::string_view t = kTypes[k];
      if (t.size() >= kLengths || t.back() < 'a' || t.back() > 'z') {
        unique = false;
        continue;
      }
      int8_t& slot = at[t.size()][t.back() - 'a'];
      if (slot >= 0) unique = false;
      slot = static_cast<int8_t>(k);
    }
  }
};
constexpr TypeTable kTypeTable;
static_assert(kTypeTable.unique, "two types share a length and a last letter");

// The index of t in kTypes, -1 when it is none of them.
constexpr int TypeCode(std::string_view t) {
  if (t.empty() || t.size() >= TypeTable::kLengths || t.back() < 'a' || t.back() > 'z')
    return -1;
  int k = kTypeTable.at[t.size()][t.back() - 'a'];
  return k >= 0 && t == kTypes[static_cast<size_t>(k)] ? k : -1;
}

// Types from the DESIGN.md enumeration only; what a seized cache held
// (mortar rounds, IEDs) is not an attack; a kill without a raid or strike is
// a clash.
void NormaliseTypes(Event* ev) {
  // Filtered in place: kept types move to the front, in order, once each.
  // Types are told apart by their index in kTypes (one string compare each).
  static constexpr int kArtillery = TypeCode("artillery"), kIed = TypeCode("ied"),
                       kSeizure = TypeCode("weapons_seizure"), kOther = TypeCode("other");
  std::vector<std::string>& types = ev->types;
  bool seizure = std::any_of(types.begin(), types.end(),
                             [](const std::string& t) { return TypeCode(t) == kSeizure; });
  uint32_t seen = 0;  // bit k: kTypes[k] kept
  size_t kept = 0;
  for (size_t r = 0; r < types.size(); ++r) {
    int code = TypeCode(types[r]);
    if (code < 0) continue;
    if (seizure && (code == kArtillery || code == kIed)) continue;
    if (seen & (uint32_t{1} << code)) continue;
    seen |= uint32_t{1} << code;
    if (kept != r) types[kept] = std::move(types[r]);
    ++kept;
  }
  types.resize(kept);
  if (types.size() > 1 && (seen & (uint32_t{1} << kOther)))
    types.erase(std::find(types.begin(), types.end(), kTypes[kOther]));
  if ((types.empty() || (types.size() == 1 && types[0] == "other")) && ev->killed &&
      *ev->killed > 0)
    types.assign(1, "clash");
  if (types.empty()) types.push_back("other");
}

// A raid is an operation by a force: an incident whose only operation word
// is the patrol that was hit ("a roadside bomb struck an army patrol",
// "gunmen ambushed a patrol"), or a bombing whose only one is its target
// ("police have been a frequent target") or a peacekeeping operation, is not
// one.
// "will continue their operations", "the ongoing clearance operations": the
// campaign the release closes or opens with, not this event's raid.
bool OngoingOperation(const View& v, uint32_t i) {
  const Words& w = v.w();
  uint32_t b = v.SentBegin(v.I(i).sentence);
  for (uint32_t k = i; k > b && i - k <= 4;) {
    --k;
    if (v.Word(k, w.continue_) || v.Word(k, w.continues_) || v.Word(k, w.continued_) ||
        v.Word(k, w.continuing_) || v.Word(k, w.ongoing_))
      return true;
    if (v.I(k).kind == ItemKind::kPunct) return false;
  }
  return false;
}

// "Soldiers on Sunday night repelled an attack on Damboa": unnamed soldiers
// or troops who act, in a country whose catalogue has one state force (the
// Nigerian, Somali, Kenyan, Malian army ...), are that force. Not where
// several state forces serve (Afghanistan, Iraq, Pakistan), and not soldiers
// who were only killed or wounded.
std::string HomeArmy(const View& v, const Incident& inc, const std::string& cc) {
  if (cc.empty()) return "";
  const Group* home = nullptr;
  for (const auto& g : v.kb().groups()) {
    if (!g.is_force || g.type != "state" || g.country != cc) continue;
    if (home) return "";
    home = &g;
  }
  if (!home) return "";
  const Words& w = v.w();
  for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < v.Sentences(); ++s)
    for (uint32_t i = v.SentBegin(s); i < v.SentEnd(s); ++i) {
      if (!(v.Word(i, w.soldiers_) || v.Word(i, w.troops_))) continue;
      uint32_t k = i + 1;
      if (v.Word(k, w.were_) || v.Word(k, w.was_)) return "";  // victims, or passive
      if (i > v.SentBegin(s)) {
        uint32_t p = i - 1;
        if (v.I(p).kind == ItemKind::kNumber || v.IsLex(p, Lex::kQuantity)) return "";
      }
      return home->id;
    }
  return "";
}

// "Islamic State fighters killed 22 civilians in raids on two herding
// camps": the raids of an armed group that kills are its attacks, not a
// force's operation. The group stands before the kill verb, and no force is
// named in the sentence.
bool RaidByArmedGroup(const View& v, uint32_t s, uint32_t raid) {
  uint32_t b = v.SentBegin(s);
  bool group = false;
  for (uint32_t i = b; i < raid; ++i) {
    if (v.ArmedGroupOf(i) >= 0 && !v.AffiliationModifier(i)) group = true;
    if (v.IsLex(i, Lex::kKill)) return group;  // group, kill verb, then the raid word
  }
  return false;
}

void DropUnsupportedRaid(const View& v, const Incident& inc, Event* ev) {
  auto has = [&](std::string_view t) {
    return std::find(ev->types.begin(), ev->types.end(), t) != ev->types.end();
  };
  if (!has("raid") || has("detention")) return;
  // After a bombing, "target" and "search" are the bombers' target and the
  // search for them, not an operation.
  bool attack = has("ied") || has("suicide_attack");
  bool real_op = false;
  for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < v.Sentences(); ++s) {
    if (!v.SentHas(s, LexBit(Lex::kOperation))) continue;
    bool force = false;
    for (uint32_t i = v.SentBegin(s); i < v.SentEnd(s); ++i)
      force = force || v.IsLex(i, Lex::kActor) || v.IsForce(v.GroupOf(i));
    for (uint32_t i = v.SentBegin(s); i < v.SentEnd(s); ++i) {
      if (!v.IsLex(i, Lex::kOperation)) continue;
      const std::string& op = v.LexOf(i).value;
      if (op == "patrol" || OngoingOperation(v, i)) continue;
      if (op == "raid" && !force && RaidByArmedGroup(v, s, i)) continue;
      // "the deadliest U.N. operation": with a bombing, an operation counts
      // when a force is named with it.
      if (attack && op != "raid" && op != "clearing" && !(op == "operation" && force)) continue;
      real_op = true;
    }
  }
  if (real_op) return;
  ev->types.erase(std::remove(ev->types.begin(), ev->types.end(), "raid"), ev->types.end());
  if (ev->types.empty()) ev->types.push_back(ev->killed && *ev->killed > 0 ? "clash" : "other");
}

// A time word or a dated day in the incident: what separates "forces
// conducted an operation in Zurmat district today" from "Afghan forces now
// lead nearly all operations in the south".
bool IncidentIsDated(const View& v, const Incident& inc, const text::Date& ref) {
  for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < v.Sentences(); ++s) {
    // A dated day names its month.
    if (!v.SentHas(s, LexBit(Lex::kTime) | fact::kMonth)) continue;
    uint32_t e = v.SentEnd(s);
    for (uint32_t i = v.SentBegin(s); i < e; ++i) {
      if (v.IsLex(i, Lex::kTime)) return true;
      // A day is "<month> <day>" or "<day> <month>".
      if (!(v.Facts(i) & (fact::kMonth | KindBit(ItemKind::kNumber)))) continue;
      text::Date d;
      std::string prec;
      uint32_t next;
      if (v.DateAt(i, e, ref, &d, &prec, &next) && prec == "day") return true;
    }
  }
  return false;
}

// "on March 10, 2021" in the incident's own sentences: the day of the event,
// when the incident analysis fell back to the release or page date. Only a
// day on or before the reference date and at most 60 days before it (a later
// or older date is a plan, a deadline or history).
bool ExplicitDay(const View& v, const Incident& inc, const text::Date& ref, text::Date* out) {
  if (!ref.valid()) return false;
  for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < v.Sentences(); ++s) {
    uint64_t f = v.SentFacts(s);
    if (!(f & fact::kOnWord) || !(f & fact::kMonth)) continue;
    uint32_t e = v.SentEnd(s);
    for (uint32_t i = v.SentBegin(s); i + 1 < e; ++i) {
      if (!v.Word(i, v.w().on_)) continue;
      text::Date d;
      std::string prec;
      uint32_t next;
      if (!v.DateAt(i + 1, e, ref, &d, &prec, &next) || prec != "day" || !d.valid()) continue;
      int64_t gap = text::DaysFromCivil(ref) - text::DaysFromCivil(d);
      if (gap < 0 || gap > 60) continue;
      *out = d;
      return true;
    }
  }
  return false;
}

// A person's name written as a capitalised run at item i ("Mullah Sher
// Dilawar", "Abu Marwan al-Juburi"): returns the bytes, or "" when the run
// has fewer than two words or holds a group or a lexicon phrase. Words that
// are also village names ("Gul", "Khan") may sit inside a name.
std::string NameAt(const View& v, uint32_t i, uint32_t e) {
  const Words& w = v.w();
  auto wordlike = [&](uint32_t j) {
    ItemKind k = v.I(j).kind;
    return k == ItemKind::kWord ||
           (k == ItemKind::kPlace && v.I(j).tok_end - v.I(j).tok_begin == 1);
  };
  if (i >= e || !wordlike(i) || !v.Capitalised(i)) return "";
  uint32_t j = i, words = 0, last = i;
  while (j < e) {
    const Item& it = v.I(j);
    bool particle = v.Word(j, w.al_) || v.Word(j, w.bin_) || v.Word(j, w.ibn_) ||
                    v.Word(j, w.abu_) || v.Word(j, w.el_);
    if (wordlike(j) && (v.Capitalised(j) || particle)) {
      ++words;
      last = j;
      ++j;
    } else if (it.kind == ItemKind::kPunct && (it.punct == '-' || it.punct == '\'') &&
               j + 1 < e && wordlike(j + 1) && it.end == v.I(j + 1).start &&
               j > i && v.I(j - 1).end == it.start) {
      ++j;  // "al-Juburi", "Ma'ruf"
    } else {
      break;
    }
  }
  if (words < 2 || !v.Capitalised(last)) return "";
  return std::string(v.a().text.substr(v.I(i).start, v.I(last).end - v.I(i).start));
}

// Names the event's unnamed people from an apposition in the reported text:
// "The leader, Qari Fazal Wahab, organised ...", "a Taliban commander, Mullah
// Sher Dilawar, and ...", "The cell leader, identified as Abu Marwan
// al-Juburi, was ...", "killing Saleh Ahmed al-Dhahab, an operations planner
// for ...". Only a role held by one unnamed person is named, so that a name
// is never given to the wrong person.
void NamePeople(const View& v, uint32_t first_s, uint32_t end_s, Event* ev) {
  const Words& w = v.w();
  for (auto& p : ev->people) {
    if (!p.name.empty() || p.role.empty()) continue;
    int unnamed = 0;
    for (const auto& q : ev->people) unnamed += q.role == p.role && q.name.empty();
    if (unnamed != 1) continue;
    for (uint32_t s = first_s; s < end_s && s < v.Sentences() && p.name.empty(); ++s) {
      if (!v.SentHas(s, LexBit(Lex::kRole))) continue;
      uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
      for (uint32_t i = v.NextWith(b, e, LexBit(Lex::kRole)); i < e && p.name.empty();
           i = v.NextWith(i + 1, e, LexBit(Lex::kRole))) {
        if (v.LexOf(i).value != p.role) continue;
        // Role, then the name.
        uint32_t k = i + 1;
        if (v.Punct(k, ',')) ++k;
        if ((v.Word(k, w.known_) || v.Word(k, w.identified_) || v.Word(k, w.named_) ||
             v.Word(k, w.called_)) &&
            v.Word(k + 1, w.as_))
          k += 2;
        else if (v.Word(k, w.named_) || v.Word(k, w.called_))
          k += 1;
        if (k > i + 1 || v.Capitalised(k)) p.name = NameAt(v, k, e);
        if (!p.name.empty()) break;
        // The name, then ", a|an|the ... role".
        for (uint32_t c = i; c > b && i - c < 8; --c) {
          if (!v.Punct(c - 1, ',')) continue;
          if (!(v.Word(c, w.a_) || v.Word(c, w.an_) || v.Word(c, w.the_))) break;
          uint32_t nb = c - 1;
          while (nb > b && (v.I(nb - 1).kind == ItemKind::kWord ||
                            v.I(nb - 1).kind == ItemKind::kPlace ||
                            (v.I(nb - 1).kind == ItemKind::kPunct &&
                             (v.I(nb - 1).punct == '-' || v.I(nb - 1).punct == '\''))))
            --nb;
          while (nb < c - 1 && !v.Capitalised(nb)) ++nb;
          std::string name = NameAt(v, nb, c - 1);
          if (!name.empty() &&
              v.I(nb).start + name.size() == v.I(c - 2).end)  // the run reaches the comma
            p.name = name;
          break;
        }
      }
    }
  }
}

// Names that NamePeople's apposition forms miss:
// - "the emir of the cell, the mercenary Khalil Abbas al-Hamdan": a role, an
//   "of" phrase, then the name after a descriptive noun;
// - "The suspects, Bukar Modu and Mallam Kachalla Isa, were found": a list of
//   as many names as there are unnamed people of one role, in order.
void NameListedPeople(const View& v, uint32_t first_s, uint32_t end_s, Event* ev) {
  const Words& w = v.w();
  auto after_the_noun = [&](uint32_t k, uint32_t e) {
    // "the mercenary Name", "the terrorist Name": skip "the" and one or two
    // lower-case words before a capital.
    if (!v.Word(k, w.the_)) return k;
    uint32_t j = k + 1;
    while (j < e && j < k + 3 && v.I(j).kind != ItemKind::kPunct && !v.Capitalised(j)) ++j;
    return j > k + 1 && j < e && v.Capitalised(j) ? j : k;
  };
  for (auto& p : ev->people) {
    if (!p.name.empty() || p.role.empty()) continue;
    int unnamed = 0;
    for (const auto& q : ev->people) unnamed += q.role == p.role && q.name.empty();
    if (unnamed != 1) continue;
    for (uint32_t s = first_s; s < end_s && s < v.Sentences() && p.name.empty(); ++s) {
      if (!v.SentHas(s, LexBit(Lex::kRole))) continue;
      uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
      for (uint32_t i = v.NextWith(b, e, LexBit(Lex::kRole)); i < e && p.name.empty();
           i = v.NextWith(i + 1, e, LexBit(Lex::kRole))) {
        if (v.LexOf(i).value != p.role) continue;
        uint32_t k = i + 1;
        if (v.Word(k, w.of_)) {
          uint32_t c = k + 1;
          while (c < e && c < k + 5 && !v.Punct(c, ',')) ++c;
          if (!v.Punct(c, ',')) continue;
          k = c;
        }
        if (!v.Punct(k, ',')) continue;
        k = after_the_noun(k + 1, e);
        if (v.Capitalised(k)) p.name = NameAt(v, k, e);
      }
    }
  }
  // Lists, for each role of an unnamed person, in the order of the people.
  // Only names are set and named copies appended below, so the people that
  // stand for the roles are those unnamed now, each the first of its role.
  std::vector<size_t> roles;  // indices into ev->people
  for (size_t r = 0; r < ev->people.size(); ++r) {
    const Person& p = ev->people[r];
    if (p.name.empty() && !p.role.empty() &&
        std::none_of(roles.begin(), roles.end(),
                     [&](size_t q) { return ev->people[q].role == p.role; }))
      roles.push_back(r);
  }
  for (size_t role_of : roles) {
    const std::string role = ev->people[role_of].role;
    std::vector<Person*> unnamed;
    for (auto& p : ev->people)
      if (p.role == role && p.name.empty()) unnamed.push_back(&p);
    if (unnamed.empty()) continue;
    for (uint32_t s = first_s; s < end_s && s < v.Sentences(); ++s) {
      constexpr uint64_t kNoun = LexBit(Lex::kPerson) | LexBit(Lex::kRole);
      if (!v.SentHas(s, kNoun)) continue;
      uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
      bool done = false;
      for (uint32_t i = v.NextWith(b, e, kNoun); i + 2 < e && !done;
           i = v.NextWith(i + 1, e, kNoun)) {
        if (!v.Punct(i + 1, ',')) continue;
        std::vector<std::string> names;
        uint32_t k = i + 2;
        while (k < e) {
          std::string n = NameAt(v, k, e);
          if (n.empty()) break;
          names.push_back(n);
          while (k < e && v.I(k).end <= v.I(k).start + 0) ++k;
          uint32_t stop = k;
          while (stop < e && v.I(stop).start < v.I(k).start + n.size()) ++stop;
          k = stop;
          if (v.Word(k, w.and_)) ++k;
          else if (v.Punct(k, ',') && v.Word(k + 1, w.and_)) k += 2;
          else if (v.Punct(k, ',') && !v.Punct(k + 1, ',') && names.size() < unnamed.size()) ++k;
          else break;
        }
        // One person of a plural phrase ("2 suspected suppliers") stands
        // for all those the count says were caught or killed.
        const std::string fate = unnamed.front()->fate;
        int64_t toll = fate == "captured" ? ev->captured.value_or(0)
                       : fate == "killed" ? ev->killed.value_or(0) : 0;
        if (unnamed.size() == 1 && names.size() >= 2 && v.Punct(k, ',') &&
            static_cast<int64_t>(names.size()) <= toll) {
          Person copy = *unnamed.front();
          unnamed.front()->name = names[0];
          for (size_t x = 1; x < names.size(); ++x) {
            copy.name = names[x];
            ev->people.push_back(copy);
          }
          done = true;
        } else if (names.size() == unnamed.size() && names.size() >= 2 && v.Punct(k, ',')) {
          for (size_t x = 0; x < names.size(); ++x) unnamed[x]->name = names[x];
          done = true;
        }
      }
      if (done) break;
    }
  }
}

// Attack words that describe a person rather than report the event: "a
// commander responsible for mortar attacks", "wanted for planning bombings",
// "killed three insurgents who were planting an IED". An event type that
// rests only on such mentions is dropped.
bool DescribedOnly(const View& v, uint32_t i, uint32_t b) {
  const Words& w = v.w();
  // "responsible for building car bombs, hiding foreign fighters and placing
  // roadside IEDs": a list.
  for (uint32_t k = i; k > b && i - k < 16;) {
    --k;
    if (v.Word(k, w.responsible_) || v.Word(k, w.involved_) || v.Word(k, w.plans_) ||
        v.Word(k, w.planning_) || v.Word(k, w.planned_) || v.Word(k, w.planner_) ||
        v.Word(k, w.directs_) || v.Word(k, w.directed_) || v.Word(k, w.directing_) ||
        v.Word(k, w.coordinated_) || v.Word(k, w.coordinating_) || v.Word(k, w.organised_) ||
        v.Word(k, w.organized_) || v.Word(k, w.facilitated_) || v.Word(k, w.facilitating_) ||
        v.Word(k, w.wanted_) || v.Word(k, w.planting_) || v.Word(k, w.emplacing_) ||
        v.Word(k, w.placing_) || v.Word(k, w.laying_))
      return true;
    if (v.Punct(k, '.') || v.Punct(k, ';')) break;
  }
  return false;
}

// People the incident analysis does not count because they are not fighters:
// "killing five police officers", "killed 12 rice farmers", "killing two
// peacekeepers". A page reporting an attack gives its toll that way, and the
// full record's `killed` is everyone the event killed.
int VictimsKilled(const View& v, uint32_t first_s, uint32_t end_s) {
  const Words& w = v.w();
  // soldiers, policemen, farmers, villagers, ... (fact::kVictimWord), civilians.
  auto victim = [&](uint32_t j) {
    return (v.Facts(j) & (fact::kVictimWord | LexBit(Lex::kCivilian))) != 0;
  };
  // A count (NumberAt()) or a kill.
  constexpr uint64_t kCountOrKill =
      KindBit(ItemKind::kNumber) | LexBit(Lex::kQuantity) | LexBit(Lex::kKill);
  int total = 0;
  for (uint32_t s = first_s; s < end_s && s < v.Sentences(); ++s) {
    if (!v.SentHas(s, kCountOrKill)) continue;
    uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
    for (uint32_t i = v.NextWith(b, e, kCountOrKill); i < e;
         i = v.NextWith(i + 1, e, kCountOrKill)) {
      // "Two policemen were also killed", "three soldiers died".
      {
        uint32_t next;
        int64_t n = v.NumberAt(i, e, &next);
        if (n > 0 && n <= 10000 && (i == b || !v.IsLex(i - 1, Lex::kKill))) {
          uint32_t j = next;
          // "one AMISOM soldier": a force's name may stand before the noun.
          while (j < e && j < next + 2 && !victim(j) &&
                 (v.I(j).kind == ItemKind::kWord || v.IsForce(v.GroupOf(j))))
            ++j;
          if (j < e && victim(j)) {
            uint32_t k = j + 1;
            // "Four residents, including a vigilante member, were killed"
            if (v.Punct(k, ',') && v.Word(k + 1, w.including_))
              for (uint32_t c = k + 2; c < e && c < k + 10; ++c)
                if (v.Punct(c, ',')) {
                  k = c + 1;
                  break;
                }
            if (v.Word(k, w.were_) || v.Word(k, w.was_)) ++k;
            if (v.Word(k, w.also_)) ++k;
            if (v.LexValue(k, Lex::kKill, "kill") || v.LexValue(k, Lex::kKill, "die")) {
              total += static_cast<int>(n);
              i = k;
              continue;
            }
          }
        }
      }
      if (!v.LexValue(i, Lex::kKill, "kill") || !IsTrigger(v, i, b)) continue;
      // "a recent ambush that killed two Spanish soldiers", planned by the
      // man the release is about; "claimed responsibility for the attack
      // ... which killed two civilians": a past attack described.
      if (DescribedOnly(v, i, b)) continue;
      bool claimed = false;
      for (uint32_t k = b; k < i && !claimed; ++k)
        claimed = v.Word(k, w.responsibility_) || v.Word(k, w.claimed_);
      if (claimed) continue;
      uint32_t next;
      int64_t n = v.NumberAt(i + 1, e, &next);
      if (n <= 0 || n > 10000) continue;
      // Up to two modifiers: "Afghan police officers", "rice farmers".
      for (uint32_t j = next; j < e && j < next + 3; ++j) {
        const Item& it = v.I(j);
        if (victim(j)) {
          // "police officers": the last noun of the phrase.
          total += static_cast<int>(n);
          break;
        }
        if (it.kind != ItemKind::kWord && it.kind != ItemKind::kPlace) break;
      }
    }
  }
  return total;
}

void DropDescribedTypes(const View& v, const Incident& inc, Event* ev) {
  for (std::string_view t : {"ied", "suicide_attack", "artillery", "assassination"}) {
    if (std::find(ev->types.begin(), ev->types.end(), t) == ev->types.end()) continue;
    bool seen = false, live = false;
    for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < v.Sentences(); ++s) {
      if (!v.SentHas(s, LexBit(Lex::kEventType))) continue;
      uint32_t b = v.SentBegin(s);
      for (uint32_t i = b; i < v.SentEnd(s); ++i)
        if (v.LexValue(i, Lex::kEventType, t)) {
          seen = true;
          if (!DescribedOnly(v, i, b)) live = true;
        }
    }
    if (seen && !live)
      ev->types.erase(std::remove(ev->types.begin(), ev->types.end(), t), ev->types.end());
  }
  if (ev->types.empty()) ev->types.push_back(ev->killed && *ev->killed > 0 ? "clash" : "other");
}

// "an airstrike on a hideout, ... destroying a weapons cache": a cache the
// strike destroyed was not seized. Only when every seizure word of the
// incident is such a destroyed cache.
void DestroyedCacheOnly(const View& v, const Incident& inc, Event* ev) {
  auto& t = ev->types;
  auto has = [&](std::string_view x) { return std::find(t.begin(), t.end(), x) != t.end(); };
  if (!has("weapons_seizure") || !(has("airstrike") || has("drone_strike"))) return;
  const Words& w = v.w();
  bool destroyed = false;
  for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < v.Sentences(); ++s) {
    uint32_t b = v.SentBegin(s);
    for (uint32_t i = b; i < v.SentEnd(s); ++i) {
      if (!v.IsLex(i, Lex::kEventType)) continue;
      const std::string& val = v.LexOf(i).value;
      if (val != "cache" && val != "weapons_seizure") continue;
      if (val == "weapons_seizure") return;  // "seized", "confiscated"
      bool d = false;
      for (uint32_t k = i; k > b && i - k <= 3 && !d;) {
        --k;
        d = v.Word(k, w.destroyed_) || v.Word(k, w.destroying_);
      }
      if (!d) return;
      destroyed = true;
    }
  }
  if (destroyed) t.erase(std::remove(t.begin(), t.end(), "weapons_seizure"), t.end());
}

// "A U.S. drone fired two missiles at a house": a drone that fired or struck
// makes a drone strike, not an exchange of fire.
void DroneThatStruck(const View& v, const Incident& inc, Event* ev) {
  auto& t = ev->types;
  if (std::find(t.begin(), t.end(), std::string_view("drone_strike")) != t.end()) return;
  const Words& w = v.w();
  for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < v.Sentences(); ++s) {
    if (!v.SentHas(s, LexBit(Lex::kDroneStrike) | fact::kDroneWord)) continue;
    uint32_t e = v.SentEnd(s);
    for (uint32_t i = v.SentBegin(s); i < e; ++i) {
      if (!v.IsLex(i, Lex::kDroneStrike) && !v.Word(i, w.drone_) && !v.Word(i, w.drones_))
        continue;
      // "a Reaper drone of the Barkhane force struck": the verb may follow the
      // drone's owner, within the clause.
      for (uint32_t j = i + 1; j < e && j < i + 8; ++j) {
        if (v.I(j).kind == ItemKind::kPunct) break;
        if (!(v.Word(j, w.fired_) || v.Word(j, w.struck_) || v.Word(j, w.hit_) ||
              v.Word(j, w.targeted_) || v.IsLex(j, Lex::kKill)))
          continue;
        t.erase(std::remove(t.begin(), t.end(), "clash"), t.end());
        t.erase(std::remove(t.begin(), t.end(), "other"), t.end());
        t.insert(t.begin(), "drone_strike");
        ev->airstrike = true;
        return;
      }
    }
  }
}

// How strikes are reported: "U.S. Central Command forces conducted a strike
// in Idlib province" is an air strike by its phrasing; a "bombing" with no
// aircraft, drone or air word anywhere in the incident ("said it had carried
// out the bombing" of a market) is a bomb attack, not an air strike.
void StrikeOrBombing(const View& v, const Incident& inc, Event* ev) {
  const Words& w = v.w();
  auto& t = ev->types;
  auto has = [&](std::string_view x) { return std::find(t.begin(), t.end(), x) != t.end(); };
  bool conducted_strike = false, air = false;
  uint32_t last = std::min<uint32_t>(inc.end_sentence, v.Sentences());
  for (uint32_t s = inc.first_sentence; s < last; ++s) {
    if (!v.SentHas(s, LexBit(Lex::kAirstrike) | LexBit(Lex::kDroneStrike) | fact::kDroneWord |
                          fact::kAirWord | fact::kConductWord))
      continue;
    uint32_t e = v.SentEnd(s);
    for (uint32_t i = v.SentBegin(s); i < e; ++i) {
      if ((v.IsLex(i, Lex::kAirstrike) && !v.Word(i, w.bombing_)) ||
          v.IsLex(i, Lex::kDroneStrike) || v.Word(i, w.drone_) || v.Word(i, w.drones_) ||
          v.Word(i, w.aircraft_) || v.Word(i, w.warplanes_) || v.Word(i, w.jets_) ||
          v.Word(i, w.helicopter_) || v.Word(i, w.helicopters_) || v.Word(i, w.gunships_) ||
          v.Word(i, w.air_))
        air = true;
      bool verb = v.Word(i, w.conducted_) || (v.Word(i, w.carried_) && v.Word(i + 1, w.out_));
      if (!verb) continue;
      uint32_t k = i + (v.Word(i, w.carried_) ? 2 : 1);
      for (uint32_t j = k; j < e && j < k + 4; ++j) {
        if (v.Word(j, w.strike_) || v.Word(j, w.strikes_) ||
            v.LexValue(j, Lex::kAirstrike, "strike")) {
          conducted_strike = true;
          break;
        }
        if (!(v.Word(j, w.a_) || v.Word(j, w.an_) || v.Word(j, w.precision_) ||
              v.Word(j, w.air_) || v.I(j).kind == ItemKind::kNumber ||
              v.IsLex(j, Lex::kQuantity)))
          break;
      }
    }
  }
  if (conducted_strike && !has("airstrike") && !has("drone_strike")) {
    t.erase(std::remove(t.begin(), t.end(), "clash"), t.end());
    t.erase(std::remove(t.begin(), t.end(), "other"), t.end());
    t.insert(t.begin(), "airstrike");
    ev->airstrike = true;
  } else if (has("airstrike") && !air && !conducted_strike) {
    std::replace(t.begin(), t.end(), std::string("airstrike"), std::string("ied"));
    ev->airstrike = false;
  }
}

// The force that did it: the first force named before the event's verb in
// its first sentence ("U.S. Central Command forces conducted a raid", "An
// Afghan and coalition security force detained"), passing over partners
// ("In coordination with the Government of National Accord, U.S. Africa
// Command conducted ...", "with air support from U.S. forces", "advised by
// coalition forces") and forces that only report it ("the International
// Security Assistance Force said in a statement"). Empty when no force comes
// before an event verb in the incident.
std::string SubjectForce(const View& v, const Incident& inc) {
  const Words& w = v.w();
  uint32_t last = std::min<uint32_t>(inc.end_sentence, v.Sentences());
  for (uint32_t s = inc.first_sentence; s < last; ++s) {
    if (!v.SentHas(s, kTriggerLex | LexBit(Lex::kAirstrike) | LexBit(Lex::kDroneStrike) |
                          LexBit(Lex::kOperation) | fact::kConductWord))
      continue;
    uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
    uint32_t verb = e;
    for (uint32_t i = b; i < e && verb == e; ++i)
      if (IsTrigger(v, i, b) || v.IsLex(i, Lex::kAirstrike) || v.IsLex(i, Lex::kDroneStrike) ||
          v.Word(i, w.conducted_) || (v.Word(i, w.carried_) && v.Word(i + 1, w.out_)) ||
          v.LexValue(i, Lex::kOperation, "raid"))
        verb = i;
    if (verb == e) continue;
    for (uint32_t i = b; i < verb; ++i) {
      std::string id;
      int g = v.GroupOf(i);
      if (g >= 0 && v.IsForce(g)) {
        id = v.kb().groups()[static_cast<size_t>(g)].id;
      } else if (v.IsLex(i, Lex::kActor)) {
        const std::string& a = v.LexOf(i).value;
        if (a == "coalition" || a == "afghan_coalition") id = "coalition";
        else if (a == "afghan_unilateral") id = "ansf";
      }
      if (id.empty()) continue;
      bool partner = false;
      for (uint32_t k = i; k > b && i - k < 4 && !partner;) {
        --k;
        partner = v.Word(k, w.with_) || v.Word(k, w.by_) || v.Word(k, w.from_) ||
                  v.Word(k, w.advised_) || v.Word(k, w.supported_) ||
                  (v.Word(k, w.of_) && k > b &&
                   (v.Word(k - 1, w.support_) || v.Word(k - 1, w.behalf_)));
        if (v.Punct(k, ',')) break;
      }
      if (!partner) return id;
    }
    // A headline's verb with no force before it: read on.
  }
  return "";
}

// A capture by soldiers or a security force is a raid even when the release
// does not say "operation" ("an Afghan-led security force detained a
// facilitator"); an arrest by police at a checkpoint is not. And weapons
// "recovered" after the fight are a seizure.
// "Weapons and ammunition ... were also recovered": the passive names what
// was recovered before the verb.
bool RecoveredBefore(const View& v, uint32_t i) {
  const Words& w = v.w();
  uint32_t b = v.SentBegin(v.I(i).sentence);
  if (!(i > b && (v.Word(i - 1, w.were_) || v.Word(i - 1, w.was_) ||
                  (i > b + 1 && v.Word(i - 2, w.were_)) || (i > b + 1 && v.Word(i - 2, w.was_)))))
    return false;
  for (uint32_t j = i; j > b && i - j < 16;) {
    --j;
    if (v.Word(j, w.rifle_) || v.Word(j, w.rifles_) || v.Word(j, w.weapons_) ||
        v.Word(j, w.weapon_) || v.Word(j, w.gun_) || v.Word(j, w.guns_) ||
        v.Word(j, w.ammunition_) || v.Word(j, w.explosives_) || v.Word(j, w.grenades_) ||
        v.Word(j, w.rockets_))
      return true;
  }
  return false;
}

void RaidAndSeizure(const View& v, const Incident& inc, Event* ev) {
  const Words& w = v.w();
  auto has = [&](std::string_view t) {
    return std::find(ev->types.begin(), ev->types.end(), t) != ev->types.end();
  };
  bool force = false, checkpoint = false, recovered = false;
  // Every test below is of an item with one of these facts.
  constexpr uint64_t kTested = LexBit(Lex::kActor) | fact::kForceGroup | fact::kTroopWord |
                               fact::kCheckpointWord | fact::kRecoveredWord;
  for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < v.Sentences(); ++s) {
    if (!v.SentHas(s, kTested)) continue;
    uint32_t e = v.SentEnd(s);
    for (uint32_t i = v.NextWith(v.SentBegin(s), e, kTested); i < e;
         i = v.NextWith(i + 1, e, kTested)) {
      if (v.IsLex(i, Lex::kActor)) force = true;
      int g = v.GroupOf(i);
      if (g >= 0 && v.IsForce(g)) {
        const std::string& id = v.kb().groups()[static_cast<size_t>(g)].id;
        if (id != "anp" && id != "abp" && id != "alp" && id != "ancop") force = true;
      }
      if (v.Word(i, w.soldiers_) || v.Word(i, w.troops_)) force = true;
      if (v.Word(i, w.checkpoint_)) checkpoint = true;
      if (v.Word(i, w.recovered_))
        for (uint32_t j = i + 1; j < e && j < i + 9; ++j)
          if (v.Word(j, w.rifle_) || v.Word(j, w.rifles_) || v.Word(j, w.weapons_) ||
              v.Word(j, w.weapon_) || v.Word(j, w.gun_) || v.Word(j, w.guns_) ||
              v.Word(j, w.ammunition_) || v.Word(j, w.explosives_) || v.Word(j, w.grenades_) ||
              v.Word(j, w.rockets_))
            recovered = true;
      if (v.Word(i, w.recovered_) && !recovered) recovered = RecoveredBefore(v, i);
    }
  }
  if (has("detention") && !has("raid") && force && !checkpoint) ev->types.push_back("raid");
  if (recovered && !has("weapons_seizure")) ev->types.push_back("weapons_seizure");
}

// "in the Boni Forest area of Lamu County": a bare town name abroad (Boni in
// Mali) yields to the unit the same sentence places it in, when that unit
// follows "in" or "of" (not "crossed from Kunar province").
void UnitOfSameSentence(const View& v, uint32_t place_item, const std::vector<int>& units,
                        Event* ev) {
  const Words& w = v.w();
  uint32_t s = v.I(place_item).sentence;
  for (uint32_t j = place_item + 1; j < v.SentEnd(s); ++j) {
    if (v.I(j).kind != ItemKind::kPlace || j == 0 || !(v.Word(j - 1, w.in_) || v.Word(j - 1, w.of_)))
      continue;
    for (int c : v.PlacesOf(j))
      if (std::find(units.begin(), units.end(), c) != units.end()) {
        full::FillLocation(v.kb(), c, &ev->location);
        return;
      }
  }
}

// A province or district the incident names ("in Borno State", "Khyber
// tribal agency") constrains its town: "Bara" there is the Khyber town, not
// the Gombe one; "Kaltungo" in a Borno story is not Gombe's Kaltungo, and with
// no such place in Borno the record falls back to the named state. Units in
// another country only pick among the town's candidates ("crossed from
// Afghanistan's Kunar province" does not move a Bajaur attack).
void ConstrainPlace(const View& v, const Incident& inc, Event* ev) {
  if (ev->location.country.empty()) return;
  const Words& w = v.w();
  const auto& places = v.kb().places();
  uint32_t last = std::min<uint32_t>(inc.end_sentence, v.Sentences());
  // The country the incident's first sentence names ("Libya's Government of
  // National Accord ... in Sirte"): a place elsewhere is a namesake
  // (Ouagadougou is also a district of Sirte).
  if (inc.first_sentence < last) {
    uint32_t s = inc.first_sentence;
    std::vector<std::string> named;
    for (uint32_t i : v.PlaceItems(s))
      for (int c : v.PlacesOf(i))
        if (places[static_cast<size_t>(c)].level == PlaceLevel::kCountry)
          named.push_back(places[static_cast<size_t>(c)].country);
    bool here = std::find(named.begin(), named.end(), ev->location.country) != named.end();
    if (named.size() == 1 && !here) {
      for (uint32_t i : v.PlaceItems(s)) {
        int best = v.ChoosePlace(i, named[0], false, true);
        if (best < 0 || places[static_cast<size_t>(best)].country != named[0] ||
            places[static_cast<size_t>(best)].level == PlaceLevel::kCountry)
          continue;
        full::FillLocation(v.kb(), best, &ev->location);
        return;
      }
    }
  }
  if (ev->location.place.empty()) return;
  std::vector<int> units;
  for (uint32_t s = inc.first_sentence; s < last; ++s)
    for (uint32_t i : v.PlaceItems(s)) {
      bool marked = v.I(i).tok_end - v.I(i).tok_begin >= 2;
      for (uint32_t k = i + 1; k < i + 3 && !marked; ++k)
        marked = v.Word(k, w.province_) || v.Word(k, w.district_) || v.Word(k, w.state_) ||
                 v.Word(k, w.region_) || v.Word(k, w.agency_) || v.Word(k, w.governorate_) ||
                 v.Word(k, w.county_);
      if (!marked) continue;
      for (int c : v.PlacesOf(i)) {
        PlaceLevel l = places[static_cast<size_t>(c)].level;
        if (l == PlaceLevel::kAdmin1 || l == PlaceLevel::kAdmin2) units.push_back(c);
      }
    }
  if (units.empty()) return;
  // The item that gave the event its place, and its candidates.
  for (uint32_t s = inc.first_sentence; s < last; ++s)
    for (uint32_t i : v.PlaceItems(s)) {
      std::span<const int> cands = v.PlacesOf(i);
      int current = -1;
      for (int c : cands)
        if (places[static_cast<size_t>(c)].name == ev->location.place &&
            places[static_cast<size_t>(c)].country == ev->location.country)
          current = c;
      if (current < 0) continue;
      auto inside = [&](int c) {
        return std::any_of(units.begin(), units.end(),
                           [&](int u) { return v.kb().IsWithin(c, u); });
      };
      if (inside(current)) return;
      for (int c : cands)
        if (places[static_cast<size_t>(c)].level == PlaceLevel::kPlace && inside(c)) {
          full::FillLocation(v.kb(), c, &ev->location);
          return;
        }
      for (int u : units)
        if (places[static_cast<size_t>(u)].country == ev->location.country) {
          full::FillLocation(v.kb(), u, &ev->location);
          return;
        }
      UnitOfSameSentence(v, i, units, ev);
      return;
    }
}

// "in the vicinity of Murzuq", "near Derna", "the old city of Derna": the
// town, not the province of the same name that the incident analysis
// prefers, unless the incident also calls it the province ("in the Mopti
// region ... fled toward the town of Mopti").
void TownWhenSaid(const View& v, const Incident& inc, Event* ev) {
  if (ev->location.precision != "admin1" && ev->location.precision != "admin2") return;
  const Words& w = v.w();
  const auto& places = v.kb().places();
  const std::string& unit =
      ev->location.precision == "admin1" ? ev->location.admin1 : ev->location.admin2;
  int town = -1;
  uint32_t last = std::min<uint32_t>(inc.end_sentence, v.Sentences());
  for (uint32_t s = inc.first_sentence; s < last; ++s)
    for (uint32_t i : v.PlaceItems(s)) {
      std::span<const int> cands = v.PlacesOf(i);
      int u = -1;
      for (int c : cands)
        if (places[static_cast<size_t>(c)].level != PlaceLevel::kPlace &&
            places[static_cast<size_t>(c)].name == unit)
          u = c;
      if (u < 0) continue;
      bool said_unit = v.I(i).tok_end - v.I(i).tok_begin >= 2 || v.Word(i + 1, w.province_) ||
                       v.Word(i + 1, w.region_) || v.Word(i + 1, w.state_) ||
                       v.Word(i + 1, w.governorate_) || v.Word(i + 1, w.district_);
      if (said_unit) return;
      bool said_town = i > 0 && (v.Word(i - 1, w.near_) ||
                                 (v.Word(i - 1, w.of_) && i >= 2 &&
                                  (v.Word(i - 2, w.vicinity_) || v.Word(i - 2, w.city_) ||
                                   v.Word(i - 2, w.town_) || v.Word(i - 2, w.outskirts_))));
      if (!said_town || town >= 0) continue;
      for (int c : cands)
        if (places[static_cast<size_t>(c)].level == PlaceLevel::kPlace && v.kb().IsWithin(c, u))
          town = c;
    }
  if (town >= 0) full::FillLocation(v.kb(), town, &ev->location);
}

bool IsEvidenceSentence(const View& v, uint32_t s);

// The incident's first sentence that says something (a header line such as
// "Communique" may open it).
uint32_t FirstEvidenceSentence(const View& v, uint32_t first_s, uint32_t end_s) {
  for (uint32_t s = first_s; s < end_s && s < v.Sentences(); ++s)
    if (IsEvidenceSentence(v, s)) return s;
  return first_s;
}

// A village the knowledge base does not know, named as one: "the village of
// Spera Kalay", "at Kwatara village", "the town of Al Zir". Real pages name
// such hamlets all the time; the record keeps the name with the coordinates
// of the district or province.
std::string UnknownVillage(const View& v, uint32_t first_s, uint32_t end_s) {
  const Words& w = v.w();
  auto capword = [&](uint32_t j) {
    if (j >= v.Items() || !v.Capitalised(j)) return false;
    const Item& it = v.I(j);
    return it.kind == ItemKind::kWord ||
           (it.kind == ItemKind::kPlace && it.tok_end - it.tok_begin == 1);
  };
  for (uint32_t s = first_s; s < end_s && s < v.Sentences(); ++s) {
    if (!v.SentHas(s, fact::kVillageWord)) continue;
    uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
    for (uint32_t i = b; i < e; ++i) {
      bool noun = v.Word(i, w.village_) || v.Word(i, w.town_) || v.Word(i, w.hamlet_) ||
                  v.Word(i, w.locality_);  // "near the locality of X" (Sahel communiques)
      if (!noun) continue;
      uint32_t nb = 0, ne = 0;
      if (v.Word(i + 1, w.of_) && capword(i + 2)) {
        nb = i + 2;
        ne = nb;
        while (ne < e && ne < nb + 3 && capword(ne)) ++ne;
      } else if (i > b && capword(i - 1)) {
        ne = i;
        nb = i - 1;
        while (nb > b && nb + 3 > i && capword(nb - 1) && !v.Word(nb - 1, w.the_)) --nb;
      }
      if (ne > nb)
        return std::string(v.a().text.substr(v.I(nb).start, v.I(ne - 1).end - v.I(nb).start));
    }
  }
  return "";
}

// The group an attack is laid at: "A Taliban spokesman claimed
// responsibility", "JNIM claimed the attack", "officials blamed remnants of
// the Islamic State group", "the TTP said it carried out the attack". For
// events that name no group themselves.
int ClaimedBy(const View& v, uint32_t first_s, uint32_t end_s) {
  const Words& w = v.w();
  for (uint32_t s = first_s; s < end_s && s < v.Sentences(); ++s) {
    if (!v.SentHas(s, fact::kClaimWord)) continue;
    uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
    bool claim = false;
    for (uint32_t i = b; i < e && !claim; ++i)
      claim = v.Word(i, w.claimed_) || v.Word(i, w.blamed_) || v.Word(i, w.responsibility_) ||
              (v.Word(i, w.carried_) && v.Word(i + 1, w.out_) && i > b &&
               (v.Word(i - 1, w.it_) || v.Word(i - 1, w.had_) || v.Word(i - 1, w.they_)));
    if (!claim) continue;
    // "No group immediately claimed the attack, but officials blamed X".
    for (uint32_t i = b; i < e; ++i) {
      int g = v.ArmedGroupOf(i);
      if (g >= 0 && !v.AffiliationModifier(i) && !(v.I(i + 1).flags & text::kPossessive))
        return g;
    }
  }
  return -1;
}

// "JNIM, which is al Qaeda's affiliate in the Sahel": a group named only as
// the parent of another is not a target.
void DropParentGroups(const View& v, const Incident& inc, Event* ev) {
  const Words& w = v.w();
  const auto& groups = v.kb().groups();
  // Filtered in place: kept ids move to the front, in order.
  std::vector<std::string>& targets = ev->target_groups;
  size_t kept = 0;
  for (size_t r = 0; r < targets.size(); ++r) {
    const std::string& id = targets[r];
    bool seen = false, direct = false;
    for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < v.Sentences(); ++s)
      for (uint32_t i = v.SentBegin(s); i < v.SentEnd(s) && v.SentHas(s, fact::kArmedGroup);
           ++i) {
        int g = v.ArmedGroupOf(i);
        if (g < 0 || groups[static_cast<size_t>(g)].id != id) continue;
        seen = true;
        uint32_t k = i + 1;
        bool parent = v.AffiliationModifier(i);
        if (k < v.Items() && (v.I(k).flags & text::kPossessive)) {
          ++k;
          parent = v.Word(k, w.affiliate_) || v.Word(k, w.affiliates_) ||
                   v.Word(k, w.branch_) || v.Word(k, w.franchise_) || v.Word(k, w.wing_) ||
                   v.Word(k, w.arm_);
        }
        if (!parent) direct = true;
      }
    if (!seen || direct || targets.size() == 1) {
      if (kept != r) targets[kept] = std::move(targets[r]);
      ++kept;
    }
  }
  targets.resize(kept);
}

// Fighters counted as killed who are the killers: "Boko Haram militants
// killed 12 rice farmers" counts the farmers, not the militants. A counted
// phrase followed by an active kill verb and then the people it killed is the
// subject; "two insurgents killed in the strike" (a participle) is not.
void DropKillers(const View& v, const Incident& inc, Event* ev) {
  if (!ev->killed) return;
  for (const auto& c : inc.casualties) {
    if (!c.killed || c.subset || c.count <= 0) continue;
    uint32_t k = c.item_end;
    if (!v.LexValue(k, Lex::kKill, "kill")) continue;
    uint32_t next;
    bool object = v.NumberAt(k + 1, v.Items(), &next) > 0 || v.IsLex(k + 1, Lex::kPerson) ||
                  v.IsLex(k + 1, Lex::kCivilian);
    if (!object) continue;
    *ev->killed = std::max(0, *ev->killed - c.count);
    if (ev->leaders_killed) *ev->leaders_killed = std::max(0, *ev->leaders_killed - c.leaders);
  }
}

// An event needs something to place it or say what happened: "arrests of
// critics are common" has a capture word and nothing else. An arrest with no
// one counted and no day ("the arrests of suspected recruiters" in an
// analysis of Kenyan policing) is talk about arrests, not one.
// Every kill or capture word of the incident is a plural noun after a
// determiner ("the arrests of suspected recruiters", "those arrests").
bool OnlyNominalTriggers(const View& v, const Incident& inc) {
  const Words& w = v.w();
  bool any = false;
  uint32_t last = std::min<uint32_t>(inc.end_sentence, v.Sentences());
  for (uint32_t s = inc.first_sentence; s < last; ++s) {
    if (!v.SentHas(s, kTriggerLex)) continue;
    uint32_t b = v.SentBegin(s);
    for (uint32_t i = b; i < v.SentEnd(s); ++i) {
      if (!IsTrigger(v, i, b)) continue;
      any = true;
      bool noun = v.Word(i, w.arrests_) || v.Word(i, w.detentions_) || v.Word(i, w.killings_);
      bool det = i > b && (v.Word(i - 1, w.the_) || v.Word(i - 1, w.those_) ||
                           v.Word(i - 1, w.these_) || v.Word(i - 1, w.such_));
      if (!(noun && det)) return false;
    }
  }
  return any;
}

bool IsEmptyEvent(const Event& ev, bool dated) {
  bool typed = !(ev.types.size() == 1 && ev.types[0] == "other");
  bool counted = (ev.killed && *ev.killed > 0) || (ev.captured && *ev.captured > 0);
  if (!typed && !counted && ev.location.country.empty()) return true;
  bool only_capture = std::all_of(ev.types.begin(), ev.types.end(), [](const std::string& t) {
    return t == "detention" || t == "other";
  });
  return only_capture && !counted && !dated && ev.people.empty();
}

// Whether the place item at i names its level: "Gao region", "Kandahar and
// Helmand provinces", "the province of Kandahar".
bool NamesUnitLevel(const View& v, uint32_t i) {
  const Words& w = v.w();
  auto unit_word = [&](uint32_t k) {
    return v.Word(k, w.province_) || v.Word(k, w.provinces_) || v.Word(k, w.district_) ||
           v.Word(k, w.districts_) || v.Word(k, w.region_) || v.Word(k, w.state_) ||
           v.Word(k, w.governorate_) || v.Word(k, w.county_) || v.Word(k, w.agency_);
  };
  if (i >= 2 && v.Word(i - 1, w.of_) && unit_word(i - 2)) return true;
  if (unit_word(i + 1)) return true;
  // A list shares a plural level word; "Gardez, Paktiya province" is a town in
  // a province.
  uint32_t k = i + 1;
  while ((v.Punct(k, ',') || v.Word(k, w.and_)) && k + 1 < v.Items() &&
         v.I(k + 1).kind == ItemKind::kPlace)
    k += 2;
  return k > i + 1 && (v.Word(k, w.provinces_) || v.Word(k, w.districts_));
}

// A same-named candidate that lies inside a unit the incident names, when the
// one the incident analysis chose lies in none: "Bara, Khyber Agency" is the
// Bara of Khyber, not a larger Bara abroad. The analysis only takes context
// from "X province"; agencies, states, regions and bare appositions count
// here. -1 to keep the choice.
int PlaceInNamedUnit(const View& v, const Incident& inc) {
  if (inc.place < 0) return -1;
  const KnowledgeBase& kb = v.kb();
  uint32_t item = UINT32_MAX;
  std::vector<int> units;
  for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < v.Sentences(); ++s) {
    for (uint32_t i : v.PlaceItems(s)) {
      std::span<const int> cands = v.PlacesOf(i);
      if (std::find(cands.begin(), cands.end(), inc.place) != cands.end()) {
        // Later mentions of the same name are no context for it.
        if (item == UINT32_MAX) item = i;
        continue;
      }
      for (int c : cands)
        if (kb.places()[static_cast<size_t>(c)].level != PlaceLevel::kPlace) units.push_back(c);
    }
  }
  if (item == UINT32_MAX || units.empty()) return -1;
  auto inside = [&](int p) {
    for (int u : units)
      if (u != p && kb.IsWithin(p, u)) return true;
    return false;
  };
  if (inside(inc.place)) return -1;
  int best = -1;
  for (int c : v.PlacesOf(item)) {
    if (c == inc.place || !inside(c)) continue;
    if (best < 0 || kb.places()[static_cast<size_t>(c)].population >
                        kb.places()[static_cast<size_t>(best)].population)
      best = c;
  }
  return best;
}

// The town named like the admin1 or district the incident analysis chose
// ("in Gao", "near Kismayo", "Kandahar City"): a bare name of that kind means
// the town in press usage, and the town is the more precise answer. -1 when
// the text names the unit's level or no same-named town lies inside it.
int TownOfSameName(const View& v, const Incident& inc, int place) {
  if (place < 0) return -1;
  const auto& places = v.kb().places();
  PlaceLevel level = places[static_cast<size_t>(place)].level;
  if (level != PlaceLevel::kAdmin1 && level != PlaceLevel::kAdmin2) return -1;
  for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < v.Sentences(); ++s) {
    for (uint32_t i : v.PlaceItems(s)) {
      std::span<const int> cands = v.PlacesOf(i);
      if (std::find(cands.begin(), cands.end(), place) == cands.end()) continue;
      if (NamesUnitLevel(v, i)) return -1;
      int best = -1;
      for (int c : cands) {
        const Place& p = places[static_cast<size_t>(c)];
        if (p.level != PlaceLevel::kPlace || !v.kb().IsWithin(c, place)) continue;
        if (best < 0 || p.population > places[static_cast<size_t>(best)].population) best = c;
      }
      return best;
    }
  }
  return -1;
}

// The country an incident with no finer place happened in: "killed two
// leaders in eastern Syria". The incident analysis skips country names (most
// are adjectives or affiliations: "Pakistan-based"), so only one that follows
// "in", "near" or "inside" (or such a town and a comma) counts. -1 when there
// is none.
int CountryOfIncident(const View& v, const Incident& inc) {
  const Words& w = v.w();
  const auto& places = v.kb().places();
  for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < v.Sentences(); ++s) {
    for (uint32_t i : v.PlaceItems(s)) {
      int country = -1;
      for (int c : v.PlacesOf(i))
        if (places[static_cast<size_t>(c)].level == PlaceLevel::kCountry) country = c;
      if (country < 0 || v.Punct(i + 1, '-') || i == v.SentBegin(s)) continue;
      uint32_t k = i - 1;
      if (k > v.SentBegin(s) &&
          (v.Word(k, w.northern_) || v.Word(k, w.southern_) || v.Word(k, w.eastern_) ||
           v.Word(k, w.western_) || v.Word(k, w.central_)))
        --k;
      // "in Shaddadi, Syria": a town the gazetteer lacks, then its country.
      if (v.Punct(k, ',') && k >= v.SentBegin(s) + 2 && v.I(k - 1).kind == ItemKind::kWord &&
          v.Capitalised(k - 1))
        k -= 2;
      if (v.Word(k, w.in_) || v.Word(k, w.near_) || v.Word(k, w.inside_)) return country;
    }
  }
  return -1;
}

struct Builder {
  const KnowledgeBase& kb;
  const clean::Page& page;
  std::string_view text;
  text::Date published;
  const std::string& doc_id;
  const DocumentAnalysis& d;
  IncidentToEvent to_event;
  Extraction* x;
  FullScratch& sc;
  View v;
  // Sentence classes: reported (the news), background (history), or aside
  // (neither).
  std::vector<bool>& report;
  std::vector<bool>& background;
  size_t index = 0;
  uint32_t name_limit = UINT32_MAX;  // where the current digest entry ends

  Builder(const KnowledgeBase& k, const clean::Page& p, std::string_view t,
          const text::Date& pub, const std::string& id, const DocumentAnalysis& da,
          IncidentToEvent te, FullScratch& scratch, Extraction* out)
      : kb(k), page(p), text(t), published(pub), doc_id(id), d(da), to_event(te), x(out),
        sc(scratch), v(k, da.analysis, std::move(scratch.view)), report(scratch.report),
        background(scratch.background) {}

  void Run();
  // Events of the incidents of `dd` (an analysis of a masked copy).
  void Emit(const DocumentAnalysis& dd, bool background, const text::Date* intro_date,
            std::vector<Event>* out);
  void MergeQuoted(std::vector<Event>* events) const;
  // Items of a feed dump, each analysed on its own against its own date.
  bool EmitFeedItems(std::vector<Event>* out);
};

// A feed dump (RSS items saved as text): a title line, a publication line
// "Tue, 14 Feb 2023 16:05:00 GMT", a summary. Returns where each item starts
// (its title line) and its date; items without a parsable date are skipped.
struct FeedItem {
  uint32_t start;
  text::Date date;
  uint32_t date_line, date_line_end;  // the publication line, metadata only
};
std::vector<FeedItem> FeedItems(std::string_view text) {
  static constexpr const char* kDays[] = {"Mon, ", "Tue, ", "Wed, ", "Thu, ",
                                          "Fri, ", "Sat, ", "Sun, "};
  std::vector<FeedItem> items;
  size_t prev_start = std::string_view::npos;  // last non-empty line
  for (size_t i = 0; i < text.size();) {
    size_t e = text.find('\n', i);
    if (e == std::string_view::npos) e = text.size();
    std::string_view line = text.substr(i, e - i);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    bool day = std::any_of(std::begin(kDays), std::end(kDays),
                           [&](const char* d) { return line.starts_with(d); });
    if (day && line.size() <= 40 && line.find(':') != std::string_view::npos) {
      text::Date d = text::ParseIsoDate(clean::ParsePageDate(line));
      if (d.valid())
        items.push_back({static_cast<uint32_t>(prev_start == std::string_view::npos ? i : prev_start),
                         d, static_cast<uint32_t>(i), static_cast<uint32_t>(i + line.size())});
    }
    if (!line.empty()) prev_start = i;
    i = e + 1;
  }
  return items;
}

bool Builder::EmitFeedItems(std::vector<Event>* out) {
  std::vector<FeedItem> feed = FeedItems(text);
  if (feed.size() < 2) return false;
  uint32_t n = v.Sentences();
  for (size_t k = 0; k < feed.size(); ++k) {
    uint32_t b = feed[k].start;
    uint32_t e = k + 1 < feed.size() ? feed[k + 1].start : UINT32_MAX;
    // The summary tells what the title does, with its numbers: the title
    // counts only when the item has no summary that reports something.
    std::vector<bool> keep(n, false);
    bool any = false;
    for (uint32_t from : {feed[k].date_line_end, b}) {
      for (uint32_t s = 0; s < n; ++s) {
        keep[s] = report[s] && v.SentStart(s) >= from && v.SentStart(s) < e;
        any = any || (keep[s] && HasEventWords(v, s));
      }
      if (any) break;
    }
    if (!any) continue;
    std::string masked = Masked(v, text, keep);
    for (const auto& f : feed)
      for (uint32_t p = f.date_line; p < f.date_line_end && p < masked.size(); ++p) masked[p] = ' ';
    DocumentAnalysis dd;
    AnalyseDocument(kb, masked, feed[k].date, &dd);
    name_limit = e;
    Emit(dd, false, nullptr, out);
  }
  name_limit = UINT32_MAX;
  return true;
}

void Builder::Emit(const DocumentAnalysis& dd, bool background, const text::Date* intro_date,
                   std::vector<Event>* out) {
  // The page's own analysis already has its view.
  std::optional<View> masked_view;
  if (&dd != &d) masked_view.emplace(kb, dd.analysis);
  const View& mv = masked_view ? *masked_view : v;
  for (const Incident& inc : dd.incidents) {
    bool operation_only = !inc.has_trigger && (inc.operation || !inc.other_types.empty()) &&
                          (inc.place >= 0 || !inc.groups.empty());
    if (!inc.has_trigger && !(operation_only && !background)) continue;
    if (!inc.has_trigger && inc.other_types.empty() && !intro_date &&
        !IncidentIsDated(mv, inc, dd.reference))
      continue;
    size_t event_index = index++;
    // Built where it is kept: moving an Event costs more than most rules.
    Event& ev = out->emplace_back();
    to_event(kb, dd, inc, doc_id, event_index, &ev);
    int place = inc.place;
    if (int in_unit = PlaceInNamedUnit(mv, inc); in_unit >= 0) place = in_unit;
    if (int town = TownOfSameName(mv, inc, place); town >= 0) place = town;
    if (place < 0) place = CountryOfIncident(mv, inc);
    if (place != inc.place) full::FillLocation(kb, place, &ev.location);
    // Evidence: the lead's sentences plus reported sentences of the incident
    // that name the operation (the quoted release's "conducted an operation
    // to detain ...").
    std::vector<std::pair<uint32_t, uint32_t>> spans;
    uint32_t last_s = std::min<uint32_t>(inc.end_sentence, mv.Sentences());
    spans.reserve(ev.evidence.size() +
                  (last_s > inc.first_sentence ? last_s - inc.first_sentence : 0));
    for (const auto& e : ev.evidence) spans.emplace_back(e.start, e.end);
    for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < mv.Sentences(); ++s) {
      if (!mv.SentHas(s, LexBit(Lex::kOperation) | LexBit(Lex::kEventType))) continue;
      bool ops = false;
      for (uint32_t i = mv.SentBegin(s); i < mv.SentEnd(s) && !ops; ++i)
        ops = mv.IsLex(i, Lex::kOperation) || mv.IsLex(i, Lex::kEventType);
      if (ops) spans.emplace_back(mv.SentStart(s), mv.SentStop(s));
    }
    std::sort(spans.begin(), spans.end());
    spans.erase(std::unique(spans.begin(), spans.end()), spans.end());
    // Drop sentences that carry nothing of the event ("From the ISAF press
    // release:"), unless nothing else is left. In place: the kept spans move
    // to the front, and when none is kept nothing has moved.
    {
      size_t kept = 0;
      for (size_t r = 0; r < spans.size(); ++r) {
        uint32_t s = SentenceAt(mv, spans[r].first);
        if (s == UINT32_MAX || IsEvidenceSentence(mv, s)) spans[kept++] = spans[r];
      }
      if (kept > 0) spans.resize(kept);
    }
    ev.evidence.clear();
    ev.evidence.reserve(spans.size());
    for (const auto& [b, e] : spans) {
      Evidence evd;
      evd.start = b;
      evd.end = e;
      evd.text = std::string(text.substr(b, e - b));
      ev.evidence.push_back(std::move(evd));
    }
    // People targeted but not caught.
    TargetedPeople(mv, inc.first_sentence, std::min<uint32_t>(inc.end_sentence, mv.Sentences()),
                   &ev);
    if (ev.actor.empty()) {
      for (uint32_t s = inc.first_sentence; s < inc.end_sentence && s < mv.Sentences() &&
                                            ev.actor.empty();
           ++s)
        for (uint32_t i = mv.SentBegin(s); i < mv.SentEnd(s) && mv.SentHas(s, LexBit(Lex::kActor));
             ++i)
          if (mv.IsLex(i, Lex::kActor)) {
            const std::string& a = mv.LexOf(i).value;
            if (a == "coalition" || a == "afghan_coalition") ev.actor = "coalition";
            if (!ev.actor.empty()) break;
          }
    }
    NormaliseTypes(&ev);
    DropDescribedTypes(mv, inc, &ev);
    DropUnsupportedRaid(mv, inc, &ev);
    DroneThatStruck(mv, inc, &ev);
    if (std::string actor = SubjectForce(mv, inc); !actor.empty()) ev.actor = actor;
    if (ev.actor.empty()) ev.actor = HomeArmy(mv, inc, ev.location.country);
    RaidAndSeizure(mv, inc, &ev);
    DestroyedCacheOnly(mv, inc, &ev);
    NormaliseTypes(&ev);  // a seizure RaidAndSeizure found drops the IED it held
    StrikeOrBombing(mv, inc, &ev);
    ConstrainPlace(mv, inc, &ev);
    TownWhenSaid(mv, inc, &ev);
    DropParentGroups(mv, inc, &ev);
    // Names are looked for in every sentence of the page from the event on
    // (a description sentence such as "The leader, X, also ran ..." is not a
    // report but still names him), up to the end of the digest entry.
    if (!ev.evidence.empty()) {
      uint32_t from = v.Sentences(), to = v.Sentences();
      for (uint32_t s = 0; s < v.Sentences(); ++s) {
        if (from == v.Sentences() && v.SentStop(s) > ev.evidence.front().start) from = s;
        if (v.SentStart(s) >= name_limit) {
          to = s;
          break;
        }
      }
      NamePeople(v, from, to, &ev);
      NameListedPeople(v, from, to, &ev);
      // A village the event's own sentence names is more precise than the
      // town the incident analysis chose ("at Kwatara village in Bama").
      if (!background && !ev.location.country.empty()) {
        uint32_t last = std::min<uint32_t>(inc.end_sentence, mv.Sentences());
        std::string village =
            ev.location.place.empty()
                ? UnknownVillage(mv, inc.first_sentence, last)
                : UnknownVillage(mv, FirstEvidenceSentence(mv, inc.first_sentence, last),
                                 std::min<uint32_t>(
                                     FirstEvidenceSentence(mv, inc.first_sentence, last) + 1,
                                     last));
        if (!village.empty()) ev.location.place = village;
      }
      if (!background && ev.target_groups.empty()) {
        int g = ClaimedBy(v, from, to);
        if (g >= 0) ev.target_groups.push_back(kb.groups()[static_cast<size_t>(g)].id);
      } else if (!background && ev.target_groups.size() >= 2) {
        // "Islamic State militants attacked a position held by the PMF ...
        // Islamic State claimed the attack": the attacked militia is the
        // victim, the claimant the group the event is laid at.
        int g = ClaimedBy(v, from, to);
        if (g >= 0) {
          const std::string& id = kb.groups()[static_cast<size_t>(g)].id;
          if (std::find(ev.target_groups.begin(), ev.target_groups.end(), id) !=
              ev.target_groups.end())
            ev.target_groups = {id};
        }
      }
    }
    if (!background) {
      DropKillers(mv, inc, &ev);
      uint32_t last = std::min<uint32_t>(inc.end_sentence, mv.Sentences());
      int victims = VictimsKilled(mv, inc.first_sentence, last);
      if (victims > 0) {
        ev.killed = ev.killed.value_or(0) + victims;
        if (!ev.leaders_killed) ev.leaders_killed = 0;
      }
    }
    if (!background) {
      bool dated = intro_date || IncidentIsDated(mv, inc, dd.reference);
      if (IsEmptyEvent(ev, dated) || (!dated && OnlyNominalTriggers(mv, inc))) {
        out->pop_back();
        continue;
      }
    }
    if (background) {
      ev.background = true;
      if (ev.date_basis != "explicit") {
        ev.date.clear();
        ev.date_basis.clear();
      }
      ev.confidence = std::max(0.2, ev.confidence - 0.3);
    } else if (intro_date && (ev.date_basis == "dateline" || ev.date_basis == "published" ||
                              ev.date_basis.empty())) {
      ev.date = text::FormatDate(*intro_date);
      ev.date_basis = "relative";
    }
    if (!background && !intro_date && ev.date_basis == "relative") {
      text::Date d;
      if (EventDayBesideReportDay(mv, inc, dd.reference, &d)) ev.date = text::FormatDate(d);
    }
    if (!background && (ev.date_basis == "dateline" || ev.date_basis == "published" ||
                        ev.date_basis.empty())) {
      text::Date d;
      if (ExplicitDay(mv, inc, dd.reference, &d)) {
        ev.date = text::FormatDate(d);
        ev.date_basis = "explicit";
      }
    }
    ev.date_precision = ev.date.empty() ? "unknown" : "day";
    if (operation_only) ev.confidence = std::min(ev.confidence, 0.5);
    ev.event_id = !ev.evidence.empty()
                      ? full::StableId(doc_id, background ? "bg" : "ev", ev.evidence[0].start)
                      : full::StableId(doc_id, std::to_string(event_index), 0);
  }
}

bool Compatible(const Event& a, const Event& b) {
  if (a.background != b.background) return false;
  if (!a.location.admin1.empty() && !b.location.admin1.empty() &&
      a.location.admin1 != b.location.admin1)
    return false;
  if (!a.date.empty() && !b.date.empty() && a.date != b.date) return false;
  if (!a.target_groups.empty() && !b.target_groups.empty()) {
    bool common = false;
    for (const auto& g : a.target_groups)
      if (std::find(b.target_groups.begin(), b.target_groups.end(), g) != b.target_groups.end())
        common = true;
    if (!common) return false;
  }
  return true;
}

void MergeInto(Event* a, const Event& b) {
  auto more_specific = [](const Location& l) {
    return l.precision == "place" ? 3 : l.precision == "admin2" ? 2 : l.precision == "admin1" ? 1 : 0;
  };
  if (more_specific(b.location) > more_specific(a->location)) a->location = b.location;
  for (const auto& t : b.types)
    if (std::find(a->types.begin(), a->types.end(), t) == a->types.end()) a->types.push_back(t);
  for (const auto& g : b.target_groups)
    if (std::find(a->target_groups.begin(), a->target_groups.end(), g) == a->target_groups.end())
      a->target_groups.push_back(g);
  auto mx = [](std::optional<int>& x, const std::optional<int>& y) {
    if (y && (!x || *y > *x)) x = y;
  };
  mx(a->killed, b.killed);
  mx(a->captured, b.captured);
  mx(a->leaders_killed, b.leaders_killed);
  mx(a->leaders_captured, b.leaders_captured);
  if (a->date.empty()) {
    a->date = b.date;
    a->date_basis = b.date_basis;
    a->date_precision = b.date_precision;
  }
  if (a->actor.empty()) a->actor = b.actor;
  a->airstrike = a->airstrike || b.airstrike;
  a->no_shots_fired = a->no_shots_fired || b.no_shots_fired;
  for (const auto& p : b.people) {
    bool dup = false;
    for (auto& q : a->people)
      if (q.role == p.role && (q.group == p.group || q.group.empty() || p.group.empty()) &&
          (q.name == p.name || q.name.empty() || p.name.empty())) {
        if (q.fate == "targeted" && p.fate != "targeted") q.fate = p.fate;
        dup = true;
      }
    if (!dup) a->people.push_back(p);
  }
  for (const auto& e : b.evidence) {
    bool dup = std::any_of(a->evidence.begin(), a->evidence.end(),
                           [&](const Evidence& f) { return f.start == e.start; });
    if (!dup) a->evidence.push_back(e);
  }
  std::sort(a->evidence.begin(), a->evidence.end(),
            [](const Evidence& p, const Evidence& q) { return p.start < q.start; });
  a->confidence = std::min(1.0, std::max(a->confidence, b.confidence) + 0.05);
}

// The article's sentence about a raid and the press release it quotes give
// one event.
void Builder::MergeQuoted(std::vector<Event>* events) const {
  if (page.quotes.empty()) return;
  auto quoted = [&](const Event& e) {
    bool in = false, out = false;
    for (const auto& ev : e.evidence) (InRanges(page.quotes, ev.start) ? in : out) = true;
    return std::pair<bool, bool>(in, out);
  };
  for (size_t i = 0; i < events->size(); ++i) {
    for (size_t j = i + 1; j < events->size();) {
      auto [ai, ao] = quoted((*events)[i]);
      auto [bi, bo] = quoted((*events)[j]);
      bool cross = (ai && bo) || (ao && bi);
      if (cross && Compatible((*events)[i], (*events)[j])) {
        MergeInto(&(*events)[i], (*events)[j]);
        events->erase(events->begin() + static_cast<long>(j));
      } else {
        ++j;
      }
    }
  }
}

void Builder::Run() {
  uint32_t n = v.Sentences();
  const text::Date& ref = d.reference;
  int main_group = MainGroup(v);

  std::vector<bool>& rel_s = sc.relation_sentences;
  std::vector<bool>& claim_s = sc.claim_sentences;
  std::vector<bool>& strike_s = sc.strike_sentences;
  full::FindRelations(v, main_group, &x->relations, &rel_s);
  full::FindClaims(v, ref, main_group, &x->claims, &claim_s);

  // Strike reports.
  {
    full::StrikeOptions so;
    so.doc_id = doc_id;
    so.date = ref;
    so.date_basis = d.reference_basis;
    // "... conducted seven strikes in Syria and Iraq on Dec. 6": the day the
    // intro names wins over the release date.
    bool dated = false;
    for (uint32_t s = 0; s < n && s < 6 && !dated; ++s) {
      if (!v.SentHas(s, fact::kOnWord)) continue;
      uint32_t e = v.SentEnd(s);
      for (uint32_t i = v.SentBegin(s); i + 1 < e; ++i) {
        if (!v.Word(i, v.w().on_)) continue;
        text::Date t;
        std::string prec;
        uint32_t next;
        if (v.DateAt(i + 1, e, ref, &t, &prec, &next) && prec == "day" && t.valid()) {
          so.date = t;
          so.date_basis = "explicit";
          dated = true;
          break;
        }
      }
    }
    for (uint32_t s = 0; s < n && s < 6 && !dated; ++s) {
      text::Date t;
      if (ResolveTime(v, s, ref, &t)) {
        so.date = t;
        so.date_basis = "relative";
        break;
      }
    }
    // The first group item that is a force.
    if (uint32_t i = v.NextWith(0, v.Items(), fact::kForceGroup); i < v.Items())
      so.actor = kb.groups()[static_cast<size_t>(v.GroupOf(i))].id;
    if (main_group >= 0) so.default_group = kb.groups()[static_cast<size_t>(main_group)].id;
    if (full::FindStrikeReport(v, so, &x->events, &strike_s)) return;
  }

  // Sentence classes.
  report.assign(n, false);
  background.assign(n, false);
  bool mask_needed = false;
  for (uint32_t s = 0; s < n; ++s) {
    if (IsBackground(v, s, ref))
      background[s] = true;
    else
      report[s] = !(claim_s[s] || (rel_s[s] && !HasTrigger(v, s) && !HasRaidOrTime(v, s)) ||
                    IsDescription(v, s));
    if (!report[s] && HasRelevantItems(v, s)) mask_needed = true;
  }

  // Digest entries.
  std::vector<uint32_t> entries;
  for (uint32_t s = 0; s < n; ++s)
    if (report[s] && OpensEntry(v, s)) entries.push_back(s);
  std::vector<Event> events;
  if (EmitFeedItems(&events)) {
  } else if (entries.size() >= 2) {
    text::Date intro;
    bool have_intro = false;
    for (uint32_t s = 0; s < entries.front() && !have_intro; ++s)
      have_intro = ResolveTime(v, s, ref, &intro);
    for (size_t k = 0; k < entries.size(); ++k) {
      uint32_t b = entries[k];
      uint32_t e = k + 1 < entries.size() ? entries[k + 1] : n;
      bool any = false;
      for (uint32_t s = b; s < e && !any; ++s) any = report[s] && HasEventWords(v, s);
      if (!any) continue;
      std::vector<bool> keep(n, false);
      for (uint32_t s = b; s < e; ++s) keep[s] = report[s];
      std::string masked = Masked(v, text, keep);
      DocumentAnalysis dd;
      AnalyseDocument(kb, masked, published, &dd);
      name_limit = e < n ? v.SentStart(e) : UINT32_MAX;
      Emit(dd, false, have_intro ? &intro : nullptr, &events);
    }
    name_limit = UINT32_MAX;
  } else if (mask_needed) {
    std::string masked = Masked(v, text, report);
    DocumentAnalysis dd;
    AnalyseDocument(kb, masked, published, &dd);
    Emit(dd, false, nullptr, &events);
  } else {
    Emit(d, false, nullptr, &events);
  }
  MergeQuoted(&events);

  // Background events: history with a kill or capture in it.
  std::vector<bool>& bg = background;
  bool any_bg = false;
  for (uint32_t s = 0; s < n; ++s) {
    bg[s] = bg[s] && HasTrigger(v, s);
    any_bg = any_bg || bg[s];
  }
  if (any_bg) {
    std::string masked = Masked(v, text, bg);
    for (uint32_t s = 0; s < n; ++s)
      if (bg[s]) NeutraliseTotals(v, s, ref, &masked);
    DocumentAnalysis dd;
    AnalyseDocument(kb, masked, published, &dd);
    Emit(dd, true, nullptr, &events);
  }
  // Most pages have one event: stable_sort would still move it through a
  // temporary buffer.
  if (events.size() > 1)
    std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
      uint32_t sa = a.evidence.empty() ? 0 : a.evidence[0].start;
      uint32_t sb = b.evidence.empty() ? 0 : b.evidence[0].start;
      return sa < sb;
    });
  if (x->events.empty()) {
    x->events = std::move(events);
  } else {
    for (auto& e : events) x->events.push_back(std::move(e));
  }
}

}  // namespace

void BuildFullRecord(const KnowledgeBase& kb, const clean::Page& page, std::string_view text,
                     const text::Date& published, const std::string& doc_id,
                     const DocumentAnalysis& d, IncidentToEvent to_event,
                     FullScratch* scratch, Extraction* x) {
  if (d.analysis.items.empty()) return;
  FullScratch own;
  FullScratch& sc = scratch ? *scratch : own;
  {
    Builder b(kb, page, text, published, doc_id, d, to_event, sc, x);
    b.Run();
    sc.view = b.v.TakeBuffers();
  }
  // A huge page's buffers are not kept for the rest of the run.
  constexpr size_t kKeepItems = 1 << 16;
  if (sc.view.items.capacity() > kKeepItems) sc = FullScratch();
}

}  // namespace sitrep::extract
