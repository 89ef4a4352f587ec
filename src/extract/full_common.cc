#include "extract/full_common.h"

#include <algorithm>
#include <cstdio>

namespace sitrep::extract::full {

Words::Words() {
#define SITREP_FULL_WORD_INIT(w) w##_ = text::HashNormalized(#w);
  SITREP_FULL_WORDS(SITREP_FULL_WORD_INIT)
#undef SITREP_FULL_WORD_INIT
}

const Words& FW() {
  static const Words kWords;
  return kWords;
}

namespace {

// The fact:: word classes of a word hash.
class WordClasses : public WordTable {
 public:
  WordClasses() {
    const Words& w = FW();
    for (uint64_t h : {w.drone_, w.drones_}) Add(h, fact::kDroneWord);
    for (uint64_t h : {w.aircraft_, w.warplanes_, w.jets_, w.helicopter_, w.helicopters_,
                       w.gunships_, w.air_})
      Add(h, fact::kAirWord);
    for (uint64_t h : {w.conducted_, w.carried_}) Add(h, fact::kConductWord);
    for (uint64_t h : {w.soldiers_, w.troops_}) Add(h, fact::kTroopWord);
    Add(w.checkpoint_, fact::kCheckpointWord);
    Add(w.recovered_, fact::kRecoveredWord);
    for (uint64_t h : {w.village_, w.town_, w.hamlet_, w.locality_}) Add(h, fact::kVillageWord);
    for (uint64_t h : {w.claimed_, w.blamed_, w.responsibility_, w.carried_})
      Add(h, fact::kClaimWord);
    for (uint64_t h : {w.since_, w.ago_, w.previously_, w.history_, w.past_, w.last_,
                       w.earlier_, w.recent_, w.course_, w.involved_, w.stepped_})
      Add(h, fact::kHistoryWord);
    for (uint64_t h : {w.second_, w.third_, w.fourth_, w.fifth_, w.sixth_, w.seventh_,
                       w.eighth_, w.ninth_, w.tenth_})
      Add(h, fact::kOrdinalWord);
    for (uint64_t h : {w.soldiers_, w.soldier_, w.troops_, w.policemen_, w.policeman_,
                       w.police_, w.officers_, w.peacekeepers_, w.farmers_, w.villagers_,
                       w.worshippers_, w.passengers_, w.students_, w.children_,
                       w.guardsmen_, w.recruits_, w.residents_})
      Add(h, fact::kVictimWord);
    Add(w.on_, fact::kOnWord);
    for (uint64_t h : {w.since_, w.this_, w.last_, w.over_, w.in_, w.during_, w.so_, w.to_,
                       w.between_})
      Add(h, fact::kPeriodWord);
    for (uint64_t h : {w.january_, w.february_, w.march_, w.april_, w.may_, w.june_, w.july_,
                       w.august_, w.september_, w.october_, w.november_, w.december_})
      Add(h, fact::kMonthName);
  }
};

const WordClasses& Classes() {
  static const WordClasses kClasses;
  return kClasses;
}

}  // namespace

View::View(const KnowledgeBase& kb, const Analysis& a, Buffers reuse)
    : kb_(kb),
      a_(a),
      w_(FW()),
      n_(static_cast<uint32_t>(a.items.size())),
      items_(std::move(reuse.items)),
      sents_(std::move(reuse.sents)),
      places_(std::move(reuse.places)),
      place_items_(std::move(reuse.place_items)) {
  const WordClasses& classes = Classes();
  items_.clear();
  items_.resize(n_ + 1);
  places_.clear();
  places_.reserve(a.payloads.size());
  uint32_t place_count = 0;
  for (uint32_t i = 0; i < n_; ++i) {
    const Item& it = a.items[i];
    ItemInfo& info = items_[i];
    info.places = static_cast<uint32_t>(places_.size());
    uint64_t f = fact::KindBit(it.kind);
    if (it.kind != ItemKind::kPunct && it.tok_end - it.tok_begin == 1) {
      info.word = it.hash;
      f |= classes.Of(it.hash);
    }
    switch (it.kind) {
      case ItemKind::kLex:
        f |= fact::LexBit(it.lex);
        break;
      case ItemKind::kGroup:
        for (uint32_t p = it.payload_begin; p < it.payload_end; ++p)
          if (a.payloads[p].kind == kb::PayloadKind::kGroup) {
            info.group = static_cast<int>(a.payloads[p].index);
            f |= IsForce(info.group) ? fact::kForceGroup : fact::kArmedGroup;
            break;
          }
        break;
      case ItemKind::kPlace:
        ++place_count;
        for (uint32_t p = it.payload_begin; p < it.payload_end; ++p)
          if (a.payloads[p].kind == kb::PayloadKind::kPlace)
            places_.push_back(static_cast<int>(a.payloads[p].index));
        break;
      default:
        break;
    }
    info.facts = f;
    // ReadMonth() reads IsLex(), so after info.facts. Only a month word or a
    // month name can be one.
    if (f & (fact::LexBit(Lex::kMonth) | fact::kMonthName)) {
      info.month = ReadMonth(i);
      if (info.month > 0) info.facts |= fact::kMonth;
    }
  }
  items_[n_].places = static_cast<uint32_t>(places_.size());
  uint32_t sentences = Sentences();
  sents_.clear();
  sents_.resize(sentences + 1);
  place_items_.clear();
  place_items_.reserve(place_count);
  for (uint32_t s = 0; s < sentences; ++s) {
    sents_[s].place_items = static_cast<uint32_t>(place_items_.size());
    uint32_t e = SentEnd(s), peek_end = std::min(e + kPeek, n_);
    uint64_t f = 0;
    for (uint32_t i = SentBegin(s); i < e; ++i) {
      f |= items_[i].facts;
      if (items_[i].facts & fact::KindBit(ItemKind::kPlace)) place_items_.push_back(i);
    }
    for (uint32_t i = e; i < peek_end; ++i) f |= items_[i].facts;
    sents_[s].facts = f;
  }
  sents_[sentences].place_items = static_cast<uint32_t>(place_items_.size());
}

bool View::AffiliationModifier(uint32_t i) const {
  uint32_t k = i + 1;
  if (Punct(k, '-')) ++k;
  return Word(k, w_.linked_) || Word(k, w_.affiliated_) || Word(k, w_.allied_) ||
         Word(k, w_.associated_) || Word(k, w_.aligned_) || Word(k, w_.backed_) ||
         Word(k, w_.connected_) || Word(k, w_.inspired_);
}

int64_t View::NumberAt(uint32_t i, uint32_t limit, uint32_t* next) const {
  bool more = false;
  uint32_t k = i;
  if (IsLex(k, Lex::kQuantity)) {
    std::string_view v = LexOf(k).value;
    if (v == "more_than") {
      more = true;
      ++k;
    } else if (v == "at_least" || v == "about" || v == "up_to") {
      ++k;
    }
  }
  if (k >= limit) return -1;
  int64_t n = -1;
  if (I(k).kind == ItemKind::kNumber && I(k).number >= 0) {
    n = I(k).number;
    // "1,200" is one token; years are not counts.
  } else if (LexValue(k, Lex::kQuantity, "word")) {
    n = LexOf(k).number;
    // "twenty five"
    if (k + 1 < limit && LexValue(k + 1, Lex::kQuantity, "word") &&
        n >= 20 && n % 10 == 0 && LexOf(k + 1).number < 10) {
      n += LexOf(k + 1).number;
      ++k;
    }
  }
  if (n < 0) return -1;
  *next = k + 1;
  return more ? n + 1 : n;
}

int View::ReadMonth(uint32_t i) const {
  if (IsLex(i, Lex::kMonth)) return LexOf(i).number;
  const Item& it = I(i);
  if ((it.kind != ItemKind::kPlace && it.kind != ItemKind::kWord) || !Capitalised(i) ||
      it.tok_end - it.tok_begin != 1)
    return 0;
  static constexpr std::string_view kNames[] = {"January", "February", "March", "April",
                                           "May", "June", "July", "August",
                                           "September", "October", "November", "December"};
  std::string_view r = Raw(i);
  // Month names start with one of these capitals: most words need no compare.
  if (r.empty() || std::string_view("JFMASOND").find(r[0]) == std::string_view::npos) return 0;
  for (int m = 0; m < 12; ++m)
    if (r == kNames[m]) return m + 1;
  return 0;
}

int View::OrdinalAt(uint32_t i) const {
  if (!(Facts(i) & fact::kOrdinalWord)) return 0;
  const uint64_t h[] = {w_.second_, w_.third_, w_.fourth_, w_.fifth_, w_.sixth_,
                        w_.seventh_, w_.eighth_, w_.ninth_, w_.tenth_};
  uint64_t x = WordHash(i);
  if (x == 0) return 0;
  for (int k = 0; k < 9; ++k)
    if (x == h[k]) return k + 2;
  return 0;
}

bool View::DateAt(uint32_t i, uint32_t limit, const text::Date& ref, text::Date* d,
                  std::string* precision, uint32_t* next) const {
  *d = text::Date();
  if (i >= limit) return false;
  if (int month = MonthAt(i); month > 0) {
    uint32_t k = i + 1;
    if (Punct(k, '.')) ++k;
    if (k < limit && I(k).kind == ItemKind::kNumber && I(k).number >= 1 &&
        I(k).number <= 31) {
      d->month = month;
      d->day = static_cast<int>(I(k).number);
      ++k;
      uint32_t y = k;
      if (Punct(y, ',')) ++y;
      if (y < limit && I(y).kind == ItemKind::kNumber && I(y).number >= 1900 &&
          I(y).number <= 2100) {
        d->year = static_cast<int>(I(y).number);
        k = y + 1;
      } else if (ref.valid()) {
        d->year = ref.year;
        text::Date probe{ref.year, d->month, std::min(d->day, 28)};
        if (text::DaysFromCivil(probe) > text::DaysFromCivil(ref) + 31) d->year = ref.year - 1;
      }
      *precision = "day";
      *next = k;
      return true;
    }
    d->month = month;
    if (k < limit && I(k).kind == ItemKind::kNumber && I(k).number >= 1900 &&
        I(k).number <= 2100) {
      d->year = static_cast<int>(I(k).number);
      ++k;
    } else if (ref.valid()) {
      d->year = month > ref.month ? ref.year - 1 : ref.year;
    }
    *precision = "month";
    *next = k;
    return true;
  }
  // "27 August", "19 June 2021": day first, as British, French and Nigerian
  // military releases write it.
  if (I(i).kind == ItemKind::kNumber && I(i).number >= 1 && I(i).number <= 31 &&
      I(i).end - I(i).start <= 2 && i + 1 < limit) {
    if (int month = MonthAt(i + 1); month > 0) {
      d->month = month;
      d->day = static_cast<int>(I(i).number);
      uint32_t k = i + 2;
      if (k < limit && I(k).kind == ItemKind::kNumber && I(k).number >= 1900 &&
          I(k).number <= 2100) {
        d->year = static_cast<int>(I(k).number);
        ++k;
      } else if (ref.valid()) {
        d->year = ref.year;
        text::Date probe{ref.year, d->month, std::min(d->day, 28)};
        if (text::DaysFromCivil(probe) > text::DaysFromCivil(ref) + 31) d->year = ref.year - 1;
      }
      *precision = "day";
      *next = k;
      return true;
    }
  }
  if (I(i).kind == ItemKind::kNumber && I(i).number >= 1900 && I(i).number <= 2100 &&
      I(i).end - I(i).start == 4) {
    d->year = static_cast<int>(I(i).number);
    *precision = "year";
    *next = i + 1;
    return true;
  }
  return false;
}

int View::ChoosePlace(uint32_t i, const std::string& country, bool want_admin1,
                      bool want_town) const {
  bool said_province = Word(i + 1, w_.province_) || Word(i + 1, w_.provinces_);
  bool said_district = Word(i + 1, w_.district_) || Word(i + 1, w_.districts_);
  int best = -1;
  int64_t best_score = INT64_MIN;
  for (int p : PlacesOf(i)) {
    const Place& pl = kb_.places()[static_cast<size_t>(p)];
    int64_t score = 0;
    if (!country.empty()) score += pl.country == country ? 200 : -200;
    if (said_province || want_admin1) score += pl.level == PlaceLevel::kAdmin1 ? 100 : -50;
    else if (said_district) score += pl.level == PlaceLevel::kAdmin2 ? 100 : -50;
    else if (pl.level == PlaceLevel::kAdmin1) score += 30;
    else if (pl.level == PlaceLevel::kAdmin2) score += 20;
    else if (pl.level == PlaceLevel::kPlace)
      score += 5 + std::min<int64_t>(pl.population / 100000, 40);
    if (pl.level == PlaceLevel::kCountry) score -= 20;
    if (want_town && pl.level == PlaceLevel::kPlace) score += 60;
    if (country.empty() && pl.country == "AF") score += 10;
    if (score > best_score) {
      best_score = score;
      best = p;
    }
  }
  return best;
}

Evidence View::SentenceEvidence(uint32_t s) const {
  Evidence e;
  e.start = SentStart(s);
  e.end = SentStop(s);
  e.text = std::string(SentText(s));
  return e;
}

std::string FormatPartial(int year, int month, int day) {
  char buf[64];
  if (year > 0 && month > 0 && day > 0)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  else if (year > 0 && month > 0)
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  else if (year > 0)
    std::snprintf(buf, sizeof buf, "%04d", year);
  else if (month > 0 && day > 0)
    std::snprintf(buf, sizeof buf, "--%02d-%02d", month, day);
  else if (month > 0)
    std::snprintf(buf, sizeof buf, "--%02d", month);
  else
    return "";
  return buf;
}

void FillLocation(const KnowledgeBase& kb, int place, Location* loc) {
  *loc = Location();
  if (place < 0) return;
  const Place& p = kb.places()[static_cast<size_t>(place)];
  loc->country = p.country;
  int a1 = kb.Admin1Of(place), a2 = kb.Admin2Of(place);
  if (a1 >= 0) {
    loc->admin1 = kb.places()[static_cast<size_t>(a1)].name;
    loc->admin1_code = kb.places()[static_cast<size_t>(a1)].id;
  }
  if (a2 >= 0) loc->admin2 = kb.places()[static_cast<size_t>(a2)].name;
  if (p.level == PlaceLevel::kPlace) loc->place = p.name;
  loc->precision = p.level == PlaceLevel::kPlace    ? "place"
                   : p.level == PlaceLevel::kAdmin2 ? "admin2"
                   : p.level == PlaceLevel::kAdmin1 ? "admin1"
                                                    : "country";
  for (int k = place; k >= 0; k = kb.places()[static_cast<size_t>(k)].parent) {
    const Place& q = kb.places()[static_cast<size_t>(k)];
    if (q.lat && q.lon) {
      loc->lat = q.lat;
      loc->lon = q.lon;
      break;
    }
  }
}

std::string StableId(const std::string& doc_id, const std::string& salt, uint32_t start) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  };
  mix(doc_id);
  mix("#");
  mix(salt);
  mix("@");
  mix(std::to_string(start));
  // "%016llx" without the printf machinery.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int k = 15; k >= 0; --k, h >>= 4) out[static_cast<size_t>(k)] = kHex[h & 15];
  return out;
}

}  // namespace sitrep::extract::full
