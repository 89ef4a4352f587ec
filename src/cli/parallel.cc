#include "cli/parallel.h"

#include <atomic>
#include <thread>

namespace sitrep::cli {
namespace {

constexpr size_t kBatch = 512;

void ExtractBatch(const Pipeline& pipeline, const std::vector<Document>& docs, unsigned threads,
                  std::vector<Extraction>* out) {
  out->assign(docs.size(), Extraction{});
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < docs.size();) (*out)[i] = pipeline.Extract(docs[i]);
  };
  unsigned n = std::min<unsigned>(threads, static_cast<unsigned>(docs.size()));
  if (n <= 1) {
    work();
    return;
  }
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < n; ++t) pool.emplace_back(work);
  for (auto& t : pool) t.join();
}

}  // namespace

ReadStats RunOrdered(const Pipeline& pipeline, const std::vector<std::string>& inputs,
                     unsigned threads, const std::function<void(const Extraction&)>& on_result,
                     const std::function<void(const ReadError&)>& on_error) {
  std::vector<Document> batch;
  std::vector<Extraction> results;
  auto flush = [&] {
    ExtractBatch(pipeline, batch, threads, &results);
    for (const auto& x : results) on_result(x);
    batch.clear();
  };
  ReadStats stats = ReadDocuments(
      inputs,
      [&](Document&& d) {
        batch.push_back(std::move(d));
        if (batch.size() >= kBatch) flush();
        return true;
      },
      on_error);
  if (!batch.empty()) flush();
  return stats;
}

std::vector<std::string> ExtractAll(const Pipeline& pipeline, const std::vector<Document>& docs,
                                    unsigned threads) {
  std::vector<Extraction> results;
  ExtractBatch(pipeline, docs, threads, &results);
  std::vector<std::string> lines;
  lines.reserve(results.size());
  for (const auto& x : results) lines.push_back(ToJsonLine(x, pipeline.options().profile));
  return lines;
}

}  // namespace sitrep::cli
