#include "serve/server.h"

#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <semaphore>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "kb/knowledge_base.h"
#include "serve/api.h"
#include "serve/assets.h"
#include "serve/geo.h"
#include "serve/snapshot.h"
#include "sitrep/pipeline.h"
#include "sitrep/store.h"

namespace sitrep::serve {
namespace {

namespace fs = std::filesystem;

// No inline script or style anywhere: every script is a file of this origin.
// Leaflet positions tiles and markers through the CSSOM (element.style),
// which style-src does not restrict.
constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self';"
    " frame-ancestors 'none'";

std::string MimeOf(const std::string& path) {
  auto ext = fs::path(path).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".geojson") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".map") return "application/json";
  return "application/octet-stream";
}

// A relative path of plain names only: no "..", no hidden files, no odd bytes.
bool SafeRelPath(const std::string& p) {
  if (p.empty() || p.size() > 200 || p[0] == '/') return false;
  size_t start = 0;
  while (start <= p.size()) {
    size_t q = p.find('/', start);
    std::string part = p.substr(start, q == std::string::npos ? std::string::npos : q - start);
    if (part.empty() || part[0] == '.') return false;
    for (char c : part)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'))
        return false;
    if (q == std::string::npos) break;
    start = q + 1;
  }
  return true;
}

bool Slurp(const std::string& path, size_t cap, std::string* out) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec || size > cap) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

class StorePool {
 public:
  StorePool(std::string url, int timeout_ms) : url_(std::move(url)), timeout_ms_(timeout_ms) {}
  std::unique_ptr<Store> Acquire(std::string* error) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        auto s = std::move(free_.back());
        free_.pop_back();
        return s;
      }
    }
    StoreOpenOptions o;
    o.read_only = true;
    o.query_timeout_ms = timeout_ms_;
    return Store::Open(url_, o, error);
  }
  void Release(std::unique_ptr<Store> s) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(s));
  }

 private:
  std::string url_;
  int timeout_ms_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Store>> free_;
};

// Everything a connection may hold while its request line and headers
// arrive, buffers included: MHD answers 414 (request line) or 431 (headers)
// when they do not fit, so a client streaming headers costs this much and
// no more. Room for the dashboard's longest URI (a 2,000-byte claim,
// percent-encoded: up to 6 KB) next to a browser's headers and cookies.
constexpr size_t kConnectionMemory = 32 * 1024;
// Each connection has its own thread; handlers need far less than the 8 MB
// default, and a smaller stack keeps many idle keep-alive connections cheap.
// (Sanitizer builds use more stack, hence the margin.)
constexpr size_t kConnectionStack = 2u << 20;
// A connection with no traffic for this long is closed: slow or stalled
// clients, idle keep-alive connections.
constexpr unsigned kConnectionTimeoutS = 5;
// A body over --max-body whose size was not announced (chunked) is read and
// dropped up to this many bytes so that the client can read the 413; a
// client that keeps sending after that is disconnected.
constexpr size_t kDrainMax = 1u << 20;
// How long Stop() lets requests in progress finish.
constexpr auto kShutdownGrace = std::chrono::seconds(5);

// What the URI log callback hands to the access handler for a request whose
// path holds an encoded NUL: MHD decodes the path into a C string, where
// "/%00/etc/passwd" would read as "/". Only its address is used.
constexpr char kEncodedNul = 0;

bool PathHasEncodedNul(const char* uri) {
  for (const char* p = uri; *p != '\0' && *p != '?'; ++p)
    if (p[0] == '%' && p[1] == '0' && p[2] == '0') return true;
  return false;
}

// One request, from its first call of the access handler to MHD's
// completion notice.
struct Request {
  std::string method, path;
  std::string body;
  size_t dropped = 0;  // body bytes over max_body, read and thrown away
  bool too_big = false;
  int status = 0;      // of the queued response
  size_t bytes = 0;
};

