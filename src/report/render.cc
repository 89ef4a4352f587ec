// The brief as HTML (one self-contained page) and as Markdown.
#include <algorithm>
#include <cstdio>
#include <sstream>

#include "report/report.h"

namespace sitrep::report {
namespace {

std::string Esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&#39;"; break;
      default: o += c;
    }
  }
  return o;
}

// Markdown: text with the characters that start markup escaped.
std::string MdEsc(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '\n' || c == '\r') {
      o += ' ';
      continue;
    }
    if (std::string("\\`*_[]<>|#").find(c) != std::string::npos) o += '\\';
    o += c;
  }
  return o;
}

std::string Opt(const std::optional<int>& v) { return v ? std::to_string(*v) : "–"; }

std::string Label(int n) { return n > 0 ? "E" + std::to_string(n) : "P" + std::to_string(-n); }

std::string Kind(const EventEntry& e) {
  std::string t;
  for (const auto& x : e.ev.types) t += (t.empty() ? "" : ", ") + x;
  if (e.operations > 1) t += " (×" + std::to_string(e.operations) + ")";
  return t;
}

std::string Where(const MergedEvent& m) {
  std::string s;
  for (const auto* p : {&m.place, &m.admin2, &m.admin1})
    if (!p->empty() && s.find(*p) == std::string::npos) s += (s.empty() ? "" : ", ") + *p;
  if (!m.country.empty()) s += (s.empty() ? "" : " ") + std::string("(") + m.country + ")";
  return s.empty() ? "place unknown" : s;
}

std::string People(const EventEntry& e) {
  std::string s;
  for (const auto& p : e.people) {
    if (p.fate != "killed" && p.fate != "captured" && p.fate != "targeted") continue;
    std::string one = (p.name.empty() ? "unnamed " : p.name + ", ") + p.role + " " + p.fate;
    s += (s.empty() ? "" : "; ") + one;
  }
  return s;
}

std::string Span(const Cite& c) {
  return c.doc_id + ", bytes " + std::to_string(c.start) + "–" + std::to_string(c.end);
}

const EventEntry* Find(const Brief& b, int n) {
  if (n > 0 && static_cast<size_t>(n) <= b.events.size()) return &b.events[static_cast<size_t>(n - 1)];
  if (n < 0 && static_cast<size_t>(-n) <= b.prior.size()) return &b.prior[static_cast<size_t>(-n - 1)];
  return nullptr;
}

const char* kCss = R"CSS(
:root { --ink:#1d2733; --muted:#5c6b7a; --line:#d9e0e7; --accent:#1f4e79; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f8fa; color: var(--ink);
       font: 15px/1.55 Georgia, "Times New Roman", serif; }
main { max-width: 980px; margin: 0 auto; padding: 28px 32px 60px; background: #fff;
       box-shadow: 0 0 0 1px var(--line); }
