// sitrep report: the brief written from a store built from press releases we
// wrote for a made-up three-month campaign against the Haqqani Network
// (tests/data/report/campaign.jsonl): March-May 2012 in Ghazni, Khost, Logar,
// Paktika and Paktiya, two raids in the three months before, two Taliban
// operations that the group filter leaves out, a wire report of one raid that
// merges with the release, and an analysis note stating the group's ties.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "kb/knowledge_base.h"
#include "query/claim_check.h"
#include "query/merge.h"
#include "report/report.h"
#include "sitrep/store.h"
#include "test_util.h"

namespace sitrep {
namespace {

using testing::Binary;
using testing::RunCommand;

std::string DataDir() { return std::string(SITREP_TEST_DATA_DIR) + "/report"; }

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new std::string(testing::TempPath("report-campaign.db"));
    std::filesystem::remove(*db_);
    auto r = RunCommand(Binary() + " ingest -q -j 1 --db " + *db_ + " " + DataDir() +
                            "/campaign.jsonl",
                        true);
    ASSERT_EQ(r.status, 0) << r.out;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove(*db_);
    delete db_;
    db_ = nullptr;
  }
  void SetUp() override {
    std::string error;
    store_ = Store::Open(*db_, &error);
    ASSERT_TRUE(store_) << error;
  }

  static report::Options CampaignOptions() {
    report::Options o;
    o.filter.group = "haqqani";
    o.filter.since = "2012-03-01";
    o.filter.until = "2012-05-31";
    o.names = [](const std::string& id) {
      for (const auto& g : testing::Kb().groups())
        if (g.id == id) return report::GroupName{g.name, g.short_name};
      return report::GroupName{};
    };
    return o;
  }

  report::Brief Build(const report::Options& o) {
    report::Brief b;
    std::string error;
    EXPECT_TRUE(report::BuildBrief(*store_, o, &b, &error)) << error;
    return b;
  }

  static std::string* db_;
  std::unique_ptr<Store> store_;
};

std::string* ReportTest::db_ = nullptr;

// --- the paragraph states the campaign we wrote -----------------------------

TEST_F(ReportTest, CampaignParagraphStatesTotalsProvincesMonthsAndLeaders) {
  report::Brief b = Build(CampaignOptions());
  std::string text = b.SummaryText();
  SCOPED_TRACE(text);
  // 14 raids and one air strike against the group between March 1 and May 31.
  EXPECT_EQ(b.current.raids, 14);
  EXPECT_EQ(b.current.strikes, 1);
  EXPECT_EQ(b.events.size(), 15u);
  EXPECT_NE(text.find("Security forces have stepped up their targeting of the Haqqani Network."),
            std::string::npos);
  EXPECT_NE(text.find("They targeted the Haqqani Network in 14 raids and one air strike in Ghazni, "
                      "Khost, Logar, Paktika, and Paktiya provinces between March 1 and May 31, "
                      "2012."),
            std::string::npos);
  // Monthly breakdown of the raids, latest month first.
  EXPECT_NE(text.find("Six of those raids took place in May, five in April, and three in March."),
            std::string::npos);
  // Leaders named where the releases name them; facilitators apart.
  EXPECT_NE(text.find("killed two Haqqani Network leaders (Mawlawi Zarghun Shah and Haji Gul "
                      "Wazir) and captured four (among them Qari Nur Agha)."),
            std::string::npos);
  EXPECT_NE(text.find("the capture of three facilitators and the death of one."),
            std::string::npos);
  // Previous 92 days: the January and February raids.
  EXPECT_EQ(b.previous.from, "2011-11-30");
  EXPECT_EQ(b.previous.to, "2012-02-29");
  EXPECT_EQ(b.previous.operations(), 2);
  EXPECT_NE(text.find("The 15 raids and strikes compare with two in the previous 92 days "
                      "(Nov. 30, 2011, to Feb. 29, 2012), an increase of 13."),
            std::string::npos);
  // The Taliban operations are not in the brief; the wire report merged.
  for (const auto& e : b.events) {
    EXPECT_NE(e.ev.admin1, "Helmand");
    if (e.ev.date == "2012-04-09") {
    EXPECT_EQ(e.docs.size(), 2u);
  }
  }
  // Stated relationships from the analysis note.
  std::set<std::string> rel;
  for (const auto& r : b.relations) rel.insert(r.a + " " + r.kind + " " + r.b);
  EXPECT_TRUE(rel.count("haqqani ally al-qaeda")) << ::testing::PrintToString(rel);
  EXPECT_TRUE(rel.count("haqqani ally ttp")) << ::testing::PrintToString(rel);
  EXPECT_TRUE(b.warnings.empty());
}

