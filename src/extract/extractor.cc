#include "extract/extractor.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <iterator>
#include <string_view>

namespace sitrep::extract {
namespace {

// Lexicon values are compared with string_view literals: their length is
// known, so most comparisons end at the size (std::string == "literal"
// calls strlen and compare, ~2% of the isaf profile).
using namespace std::string_view_literals;

// Context passed to every rule: the document, the knowledge base and word
// hashes.
class Rules {
 public:
  Rules(const KnowledgeBase& kb, DocumentAnalysis* doc)
      : kb_(kb), doc_(*doc), a_(doc->analysis), w_(W()), items_(a_.items.data()),
        item_count_(static_cast<uint32_t>(a_.items.size())),
        sent_(a_.sentence_items.empty() ? 0 : a_.sentence_items.size() - 1) {
    for (uint32_t s = 0; s < sent_.size(); ++s) {
      SentenceInfo& si = sent_[s];
      for (uint32_t i = SentBegin(s); i < SentEnd(s); ++i) {
        const Item& it = items_[i];
        si.kinds |= static_cast<uint8_t>(1u << static_cast<int>(it.kind));
        if (it.payload_end > it.payload_begin) si.kinds |= kHasPayloads;
        if (it.kind == ItemKind::kLex) si.lex |= 1u << static_cast<int>(it.lex);
        // The items IsWord can be true of.
        if (it.kind != ItemKind::kPunct && it.tok_end - it.tok_begin == 1)
          if (uint8_t id = w_.Id(it.hash)) si.words[id >> 6] |= 1ULL << (id & 63);
      }
    }
  }

  void Run();

 private:
  // ---- item helpers ----
  const Item& I(uint32_t i) const { return a_.items[i]; }
  uint32_t SentBegin(uint32_t s) const { return a_.sentence_items[s]; }
  uint32_t SentEnd(uint32_t s) const { return a_.sentence_items[s + 1]; }
  uint32_t SentenceCount() const {
    return static_cast<uint32_t>(a_.sentence_items.size() - 1);
  }
  // The hottest test of all (rules ask it of most items many times): the
  // hash, the most selective part, goes first, and it is always inlined.
  [[gnu::always_inline]] bool IsWord(uint32_t i, uint64_t h) const {
    if (i >= item_count_) return false;
    const Item& it = items_[i];
    return it.hash == h && it.kind != ItemKind::kPunct && it.tok_end - it.tok_begin == 1;
  }
  // The kind of item i, or kBlank past the end: for looking one item ahead.
  ItemKind KindAt(uint32_t i) const { return i < item_count_ ? items_[i].kind : ItemKind::kBlank; }
  [[gnu::always_inline]] bool IsPunct(uint32_t i, char c) const {
    return i < item_count_ && items_[i].kind == ItemKind::kPunct && items_[i].punct == c;
  }
  [[gnu::always_inline]] bool IsLex(uint32_t i, Lex l) const {
    return i < item_count_ && items_[i].kind == ItemKind::kLex && items_[i].lex == l;
  }
  const LexEntry& LexOf(uint32_t i) const {
    return kb_.lexicon()[a_.payloads[a_.items[i].payload_begin].index];
  }
  std::string_view Raw(uint32_t i) const {
    return a_.text.substr(I(i).start, I(i).end - I(i).start);
  }
  bool IsAux(uint32_t i) const {
    return IsWord(i, w_.was_) || IsWord(i, w_.were_) || IsWord(i, w_.been_) ||
           IsWord(i, w_.be_) || IsWord(i, w_.being_) || IsWord(i, w_.is_) ||
           IsWord(i, w_.are_);
  }
  bool IsAdverb(uint32_t i) const {
    return IsWord(i, w_.also_) || IsWord(i, w_.later_) ||
           IsWord(i, w_.subsequently_) || IsWord(i, w_.then_) ||
           IsWord(i, w_.immediately_) || IsWord(i, w_.successfully_) ||
           IsWord(i, w_.eventually_) || IsWord(i, w_.reportedly_) ||
           IsWord(i, w_.allegedly_) || IsWord(i, w_.all_) || IsWord(i, w_.both_) ||
           IsWord(i, w_.previously_) || IsLyAdverb(i);
  }
  // "were inadvertently killed", "was reportedly detained": a lower-case
  // -ly word between the auxiliary and the participle.
  bool IsLyAdverb(uint32_t i) const {
    if (i >= a_.items.size() || a_.items[i].kind != ItemKind::kWord ||
        (a_.items[i].flags & text::kCapitalised))
      return false;
    std::string_view r = Raw(i);
    return r.size() >= 5 && r.ends_with("ly");
  }
  bool IsDefinite(uint32_t i) const {
    return IsWord(i, w_.the_) || IsWord(i, w_.his_) || IsWord(i, w_.their_) ||
           IsWord(i, w_.these_) || IsWord(i, w_.those_) || IsWord(i, w_.this_) ||
           IsWord(i, w_.its_) || IsWord(i, w_.her_);
  }
  bool IsPronoun(uint32_t i) const {
    return IsWord(i, w_.he_) || IsWord(i, w_.she_) || IsWord(i, w_.they_) ||
           IsWord(i, w_.him_) || IsWord(i, w_.them_);
  }
  bool IsHead(uint32_t i) const {
    return IsLex(i, Lex::kPerson) || IsLex(i, Lex::kRole);
  }
  bool StartsNounPhrase(uint32_t i) const {
    if (i >= a_.items.size()) return false;
    const Item& it = I(i);
    return it.kind == ItemKind::kNumber || it.kind == ItemKind::kGroup ||
           (it.kind == ItemKind::kLex &&
            (it.lex == Lex::kQuantity || it.lex == Lex::kPerson || it.lex == Lex::kRole)) ||
           IsDefinite(i) || IsPronoun(i) || IsCapitalisedWord(i) ||
           (IsWord(i, w_.suspected_) && (IsHead(i + 1) || KindAt(i + 1) == ItemKind::kGroup)) ||
           IsWord(i, w_.deputy_);
  }
  bool IsOthers(uint32_t i) const {
    return IsLex(i, Lex::kQuantity) && LexOf(i).value == "others"sv;
  }
  // A capitalised word that can be part of a name: not "The", "During",
  // "He" or another function word that is capitalised because it opens a
  // sentence.
  bool IsCapitalisedWord(uint32_t i) const {
    return i < a_.items.size() && a_.items[i].kind == ItemKind::kWord &&
           (a_.items[i].flags & text::kCapitalised) && !w_.IsFunctionWord(a_.items[i].hash);
  }
  bool IsPlural(uint32_t i) const {
    std::string_view r = Raw(i);
    if (r.empty()) return false;
    if (IsWord(i, w_.men_) || IsWord(i, w_.people_)) return true;
    // Suffixes compared in ASCII lower case, without a lower-cased copy.
    auto ends = [&](std::string_view suffix) {
      if (r.size() < suffix.size()) return false;
      std::string_view tail = r.substr(r.size() - suffix.size());
      for (size_t k = 0; k < suffix.size(); ++k) {
        unsigned char c = static_cast<unsigned char>(tail[k]);
        if ((c >= 'A' && c <= 'Z' ? (c | 0x20) : c) != static_cast<unsigned char>(suffix[k]))
          return false;
      }
      return true;
    };
    if (ends("men") || ends("people") || ends("persons")) return true;
    return ends("s") && !ends("ss");
  }
  bool IsClauseStop(uint32_t i) const;
  // "al Qaeda-linked", "Taliban-affiliated": the group describes an ally of
  // the target, not the target's own group.
  bool IsAffiliationModifier(uint32_t i) const {
    return IsWord(i + 1, w_.linked_) || IsWord(i + 1, w_.affiliated_) ||
           IsWord(i + 1, w_.allied_) || IsWord(i + 1, w_.associated_) ||
           IsWord(i + 1, w_.aligned_) || IsWord(i + 1, w_.backed_) ||
           IsWord(i + 1, w_.connected_) || IsWord(i + 1, w_.inspired_);
  }
  bool IsDescriptive(uint32_t trigger) const;
  bool IsNegated(uint32_t trigger, uint32_t subject_begin) const;

  // ---- phrase parsing ----
  struct NP {
    uint32_t begin = 0, end = 0;
    int quantity = -1;        // explicit or vague quantity
    bool more_than = false;
    bool definite = false;
    bool pronoun = false;
    bool plural = false;
    bool has_head = false;
    bool civilian = false;
    bool friendly = false;    // a soldier / police officer, not a target
    std::string role;
    bool leader = false;
    int group = -1;
    std::string name;
    bool another = false;     // "another", "additional", "other"
    bool vague = false;       // "several", "a number of": no exact count
    bool skip = false;        // a retelling of an already counted group
    int Count() const;
  };
  bool ParseRight(uint32_t from, uint32_t limit, NP* np) const;
  bool ParseLeft(uint32_t before, uint32_t floor, NP* np) const;
  // "One ISIS operative who fired on the assault force was killed": the
  // subject before the relative clause.
  bool ParseBeforeRelative(uint32_t before, uint32_t floor, NP* np) const {
    for (uint32_t c = before; c > floor + 1 && before - c < 14;) {
      --c;
      if (IsPunct(c, '.') || IsPunct(c, ',') || IsLex(c, Lex::kCapture) || IsLex(c, Lex::kKill))
        return false;
      if (!IsWord(c, w_.who_)) continue;
      NP subject;
      if (ParseLeft(c, floor, &subject) && subject.end == c) {
        *np = subject;
        return true;
      }
      return false;
    }
    return false;
  }
  void ParseNameAfter(uint32_t i, uint32_t limit, NP* np, uint32_t* next) const;

