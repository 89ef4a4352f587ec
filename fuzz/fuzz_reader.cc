// The document reader (ReadDocuments) on a file holding the input, under a
// name chosen by the first byte, so that every ingest path runs: JSONL,
// plain text (NUL and UTF-8 checks), HTML, WARC, RSS/Atom, and the
// decompressors and archive readers (gzip, zstd, bzip2, xz, tar, zip) with
// their compression-bomb caps, nested.
#include <simdjson.h>

#include "fuzz_util.h"
#include "sitrep/reader.h"

namespace {

const char* const kNames[] = {"in.txt",  "in.jsonl",   "in.warc", "in.warc.gz", "in.rss",
                              "in.html", "in.tar",     "in.zip",  "in.gz",      "in.tar.gz",
                              "in.xml",  "in.atom",    "in.zst",  "in.bz2",     "in.xz",
                              "in"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char* name = kNames[data[0] % (sizeof kNames / sizeof kNames[0])];
  std::string path = sitrep::fuzz::WriteScratch(name, data + 1, size - 1);
  sitrep::ReadOptions options;
  // Small caps so that bombs are cut short quickly.
  options.max_document_bytes = 1u << 20;
  options.max_expansion_ratio = 200;
  options.ratio_grace_bytes = 1u << 20;
  options.max_expanded_bytes = 64u << 20;
  uint64_t docs = 0, errors = 0;
  auto stats = sitrep::ReadDocuments(
      {path},
      [&](sitrep::Document&& d) {
        ++docs;
        FUZZ_CHECK(!d.id.empty());
        FUZZ_CHECK(d.text.size() <= options.max_document_bytes * 3);
        FUZZ_CHECK(d.format == "" || d.format == "text" || d.format == "html");
        return true;
      },
      [&](const sitrep::ReadError& e) {
        if (!e.warning) ++errors;
        FUZZ_CHECK(!e.reason.empty());
        FUZZ_CHECK(!e.ToString().empty());
      });
  FUZZ_CHECK(stats.documents == docs);
  FUZZ_CHECK(stats.rejected == errors);
  return 0;
}
