#include "cli/commands.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/parallel.h"
#include "eval/isaf_eval.h"
#include "kb/knowledge_base.h"
#include "sitrep/sitrep.h"

namespace sitrep::cli {
namespace {

struct CommonKbOptions {
  std::string kb_dir;
  std::vector<std::string> overlays;
};

void AddKbOptions(CLI::App* cmd, CommonKbOptions* o) {
  cmd->add_option("--kb-dir", o->kb_dir, "knowledge-base directory (default: bundled data/kb)");
  cmd->add_option("--kb", o->overlays, "overlay TSV file adding or overriding entries");
}

std::unique_ptr<Pipeline> MakePipeline(const CommonKbOptions& kbo, Profile profile,
                                       const std::string& published, bool explain = false) {
  PipelineOptions opt;
  opt.profile = profile;
  opt.kb_dir = kbo.kb_dir;
  opt.kb_overlays = kbo.overlays;
  opt.default_published = published;
  opt.explain = explain;
  std::string error;
  auto p = Pipeline::Create(opt, &error);
  if (!p) std::fprintf(stderr, "sitrep: %s\n", error.c_str());
  return p;
}

}  // namespace

std::string CalendarDateCheck(const std::string& v) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  bool ok = std::sscanf(v.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && v.size() == 10;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  ok = ok && y >= 1 && m >= 1 && m <= 12 && d >= 1 &&
       d <= (m == 2 ? (leap ? 29 : 28) : kDays[m - 1]);
  return ok ? std::string() : "not a calendar date (YYYY-MM-DD): " + v;
}

namespace {

std::string TableRow(const Extraction& x, Profile profile) {
  char buf[512];
  if (profile == Profile::kIsaf && x.isaf) {
    const auto& r = *x.isaf;
    auto first = [](const std::vector<std::string>& v) { return v.empty() ? std::string() : v[0]; };
    std::snprintf(buf, sizeof buf, "%-16s %-10s %-18s %-12s %-10s %6d %6d %4d %4d %s%s\n",
                  x.doc_id.substr(0, 16).c_str(), r.start_date.c_str(),
                  first(r.event_type).c_str(), first(r.province).c_str(),
                  first(r.target_group).c_str(), r.min_killed, r.min_captured,
                  r.min_leaders_killed, r.min_leaders_captured, r.airstrike ? "air " : "",
                  r.noshotsfired ? "noshots" : "");
    return buf;
  }
  std::string out;
  for (const auto& e : x.events) {
    std::string types;
    for (const auto& t : e.types) types += (types.empty() ? "" : ",") + t;
    std::string groups;
    for (const auto& g : e.target_groups) groups += (groups.empty() ? "" : ",") + g;
    std::snprintf(buf, sizeof buf, "%-16s %-10s %-22s %-14s %-16s %-14s %6s %6s\n",
                  x.doc_id.substr(0, 16).c_str(), e.date.c_str(), types.substr(0, 22).c_str(),
                  e.location.admin1.substr(0, 14).c_str(), e.location.admin2.substr(0, 16).c_str(),
                  groups.substr(0, 14).c_str(),
                  e.killed ? std::to_string(*e.killed).c_str() : "-",
                  e.captured ? std::to_string(*e.captured).c_str() : "-");
    out += buf;
  }
  if (x.events.empty()) {
    std::snprintf(buf, sizeof buf, "%-16s (no events)\n", x.doc_id.substr(0, 16).c_str());
    out += buf;
  }
  return out;
}

void RegisterExtract(CLI::App& app, int* code) {
  struct Opts {
    std::string profile = "full";
    std::string published;
    std::string format = "jsonl";
    std::vector<std::string> inputs;
    int threads = 0;
    bool quiet = false;
    bool explain = false;
    CommonKbOptions kb;
    RunFlags run;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("extract", "extract events: one JSON line per document");
  cmd->add_option("--profile", o->profile, "full | isaf")->check(CLI::IsMember({"full", "isaf"}));
  cmd->add_option("--published", o->published, "publication date YYYY-MM-DD for inputs without one")
      ->check(CalendarDateCheck);
  cmd->add_option("--format", o->format, "jsonl | table")->check(CLI::IsMember({"jsonl", "table"}));
  cmd->add_option("-j,--threads", o->threads, "worker threads (default: all cores)");
  cmd->add_flag("-q,--quiet", o->quiet, "no summary on stderr");
  cmd->add_flag("--explain", o->explain, "print how each document was read on stderr");
  AddRunFlags(cmd, &o->run);
  AddKbOptions(cmd, &o->kb);
  cmd->add_option("inputs", o->inputs, "files, directories, or - for stdin");
  cmd->callback([o, code] {
    Profile profile;
    ParseProfile(o->profile, &profile);
    auto pipeline = MakePipeline(o->kb, profile, o->published, o->explain);
    if (!pipeline) {
      *code = 1;
      return;
    }
    if (o->inputs.empty()) o->inputs.push_back("-");
    unsigned threads = o->threads > 0 ? static_cast<unsigned>(o->threads)
                                      : std::max(1u, std::thread::hardware_concurrency());
    bool table = o->format == "table";
    if (table && profile == Profile::kIsaf)
      std::fputs("id               date       event_type         province     group      killed  capt. ldK  ldC flags\n", stdout);
    else if (table)
      std::fputs("id               date       types                  province       district         groups         killed  capt.\n", stdout);
    uint64_t docs = 0;
    ReadStats stats = RunOrdered(
        *pipeline, o->inputs, threads,
        [&](const Extraction& x) {
          for (const auto& e : x.explain) std::fprintf(stderr, "%s: %s\n", x.doc_id.c_str(), e.c_str());
          std::string line = table ? TableRow(x, profile) : ToJsonLine(x, profile) + "\n";
          std::fwrite(line.data(), 1, line.size(), stdout);
          ++docs;
        },
        [](const ReadError& e) { std::fprintf(stderr, "sitrep: %s\n", e.ToString().c_str()); },
        o->run, o->quiet);
    std::fflush(stdout);
    if (!o->quiet || stats.rejected > 0)
      std::fprintf(stderr, "sitrep: %llu documents extracted, %llu rejected\n",
                   static_cast<unsigned long long>(docs),
                   static_cast<unsigned long long>(stats.rejected));
    *code = stats.rejected > 0 ? kExitRejected : 0;
  });
}

void RegisterEval(CLI::App& app, int* code) {
  auto* ev = app.add_subcommand("eval", "score extraction against a labelled data set");
  ev->require_subcommand(1);
  struct Opts {
    std::string gold;
    std::string pred;
    std::string explain;
    bool json = false;
    int threads = 0;
    CommonKbOptions kb;
  };
  auto o = std::make_shared<Opts>();
  auto* isaf = ev->add_subcommand("isaf", "ISAF press releases: per-field accuracy, published and strict aggregate");
  isaf->add_option("gold", o->gold, "gold JSONL (rows with id, text, gold)")->required();
  isaf->add_option("--pred", o->pred, "score this prediction file instead of running the extractor");
  isaf->add_option("--explain", o->explain, "print gold vs prediction per field for one id");
  isaf->add_flag("--json", o->json, "one JSON object with all numbers");
  isaf->add_option("-j,--threads", o->threads, "worker threads");
  AddKbOptions(isaf, &o->kb);
  isaf->callback([o, code] {
    eval::GoldSet gold;
    std::string error;
    if (!eval::LoadGold(o->gold, &gold, &error)) {
      std::fprintf(stderr, "sitrep eval: %s\n", error.c_str());
      *code = 2;
      return;
    }
    std::vector<std::string> lines;
    std::string source = o->pred.empty() ? "<sitrep>" : o->pred;
    if (!o->pred.empty()) {
      std::ifstream in(o->pred, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "sitrep eval: %s: cannot open\n", o->pred.c_str());
        *code = 2;
        return;
      }
      std::string line;
      while (std::getline(in, line)) lines.push_back(line);
      if (!lines.empty() && lines[0].compare(0, 3, "\xEF\xBB\xBF") == 0) lines[0].erase(0, 3);
    } else {
      auto pipeline = MakePipeline(o->kb, Profile::kIsaf, "");
      if (!pipeline) {
        *code = 1;
        return;
      }
      std::vector<Document> docs;
      for (const auto& id : gold.order) {
        Document d;
        d.id = id;
        auto it = gold.text.find(id);
        if (it != gold.text.end()) d.text = it->second;
        docs.push_back(std::move(d));
      }
      unsigned threads = o->threads > 0 ? static_cast<unsigned>(o->threads)
                                        : std::max(1u, std::thread::hardware_concurrency());
      lines = ExtractAll(*pipeline, docs, threads);
    }
    eval::Report r = eval::Score(gold, lines, source, o->explain);
    for (const auto& w : r.warnings) std::fprintf(stderr, "%s\n", w.c_str());
    std::string out = o->json ? (r.explain.empty() ? "" : r.explain + "\n") + eval::FormatJson(r)
                              : eval::FormatText(r);
    std::fwrite(out.data(), 1, out.size(), stdout);
    *code = 0;
  });
}

void RegisterKb(CLI::App& app, int* code) {
  auto* kbcmd = app.add_subcommand("kb", "inspect the knowledge base");
  kbcmd->require_subcommand(1);
  struct Opts {
    std::string name;
    CommonKbOptions kb;
  };
  auto o = std::make_shared<Opts>();
  auto* lookup = kbcmd->add_subcommand("lookup", "what the knowledge base knows about a place or group");
  lookup->add_option("name", o->name, "place or group name")->required();
  AddKbOptions(lookup, &o->kb);
  lookup->callback([o, code] {
    std::string dir = KnowledgeBase::FindDir(o->kb.kb_dir);
    std::string error;
    auto kb = KnowledgeBase::Load(dir, o->kb.overlays, &error);
    if (!kb) {
      std::fprintf(stderr, "sitrep: %s\n", error.c_str());
      *code = 1;
      return;
    }
    auto hits = kb->Lookup(o->name);
    if (hits.empty()) {
      std::printf("no entry for '%s'\n", o->name.c_str());
      *code = 1;
      return;
    }
    for (const auto& h : hits) {
      if (h.kind == kb::PayloadKind::kPlace) {
        const Place& p = kb->places()[h.index];
        static const char* kLevels[] = {"country", "admin1", "admin2", "place"};
        std::string chain;
        for (int q = p.parent; q >= 0; q = kb->places()[static_cast<size_t>(q)].parent)
          chain += " < " + kb->places()[static_cast<size_t>(q)].name;
        std::printf("place  %-12s %-7s %s%s", p.id.c_str(), kLevels[static_cast<int>(p.level)],
                    p.name.c_str(), chain.c_str());
        if (p.lat && p.lon) {
          std::printf("  (%.4f, %.4f)", *p.lat, *p.lon);
        } else {
          // Rows without a point of their own resolve to their parent's, as
          // extraction does; say whose point it is.
          for (int q = p.parent; q >= 0; q = kb->places()[static_cast<size_t>(q)].parent) {
            const Place& a = kb->places()[static_cast<size_t>(q)];
            if (a.lat && a.lon) {
              std::printf("  (%.4f, %.4f of %s)", *a.lat, *a.lon, a.name.c_str());
              break;
            }
          }
        }
        if (!p.isaf.empty()) std::printf("  isaf=%s", p.isaf.c_str());
        std::printf("\n");
      } else if (h.kind == kb::PayloadKind::kGroup) {
        const Group& g = kb->groups()[h.index];
        std::printf("%-6s %-16s %s (%s) type=%s country=%s", g.is_force ? "force" : "group",
                    g.id.c_str(), g.name.c_str(), g.short_name.c_str(), g.type.c_str(),
                    g.country.c_str());
        if (!g.isaf.empty()) std::printf(" isaf=%s", g.isaf.c_str());
        for (const auto& l : g.affiliations) std::printf(" %s:%s", l.kind.c_str(), l.target.c_str());
        std::printf("\n");
      }
    }
    *code = 0;
  });
}

}  // namespace

void Register(CLI::App& app, int* exit_code) {
  RegisterExtract(app, exit_code);
  RegisterEval(app, exit_code);
  RegisterKb(app, exit_code);
  RegisterBench(app, exit_code);
  RegisterStore(app, exit_code);
  RegisterServe(app, exit_code);
  RegisterReport(app, exit_code);
}

}  // namespace sitrep::cli
