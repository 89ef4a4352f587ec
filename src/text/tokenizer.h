// One pass over the bytes: tokens with byte offsets and a normalised form
// (lower case, diacritics and in-word apostrophes removed), and sentences.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sitrep::text {

enum TokenFlags : uint16_t {
  kWord = 1 << 0,        // letters (possibly with digits)
  kNumber = 1 << 1,      // digits, optionally with , or . separators
  kPunct = 1 << 2,       // a single punctuation character
  kCapitalised = 1 << 3, // first letter upper case
  kAllCaps = 1 << 4,     // every letter upper case, at least two letters
  kLineStart = 1 << 5,   // first token on its line
  kAbbrev = 1 << 6,      // dotted abbreviation such as U.S.
  kPossessive = 1 << 7,  // the 's token split off a possessive
};

struct Token {
  uint32_t start = 0;  // byte offsets into the text
  uint32_t end = 0;
  uint64_t hash = 0;   // hash of the normalised form
  uint16_t flags = 0;
  uint16_t sentence = 0;
  char punct = 0;      // the character, for kPunct tokens
  bool Is(TokenFlags f) const { return (flags & f) != 0; }
};

struct Sentence {
  uint32_t start = 0;  // byte offsets
  uint32_t end = 0;
  uint32_t first_token = 0;  // [first_token, last_token)
  uint32_t last_token = 0;
};

// Hash of a normalised string, the same function the tokenizer uses.
uint64_t HashNormalized(std::string_view normalized);

// Normalises a phrase the way the tokenizer does, returning the token
// normal forms (used to compile lexicons).
std::vector<std::string> NormalizePhrase(std::string_view phrase);

struct TokenizedText {
  std::vector<Token> tokens;
  std::vector<Sentence> sentences;
  // Normalised text of token i (only kept when requested; for tests/debug).
  std::vector<std::string> normalized;
};

struct TokenizeOptions {
  bool keep_normalized = false;
};

// Tokenises text[begin, end). Offsets stay relative to the whole text.
void Tokenize(std::string_view text, uint32_t begin, uint32_t end,
              const TokenizeOptions& options, TokenizedText* out);

}  // namespace sitrep::text