// A response body: bytes the server owns for its lifetime (assets, vendor
// files, boundary layers) or a string shared with the answer cache.
struct Answer {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  const char* cache_control = nullptr;
  const void* data = nullptr;
  size_t size = 0;
  std::shared_ptr<const std::string> owned;
  bool close = false;  // ask the client to close the connection

  static Answer Text(int status, const char* text) {
    Answer a;
    a.status = status;
    a.data = text;
    a.size = std::strlen(text);
    return a;
  }
  static Answer Bytes(const void* data, size_t size, std::string type, const char* cache) {
    Answer a;
    a.content_type = std::move(type);
    a.cache_control = cache;
    a.data = data;
    a.size = size;
    return a;
  }
  static Answer Json(std::shared_ptr<const std::string> body) {
    Answer a;
    a.content_type = "application/json; charset=utf-8";
    a.cache_control = "no-store";
    a.owned = std::move(body);
    return a;
  }
  static Answer Of(Reply r) {
    Answer a;
    a.status = r.status;
    a.content_type = std::move(r.content_type);
    a.cache_control = "no-store";
    a.owned = std::make_shared<const std::string>(std::move(r.body));
    return a;
  }
};

}  // namespace

struct Server::Impl {
  ServeOptions options;
  std::unique_ptr<Api> api;
  std::unique_ptr<StorePool> pool;
  std::unordered_map<std::string, std::string> vendor;  // "/vendor/leaflet/..." -> bytes
  std::string outlines;
  std::unordered_map<std::string, const Asset*> assets;
  int port = -1;
  std::vector<std::string> allowed_hosts;

  // The daemon runs from Bind() until Run() sees Stop() (or the destructor).
  std::mutex run_mu;
  std::condition_variable run_cv;
  MHD_Daemon* daemon = nullptr;
  bool stop_requested = false;
  // At most options.threads requests are handled at once (each may hold a
  // store connection); the others' connection threads wait here.
  std::unique_ptr<std::counting_semaphore<>> workers;
  // Requests handed to the handler and not yet answered in full: shutdown
  // waits for them, not for idle keep-alive connections.
  std::atomic<int> in_progress{0};
  // Set by StopDaemon: requests that arrive on open keep-alive connections
  // meanwhile get a 503 with "Connection: close" instead of extending it.
  std::atomic<bool> draining{false};

  // Answers to GET /api/... for cache_ms, valid while the store's version
  // (Store::Version, moved by every ingest) is the one they were computed at.
  struct Cached {
    std::chrono::steady_clock::time_point at;
    int64_t version = 0;
    std::shared_ptr<const std::string> body;
  };
  std::mutex cache_mu;
  std::unordered_map<std::string, Cached> cache;
  // Identical requests arriving together wait for the first one's answer.
  std::unordered_map<std::string, std::shared_future<Reply>> inflight;

  // The in-memory copy of the merged events, built by `builder` for the
  // latest version requests have seen; until it is there the store answers.
  std::mutex memory_mu;
  std::condition_variable memory_cv;
  std::shared_ptr<const Snapshot> memory;
  int64_t memory_wanted = 0, memory_tried = 0;
  bool stopping = false;
  std::thread builder;

  std::shared_ptr<const Snapshot> Memory(int64_t version) {
    if (options.memory_max == 0) return nullptr;
    std::lock_guard<std::mutex> lock(memory_mu);
    if (memory && memory->version() == version) return memory;
    if (version > memory_wanted) {
      memory_wanted = version;
      memory_cv.notify_one();
    }
    return nullptr;
  }

