#include "store/evidence.h"

#include <charconv>
#include <cstdint>

namespace sitrep::store {
namespace {

void AppendNumber(std::string* out, uint64_t v) {
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  out->append(buf, end);
}

// Reads digits at `*p` up to `stop`; false when there are none or `stop` is
// not next.
bool ReadNumber(std::string_view s, size_t* p, char stop, uint64_t* v) {
  auto [end, ec] = std::from_chars(s.data() + *p, s.data() + s.size(), *v);
  if (ec != std::errc() || end == s.data() + s.size() || *end != stop) return false;
  *p = static_cast<size_t>(end - s.data()) + 1;
  return true;
}

}  // namespace

std::string PackEvidence(const std::vector<Evidence>& evidence, std::string_view doc_text) {
  std::string out;
  for (const auto& e : evidence) {
    if (!out.empty()) out += ';';
    AppendNumber(&out, e.start);
    out += ',';
    AppendNumber(&out, e.end);
    if (e.start <= e.end && e.end <= doc_text.size() &&
        doc_text.substr(e.start, e.end - e.start) == e.text) {
      out += '=';
      continue;
    }
    out += ',';
    AppendNumber(&out, e.text.size());
    out += ':';
    out += e.text;
  }
  return out;
}

std::vector<Evidence> UnpackEvidence(std::string_view packed, std::string_view doc_text) {
  std::vector<Evidence> out;
  size_t p = 0;
  while (p < packed.size()) {
    uint64_t start = 0, end = 0, len = 0;
    if (!ReadNumber(packed, &p, ',', &start)) break;
    auto [next, ec] = std::from_chars(packed.data() + p, packed.data() + packed.size(), end);
    if (ec != std::errc() || next == packed.data() + packed.size()) break;
    p = static_cast<size_t>(next - packed.data());
    Evidence e;
    e.start = static_cast<uint32_t>(start);
    e.end = static_cast<uint32_t>(end);
    if (packed[p] == '=') {
      ++p;
      if (start <= end && end <= doc_text.size())
        e.text = std::string(doc_text.substr(start, end - start));
    } else {
      if (packed[p] != ',') break;
      ++p;
      if (!ReadNumber(packed, &p, ':', &len) || len > packed.size() - p) break;
      e.text = std::string(packed.substr(p, len));
      p += len;
    }
    out.push_back(std::move(e));
    if (p < packed.size()) {
      if (packed[p] != ';') break;
      ++p;
    }
  }
  return out;
}

void MoveEvidence(Db& db) {
  // A few hundred documents at a time: a store's evidence need not fit in
  // memory.
  constexpr int64_t kChunk = 500;
  Stmt docs = db.Prepare("SELECT id, doc_id, text FROM documents WHERE id > ? ORDER BY id LIMIT ?");
  Stmt rows = db.Prepare(
      "SELECT owner_kind, owner_id, start_off, end_off, text FROM evidence WHERE doc_id = ?"
      " ORDER BY owner_kind, owner_id, seq");
  Stmt event = db.Prepare("UPDATE events SET evidence = ? WHERE event_id = ?");
  Stmt claim = db.Prepare("UPDATE claims SET evidence = ? WHERE claim_id = ?");
  Stmt relation = db.Prepare("UPDATE relations SET evidence = ? WHERE doc_id = ? AND seq = ?");
  int64_t last = 0;
  for (;;) {
    auto chunk = db.Query(docs, {last, kChunk});
    if (chunk.empty()) break;
    last = ToInt(chunk.back()[0]);
    for (const auto& d : chunk) {
      std::string doc_id = ToStr(d[1]), text = ToStr(d[2]);
      auto ev = db.Query(rows, {doc_id});
      for (size_t i = 0; i < ev.size();) {
        std::string kind = ToStr(ev[i][0]), owner = ToStr(ev[i][1]);
        std::vector<Evidence> items;
        for (; i < ev.size() && ToStr(ev[i][0]) == kind && ToStr(ev[i][1]) == owner; ++i)
          items.push_back({static_cast<uint32_t>(ToInt(ev[i][2])),
                           static_cast<uint32_t>(ToInt(ev[i][3])), ToStr(ev[i][4])});
        std::string packed = PackEvidence(items, text);
        if (kind == "event") {
          db.Exec(event, {packed, owner});
        } else if (kind == "claim") {
          db.Exec(claim, {packed, owner});
        } else if (kind == "relation") {
          // Owned by "DOC#rSEQ".
          auto r = owner.rfind("#r");
          if (r != std::string::npos && r + 2 < owner.size())
            db.Exec(relation, {packed, doc_id, ToInt(owner.substr(r + 2))});
        }
      }
    }
  }
  db.Exec("DROP TABLE evidence", {});
}

}  // namespace sitrep::store
