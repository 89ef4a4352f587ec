// Helpers shared by the full-profile post-processing (full_record, claims,
// relations, strike_report): read-only access to the lead's item analysis,
// number and date phrases, place choice. No state beyond what is passed in.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "extract/items.h"
#include "kb/knowledge_base.h"
#include "sitrep/record.h"
#include "text/date.h"

namespace sitrep::extract::full {

// Words the full-profile rules test, hashed once (X-macro list below).
#define SITREP_FULL_WORDS(X)                                                   \
  X(since) X(past) X(previous) X(previously) X(former) X(earlier) X(last)      \
  X(year) X(years) X(month) X(months) X(week) X(weeks) X(day) X(days)          \
  X(this) X(so) X(far) X(date) X(course) X(those) X(these) X(them) X(of)       \
  X(in) X(near) X(strike) X(strikes) X(raid) X(raids) X(operation)             \
  X(operations) X(attack) X(attacks) X(the) X(a) X(an) X(and) X(or) X(to)      \
  X(with) X(into) X(from) X(between) X(over) X(during) X(total) X(all)         \
  X(have) X(has) X(had) X(been) X(history) X(ago) X(recent) X(involved)        \
  X(province) X(provinces) X(district) X(districts) X(took) X(place)           \
  X(occurred) X(were) X(was) X(carried) X(out) X(conducted) X(also)            \
  X(second) X(third) X(fourth) X(fifth) X(sixth) X(seventh) X(eighth)          \
  X(ninth) X(tenth) X(group) X(organization) X(organisation) X(movement)       \
  X(network) X(it) X(outfit) X(faction) X(its) X(their) X(they) X(stepped)     \
  X(up) X(struck) X(destroyed) X(destroying) X(hit) X(targeted) X(engaged) X(killed)         \
  X(captured) X(detained) X(linked) X(affiliated) X(allied) X(associated)      \
  X(aligned) X(backed) X(connected) X(inspired) X(affiliate) X(affiliates)     \
  X(branch) X(franchise) X(wing) X(arm) X(part) X(unit) X(component)           \
  X(integrated) X(merged) X(subordinate) X(relationship) X(relationships)      \
  X(relations) X(ties) X(links) X(connections) X(alliance) X(works) X(worked)  \
  X(working) X(work) X(cooperates) X(cooperated) X(cooperation) X(cooperating) \
  X(alongside) X(league) X(partnered) X(partnership) X(collaborates)           \
  X(collaborated) X(collaboration) X(pledged) X(swore) X(sworn) X(allegiance)  \
  X(loyalty) X(loyal) X(rival) X(rivals) X(clashed) X(clashes) X(fighting)     \
  X(fought) X(fights) X(against) X(war) X(feud) X(enemy) X(enemies)            \
  X(opposed) X(hostile) X(splinter) X(broke) X(away) X(split) X(offshoot)      \
  X(breakaway) X(is) X(are) X(continues) X(continued) X(continuing) X(ongoing) X(continue) X(maintain) X(maintains)  \
  X(close) X(leader) X(leaders) X(commanders) X(insurgents) X(militants)       \
  X(fighters) X(people) X(by) X(on) X(at) X(for) X(per) X(least) X(more)       \
  X(than) X(yet) X(another) X(addition) X(iraq) X(syria) X(vicinity)   \
  X(target) X(targeting) X(search) X(detain) X(capture) X(arrest) X(kill)      \
  X(separate) X(elsewhere) X(meanwhile) X(additionally) X(today) X(yesterday)  \
  X(now) X(deaths) X(death) X(responsible) X(plans) X(directs) X(believed)     \
  X(which) X(who) X(that) X(where) X(when) X(lost) X(city) X(town) X(region)  \
  X(state) X(governorate) X(county) X(agency) X(capital) X(inside)            \
  X(northern) X(southern) X(eastern) X(western) X(central) X(known)           \
  X(identified) X(named) X(called) X(as) X(al) X(bin) X(ibn) X(abu) X(el)     \
  X(soldiers) X(soldier) X(troops) X(policemen) X(policeman) X(police)        \
  X(officers) X(peacekeepers) X(farmers) X(villagers) X(residents) X(including) X(worshippers)          \
  X(passengers) X(students) X(children) X(guardsmen) X(recruits) X(planning)  \
  X(planned) X(planner) X(directed) X(directing) X(coordinated)               \
  X(coordinating) X(organised) X(organized) X(facilitated) X(facilitating)    \
  X(wanted) X(planting) X(emplacing) X(placing) X(laying) X(fired) X(village) \
  X(hamlet) X(locality) X(claimed) X(blamed) X(responsibility) X(s) X(checkpoint)         \
  X(drone) X(drones) X(missile) X(missiles) X(recovered) X(rifle) X(rifles)   \
  X(weapons) X(weapon) X(gun) X(guns) X(ammunition) X(explosives) X(grenades) \
  X(rockets) X(tribal) X(outskirts) X(aircraft) X(warplanes) X(jets)          \
  X(helicopter) X(helicopters) X(gunships) X(precision) X(air) X(bombing)     \
  X(support) X(behalf) X(advised) X(supported) X(arrests) X(detentions)       \
  X(killings) X(such) X(said) X(told) X(added) X(stated) X(january)           \
  X(february) X(march) X(april) X(may) X(june) X(july) X(august)              \
  X(september) X(october) X(november) X(december)

struct Words {
  Words();
#define SITREP_FULL_WORD_MEMBER(w) uint64_t w##_ = 0;
  SITREP_FULL_WORDS(SITREP_FULL_WORD_MEMBER)
#undef SITREP_FULL_WORD_MEMBER
};
const Words& FW();

// A small open-addressing table from word hashes to bits, for per-item
// lookups in hot loops (a few instructions where a search takes dozens).
// Holds at most kSize / 2 words.
class WordTable {
 public:
  // ORs `bits` into the entry of h (h != 0).
  void Add(uint64_t h, uint64_t bits) {
    // Lookups stop at an empty slot: a full table would never answer.
    if (used_ + 1 >= kSize / 2) std::abort();
    size_t k = h & kMask;
    while (slots_[k].hash != 0 && slots_[k].hash != h) k = (k + 1) & kMask;
    if (slots_[k].hash == 0) ++used_;
    slots_[k].hash = h;
    slots_[k].bits |= bits;
  }
  // The bits of h, 0 when h was never added.
  uint64_t Of(uint64_t h) const {
    for (size_t k = h & kMask;; k = (k + 1) & kMask) {
      if (slots_[k].hash == h) return slots_[k].bits;
      if (slots_[k].hash == 0) return 0;
    }
  }