  // ---- stages ----
  void Segment();
  void Count(Incident* inc);
  void AddCasualty(Incident* inc, const NP& np, bool killed, bool subset, bool additive);
  int AntecedentCount(const Incident& inc, const NP& np) const;
  void ResolvePlace(Incident* inc) const;
  void ResolveGroups(Incident* inc) const;
  bool IsTargetedPersonGroup(uint32_t group_item) const;
  void ResolveDate(Incident* inc) const;
  bool IsBackgroundDate(uint32_t first, uint32_t last) const;
  bool ExplicitDate(uint32_t month_item, uint32_t sentence_end, text::Date* out,
                    uint32_t* last) const;
  void Flags(Incident* inc) const;
  bool SentenceHasTrigger(uint32_t s) const;
  bool ComputeSentenceHasTrigger(uint32_t s) const;
  bool ComputeIsStatisticsSentence(uint32_t s) const;
  // A sentence of campaign statistics ("have detained more than 125
  // insurgents since March", "so far this year") states an aggregate, not
  // this incident's outcome.
  bool IsStatisticsSentence(uint32_t s) const;
  bool IsHeadline(uint32_t s) const;
  bool IsInQuote(uint32_t i) const;
  bool SentenceHasOperation(uint32_t s) const;
  // The day number after a month name ("Jan. 30", "March 4"), or 0.
  int MonthDay(uint32_t month_item, uint32_t limit) const {
    uint32_t k = month_item + 1;
    if (IsPunct(k, '.')) ++k;
    if (k >= limit || I(k).kind != ItemKind::kNumber) return 0;
    return I(k).number >= 1 && I(k).number <= 31 ? static_cast<int>(I(k).number) : 0;
  }
  // The day number before a month name that has none after it ("on 21 March
  // 2022", the order of British, African and South Asian releases), or 0.
  int DayBeforeMonth(uint32_t month_item) const {
    if (month_item == 0 || MonthDay(month_item, SentEnd(I(month_item).sentence)) > 0) return 0;
    uint32_t k = month_item - 1;
    if (I(k).kind != ItemKind::kNumber || I(k).sentence != I(month_item).sentence) return 0;
    if (I(k).number < 1 || I(k).number > 31) return 0;
    // "Between 3 and 5 November", "from 3 to 5 November": the first day.
    if (k >= 2 && (IsWord(k - 1, w_.and_) || IsWord(k - 1, w_.to_) || IsPunct(k - 1, '-')) &&
        I(k - 2).kind == ItemKind::kNumber && I(k - 2).number >= 1 &&
        I(k - 2).number < I(k).number && I(k - 2).sentence == I(k).sentence)
      return static_cast<int>(I(k - 2).number);
    return static_cast<int>(I(k).number);
  }
  // A weekday that an explicit date follows ("on Thursday 16 February 2023",
  // "Tuesday, July 13"): the date says the same, more exactly.
  bool WeekdayBeforeDate(uint32_t weekday_item) const {
    uint32_t k = weekday_item + 1;
    if (IsPunct(k, ',')) ++k;
    if (k >= item_count_ || I(k).sentence != I(weekday_item).sentence) return false;
    if (IsLex(k, Lex::kMonth)) return MonthDay(k, SentEnd(I(k).sentence)) > 0;
    return I(k).kind == ItemKind::kNumber && k + 1 < item_count_ && IsLex(k + 1, Lex::kMonth) &&
           DayBeforeMonth(k + 1) > 0;
  }
  int ProvinceOfSentence(uint32_t s) const;
  // A sentence that opens another operation of a release: "In a related
  // development, ...", "In the second operation, ...", "Separately, ...",
  // also after a list number ("2. In another raid, ...").
  bool SeparateOperationCue(uint32_t b) const {
    if (I(b).kind == ItemKind::kNumber && IsPunct(b + 1, '.') && b + 2 < item_count_ &&
        I(b + 2).sentence == I(b).sentence) {
      b += 2;
      if (IsWord(b, w_.another_) || (IsWord(b, w_.in_) && (IsWord(b + 1, w_.another_) ||
                                                          IsWord(b + 2, w_.separate_))))
        return true;
    }
    if (IsWord(b, w_.separately_) && IsPunct(b + 1, ',')) return true;
    return IsWord(b, w_.in_) && (IsWord(b + 1, w_.a_) || IsWord(b + 1, w_.the_)) &&
           (IsWord(b + 2, w_.related_) || IsWord(b + 2, w_.second_));
  }
  bool IsSummarySentence(uint32_t s) const;
  // "the next mass-casualty bombing", "any future attack": an event the text
  // imagines, not one it reports.
  // "the junta, which seized power", "seized control of the town": no
  // weapons were seized.
  bool SeizedPower(uint32_t i) const {
    uint32_t k = i + 1;
    if (IsWord(k, w_.the_)) ++k;
    return LexOf(i).value == "weapons_seizure" &&
           (IsWord(k, w_.power_) || IsWord(k, w_.control_));
  }
  bool FutureEvent(uint32_t i) const {
    uint32_t b = SentBegin(I(i).sentence);
    for (uint32_t k = i; k > b && i - k < 5;) {
      --k;
      if (IsWord(k, w_.next_) || IsWord(k, w_.future_)) {
        // "The next morning a suicide bomber ...": a narrative's next day.
        std::string_view after = k + 1 < item_count_ ? Raw(k + 1) : std::string_view();
        for (const char* t : {"day", "morning", "afternoon", "evening", "night", "week", "month"})
          if (after == t) return false;
        return true;
      }
      if (I(k).kind == ItemKind::kPunct && I(k).punct != '-') return false;
    }
    return false;
  }
  int ChoosePlace(uint32_t item, int province_hint) const;

