#include "kb/matcher.h"

#include <algorithm>

namespace sitrep::kb {

PhraseMatcher::PhraseMatcher() {
  nodes_.emplace_back();  // root
  pending_.emplace_back();
  edge_keys_.assign(1024, 0);
  edge_children_.assign(1024, 0);
}

void PhraseMatcher::Grow() {
  std::vector<uint64_t> keys;
  std::vector<uint32_t> children;
  keys.swap(edge_keys_);
  children.swap(edge_children_);
  edge_keys_.assign(keys.size() * 2, 0);
  edge_children_.assign(keys.size() * 2, 0);
  edge_count_ = 0;
  for (size_t i = 0; i < keys.size(); ++i)
    if (keys[i] != 0) InsertEdge(keys[i], children[i]);
}

void PhraseMatcher::InsertEdge(uint64_t key, uint32_t child) {
  if ((edge_count_ + 1) * 2 > edge_keys_.size()) Grow();
  size_t mask = edge_keys_.size() - 1;
  size_t slot = static_cast<size_t>(key ^ (key >> 31)) & mask;
  while (edge_keys_[slot] != 0 && edge_keys_[slot] != key) slot = (slot + 1) & mask;
  if (edge_keys_[slot] == 0) ++edge_count_;
  edge_keys_[slot] = key;
  edge_children_[slot] = child;
}

void PhraseMatcher::Add(const std::vector<std::string>& tokens, Payload payload) {
  if (tokens.empty()) return;
  uint32_t node = 0;
  for (const auto& tok : tokens) {
    uint64_t h = text::HashNormalized(tok);
    uint32_t next = Child(node, h);
    if (next == 0) {
      next = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
      pending_.emplace_back();
      InsertEdge(EdgeKey(node, h), next);
    }
    node = next;
  }
  auto& list = pending_[node];
  for (const auto& p : list)
    if (p.kind == payload.kind && p.index == payload.index) {
      // Keep the most permissive case rule of duplicate aliases.
      return;
    }
  list.push_back(payload);
  ++phrases_;
}

void PhraseMatcher::Finish() {
  payloads_.clear();
  for (size_t n = 0; n < nodes_.size(); ++n) {
    nodes_[n].payload_begin = static_cast<uint32_t>(payloads_.size());
    for (const auto& p : pending_[n]) payloads_.push_back(p);
    nodes_[n].payload_end = static_cast<uint32_t>(payloads_.size());
  }
}

void PhraseMatcher::FindAll(const std::vector<text::Token>& tokens,
                            std::vector<Match>* out,
                            std::vector<Payload>* out_payloads) const {
  // Plain pointers: the output appends could alias the vectors' fields, which
  // made every tokens[] and size() a reload.
  const text::Token* const toks = tokens.data();
  const size_t n = tokens.size();
  const Node* const nodes = nodes_.data();
  const Payload* const payloads = payloads_.data();
  size_t i = 0;
  while (i < n) {
    uint32_t node = Child(0, toks[i].hash);
    if (node == 0) {
      ++i;
      continue;
    }
    size_t best_end = 0;
    uint32_t best_node = 0;
    const uint16_t sentence = toks[i].sentence;
    for (size_t j = i;;) {
      const Node& nd = nodes[node];
      for (uint32_t p = nd.payload_begin; p < nd.payload_end; ++p) {
        if (CaseHolds(payloads[p].case_rule, toks[i])) {
          best_end = j + 1;
          best_node = node;
          break;
        }
      }
      if (++j >= n || toks[j].sentence != sentence) break;
      node = Child(node, toks[j].hash);
      if (node == 0) break;
    }
    if (best_end == 0) {
      ++i;
      continue;
    }
    Match m;
    m.tok_begin = static_cast<uint32_t>(i);
    m.tok_end = static_cast<uint32_t>(best_end);
    m.payload_begin = static_cast<uint32_t>(out_payloads->size());
    const Node& nd = nodes[best_node];
    for (uint32_t p = nd.payload_begin; p < nd.payload_end; ++p)
      if (CaseHolds(payloads[p].case_rule, toks[i]))
        out_payloads->push_back(payloads[p]);
    m.payload_end = static_cast<uint32_t>(out_payloads->size());
    out->push_back(m);
    i = best_end;
  }
}

}  // namespace sitrep::kb