  static constexpr size_t kSize = 256;

 private:
  static constexpr size_t kMask = kSize - 1;
  struct Slot {
    uint64_t hash = 0, bits = 0;
  };
  Slot slots_[kSize];
  size_t used_ = 0;
};

// Facts about an item, computed once per View. View::SentFacts(s) is their
// union over sentence s, so that a rule looking for something rare skips the
// sentences that cannot hold it instead of testing every item.
namespace fact {
constexpr uint64_t LexBit(Lex l) { return uint64_t{1} << static_cast<unsigned>(l); }
constexpr uint64_t KindBit(ItemKind k) {
  return uint64_t{1} << (16 + static_cast<unsigned>(k));
}
// The lexicon categories take bits 0-15 and the item kinds 16-23: a new
// category or kind must move the bits below, or facts would alias.
static_assert(static_cast<unsigned>(Lex::kCount) <= 16, "Lex categories overflow bits 0-15");
static_assert(static_cast<unsigned>(ItemKind::kBlank) < 8, "item kinds overflow bits 16-23");
inline constexpr uint64_t kMonth = uint64_t{1} << 24;       // MonthAt() > 0
inline constexpr uint64_t kArmedGroup = uint64_t{1} << 25;  // ArmedGroupOf() >= 0
inline constexpr uint64_t kForceGroup = uint64_t{1} << 26;  // IsForce(GroupOf())
// Classes of one-token words (Word()).
inline constexpr uint64_t kDroneWord = uint64_t{1} << 32;    // drone drones
inline constexpr uint64_t kAirWord = uint64_t{1} << 33;      // aircraft ... air
inline constexpr uint64_t kConductWord = uint64_t{1} << 34;  // conducted carried
inline constexpr uint64_t kTroopWord = uint64_t{1} << 35;    // soldiers troops
inline constexpr uint64_t kCheckpointWord = uint64_t{1} << 36;
inline constexpr uint64_t kRecoveredWord = uint64_t{1} << 37;
inline constexpr uint64_t kVillageWord = uint64_t{1} << 38;  // village town hamlet
// claimed blamed responsibility carried
inline constexpr uint64_t kClaimWord = uint64_t{1} << 39;
// since ago previously history past last earlier recent course involved stepped
inline constexpr uint64_t kHistoryWord = uint64_t{1} << 40;
inline constexpr uint64_t kOrdinalWord = uint64_t{1} << 41;  // second .. tenth
inline constexpr uint64_t kVictimWord = uint64_t{1} << 42;   // VictimsKilled's nouns
inline constexpr uint64_t kOnWord = uint64_t{1} << 43;
// Words that open a claim's period: since this last over in during so to between
inline constexpr uint64_t kPeriodWord = uint64_t{1} << 44;
inline constexpr uint64_t kMonthName = uint64_t{1} << 45;  // january .. december
}  // namespace fact

// Read-only view of an analysed text with the helpers the rules need.
class View {
 public:
  // Per item, the hash of a one-token non-punctuation item (else 0): the
  // rules test words millions of times; this keeps each test one load.
  struct ItemInfo {
    uint64_t word = 0;   // see above
    uint64_t facts = 0;  // fact::
    int group = -1;      // GroupOf()
    int month = 0;       // MonthAt()
    uint32_t places = 0;  // its candidates: places_[places .. next item's places)
  };
  struct SentenceInfo {
    uint64_t facts = 0;        // SentFacts()
    uint32_t place_items = 0;  // PlaceItems(): place_items_[place_items .. next's)
  };
  // The vectors a View fills: a View built with another's (TakeBuffers())
  // reuses their memory instead of allocating its own.
  struct Buffers {
    std::vector<ItemInfo> items;
    std::vector<SentenceInfo> sents;
    std::vector<int> places;
    std::vector<uint32_t> place_items;
  };