  const KnowledgeBase& kb_;
  DocumentAnalysis& doc_;
  const Analysis& a_;
  const Words& w_;
  const Item* items_;  // a_.items, which no rule changes
  uint32_t item_count_;
  // What each sentence holds, from one pass over the items: most rules look
  // for a kind of item or a few words, and skip the sentences (most of
  // them) that have none instead of testing every item. Also the
  // per-sentence answers computed once per document (-1 = not yet).
  static constexpr uint8_t kHasPayloads = 1 << 7;  // above the ItemKind bits
  static_assert(static_cast<int>(ItemKind::kBlank) < 7, "ItemKind bits collide with kHasPayloads");
  static_assert(static_cast<int>(Lex::kCount) <= 32, "Lex bits do not fit");
  struct SentenceInfo {
    uint64_t words[Words::kMaxId / 64] = {};  // ids (Words::Id) of its one-item words
    uint32_t lex = 0;                         // bit per Lex of its kLex items
    uint8_t kinds = 0;                        // bit per ItemKind, kHasPayloads
    int8_t stats = -1;                        // IsStatisticsSentence
    int8_t trigger = -1;                      // SentenceHasTrigger
  };
  mutable std::vector<SentenceInfo> sent_;
  // Whether sentence s may hold any of the listed items; true for a sentence
  // out of range, which then gets the full test.
  bool MayHaveKind(uint32_t s, ItemKind k) const {
    return s >= sent_.size() || (sent_[s].kinds & (1u << static_cast<int>(k)));
  }
  // The end of sentence s, or its beginning when it has no item of kind k:
  // a loop over the items of that kind.
  uint32_t SentEndIfAny(uint32_t s, ItemKind k) const {
    return MayHaveKind(s, k) ? SentEnd(s) : SentBegin(s);
  }
  bool MayHavePayloads(uint32_t s) const {
    return s >= sent_.size() || (sent_[s].kinds & kHasPayloads);
  }
  template <typename... L>
  bool MayHaveLex(uint32_t s, L... l) const {
    return s >= sent_.size() || (sent_[s].lex & ((1u << static_cast<int>(l)) | ...));
  }
  bool MayHaveWord(uint32_t s, uint64_t hash) const {
    if (s >= sent_.size()) return true;
    uint8_t id = w_.Id(hash);
    return id != 0 && ((sent_[s].words[id >> 6] >> (id & 63)) & 1);
  }
  // A set of listed words, for MayHaveAnyWord.
  struct WordSet {
    uint64_t bits[Words::kMaxId / 64] = {};
  };
  static WordSet MakeWordSet(std::initializer_list<uint64_t> hashes) {
    WordSet set;
    for (uint64_t h : hashes) {
      uint8_t id = W().Id(h);
      set.bits[id >> 6] |= 1ULL << (id & 63);
    }
    set.bits[0] &= ~1ULL;  // id 0: not a listed word
    return set;
  }
  bool MayHaveAnyWord(uint32_t s, const WordSet& set) const {
    if (s >= sent_.size()) return true;
    uint64_t any = 0;
    for (size_t k = 0; k < std::size(set.bits); ++k) any |= sent_[s].words[k] & set.bits[k];
    return any != 0;
  }
};

int Rules::NP::Count() const {
  if (quantity >= 0) return quantity;
  if (pronoun) return plural ? 2 : 1;
  if (!name.empty()) return 1;
  if (plural) return 2;  // a bare plural counts as two
  return has_head ? 1 : 0;
}

bool Rules::IsClauseStop(uint32_t i) const {
  const Item& it = I(i);
  if (it.kind == ItemKind::kPunct)
    return it.punct == '.' || it.punct == ';' || it.punct == ':' || it.punct == '(' ||
           it.punct == ')';
  if (it.kind == ItemKind::kLex)
    return it.lex == Lex::kCapture || it.lex == Lex::kKill ||
           it.lex == Lex::kOperation || it.lex == Lex::kTime ||
           it.lex == Lex::kAirstrike || it.lex == Lex::kReport;
  if (it.kind == ItemKind::kPlace) return false;
  return IsWord(i, w_.in_) || IsWord(i, w_.during_) || IsWord(i, w_.while_) ||
         IsWord(i, w_.after_) || IsWord(i, w_.before_) || IsWord(i, w_.near_) ||
         IsWord(i, w_.at_) || IsWord(i, w_.from_) || IsWord(i, w_.who_) ||
         IsWord(i, w_.which_) || IsWord(i, w_.that_) || IsWord(i, w_.to_) ||
         IsWord(i, w_.for_) || IsWord(i, w_.on_) || IsAux(i) ||
         IsWord(i, w_.by_) || IsWord(i, w_.without_) || IsWord(i, w_.but_) ||
         IsWord(i, w_.whose_) || IsWord(i, w_.has_) || IsWord(i, w_.have_) ||
         IsWord(i, w_.had_);
}

// A trigger inside a description of what the target did ("responsible for
// killing civilians", "planning to capture") reports nothing that happened.
bool Rules::IsDescriptive(uint32_t t) const {
  uint32_t s = SentBegin(I(t).sentence);
  for (uint32_t k = t; k > s && t - k < 6;) {
    --k;
    if (IsWord(k, w_.responsible_) || IsWord(k, w_.involved_) ||
        IsWord(k, w_.planning_) || IsWord(k, w_.plotting_) ||
        IsWord(k, w_.attempting_))
      return true;
    if (IsLex(k, Lex::kCapture) || IsLex(k, Lex::kKill)) break;
  }
  // "a commander who was killed in a strike last week", "the leader who was
  // detained Feb. 26": a relative clause dated apart from the event.
  if (t > s + 1 && IsAux(t - 1) && (IsWord(t - 2, w_.who_) || IsWord(t - 2, w_.which_))) {
    for (uint32_t k = t + 1; k < SentEnd(I(t).sentence) && !IsPunct(k, ',');
         ++k) {
      if ((IsLex(k, Lex::kTime) && LexOf(k).value == "last_week"sv) ||
          IsWord(k, w_.earlier_) || IsWord(k, w_.previously_) ||
          (IsLex(k, Lex::kMonth) && MonthDay(k, SentEnd(I(t).sentence)) > 0))
        return true;
    }
  }
  // "focused their efforts on capturing and killing leaders": a gerund after
  // a preposition names an aim, not an outcome.
  auto aim_gerund = [&](uint32_t g) {
    return g > s && Raw(g).ends_with("ing") &&
           (IsWord(g - 1, w_.on_) || IsWord(g - 1, w_.of_) || IsWord(g - 1, w_.for_) ||
            IsWord(g - 1, w_.at_));
  };
  if (aim_gerund(t)) return true;
  if (t > s + 1 && IsWord(t - 1, w_.and_) && (IsLex(t - 2, Lex::kCapture) || IsLex(t - 2, Lex::kKill)) &&
      aim_gerund(t - 2))
    return true;
  // "believed responsible for the death of", "attacks that killed"
  // "the attack which killed 12 people": a description of another event.
  if (t > s && (IsWord(t - 1, w_.which_) || IsWord(t - 1, w_.that_))) return true;
  if (t > s && IsWord(t - 1, w_.to_) &&
      !(t > s + 1 && (IsWord(t - 2, w_.addition_) || IsWord(t - 2, w_.prior_))))
    return true;
  return false;
}

bool Rules::IsNegated(uint32_t t, uint32_t subject_begin) const {
  uint32_t s = SentBegin(I(t).sentence);
  uint32_t from = std::max(s, subject_begin > 0 ? subject_begin - 1 : 0);
  for (uint32_t k = from; k < t; ++k)
    if (IsWord(k, w_.no_) || IsWord(k, w_.not_) || IsWord(k, w_.nobody_) ||
        IsWord(k, w_.none_))
      return true;
  return false;
}

// Reads a person's name that follows a role: "leader Mullah Abdul", "leader,
// Alaudin,". Sets np->name and *next past it.
void Rules::ParseNameAfter(uint32_t i, uint32_t limit, NP* np, uint32_t* next) const {
  uint32_t k = i;
  bool comma = false;
  if (k < limit && IsPunct(k, ',')) {
    ++k;
    comma = true;
  }
  uint32_t b = k;
  // A name may contain a word that is also a place ("Gul", "Khan") when the
  // name goes on after it.
  while (k < limit &&
         (IsCapitalisedWord(k) ||
          (I(k).kind == ItemKind::kPlace && (I(k).flags & text::kCapitalised) &&
           ((k > b && IsCapitalisedWord(k - 1)) || (k + 1 < limit && IsCapitalisedWord(k + 1))))) &&
         k - b < 5)
    ++k;
  if (k > b) {
    // After a comma a capitalised word could begin a new clause; accept it
    // only when the name is followed by punctuation or a stop.
    if (comma && k < limit && !(I(k).kind == ItemKind::kPunct || IsClauseStop(k) ||
                                IsWord(k, w_.and_) || IsWord(k, w_.who_))) {
      *next = i;
      return;
    }
    np->name = std::string(a_.text.substr(I(b).start, I(k - 1).end - I(b).start));
    *next = k;
    if (comma && k < limit && IsPunct(k, ',')) ++*next;
    return;
  }
  *next = i;
}

// Parses a noun phrase that starts at `from` ("two suspected insurgents",
// "a Taliban leader, Alaudin", "the leader", "Mullah Omar").
bool Rules::ParseRight(uint32_t from, uint32_t limit, NP* np) const {
  uint32_t i = from;
  np->begin = from;
  int modifiers = 0;
  while (i < limit) {
    const Item& it = I(i);
    // Scare quotes after a number: killed 8 "terrorists".
    if (it.kind == ItemKind::kPunct && it.punct == '"' && i > from && np->quantity >= 0 &&
        !np->has_head) {
      ++i;
      continue;
    }
    if (it.kind == ItemKind::kLex && it.lex == Lex::kQuantity) {
      const LexEntry& q = LexOf(i);
      if (q.value == "more_than"sv) {
        np->more_than = true;
        ++i;
        continue;
      }
      if (q.value == "at_least"sv || q.value == "about"sv || q.value == "up_to"sv) {
        ++i;
        continue;
      }
      if (q.value == "another"sv || q.value == "additional"sv) {
        np->another = true;
        if (np->quantity < 0) np->quantity = q.number > 0 ? q.number : -1;
        ++i;
        continue;
      }
      if (q.value == "other"sv || q.value == "others"sv) {
        np->another = true;
        if (q.value == "others"sv) {
          np->has_head = true;
          np->plural = true;
          ++i;
          break;
        }
        ++i;
        continue;
      }
      if (q.value == "all"sv) {
        np->definite = true;
        ++i;
        continue;
      }
      if (np->quantity < 0 || q.value != "article"sv) {
        np->quantity = q.number + (np->more_than ? 1 : 0);
        np->vague = q.value == "vague"sv;
      }
      ++i;
      // "two of his associates", "one of the leaders", "several of them"
      if (i < limit && IsWord(i, w_.of_)) {
        ++i;
        if (i < limit && (IsWord(i, w_.them_) || IsWord(i, w_.those_))) {
          np->has_head = true;
          np->plural = true;
          np->end = i + 1;
          return true;
        }
        if (i < limit && IsDefinite(i)) ++i;
      }
      continue;
    }
    if (it.kind == ItemKind::kNumber) {
      if (it.number >= 0 && it.number < 100000) {
        np->quantity = static_cast<int>(it.number) + (np->more_than ? 1 : 0);
      }
      ++i;
      if (i < limit && IsWord(i, w_.of_)) {
        ++i;
        if (i < limit && IsDefinite(i)) ++i;
      }
      continue;
    }
    if (IsDefinite(i)) {
      np->definite = true;
      ++i;
      continue;
    }
    if (IsPronoun(i) && i == from) {
      np->pronoun = true;
      np->plural = IsWord(i, w_.they_) || IsWord(i, w_.them_);
      np->has_head = true;
      np->end = i + 1;
      return true;
    }
    if (it.kind == ItemKind::kGroup) {
      if (np->group < 0 && !IsAffiliationModifier(i) &&
          !kb_.groups()[a_.payloads[it.payload_begin].index].is_force)
        np->group = static_cast<int>(a_.payloads[it.payload_begin].index);
      if (kb_.groups()[a_.payloads[it.payload_begin].index].is_force) np->friendly = true;
      ++i;
      if (i < limit && I(i).kind == ItemKind::kWord &&
          (I(i).flags & text::kPossessive))
        ++i;
      continue;
    }
    if (it.kind == ItemKind::kLex && it.lex == Lex::kCivilian) {
      np->civilian = true;
      np->has_head = true;
      np->plural = IsPlural(i);
      ++i;
      break;
    }
    if (it.kind == ItemKind::kLex && it.lex == Lex::kPerson) {
      // "insurgent leader": a person noun used as a modifier of a role.
      if (i + 1 < limit && IsLex(i + 1, Lex::kRole)) {
        ++i;
        continue;
      }
      np->has_head = true;
      np->plural = IsPlural(i);
      ++i;
      break;
    }
    if (it.kind == ItemKind::kLex && it.lex == Lex::kRole) {
      const LexEntry& r = LexOf(i);
      // A role noun followed by another role or person noun is a modifier:
      // "IED facilitator", "Taliban leader".
      if (i + 1 < limit && IsLex(i + 1, Lex::kRole) ) {
        ++i;
        continue;
      }
      np->has_head = true;
      np->role = r.value;
      np->leader = r.number == 1;
      np->plural = IsPlural(i);
      ++i;
      uint32_t next = i;
      if (!np->plural) ParseNameAfter(i, limit, np, &next);
      i = next;
      break;
    }
    if (IsWord(i, w_.deputy_)) {
      np->has_head = true;
      np->role = "deputy";
      ++i;
      break;
    }
    if (it.kind == ItemKind::kWord && (it.flags & text::kCapitalised) && !np->has_head &&
        i + 1 < limit && IsLex(i + 1, Lex::kCivilian)) {
      ++modifiers;  // a nationality: "Afghan civilians"
      ++i;
      continue;
    }
    if (IsCapitalisedWord(i) && !np->has_head && modifiers == 0 && np->quantity < 0 &&
        !np->definite) {
      // A bare name: "killed Alaudin", "detained Mullah Abdul Rahman".
      uint32_t b = i;
      while (i < limit && IsCapitalisedWord(i) && i - b < 5) ++i;
      // "Afghan and coalition forces" is not a name: require the next item to
      // end the phrase.
      if (i < limit && !(I(i).kind == ItemKind::kPunct || IsClauseStop(i) ||
                         IsWord(i, w_.and_) || IsWord(i, w_.who_) || IsWord(i, w_.as_))) {
        return false;
      }
      np->name = std::string(a_.text.substr(I(b).start, I(i - 1).end - I(b).start));
      np->has_head = true;
      break;
    }
    if (it.kind == ItemKind::kWord && !(it.flags & text::kCapitalised) &&
        !IsClauseStop(i) && !IsWord(i, w_.and_) && !IsWord(i, w_.or_) &&
        !IsWord(i, w_.including_) && !IsWord(i, w_.with_) && modifiers < 3) {
      // An adjective or other modifier: "suspected", "senior", "armed".
      ++modifiers;
      ++i;
      continue;
    }
    if (it.kind == ItemKind::kLex &&
        (it.lex == Lex::kOperation || it.lex == Lex::kWounded || it.lex == Lex::kEventType) &&
        !np->has_head && modifiers < 3 && i + 1 < limit &&
        (IsHead(i + 1) || I(i + 1).kind == ItemKind::kWord || I(i + 1).kind == ItemKind::kGroup)) {
      // "the targeted individual", "three wounded insurgents"
      ++modifiers;
      ++i;
      continue;
    }
    if (it.kind == ItemKind::kPlace && !np->has_head) {
      // "a Kandahar-based facilitator"
      ++i;
      ++modifiers;
      continue;
    }
    break;
  }
  np->end = i;
  // "a Haqqani courier-type": an article or number, a group, then a noun
  // the lexicon does not know still names a person of that group.
  if (!np->has_head && np->group >= 0 && np->quantity >= 0 &&
      (i >= limit || I(i).kind == ItemKind::kPunct || IsClauseStop(i) || IsWord(i, w_.and_))) {
    np->has_head = true;
    np->plural = IsPlural(i - 1);
    np->role = "member";
  }
  // "killing numerous insurgents and detaining one": a bare number whose
  // noun is understood from what came before.
  // ("killing all four" likewise.)
  uint32_t number_at = (i == from + 2 && IsWord(from, w_.all_)) ? from + 1 : from;
  if (!np->has_head && np->quantity > 0 && modifiers == 0 &&
      (!np->definite || number_at != from) && np->group < 0 && i == number_at + 1 &&
      IsLex(number_at, Lex::kQuantity) && LexOf(number_at).value == "word"sv &&
      (i >= limit || I(i).kind == ItemKind::kPunct || IsClauseStop(i) || IsWord(i, w_.and_))) {
    np->has_head = true;
    np->plural = np->quantity > 1;
    // "targeted two network leaders, detaining one": the nearest noun
    // before it says what the one is.
    for (uint32_t k = from; k > SentBegin(I(from).sentence);) {
      --k;
      if (IsLex(k, Lex::kPerson)) break;
      if (IsLex(k, Lex::kRole)) {
        np->role = LexOf(k).value;
        np->leader = LexOf(k).number == 1;
        break;
      }
    }
  }
  if (!np->has_head) return false;
  if (np->civilian) return true;
  return true;
}

// Parses the subject that ends just before `before` ("two insurgents were
// killed"): finds the nearest head to the left, then its determiners.
bool Rules::ParseLeft(uint32_t before, uint32_t floor, NP* np) const {
  // "Muhammad Yah, a senior Taliban commander in the area, was killed": skip
  // the apposition back to the subject it describes.
  if (before > floor + 2 && IsPunct(before - 1, ',')) {
    for (uint32_t c = before - 2; c > floor && before - c < 16; --c) {
      if (IsPunct(c, '.') || IsLex(c, Lex::kCapture) || IsLex(c, Lex::kKill)) break;
      if (IsPunct(c, ',')) {
        NP subject;
        if (ParseLeft(c, floor, &subject) && subject.end == c) {
          // The apposition says who the subject is: role, group.
          NP apposition;
          if (ParseRight(c + 1, before - 1, &apposition) && !apposition.role.empty()) {
            subject.role = apposition.role;
            subject.leader = apposition.leader;
            if (subject.group < 0) subject.group = apposition.group;
          }
          *np = subject;
          return true;
        }
        break;
      }
    }
  }
  // "The two wounded were detained": a participle standing for people.
  if (before > floor + 1 && IsLex(before - 1, Lex::kWounded) &&
      (IsLex(before - 2, Lex::kQuantity) || I(before - 2).kind == ItemKind::kNumber ||
       IsDefinite(before - 2))) {
    NP w;
    w.begin = before - 2;
    w.end = before;
    w.has_head = true;
    w.plural = true;
    uint32_t q = before - 2;
    if (I(q).kind == ItemKind::kNumber && I(q).number > 0 && I(q).number < 100000)
      w.quantity = static_cast<int>(I(q).number);
    else if (IsLex(q, Lex::kQuantity) && LexOf(q).number > 0)
      w.quantity = LexOf(q).number;
    if (q > floor && IsDefinite(q - 1)) {
      w.begin = q - 1;
      w.definite = true;
    }
    if (IsDefinite(q)) w.definite = true;
    *np = w;
    return true;
  }
  // "two Taliban fighters": a counted group name whose alias holds the noun.
  auto counted_group = [&](uint32_t g) {
    return I(g).kind == ItemKind::kGroup && g > floor &&
           (I(g - 1).kind == ItemKind::kNumber || IsLex(g - 1, Lex::kQuantity));
  };
  uint32_t k = before;
  int skipped = 0;
  while (k > floor) {
    --k;
    if (IsHead(k) || IsLex(k, Lex::kCivilian) || IsPronoun(k) || IsOthers(k) ||
        counted_group(k))
      break;
    if (IsCapitalisedWord(k) && k + 1 <= before) {
      // Name subject: "Alaudin was killed".
      break;
    }
    if (IsPunct(k, ',') || IsPunct(k, '.') || ++skipped > 3) return false;
    if (IsWord(k, w_.and_)) return false;
  }
  if (k < floor || (!IsHead(k) && !IsLex(k, Lex::kCivilian) && !IsPronoun(k) &&
                    !IsCapitalisedWord(k) && !IsOthers(k) && !counted_group(k)))
    return false;
  uint32_t head = k;
  // "men suspected of insurgent activity were arrested": a singular person
  // noun before a common noun modifies it; the subject is further left.
  if (IsLex(head, Lex::kPerson) && !IsPlural(head) && head + 1 < before &&
      I(head + 1).kind == ItemKind::kWord && !(I(head + 1).flags & text::kCapitalised) &&
      !w_.IsFunctionWord(I(head + 1).hash))
    return false;
  // Walk left over the noun phrase's modifiers and determiners.
  uint32_t b = head;
  while (b > floor) {
    uint32_t p = b - 1;
    const Item& it = I(p);
    if ((it.kind == ItemKind::kLex &&
         (it.lex == Lex::kQuantity || it.lex == Lex::kPerson || it.lex == Lex::kRole)) ||
        it.kind == ItemKind::kNumber || it.kind == ItemKind::kGroup ||
        // "three Afghan civilians", "two Pakistani nationals"
        ((it.kind == ItemKind::kPlace || (it.flags & text::kCapitalised)) && head - p < 3 &&
         IsLex(head, Lex::kCivilian)) ||
        IsDefinite(p) ||
        (it.kind == ItemKind::kWord && !(it.flags & text::kCapitalised) &&
         !IsClauseStop(p) && !IsWord(p, w_.and_) && !IsWord(p, w_.of_) && head - p < 4) ||
        (IsWord(p, w_.of_) && p > floor &&
         (IsLex(p - 1, Lex::kQuantity) || I(p - 1).kind == ItemKind::kNumber)) ||
        (IsCapitalisedWord(head) && IsCapitalisedWord(p) && head - p < 4)) {
      b = p;
      continue;
    }
    break;
  }
  return ParseRight(b, before, np) || [&] {
    // A bare name or pronoun subject.
    NP tmp;
    tmp.begin = head;
    tmp.end = head + 1;
    if (IsPronoun(head)) {
      tmp.pronoun = true;
      tmp.plural = IsWord(head, w_.they_);
      tmp.has_head = true;
    } else if (IsCapitalisedWord(head)) {
      tmp.name = std::string(Raw(head));
      tmp.has_head = true;
    } else {
      return false;
    }
    *np = tmp;
    return true;
  }();
}

// "member" is what a group name alone gives ("two Taliban insurgents" when
// the alias swallows the noun): for retellings it is no role at all.
static bool PlainRole(const std::string& role) { return role.empty() || role == "member"sv; }
static bool SameRole(const std::string& a, const std::string& b) {
  return a == b || (PlainRole(a) && PlainRole(b));
}

// "identified multiple armed insurgents ... killed the insurgents", "found
// three wounded insurgents ... detained them": a definite plural or a
// pronoun takes its number from the nearest earlier plural of that noun.
int Rules::AntecedentCount(const Incident& inc, const NP& np) const {
  std::string_view head;
  if (!np.pronoun)
    for (uint32_t k = np.begin; k < np.end; ++k)
      if (IsHead(k)) head = LexOf(k).value;
  if (!np.pronoun && head.empty()) return -1;
  uint32_t floor = SentBegin(inc.first_sentence);
  for (uint32_t h = np.begin; h > floor;) {
    --h;
    if (!IsHead(h) || !IsPlural(h) || (!np.pronoun && LexOf(h).value != head)) continue;
    uint32_t sb = SentBegin(I(h).sentence);
    for (uint32_t q = h; q > sb && h - q < 5;) {
      --q;
      if (I(q).kind == ItemKind::kNumber && I(q).number > 0 && I(q).number < 1000)
        return static_cast<int>(I(q).number);
      if (IsLex(q, Lex::kQuantity)) {
        const LexEntry& e = LexOf(q);
        if (e.value == "word"sv || e.value == "vague"sv) return e.number;
        if (e.value == "additional"sv || e.value == "other"sv || e.value == "another"sv) continue;
        return -1;
      }
      if (I(q).kind == ItemKind::kPunct || IsDefinite(q) || IsClauseStop(q)) return -1;
    }
    return -1;
  }
  return -1;
}

void Rules::AddCasualty(Incident* inc, const NP& np, bool killed, bool subset,
                        bool additive) {
  if (np.civilian) {
    // "Innocent civilians are killed by these devices," an officer says: a
    // quote's general remark is no harm done in this event.
    if (IsInQuote(np.begin)) return;
    inc->civilian_harm = true;
    // Retellings repeat the number, so keep the largest, not the sum.
    if (killed) inc->civilians_killed = std::max(inc->civilians_killed, np.Count());
    return;
  }
  if (np.friendly) return;
  // Coreference: "the leader", "he", "the insurgents" after a counted
  // mention of the same kind refer back to it.
  if ((np.definite || np.pronoun) && !np.another) {
    for (const auto& c : inc->casualties) {
      bool same_kind = np.pronoun || c.role == np.role ||
                       (np.role.empty() && !c.role.empty() && !np.leader) ||
                       (np.leader && c.leaders > 0);
      // A pronoun refers back only to people of the same fate ("He was
      // killed" after a detention is someone else).
      if (same_kind && (c.killed == killed || (!np.pronoun && !np.role.empty()))) return;
    }
  }
  // "detained several additional suspects ... the additional suspects were
  // questioned": a definite "additional" refers back to the earlier one.
  if (np.definite && np.another && np.quantity < 0) {
    for (const auto& c : inc->casualties)
      if (c.another && c.killed == killed) return;
  }
  if (!np.name.empty() && !np.definite) {
    for (const auto& c : inc->casualties)
      if (c.name == np.name) return;
  }
  // A release often restates its lead ("detained several suspected
  // insurgents ... Several suspected insurgents were detained after
  // questioning"): the same number of the same kind of people with the same
  // fate is one group, unless the text says it is more.
  if (!additive && !np.another) {
    for (const auto& c : inc->casualties)
      if (c.killed == killed && c.count == np.Count() && SameRole(c.role, np.role) &&
          (np.name.empty() || c.name.empty()))
        return;
  }
  // "two facilitators and two other militants were captured ... Two other
  // insurgents were also captured": the same "other" group told twice.
  if (np.another && np.quantity > 0) {
    for (const auto& c : inc->casualties)
      if (c.another && c.killed == killed && c.count == np.Count() &&
          SameRole(c.role, np.role) && c.name.empty() && np.name.empty())
        return;
  }
  Casualty c;
  c.item_begin = np.begin;
  c.item_end = np.end;
  c.count = np.Count();
  if ((np.definite || np.pronoun) && np.plural && np.quantity < 0)
    c.count = std::max(c.count, AntecedentCount(*inc, np));
  if (c.count <= 0) return;
  c.leaders = np.leader ? c.count : 0;
  c.subset = subset;
  c.killed = killed;
  c.role = np.role;
  c.group = np.group;
  c.name = np.name;
  c.another = np.another;
  c.vague = np.vague;
  inc->casualties.push_back(c);
}

// Finds every kill and capture in the incident's sentences and adds up the
// people each names.
void Rules::Count(Incident* inc) {
  int lead_sentence = -1;
  for (uint32_t s = inc->first_sentence; s < inc->end_sentence; ++s) {
    uint32_t sb = SentBegin(s), se = SentEnd(s);
    if (!MayHaveLex(s, Lex::kCapture, Lex::kKill)) continue;
    if (IsStatisticsSentence(s) || IsHeadline(s)) continue;
    for (uint32_t t = sb; t < se; ++t) {
      if (!IsLex(t, Lex::kCapture) && !IsLex(t, Lex::kKill)) continue;
      bool killed = IsLex(t, Lex::kKill);
      if (IsDescriptive(t)) continue;
      // "the arrested member", "a detained insurgent": an adjective, not a
      // new event.
      // "the now-detained man": a hyphenated prefix is part of the adjective.
      uint32_t adj = t;
      if (adj > sb + 1 && I(adj).start > 0 && a_.text[I(adj).start - 1] == '-' &&
          I(adj - 1).end + 1 == I(adj).start && I(adj - 1).kind == ItemKind::kWord)
        adj -= 1;
      if (adj > sb && (IsDefinite(adj - 1) || IsLex(adj - 1, Lex::kQuantity))) {
        bool adjective = false;
        for (uint32_t k = t + 1; k < se && k < t + 4; ++k) {
          if (IsHead(k)) {
            adjective = true;
            break;
          }
          if (I(k).kind == ItemKind::kGroup ||
              (I(k).kind == ItemKind::kWord && !(I(k).flags & text::kCapitalised) &&
               !IsClauseStop(k) && !IsWord(k, w_.of_) && !IsWord(k, w_.and_)))
            continue;
          break;
        }
        if (adjective) continue;
      }
      bool additive = false;  // "also detained", "additional", "another"
      bool also = false;      // "the force also detained"
      static const WordSet kAdditive =
          MakeWordSet({W().also_, W().additional_, W().another_, W().other_, W().others_});
      for (uint32_t k = (t > sb + 3 ? t - 3 : sb);
           k < std::min(se, t + 3) && MayHaveAnyWord(s, kAdditive); ++k) {
        if (IsWord(k, w_.also_) || IsWord(k, w_.additional_) || IsWord(k, w_.another_) ||
            IsWord(k, w_.other_) || IsWord(k, w_.others_))
          additive = true;
        if (k < t && IsWord(k, w_.also_)) also = true;
      }
      // The lead sentence states the outcome; later sentences retell it
      // ("numerous others were detained ... several others were taken into
      // custody") unless they say the force *also* did more, or tell an
      // outcome the lead did not.
      bool only_unnamed_groups = false;
      bool more_people = false;  // "two other insurgents were killed"
      static const WordSet kMore = MakeWordSet({W().other_, W().additional_, W().another_});
      for (uint32_t k = sb; k < se && MayHaveAnyWord(s, kMore); ++k)
        if (IsWord(k, w_.other_) || IsWord(k, w_.additional_) || IsWord(k, w_.another_))
          more_people = true;
      if (killed && lead_sentence >= 0 && static_cast<int>(s) != lead_sentence && !also &&
          !more_people) {
        // A lead that tells only "several other insurgents were killed"
        // leaves the one they are other than to a later sentence.
        // A lead that names only the one person struck ("a strike killed
        // Qari Z.") leaves a later "killed four insurgents" to be counted.
        bool fate_in_lead = false, lead_named_only = true;
        for (const auto& c : inc->casualties)
          if (c.killed == killed && c.sentence == lead_sentence && !c.another) {
            fate_in_lead = true;
            if (c.name.empty()) lead_named_only = false;
          }
        if (fate_in_lead && !lead_named_only) continue;
        only_unnamed_groups = fate_in_lead;
      }
      const LexEntry& trig = LexOf(t);
      if (killed) inc->kill_mentioned = true;
      else inc->capture_mentioned = true;
      std::vector<NP> nps;
      std::vector<bool> subset;
      // Passive or reduced: "two insurgents were (also) detained".
      uint32_t p = t;
      // "was (also) confirmed killed", "were reportedly detained"
      while (p > sb && (IsAdverb(p - 1) || IsLex(p - 1, Lex::kReport))) --p;
      // "He was engaged and killed": the auxiliary serves both participles.
      if (p > sb + 2 && IsWord(p - 1, w_.and_) && I(p - 2).kind != ItemKind::kPunct &&
          IsAux(p - 3))
        p -= 2;
      bool passive = p > sb && IsAux(p - 1);
      bool nominal = t + 1 < se && IsWord(t + 1, w_.of_);
      bool intransitive = trig.value == "die"sv || trig.value == "dead"sv ||
                          trig.value == "surrender"sv || trig.value == "custody"sv;
      // "insurgents detained" reads as a reduced passive only when nothing
      // follows the verb as its object.
      bool reduced = false;
      if (!passive && !intransitive && !nominal && t > sb && IsHead(t - 1)) {
        NP probe;
        reduced = !(t + 1 < se && ParseRight(t + 1, se, &probe));
      }
      if (passive || intransitive || reduced) {
        NP np;
        uint32_t before = passive ? p - 1 : p;
        bool found = ParseLeft(before, sb, &np);
        if (!found && passive) found = ParseBeforeRelative(before, sb, &np);
        // "Five men suspected of planting bombs were arrested": the subject
        // opens the sentence, with a description between it and the verb.
        if (!found && passive && StartsNounPhrase(sb)) {
          NP first;
          if (ParseRight(sb, before, &first) && first.end <= before && first.Count() > 0 &&
              !first.pronoun && first.quantity >= 0 && first.name.empty() && !first.definite &&
              inc->casualties.empty()) {
            np = first;
            found = true;
          }
        }
        if (found) {
          if (!IsNegated(t, np.begin)) {
            nps.push_back(np);
            subset.push_back(false);
            // "A leader and two insurgents were detained"
            uint32_t b = np.begin;
            while (b > sb + 1 && (IsWord(b - 1, w_.and_) || IsPunct(b - 1, ','))) {
              NP more;
              if (!ParseLeft(b - 1, sb, &more) || more.end != b - 1) {
                // "Jan and several fighters were killed": a bare name.
                uint32_t e = b - 1, x = e;
                // ("Jan" is also a month when no day follows it.)
                while (x > sb && e - x < 4 &&
                       (IsCapitalisedWord(x - 1) ||
                        (IsLex(x - 1, Lex::kMonth) && MonthDay(x - 1, se) <= 0) ||
                        // "Karim Gul": a place word inside a name
                        (I(x - 1).kind == ItemKind::kPlace &&
                         (I(x - 1).flags & text::kCapitalised) && x - 1 > sb &&
                         IsCapitalisedWord(x - 2))))
                  --x;
                if (x == e || !(x == sb || IsPunct(x - 1, ','))) break;
                more = NP();
                more.begin = x;
                more.end = e;
                more.has_head = true;
                more.name = std::string(a_.text.substr(I(x).start, I(e - 1).end - I(x).start));
              }
              nps.push_back(more);
              subset.push_back(false);
              b = more.begin;
            }
            // "The facilitators and suspected insurgents were detained": the
            // article covers the bare phrases joined to it.
            if (nps.back().definite)
              for (auto& n : nps)
                if (n.quantity < 0 && n.name.empty()) n.definite = true;
          }
        }
      } else {
        uint32_t from = nominal ? t + 2 : t + 1;
        // "killed two insurgents", "the death of Haqqani leader Shabeer"
        NP np;
        if (from < se && ParseRight(from, se, &np)) {
          if (!IsNegated(t, t)) {
            nps.push_back(np);
            subset.push_back(false);
            uint32_t k = np.end;
            bool in_subset = false;
            bool connected = false;  // a connector since the last phrase
            while (k < se) {
              if (IsPunct(k, ',')) { ++k; connected = true; continue; }
              if (IsWord(k, w_.including_) || IsWord(k, w_.among_)) {
                in_subset = true;
                connected = true;
                ++k;
                if (IsWord(k - 1, w_.among_) && IsWord(k, w_.them_)) ++k;  // "among them a commander"
                continue;
              }
              if (IsWord(k, w_.and_) || IsWord(k, w_.along_) || IsWord(k, w_.with_) ||
                  (IsWord(k, w_.together_) && IsWord(k + 1, w_.with_))) {
                ++k;
                connected = true;
                continue;
              }
              if (IsWord(k, w_.as_) && IsWord(k + 1, w_.well_) && IsWord(k + 2, w_.as_)) {
                k += 3;
                connected = true;
                continue;
              }
              if (!connected && IsWord(k, w_.of_)) {
                // "the emir of the cell together with two other members":
                // the phrase's own "of" complement.
                uint32_t j = k + 1;
                while (j < se && j < k + 5 && !IsPunct(j, ',') && !IsPunct(j, '.') &&
                       !IsWord(j, w_.and_) && !IsWord(j, w_.together_) &&
                       !IsWord(j, w_.along_) && !IsWord(j, w_.including_))
                  ++j;
                if (j < se && j > k + 1 && (IsWord(j, w_.together_) || IsWord(j, w_.along_))) {
                  k = j;
                  continue;
                }
              }
              if (!connected) {
                // "detained four insurgents in Paktiya province last night,
                // including a sub-commander": place and time words may come
                // between the phrase and its "including".
                uint32_t j = k;
                while (j < se && j < k + 12 &&
                       (IsWord(j, w_.in_) || IsWord(j, w_.near_) || IsWord(j, w_.of_) ||
                        I(j).kind == ItemKind::kPlace || IsWord(j, w_.province_) ||
                        IsWord(j, w_.district_) || IsLex(j, Lex::kTime) || IsPunct(j, ',')))
                  ++j;
                if (j > k && j < se && IsWord(j, w_.including_)) {
                  k = j;
                  continue;
                }
                break;
              }
              connected = false;
              // A second object starts like a noun phrase; "and forcing the
              // others to flee" is another verb.
              if (!StartsNounPhrase(k)) break;
              NP more;
              if (!ParseRight(k, se, &more)) break;
              // "killing Qari Ziauddin, the Taliban shadow governor": an
              // apposition says who the named person is.
              if (!nps.back().name.empty() && nps.back().role.empty() && IsPunct(k - 1, ',') &&
                  !more.role.empty() && more.name.empty() && more.Count() == 1) {
                nps.back().role = more.role;
                nps.back().leader = more.leader;
                if (nps.back().group < 0) nps.back().group = more.group;
                k = more.end;
                continue;
              }
              // "detained the facilitator and additional suspects": the
              // article covers a bare phrase joined to it.
              if (nps.front().definite && more.quantity < 0 && more.name.empty())
                more.definite = true;
              // "a Taliban IED manufacturer and facilitator": two role
              // nouns under one article are one person.
              if (IsWord(more.begin - 1, w_.and_) && more.quantity < 0 && !more.definite &&
                  more.name.empty() && !more.plural && !more.role.empty() &&
                  more.begin == k && nps.back().Count() == 1 && !nps.back().plural &&
                  !nps.back().role.empty() && nps.back().name.empty() &&
                  nps.back().end + 1 == more.begin) {
                nps.back().leader = nps.back().leader || more.leader;
                k = more.end;
                continue;
              }
              nps.push_back(more);
              subset.push_back(in_subset);
              k = more.end;
            }
          }
        }
      }
      // "..., who was detained along with several of his associates";
      // "captured a facilitator for weapons and fighters, along with more
      // than 10 of his associates".
      {
        uint32_t k = nps.empty() ? t + 1 : std::max(t + 1, nps.back().end);
        // Nothing to find without "along" or "as" in the sentence.
        static const WordSet kAlong = MakeWordSet({W().along_, W().as_});
        if (!MayHaveAnyWord(s, kAlong)) k = se;
        for (uint32_t steps = 0; k + 2 < se && steps < 16; ++k, ++steps) {
          if (IsPunct(k, '.') || IsPunct(k, ';') ||
              (k > t + 1 && (IsLex(k, Lex::kCapture) || IsLex(k, Lex::kKill))))
            break;
          bool along = IsWord(k, w_.along_) && IsWord(k + 1, w_.with_);
          bool as_well = IsWord(k, w_.as_) && IsWord(k + 1, w_.well_) && IsWord(k + 2, w_.as_);
          if (!along && !as_well) continue;
          NP more;
          uint32_t from = k + (along ? 2 : 3);
          if (from < se && ParseRight(from, se, &more) &&
              (nps.empty() || more.begin != nps.back().begin)) {
            bool dup = false;
            for (const auto& q : nps) dup |= q.begin == more.begin;
            if (!dup) {
              nps.push_back(more);
              subset.push_back(false);
            }
          }
          break;
        }
      }
      size_t before_add = inc->casualties.size();
      if (!killed && lead_sentence >= 0 && static_cast<int>(s) != lead_sentence && !also) {
        // A later group of unnamed people retells the lead's group
        // ("several suspected insurgents ... additional suspects were
        // detained after questioning").
        Casualty* lead_group = nullptr;
        for (auto& c : inc->casualties)
          if (!c.killed && c.sentence == lead_sentence && PlainRole(c.role) && c.name.empty() &&
              c.count >= 2)
            lead_group = &c;
        if (lead_group)
          for (auto& np : nps)
            if (PlainRole(np.role) && np.name.empty() && np.Count() >= 2) {
              np.skip = true;
              // "detained several suspected insurgents ... detained four
              // suspected insurgents": the retelling gives the exact number.
              if (lead_group->vague && !lead_group->another && !np.vague &&
                  np.quantity >= lead_group->count && !np.another && !np.more_than) {
                lead_group->count = np.quantity;
                lead_group->vague = false;
              }
              // "detained several insurgents, including a commander ...
              // detained the commander along with several of his
              // associates": the commander and the others.
              bool with_person = false;
              for (const auto& other : nps)
                with_person |= other.definite && !PlainRole(other.role) && !other.plural;
              if (lead_group->vague && with_person && np.Count() + 1 > lead_group->count &&
                  !np.more_than)
                lead_group->count = np.Count() + 1;
            }
      }
      if (only_unnamed_groups)
        for (auto& np : nps)
          if (!np.name.empty() || np.definite || np.pronoun || np.quantity < 2) np.skip = true;
      for (size_t n = 0; n < nps.size(); ++n)
        if (!nps[n].skip) AddCasualty(inc, nps[n], killed, subset[n], additive);
      for (size_t n = before_add; n < inc->casualties.size(); ++n)
        inc->casualties[n].sentence = static_cast<int>(s);
      if (lead_sentence < 0 && inc->casualties.size() > before_add) lead_sentence = static_cast<int>(s);
    }
  }
  for (const auto& c : inc->casualties) {
    if (c.killed && c.sentence >= 0) {
      uint32_t cs = static_cast<uint32_t>(c.sentence);
      for (uint32_t i = SentBegin(cs); i < SentEnd(cs); ++i)
        if (IsLex(i, Lex::kAirstrike) && LexOf(i).value == "airstrike"sv) inc->kills_by_air = true;
    }
    if (c.killed) {
      if (!c.subset) inc->killed += c.count;
      inc->leaders_killed += c.leaders;
    } else {
      if (!c.subset) inc->captured += c.count;
      inc->leaders_captured += c.leaders;
    }
  }
  inc->leaders_killed = std::min(inc->leaders_killed, std::max(inc->killed, 0));
  inc->leaders_captured = std::min(inc->leaders_captured, std::max(inc->captured, 0));
}

bool Rules::SentenceHasOperation(uint32_t s) const {
  if (!MayHaveLex(s, Lex::kOperation, Lex::kAirstrike)) return false;
  for (uint32_t i = SentBegin(s); i < SentEnd(s); ++i)
    if (IsLex(i, Lex::kOperation) || IsLex(i, Lex::kAirstrike)) return true;
  return false;
}

// Whether item i sits inside quotation marks opened on its own line.
bool Rules::IsInQuote(uint32_t i) const {
  size_t at = I(i).start;
  size_t line = a_.text.rfind('\n', at);
  line = line == std::string_view::npos ? 0 : line + 1;
  std::string_view before = a_.text.substr(line, at - line);
  int straight = 0;
  bool open_curly = false;
  for (size_t k = 0; k < before.size(); ++k) {
    if (before[k] == '"') ++straight;
    // U+201C and U+201D: E2 80 9C / E2 80 9D
    if (before[k] == '\xE2' && k + 2 < before.size() && before[k + 1] == '\x80') {
      if (before[k + 2] == '\x9C') open_curly = true;
      if (before[k + 2] == '\x9D') open_curly = false;
    }
  }
  return straight % 2 == 1 || open_curly;
}

// "Afghan and Coalition Force Detains Two Suspected Insurgents in Kunduz": a
// headline in title case, with no closing period, sums up the body; its
// numbers are told again there (or not at all), so it is not counted.
bool Rules::IsHeadline(uint32_t s) const {
  uint32_t b = SentBegin(s), e = SentEnd(s);
  if (e - b < 4 || e - b > 24 || IsPunct(e - 1, '.')) return false;
  int words = 0, capitalised = 0;
  for (uint32_t i = b; i < e; ++i) {
    if (I(i).kind == ItemKind::kPunct || I(i).kind == ItemKind::kBlank) continue;
    ++words;
    if (I(i).flags & text::kCapitalised) ++capitalised;
  }
  return words >= 4 && capitalised * 10 >= words * 7;
}

bool Rules::IsStatisticsSentence(uint32_t s) const {
  if (s < sent_.size() && sent_[s].stats >= 0) return sent_[s].stats == 1;
  bool v = ComputeIsStatisticsSentence(s);
  if (s < sent_.size()) sent_[s].stats = v ? 1 : 0;
  return v;
}

bool Rules::ComputeIsStatisticsSentence(uint32_t s) const {
  // Every test below starts from one of these words or a month.
  static const WordSet kCues =
      MakeWordSet({W().since_, W().total_, W().campaign_, W().percent_, W().date_, W().over_,
                   W().so_, W().this_, W().past_, W().last_, W().have_, W().has_});
  if (!MayHaveLex(s, Lex::kMonth) && !MayHaveAnyWord(s, kCues)) return false;
  uint32_t b = SentBegin(s), e = SentEnd(s);
  for (uint32_t i = b; i < e; ++i) {
    if (IsWord(i, w_.since_) || IsWord(i, w_.total_) || IsWord(i, w_.campaign_) ||
        IsWord(i, w_.percent_) ||
        (i > b && IsWord(i, w_.date_) && IsWord(i - 1, w_.to_)))
      return true;
    // "over the years", "over the past decade"
    if (IsWord(i, w_.over_) && IsWord(i + 1, w_.the_) && IsWord(i + 2, w_.years_)) return true;
    if ((IsWord(i, w_.so_) && IsWord(i + 1, w_.far_)) ||
        ((IsWord(i, w_.this_) || IsWord(i, w_.past_) || IsWord(i, w_.last_)) &&
         (IsWord(i + 1, w_.year_) || IsWord(i + 1, w_.month_) || IsWord(i + 1, w_.months_) ||
          IsWord(i + 1, w_.weeks_) || IsWord(i + 1, w_.years_) ||
          (KindAt(i + 1) == ItemKind::kNumber || IsLex(i + 1, Lex::kQuantity)))))
      return true;
    // "In June, insurgents engaged the force ...": an earlier month.
    if (IsLex(i, Lex::kMonth) && MonthDay(i, e) == 0 && i > b &&
        (IsWord(i - 1, w_.in_) || IsWord(i - 1, w_.since_) || IsWord(i - 1, w_.last_)))
      return true;
    // "have detained", "has captured": a running total.
    if ((IsWord(i, w_.have_) || IsWord(i, w_.has_)) && i + 1 < e &&
        (IsLex(i + 1, Lex::kCapture) || IsLex(i + 1, Lex::kKill) ||
         (IsAdverb(i + 1) && (IsLex(i + 2, Lex::kCapture) || IsLex(i + 2, Lex::kKill)))))
      return true;
  }
  return false;
}

bool Rules::SentenceHasTrigger(uint32_t s) const {
  if (s < sent_.size() && sent_[s].trigger >= 0) return sent_[s].trigger == 1;
  bool v = ComputeSentenceHasTrigger(s);
  if (s < sent_.size()) sent_[s].trigger = v ? 1 : 0;
  return v;
}

bool Rules::ComputeSentenceHasTrigger(uint32_t s) const {
  // Most sentences have no trigger: look for one before the costlier test
  // for a statistics sentence.
  if (!MayHaveLex(s, Lex::kCapture, Lex::kKill, Lex::kAirstrike, Lex::kDroneStrike)) return false;
  for (uint32_t i = SentBegin(s); i < SentEnd(s); ++i) {
    if (I(i).kind != ItemKind::kLex) continue;
    const Lex l = I(i).lex;
    if (((l == Lex::kCapture || l == Lex::kKill) && !IsDescriptive(i)) ||
        (l == Lex::kAirstrike && LexOf(i).value == "airstrike"sv && !FutureEvent(i)) ||
        (l == Lex::kDroneStrike && !FutureEvent(i)))
      return !IsStatisticsSentence(s);
  }
  return false;
}

// The Afghan province (or other admin1) a place item points to, choosing
// among same-named candidates with the hint.
int Rules::ChoosePlace(uint32_t item, int province_hint) const {
  const Item& it = I(item);
  bool said_province = IsWord(item + 1, w_.province_) || IsWord(item + 1, w_.provinces_);
  bool said_district = IsWord(item + 1, w_.district_) || IsWord(item + 1, w_.districts_);
  int best = -1;
  int best_score = -1000;
  for (uint32_t p = it.payload_begin; p < it.payload_end; ++p) {
    if (a_.payloads[p].kind != kb::PayloadKind::kPlace) continue;
    int idx = static_cast<int>(a_.payloads[p].index);
    const Place& pl = kb_.places()[static_cast<size_t>(idx)];
    int score = 0;
    if (pl.level == PlaceLevel::kCountry) score -= 50;
    if (said_province) score += pl.level == PlaceLevel::kAdmin1 ? 100 : -100;
    else if (said_district) score += pl.level == PlaceLevel::kAdmin2 ? 100 : -100;
    else if (pl.level == PlaceLevel::kAdmin1) score += 30;
    else if (pl.level == PlaceLevel::kAdmin2) score += 20;
    else if (pl.level == PlaceLevel::kPlace) score += 5 + std::min<int64_t>(pl.population / 100000, 10);
    if (province_hint >= 0 && kb_.IsWithin(idx, province_hint)) score += 60;
    if (pl.country == "AF"sv) score += 10;
    if (score > best_score) {
      best_score = score;
      best = idx;
    }
  }
  return best;
}

// A round-up sentence: two or more provinces named together, as in "during
// operations in Khost, Kandahar and Nangarhar provinces".
bool Rules::IsSummarySentence(uint32_t s) const {
  std::vector<int> provinces;
  bool plural = false;
  // (Without a place there is no province to count.)
  for (uint32_t i = SentBegin(s), e = SentEndIfAny(s, ItemKind::kPlace); i < e; ++i) {
    if (IsWord(i, w_.provinces_) || IsWord(i, w_.operations_)) plural = true;
    if (I(i).kind != ItemKind::kPlace) continue;
    int p = ChoosePlace(i, -1);
    if (p < 0 || kb_.places()[static_cast<size_t>(p)].level != PlaceLevel::kAdmin1) continue;
    if (std::find(provinces.begin(), provinces.end(), p) == provinces.end())
      provinces.push_back(p);
  }
  if (plural && provinces.size() >= 2) return true;
  // "during separate operations", "during two operations" in one province.
  if (!MayHaveWord(s, w_.operations_)) return false;
  for (uint32_t i = SentBegin(s); i + 1 < SentEnd(s); ++i)
    if (IsWord(i + 1, w_.operations_) &&  // the rare word first
        (IsWord(i, w_.separate_) || IsWord(i, w_.multiple_) || IsWord(i, w_.two_) ||
         IsWord(i, w_.three_) || IsWord(i, w_.several_) || IsWord(i, w_.numerous_)))
      return true;
  return false;
}

int Rules::ProvinceOfSentence(uint32_t s) const {
  if (!MayHaveKind(s, ItemKind::kPlace)) return -1;
  for (uint32_t i = SentBegin(s); i < SentEnd(s); ++i) {
    if (I(i).kind != ItemKind::kPlace) continue;
    int p = ChoosePlace(i, -1);
    if (p < 0) continue;
    int a1 = kb_.Admin1Of(p);
    if (a1 >= 0) return a1;
  }
  return -1;
}

// Splits the body into incidents. A new incident starts at a sentence that
// reports a kill, capture or strike when the current incident already has
// one and the sentence either names another province or opens with a cue
// such as "In a separate operation" or "Also in".
void Rules::Segment() {
  auto& incs = doc_.incidents;
  uint32_t n = SentenceCount();
  Incident cur;
  cur.first_sentence = 0;
  int cur_province = -1;
  for (uint32_t s = 0; s < n; ++s) {
    bool trig = SentenceHasTrigger(s);
    int prov = ProvinceOfSentence(s);
    uint32_t b = SentBegin(s);
    bool cue = IsWord(b, w_.another_) ||
               (IsWord(b, w_.in_) && (IsWord(b + 1, w_.another_) ||
                                      IsWord(b + 2, w_.separate_) ||
                                      IsWord(b + 1, w_.other_))) ||
               IsWord(b, w_.elsewhere_) ||
               (IsWord(b, w_.also_) && IsWord(b + 1, w_.in_)) ||
               IsWord(b + 1, w_.separate_) || SeparateOperationCue(b);
    bool summary = IsSummarySentence(s);
    bool new_release = std::find(a_.release_starts.begin(), a_.release_starts.end(), s) !=
                       a_.release_starts.end();
    if (new_release && s > cur.first_sentence) {
      cur.end_sentence = s;
      incs.push_back(cur);
      int release = cur.release + 1;
      cur = Incident();
      cur.first_sentence = s;
      cur.release = release;
      cur_province = -1;
    }
    // Only a place that opens the sentence ("In Kandahar province, ...")
    // starts a new incident; one named in passing ("who led attacks in
    // Paktiya province") does not.
    bool opens_with_place = false;
    for (uint32_t k = b; k < std::min(SentEnd(s), b + 6); ++k)
      if (I(k).kind == ItemKind::kPlace) {
        opens_with_place = k > b && (IsWord(k - 1, w_.in_) || IsWord(k - 1, w_.near_));
        break;
      }
    // A numbered paragraph ("2. A force from the 9th Division ...") in
    // another province is another item of the release.
    auto list_number = [&](uint32_t k) {
      return I(k).kind == ItemKind::kNumber && IsPunct(k + 1, '.') &&
             (I(k).flags & text::kLineStart);
    };
    bool numbered = list_number(b) || (b >= 2 && SentBegin(s - 1) == b - 2 && list_number(b - 2));
    bool split = cur.has_trigger && trig &&
                 (((opens_with_place || numbered) && prov >= 0 && cur_province >= 0 &&
                   prov != cur_province) ||
                  cue || (cur.summary && prov >= 0 && !summary));
    if (split) {
      cur.end_sentence = s;
      incs.push_back(cur);
      int release = cur.release;
      cur = Incident();
      cur.first_sentence = s;
      cur.release = release;
      cur_province = -1;
    }
    if (trig) cur.has_trigger = true;
    if (summary && s == cur.first_sentence + 0) cur.summary = true;
    else if (summary && !cur.has_trigger) cur.summary = true;
    if (cur_province < 0 && prov >= 0) cur_province = prov;
  }
  cur.end_sentence = n;
  incs.push_back(cur);
}

void Rules::ResolvePlace(Incident* inc) const {
  // Province hint: the first explicitly named province in the incident.
  int hint = -1;
  for (uint32_t s = inc->first_sentence; s < inc->end_sentence && hint < 0; ++s)
    for (uint32_t i = SentBegin(s), e = SentEndIfAny(s, ItemKind::kPlace); i < e; ++i)
      if (I(i).kind == ItemKind::kPlace &&
          (IsWord(i + 1, w_.province_) || IsWord(i + 1, w_.provinces_))) {
        // "in Khost and Paktiya provinces": the list's first province.
        uint32_t first = i;
        while (first >= SentBegin(s) + 2 &&
               (IsWord(first - 1, w_.and_) || IsPunct(first - 1, ',')) &&
               I(first - 2).kind == ItemKind::kPlace)
          first -= 2;
        hint = kb_.Admin1Of(ChoosePlace(first, -1));
        if (hint < 0) hint = ChoosePlace(i, -1);
        break;
      }
  // Else the first named district ("Maya village, Khas Konar district"):
  // a village of the same name elsewhere is not the place.
  for (uint32_t s = inc->first_sentence; s < inc->end_sentence && hint < 0; ++s)
    for (uint32_t i = SentBegin(s), e = SentEndIfAny(s, ItemKind::kPlace); i < e; ++i)
      if (I(i).kind == ItemKind::kPlace && IsWord(i + 1, w_.district_)) {
        int d = ChoosePlace(i, -1);
        if (d >= 0 && kb_.places()[static_cast<size_t>(d)].level == PlaceLevel::kAdmin2) {
          hint = kb_.Admin1Of(d);
          break;
        }
      }
  const bool explicit_hint = hint >= 0;
  int best = -1, best_rank = -1;
  for (uint32_t s = inc->first_sentence; s < inc->end_sentence; ++s) {
    for (uint32_t i = SentBegin(s), e = SentEndIfAny(s, ItemKind::kPlace); i < e; ++i) {
      if (I(i).kind != ItemKind::kPlace) continue;
      int p = ChoosePlace(i, hint);
      if (p < 0) continue;
      const Place& pl = kb_.places()[static_cast<size_t>(p)];
      if (pl.level == PlaceLevel::kCountry) continue;
      // "Pakistan-based", "Kandahar City" in a description still count; a
      // place in another country than the hint's does not override it.
      // When the incident names its province, a same-named place elsewhere
      // ("Kot" in "Shah Wali Kot", a village abroad) is not its place.
      if (explicit_hint && !kb_.IsWithin(p, hint)) continue;
      int rank = pl.level == PlaceLevel::kPlace ? 3 : pl.level == PlaceLevel::kAdmin2 ? 2 : 1;
      if (best < 0) {
        best = p;
        best_rank = rank;
        if (hint < 0) hint = kb_.Admin1Of(p);
      } else if (rank > best_rank && kb_.IsWithin(p, kb_.Admin1Of(best))) {
        best = p;
        best_rank = rank;
      }
    }
    if (best >= 0 && best_rank >= 2) break;
  }
  if (best < 0 && hint >= 0) best = hint;
  inc->place = best;
  inc->admin1 = best >= 0 ? kb_.Admin1Of(best) : -1;
  inc->admin2 = best >= 0 ? kb_.Admin2Of(best) : -1;
}

void Rules::ResolveGroups(Incident* inc) const {
  for (uint32_t s = inc->first_sentence; s < inc->end_sentence; ++s)
    for (uint32_t i = SentBegin(s), e = SentEndIfAny(s, ItemKind::kGroup); i < e; ++i) {
      if (I(i).kind != ItemKind::kGroup) continue;
      int g = static_cast<int>(a_.payloads[I(i).payload_begin].index);
      if (IsAffiliationModifier(i)) {
        // The person belongs to both: "al-Qaida associated Taliban leader",
        // "HIG/Taliban-associated planner".
        auto joint = [&](uint32_t other) {
          if (other >= SentEnd(s) || I(other).kind != ItemKind::kGroup) return;
          int o = static_cast<int>(a_.payloads[I(other).payload_begin].index);
          if (kb_.groups()[static_cast<size_t>(o)].is_force ||
              kb_.groups()[static_cast<size_t>(g)].is_force)
            return;
          for (int x : {g, o})
            if (std::find(inc->joint_groups.begin(), inc->joint_groups.end(), x) ==
                inc->joint_groups.end())
              inc->joint_groups.push_back(x);
        };
        joint(i + 2);
        if (i >= SentBegin(s) + 2 && IsPunct(i - 1, '/')) joint(i - 2);
        continue;
      }
      const Group& gr = kb_.groups()[static_cast<size_t>(g)];
      if (gr.is_force) {
        if (inc->actor < 0) inc->actor = g;
        continue;
      }
      if (std::find(inc->groups.begin(), inc->groups.end(), g) == inc->groups.end())
        inc->groups.push_back(g);
      if (IsTargetedPersonGroup(i) &&
          std::find(inc->target_groups.begin(), inc->target_groups.end(), g) ==
              inc->target_groups.end())
        inc->target_groups.push_back(g);
    }
}

// "captured a Haqqani facilitator", "pursuing a Taliban sub-commander": an
// indefinite phrase whose head is a role, in a sentence of the operation,
// not after "with" or "of" ("ties with Haqqani leaders").
bool Rules::IsTargetedPersonGroup(uint32_t g) const {
  uint32_t s = I(g).sentence;
  if (!SentenceHasTrigger(s) && !SentenceHasOperation(s)) {
    // "The facilitators included an instructor ... and a HIG leader."
    bool lists_them = false;
    for (uint32_t k = SentBegin(s); k < SentEnd(s); ++k)
      lists_them |= IsWord(k, w_.included_) || IsWord(k, w_.including_);
    if (!lists_them) return false;
  }
  bool role = false;
  for (uint32_t k = g + 1; k < SentEnd(s) && k < g + 4; ++k) {
    if (IsLex(k, Lex::kRole)) {
      role = true;
      break;
    }
    if (I(k).kind != ItemKind::kWord || IsClauseStop(k) || IsWord(k, w_.and_)) break;
  }
  if (!role || g == SentBegin(s)) return false;
  uint32_t d = g - 1;
  // "a ...", "two ...", or the next item of a list ("an instructor, a bomb
  // maker and HIG leader").
  if (!(IsLex(d, Lex::kQuantity) || I(d).kind == ItemKind::kNumber || IsWord(d, w_.and_) ||
        IsPunct(d, ',')))
    return false;
  for (uint32_t k = d; k > SentBegin(s) && d - k < 5;) {
    --k;
    if (IsWord(k, w_.with_) || IsWord(k, w_.of_) || IsWord(k, w_.to_) || IsWord(k, w_.for_))
      return false;
  }
  return true;
}

// The event date: the first time expression in a sentence that reports the
// event, resolved against the release date; a "today" that only dates the
// confirmation ("confirmed today that ... Sunday") yields to the other one.
// Dates that name something else are skipped: "since Oct. 1", "the July 2
// attack", "Saturday's election".
bool Rules::IsBackgroundDate(uint32_t first, uint32_t last) const {
  if (first > 0 && I(first - 1).sentence == I(first).sentence &&
      (IsWord(first - 1, w_.since_) || IsWord(first - 1, w_.until_) ||
       IsWord(first - 1, w_.the_)))
    return true;
  // "according to a statement released Wednesday", "officials said Monday":
  // the day of the telling.
  uint32_t sb = SentBegin(I(first).sentence);
  for (uint32_t k = first; k > sb && first - k < 4;) {
    --k;
    if (IsLex(k, Lex::kReport) || IsWord(k, w_.said_) || IsWord(k, w_.released_) ||
        IsWord(k, w_.statement_))
      return true;
  }
  return last + 1 < a_.items.size() && I(last + 1).sentence == I(last).sentence &&
         (I(last + 1).flags & text::kPossessive);
}

// Reads "Aug. 7[, 2012]" starting at a month item; false if it is no date.
// `last` receives the last item of the expression.
bool Rules::ExplicitDate(uint32_t month_item, uint32_t sentence_end, text::Date* out,
                         uint32_t* last) const {
  bool dmy = MonthDay(month_item, sentence_end) <= 0 && DayBeforeMonth(month_item) > 0;
  if (MonthDay(month_item, sentence_end) <= 0 && !dmy) return false;
  const text::Date& ref = doc_.reference;
  uint32_t day_item = dmy ? month_item - 1
                          : IsPunct(month_item + 1, '.') ? month_item + 2 : month_item + 1;
  text::Date d;
  d.month = LexOf(month_item).number;
  d.day = dmy ? DayBeforeMonth(month_item) : static_cast<int>(I(day_item).number);
  *last = dmy ? month_item : day_item;
  uint32_t k = dmy ? month_item + 1 : day_item + 1;
  if (IsPunct(k, '.')) ++k;
  if (IsPunct(k, ',')) ++k;
  if (k < sentence_end && I(k).kind == ItemKind::kNumber && I(k).number >= 1900 &&
      I(k).number <= 2100) {
    d.year = static_cast<int>(I(k).number);
    *last = k;
  } else if (ref.valid()) {
    d.year = ref.year;
    if (text::DaysFromCivil(text::Date{ref.year, d.month, std::min(d.day, 28)}) >
        text::DaysFromCivil(ref) + 31)
      d.year = ref.year - 1;
  }
  if (!d.valid()) return false;
  *out = d;
  return true;
}

void Rules::ResolveDate(Incident* inc) const {
  const text::Date& ref = doc_.reference;
  struct Cand {
    text::Date d;
    std::string basis;
    bool today = false;
    bool after_report = false;
    bool overnight = false;
    uint32_t item = 0;
  };
  std::vector<Cand> cands;
  bool recently = false;
  // First the sentences that report the event; then any sentence of it
  // ("In Kunduz last night, a force went to the village. ... detained one").
  for (int pass = 0; pass < 2 && cands.empty(); ++pass)
  for (uint32_t s = inc->first_sentence; s < inc->end_sentence && cands.empty(); ++s) {
    if (pass == 0 && !SentenceHasTrigger(s) && !SentenceHasOperation(s)) continue;
    if (!MayHaveLex(s, Lex::kTime, Lex::kMonth)) continue;
    bool report_seen = false;
    for (uint32_t i = SentBegin(s); i < SentEnd(s); ++i) {
      if (IsLex(i, Lex::kReport)) report_seen = true;
      if (IsLex(i, Lex::kTime) && ref.valid()) {
        const LexEntry& e = LexOf(i);
        Cand c;
        c.basis = "relative";
        if (e.value == "today"sv) {
          c.d = ref;
          c.today = true;
        } else if (e.value == "yesterday"sv) {
          c.d = text::AddDays(ref, -1);
        } else if (e.value == "overnight"sv) {
          c.d = ref;
          c.overnight = true;
        } else if (e.value == "weekday"sv) {
          if (IsBackgroundDate(i, i) || WeekdayBeforeDate(i)) continue;
          c.d = text::LastWeekdayOnOrBefore(ref, e.number);
        } else {
          if (e.value == "recently"sv) recently = true;
          continue;
        }
        c.after_report = report_seen;
        c.item = i;
        cands.push_back(c);
      } else if (IsLex(i, Lex::kMonth)) {
        Cand c;
        uint32_t last = i;
        if (!ExplicitDate(i, SentEnd(s), &c.d, &last) || IsBackgroundDate(i, last)) continue;
        c.basis = "explicit";
        c.item = i;
        cands.push_back(c);
      }
    }
  }
  // "ISAF announced today that a force detained a leader ... He was captured
  // yesterday": the day of the announcement yields to the event's own day,
  // told in a later sentence of the incident.
  if (cands.size() == 1 && cands.front().today && cands.front().after_report && ref.valid()) {
    bool moved = false;
    for (uint32_t s = I(cands.front().item).sentence + 1; s < inc->end_sentence && !moved; ++s) {
      if (!SentenceHasTrigger(s)) continue;
      for (uint32_t i = SentBegin(s); i < SentEnd(s); ++i) {
        if (!IsLex(i, Lex::kTime) || IsBackgroundDate(i, i)) continue;
        const LexEntry& e = LexOf(i);
        if (e.value == "yesterday") cands.front().d = text::AddDays(ref, -1);
        else if (e.value == "weekday") cands.front().d = text::LastWeekdayOnOrBefore(ref, e.number);
        else continue;
        cands.front().today = false;
        moved = true;
        break;
      }
    }
  }
  // "Forces confirmed today they recently detained two ... One was arrested
  // Oct. 4": the vague word defers to the first past date told later.
  if (recently && ref.valid() && cands.size() <= 1 && (cands.empty() || cands.front().today)) {
    for (uint32_t s = inc->first_sentence + 1; s < SentenceCount(); ++s) {
      for (uint32_t i = SentBegin(s); i < SentEnd(s); ++i) {
        text::Date d;
        uint32_t last = i;
        if (!IsLex(i, Lex::kMonth) || !ExplicitDate(i, SentEnd(s), &d, &last) ||
            IsBackgroundDate(i, last) || text::DaysFromCivil(d) > text::DaysFromCivil(ref))
          continue;
        inc->date = d;
        inc->date_basis = "explicit";
        return;
      }
    }
  }
  if (!cands.empty()) {
    // "today" that dates a confirmation, and "overnight" (which can be
    // either night), yield to a more specific expression in the sentence.
    const Cand* pick = &cands.front();
    // Several dates in the reporting sentence: the one that follows the
    // kill or capture dates it ("a leader behind the June 28 attack was
    // killed in a strike yesterday").
    if (cands.size() > 1) {
      uint32_t s = I(cands.front().item).sentence;
      uint32_t trigger = 0;
      for (uint32_t i = SentBegin(s); i < SentEnd(s) && !trigger; ++i)
        if ((IsLex(i, Lex::kCapture) || IsLex(i, Lex::kKill)) && !IsDescriptive(i)) trigger = i;
      if (trigger)
        for (const auto& c : cands)
          if (c.item > trigger && I(c.item).sentence == s && !c.today) {
            pick = &c;
            break;
          }
    }
    for (const auto& c : cands)
      if (!c.today && !c.overnight) {
        if (pick->today || pick->overnight) pick = &c;
        break;
      }
    inc->date = pick->d;
    inc->date_basis = pick->basis;
    return;
  }
  if (ref.valid()) {
    inc->date = ref;
    inc->date_basis = doc_.reference_basis;
  }
}

void Rules::Flags(Incident* inc) const {
  for (uint32_t s = inc->first_sentence; s < inc->end_sentence; ++s) {
    // Every test reads a lexicon reading of the item.
    if (!MayHavePayloads(s)) continue;
    for (uint32_t i = SentBegin(s); i < SentEnd(s); ++i) {
      if (I(i).payload_end == I(i).payload_begin) continue;
      // IsLex(i, l) is lex == l (the item is in range).
      const Lex lex = I(i).kind == ItemKind::kLex ? I(i).lex : Lex::kCount;
      if (lex == Lex::kAirstrike) {
        const std::string& v = LexOf(i).value;
        bool negated = (i > SentBegin(s) && IsWord(i - 1, w_.no_)) ||
                       (i > SentBegin(s) + 1 && IsWord(i - 2, w_.no_));
        // "a commander who was killed in an air strike last week": a strike
        // that belongs to a described, earlier kill is not this event's.
        bool described = false;
        for (uint32_t k = i; k > SentBegin(s) && i - k < 6;) {
          --k;
          if (IsLex(k, Lex::kKill) || IsLex(k, Lex::kCapture)) {
            described = IsDescriptive(k);
            break;
          }
        }
        if (v == "airstrike"sv && !negated && !described && !IsStatisticsSentence(s))
          inc->airstrike = true;
        if (v == "air_support"sv && !negated) inc->air_support = true;
      }
      if (lex == Lex::kDroneStrike) inc->drone = inc->airstrike = true;
      if (lex == Lex::kNoShots && !IsStatisticsSentence(s)) inc->no_shots = true;
      if (lex == Lex::kOperation) {
        inc->operation = true;
        const std::string& v = LexOf(i).value;
        if (v == "search"sv || v == "target"sv) inc->targeted = true;
        if (v == "patrol"sv || v == "clearing"sv) inc->patrol = true;
      }
      // "Provincial Response Company" is also an alias of the police, so
      // look at every reading of the phrase.
      for (uint32_t p = I(i).payload_begin; p < I(i).payload_end; ++p) {
        const kb::Payload& pl = a_.payloads[p];
        if (pl.kind == kb::PayloadKind::kLex &&
            kb_.lexicon()[pl.index].category == Lex::kActor &&
            kb_.lexicon()[pl.index].value == "afghan_unilateral"sv)
          inc->afghan_unilateral = true;
      }
      if (lex == Lex::kEventType && !FutureEvent(i) && !SeizedPower(i)) {
        const std::string& v = LexOf(i).value;
        if (v == "clash"sv) inc->clash = true;
        if (v == "cache"sv) inc->cache = true;
        if (std::find(inc->other_types.begin(), inc->other_types.end(), v) ==
            inc->other_types.end())
          inc->other_types.push_back(v);
      }
    }
  }
}

void Rules::Run() {
  if (a_.items.empty()) {
    doc_.incidents.push_back(Incident());
    return;
  }
  Segment();
  const Incident* prev = nullptr;
  for (auto& inc : doc_.incidents) {
    Count(&inc);
    ResolvePlace(&inc);
    ResolveGroups(&inc);
    ResolveDate(&inc);
    // An operation told after a round-up ("... yesterday. In Khost province,
    // forces detained ...") shares the round-up's date.
    if (prev && (inc.date_basis == "dateline"sv || inc.date_basis == "published"sv) &&
        (prev->date_basis == "relative"sv || prev->date_basis == "explicit"sv)) {
      inc.date = prev->date;
      inc.date_basis = prev->date_basis;
    }
    prev = &inc;
    Flags(&inc);
    for (uint32_t s = inc.first_sentence; s < inc.end_sentence; ++s) {
      if (!SentenceHasTrigger(s) && s != inc.first_sentence) continue;
      auto b = SentBegin(s), e = SentEnd(s);
      inc.evidence.emplace_back(I(b).start, I(e - 1).end);
    }
    for (const auto& c : inc.casualties) {
      if (c.role.empty() && c.name.empty()) continue;
      Person p;
      p.name = c.name;
      p.role = c.role;
      if (c.group >= 0) p.group = kb_.groups()[static_cast<size_t>(c.group)].id;
      p.fate = c.killed ? "killed" : "captured";
      inc.people.push_back(p);
    }
  }
}

}  // namespace

void AnalyseDocument(const KnowledgeBase& kb, std::string_view text,
                     const text::Date& published, DocumentAnalysis* out) {
  out->incidents.clear();
  Analyse(kb, text, published.valid() ? published.year : 0, &out->analysis);
  const auto& h = out->analysis.header;
  if (h.issued.valid()) {
    out->reference = h.issued;
    out->reference_basis = "dateline";
  } else if (published.valid()) {
    out->reference = published;
    out->reference_basis = "published";
  } else {
    out->reference = text::Date();
    out->reference_basis.clear();
  }
  Rules rules(kb, out);
  rules.Run();
}

}  // namespace sitrep::extract

