// The dashboard's JSON API, independent of HTTP: a request (path, query
// parameters, body) in, a reply out. server.cc routes HTTP to it.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "serve/geo.h"
#include "serve/server.h"
#include "serve/snapshot.h"
#include "sitrep/pipeline.h"
#include "sitrep/store.h"

namespace sitrep::serve {

using Params = std::multimap<std::string, std::string>;

struct Reply {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
};

class Api {
 public:
  Api(const ServeOptions& options, std::shared_ptr<const Pipeline> pipeline,
      std::vector<BoundaryLayer> layers, bool have_outlines);

  // GET /api/... (and POST /api/claims/check). `path` starts with "/api/".
  // `memory`, when given, holds the store's current version and answers the
  // filters it handles (pages, counts, aggregates, points).
  Reply Handle(Store& store, const std::string& method, const std::string& path,
               const Params& params, const std::string& body,
               const Snapshot* memory = nullptr) const;

  const std::vector<BoundaryLayer>& layers() const { return layers_; }

 private:
  Reply Meta(Store& store, const Snapshot* memory) const;
  Reply Events(Store& store, const Snapshot* memory, const Params& p) const;
  Reply EventSources(Store& store, const std::string& id) const;
  Reply AggregateReply(Store& store, const Snapshot* memory, const Params& p) const;
  Reply PointsReply(Store& store, const Snapshot* memory, const Params& p) const;
  Reply Doc(Store& store, const std::string& id) const;
  Reply ClaimCheck(Store& store, const std::string& text) const;
  Reply ClaimList(Store& store) const;
  Reply Groups(Store& store) const;
  std::string GroupName(const std::string& id) const;

  ServeOptions options_;
  std::shared_ptr<const Pipeline> pipeline_;
  std::vector<BoundaryLayer> layers_;
  bool have_outlines_ = false;
};

// Error reply {"error": message}.
Reply ErrorReply(int status, const std::string& message);

// The UTF-16 code-unit offsets (what JavaScript strings index) of the given
// byte offsets into UTF-8 text `s`, for evidence highlighting in the browser.
// An invalid byte counts as one unit (it is sent as U+FFFD).
std::vector<uint32_t> Utf16Offsets(const std::string& s, const std::vector<uint32_t>& bytes);

}  // namespace sitrep::serve