  View(const KnowledgeBase& kb, const Analysis& a, Buffers reuse = {});
  // The view's vectors, for the next View; this one is not to be used after.
  Buffers TakeBuffers() {
    return Buffers{std::move(items_), std::move(sents_), std::move(places_),
                   std::move(place_items_)};
  }

  const KnowledgeBase& kb() const { return kb_; }
  const Analysis& a() const { return a_; }
  const Words& w() const { return w_; }
  uint32_t Items() const { return n_; }
  uint32_t Sentences() const {
    return a_.sentence_items.empty() ? 0
                                     : static_cast<uint32_t>(a_.sentence_items.size() - 1);
  }
  uint32_t SentBegin(uint32_t s) const { return a_.sentence_items[s]; }
  uint32_t SentEnd(uint32_t s) const { return a_.sentence_items[s + 1]; }
  const Item& I(uint32_t i) const { return a_.items[i]; }
  // Byte range of sentence s.
  uint32_t SentStart(uint32_t s) const { return I(SentBegin(s)).start; }
  uint32_t SentStop(uint32_t s) const { return I(SentEnd(s) - 1).end; }
  std::string_view SentText(uint32_t s) const {
    return a_.text.substr(SentStart(s), SentStop(s) - SentStart(s));
  }

  // A one-token word item with hash h (h is never 0).
  bool Word(uint32_t i, uint64_t h) const { return i < n_ && items_[i].word == h; }
  // The hash Word() tests at i, 0 when i is not a one-token word.
  uint64_t WordHash(uint32_t i) const { return i < n_ ? items_[i].word : 0; }
  bool Punct(uint32_t i, char c) const {
    return i < Items() && a_.items[i].kind == ItemKind::kPunct && a_.items[i].punct == c;
  }
  bool IsLex(uint32_t i, Lex l) const { return i < n_ && (items_[i].facts & fact::LexBit(l)); }
  const LexEntry& LexOf(uint32_t i) const {
    return kb_.lexicon()[a_.payloads[a_.items[i].payload_begin].index];
  }
  bool LexValue(uint32_t i, Lex l, std::string_view v) const {
    return IsLex(i, l) && LexOf(i).value == v;
  }
  std::string_view Raw(uint32_t i) const {
    return a_.text.substr(I(i).start, I(i).end - I(i).start);
  }
  bool Capitalised(uint32_t i) const {
    return i < Items() && (a_.items[i].flags & text::kCapitalised);
  }
  // Group index of a kGroup item, else -1.
  int GroupOf(uint32_t i) const { return i < n_ ? items_[i].group : -1; }
  bool IsForce(int g) const { return g >= 0 && kb_.groups()[static_cast<size_t>(g)].is_force; }
  // A non-force group item.
  int ArmedGroupOf(uint32_t i) const {
    return i < n_ && (items_[i].facts & fact::kArmedGroup) ? items_[i].group : -1;
  }
  // The fact bits of item i (0 past the end), and their union over sentence s
  // and the kPeek items after it (rules look a few items ahead): a sentence
  // without a bit holds no item that has it.
  static constexpr uint32_t kPeek = 3;
  uint64_t Facts(uint32_t i) const { return i < n_ ? items_[i].facts : 0; }
  // The first item of [i, e) with one of the facts `any_of`, else e: a rule
  // after rare items steps from one to the next in a tight loop.
  uint32_t NextWith(uint32_t i, uint32_t e, uint64_t any_of) const {
    const ItemInfo* items = items_.data();
    uint32_t end = e < n_ ? e : n_;
    while (i < end && !(items[i].facts & any_of)) ++i;
    return i < end ? i : e;
  }
  uint64_t SentFacts(uint32_t s) const { return sents_[s].facts; }
  bool SentHas(uint32_t s, uint64_t any_of) const { return (sents_[s].facts & any_of) != 0; }
  // "al Qaeda-linked": the group at i modifies what follows.
  bool AffiliationModifier(uint32_t i) const;
  // The kPlace items of sentence s, in order.
  std::span<const uint32_t> PlaceItems(uint32_t s) const {
    return std::span<const uint32_t>(place_items_.data() + sents_[s].place_items,
                                     sents_[s + 1].place_items - sents_[s].place_items);
  }
  // Place candidates of a kPlace item (empty for other items).
  std::span<const int> PlacesOf(uint32_t i) const {
    if (i >= n_) return {};
    return std::span<const int>(places_.data() + items_[i].places,
                                items_[i + 1].places - items_[i].places);
  }