// --- every number in the text is a query result --------------------------------

bool IsNumberWord(const std::string& w) {
  static const std::set<std::string> k = {
      "zero",   "one",     "two",      "three",    "four",      "five",     "six",
      "seven",  "eight",   "nine",     "ten",      "eleven",    "twelve",   "thirteen",
      "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "thirty",
      "forty",  "fifty",   "sixty",    "seventy",  "eighty",    "ninety",
      "twenty", "dozen",   "dozens",   "hundred",  "hundreds",  "thousand", "single",
      "once",   "twice",   "another",  "first",    "second",    "third",    "half",
      "both",   "several", "few",      "many",     "couple",    "none"};
  return k.count(w) > 0;
}

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!w.empty()) {
      out.push_back(w);
      w.clear();
    }
  }
  return out;
}

// The numbers the summary may state, computed here from store queries
// independently of the report code.
std::map<std::string, int64_t> Expected(Store& store, const EventFilter& f,
                                        const std::string& prev_from, const std::string& prev_to) {
  std::map<std::string, int64_t> x;
  auto is_strike = [](const MergedEvent& e) {
    bool raid = false, strike = false;
    for (const auto& t : e.types) {
      raid = raid || t == "raid";
      strike = strike || t == "airstrike" || t == "drone_strike";
    }
    return strike && !raid;
  };
  EventFilter raids = f;
  raids.type = "raid";
  for (const auto& e : store.Events(raids, 100000)) {
    x["raids.total"] += e.count;
    x["raids.month." + e.date.substr(0, 7)] += e.count;
  }
  int64_t ops = 0, other = 0;
  for (const auto& e : store.Events(f, 100000)) {
    if (is_strike(e)) {
      x["strikes.total"] += e.count;
      x["strikes.month." + e.date.substr(0, 7)] += e.count;
    }
    bool op = is_strike(e) || std::find(e.types.begin(), e.types.end(), "raid") != e.types.end();
    if (op) {
      ops += e.count;
    } else {
      ++other;
    }
    x["leaders.killed"] += e.leaders_killed.value_or(0);
    x["leaders.captured"] += e.leaders_captured.value_or(0);
    int fk = 0, fc = 0;
    for (const auto& s : store.Sources(e.cluster_id)) {
      int k = 0, c = 0;
      for (const auto& p : s.event.people)
        if (p.role == "facilitator") {
          k += p.fate == "killed";
          c += p.fate == "captured";
        }
      fk = std::max(fk, k);
      fc = std::max(fc, c);
    }
    x["facilitators.killed"] += fk;
    x["facilitators.captured"] += fc;
  }
  x["other.total"] = other;
  EventFilter p = f;
  p.since = prev_from;
  p.until = prev_to;
  int64_t prev = 0;
  for (const auto& e : store.Events(p, 100000))
    if (is_strike(e) || std::find(e.types.begin(), e.types.end(), "raid") != e.types.end())
      prev += e.count;
  x["compare.current"] = ops;
  x["compare.previous"] = prev;
  x["compare.change"] = ops > prev ? ops - prev : prev - ops;
  x["period.days"] = *query::DayNumber(f.until) - *query::DayNumber(f.since) + 1;
  return x;
}

