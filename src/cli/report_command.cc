// sitrep report: an analyst brief from the store (see docs/REPORT.md).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/commands.h"
#include "kb/knowledge_base.h"
#include "report/report.h"
#include "sitrep/store.h"

namespace sitrep::cli {
namespace {

// Exit status when the store holds nothing for the filter.
constexpr int kExitEmpty = 4;

bool WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "sitrep report: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

}  // namespace

void RegisterReport(CLI::App& app, int* code) {
  struct Opts {
    std::string db, group, country, province, since, until;
    std::string format;
    std::string output;
    std::string boundaries;
    std::string kb_dir;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand(
      "report", "analyst brief: counting paragraph with footnotes, timeline, map, events, relations");
  cmd->add_option("--db", o->db, "SQLite file or postgresql://... URL")->required();
  cmd->add_option("--group", o->group, "group id or name (imu, \"Haqqani Network\", ...)");
  cmd->add_option("--country", o->country, "ISO 3166-1 alpha-2 country code");
  cmd->add_option("--province", o->province, "province (admin1) name");
  cmd->add_option("--since", o->since, "first day YYYY-MM-DD (default: first event)");
  cmd->add_option("--until", o->until, "last day YYYY-MM-DD (default: last event)");
  cmd->add_option("--format", o->format, "html | md (default: from -o, else html)")
      ->check(CLI::IsMember({"html", "md"}));
  cmd->add_option("-o,--output", o->output,
                  "write here (md: the SVG charts go beside it as NAME-timeline.svg, NAME-map.svg)");
  cmd->add_option("--boundaries", o->boundaries, "GeoJSON province outlines for the map");
  cmd->add_option("--kb-dir", o->kb_dir, "knowledge-base directory");
  cmd->callback([o, code] {
    for (const auto* d : {&o->since, &o->until})
      if (!d->empty() && !IsDate(*d)) {
        std::fprintf(stderr, "sitrep report: dates are YYYY-MM-DD, got '%s'\n", d->c_str());
        *code = 2;
        return;
      }
    std::string format = o->format;
    if (format.empty()) {
      auto ext = std::filesystem::path(o->output).extension().string();
      format = ext == ".md" || ext == ".markdown" ? "md" : "html";
    }
    std::string error;
    auto kb = KnowledgeBase::Load(KnowledgeBase::FindDir(o->kb_dir), {}, &error);
    if (!kb) {
      std::fprintf(stderr, "sitrep report: %s\n", error.c_str());
      *code = 1;
      return;
    }
    report::Options opt;
    opt.filter.country = o->country;
    opt.filter.since = o->since;
    opt.filter.until = o->until;
    opt.filter.group = o->group;
    if (!o->group.empty()) {
      for (const auto& g : kb->groups())
        if (g.id == o->group) opt.filter.group = g.id;
      if (opt.filter.group == o->group)
        for (const auto& h : kb->Lookup(o->group))
          if (h.kind == kb::PayloadKind::kGroup) {
            opt.filter.group = kb->groups()[h.index].id;
            break;
          }
    }
    opt.filter.province = o->province;
    if (!o->province.empty())
      for (const auto& h : kb->Lookup(o->province))
        if (h.kind == kb::PayloadKind::kPlace &&
            kb->places()[h.index].level == PlaceLevel::kAdmin1) {
          opt.filter.province = kb->places()[h.index].name;
          break;
        }
    const KnowledgeBase* k = kb.get();
    opt.names = [k](const std::string& id) {
      for (const auto& g : k->groups())
        if (g.id == id) return report::GroupName{g.name, g.short_name};
      return report::GroupName{};
    };
    report::Boundaries boundaries;
    if (!o->boundaries.empty() && !report::LoadBoundaries(o->boundaries, &boundaries, &error)) {
      std::fprintf(stderr, "sitrep report: %s\n", error.c_str());
      *code = 2;
      return;
    }
    auto store = Store::Open(o->db, &error);
    if (!store) {
      std::fprintf(stderr, "sitrep report: cannot open store %s: %s\n", o->db.c_str(),
                   error.c_str());
      *code = 1;
      return;
    }
    report::Brief brief;
    try {
      if (!report::BuildBrief(*store, opt, &brief, &error)) {
        std::fprintf(stderr, "sitrep report: %s; nothing to report.\n", error.c_str());
        *code = kExitEmpty;
        return;
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sitrep report: %s\n", e.what());
      *code = 1;
      return;
    }
    const report::Boundaries* bp = o->boundaries.empty() ? nullptr : &boundaries;
    std::string doc;
    if (format == "md") {
      std::string tl, map;
      if (!o->output.empty()) {
        std::filesystem::path out(o->output);
        std::string stem = out.stem().string();
        tl = stem + "-timeline.svg";
        map = stem + "-map.svg";
        if (!WriteFile((out.parent_path() / tl).string(), report::TimelineSvg(brief)) ||
            !WriteFile((out.parent_path() / map).string(), report::MapSvg(brief, bp))) {
          *code = 1;
          return;
        }
      } else {
        std::fprintf(stderr, "sitrep report: Markdown on stdout has no charts; use -o FILE.md\n");
      }
      doc = report::RenderMarkdown(brief, tl, map);
    } else {
      doc = report::RenderHtml(brief, bp);
    }
    if (o->output.empty()) {
      std::fwrite(doc.data(), 1, doc.size(), stdout);
      std::fflush(stdout);
    } else if (!WriteFile(o->output, doc)) {
      *code = 1;
      return;
    }
    for (const auto& w : brief.warnings) std::fprintf(stderr, "sitrep report: %s\n", w.c_str());
    std::fprintf(stderr, "sitrep report: %zu events, %zu notes%s%s\n", brief.events.size(),
                 brief.notes.size(), o->output.empty() ? "" : " -> ", o->output.c_str());
    *code = 0;
  });
}

}  // namespace sitrep::cli
