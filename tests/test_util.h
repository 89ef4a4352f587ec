// Helpers shared by the tests: the bundled knowledge base, the shared data
// set when present, running the sitrep binary.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "kb/knowledge_base.h"
#include "sitrep/sitrep.h"

namespace sitrep::testing {

inline const KnowledgeBase& Kb() {
  static std::unique_ptr<KnowledgeBase> kb = [] {
    std::string error;
    auto k = KnowledgeBase::Load(SITREP_KB_DIR, {}, &error);
    if (!k) ADD_FAILURE() << error;
    return k;
  }();
  return *kb;
}

inline const Pipeline& IsafPipeline() {
  static std::unique_ptr<Pipeline> p = [] {
    PipelineOptions o;
    o.profile = Profile::kIsaf;
    o.kb_dir = SITREP_KB_DIR;
    std::string error;
    auto q = Pipeline::Create(o, &error);
    if (!q) ADD_FAILURE() << error;
    return q;
  }();
  return *p;
}

inline const Pipeline& FullPipeline() {
  static std::unique_ptr<Pipeline> p = [] {
    PipelineOptions o;
    o.profile = Profile::kFull;
    o.kb_dir = SITREP_KB_DIR;
    std::string error;
    auto q = Pipeline::Create(o, &error);
    if (!q) ADD_FAILURE() << error;
    return q;
  }();
  return *p;
}

inline IsafRecord Isaf(const std::string& text) {
  Document d;
  d.id = "t";
  d.text = text;
  auto x = IsafPipeline().Extract(d);
  return x.isaf.value_or(IsafRecord{});
}

inline std::string SharedDir() { return SITREP_SHARED_DIR; }
inline bool HaveShared(const std::string& rel) {
  return std::filesystem::exists(std::filesystem::path(SharedDir()) / rel);
}

struct RunResult {
  int status = -1;
  std::string out;
};

// Runs a shell command, capturing stdout (stderr too when `merge`).
inline RunResult RunCommand(const std::string& cmd, bool merge = false) {
  RunResult r;
  std::string full = cmd + (merge ? " 2>&1" : "");
  FILE* p = popen(full.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline std::string Binary() { return SITREP_BINARY; }

// A path in this test process's own scratch directory, removed when the
// process exits so that repeated runs do not fill /tmp.
inline std::string TempPath(const std::string& name) {
  struct ScratchDir {
    std::filesystem::path path;
    ~ScratchDir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  };
  static const ScratchDir dir{std::filesystem::temp_directory_path() /
                              ("sitrep-test-" + std::to_string(::getpid()))};
  std::filesystem::create_directories(dir.path);
  return (dir.path / name).string();
}

}  // namespace sitrep::testing
