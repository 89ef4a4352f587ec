// `sitrep bench --store DB [--events N]`: builds a synthetic store through
// Store::Ingest (generated records, no text extraction) when it holds fewer
// than N events, then times aggregations, counts, pages and map points.
#pragma once

#include <cstddef>
#include <string>

namespace sitrep::cli {

struct StoreBenchOptions {
  std::string db;           // SQLite file or postgresql://... URL
  size_t events = 1000000;  // events the store should hold
  size_t batch = 5000;      // documents per Ingest transaction (as `sitrep ingest`)
  int runs = 7;             // timings per query (the median is reported)
};

// Prints the results on stdout; returns the exit status.
int RunStoreBench(const StoreBenchOptions& options);

}  // namespace sitrep::cli
