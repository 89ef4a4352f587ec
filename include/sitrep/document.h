// A document as read from any input: a press release, a news page, a JSONL row.
#pragma once

#include <cstdint>
#include <string>

namespace sitrep {

struct Document {
  std::string id;         // row id, file name, or WARC record id
  std::string url;        // where it came from, when known
  std::string title;      // page or release title, when known
  std::string published;  // YYYY-MM-DD publication date, when known
  std::string text;       // the body text; evidence offsets index into it
  std::string format;     // "text" (default) or "html": how `text` is encoded
  std::string source;     // file the document was read from ("-" for stdin)
  uint64_t line = 0;      // 1-based line in `source` (JSONL rows), 0 otherwise
};

}  // namespace sitrep
