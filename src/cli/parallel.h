// Runs the pipeline over documents on N threads, handing results back in
// input order. Documents are processed in bounded batches, so memory does
// not grow with the input.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sitrep/sitrep.h"

namespace sitrep::cli {

ReadStats RunOrdered(const Pipeline& pipeline, const std::vector<std::string>& inputs,
                     unsigned threads, const std::function<void(const Extraction&)>& on_result,
                     const std::function<void(const ReadError&)>& on_error);

// Extracts every document and returns one JSON line per document, in order.
std::vector<std::string> ExtractAll(const Pipeline& pipeline, const std::vector<Document>& docs,
                                    unsigned threads);

}  // namespace sitrep::cli