  void BuildMemory() {
    std::unique_lock<std::mutex> lock(memory_mu);
    for (;;) {
      memory_cv.wait(lock, [&] { return stopping || memory_wanted > memory_tried; });
      if (stopping) return;
      memory_tried = memory_wanted;
      lock.unlock();
      std::shared_ptr<const Snapshot> built;
      try {
        // No statement time cap: loading a large store takes a while, and
        // requests are answered by the store meanwhile.
        StoreOpenOptions o;
        o.read_only = true;
        std::string error;
        auto store = Store::Open(options.db, o, &error);
        if (store) {
          // The version first: data read after it is at least that new.
          int64_t version = store->Version();
          if (store->Stats().clusters <= static_cast<int64_t>(options.memory_max))
            built = std::make_shared<const Snapshot>(version, store->AllClusters());
        }
      } catch (const std::exception& e) {
        if (!options.quiet) std::fprintf(stderr, "sitrep serve: in-memory copy: %s\n", e.what());
      }
      lock.lock();
      if (built && (!memory || built->version() >= memory->version())) memory = built;
      // Requests that asked for this version meanwhile need no second build.
      if (built) memory_tried = std::max(memory_tried, built->version());
    }
  }

  void StopBuilder() {
    {
      std::lock_guard<std::mutex> lock(memory_mu);
      stopping = true;
    }
    memory_cv.notify_all();
    if (builder.joinable()) builder.join();
  }