  // A number phrase at i: digits, number words, "more than N" (N+1), "at
  // least N". Vague quantities and articles are not numbers here. Sets *next
  // past the phrase; returns -1 when there is none.
  int64_t NumberAt(uint32_t i, uint32_t limit, uint32_t* next) const;
  // A month name at i (1..12), also when the matcher read it as a place
  // ("March" is a village in Badakhshan); else 0.
  int MonthAt(uint32_t i) const { return i < n_ ? items_[i].month : 0; }
  // An ordinal ("third") at i, else 0.
  int OrdinalAt(uint32_t i) const;
  // A date phrase at i: "Jan. 29", "January 29, 2011", "29 January 2011",
  // "April 2011", "April", "2010". *precision is day / month / year. Resolves a missing year against
  // ref (the latest such date on or before ref + 31 days).
  bool DateAt(uint32_t i, uint32_t limit, const text::Date& ref, text::Date* d,
              std::string* precision, uint32_t* next) const;

  // The best place for item i: prefers the level the text names ("X
  // province"), admin1 over admin2 over place, `country` when given.
  // `want_town` prefers populated places ("Near Al Hasakah" is the town).
  int ChoosePlace(uint32_t i, const std::string& country, bool want_admin1,
                  bool want_town = false) const;

  // Evidence for sentence s (offsets into the analysed text).
  Evidence SentenceEvidence(uint32_t s) const;

 private:
  // MonthAt() computed: ItemInfo::month caches it.
  int ReadMonth(uint32_t i) const;

  const KnowledgeBase& kb_;
  const Analysis& a_;
  const Words& w_;
  uint32_t n_;
  std::vector<ItemInfo> items_;         // one per item, plus an end marker
  std::vector<SentenceInfo> sents_;     // one per sentence, plus an end marker
  std::vector<int> places_;
  std::vector<uint32_t> place_items_;
};

// Formats a partial date: YYYY-MM-DD, YYYY-MM, YYYY, or --MM-DD / --MM when
// the year is unknown.
std::string FormatPartial(int year, int month, int day);

// Fills a location from a place index: admin1/admin2/place names, the
// coordinates of the most specific level that has them, and the precision.
void FillLocation(const KnowledgeBase& kb, int place, Location* loc);

// FNV-1a event id, the same scheme as the pipeline's.
std::string StableId(const std::string& doc_id, const std::string& salt, uint32_t start);

}  // namespace sitrep::extract::full
