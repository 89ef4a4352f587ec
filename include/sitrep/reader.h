// Reading documents from files, directories and stdin. Bad rows are reported
// (file:line and reason) and skipped; reading goes on.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sitrep/document.h"

namespace sitrep {

struct ReadError {
  std::string source;
  uint64_t line = 0;  // 0 when the error is not tied to a line
  std::string reason;
  std::string ToString() const;
};

struct ReadStats {
  uint64_t documents = 0;
  uint64_t rejected = 0;
  uint64_t bytes = 0;
};

// Called for every document in input order; return false to stop reading.
using DocumentSink = std::function<bool(Document&&)>;
using ErrorSink = std::function<void(const ReadError&)>;

// Reads each path ("-" = stdin; directories recursively). JSONL files (.jsonl,
// .ndjson, or any input whose first byte is '{') give one document per row
// with "text" and optional "id", "url", "title", "published"; anything else is
// one plain-text document.
ReadStats ReadDocuments(const std::vector<std::string>& paths,
                        const DocumentSink& on_document,
                        const ErrorSink& on_error);

}  // namespace sitrep
