#include "serve/server.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
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

}  // namespace

struct Server::Impl {
  ServeOptions options;
  std::unique_ptr<Api> api;
  std::unique_ptr<StorePool> pool;
  std::unordered_map<std::string, std::string> vendor;  // "/vendor/leaflet/..." -> bytes
  std::string outlines;
  std::unordered_map<std::string, const Asset*> assets;
  httplib::Server http;
  int port = -1;
  std::vector<std::string> allowed_hosts;

  // Answers to GET /api/... for cache_ms, valid while the store's version
  // (Store::Version, moved by every ingest) is the one they were computed at.
  struct Cached {
    std::chrono::steady_clock::time_point at;
    int64_t version = 0;
    std::string body;
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

  void Static(const std::string& path, httplib::Response& res) {
    std::string p = path == "/" ? "/index.html" : path;
    if (!options.web_dir.empty()) {
      std::string body;
      if (SafeRelPath(p.substr(1)) && Slurp(options.web_dir + p, 4u << 20, &body)) {
        res.set_content(body, MimeOf(p).c_str());
        res.set_header("Cache-Control", "no-cache");
        return;
      }
    } else if (auto it = assets.find(p); it != assets.end()) {
      res.set_content(reinterpret_cast<const char*>(it->second->data), it->second->size,
                      MimeOf(p).c_str());
      res.set_header("Cache-Control", "no-cache");
      return;
    }
    if (auto it = vendor.find(p); it != vendor.end()) {
      res.set_content(it->second, MimeOf(p).c_str());
      res.set_header("Cache-Control", "max-age=86400");
      return;
    }
    const std::string kBoundary = "/geo/boundaries/";
    if (p.rfind(kBoundary, 0) == 0) {
      std::string n = p.substr(kBoundary.size());
      size_t i = 0;
      const auto& layers = api->layers();
      for (; i < layers.size(); ++i)
        if (n == std::to_string(i) + ".geojson") break;
      if (i < layers.size()) {
        res.set_content(layers[i].bytes, "application/json");
        res.set_header("Cache-Control", "max-age=3600");
        return;
      }
    }
    if (p == "/geo/outlines.json" && !outlines.empty()) {
      res.set_content(outlines, "application/json");
      res.set_header("Cache-Control", "max-age=86400");
      return;
    }
    res.status = 404;
    res.set_content("not found\n", "text/plain; charset=utf-8");
  }

  void Send(Reply r, httplib::Response& res) {
    res.status = r.status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(std::move(r.body), r.content_type.c_str());
  }

  void ApiCall(const httplib::Request& req, httplib::Response& res) {
    std::string error;
    auto store = pool->Acquire(&error);
    if (!store) return Send(ErrorReply(503, "store unavailable"), res);
    int64_t version = 0;
    try {
      version = store->Version();
    } catch (const std::exception&) {
      pool->Release(std::move(store));
      return Send(ErrorReply(503, "store unavailable"), res);
    }
    std::string key;
    auto now = std::chrono::steady_clock::now();
    if (options.cache_ms > 0 && req.method != "POST") {
      // Length-prefixed parts: with bare separators a value holding them
      // ("a=1%1Fprovince%1EKunduz") got the key of another request and its
      // cached answer.
      key = std::to_string(req.path.size()) + ":" + req.path;
      for (const auto& [k, v] : req.params)  // multimap: sorted
        key += std::to_string(k.size()) + ":" + k + std::to_string(v.size()) + ":" + v;
      std::lock_guard<std::mutex> lock(cache_mu);
      auto it = cache.find(key);
      if (it != cache.end() && it->second.version == version &&
          now - it->second.at < std::chrono::milliseconds(options.cache_ms)) {
        pool->Release(std::move(store));
        res.set_header("Cache-Control", "no-store");
        res.set_content(it->second.body, "application/json; charset=utf-8");
        return;
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
        return Send(f.get(), res);
      }
      inflight.emplace(flight, promise.get_future().share());
    }
    Reply r;
    try {
      auto mem = Memory(version);
      Params params(req.params.begin(), req.params.end());
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
        cache[key] = Cached{now, version, r.body};
      }
    }
    Send(std::move(r), res);
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() {
  Stop();
  impl_->StopBuilder();
}

std::unique_ptr<Server> Server::Create(const ServeOptions& options, std::string* error) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (impl->options.max_page == 0) impl->options.max_page = 1;
  if (impl->options.threads < 1) impl->options.threads = 1;
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

  auto& http = impl->http;
  Impl* self = impl.get();
  int threads = impl->options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_payload_max_length(impl->options.max_body);
  http.set_read_timeout(5, 0);
  http.set_write_timeout(10, 0);
  http.set_keep_alive_timeout(2);
  http.set_tcp_nodelay(true);  // no 40 ms delayed-ACK stalls on keep-alive connections
  http.set_keep_alive_max_count(1000);
  http.set_default_headers({{"Content-Security-Policy", kCsp},
                            {"X-Content-Type-Options", "nosniff"},
                            {"X-Frame-Options", "DENY"},
                            {"Referrer-Policy", "no-referrer"},
                            {"Cross-Origin-Resource-Policy", "same-origin"}});
  http.set_pre_routing_handler([self](const httplib::Request& req, httplib::Response& res) {
    if (req.method != "GET" && req.method != "HEAD" && req.method != "POST") {
      res.status = 405;
      res.set_content("method not allowed\n", "text/plain; charset=utf-8");
      return httplib::Server::HandlerResponse::Handled;
    }
    // A page on another origin must not reach us through a DNS name that
    // resolves to 127.0.0.1: the Host header must name this server.
    if (!self->allowed_hosts.empty()) {
      std::string host = req.get_header_value("Host");
      bool ok = false;
      for (const auto& h : self->allowed_hosts) ok = ok || host == h;
      if (!ok) {
        res.status = 421;
        res.set_content("unexpected Host header\n", "text/plain; charset=utf-8");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.Get(R"(/api/.*)", [self](const httplib::Request& req, httplib::Response& res) {
    self->ApiCall(req, res);
  });
  http.Post("/api/claims/check", [self](const httplib::Request& req, httplib::Response& res) {
    self->ApiCall(req, res);
  });
  http.Get(R"(/.*)", [self](const httplib::Request& req, httplib::Response& res) {
    self->Static(req.path, res);
  });
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                std::exception_ptr) {
    res.status = 500;
    res.set_content("{\"error\":\"internal error\"}", "application/json");
  });
  if (!impl->options.quiet)
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      std::fprintf(stderr, "%s %s %d %zu\n", req.method.c_str(), req.path.c_str(), res.status,
                   res.body.size());
    });
  if (impl->options.memory_max > 0) {
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
  int port = o.port == 0 ? impl_->http.bind_to_any_port(o.host)
                         : (impl_->http.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port < 0) {
    *error = "cannot listen on " + o.host + ":" + std::to_string(o.port);
    return -1;
  }
  impl_->port = port;
  if (IsLoopback(o.host)) {
    std::string p = ":" + std::to_string(port);
    impl_->allowed_hosts = {"127.0.0.1" + p, "localhost" + p, "[::1]" + p};
    if (o.host.rfind("127.", 0) == 0 && o.host != "127.0.0.1") impl_->allowed_hosts.push_back(o.host + p);
  }
  return port;
}

bool Server::Run() { return impl_->http.listen_after_bind(); }

void Server::Stop() {
  if (impl_ && impl_->http.is_running()) impl_->http.stop();
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
