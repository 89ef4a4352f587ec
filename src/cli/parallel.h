// Runs the pipeline over inputs on N threads, handing results back in input
// order: reading, extraction and writing overlap (ingest/stream_runner.h),
// and memory does not grow with the input.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "sitrep/sitrep.h"

namespace sitrep::cli {

// Flags shared by the commands that stream documents (extract, ingest).
struct RunFlags {
  bool progress = false;      // --progress: draw the bar even when not a terminal
  bool no_progress = false;   // --no-progress
  double doc_timeout = 60;    // --doc-timeout SECONDS (0 = none)
  double max_doc_mb = 16;     // --max-doc-mb: larger documents are rejected
};
void AddRunFlags(CLI::App* cmd, RunFlags* flags);

// `quiet` turns the progress bar off unless --progress forces it. A
// document still running after --doc-timeout is cut off with a message on
// stderr (counted as rejected). If a cut-off document never finishes, the
// process prints the summary line and exits with status 3 once everything
// else is written, rather than hang.
ReadStats RunOrdered(const Pipeline& pipeline, const std::vector<std::string>& inputs,
                     unsigned threads, const std::function<void(const Extraction&)>& on_result,
                     const std::function<void(const ReadError&)>& on_error,
                     const RunFlags& flags = RunFlags{}, bool quiet = false);

// Extracts every document and returns one JSON line per document, in order.
std::vector<std::string> ExtractAll(const Pipeline& pipeline, const std::vector<Document>& docs,
                                    unsigned threads);

}  // namespace sitrep::cli
