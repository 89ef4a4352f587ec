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

 private:
  std::vector<uint64_t> sorted_;
};
const Words& W();

// Normalised text of an item (for messages, names and tests).
std::string ItemText(const Analysis& a, const Item& it);
// Original text of items [b, e).
std::string_view ItemsText(const Analysis& a, uint32_t b, uint32_t e);

}  // namespace sitrep::extract