void CheckNumbers(Store& store, const report::Brief& b, const EventFilter& f) {
  auto expected = Expected(store, f, b.previous.from, b.previous.to);
  int numbers = 0;
  for (const auto& s : b.summary) {
    for (const auto& p : s.pieces) {
      SCOPED_TRACE(s.Text() + " / piece '" + p.text + "' key " + p.key);
      switch (p.kind) {
        case report::Piece::kNumber: {
          ++numbers;
          auto it = expected.find(p.key);
          ASSERT_NE(it, expected.end()) << "a number that is no query result";
          EXPECT_EQ(p.value, it->second);
          EXPECT_EQ(p.text, report::NumberWord(p.value, !p.text.empty() && std::isupper(
                                                                   static_cast<unsigned char>(p.text[0]))));
          if (p.key != "period.days") {
            EXPECT_GT(p.note, 0) << "number without a footnote";
            EXPECT_NE(b.FindNote(p.note), nullptr);
          }
          break;
        }
        case report::Piece::kDate:
          if (p.key == "period.from") {
    EXPECT_EQ(p.date, f.since);
  }
          if (p.key == "period.to") {
    EXPECT_EQ(p.date, f.until);
  }
          if (p.key == "previous.from") {
    EXPECT_EQ(p.date, b.previous.from);
  }
          if (p.key == "previous.to") {
    EXPECT_EQ(p.date, b.previous.to);
  }
          EXPECT_EQ(p.text, report::ApDate(p.date, p.text.find(p.date.substr(0, 4)) !=
                                                       std::string::npos));
          break;
        case report::Piece::kMonth:
          EXPECT_GT(expected["raids.month." + p.date] + expected["strikes.month." + p.date], 0);
          break;
        default:
          // Template text, places and names hold no number of their own.
          for (char c : p.text) EXPECT_FALSE(std::isdigit(static_cast<unsigned char>(c)));
          for (const auto& w : Words(p.text)) EXPECT_FALSE(IsNumberWord(w)) << w;
      }
    }
  }
  EXPECT_GE(numbers, 2);
}

TEST_F(ReportTest, EveryNumberInTheTextIsAQueryResult) {
  report::Options o = CampaignOptions();
  report::Brief b = Build(o);
  CheckNumbers(*store_, b, o.filter);
  // And the same on the rendered text: every number word or digit group in
  // the paragraph is one the pieces account for.
  std::multiset<std::string> from_pieces;
  for (const auto& s : b.summary)
    for (const auto& p : s.pieces)
      if (p.kind == report::Piece::kNumber || p.kind == report::Piece::kDate)
        for (const auto& w : Words(p.text)) from_pieces.insert(w);
  for (const auto& w : Words(b.SummaryText())) {
    bool numeric = std::isdigit(static_cast<unsigned char>(w[0])) || IsNumberWord(w);
    if (!numeric) continue;
    auto it = from_pieces.find(w);
    ASSERT_NE(it, from_pieces.end()) << "unaccounted number '" << w << "'";
    from_pieces.erase(it);
  }
}

TEST_F(ReportTest, ANarrowerFilterStillOnlyStatesQueryResults) {
  report::Options o = CampaignOptions();
  o.filter.province = "Khost";
  o.filter.since = "2012-04-01";
  o.filter.until = "2012-05-31";
  report::Brief b = Build(o);
  std::string text = b.SummaryText();
  SCOPED_TRACE(text);
  EXPECT_NE(text.find("Coalition forces have stepped up their targeting of the Haqqani Network. "
                      "They targeted the Haqqani Network in three raids in Khost province "
                      "between April 1 and May 31, 2012."),
            std::string::npos);
  CheckNumbers(*store_, b, o.filter);
}

