// The extraction pipeline: compile the knowledge base once, then extract from
// any number of documents, from any number of threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sitrep/document.h"
#include "sitrep/record.h"

namespace sitrep {

enum class Profile { kFull, kIsaf };

// Parses "full" / "isaf"; returns false on anything else.
bool ParseProfile(const std::string& name, Profile* out);

struct PipelineOptions {
  Profile profile = Profile::kFull;
  // Directory holding the knowledge base (data/kb). Empty: $SITREP_DATA, then
  // the source tree's data/kb, then the installed share/sitrep/kb.
  std::string kb_dir;
  // Extra TSV files in the knowledge-base format that add or override entries.
  std::vector<std::string> kb_overlays;
  // Publication date (YYYY-MM-DD) used when a document carries none.
  std::string default_published;
  // Fill Extraction::explain with how each incident was read (for people
  // checking a result; costs time).
  bool explain = false;
};

class KnowledgeBase;

class Pipeline {
 public:
  // Returns nullptr and sets *error when the knowledge base cannot be loaded.
  static std::unique_ptr<Pipeline> Create(const PipelineOptions& options,
                                          std::string* error);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Thread-safe: the pipeline is immutable after Create().
  Extraction Extract(const Document& doc) const;

  const PipelineOptions& options() const { return options_; }
  const KnowledgeBase& kb() const { return *kb_; }

 private:
  Pipeline(PipelineOptions options, std::shared_ptr<const KnowledgeBase> kb);
  PipelineOptions options_;
  std::shared_ptr<const KnowledgeBase> kb_;
};

// Serialises one extraction as a single JSON line (no trailing newline):
// full -> {"id","events","claims","relations"}; isaf -> {"id","event"}.
std::string ToJsonLine(const Extraction& x, Profile profile);

}  // namespace sitrep