  // Stops accepting, lets requests in progress finish (up to kShutdownGrace),
  // then closes every connection and joins MHD's threads.
  void StopDaemon() {
    std::lock_guard<std::mutex> lock(run_mu);
    if (!daemon) return;
    draining = true;
    // The quiesced socket stays open until MHD_stop_daemon: libmicrohttpd's
    // threads may still poll it, and closing it earlier would let its number
    // be reused by a file a handler opens during the grace period.
    MHD_socket listener = MHD_quiesce_daemon(daemon);
    auto deadline = std::chrono::steady_clock::now() + kShutdownGrace;
    while (in_progress.load() > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    MHD_stop_daemon(daemon);
    daemon = nullptr;
    if (listener != MHD_INVALID_SOCKET) ::close(listener);
  }

  Answer Static(const std::string& path) {
    std::string p = path == "/" ? "/index.html" : path;
    if (!options.web_dir.empty()) {
      std::string body;
      if (SafeRelPath(p.substr(1)) && Slurp(options.web_dir + p, 4u << 20, &body)) {
        Answer a;
        a.content_type = MimeOf(p);
        a.cache_control = "no-cache";
        a.owned = std::make_shared<const std::string>(std::move(body));
        return a;
      }
    } else if (auto it = assets.find(p); it != assets.end()) {
      return Answer::Bytes(it->second->data, it->second->size, MimeOf(p), "no-cache");
    }
    if (auto it = vendor.find(p); it != vendor.end())
      return Answer::Bytes(it->second.data(), it->second.size(), MimeOf(p), "max-age=86400");
    const std::string kBoundary = "/geo/boundaries/";
    if (p.rfind(kBoundary, 0) == 0) {
      std::string n = p.substr(kBoundary.size());
      const auto& layers = api->layers();
      for (size_t i = 0; i < layers.size(); ++i)
        if (n == std::to_string(i) + ".geojson")
          return Answer::Bytes(layers[i].bytes.data(), layers[i].bytes.size(), "application/json",
                               "max-age=3600");
    }
    if (p == "/geo/outlines.json" && !outlines.empty())
      return Answer::Bytes(outlines.data(), outlines.size(), "application/json", "max-age=86400");
    return Answer::Text(404, "not found\n");
  }

  Answer ApiCall(MHD_Connection* connection, const Request& req) {
    Params params;
    MHD_get_connection_values_n(
        connection, MHD_GET_ARGUMENT_KIND,
        [](void* cls, MHD_ValueKind, const char* key, size_t key_size, const char* value,
           size_t value_size) {
          static_cast<Params*>(cls)->emplace(std::string(key, key_size),
                                             value ? std::string(value, value_size) : std::string());
          return MHD_YES;
        },
        &params);
    std::string error;
    auto store = pool->Acquire(&error);
    if (!store) return Answer::Of(ErrorReply(503, "store unavailable"));
    int64_t version = 0;
    try {
      version = store->Version();
    } catch (const std::exception&) {
      pool->Release(std::move(store));
      return Answer::Of(ErrorReply(503, "store unavailable"));
    }
    std::string key;
    auto now = std::chrono::steady_clock::now();
    if (options.cache_ms > 0 && req.method != "POST") {
      // Length-prefixed parts: with bare separators a value holding them
      // ("a=1%1Fprovince%1EKunduz") got the key of another request and its
      // cached answer.
      key = std::to_string(req.path.size()) + ":" + req.path;
      for (const auto& [k, v] : params)  // multimap: sorted
        key += std::to_string(k.size()) + ":" + k + std::to_string(v.size()) + ":" + v;
      std::lock_guard<std::mutex> lock(cache_mu);
      auto it = cache.find(key);
      if (it != cache.end() && it->second.version == version &&
          now - it->second.at < std::chrono::milliseconds(options.cache_ms)) {
        pool->Release(std::move(store));
        return Answer::Json(it->second.body);
      }
    }
    std::string flight = key + "\x1d" + std::to_string(version);
    std::promise<Reply> promise;
    if (!key.empty()) {
      std::unique_lock<std::mutex> lock(cache_mu);
      auto it = inflight.find(flight);
      if (it != inflight.end()) {
        auto f = it->second;
        lock.unlock();
        pool->Release(std::move(store));
        return Answer::Of(f.get());
      }
      inflight.emplace(flight, promise.get_future().share());
    }
    Reply r;
    try {
      auto mem = Memory(version);
      r = api->Handle(*store, req.method, req.path, params, req.body, mem.get());
    } catch (...) {
      r = ErrorReply(500, "internal error");
    }
    pool->Release(std::move(store));
    if (!key.empty()) {
      std::lock_guard<std::mutex> lock(cache_mu);
      promise.set_value(r);
      inflight.erase(flight);
      if (r.status == 200) {
        if (cache.size() >= 4096) cache.clear();
        Answer a = Answer::Of(std::move(r));
        cache[key] = Cached{now, version, a.owned};
        return a;
      }
    }
    return Answer::Of(std::move(r));
  }

  // Checks that need no body: the method, the Host header, an announced
  // body size. Returns false with `out` set to refuse the request.
  bool Admit(MHD_Connection* connection, const Request& req, Answer* out) {
    if (req.method != "GET" && req.method != "HEAD" && req.method != "POST") {
      *out = Answer::Text(405, "method not allowed\n");
      return false;
    }
    // A page on another origin must not reach us through a DNS name that
    // resolves to 127.0.0.1: the Host header must name this server.
    if (!allowed_hosts.empty()) {
      const char* host = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_HOST);
      bool ok = false;
      for (const auto& h : allowed_hosts) ok = ok || (host && h == host);
      if (!ok) {
        *out = Answer::Text(421, "unexpected Host header\n");
        return false;
      }
    }
    if (const char* length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                                         MHD_HTTP_HEADER_CONTENT_LENGTH)) {
      uint64_t n = 0;
      auto [end, ec] = std::from_chars(length, length + std::strlen(length), n);
      if (ec != std::errc() || n > options.max_body) {
        *out = Answer::Of(ErrorReply(413, "request body too large"));
        return false;
      }
    }
    return true;
  }

  Answer Route(MHD_Connection* connection, const Request& req) {
    if (req.too_big) return Answer::Of(ErrorReply(413, "request body too large"));
    bool api_path = req.path.rfind("/api/", 0) == 0;
    if (req.method == "POST") {
      if (req.path == "/api/claims/check") return ApiCall(connection, req);
      return Answer::Text(404, "not found\n");
    }
    return api_path ? ApiCall(connection, req) : Static(req.path);
  }

  MHD_Result Send(MHD_Connection* connection, Request* req, Answer a) {
    MHD_Response* response = nullptr;
    size_t size = a.owned ? a.owned->size() : a.size;
    if (a.owned) {
      auto* keep = new std::shared_ptr<const std::string>(std::move(a.owned));
      response = MHD_create_response_from_buffer_with_free_callback_cls(
          (*keep)->size(), const_cast<char*>((*keep)->data()),
          [](void* cls) { delete static_cast<std::shared_ptr<const std::string>*>(cls); }, keep);
      if (!response) delete keep;
    } else {
      response = MHD_create_response_from_buffer(a.size, const_cast<void*>(a.data),
                                                 MHD_RESPMEM_PERSISTENT);
    }
    if (!response) return MHD_NO;
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, a.content_type.c_str());
    if (a.cache_control) MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL, a.cache_control);
    if (a.close) MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
    MHD_add_response_header(response, "Content-Security-Policy", kCsp);
    MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(response, "X-Frame-Options", "DENY");
    MHD_add_response_header(response, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(response, "Cross-Origin-Resource-Policy", "same-origin");
    req->status = a.status;
    req->bytes = size;
    MHD_Result ok = MHD_queue_response(connection, static_cast<unsigned>(a.status), response);
    MHD_destroy_response(response);
    return ok;
  }

  // MHD's access handler: called once the headers are in (request state is
  // created and the request admitted or refused), once per piece of body,
  // and once more when the request is complete (the answer).
  MHD_Result Handle(MHD_Connection* connection, const char* url, const char* method,
                    const char* upload_data, size_t* upload_size, void** state) {
    auto* req = static_cast<Request*>(*state);
    if (*state == nullptr || *state == &kEncodedNul) {
      bool encoded_nul = *state == &kEncodedNul;
      req = new Request;
      *state = req;
      ++in_progress;
      req->method = method;
      req->path = url;
      if (encoded_nul) return Send(connection, req, Answer::Text(404, "not found\n"));
      if (draining) {
        Answer a = Answer::Of(ErrorReply(503, "shutting down"));
        a.close = true;
        return Send(connection, req, std::move(a));
      }
      Answer refusal;
      if (!Admit(connection, *req, &refusal)) return Send(connection, req, std::move(refusal));
      return MHD_YES;
    }
    if (*upload_size > 0) {
      if (!req->too_big && req->body.size() + *upload_size <= options.max_body) {
        req->body.append(upload_data, *upload_size);
      } else {
        req->too_big = true;
        req->body.clear();
        req->dropped += *upload_size;
        if (req->dropped > kDrainMax) return MHD_NO;
      }
      *upload_size = 0;
      return MHD_YES;
    }
    Answer a;
    try {
      workers->acquire();
      struct Release {
        std::counting_semaphore<>* s;
        ~Release() { s->release(); }
      } release{workers.get()};
      a = Route(connection, *req);
    } catch (...) {
      a = Answer::Of(ErrorReply(500, "internal error"));
    }
    return Send(connection, req, std::move(a));
  }

  void Completed(void* state) {
    if (!state || state == &kEncodedNul) return;
    auto* req = static_cast<Request*>(state);
    if (!options.quiet && req->status != 0)
      std::fprintf(stderr, "%s %s %d %zu\n", req->method.c_str(), req->path.c_str(), req->status,
                   req->bytes);
    delete req;
    --in_progress;
  }
};