TEST_F(ReportTest, NoSteppedUpWithoutDataForThePreviousPeriod) {
  report::Options o = CampaignOptions();
  o.filter.group = "taliban";
  o.filter.since = "2012-04-01";
  o.filter.until = "2012-04-30";
  report::Brief b = Build(o);
  std::string text = b.SummaryText();
  SCOPED_TRACE(text);
  EXPECT_EQ(text.find("stepped up"), std::string::npos);
  EXPECT_NE(text.find("Security forces targeted the Taliban in two raids in Helmand province "
                      "between April 1 and April 30, 2012. All of those raids took place in "
                      "April."),
            std::string::npos);
  EXPECT_NE(text.find("The store holds no raids against the Taliban in the previous 30 days "
                      "(March 2 to March 31, 2012)."),
            std::string::npos);
  CheckNumbers(*store_, b, o.filter);
}

// --- another module reads the paragraph back ----------------------------------

// The extractor's claim reader and the claim checker (`sitrep claims check`)
// are independent of the report: the paragraph's raid count, provinces and
// monthly breakdown must hold when they read it back against the store.
TEST_F(ReportTest, TheClaimCheckerAgreesWithTheParagraph) {
  report::Brief b = Build(CampaignOptions());
  Document d;
  d.id = "brief";
  d.text = b.SummaryText();
  d.published = b.current.to;
  Extraction x = testing::FullPipeline().Extract(d);
  query::ClaimParseOptions po;
  const KnowledgeBase* kb = &testing::Kb();
  po.group_of = [kb](const std::string& phrase) -> std::string {
    for (const auto& h : kb->Lookup(phrase))
      if (h.kind == kb::PayloadKind::kGroup && !kb->groups()[h.index].is_force)
        return kb->groups()[h.index].id;
    return "";
  };
  po.province_of = [kb](const std::string& phrase) -> std::string {
    for (const auto& h : kb->Lookup(phrase))
      if (h.kind == kb::PayloadKind::kPlace && kb->places()[h.index].level == PlaceLevel::kAdmin1)
        return kb->places()[h.index].name;
    return "";
  };
  po.as_of = b.current.to;
  bool found = false;
  for (auto c : x.claims) {
    query::NormaliseClaim(po, &c);
    if (c.metric != "raids") continue;
    found = true;
    EXPECT_EQ(c.value, 14);
    EXPECT_EQ(c.group, "haqqani");
    EXPECT_EQ(c.regions.size(), 5u);
    EXPECT_EQ(c.breakdown.size(), 3u);
    auto r = query::CheckClaim(*store_, c);
    EXPECT_TRUE(r.holds) << query::FormatClaimCheck(*store_, r, false);
  }
  EXPECT_TRUE(found) << d.text;
}

// --- every footnote points at evidence that exists ---------------------------