h1 { font: 600 26px/1.25 Helvetica, Arial, sans-serif; margin: 0 0 6px; }
h2 { font: 600 17px/1.3 Helvetica, Arial, sans-serif; margin: 30px 0 10px; color: var(--accent);
     border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta { color: var(--muted); font: 13px/1.5 Helvetica, Arial, sans-serif; margin: 0; }
.summary p { font-size: 17px; line-height: 1.65; margin: 14px 0; }
sup { font: 600 10px Helvetica, Arial, sans-serif; }
sup a { color: var(--accent); text-decoration: none; padding: 0 1px; }
table { border-collapse: collapse; width: 100%; font: 13px/1.4 Helvetica, Arial, sans-serif; }
th, td { text-align: left; vertical-align: top; padding: 5px 7px; border-bottom: 1px solid var(--line); }
th { background: #eef2f6; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.figure { margin: 6px 0 0; overflow-x: auto; }
.figure svg { max-width: 100%; height: auto; border: 1px solid var(--line); }
ol.notes { font: 13px/1.5 Helvetica, Arial, sans-serif; padding-left: 26px; }
ol.notes li { margin-bottom: 10px; }
blockquote { margin: 3px 0 3px 0; padding: 2px 10px; border-left: 3px solid #c9d6e3;
             color: #2c3a48; font: italic 13px/1.45 Georgia, serif; }
.src { color: var(--muted); font: 11px/1.4 Menlo, Consolas, monospace; }
.up { color: #9b2c1c; font-weight: 600; } .down { color: #1d6b3a; font-weight: 600; }
.warn { color: #8a4b00; }
footer { margin-top: 36px; color: var(--muted); font: 12px/1.5 Helvetica, Arial, sans-serif; }
:target { background: #fff6d6; }
)CSS";

// The summary with footnote marks; `mark` renders one.
template <typename MarkFn, typename EscFn>
std::string SummaryWith(const Brief& b, MarkFn mark, EscFn esc, const std::string& sep) {
  std::string out;
  for (const auto& s : b.summary) {
    if (!out.empty()) out += sep;
    std::vector<std::pair<int, int>> pending;  // (pieces to go, note)
    for (const auto& p : s.pieces) {
      out += esc(p.text);
      for (auto& [left, note] : pending)
        if (left > 0 && --left == 0) out += mark(note);
      if (p.note) {
        if (p.mark_after > 0)
          pending.push_back({p.mark_after, p.note});
        else
          out += mark(p.note);
      }
    }
    for (auto& [left, note] : pending)
      if (left > 0) out += mark(note);
  }
  return out;
}

std::string ChangeWords(int64_t c, int64_t p) {
  if (c == p) return "unchanged";
  std::string s = c > p ? "up " + std::to_string(c - p) : "down " + std::to_string(p - c);
  if (p > 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " (%+.0f%%)", 100.0 * static_cast<double>(c - p) / static_cast<double>(p));
    s += buf;
  }
  return s;
}

}  // namespace

std::string RenderHtml(const Brief& b, const Boundaries* boundaries) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
       "style-src 'unsafe-inline'; img-src data:\">\n"
    << "<title>" << Esc(b.title) << "</title>\n<style>" << kCss << "</style>\n</head>\n<body>\n<main>\n";
  o << "<header>\n<h1>" << Esc(b.title) << "</h1>\n<p class=\"meta\">Brief generated by sitrep from the "
    << Esc(b.store_label) << ". Filter: " << Esc(b.filter_text) << ".</p>\n</header>\n";

  // Summary.
  o << "<section class=\"summary\" id=\"summary\">\n<h2>Summary</h2>\n<p>";
  int ref = 0;
  o << SummaryWith(
      b,
      [&](int n) {
        ++ref;
        return "<sup><a href=\"#note-" + std::to_string(n) + "\" id=\"ref-" + std::to_string(ref) +
               "\">" + std::to_string(n) + "</a></sup>";
      },
      Esc, " ");
  o << "</p>\n";
  for (const auto& w : b.warnings) o << "<p class=\"warn\">" << Esc(w) << "</p>\n";
  o << "</section>\n";

  // Comparison.
  const PeriodCount& c = b.current;
  const PeriodCount& p = b.previous;
  o << "<section id=\"compare\">\n<h2>Compared with the previous period</h2>\n";
  if (p.days > 0) {
    o << "<table>\n<tr><th>period</th><th class=\"n\">days</th><th class=\"n\">raids</th>"
         "<th class=\"n\">air strikes</th><th class=\"n\">raids + strikes</th>"
         "<th class=\"n\">other incidents</th><th class=\"n\">killed</th><th class=\"n\">captured</th></tr>\n";
    for (const auto* x : {&p, &c})
      o << "<tr><td>" << (x == &p ? "previous: " : "this brief: ") << Esc(x->from) << " to "
        << Esc(x->to) << "</td><td class=\"n\">" << x->days << "</td><td class=\"n\">" << x->raids
        << "</td><td class=\"n\">" << x->strikes << "</td><td class=\"n\">" << x->operations()
        << "</td><td class=\"n\">" << x->other << "</td><td class=\"n\">" << x->killed
        << "</td><td class=\"n\">" << x->captured << "</td></tr>\n";
    int64_t cv = c.operations(), pv = p.operations();
    o << "<tr><th>change</th><td></td><td class=\"n\">" << ChangeWords(c.raids, p.raids)
      << "</td><td class=\"n\">" << ChangeWords(c.strikes, p.strikes) << "</td><td class=\"n "
      << (cv > pv ? "up" : cv < pv ? "down" : "") << "\">" << ChangeWords(cv, pv)
      << "</td><td class=\"n\">" << ChangeWords(c.other, p.other) << "</td><td class=\"n\">"
      << ChangeWords(c.killed, p.killed) << "</td><td class=\"n\">"
      << ChangeWords(c.captured, p.captured) << "</td></tr>\n</table>\n";
    o << "<p class=\"meta\">" << (cv > pv ? "Stepped up" : cv < pv ? "Scaled down" : "Unchanged")
      << ": " << cv << " raids and strikes against " << pv
      << " in the previous period of the same length (events of the previous period are listed "
         "under <a href=\"#previous\">Previous period</a>).</p>\n";
  } else {
    o << "<p class=\"meta\">No comparison: the period has no dated bounds.</p>\n";
  }
  o << "</section>\n";

  o << "<section id=\"timeline\">\n<h2>Monthly timeline</h2>\n<div class=\"figure\">\n"
    << TimelineSvg(b) << "</div>\n</section>\n";
  o << "<section id=\"map\">\n<h2>Map</h2>\n<div class=\"figure\">\n" << MapSvg(b, boundaries)
    << "</div>\n</section>\n";

  // Events.
  auto event_rows = [&](const std::vector<EventEntry>& v) {
    o << "<table>\n<tr><th>#</th><th>date</th><th>place</th><th>type</th><th>groups</th>"
         "<th class=\"n\">killed</th><th class=\"n\">captured</th><th class=\"n\">leaders k/c</th>"
         "<th>people</th><th class=\"n\">reports</th></tr>\n";
    for (const auto& e : v) {
      std::string groups;
      for (const auto& g : e.ev.groups) groups += (groups.empty() ? "" : ", ") + g;
      o << "<tr id=\"" << Label(e.n) << "\"><td>" << Label(e.n) << "</td><td>" << Esc(e.ev.date)
        << "</td><td>" << Esc(Where(e.ev)) << "</td><td>" << Esc(Kind(e)) << "</td><td>"
        << Esc(groups) << "</td><td class=\"n\">" << Opt(e.ev.killed) << "</td><td class=\"n\">"
        << Opt(e.ev.captured) << "</td><td class=\"n\">" << e.leaders_killed << "/"
        << e.leaders_captured << "</td><td>" << Esc(People(e)) << "</td><td class=\"n\">"
        << e.docs.size() << "</td></tr>\n";
      o << "<tr><td></td><td colspan=\"9\">";
      for (const auto& ct : e.cites)
        o << "<blockquote>" << Esc(ct.text) << "</blockquote><div class=\"src\">" << Esc(Span(ct))
          << (ct.published.empty() ? "" : ", " + Esc(ct.published))
          << (ct.url.empty() ? "" : ", " + Esc(ct.url)) << "</div>";
      o << "</td></tr>\n";
    }
    o << "</table>\n";
  };
  o << "<section id=\"events\">\n<h2>Events (" << b.events.size() << ")</h2>\n";
  event_rows(b.events);
  o << "</section>\n";

  // Relations.
  o << "<section id=\"relations\">\n<h2>Stated relationships</h2>\n";
  if (b.relations.empty()) {
    o << "<p class=\"meta\">The stored documents state no relationship of "
      << (b.group_id.empty() ? "these groups" : Esc(b.group.name)) << ".</p>\n";
  } else {
    o << "<table>\n<tr><th>group</th><th>relationship</th><th>with</th><th>stated in</th></tr>\n";
    auto name = [&](const std::string& id) {
      GroupName g = b.options.names ? b.options.names(id) : GroupName{};
      return g.name.empty() ? id : g.name;
    };
    for (const auto& r : b.relations) {
      o << "<tr><td>" << Esc(name(r.a)) << "</td><td>" << Esc(r.kind) << "</td><td>"
        << Esc(name(r.b)) << "</td><td>";
      for (const auto& ct : r.cites)
        o << "<blockquote>" << Esc(ct.text) << "</blockquote><div class=\"src\">" << Esc(Span(ct))
          << (ct.published.empty() ? "" : ", " + Esc(ct.published)) << "</div>";
      o << "</td></tr>\n";
    }
    o << "</table>\n";
  }
  o << "</section>\n";

  // Notes.
  o << "<section id=\"notes\">\n<h2>Notes</h2>\n<ol class=\"notes\">\n";
  for (const auto& n : b.notes) {
    o << "<li id=\"note-" << n.n << "\"><strong>" << Esc(n.what) << "</strong>";
    if (!n.see.empty()) {
      o << ": computed from notes";
      for (int s : n.see) o << " <a href=\"#note-" << s << "\">" << s << "</a>";
    }
    if (!n.events.empty()) {
      o << " — " << n.events.size() << (n.events.size() == 1 ? " event:" : " events:");
      for (int e : n.events) o << " <a href=\"#" << Label(e) << "\">" << Label(e) << "</a>";
    }
    for (int e : n.events) {
      const EventEntry* x = Find(b, e);
      if (!x) continue;
      o << "<div><a href=\"#" << Label(e) << "\">" << Label(e) << "</a> " << Esc(x->ev.date) << ", "
        << Esc(Where(x->ev)) << "</div>";
      for (const auto& ct : x->cites)
        o << "<blockquote>" << Esc(ct.text) << "</blockquote><div class=\"src\">" << Esc(Span(ct))
          << "</div>";
    }
    o << "</li>\n";
  }
  o << "</ol>\n</section>\n";

  o << "<section id=\"previous\">\n<h2>Previous period (" << Esc(p.from) << " to " << Esc(p.to)
    << "): " << b.prior.size() << " events</h2>\n";
  if (!b.prior.empty()) event_rows(b.prior);
  o << "</section>\n";

  o << "<footer>How the numbers are counted: one merged event per real-world event however many "
       "reports describe it; a report that bundles several raids or strikes counts each; raids are "
       "events of type raid, air strikes are air or drone strikes that are not part of a raid; "
       "leaders are leaders and commanders, facilitators are counted apart, both as the largest "
       "number any report of the event gives. Every sentence of the summary is a template filled "
       "with these counts; each footnote lists the events counted and the sentences they come from "
       "(document id and byte offsets into the stored text).</footer>\n";
  o << "</main>\n</body>\n</html>\n";
  return o.str();
}

std::string RenderMarkdown(const Brief& b, const std::string& timeline_svg,
                           const std::string& map_svg) {
  std::ostringstream o;
  o << "# " << MdEsc(b.title) << "\n\n";
  o << "_Brief generated by sitrep from the " << MdEsc(b.store_label) << ". Filter: "
    << MdEsc(b.filter_text) << "._\n\n";
  o << "## Summary\n\n";
  o << SummaryWith(
           b, [](int n) { return "[^" + std::to_string(n) + "]"; }, MdEsc, " ")
    << "\n\n";
  for (const auto& w : b.warnings) o << "> " << MdEsc(w) << "\n\n";

  const PeriodCount& c = b.current;
  const PeriodCount& p = b.previous;
  o << "## Compared with the previous period\n\n";
  if (p.days > 0) {
    o << "| period | days | raids | air strikes | raids + strikes | other incidents | killed | captured |\n"
         "|---|--:|--:|--:|--:|--:|--:|--:|\n";
    for (const auto* x : {&p, &c})
      o << "| " << (x == &p ? "previous: " : "this brief: ") << x->from << " to " << x->to << " | "
        << x->days << " | " << x->raids << " | " << x->strikes << " | " << x->operations() << " | "
        << x->other << " | " << x->killed << " | " << x->captured << " |\n";
    o << "| change | | " << ChangeWords(c.raids, p.raids) << " | " << ChangeWords(c.strikes, p.strikes)
      << " | " << ChangeWords(c.operations(), p.operations()) << " | " << ChangeWords(c.other, p.other)
      << " | " << ChangeWords(c.killed, p.killed) << " | " << ChangeWords(c.captured, p.captured)
      << " |\n\n";
  } else {
    o << "No comparison: the period has no dated bounds.\n\n";
  }
  if (!timeline_svg.empty()) o << "## Monthly timeline\n\n![Raids and strikes per month](" << timeline_svg << ")\n\n";
  if (!map_svg.empty()) o << "## Map\n\n![Map of the events](" << map_svg << ")\n\n";

  auto rows = [&](const std::vector<EventEntry>& v) {
    o << "| # | date | place | type | groups | killed | captured | leaders k/c | people | reports |\n"
         "|---|---|---|---|---|--:|--:|--:|---|--:|\n";
    for (const auto& e : v) {
      std::string groups;
      for (const auto& g : e.ev.groups) groups += (groups.empty() ? "" : ", ") + g;
      o << "| " << Label(e.n) << " | " << e.ev.date << " | " << MdEsc(Where(e.ev)) << " | "
        << MdEsc(Kind(e)) << " | " << MdEsc(groups) << " | " << Opt(e.ev.killed) << " | "
        << Opt(e.ev.captured) << " | " << e.leaders_killed << "/" << e.leaders_captured << " | "
        << MdEsc(People(e)) << " | " << e.docs.size() << " |\n";
    }
    o << "\n";
  };
  o << "## Events (" << b.events.size() << ")\n\n";
  rows(b.events);
  o << "### Source sentences\n\n";
  for (const auto& e : b.events) {
    o << "- **" << Label(e.n) << "** " << e.ev.date << ", " << MdEsc(Where(e.ev)) << "\n";
    for (const auto& ct : e.cites) o << "  > " << MdEsc(ct.text) << " (" << MdEsc(Span(ct)) << ")\n";
  }
  o << "\n## Stated relationships\n\n";
  if (b.relations.empty()) {
    o << "The stored documents state no relationship of "
      << (b.group_id.empty() ? "these groups" : MdEsc(b.group.name)) << ".\n\n";
  } else {
    auto name = [&](const std::string& id) {
      GroupName g = b.options.names ? b.options.names(id) : GroupName{};
      return g.name.empty() ? id : g.name;
    };
    for (const auto& r : b.relations) {
      o << "- " << MdEsc(name(r.a)) << " — " << MdEsc(r.kind) << " — " << MdEsc(name(r.b)) << "\n";
      for (const auto& ct : r.cites) o << "  > " << MdEsc(ct.text) << " (" << MdEsc(Span(ct)) << ")\n";
    }
    o << "\n";
  }
  if (!b.prior.empty()) {
    o << "## Previous period (" << p.from << " to " << p.to << ")\n\n";
    rows(b.prior);
  }
  // Footnotes last.
  for (const auto& n : b.notes) {
    o << "[^" << n.n << "]: " << MdEsc(n.what);
    if (!n.see.empty()) {
      o << ": computed from notes";
      for (int s : n.see) o << " " << s;
    }
    if (!n.events.empty()) {
      o << " —";
      for (int e : n.events) {
        const EventEntry* x = Find(b, e);
        o << " " << Label(e);
        if (x) o << " (" << x->ev.date << ", " << MdEsc(x->ev.admin1.empty() ? Where(x->ev) : x->ev.admin1) << ")";
      }
      o << ".";
      for (const auto& ct : n.cites) o << " “" << MdEsc(ct.text) << "” (" << MdEsc(Span(ct)) << ")";
    }
    o << "\n";
  }
  return o.str();
}

}  // namespace sitrep::report