namespace {

void* LogUri(void*, const char* uri, MHD_Connection*) {
  return PathHasEncodedNul(uri) ? const_cast<char*>(&kEncodedNul) : nullptr;
}

MHD_Result OnRequest(void* cls, MHD_Connection* connection, const char* url, const char* method,
                     const char*, const char* upload_data, size_t* upload_size, void** state) {
  try {
    return static_cast<Server::Impl*>(cls)->Handle(connection, url, method, upload_data,
                                                   upload_size, state);
  } catch (...) {
    return MHD_NO;  // out of memory: drop the connection
  }
}

void OnCompleted(void* cls, MHD_Connection*, void** state, MHD_RequestTerminationCode) {
  static_cast<Server::Impl*>(cls)->Completed(*state);
  *state = nullptr;
}

}  // namespace

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() {
  Stop();
  impl_->StopDaemon();
  impl_->StopBuilder();
}

std::unique_ptr<Server> Server::Create(const ServeOptions& options, std::string* error) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (impl->options.max_page == 0) impl->options.max_page = 1;
  if (impl->options.threads < 1) impl->options.threads = 1;
  if (impl->options.max_connections < 1) impl->options.max_connections = 1;
  impl->workers = std::make_unique<std::counting_semaphore<>>(impl->options.threads);
  // The store must exist and carry the schema: check once, read-only.
  {
    StoreOpenOptions o;
    o.read_only = true;
    std::string err;
    if (!Store::Open(options.db, o, &err)) {
      *error = "cannot open store " + options.db + ": " + err;
      return nullptr;
    }
  }
  impl->pool = std::make_unique<StorePool>(options.db, options.query_timeout_ms);
  PipelineOptions po;
  po.profile = Profile::kFull;
  po.kb_dir = options.kb_dir;
  std::string err;
  std::shared_ptr<const Pipeline> pipeline = Pipeline::Create(po, &err);
  if (!pipeline) {
    *error = err;
    return nullptr;
  }
  std::vector<BoundaryLayer> layers;
  for (const auto& b : options.boundaries) {
    BoundaryLayer l;
    if (!LoadBoundaryLayer(b, pipeline->kb(), &l, &err)) {
      *error = err;
      return nullptr;
    }
    layers.push_back(std::move(l));
  }
  std::string outlines = FindOutlines(options.outlines);
  if (!outlines.empty() && !Slurp(outlines, 32u << 20, &impl->outlines)) {
    *error = outlines + ": cannot read";
    return nullptr;
  }
  if (!options.outlines.empty() && outlines.empty()) {
    *error = options.outlines + ": no such file";
    return nullptr;
  }
  std::string leaflet = options.leaflet_dir.empty() ? SITREP_LEAFLET_DIR : options.leaflet_dir;
  for (const char* f : {"leaflet.js", "leaflet.css", "images/marker-icon.png",
                        "images/marker-icon-2x.png", "images/marker-shadow.png",
                        "images/layers.png", "images/layers-2x.png"}) {
    std::string bytes;
    if (Slurp(leaflet + "/" + f, 4u << 20, &bytes))
      impl->vendor["/vendor/leaflet/" + std::string(f)] = std::move(bytes);
  }
  if (!impl->vendor.count("/vendor/leaflet/leaflet.js") && !options.quiet)
    std::fprintf(stderr,
                 "sitrep serve: warning: no Leaflet in %s (apt-get install libjs-leaflet): the "
                 "map is disabled\n",
                 leaflet.c_str());
  for (const auto& a : EmbeddedAssets()) impl->assets[a.path] = &a;
  impl->api = std::make_unique<Api>(impl->options, pipeline, std::move(layers),
                                    !impl->outlines.empty());
  if (impl->options.memory_max > 0) {
    Impl* self = impl.get();
    impl->builder = std::thread([self] { self->BuildMemory(); });
    // Build the copy now rather than on the first request: until it is there
    // every request is answered by SQL, and the first seconds after start-up
    // had a p99 of 0.4 s on 100,000 events (13 ms once the copy is there).
    {
      std::lock_guard<std::mutex> lock(impl->memory_mu);
      impl->memory_wanted = std::max<int64_t>(impl->memory_wanted, 1);
    }
    impl->memory_cv.notify_one();
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::Bind(std::string* error) {
  auto& o = impl_->options;
  std::lock_guard<std::mutex> lock(impl_->run_mu);
  if (impl_->daemon) {
    *error = "already listening";
    return -1;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string port = std::to_string(o.port);
  int rc = ::getaddrinfo(o.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0 || !found) {
    *error = "cannot resolve " + o.host + ": " + ::gai_strerror(rc);
    return -1;
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  // Our own listening socket: SO_REUSEADDR so that a restart is not refused
  // while the last run's connections are in TIME_WAIT, which libmicrohttpd
  // offers only together with SO_REUSEPORT (a second server on the port).
  int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd < 0 || ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      ::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
    const int reason = errno;  // before any allocation below can change it
    *error = "cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + std::strerror(reason);
    if (fd >= 0) ::close(fd);
    return -1;
  }
  sockaddr_storage local{};
  socklen_t local_size = sizeof local;
  int bound = 0;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) == 0)
    bound = ntohs(local.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&local)->sin6_port
                                              : reinterpret_cast<sockaddr_in*>(&local)->sin_port);
  if (bound <= 0) {
    *error = "cannot listen on " + o.host + ":" + std::to_string(o.port) + ": no port";
    ::close(fd);
    return -1;
  }
  // Set before the daemon starts: its connection threads read these without
  // a lock, and an empty list would skip the Host check.
  impl_->port = bound;
  if (IsLoopback(o.host)) {
    std::string p = ":" + std::to_string(bound);
    impl_->allowed_hosts = {"127.0.0.1" + p, "localhost" + p, "[::1]" + p};
    if (o.host.rfind("127.", 0) == 0 && o.host != "127.0.0.1") impl_->allowed_hosts.push_back(o.host + p);
  }
  // A thread per connection rather than a pool of epoll threads: handlers
  // block (SQL, JSON building) for milliseconds, and in a pool every request
  // on a thread waits for the one being handled there (libmicrohttpd may
  // accept several connections in a row on the thread that woke first).
  // `workers` bounds the handlers running at once, as the pool size would.
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL |
                   MHD_USE_ITC;
  if (found->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
  unsigned connections = static_cast<unsigned>(o.max_connections);
  // Bound to loopback every client has the same address; elsewhere one
  // address may hold a quarter of the connections.
  unsigned per_address = IsLoopback(o.host) ? 0 : std::max(1u, connections / 4);
  impl_->daemon = MHD_start_daemon(
      flags, 0, nullptr, nullptr, &OnRequest, impl_.get(),
      MHD_OPTION_LISTEN_SOCKET, static_cast<MHD_socket>(fd),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, kConnectionMemory,
      MHD_OPTION_CONNECTION_TIMEOUT, kConnectionTimeoutS,
      MHD_OPTION_CONNECTION_LIMIT, connections,
      MHD_OPTION_THREAD_STACK_SIZE, kConnectionStack,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_address,
      MHD_OPTION_URI_LOG_CALLBACK, &LogUri, nullptr,
      MHD_OPTION_NOTIFY_COMPLETED, &OnCompleted, impl_.get(),
      MHD_OPTION_END);
  if (!impl_->daemon) {
    // libmicrohttpd closes `fd` on some failures and not on others; a second
    // close could hit a descriptor another thread has opened since, so it is
    // left open (once, on a path that ends the server).
    *error = "cannot serve on " + o.host + ":" + std::to_string(o.port);
    return -1;
  }
  return bound;
}

