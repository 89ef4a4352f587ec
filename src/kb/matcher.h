// One-pass phrase matcher: a trie over normalised-token hashes, walked once
// from every token, longest match wins. Every lexicon (places, groups, trigger
// words) lives in the same trie, so the text is scanned once for all of them.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "text/tokenizer.h"

namespace sitrep::kb {

enum class PayloadKind : uint8_t { kPlace, kGroup, kLex };

// What the text's casing must look like for a phrase to count. Proper names
// need a capital initial ("Sangin", not "sangin"); acronyms need capitals
// ("IMU", not "imu").
enum class CaseRule : uint8_t { kAny, kCapitalised, kAllCaps };

struct Payload {
  PayloadKind kind = PayloadKind::kLex;
  CaseRule case_rule = CaseRule::kAny;
  uint32_t index = 0;
};

struct Match {
  uint32_t tok_begin = 0;  // [tok_begin, tok_end)
  uint32_t tok_end = 0;
  uint32_t payload_begin = 0;  // into PhraseMatcher::payloads()
  uint32_t payload_end = 0;
};

class PhraseMatcher {
 public:
  PhraseMatcher();
  // Adds a phrase given as normalised tokens.
  void Add(const std::vector<std::string>& tokens, Payload payload);
  // Sorts payload lists; call once after the last Add.
  void Finish();

  // Appends the leftmost-longest matches whose case rule holds; a match never
  // crosses a sentence boundary. `payload_ok` filters nothing: all payloads of
  // the node whose case rules hold are reported (through `payloads` indices
  // copied into `out_payloads`).
  void FindAll(const std::vector<text::Token>& tokens, std::vector<Match>* out,
               std::vector<Payload>* out_payloads) const;

  size_t node_count() const { return nodes_.size(); }
  size_t phrase_count() const { return phrases_; }

 private:
  struct Node {
    uint32_t payload_begin = 0;
    uint32_t payload_end = 0;
  };
  // Edges live in an open-addressing table keyed by a 64-bit mix of (parent
  // node, token hash); with 64-bit token hashes a false edge is as unlikely as
  // a hash collision between two words, which the trie accepts anyway.
  static uint64_t EdgeKey(uint32_t node, uint64_t token_hash) {
    uint64_t k = token_hash ^ (static_cast<uint64_t>(node) * 0x9E3779B97F4A7C15ULL);
    return k == 0 ? 1 : k;
  }
  // Inline: FindAll calls it for nearly every token.
  uint32_t Child(uint32_t node, uint64_t token_hash) const {
    uint64_t key = EdgeKey(node, token_hash);
    size_t mask = edge_keys_.size() - 1;
    size_t slot = static_cast<size_t>(key ^ (key >> 31)) & mask;
    while (true) {
      uint64_t k = edge_keys_[slot];
      if (k == key) return edge_children_[slot];
      if (k == 0) return 0;
      slot = (slot + 1) & mask;
    }
  }
  void InsertEdge(uint64_t key, uint32_t child);
  void Grow();

  std::vector<Node> nodes_;
  std::vector<uint64_t> edge_keys_;  // 0 = empty slot
  std::vector<uint32_t> edge_children_;
  size_t edge_count_ = 0;
  std::vector<std::vector<Payload>> pending_;  // per node, until Finish()
  std::vector<Payload> payloads_;
  size_t phrases_ = 0;
};

inline bool CaseHolds(CaseRule rule, const text::Token& first) {
  switch (rule) {
    case CaseRule::kAny:
      return true;
    case CaseRule::kCapitalised:
      return first.Is(text::kCapitalised) || first.Is(text::kNumber);
    case CaseRule::kAllCaps:
      return first.Is(text::kAllCaps);
  }
  return false;
}

}  // namespace sitrep::kb
