// JSONL / plain-text reader: ReadDocuments on a file holding the input, named
// .jsonl or .txt (the first byte chooses), so both the JSONL path and the
// plain-text path (with sniffing, NUL and UTF-8 checks) run.
#include <simdjson.h>

#include "fuzz_util.h"
#include "sitrep/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  bool jsonl = (data[0] & 1) != 0;
  std::string path = sitrep::fuzz::WriteScratch(jsonl ? "in.jsonl" : "in.txt", data + 1, size - 1);
  uint64_t docs = 0, errors = 0;
  auto stats = sitrep::ReadDocuments(
      {path},
      [&](sitrep::Document&& d) {
        ++docs;
        FUZZ_CHECK(d.source == path);
        FUZZ_CHECK(!d.id.empty());
        // Invalid UTF-8 bytes become U+FFFD (3 bytes) in plain text.
        FUZZ_CHECK(d.text.size() <= 3 * size);
        FUZZ_CHECK(d.published.size() <= 10);
        // Document text handed to the pipeline is always valid UTF-8.
        FUZZ_CHECK(simdjson::validate_utf8(d.text.data(), d.text.size()));
        if (jsonl) FUZZ_CHECK(d.line >= 1);
        return true;
      },
      [&](const sitrep::ReadError& e) {
        ++errors;
        FUZZ_CHECK(e.source == path);
        FUZZ_CHECK(!e.reason.empty());
        FUZZ_CHECK(!e.ToString().empty());
      });
  FUZZ_CHECK(stats.documents == docs);
  FUZZ_CHECK(stats.rejected == errors);
  return 0;
}
