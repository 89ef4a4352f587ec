// sitrep serve: the dashboard (static UI) and its JSON API over a store opened
// read-only, with GNU libmicrohttpd.
//
//   serve::ServeOptions o;  o.db = "events.db";  o.port = 0;   // any free port
//   std::string err;
//   auto s = serve::Server::Create(o, &err);
//   int port = s->Bind();                 // 127.0.0.1 unless o.host says otherwise
//   std::thread t([&] { s->Run(); });     // until Stop()
//
// Security: loopback by default; read-only store connections with a time cap
// per statement; parameterised SQL only (the store's); caps on request body,
// page size and claim length; a fixed memory budget per connection for the
// request line and headers (414/431 beyond it), an idle timeout and a
// connection limit; every response carries a CSP without
// 'unsafe-inline' and nosniff; Host must name the bound address (no DNS
// rebinding); the UI writes data with textContent only.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace sitrep::serve {

struct ServeOptions {
  std::string db;                      // SQLite file or postgresql://... URL
  std::string host = "127.0.0.1";
  int port = 8080;                     // 0: any free port
  std::vector<std::string> boundaries; // GeoJSON FeatureCollections (ADM1, ADM2)
  std::string web_dir;                 // serve web/ from disk instead of the embedded copy
  std::string leaflet_dir;             // default: Debian's /usr/share/javascript/leaflet
  std::string outlines;                // country outlines (TopoJSON/GeoJSON); default: search
  std::string kb_dir;                  // knowledge base (claims, boundary names)
  int threads = 32;                    // worker threads = requests handled at once
  int max_connections = 256;           // open connections at most (keep-alive ones included)
  size_t max_page = 500;               // events per page at most
  int query_timeout_ms = 2000;         // per SQL statement
  size_t max_body = 64 * 1024;         // request body bytes at most
  int cache_ms = 60000;                // reuse a GET answer this long while the store is unchanged (0: off)
  // Answer pages, counts, aggregates and map points from an in-memory copy of
  // the merged events (serve/snapshot.h), rebuilt in the background when the
  // store changes, while the store holds at most this many (0: never).
  size_t memory_max = 2000000;
  bool quiet = false;                  // no access log on stderr
};

class Server {
 public:
  static std::unique_ptr<Server> Create(const ServeOptions& options, std::string* error);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds host:port; returns the port, or -1 (error in *error).
  int Bind(std::string* error);
  // Serves until Stop(); returns false when the listener failed.
  bool Run();
  void Stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `sitrep serve`: binds, prints the URL, serves until SIGINT/SIGTERM.
int RunServe(const ServeOptions& options);

}  // namespace sitrep::serve
