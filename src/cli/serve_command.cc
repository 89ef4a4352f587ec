// sitrep serve: the dashboard and JSON API (src/serve) on 127.0.0.1.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#if defined(SITREP_HAVE_SERVER)
#include "serve/server.h"
#endif

namespace sitrep::cli {

void RegisterServe(CLI::App& app, int* exit_code) {
#if defined(SITREP_HAVE_SERVER)
  auto o = std::make_shared<serve::ServeOptions>();
  auto* cmd = app.add_subcommand("serve", "dashboard and JSON API over a store (read-only)");
  cmd->add_option("--db", o->db, "SQLite file or postgresql://... URL")->required();
  cmd->add_option("--port", o->port, "TCP port (default 8080; 0: any free port)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--host", o->host, "address to bind (default 127.0.0.1: this machine only)");
  cmd->add_option("--boundaries", o->boundaries,
                  "GeoJSON boundaries (ADM1 provinces, ADM2 districts), repeatable")
      ->check(CLI::ExistingFile);
  cmd->add_option("--outlines", o->outlines,
                  "country outlines, TopoJSON or GeoJSON (default: npm world-atlas if installed)");
  cmd->add_option("--leaflet-dir", o->leaflet_dir,
                  "Leaflet files (default /usr/share/javascript/leaflet, Debian libjs-leaflet)");
  cmd->add_option("--web-dir", o->web_dir, "serve the UI from this directory instead of the built-in copy");
  cmd->add_option("--kb-dir", o->kb_dir, "knowledge-base directory");
  cmd->add_option("--threads", o->threads, "worker threads, i.e. requests handled at once (default 32)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--max-connections", o->max_connections,
                  "open connections at most, idle keep-alive ones included (default 256)")
      ->check(CLI::Range(1, 2048));  // a thread each: keep the process's thread count sane
  cmd->add_option("--max-page", o->max_page, "events per API page at most (default 500)");
  cmd->add_option("--max-body", o->max_body,
                  "request body bytes at most, larger ones get 413 (default 65536)")
      ->check(CLI::Range(size_t{1}, size_t{64} << 20));
  cmd->add_option("--query-timeout", o->query_timeout_ms, "milliseconds per SQL statement (default 2000)");
  cmd->add_option("--cache-ms", o->cache_ms,
                  "reuse API answers this long while the store is unchanged (default 60000; 0: off)");
  cmd->add_option("--memory-max", o->memory_max,
                  "answer pages, counts, aggregates and map points from memory while the store "
                  "holds at most this many merged events (default 2000000; 0: always SQL)");
  cmd->add_flag("-q,--quiet", o->quiet, "no request log on stderr");
  cmd->callback([o, exit_code] { *exit_code = serve::RunServe(*o); });
#else
  auto* cmd = app.add_subcommand("serve", "dashboard (not built: needs libmicrohttpd-dev)");
  cmd->allow_extras();
  cmd->callback([exit_code] {
    std::fprintf(stderr, "sitrep serve: this sitrep was built without the web server\n");
    *exit_code = 1;
  });
#endif
}

}  // namespace sitrep::cli