TEST_F(ReportTest, EveryFootnotePointsAtAnEvidenceSpanThatExists) {
  report::Brief b = Build(CampaignOptions());
  ASSERT_FALSE(b.notes.empty());
  std::map<std::string, std::string> texts;
  auto text_of = [&](const std::string& id) -> const std::string& {
    auto it = texts.find(id);
    if (it == texts.end()) {
      auto d = store_->FindDocument(id);
      EXPECT_TRUE(d.has_value()) << id;
      it = texts.emplace(id, d ? d->doc.text : std::string()).first;
    }
    return it->second;
  };
  auto check = [&](const report::Cite& c) {
    const std::string& t = text_of(c.doc_id);
    ASSERT_LE(c.start, c.end);
    ASSERT_LE(c.end, t.size()) << c.doc_id;
    EXPECT_EQ(t.substr(c.start, c.end - c.start), c.text) << c.doc_id;
    EXPECT_FALSE(c.text.empty());
  };
  std::set<int> referenced;
  for (const auto& s : b.summary)
    for (const auto& p : s.pieces)
      if (p.note) referenced.insert(p.note);
  for (const auto& n : b.notes) {
    SCOPED_TRACE(n.what);
    EXPECT_TRUE(referenced.count(n.n)) << "a note no number points at";
    if (n.see.empty()) {
      EXPECT_FALSE(n.events.empty());
      EXPECT_FALSE(n.cites.empty());
    }
    for (int s : n.see) EXPECT_NE(b.FindNote(s), nullptr);
    for (const auto& c : n.cites) check(c);
    for (int e : n.events) {
      const report::EventEntry& x = e > 0 ? b.events.at(static_cast<size_t>(e - 1))
                                          : b.prior.at(static_cast<size_t>(-e - 1));
      EXPECT_FALSE(x.cites.empty());
    }
  }
  for (int r : referenced) EXPECT_NE(b.FindNote(r), nullptr);
  // A note counts exactly what its number says.
  for (const auto& s : b.summary)
    for (const auto& p : s.pieces) {
      if (p.kind != report::Piece::kNumber || !p.note) continue;
      const report::Note* n = b.FindNote(p.note);
      ASSERT_NE(n, nullptr);
      int64_t sum = 0;
      for (int e : n->events) {
        const report::EventEntry& x = e > 0 ? b.events.at(static_cast<size_t>(e - 1))
                                            : b.prior.at(static_cast<size_t>(-e - 1));
        if (p.key.rfind("leaders.killed", 0) == 0) sum += x.leaders_killed;
        else if (p.key.rfind("leaders.captured", 0) == 0) sum += x.leaders_captured;
        else if (p.key == "facilitators.killed") sum += x.facilitators_killed;
        else if (p.key == "facilitators.captured") sum += x.facilitators_captured;
        else if (p.key == "other.total") sum += 1;
        else sum += x.operations;
      }
      if (n->see.empty()) {
    EXPECT_EQ(sum, p.value) << p.key;
  }
    }
  for (const auto& r : b.relations)
    for (const auto& c : r.cites) check(c);
  for (const auto& e : b.events)
    for (const auto& c : e.cites) check(c);
}

// --- nothing for the filter --------------------------------------------------

TEST_F(ReportTest, NothingForTheFilterIsSaidPlainly) {
  report::Options o = CampaignOptions();
  o.filter.province = "Helmand";
  report::Brief b;
  std::string error;
  EXPECT_FALSE(report::BuildBrief(*store_, o, &b, &error));
  EXPECT_NE(error.find("no events"), std::string::npos) << error;
  EXPECT_NE(error.find("Helmand"), std::string::npos) << error;

  auto r = RunCommand(Binary() + " report --db " + *db_ + " --group haqqani --province Helmand",
                      true);
  EXPECT_EQ(r.status, 4) << r.out;
  EXPECT_NE(r.out.find("the store holds no events for group Haqqani Network (haqqani) and "
                       "province Helmand; nothing to report."),
            std::string::npos)
      << r.out;
  r = RunCommand(Binary() + " report --db " + *db_ + " --since 2013-01-01", true);
  EXPECT_EQ(r.status, 4) << r.out;
  r = RunCommand(Binary() + " report --db " + *db_ + " --since 2012/01/01", true);
  EXPECT_EQ(r.status, 2) << r.out;
}

// --- the command line --------------------------------------------------------

TEST_F(ReportTest, HtmlBriefIsOneSelfContainedPage) {
  std::string out = testing::TempPath("brief.html");
  auto r = RunCommand(Binary() + " report --db " + *db_ +
                          " --group \"Haqqani Network\" --since 2012-03-01 --until 2012-05-31"
                          " --boundaries " + DataDir() + "/boxes.geojson -o " + out,
                      true);
  ASSERT_EQ(r.status, 0) << r.out;
  std::string html = Slurp(out);
  EXPECT_NE(html.find("Security forces have stepped up their targeting of the Haqqani Network."),
            std::string::npos);
  EXPECT_NE(html.find("<sup><a href=\"#note-1\""), std::string::npos);
  EXPECT_NE(html.find("id=\"note-1\""), std::string::npos);
  EXPECT_NE(html.find("id=\"E15\""), std::string::npos);
  EXPECT_EQ(std::count(html.begin(), html.end(), '\n') > 50, true);
  // Two drawings, the outlines from the boundary file, nothing fetched.
  size_t svgs = 0;
  for (size_t p = html.find("<svg"); p != std::string::npos; p = html.find("<svg", p + 1)) ++svgs;
  EXPECT_EQ(svgs, 2u);
  EXPECT_NE(html.find("<title>Khost</title>"), std::string::npos);
  for (const char* bad : {"<script", "<link", "<img", "<iframe", "src=", "@import", "url("})
    EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
}

