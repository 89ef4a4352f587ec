#include "cli/parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "cli/progress.h"
#include "ingest/stream_runner.h"

namespace sitrep::cli {
namespace {

// Each worker extracts and serialises (serialising afterwards on one thread
// capped the speed-up of -j 2), claiming a few documents at a time so that
// neighbouring lines, which share cache lines, are mostly written by the
// same thread.
void ExtractLines(const Pipeline& pipeline, const std::vector<Document>& docs, unsigned threads,
                  std::vector<std::string>* out) {
  out->assign(docs.size(), std::string());
  constexpr size_t kClaim = 8;
  std::atomic<size_t> next{0};
  const Profile profile = pipeline.options().profile;
  auto work = [&] {
    for (size_t b; (b = next.fetch_add(kClaim)) < docs.size();)
      for (size_t i = b; i < std::min(docs.size(), b + kClaim); ++i)
        (*out)[i] = ToJsonLine(pipeline.Extract(docs[i]), profile);
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

void AddRunFlags(CLI::App* cmd, RunFlags* f) {
  cmd->add_flag("--progress", f->progress, "show the progress bar even when stderr is not a terminal");
  cmd->add_flag("--no-progress", f->no_progress, "never show the progress bar");
  cmd->add_option("--doc-timeout", f->doc_timeout,
                  "cut off a document still being extracted after this many seconds (0: never)");
  cmd->add_option("--max-doc-mb", f->max_doc_mb, "reject documents larger than this (MiB)");
}

ReadStats RunOrdered(const Pipeline& pipeline, const std::vector<std::string>& inputs,
                     unsigned threads, const std::function<void(const Extraction&)>& on_result,
                     const std::function<void(const ReadError&)>& on_error, const RunFlags& flags,
                     bool quiet) {
  std::atomic<uint64_t> raw_bytes{0};
  Progress::Mode mode = flags.progress ? Progress::Mode::kOn
                        : (flags.no_progress || quiet) ? Progress::Mode::kOff
                                                       : Progress::Mode::kAuto;
  Progress progress(mode, mode == Progress::Mode::kOff ? 0 : InputSize(inputs), &raw_bytes);
  ReadOptions ro;
  ro.raw_bytes_read = &raw_bytes;
  if (flags.max_doc_mb > 0) ro.max_document_bytes = static_cast<size_t>(flags.max_doc_mb * (1 << 20));
  ReadStats stats;
  auto report = [&](const ReadError& e) { progress.WithCleared([&] { on_error(e); }); };
  ingest::RunOptions opt;
  opt.threads = threads;
  opt.doc_timeout_seconds = flags.doc_timeout;
  ingest::RunStats rs = ingest::RunOrderedStream(
      [&](const DocumentSink& sink) { stats = ReadDocuments(inputs, sink, report, ro); },
      [&pipeline](const Document& d) { return pipeline.Extract(d); },
      [&](const Document&, Extraction&& x) { on_result(x); },
      [&](const Document& d, double sec) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.0f", sec);
        report(ReadError{d.source, d.line,
                         "document '" + d.id + "' still running after " + buf +
                             " s; cut off, no output (see --doc-timeout)",
                         "", false});
      },
      opt, [&](uint64_t docs, uint64_t bytes) { progress.Update(docs, bytes); });
  progress.Finish();
  stats.rejected += rs.timed_out;
  stats.documents -= std::min(stats.documents, rs.timed_out);
  if (rs.stuck_workers > 0) {
    // A cut-off extraction is still running and uses the pipeline: do not
    // return into code that would destroy it. Flush and leave.
    std::fflush(stdout);
    std::fprintf(stderr, "sitrep: %llu documents extracted, %llu rejected\n",
                 static_cast<unsigned long long>(rs.documents),
                 static_cast<unsigned long long>(stats.rejected));
    std::fflush(stderr);
    std::_Exit(3);
  }
  return stats;
}

std::vector<std::string> ExtractAll(const Pipeline& pipeline, const std::vector<Document>& docs,
                                    unsigned threads) {
  std::vector<std::string> lines;
  ExtractLines(pipeline, docs, threads, &lines);
  return lines;
}

}  // namespace sitrep::cli
