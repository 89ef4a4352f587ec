// sitrep ingest / query / claims: the event store on the command line.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "kb/knowledge_base.h"
#include "query/claim_check.h"
#include "query/format.h"
#include "sitrep/sitrep.h"
#include "sitrep/store.h"

namespace sitrep::cli {
namespace {

struct KbOpts {
  std::string kb_dir;
  std::vector<std::string> overlays;
};

std::unique_ptr<Pipeline> MakeFullPipeline(const KbOpts& k, const std::string& published) {
  PipelineOptions opt;
  opt.profile = Profile::kFull;
  opt.kb_dir = k.kb_dir;
  opt.kb_overlays = k.overlays;
  opt.default_published = published;
  std::string error;
  auto p = Pipeline::Create(opt, &error);
  if (!p) std::fprintf(stderr, "sitrep: %s\n", error.c_str());
  return p;
}

std::unique_ptr<Store> OpenStore(const std::string& url) {
  std::string error;
  auto s = Store::Open(url, &error);
  if (!s) std::fprintf(stderr, "sitrep: cannot open store %s: %s\n", url.c_str(), error.c_str());
  return s;
}

void Write(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

// Extracts a batch on `threads` threads (documents keep their order).
void ExtractBatch(const Pipeline& p, std::vector<std::pair<Document, Extraction>>* batch,
                  unsigned threads) {
  size_t n = batch->size();
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(n)));
  if (threads <= 1) {
    for (auto& [d, x] : *batch) x = p.Extract(d);
    return;
  }
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (size_t i = t; i < n; i += threads) (*batch)[i].second = p.Extract((*batch)[i].first);
    });
  for (auto& th : pool) th.join();
}

