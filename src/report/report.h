// Analyst briefs (`sitrep report`): the counting paragraph of a Long War
// Journal-style article written from the store, with every number footnoted to
// the merged events it counts and their source sentences, plus a monthly
// timeline, a map, a table of events, the group's stated relationships and the
// comparison with the previous period of the same length.
//
//   report::Options o;
//   o.filter.group = "haqqani";
//   o.filter.since = "2012-03-01";
//   o.filter.until = "2012-05-31";
//   report::Brief b;
//   std::string err;
//   if (!report::BuildBrief(store, o, &b, &err)) ...   // err: "no events ..."
//   std::string html = report::RenderHtml(b, boundaries);
//
// Sentences come from fixed templates filled with query results: each number,
// date and name in the summary is a Piece that records what it is (its key),
// the value it shows and the footnote that lists the events it counts.
// Template text never holds a digit or a number word.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sitrep/record.h"
#include "sitrep/store.h"

namespace sitrep::report {

struct GroupName {
  std::string name;        // "Haqqani Network", "Islamic Movement of Uzbekistan"
  std::string short_name;  // "HQN", "IMU" (may be empty)
};

struct Options {
  // group, country, province, since, until are used; the rest is ignored.
  EventFilter filter;
  // Display names of groups and forces by canonical id (the knowledge base);
  // unset or returning an empty name: the id itself.
  std::function<GroupName(const std::string& id)> names;
  size_t max_events = 100000;
};

// One evidence span: a source sentence of an event or relation.
struct Cite {
  std::string doc_id, url, title, published;
  uint32_t start = 0, end = 0;  // byte offsets into the stored document text
  std::string text;
};

struct NamedPerson {
  std::string name;  // empty when the sources do not name them
  std::string role;  // leader, commander, facilitator, ...
  std::string fate;  // killed | captured | targeted
};

// A merged event of the brief, numbered E1..En by date.
struct EventEntry {
  int n = 0;
  MergedEvent ev;
  bool raid = false, strike = false;  // what it counts as (a raid that called
                                      // in air support counts as a raid)
  int operations = 0;                 // raids or strikes it counts for (ev.count)
  std::vector<Cite> cites;            // source sentences, every report
  std::vector<NamedPerson> people;    // deduplicated over its reports
  int leaders_killed = 0, leaders_captured = 0;
  int facilitators_killed = 0, facilitators_captured = 0;
  std::vector<std::string> docs;      // reporting documents
};

// A footnote: what the number counts and the events (E numbers) with their
// source sentences. Notes on the previous period cite events outside the
// table, so cites are stored with the note.
struct Note {
  int n = 0;
  std::string what;          // "raids and strikes, 2012-03-01 to 2012-05-31"
  std::vector<int> events;   // E numbers (0 for events of the previous period)
  std::vector<Cite> cites;
  std::vector<int> see;      // other notes this one is computed from
};

// A piece of a generated sentence.
struct Piece {
  enum Kind { kText, kNumber, kDate, kName, kPlace, kMonth };
  Kind kind = kText;
  std::string text;  // as shown
  std::string key;   // what it is: "operations.total", "raids.month.2012-04", ...
  int64_t value = 0; // kNumber: the value shown
  std::string date;  // kDate: YYYY-MM-DD; kMonth: YYYY-MM
  int note = 0;      // footnote of what this piece counts (0: none)
  int mark_after = 0;  // show the footnote mark after this many more pieces
};

struct Sentence {
  std::vector<Piece> pieces;
  std::string Text() const;
};

struct PeriodCount {
  std::string from, to;  // YYYY-MM-DD (may be empty when no day is known)
  int64_t days = 0;
  int64_t raids = 0, strikes = 0, other = 0, killed = 0, captured = 0;
  int64_t operations() const { return raids + strikes; }
};

struct MonthRow {
  std::string month;  // YYYY-MM
  int64_t raids = 0, strikes = 0, other = 0;
  bool previous = false;  // in the previous period
};

struct RelationEntry {
  std::string a, b, kind;
  std::vector<Cite> cites;
};

struct Brief {
  Options options;
  std::string group_id;      // filter group ("" when none)
  GroupName group;           // its display names
  std::string subject;       // "Security forces", "Coalition forces"
  PeriodCount current, previous;
  std::vector<EventEntry> events;     // in the period, by date
  std::vector<EventEntry> prior;      // in the previous period (not numbered)
  std::vector<MonthRow> months;       // previous and current period, every month
  std::vector<std::pair<std::string, int64_t>> provinces;  // operations per province
  std::vector<RelationEntry> relations;
  std::vector<Sentence> summary;
  std::vector<Note> notes;
  std::string title;                  // "Haqqani Network: raids and strikes, March-May 2012"
  std::string filter_text;            // the filter in words
  std::string store_label;            // backend and counts, for the footer
  std::vector<std::string> warnings;  // e.g. source sentences not found

  // The summary as one paragraph of plain text (footnote markers omitted).
  std::string SummaryText() const;
  const Note* FindNote(int n) const;
};

// Queries the store and fills the brief. Returns false with a plain message
// in *error when the store holds no event for the filter in the period.
// Throws StoreError on database failures.
bool BuildBrief(Store& store, const Options& options, Brief* brief, std::string* error);

// Province outlines for the map (from a GeoJSON file), optional.
struct Boundaries {
  struct Shape {
    std::string name;
    std::vector<std::vector<std::pair<double, double>>> rings;  // (lon, lat)
  };
  std::vector<Shape> shapes;
};
// Reads Polygon/MultiPolygon features of a GeoJSON FeatureCollection, Feature
// or geometry; the name comes from properties name/NAME_1/shapeName/ADM1_EN.
bool LoadBoundaries(const std::string& path, Boundaries* out, std::string* error);

// SVG drawings (self-contained, no external references).
std::string TimelineSvg(const Brief& b);
std::string MapSvg(const Brief& b, const Boundaries* boundaries);

// The brief as one self-contained HTML page (CSS and SVG inline, no scripts,
// no external requests).
std::string RenderHtml(const Brief& b, const Boundaries* boundaries);
// The brief as Markdown; `timeline_svg` and `map_svg` are the file names the
// images are written to beside it (empty: no image links).
std::string RenderMarkdown(const Brief& b, const std::string& timeline_svg,
                           const std::string& map_svg);

// Text helpers shared by the templates and the tests.
// AP style: one..nine, then digits; at the start of a sentence (capitalise)
// words up to 99 ("Ten", "Twenty-one").
std::string NumberWord(int64_t n, bool capitalise = false);
std::string ApDate(const std::string& ymd, bool with_year);  // "Jan. 29", "March 4, 2012"
std::string MonthName(const std::string& ym, bool with_year);  // "April", "April 2012"
std::string JoinList(const std::vector<std::string>& items);    // "a, b, and c"

}  // namespace sitrep::report
