// Runs extraction over a stream of documents on N threads and hands results
// back in input order, with reading, extraction and writing overlapping:
//
//   producer thread        N worker threads           calling thread
//   read -> batches  ->  claim one document at a  ->  results in input order
//   (bounded window)     time from the oldest batch   (on_result, progress)
//
// Memory is bounded by the window (a number of batches' worth of documents
// and bytes in flight), not the input size.
// A document still running after `doc_timeout_seconds` is cut off: its
// result is dropped, `on_timeout` is told, output goes on, and a fresh worker
// replaces the busy one (extraction cannot be interrupted safely, so the old
// worker finishes in the background and its late result is discarded).
#pragma once

#include <cstdint>
#include <functional>

#include "sitrep/document.h"
#include "sitrep/reader.h"
#include "sitrep/record.h"

namespace sitrep::ingest {

struct RunOptions {
  unsigned threads = 1;
  double doc_timeout_seconds = 60;  // <= 0: no limit
  size_t batch_docs = 64;            // a batch closes at this many documents
  size_t batch_bytes = 1u << 20;     // ... or this many text bytes
  size_t window_batches = 0;         // batches' worth in flight; 0 = 4 * threads + 2
};

struct RunStats {
  uint64_t documents = 0;  // results handed to on_result
  uint64_t timed_out = 0;
  uint64_t bytes = 0;      // text bytes of the documents handed on
  // Workers that were cut off and had not finished when the run ended. They
  // are detached: the caller must keep what `extract` refers to alive, or
  // end the process (the CLI flushes and exits).
  unsigned stuck_workers = 0;
};

// Produces documents in order into the sink; must stop when it returns false.
using ProduceFn = std::function<void(const DocumentSink&)>;
using ExtractFn = std::function<Extraction(const Document&)>;
using ResultFn = std::function<void(const Document&, Extraction&&)>;
using TimeoutFn = std::function<void(const Document&, double seconds)>;
// Called on the calling thread now and then (at least every 200 ms while
// waiting) with the documents and text bytes done so far.
using TickFn = std::function<void(uint64_t documents, uint64_t bytes)>;

RunStats RunOrderedStream(const ProduceFn& produce, ExtractFn extract, const ResultFn& on_result,
                          const TimeoutFn& on_timeout, const RunOptions& options,
                          const TickFn& tick = {});

}  // namespace sitrep::ingest