void RegisterIngest(CLI::App& app, int* code) {
  struct Opts {
    std::string db;
    std::vector<std::string> inputs;
    std::string published;
    int threads = 0;
    // Larger transactions write each index page they touch once per batch:
    // 2000 cost 16% less CPU than 500, 5000 another 11% less than 2000,
    // 10000 another 4% less than 5000 on release-length documents (30 MB
    // more memory; docs/STORE.md, Ingest); a crash loses one batch, which the
    // next run stores.
    size_t batch = 10000;
    bool quiet = false;
    bool timing = false;
    KbOpts kb;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("ingest", "extract and store documents (idempotent)");
  cmd->add_option("--db", o->db, "SQLite file or postgresql://... URL")->required();
  cmd->add_option("--published", o->published, "publication date YYYY-MM-DD for inputs without one")
      ->check(CalendarDateCheck);
  cmd->add_option("-j,--threads", o->threads, "extraction threads (default: all cores)");
  cmd->add_option("--batch", o->batch, "documents per transaction (default 10000)");
  cmd->add_flag("-q,--quiet", o->quiet, "no summary on stderr");
  cmd->add_flag("--timing", o->timing, "where the time went: extraction vs. the store, on stderr");
  cmd->add_option("--kb-dir", o->kb.kb_dir, "knowledge-base directory");
  cmd->add_option("--kb", o->kb.overlays, "overlay TSV file");
  cmd->add_option("inputs", o->inputs, "files, directories, or - for stdin");
  cmd->callback([o, code] {
    auto pipeline = MakeFullPipeline(o->kb, o->published);
    if (!pipeline) {
      *code = 1;
      return;
    }
    auto store = OpenStore(o->db);
    if (!store) {
      *code = 1;
      return;
    }
    if (o->inputs.empty()) o->inputs.push_back("-");
    unsigned threads = o->threads > 0 ? static_cast<unsigned>(o->threads)
                                      : std::max(1u, std::thread::hardware_concurrency());
    IngestStats total;
    bool failed = false;
    std::vector<std::pair<Document, Extraction>> batch;
    using Clock = std::chrono::steady_clock;
    auto start = Clock::now();
    double extract_s = 0, store_s = 0;
    auto since = [](Clock::time_point t) {
      return std::chrono::duration<double>(Clock::now() - t).count();
    };
    auto flush = [&]() -> bool {
      if (batch.empty()) return true;
      auto t0 = Clock::now();
      ExtractBatch(*pipeline, &batch, threads);
      extract_s += since(t0);
      try {
        auto t1 = Clock::now();
        IngestStats s = store->Ingest(batch);
        store_s += since(t1);
        total.added += s.added;
        total.unchanged += s.unchanged;
        total.replaced += s.replaced;
        total.events += s.events;
        total.merged += s.merged;
        total.failed += s.failed;
        for (const auto& e : s.errors) std::fprintf(stderr, "sitrep: %s\n", e.c_str());
      } catch (const std::exception& e) {
        std::fprintf(stderr, "sitrep: ingest failed, batch rolled back: %s\n", e.what());
        failed = true;
      }
      batch.clear();
      return !failed;
    };
    ReadStats rs = ReadDocuments(
        o->inputs,
        [&](Document&& d) {
          batch.emplace_back(std::move(d), Extraction{});
          return batch.size() < o->batch || flush();
        },
        [](const ReadError& e) { std::fprintf(stderr, "sitrep: %s\n", e.ToString().c_str()); });
    if (!failed) flush();
    if (o->timing) {
      double all = since(start);
      double n = static_cast<double>(rs.documents);
      std::fprintf(stderr,
                   "sitrep: %.2f s wall for %.0f documents (%.0f docs/s): extraction %.2f s "
                   "on %u thread(s) (%.0f docs/s), store %.2f s (%.0f docs/s), reading %.2f s\n",
                   all, n, n / all, extract_s, threads, n / extract_s, store_s, n / store_s,
                   all - extract_s - store_s);
    }
    if (!o->quiet || rs.rejected > 0 || total.failed > 0)
      std::fprintf(stderr,
                   "sitrep: %llu documents: %llu added, %llu unchanged, %llu replaced, %llu "
                   "rejected; %llu events stored (%llu merged with other reports)\n",
                   static_cast<unsigned long long>(rs.documents),
                   static_cast<unsigned long long>(total.added),
                   static_cast<unsigned long long>(total.unchanged),
                   static_cast<unsigned long long>(total.replaced),
                   static_cast<unsigned long long>(rs.rejected + total.failed),
                   static_cast<unsigned long long>(total.events),
                   static_cast<unsigned long long>(total.merged));
    *code = failed ? 1 : (rs.rejected + total.failed > 0 ? kExitRejected : 0);
  });
}

void RegisterQuery(CLI::App& app, int* code) {
  struct Opts {
    std::string db;
    EventFilter f;
    std::string role;
    std::string by;
    std::string format = "table";
    std::string exp;
    std::string explain;
    std::string bbox;
    size_t limit = 1000;
    bool stats = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("query", "merged events, counts, exports");
  cmd->add_option("--db", o->db, "SQLite file or postgresql://... URL")->required();
  cmd->add_option("--group", o->f.group, "target group id (taliban, imu, haqqani, ...)");
  cmd->add_option("--country", o->f.country, "ISO 3166-1 alpha-2 country code");
  cmd->add_option("--province", o->f.province, "province (admin1) name");
  cmd->add_option("--district", o->f.district, "district (admin2) name");
  cmd->add_option("--type", o->f.type, "event type (raid, airstrike, ...)");
  cmd->add_option("--since", o->f.since, "first day YYYY-MM-DD");
  cmd->add_option("--until", o->f.until, "last day YYYY-MM-DD");
  cmd->add_option("--role", o->role, "leader: only events against leaders")
      ->check(CLI::IsMember({"leader"}));
  cmd->add_option("--text", o->f.text, "full-text search in the source documents");
  cmd->add_option("--bbox", o->bbox, "min_lat,min_lon,max_lat,max_lon");
  cmd->add_option("--by", o->by, "count per month|week|province|district|group|type|country")
      ->check(CLI::IsMember({"month", "week", "province", "district", "group", "type", "country"}));
  cmd->add_option("--format", o->format, "table | csv | json | geojson")
      ->check(CLI::IsMember({"table", "csv", "json", "geojson"}));
  cmd->add_option("--export", o->exp, "acled: ACLED-style CSV")->check(CLI::IsMember({"acled"}));
  cmd->add_option("--explain-merge", o->explain, "why the reports of this event were merged");
  cmd->add_option("--limit", o->limit, "at most this many events (default 1000)");
  cmd->add_flag("--stats", o->stats, "counts of what the store holds");
  cmd->callback([o, code] {
    auto store = OpenStore(o->db);
    if (!store) {
      *code = 1;
      return;
    }
    o->f.leaders = o->role == "leader";
    if (!o->bbox.empty()) {
      std::vector<double> b;
      std::stringstream ss(o->bbox);
      std::string part;
      while (std::getline(ss, part, ',')) b.push_back(std::atof(part.c_str()));
      if (b.size() != 4) {
        std::fprintf(stderr, "sitrep query: --bbox needs min_lat,min_lon,max_lat,max_lon\n");
        *code = 2;
        return;
      }
      o->f.bbox = b;
    }
    try {
      if (o->stats) {
        StoreStats s = store->Stats();
        std::printf(
            "backend %s, schema v%d: %lld documents, %lld sources, %lld events in %lld merged "
            "events, %lld claims, %lld relations, dates %s..%s\n",
            store->backend().c_str(), s.schema_version, static_cast<long long>(s.documents),
            static_cast<long long>(s.sources), static_cast<long long>(s.events),
            static_cast<long long>(s.clusters), static_cast<long long>(s.claims),
            static_cast<long long>(s.relations), s.first_date.c_str(), s.last_date.c_str());
      } else if (!o->explain.empty()) {
        auto src = store->Sources(o->explain);
        Write(query::FormatExplainMerge(src));
        *code = src.empty() ? 1 : 0;
        return;
      } else if (o->exp == "acled") {
        Write(query::FormatAcled(*store, store->Events(o->f, o->limit)));
      } else if (!o->by.empty()) {
        GroupBy by;
        ParseGroupBy(o->by, &by);
        Write(query::FormatAggregate(store->Aggregate(o->f, by), o->by, o->format));
      } else {
        Write(query::FormatEvents(store->Events(o->f, o->limit), o->format));
      }
      *code = 0;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sitrep query: %s\n", e.what());
      *code = 1;
    }
  });
}

// Resolvers over the knowledge base for the claim parser.
query::ClaimParseOptions ParseOptions(const Pipeline& p, const std::string& as_of) {
  query::ClaimParseOptions o;
  const KnowledgeBase* kb = &p.kb();
  o.group_of = [kb](const std::string& phrase) -> std::string {
    for (const auto& h : kb->Lookup(phrase))
      if (h.kind == kb::PayloadKind::kGroup && !kb->groups()[h.index].is_force)
        return kb->groups()[h.index].id;
    return "";
  };
  o.province_of = [kb](const std::string& phrase) -> std::string {
    for (const auto& h : kb->Lookup(phrase))
      if (h.kind == kb::PayloadKind::kPlace && kb->places()[h.index].level == PlaceLevel::kAdmin1)
        return kb->places()[h.index].name;
    return "";
  };
  o.as_of = as_of;
  return o;
}

void RegisterClaims(CLI::App& app, int* code) {
  struct Opts {
    std::string db;
    std::string text;
    std::string as_of;
    bool brief = false;
    KbOpts kb;
  };
  auto o = std::make_shared<Opts>();
  auto* claims = app.add_subcommand("claims", "check aggregate claims against the store");
  claims->require_subcommand(1);
  auto* check = claims->add_subcommand("check", "parse a claim, count in the store, say where it holds");
  check->add_option("--db", o->db, "SQLite file or postgresql://... URL")->required();
  check->add_option("text", o->text, "the claim, e.g. \"16 raids in Kunduz and Takhar provinces since Jan. 29\"")
      ->required();
  check->add_option("--as-of", o->as_of, "reference date YYYY-MM-DD for dates without a year (default: last event in the store)");
  check->add_flag("--brief", o->brief, "no event list");
  check->add_option("--kb-dir", o->kb.kb_dir, "knowledge-base directory");
  auto* list = claims->add_subcommand("list", "claims found in ingested pages, each checked");
  list->add_option("--db", o->db, "SQLite file or postgresql://... URL")->required();
  list->add_option("--as-of", o->as_of, "reference date YYYY-MM-DD (default: last event in the store)");
  list->add_flag("--brief", o->brief, "no event list");
  list->add_option("--kb-dir", o->kb.kb_dir, "knowledge-base directory");

  auto prepare = [o](std::unique_ptr<Store>* store, std::unique_ptr<Pipeline>* pipeline) {
    *store = OpenStore(o->db);
    if (!*store) return false;
    *pipeline = MakeFullPipeline(o->kb, "");
    if (!*pipeline) return false;
    if (o->as_of.empty()) o->as_of = (*store)->Stats().last_date;
    return true;
  };
  check->callback([o, code, prepare] {
    std::unique_ptr<Store> store;
    std::unique_ptr<Pipeline> pipeline;
    if (!prepare(&store, &pipeline)) {
      *code = 1;
      return;
    }
    auto opts = ParseOptions(*pipeline, o->as_of);
    Document d;
    d.id = "claim";
    d.text = o->text;
    d.published = o->as_of;
    Extraction x = pipeline->Extract(d);
    std::vector<Claim> parsed;
    for (auto c : x.claims) {
      query::NormaliseClaim(opts, &c);
      parsed.push_back(c);
    }
    if (parsed.empty()) {
      Claim c;
      if (query::ParseClaim(o->text, opts, &c)) parsed.push_back(c);
    }
    if (parsed.empty()) {
      std::fprintf(stderr, "sitrep claims check: no countable claim found (expected \"N raids ... in P1, P2 and P3 provinces since DATE\")\n");
      *code = 2;
      return;
    }
    try {
      bool all = true;
      for (const auto& c : parsed) {
        auto r = query::CheckClaim(*store, c);
        all = all && r.holds;
        Write(query::FormatClaimCheck(*store, r, !o->brief));
      }
      *code = all ? 0 : 4;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sitrep claims check: %s\n", e.what());
      *code = 1;
    }
  });
  list->callback([o, code, prepare] {
    std::unique_ptr<Store> store;
    std::unique_ptr<Pipeline> pipeline;
    if (!prepare(&store, &pipeline)) {
      *code = 1;
      return;
    }
    auto opts = ParseOptions(*pipeline, o->as_of);
    try {
      auto claims = store->Claims();
      for (auto& sc : claims) {
        query::NormaliseClaim(opts, &sc.claim);
        Write("[" + sc.doc_id + "] ");
        Write(query::FormatClaimCheck(*store, query::CheckClaim(*store, sc.claim), !o->brief));
      }
      if (claims.empty()) std::printf("no claims in the store\n");
      *code = 0;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sitrep claims list: %s\n", e.what());
      *code = 1;
    }
  });
}

}  // namespace

void RegisterStore(CLI::App& app, int* exit_code) {
  RegisterIngest(app, exit_code);
  RegisterQuery(app, exit_code);
  RegisterClaims(app, exit_code);
}

}  // namespace sitrep::cli