bool Server::Run() {
  {
    std::unique_lock<std::mutex> lock(impl_->run_mu);
    if (!impl_->daemon) return false;
    impl_->run_cv.wait(lock, [&] { return impl_->stop_requested; });
  }
  impl_->StopDaemon();
  return true;
}

void Server::Stop() {
  if (!impl_) return;
  {
    std::lock_guard<std::mutex> lock(impl_->run_mu);
    impl_->stop_requested = true;
  }
  impl_->run_cv.notify_all();
}

int RunServe(const ServeOptions& options) {
  // SIGINT/SIGTERM are taken by a thread that stops the server.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::string error;
  auto server = Server::Create(options, &error);
  if (!server) {
    std::fprintf(stderr, "sitrep serve: %s\n", error.c_str());
    return 1;
  }
  int port = server->Bind(&error);
  if (port < 0) {
    std::fprintf(stderr, "sitrep serve: %s\n", error.c_str());
    return 1;
  }
  std::string shown = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  std::printf("sitrep serve: http://%s:%d/ (store %s; Ctrl-C stops)\n", shown.c_str(), port,
              options.db.c_str());
  std::fflush(stdout);
  std::atomic<bool> done{false};
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&set, &sig);
    if (!done) server->Stop();
  });
  bool ok = server->Run();
  done = true;
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return ok ? 0 : 1;
}

}  // namespace sitrep::serve