namespace sitrep::extract {

std::vector<std::string> Explain(const KnowledgeBase& kb, const DocumentAnalysis& doc) {
  std::vector<std::string> out;
  const Analysis& a = doc.analysis;
  out.push_back("reference date " + text::FormatDate(doc.reference) + " (" +
                doc.reference_basis + ")");
  for (size_t n = 0; n < doc.incidents.size(); ++n) {
    const Incident& inc = doc.incidents[n];
    std::string head = "incident " + std::to_string(n) + ": sentences " +
                       std::to_string(inc.first_sentence) + "-" +
                       std::to_string(inc.end_sentence) + (inc.has_trigger ? "" : " (no trigger)") +
                       (inc.summary ? " (round-up)" : "") +
                       (inc.release ? " (release " + std::to_string(inc.release) + ")" : "") +
                       " date " + text::FormatDate(inc.date) + " [" + inc.date_basis + "]";
    if (inc.place >= 0) head += " place " + kb.places()[static_cast<size_t>(inc.place)].id;
    for (size_t g = 0; g < inc.groups.size(); ++g)
      head += (g ? "," : " groups ") + kb.groups()[static_cast<size_t>(inc.groups[g])].id;
    out.push_back(head);
    for (const auto& c : inc.casualties) {
      out.push_back(std::string("  ") + (c.killed ? "killed " : "captured ") +
                    std::to_string(c.count) + (c.subset ? " (subset)" : "") +
                    (c.leaders ? " leaders=" + std::to_string(c.leaders) : "") + " <- \"" +
                    std::string(ItemsText(a, c.item_begin, c.item_end)) + "\"");
    }
  }
  return out;
}

}  // namespace sitrep::extract
