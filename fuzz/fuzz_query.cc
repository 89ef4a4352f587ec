// The dashboard API behind `sitrep serve`: a raw query string, split into
// parameters the way libmicrohttpd splits GET arguments for the server, then
// turned into store filters, SQL parameters and JSON replies for one of the
// endpoints, over a small SQLite store. Every reply must be a sane HTTP
// status, and a JSON reply must parse.
#include <microhttpd.h>
#include <simdjson.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "fuzz_util.h"
#include "serve/api.h"
#include "sitrep/sitrep.h"
#include "sitrep/store.h"

namespace {

struct World {
  std::shared_ptr<const sitrep::Pipeline> pipeline;
  std::unique_ptr<sitrep::Store> store;
  std::unique_ptr<sitrep::serve::Api> api;
};

// Written for this harness: two releases and a page with a claim.
const char* const kDocs[][3] = {
    {"r1", "2011-05-10",
     "KABUL, Afghanistan (May 10, 2011)\nA combined force captured an IMU facilitator and two "
     "suspected insurgents in Imam Sahib district, Kunduz province, today."},
    {"r2", "2011-04-02",
     "KABUL, Afghanistan (April 2, 2011)\nCoalition aircraft struck a Taliban position in Sangin "
     "district, Helmand province, yesterday, killing three fighters."},
    {"p1", "2011-05-12",
     "Since Jan. 29 there were 16 operations aimed at IMU commanders across seven provinces; "
     "nine took place in April."},
};

World* GetWorld() {
  static World* world = [] {
    auto* w = new World;
    sitrep::PipelineOptions o;
    o.profile = sitrep::Profile::kFull;
    o.kb_dir = SITREP_FUZZ_KB_DIR;
    std::string error;
    w->pipeline = sitrep::Pipeline::Create(o, &error);
    if (!w->pipeline) {
      std::fprintf(stderr, "fuzz_query: %s\n", error.c_str());
      std::abort();
    }
    w->store = sitrep::Store::Open((sitrep::fuzz::ScratchDir() / "events.db").string(), &error);
    if (!w->store) {
      std::fprintf(stderr, "fuzz_query: %s\n", error.c_str());
      std::abort();
    }
    std::vector<std::pair<sitrep::Document, sitrep::Extraction>> batch;
    for (const auto& d : kDocs) {
      sitrep::Document doc;
      doc.id = d[0];
      doc.published = d[1];
      doc.text = d[2];
      batch.emplace_back(doc, w->pipeline->Extract(doc));
    }
    w->store->Ingest(batch);
    sitrep::serve::ServeOptions so;
    so.kb_dir = SITREP_FUZZ_KB_DIR;
    so.max_page = 50;
    w->api = std::make_unique<sitrep::serve::Api>(so, w->pipeline,
                                                  std::vector<sitrep::serve::BoundaryLayer>{}, false);
    return w;
  }();
  return world;
}

const char* const kPaths[] = {"/api/events",         "/api/aggregate", "/api/points",
                              "/api/meta",           "/api/groups",    "/api/claims",
                              "/api/claims/check",   "/api/docs/r1",   "/api/events/1",
                              "/api/nowhere"};

// What libmicrohttpd 0.9.75 makes of a query string (MHD_parse_arguments_,
// which it does not export): pieces between '&', the key up to the first
// '=', '+' as a space, then %XX decoded by MHD_http_unescape (the server's
// unescaper) with the decoded length kept, so a %00 stays in the value. A
// key without '=' has no value, which the server reads as "".
sitrep::serve::Params ParseLikeMicrohttpd(const std::string& query) {
  sitrep::serve::Params params;
  auto decode = [](std::string s) {
    std::replace(s.begin(), s.end(), '+', ' ');
    std::vector<char> buf(s.begin(), s.end());
    buf.push_back('\0');
    return std::string(buf.data(), MHD_http_unescape(buf.data()));
  };
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string piece = query.substr(start, end - start);
    start = end + 1;
    // MHD reads C strings: nothing after a raw NUL reaches it.
    piece = piece.substr(0, piece.find('\0'));
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    if (eq == std::string::npos)
      params.emplace(decode(piece), "");
    else
      params.emplace(decode(piece.substr(0, eq)), decode(piece.substr(eq + 1)));
  }
  return params;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  GetWorld();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::Bytes in(data, size);
  uint8_t pick = in.Byte();
  std::string query(in.Rest());
  std::string path = kPaths[pick % (sizeof kPaths / sizeof kPaths[0])];
  // Paths with an id take the id from the input too ("/api/docs/<id>").
  if ((pick & 0x80) && (path == "/api/docs/r1" || path == "/api/events/1")) {
    path = path.substr(0, path.rfind('/') + 1) + query.substr(0, 64);
  }
  sitrep::serve::Params params = ParseLikeMicrohttpd(query);
  World* w = GetWorld();
  std::string method = (pick & 0x40) ? "POST" : "GET";
  sitrep::serve::Reply r = w->api->Handle(*w->store, method, path, params, query);
  FUZZ_CHECK(r.status >= 200 && r.status < 600);
  if (r.content_type.rfind("application/json", 0) == 0) {
    static simdjson::dom::parser parser;
    simdjson::dom::element e;
    auto err = parser.parse(r.body).get(e);
    if (err) std::fprintf(stderr, "bad JSON reply for %s?%s\n%s\n", path.c_str(), query.c_str(),
                          r.body.c_str());
    FUZZ_CHECK(!err);
  }
  return 0;
}
