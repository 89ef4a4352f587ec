// Reading documents from files, directories and stdin: plain text, HTML,
// JSONL, WARC, RSS/Atom, compressed (.gz .zst .bz2 .xz) and archived (tar,
// zip) inputs, all streamed with bounded memory. Bad rows are reported
// (file:line and reason) and skipped; reading goes on.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sitrep/document.h"

namespace sitrep {

struct ReadError {
  std::string source;
  uint64_t line = 0;  // 0 when the error is not tied to a line or record
  std::string reason;
  // What `line` counts: "" for lines (printed "file:12: ..."), "record" for
  // WARC records and feed items (printed "file:record 12: ...").
  std::string unit;
  // A warning reports something odd but the document was still read.
  bool warning = false;
  std::string ToString() const;
};

struct ReadStats {
  uint64_t documents = 0;
  uint64_t rejected = 0;
  uint64_t bytes = 0;     // document text bytes handed on
  uint64_t skipped = 0;   // records that are not documents (WARC requests, images, ...)
};

struct ReadOptions {
  // A document (a JSONL line, a text file, a WARC record, a feed item) above
  // this size is rejected: press releases are kilobytes, and a 100 MB
  // "document" is an error or an attack. Reading it costs time, not memory.
  size_t max_document_bytes = 16u << 20;
  // Compression-bomb caps, per compressed input: reading stops with an error
  // once the decompressed bytes exceed `max_expansion_ratio` times the
  // compressed bytes (checked after the first `ratio_grace_bytes`), or
  // `max_expanded_bytes` in total. What was read before is kept.
  double max_expansion_ratio = 1000;
  uint64_t ratio_grace_bytes = 64u << 20;
  uint64_t max_expanded_bytes = 1ull << 40;
  // When set, incremented with every byte read from files and stdin (before
  // decompression), for progress reporting from another thread.
  std::atomic<uint64_t>* raw_bytes_read = nullptr;
};

// Called for every document in input order; return false to stop reading.
using DocumentSink = std::function<bool(Document&&)>;
using ErrorSink = std::function<void(const ReadError&)>;

// Reads each path ("-" = stdin; directories recursively, in name order).
// The format is chosen by content first and name second:
//  - gzip, zstd, bzip2, xz: decompressed, then read as what they hold;
//  - tar and zip archives: every regular member, in archive order;
//  - JSONL (.jsonl, .ndjson, .json, or first byte '{'): one document per row
//    with "text" and optional "id", "url", "title", "published", "format";
//  - WARC (WARC/1.x): response records carrying HTML become documents with
//    format "html", url from WARC-Target-URI; other records are skipped;
//  - RSS / Atom feeds: one document per item / entry (title, link,
//    pubDate / published -> published);
//  - HTML (.html, .htm, or markup sniffed): one document, format "html";
//  - anything else: one plain-text document.
ReadStats ReadDocuments(const std::vector<std::string>& paths,
                        const DocumentSink& on_document,
                        const ErrorSink& on_error,
                        const ReadOptions& options);
ReadStats ReadDocuments(const std::vector<std::string>& paths,
                        const DocumentSink& on_document,
                        const ErrorSink& on_error);

// Total size in bytes of the files under `paths` (directories recursively;
// stdin counts 0), for progress and ETA.
uint64_t InputSize(const std::vector<std::string>& paths);

}  // namespace sitrep
