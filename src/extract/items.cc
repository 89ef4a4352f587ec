#include "extract/items.h"

#include <algorithm>
#include <cstdlib>

namespace sitrep::extract {

Words::Words() {
#define SITREP_WORD(w) w##_ = text::HashNormalized(#w);
#include "extract/words.inc"
#undef SITREP_WORD
#define SITREP_WORD(w) sorted_.push_back(w##_);
#include "extract/words.inc"
#undef SITREP_WORD
  std::sort(sorted_.begin(), sorted_.end());
  sorted_.erase(std::unique(sorted_.begin(), sorted_.end()), sorted_.end());
  static_assert(kMaxId <= 256, "ids are bytes");
  if (sorted_.size() + 1 > static_cast<size_t>(kMaxId) || sorted_.size() * 2 > kIdSlots)
    std::abort();  // words.inc outgrew the id table: raise kMaxId / kIdSlots
  id_keys_.assign(kIdSlots, 0);
  ids_.assign(kIdSlots, 0);
  for (size_t k = 0; k < sorted_.size(); ++k) {
    size_t slot = Slot(sorted_[k]);
    while (ids_[slot] != 0) slot = (slot + 1) & (kIdSlots - 1);
    id_keys_[slot] = sorted_[k];
    ids_[slot] = static_cast<uint8_t>(k + 1);
  }
}

const Words& W() {
  static const Words kWords;
  return kWords;
}

namespace {

int64_t ParseNumber(std::string_view s) {
  int64_t v = 0;
  bool any = false;
  for (char c : s) {
    if (c == ',') continue;
    if (c < '0' || c > '9') break;
    any = true;
    if (v > 1'000'000'000'000LL) return v;  // absurd values saturate
    v = v * 10 + (c - '0');
  }
  return any ? v : -1;
}

bool IsPunctItem(const Item& it, char c) { return it.kind == ItemKind::kPunct && it.punct == c; }

// A text can hold several releases one after the other ("UPDATE: ..." with
// its own title, reference number and dateline). Their datelines and title
// lines are blanked, and each later release is marked where it starts.
void BlankLaterHeaders(const KnowledgeBase& kb, Analysis* a) {
  auto& items = a->items;
  const auto& sent = a->sentence_items;
  auto sentence_of = [&](uint32_t i) { return items[i].sentence; };
  for (uint32_t i = 0; i + 4 < items.size(); ++i) {
    // CITY , Country ( Month
    const Item& city = items[i];
    if (!(city.flags & text::kCapitalised)) continue;
    if (!IsPunctItem(items[i + 1], ',')) continue;
    if (!(items[i + 2].flags & text::kCapitalised)) continue;
    if (!IsPunctItem(items[i + 3], '(')) continue;
    const Item& mon = items[i + 4];
    if (mon.kind != ItemKind::kLex ||
        kb.lexicon()[a->payloads[mon.payload_begin].index].category != Lex::kMonth)
      continue;
    uint32_t end = i + 5;
    while (end < items.size() && end < i + 12 && !IsPunctItem(items[end], ')')) ++end;
    if (end >= items.size() || !IsPunctItem(items[end], ')')) continue;
    for (uint32_t k = i; k <= end; ++k) items[k].kind = ItemKind::kBlank;
    // Title, reference-number and boilerplate lines just before it: lines
    // that do not end a sentence.
    uint32_t s = sentence_of(i);
    uint32_t first = s;
    while (first > 0) {
      uint32_t prev = first - 1;
      uint32_t b = sent[prev], e = sent[prev + 1];
      if (e - b > 30 || e == b) break;
      const Item& last = items[e - 1];
      if (last.kind == ItemKind::kPunct && (last.punct == '.' || last.punct == '"')) break;
      for (uint32_t k = b; k < e; ++k) items[k].kind = ItemKind::kBlank;
      first = prev;
    }
    a->release_starts.push_back(first);
    i = end;
  }
}

// The name of a military operation ("Operation Amani Boni", "Operation
// Hadin Kai") is no place: place items among the capitalised words that
// follow a title-case "Operation" read as plain words.
void DemoteOperationNames(const KnowledgeBase& kb, Analysis* a) {
  auto& items = a->items;
  for (size_t i = 0; i + 1 < items.size(); ++i) {
    const Item& op = items[i];
    if (op.kind != ItemKind::kLex || op.lex != Lex::kOperation ||
        !(op.flags & text::kCapitalised) || (op.flags & text::kAllCaps))
      continue;
    std::string_view raw = a->text.substr(op.start, op.end - op.start);
    if (raw != "Operation") continue;
    for (size_t k = i + 1; k < items.size() && k <= i + 3; ++k) {
      Item& it = items[k];
      if (it.sentence != op.sentence || !(it.flags & text::kCapitalised)) break;
      if (it.kind == ItemKind::kPlace) it.kind = ItemKind::kWord;
      else if (it.kind != ItemKind::kWord) break;
    }
  }
  (void)kb;
}

// An acronym written in capitals that names both a force or group and a
// place ("ANA soldiers": the Afghan National Army, not Anah in Iraq) reads
// as the group.
template <typename MatchT>
void PreferGroupForAcronym(Analysis* a, const MatchT& mt) {
  const auto& toks = a->tokens.tokens;
  if (mt.tok_end != mt.tok_begin + 1 || !toks[mt.tok_begin].Is(text::kAllCaps)) return;
  if (a->payloads[mt.payload_begin].kind != kb::PayloadKind::kPlace) return;
  for (uint32_t p = mt.payload_begin + 1; p < mt.payload_end; ++p)
    if (a->payloads[p].kind == kb::PayloadKind::kGroup) {
      std::swap(a->payloads[mt.payload_begin], a->payloads[p]);
      return;
    }
}

}  // namespace

void Analyse(const KnowledgeBase& kb, std::string_view text, int fallback_year,
             Analysis* out) {
  out->text = text;
  out->header = clean::ParseHeader(text, fallback_year);
  out->matches.clear();
  out->payloads.clear();
  out->items.clear();
  out->sentence_items.clear();
  out->release_starts.clear();
  text::Tokenize(text, out->header.body_start, static_cast<uint32_t>(text.size()),
                 {}, &out->tokens);
  kb.matcher().FindAll(out->tokens.tokens, &out->matches, &out->payloads);

  // Plain pointers and counts: the item stores below could alias the
  // vectors' own fields, which made every size() a reload.
  const text::Token* const toks = out->tokens.tokens.data();
  const uint32_t ntoks = static_cast<uint32_t>(out->tokens.tokens.size());
  const kb::Match* const matches = out->matches.data();
  const size_t nmatches = out->matches.size();
  const uint32_t next_match_none = ntoks;
  out->items.reserve(ntoks);
  size_t m = 0;
  uint32_t next_match = nmatches > 0 ? matches[0].tok_begin : next_match_none;
  int last_sentence = -1;
  for (uint32_t i = 0; i < ntoks;) {
    Item it;
    const auto& t = toks[i];
    if (next_match == i) {
      const auto& mt = matches[m];
      // A phrase that is both an event word and a name ("Coalition aircraft"
      // is a strike, and an alias of the coalition) reads as the event word.
      for (uint32_t p = mt.payload_begin; p < mt.payload_end; ++p) {
        const kb::Payload& cand = out->payloads[p];
        if (cand.kind != kb::PayloadKind::kLex) continue;
        Lex cat = kb.lexicon()[cand.index].category;
        if (cat == Lex::kAirstrike || cat == Lex::kDroneStrike || cat == Lex::kCapture ||
            cat == Lex::kKill) {
          std::swap(out->payloads[mt.payload_begin], out->payloads[p]);
          break;
        }
      }
      PreferGroupForAcronym(out, mt);
      const kb::Payload& first = out->payloads[mt.payload_begin];
      it.payload_begin = mt.payload_begin;
      it.payload_end = mt.payload_end;
      if (first.kind == kb::PayloadKind::kLex) {
        it.kind = ItemKind::kLex;
        it.lex = kb.lexicon()[first.index].category;
      } else if (first.kind == kb::PayloadKind::kPlace) {
        it.kind = ItemKind::kPlace;
      } else {
        it.kind = ItemKind::kGroup;
      }
      it.tok_begin = mt.tok_begin;
      it.tok_end = mt.tok_end;
      ++m;
      next_match = m < nmatches ? matches[m].tok_begin : next_match_none;
    } else {
      it.tok_begin = i;
      it.tok_end = i + 1;
      if (t.Is(text::kNumber)) {
        it.kind = ItemKind::kNumber;
        it.number = ParseNumber(text.substr(t.start, t.end - t.start));
      } else if (t.Is(text::kPunct)) {
        it.kind = ItemKind::kPunct;
        it.punct = t.punct;
      } else {
        it.kind = ItemKind::kWord;
      }
    }
    it.hash = t.hash;
    it.flags = t.flags;
    it.sentence = t.sentence;
    it.start = t.start;
    it.end = toks[it.tok_end - 1].end;
    if (static_cast<int>(it.sentence) != last_sentence) {
      out->sentence_items.push_back(static_cast<uint32_t>(out->items.size()));
      last_sentence = it.sentence;
    }
    i = it.tok_end;
    out->items.push_back(it);
  }
  out->sentence_items.push_back(static_cast<uint32_t>(out->items.size()));
  BlankLaterHeaders(kb, out);
  DemoteOperationNames(kb, out);
}

std::string ItemText(const Analysis& a, const Item& it) {
  return std::string(a.text.substr(it.start, it.end - it.start));
}

std::string_view ItemsText(const Analysis& a, uint32_t b, uint32_t e) {
  if (b >= e || e > a.items.size()) return {};
  uint32_t s = a.items[b].start, f = a.items[e - 1].end;
  return a.text.substr(s, f - s);
}

}  // namespace sitrep::extract
