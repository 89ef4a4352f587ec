// The analysed document: tokens grouped into items (a lexicon phrase, a place
// or group name, or a single word, number or punctuation mark), in sentences.
// Extraction rules read items, not bytes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clean/header.h"
#include "kb/knowledge_base.h"
#include "text/tokenizer.h"

namespace sitrep::extract {

// kBlank: header text (a dateline, a title) that rules must not read.
enum class ItemKind : uint8_t { kWord, kNumber, kPunct, kLex, kPlace, kGroup, kBlank };

struct Item {
  ItemKind kind = ItemKind::kWord;
  Lex lex = Lex::kCount;   // for kLex
  uint32_t tok_begin = 0;  // [tok_begin, tok_end)
  uint32_t tok_end = 0;
  uint32_t start = 0;      // byte range
  uint32_t end = 0;
  uint32_t payload_begin = 0;  // candidates for kPlace / kGroup / kLex
  uint32_t payload_end = 0;
  uint64_t hash = 0;       // normalised hash of a single-token item
  uint16_t sentence = 0;
  uint16_t flags = 0;      // flags of the first token
  char punct = 0;
  int64_t number = -1;     // numeric value of kNumber items
};

struct Analysis {
  std::string_view text;
  clean::Header header;
  text::TokenizedText tokens;
  std::vector<kb::Match> matches;
  std::vector<kb::Payload> payloads;
  std::vector<Item> items;
  // First item of each sentence, plus a final sentinel (= items.size()).
  std::vector<uint32_t> sentence_items;
  // Sentences where a further release starts (its title, reference number and
  // dateline were found inside the body and blanked out).
  std::vector<uint32_t> release_starts;
};

// Tokenises the body, runs the one-pass matcher and builds items.
void Analyse(const KnowledgeBase& kb, std::string_view text, int fallback_year,
             Analysis* out);

// Hashes of the function words the rules look for, computed once. Each word
// `w` in words.inc becomes a member `w_`.
struct Words {
  Words();
#define SITREP_WORD(w) uint64_t w##_ = 0;
#include "extract/words.inc"
#undef SITREP_WORD
  // True for any word of the list (they are all function words or
  // vocabulary of the rules, never part of a person's name).
  bool IsFunctionWord(uint64_t hash) const {
    return std::binary_search(sorted_.begin(), sorted_.end(), hash);
  }
  // A small number for each word of the list (1 ..< kMaxId), 0 for any
  // other hash: rules keep per-sentence sets of the words present.
  static constexpr int kMaxId = 256;
  uint8_t Id(uint64_t hash) const {
    for (size_t slot = Slot(hash);; slot = (slot + 1) & (kIdSlots - 1)) {
      if (id_keys_[slot] == hash) return ids_[slot];
      if (ids_[slot] == 0) return 0;
    }
  }

 private:
  static constexpr size_t kIdSlots = 1024;  // a quarter full: misses end at once
  static size_t Slot(uint64_t hash) {
    return static_cast<size_t>((hash * 0x9E3779B97F4A7C15ULL) >> 54) & (kIdSlots - 1);
  }
  std::vector<uint64_t> sorted_;
  std::vector<uint64_t> id_keys_;
  std::vector<uint8_t> ids_;  // 0 = empty slot
};
const Words& W();

// Normalised text of an item (for messages, names and tests).
std::string ItemText(const Analysis& a, const Item& it);
// Original text of items [b, e).
std::string_view ItemsText(const Analysis& a, uint32_t b, uint32_t e);

}  // namespace sitrep::extract