TEST_F(ReportTest, MarkdownBriefWritesItsChartsBesideIt) {
  std::string dir = testing::TempPath("md");
  std::filesystem::create_directories(dir);
  auto r = RunCommand(Binary() + " report --db " + *db_ +
                          " --group haqqani --since 2012-03-01 --until 2012-05-31 -o " + dir +
                          "/brief.md",
                      true);
  ASSERT_EQ(r.status, 0) << r.out;
  std::string md = Slurp(dir + "/brief.md");
  EXPECT_NE(md.find("![Raids and strikes per month](brief-timeline.svg)"), std::string::npos);
  EXPECT_NE(md.find("![Map of the events](brief-map.svg)"), std::string::npos);
  EXPECT_NE(md.find("[^1]: "), std::string::npos);
  EXPECT_NE(md.find("in 14 raids[^1] and one air strike[^2] in Ghazni"), std::string::npos);
  EXPECT_NE(Slurp(dir + "/brief-timeline.svg").find("<svg"), std::string::npos);
  EXPECT_NE(Slurp(dir + "/brief-map.svg").find("<circle"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_F(ReportTest, WholeStoreWithoutFilter) {
  auto r = RunCommand(Binary() + " report --db " + *db_ + " --format md", false);
  ASSERT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("## Summary"), std::string::npos);
  EXPECT_NE(r.out.find("Helmand"), std::string::npos);  // every group this time
}

// --- pieces ------------------------------------------------------------------

TEST(ReportText, ApStyle) {
  EXPECT_EQ(report::NumberWord(1), "one");
  EXPECT_EQ(report::NumberWord(9, true), "Nine");
  EXPECT_EQ(report::NumberWord(16), "16");
  EXPECT_EQ(report::NumberWord(10, true), "Ten");
  EXPECT_EQ(report::NumberWord(21, true), "Twenty-one");
  EXPECT_EQ(report::NumberWord(40, true), "Forty");
  EXPECT_EQ(report::ApDate("2011-01-29", false), "Jan. 29");
  EXPECT_EQ(report::ApDate("2012-03-04", true), "March 4, 2012");
  EXPECT_EQ(report::ApDate("2011-09-30", true), "Sept. 30, 2011");
  EXPECT_EQ(report::MonthName("2011-04", false), "April");
  EXPECT_EQ(report::JoinList({"Kunduz"}), "Kunduz");
  EXPECT_EQ(report::JoinList({"Kunduz", "Takhar"}), "Kunduz and Takhar");
  EXPECT_EQ(report::JoinList({"a", "b", "c"}), "a, b, and c");
}

TEST(ReportBoundaries, ReadsPolygonsAndRejectsJunk) {
  report::Boundaries b;
  std::string error;
  ASSERT_TRUE(report::LoadBoundaries(DataDir() + "/boxes.geojson", &b, &error)) << error;
  ASSERT_EQ(b.shapes.size(), 2u);
  EXPECT_EQ(b.shapes[0].name, "Khost");
  EXPECT_EQ(b.shapes[1].rings.size(), 1u);
  std::string bad = testing::TempPath("bad.geojson");
  for (const char* text :
       {"not json", "[1,2]", "{\"type\":\"Polygon\",\"coordinates\":[[[500,1],[2,3]]]}",
        "{\"type\":\"FeatureCollection\",\"features\":[]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[\"a\",1]]]}"}) {
    std::ofstream(bad, std::ios::binary | std::ios::trunc) << text;
    EXPECT_FALSE(report::LoadBoundaries(bad, &b, &error)) << text;
  }
  EXPECT_FALSE(report::LoadBoundaries(DataDir() + "/missing.geojson", &b, &error));
}

}  // namespace
}  // namespace sitrep
