// Profile full: page reading, events, claims, relations, strike reports. The
// pages in tests/full/data were written for these tests; the seed article test
// reads ../shared/seed and skips when it is absent.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>

#include <simdjson.h>

#include "clean/html.h"
#include "extract/extractor.h"
#include "extract/full_common.h"
#include "test_util.h"
#include "util/json_writer.h"

namespace sitrep {
namespace {

using testing::FullPipeline;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string DataPath(const std::string& name) {
  return std::string(SITREP_SOURCE_DIR) + "/tests/full/data/" + name;
}

Extraction ExtractFull(const std::string& text, const std::string& published = "",
               const std::string& format = "") {
  Document d;
  d.id = "t";
  d.text = text;
  d.published = published;
  d.format = format;
  return FullPipeline().Extract(d);
}

// The text that offsets index: the cleaned text for HTML, else the input.
const std::string& OffsetText(const Extraction& x, const std::string& input) {
  return x.text.empty() ? input : x.text;
}

void ExpectExactEvidence(const std::vector<Evidence>& list, const std::string& text) {
  for (const auto& e : list) {
    ASSERT_LE(e.start, e.end);
    ASSERT_LE(e.end, text.size());
    EXPECT_EQ(text.substr(e.start, e.end - e.start), e.text);
    EXPECT_FALSE(e.text.empty());
  }
}

void ExpectAllEvidenceExact(const Extraction& x, const std::string& input) {
  const std::string& t = OffsetText(x, input);
  for (const auto& e : x.events) ExpectExactEvidence(e.evidence, t);
  for (const auto& c : x.claims) ExpectExactEvidence(c.evidence, t);
  for (const auto& r : x.relations) ExpectExactEvidence(r.evidence, t);
}

// Every piece of evidence, for chrome checks.
std::vector<std::string> AllEvidence(const Extraction& x) {
  std::vector<std::string> out;
  for (const auto& e : x.events)
    for (const auto& v : e.evidence) out.push_back(v.text);
  for (const auto& c : x.claims)
    for (const auto& v : c.evidence) out.push_back(v.text);
  for (const auto& r : x.relations)
    for (const auto& v : r.evidence) out.push_back(v.text);
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool HasRelation(const Extraction& x, const std::string& a, const std::string& b) {
  return std::any_of(x.relations.begin(), x.relations.end(), [&](const Relation& r) {
    return (r.a == a && r.b == b) || (r.a == b && r.b == a);
  });
}

std::vector<const Event*> Reported(const Extraction& x) {
  std::vector<const Event*> out;
  for (const auto& e : x.events)
    if (!e.background) out.push_back(&e);
  return out;
}

// ---------------------------------------------------------------- cleaning

TEST(PageReading, SniffsHtml) {
  EXPECT_TRUE(clean::LooksLikeHtml("<!DOCTYPE html><html><body><p>x</p></body></html>"));
  EXPECT_TRUE(clean::LooksLikeHtml("  \n<div class=a><p>Text</p></div>"));
  EXPECT_FALSE(clean::LooksLikeHtml("KABUL, Afghanistan (Jan. 5, 2012) <b> is not html"));
  EXPECT_FALSE(clean::LooksLikeHtml("<<< not a tag"));
}

TEST(PageReading, ParsesPageDates) {
  EXPECT_EQ(clean::ParsePageDate("2012-03-14T09:30:00+00:00"), "2012-03-14");
  EXPECT_EQ(clean::ParsePageDate("By Jane Example | March 14, 2012"), "2012-03-14");
  EXPECT_EQ(clean::ParsePageDate("Posted on 5 May 2011"), "2011-05-05");
  EXPECT_EQ(clean::ParsePageDate("Thursday, Sept. 1, 2011"), "2011-09-01");
  EXPECT_EQ(clean::ParsePageDate("no date here"), "");
}

TEST(PageReading, HtmlKeepsArticleDropsChrome) {
  std::string html = ReadFile(DataPath("news_page.html"));
  ASSERT_FALSE(html.empty());
  clean::Page p = clean::CleanHtml(html);
  EXPECT_EQ(p.title, "Coalition raid nets Haqqani facilitator in Khost");
  EXPECT_EQ(p.published, "2012-03-14");
  EXPECT_NE(p.text.find("In Sabari district, Khost province"), std::string::npos);
  EXPECT_NE(p.text.find("12 raids against the Haqqani Network"), std::string::npos);
  for (const char* chrome :
       {"Share on Facebook", "donation", "Give now", "Tags:", "senior editor", "Comments",
        "reader42", "Most read", "Theatres", "All rights reserved", "tracker", "Pakistan",
        "By Jane Example"})
    EXPECT_EQ(p.text.find(chrome), std::string::npos) << chrome;
  // The <blockquote> is a quoted release.
  ASSERT_FALSE(p.quotes.empty());
  std::string q = p.text.substr(p.quotes[0].first, p.quotes[0].second - p.quotes[0].first);
  EXPECT_EQ(q.rfind("In Sabari district", 0), 0u) << q;
  // The source map points back into the HTML.
  uint32_t at = static_cast<uint32_t>(p.text.find("In Sabari district"));
  uint32_t src = p.SourceOffset(at);
  EXPECT_EQ(html.compare(src, 18, "In Sabari district"), 0);
}

TEST(PageReading, PlainTextChromeIsBlankedInPlace) {
  std::string text = ReadFile(DataPath("news_page.txt"));
  clean::Page p = clean::CleanText(text);
  ASSERT_EQ(p.text.size(), text.size());  // offsets are kept
  EXPECT_EQ(p.title, "Afghan forces capture Taliban bomb maker in Helmand");
  EXPECT_EQ(p.published, "2012-06-03");
  for (const char* chrome : {"donation", "Tags:", "Comments", "commenter", "contributing writer",
                             "Share this", "Somalia", "Kunar", "By Sam"})
    EXPECT_EQ(p.text.find(chrome), std::string::npos) << chrome;
  EXPECT_NE(p.text.find("Three other suspected insurgents were detained"), std::string::npos);
}

TEST(PageReading, QuotedReleaseInText) {
  std::string t =
      "Intro sentence about a raid.\n\nFrom the ISAF press release:\n\nIn Nawa district, "
      "Helmand province, a security force detained two insurgents today.\n\nThe group "
      "remains active.\n";
  auto q = clean::FindQuotedReleases(t);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(t.substr(q[0].first, q[0].second - q[0].first).rfind("In Nawa district", 0), 0u);
  EXPECT_EQ(t.substr(q[0].first, q[0].second - q[0].first).find("remains"), std::string::npos);
}

TEST(PageReading, WireDatelineIsBlankedAndDatesThePage) {
  {
    std::string t =
        "Headline here\n\nPESHAWAR, Pakistan, Oct. 10, 2012 - A drone struck a house near "
        "Miran Shah on Tuesday.\n";
    clean::Page p = clean::CleanText(t);
    ASSERT_EQ(p.text.size(), t.size());
    EXPECT_EQ(p.published, "2012-10-10");
    EXPECT_EQ(p.text.find("PESHAWAR"), std::string::npos);
    EXPECT_NE(p.text.find("A drone struck"), std::string::npos);
  }
  {
    clean::Page p = clean::CleanText("TAMPA, Fla. (July 14, 2022) - Forces raided a house.\n");
    EXPECT_EQ(p.published, "2022-07-14");
    EXPECT_EQ(p.text.find("TAMPA"), std::string::npos);
  }
  {
    clean::Page p = clean::CleanText("Title\n\nMOGADISHU, Somalia - Forces raided a house.\n");
    EXPECT_EQ(p.text.find("MOGADISHU"), std::string::npos);
  }
  // The release dateline is the header parser's; a sentence opening with a
  // place is not a dateline.
  {
    std::string t = "KABUL, Afghanistan (Jan. 5, 2012)\nForces detained two men today.\n";
    EXPECT_NE(clean::CleanText(t).text.find("KABUL"), std::string::npos);
    std::string u = "Title\n\nIn Helmand, Afghan forces - with coalition help - detained a man.\n";
    EXPECT_NE(clean::CleanText(u).text.find("In Helmand"), std::string::npos);
    std::string w = "Title\n\nISAF Joint Command - Afghanistan\nForces detained a man.\n";
    EXPECT_NE(clean::CleanText(w).text.find("ISAF Joint"), std::string::npos);
  }
}

// ------------------------------------------------------------------ events

TEST(FullProfile, HtmlPageOneMergedEvent) {
  std::string html = ReadFile(DataPath("news_page.html"));
  Extraction x = ExtractFull(html, "", "html");
  ASSERT_FALSE(x.text.empty());
  EXPECT_EQ(x.title, "Coalition raid nets Haqqani facilitator in Khost");
  EXPECT_EQ(x.published, "2012-03-14");
  ExpectAllEvidenceExact(x, html);
  auto rep = Reported(x);
  ASSERT_EQ(rep.size(), 1u);
  const Event& e = *rep[0];
  EXPECT_EQ(e.location.admin1, "Khost");
  EXPECT_EQ(e.location.admin2, "Sabari");
  EXPECT_TRUE(e.location.lat.has_value());
  EXPECT_EQ(e.date, "2012-03-13");  // "yesterday" against the meta date
  EXPECT_EQ(e.date_basis, "relative");
  EXPECT_EQ(e.target_groups, std::vector<std::string>{"haqqani"});
  ASSERT_TRUE(e.captured.has_value());
  EXPECT_GE(*e.captured, 3);
  EXPECT_TRUE(Has(e.types, "detention"));
  // The article's sentence and the quoted release are one event.
  bool article = false, release = false;
  for (const auto& ev : e.evidence) {
    if (ev.text.rfind("In a raid yesterday in Khost", 0) == 0) article = true;
    if (ev.text.rfind("In Sabari district", 0) == 0) release = true;
  }
  EXPECT_TRUE(article);
  EXPECT_TRUE(release);
  // History is background.
  bool bg = false;
  for (const auto& ev : x.events)
    for (const auto& v : ev.evidence)
      if (v.text.find("In 2010") != std::string::npos) {
        EXPECT_TRUE(ev.background);
        bg = true;
      }
  EXPECT_TRUE(bg);
  // Claims and relations.
  ASSERT_FALSE(x.claims.empty());
  const Claim& c = x.claims[0];
  EXPECT_EQ(c.metric, "raids");
  EXPECT_EQ(c.value, 12);
  EXPECT_EQ(c.group, "haqqani");
  EXPECT_EQ(c.regions.size(), 3u);
  EXPECT_EQ(c.period_from, "2012-01-05");
  ASSERT_EQ(c.breakdown.size(), 2u);
  EXPECT_EQ(c.breakdown[0].period, "2012-02");
  EXPECT_EQ(c.breakdown[0].value, 7);
  EXPECT_EQ(c.breakdown[1].period, "2012-03");
  EXPECT_EQ(c.breakdown[1].value, 3);
  EXPECT_TRUE(HasRelation(x, "haqqani", "al-qaeda"));
  EXPECT_TRUE(HasRelation(x, "haqqani", "taliban"));
  // Nothing from the comments, sidebar or donation box.
  EXPECT_FALSE(HasRelation(x, "al-shabaab", "al-qaeda"));
  for (const auto& ev : AllEvidence(x))
    for (const char* chrome : {"reader42", "Most read", "donation", "Give now", "Mosul", "Tags"})
      EXPECT_EQ(ev.find(chrome), std::string::npos) << ev;
}

TEST(FullProfile, PublishedOverridesPageDate) {
  std::string html = ReadFile(DataPath("news_page.html"));
  Document d;
  d.id = "p";
  d.text = html;
  PipelineOptions o;
  o.kb_dir = SITREP_KB_DIR;
  o.default_published = "2012-03-20";
  std::string error;
  auto p = Pipeline::Create(o, &error);
  ASSERT_TRUE(p) << error;
  Extraction x = p->Extract(d);
  EXPECT_EQ(x.published, "2012-03-20");
  auto rep = Reported(x);
  ASSERT_EQ(rep.size(), 1u);
  EXPECT_EQ(rep[0]->date, "2012-03-19");
}

TEST(FullProfile, PlainTextPageWithChrome) {
  std::string text = ReadFile(DataPath("news_page.txt"));
  Extraction x = ExtractFull(text);
  EXPECT_TRUE(x.text.empty());  // offsets index the input itself
  ExpectAllEvidenceExact(x, text);
  auto rep = Reported(x);
  ASSERT_EQ(rep.size(), 1u);
  const Event& e = *rep[0];
  EXPECT_EQ(e.location.admin1, "Helmand");
  EXPECT_EQ(e.location.admin2, "Nad-e Ali");
  EXPECT_EQ(e.date, "2012-06-02");  // Saturday before the byline date
  ASSERT_TRUE(e.captured.has_value());
  EXPECT_EQ(*e.captured, 4);
  EXPECT_TRUE(Has(e.types, "weapons_seizure"));
  ASSERT_FALSE(e.people.empty());
  EXPECT_EQ(e.people[0].role, "bomb_maker");
  EXPECT_EQ(e.people[0].fate, "captured");
  for (const auto& ev : AllEvidence(x))
    for (const char* chrome : {"Kunar", "twelve soldiers", "donation", "says"})
      EXPECT_EQ(ev.find(chrome), std::string::npos) << ev;
}

TEST(FullProfile, DigestGivesOneEventPerEntry) {
  std::string text = ReadFile(DataPath("digest.txt"));
  Extraction x = ExtractFull(text);
  ExpectAllEvidenceExact(x, text);
  auto rep = Reported(x);
  ASSERT_EQ(rep.size(), 3u);
  EXPECT_EQ(rep[0]->location.admin1, "Helmand");
  EXPECT_EQ(rep[0]->location.admin2, "Nad-e Ali");
  EXPECT_EQ(rep[0]->captured.value_or(-1), 2);
  EXPECT_EQ(rep[1]->location.admin1, "Kandahar");
  EXPECT_EQ(rep[1]->killed.value_or(-1), 3);
  EXPECT_EQ(rep[2]->location.admin1, "Paktiya");
  EXPECT_TRUE(Has(rep[2]->types, "weapons_seizure"));
  for (const Event* e : rep) {
    EXPECT_EQ(e->date, "2012-06-11");  // "yesterday" in the intro, against the dateline
    EXPECT_EQ(e->evidence.size(), 1u);
  }
}

TEST(FullProfile, StrikeReportOneEventPerPlace) {
  std::string text = ReadFile(DataPath("strike_report.txt"));
  Extraction x = ExtractFull(text, "2015-08-20");
  ExpectAllEvidenceExact(x, text);
  ASSERT_EQ(x.events.size(), 4u);
  struct Want {
    const char* country;
    const char* needle;
    int count;
  } want[] = {{"SY", "Raqqa", 2}, {"SY", "Al Hasakah", 1}, {"IQ", "Mosul", 4}, {"IQ", "Ramadi", 3}};
  for (size_t i = 0; i < 4; ++i) {
    const Event& e = x.events[i];
    EXPECT_EQ(e.location.country, want[i].country) << i;
    EXPECT_NE(e.evidence[0].text.find(want[i].needle), std::string::npos);
    EXPECT_EQ(e.count, want[i].count) << i;
    EXPECT_EQ(e.types, std::vector<std::string>{"airstrike"});
    EXPECT_EQ(e.date, "2015-08-19");
    EXPECT_TRUE(Has(e.target_groups, "islamic-state"));
  }
  EXPECT_EQ(x.events[2].location.place, "Mosul");
  // The intro's "on <day>" dates every strike.
  std::string dated = text;
  dated.replace(dated.find("yesterday"), 9, "on Aug. 17");
  Extraction y = ExtractFull(dated, "2015-08-20");
  ASSERT_EQ(y.events.size(), 4u);
  EXPECT_EQ(y.events[0].date, "2015-08-17");
  EXPECT_EQ(y.events[0].date_basis, "explicit");
  EXPECT_EQ(x.events[3].location.place, "Ramadi");
}

TEST(FullProfile, AttackTollNamesAndUndatedOperations) {
  {
    // Everyone the attack killed counts; a bombing is not a raid.
    Extraction x = ExtractFull(
        "A roadside bomb struck an army patrol near Baqubah in Diyala province on Tuesday, "
        "killing three soldiers, officials said.",
        "2020-01-29");
    auto rep = Reported(x);
    ASSERT_EQ(rep.size(), 1u);
    EXPECT_EQ(rep[0]->killed.value_or(-1), 3);
    EXPECT_TRUE(Has(rep[0]->types, "ied"));
    EXPECT_FALSE(Has(rep[0]->types, "raid"));
    EXPECT_EQ(rep[0]->date, "2020-01-28");
  }
  {
    // A name given in apposition, in a later sentence.
    std::string t =
        "Afghan and coalition forces captured a Haqqani Network leader in Tani district, Khost "
        "province, last night.\n\nThe leader, Qari Gul Bacha, moved fighters across the border.";
    Extraction x = ExtractFull(t, "2011-09-22");
    auto rep = Reported(x);
    ASSERT_EQ(rep.size(), 1u);
    ASSERT_FALSE(rep[0]->people.empty());
    EXPECT_EQ(rep[0]->people[0].name, "Qari Gul Bacha");
  }
  {
    // Operations named without a day are commentary, not an event.
    Extraction x = ExtractFull(
        "Afghan forces now lead nearly all operations in Helmand and Kandahar provinces.",
        "2013-06-20");
    EXPECT_TRUE(Reported(x).empty());
  }
  {
    // An explicit day in the event's sentence beats the page date.
    Extraction x = ExtractFull(
        "Syrian Democratic Forces detained an ISIS financier in Hasakah province on March 10, "
        "2021.",
        "2021-03-12");
    auto rep = Reported(x);
    ASSERT_EQ(rep.size(), 1u);
    EXPECT_EQ(rep[0]->date, "2021-03-10");
    EXPECT_EQ(rep[0]->date_basis, "explicit");
  }
}

// ------------------------------------------------------------------ claims

TEST(Claims, SingleSentences) {
  {
    Extraction x = ExtractFull("Coalition aircraft have carried out more than 20 strikes against "
                       "al Shabaab in Somalia this year.",
                       "2019-06-30");
    ASSERT_EQ(x.claims.size(), 1u);
    EXPECT_EQ(x.claims[0].metric, "strikes");
    EXPECT_EQ(x.claims[0].value, 21);
    EXPECT_EQ(x.claims[0].group, "al-shabaab");
    EXPECT_EQ(x.claims[0].regions, std::vector<std::string>{"Somalia"});
    EXPECT_EQ(x.claims[0].period_from, "2019-01-01");
    EXPECT_EQ(x.claims[0].period_to, "2019-06-30");
  }
  {
    Extraction x = ExtractFull("It was the third strike this month against the group.", "2019-06-30");
    ASSERT_EQ(x.claims.size(), 1u);
    EXPECT_EQ(x.claims[0].metric, "strikes");
    EXPECT_EQ(x.claims[0].value, 3);
    EXPECT_EQ(x.claims[0].period_from, "2019-06-01");
  }
  {
    // No publication date: the year stays unknown.
    Extraction x = ExtractFull("Afghan forces have killed 45 Taliban fighters in Helmand since March 1.");
    ASSERT_EQ(x.claims.size(), 1u);
    EXPECT_EQ(x.claims[0].metric, "killed");
    EXPECT_EQ(x.claims[0].value, 45);
    EXPECT_EQ(x.claims[0].group, "taliban");
    EXPECT_EQ(x.claims[0].regions, std::vector<std::string>{"Helmand"});
    EXPECT_EQ(x.claims[0].period_from, "--03-01");
    ExpectExactEvidence(x.claims[0].evidence,
                        "Afghan forces have killed 45 Taliban fighters in Helmand since March 1.");
  }
  {
    Extraction x = ExtractFull("Special forces captured more than 20 Haqqani leaders this year.",
                       "2012-10-01");
    ASSERT_EQ(x.claims.size(), 1u);
    EXPECT_EQ(x.claims[0].metric, "leaders_captured");
    EXPECT_EQ(x.claims[0].value, 21);
    EXPECT_EQ(x.claims[0].group, "haqqani");
  }
}

TEST(Claims, ParagraphWithBreakdown) {
  std::string t =
      "Security forces have mounted 22 raids against Lashkar-e-Taiba cells in Kunar and "
      "Nuristan provinces since Feb. 2. Fifteen of those raids took place in May and "
      "seven occurred in April.";
  Extraction x = ExtractFull(t, "2011-06-10");
  ASSERT_EQ(x.claims.size(), 1u);
  const Claim& c = x.claims[0];
  EXPECT_EQ(c.metric, "raids");
  EXPECT_EQ(c.value, 22);
  EXPECT_EQ(c.group, "let");
  EXPECT_EQ(c.regions, (std::vector<std::string>{"Kunar", "Nuristan"}));
  EXPECT_EQ(c.period_from, "2011-02-02");
  EXPECT_EQ(c.period_to, "2011-06-10");
  ASSERT_EQ(c.breakdown.size(), 2u);
  EXPECT_EQ(c.breakdown[0].period, "2011-05");
  EXPECT_EQ(c.breakdown[0].value, 15);
  EXPECT_EQ(c.breakdown[1].period, "2011-04");
  EXPECT_EQ(c.breakdown[1].value, 7);
  EXPECT_EQ(c.evidence.size(), 2u);
  ExpectAllEvidenceExact(x, t);
  // An aggregate is not an event.
  EXPECT_TRUE(Reported(x).empty());
}

TEST(Relations, Kinds) {
  std::string t =
      "The Islamic Jihad Union is a splinter group of the Islamic Movement of Uzbekistan. "
      "AQAP, al Qaeda's affiliate in Yemen, has clashed with the Houthis. The group "
      "has pledged allegiance to al Qaeda.";
  Extraction x = ExtractFull(t);
  auto kind = [&](const std::string& a, const std::string& b) {
    for (const auto& r : x.relations)
      if (r.a == a && r.b == b) return r.kind;
    return std::string();
  };
  EXPECT_EQ(kind("iju", "imu"), "splinter_of");
  EXPECT_EQ(kind("aqap", "al-qaeda"), "affiliate");
  EXPECT_EQ(kind("aqap", "houthis"), "rival");
  ExpectAllEvidenceExact(x, t);
}

// Every evidence span of every record on the ISAF dev releases slices the
// input exactly (and the full profile runs clean on real releases).
TEST(FullProfile, EvidenceExactOnIsafDev) {
  if (!testing::HaveShared("data/isaf/dev.jsonl")) GTEST_SKIP() << "no ../shared/data/isaf";
  simdjson::ondemand::parser parser;
  simdjson::padded_string json =
      simdjson::padded_string::load(testing::SharedDir() + "/data/isaf/dev.jsonl");
  simdjson::ondemand::document_stream docs = parser.iterate_many(json);
  size_t n = 0, events = 0;
  for (auto doc : docs) {
    std::string_view text;
    ASSERT_EQ(doc["text"].get_string().get(text), simdjson::SUCCESS);
    std::string t(text);
    Extraction x = ExtractFull(t);
    ExpectAllEvidenceExact(x, t);
    events += x.events.size();
    ++n;
  }
  EXPECT_EQ(n, 363u);
  EXPECT_GE(events, n * 9 / 10);
}

// ------------------------------------------------------------ view facts

// The rules skip items and sentences by the facts View computes once; those
// must agree with the items they summarise, or a rule would miss a match.
void ExpectViewFactsAgree(const std::string& text) {
  using extract::ItemKind;
  namespace fact = extract::full::fact;
  const KnowledgeBase& kb = testing::Kb();
  extract::DocumentAnalysis d;
  extract::AnalyseDocument(kb, text, text::Date(), &d);
  const extract::Analysis& a = d.analysis;
  extract::full::View v(kb, a);
  const extract::full::Words& w = v.w();
  ASSERT_EQ(v.Items(), a.items.size());
  for (uint32_t i = 0; i < v.Items(); ++i) {
    const extract::Item& it = a.items[i];
    bool one_word = it.kind != ItemKind::kPunct && it.tok_end - it.tok_begin == 1;
    EXPECT_EQ(v.WordHash(i), one_word ? it.hash : 0u) << i;
    for (uint64_t h : {w.since_, w.the_, w.drone_, w.soldiers_, w.on_, w.march_})
      EXPECT_EQ(v.Word(i, h), one_word && it.hash == h) << i;
    for (int l = 0; l < static_cast<int>(Lex::kCount); ++l)
      EXPECT_EQ(v.IsLex(i, static_cast<Lex>(l)),
                it.kind == ItemKind::kLex && it.lex == static_cast<Lex>(l))
          << i;
    int group = -1;
    std::vector<int> places;
    for (uint32_t p = it.payload_begin; p < it.payload_end; ++p) {
      if (it.kind == ItemKind::kGroup && group < 0 &&
          a.payloads[p].kind == kb::PayloadKind::kGroup)
        group = static_cast<int>(a.payloads[p].index);
      if (it.kind == ItemKind::kPlace && a.payloads[p].kind == kb::PayloadKind::kPlace)
        places.push_back(static_cast<int>(a.payloads[p].index));
    }
    EXPECT_EQ(v.GroupOf(i), group) << i;
    EXPECT_EQ(v.ArmedGroupOf(i), v.IsForce(group) ? -1 : group) << i;
    auto got = v.PlacesOf(i);
    EXPECT_EQ(std::vector<int>(got.begin(), got.end()), places) << i;
    EXPECT_EQ((v.Facts(i) & fact::kMonth) != 0, v.MonthAt(i) > 0) << i;
    if (v.IsLex(i, Lex::kMonth)) {
      EXPECT_EQ(v.MonthAt(i), v.LexOf(i).number) << i;
    }
    // A month name the matcher read as a word or a place ("March" is also a
    // village) is still a month.
    static const std::vector<std::string_view> kMonths = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    bool month_name = std::find(kMonths.begin(), kMonths.end(), v.Raw(i)) != kMonths.end();
    if ((it.kind == ItemKind::kWord || it.kind == ItemKind::kPlace) && one_word && month_name) {
      EXPECT_GT(v.MonthAt(i), 0) << v.Raw(i);
    }
  }
  for (uint32_t s = 0; s < v.Sentences(); ++s) {
    uint32_t peek_end = std::min(v.SentEnd(s) + extract::full::View::kPeek, v.Items());
    for (uint32_t i = v.SentBegin(s); i < peek_end; ++i)
      EXPECT_EQ(v.SentFacts(s) & v.Facts(i), v.Facts(i)) << s << " " << i;
    std::vector<uint32_t> place_items;
    for (uint32_t i = v.SentBegin(s); i < v.SentEnd(s); ++i)
      if (a.items[i].kind == ItemKind::kPlace) place_items.push_back(i);
    auto got = v.PlaceItems(s);
    EXPECT_EQ(std::vector<uint32_t>(got.begin(), got.end()), place_items) << s;
  }
}

TEST(FullView, FactsAgreeWithItems) {
  for (const char* name : {"digest.txt", "news_page.txt", "strike_report.txt"})
    ExpectViewFactsAgree(ReadFile(DataPath(name)));
  ExpectViewFactsAgree(
      "KABUL, Afghanistan (March 5, 2011) - Since January, drone strikes killed two "
      "Taliban leaders near Kandahar. On May 3 soldiers detained a facilitator in "
      "Helmand province.");
  if (!testing::HaveShared("data/isaf/dev.jsonl")) return;
  simdjson::ondemand::parser parser;
  simdjson::padded_string json =
      simdjson::padded_string::load(testing::SharedDir() + "/data/isaf/dev.jsonl");
  simdjson::ondemand::document_stream docs = parser.iterate_many(json);
  for (auto doc : docs) {
    std::string_view text;
    ASSERT_EQ(doc["text"].get_string().get(text), simdjson::SUCCESS);
    ExpectViewFactsAgree(std::string(text));
  }
}

// ------------------------------------------------------------ JSON line

// The full record as util::JsonWriter writes it, field by field: the
// contract ToJsonLine's literal writer keeps.
std::string ReferenceLine(const Extraction& x) {
  std::string out;
  util::JsonWriter w(&out);
  auto evidence = [&](const std::vector<Evidence>& list) {
    w.BeginArray();
    for (const auto& ev : list) {
      w.BeginObject();
      w.Key("start").Int(ev.start);
      w.Key("end").Int(ev.end);
      w.Key("text").String(ev.text);
      w.EndObject();
    }
    w.EndArray();
  };
  w.BeginObject();
  w.Key("id").String(x.doc_id);
  if (!x.title.empty()) w.Key("title").String(x.title);
  if (!x.published.empty()) w.Key("published").String(x.published);
  w.Key("events").BeginArray();
  for (const auto& e : x.events) {
    w.BeginObject();
    w.Key("event_id").String(e.event_id);
    w.Key("doc_id").String(e.doc_id);
    w.Key("types").StringArray(e.types);
    w.Key("date").String(e.date);
    w.Key("date_precision").String(e.date_precision);
    w.Key("date_basis").String(e.date_basis);
    w.Key("location").BeginObject();
    w.Key("country").String(e.location.country);
    w.Key("admin1").String(e.location.admin1);
    w.Key("admin1_code").String(e.location.admin1_code);
    w.Key("admin2").String(e.location.admin2);
    w.Key("place").String(e.location.place);
    w.Key("lat").OptDouble(e.location.lat);
    w.Key("lon").OptDouble(e.location.lon);
    w.Key("precision").String(e.location.precision);
    w.EndObject();
    w.Key("actor").String(e.actor);
    w.Key("target_groups").StringArray(e.target_groups);
    w.Key("killed").OptInt(e.killed);
    w.Key("captured").OptInt(e.captured);
    w.Key("leaders_killed").OptInt(e.leaders_killed);
    w.Key("leaders_captured").OptInt(e.leaders_captured);
    w.Key("count").Int(e.count);
    w.Key("airstrike").Bool(e.airstrike);
    w.Key("no_shots_fired").Bool(e.no_shots_fired);
    w.Key("people").BeginArray();
    for (const auto& p : e.people) {
      w.BeginObject();
      w.Key("name").String(p.name);
      w.Key("role").String(p.role);
      w.Key("group").String(p.group);
      w.Key("fate").String(p.fate);
      w.EndObject();
    }
    w.EndArray();
    w.Key("background").Bool(e.background);
    w.Key("evidence");
    evidence(e.evidence);
    w.Key("confidence").Double(e.confidence);
    w.EndObject();
  }
  w.EndArray();
  w.Key("claims").BeginArray();
  for (const auto& c : x.claims) {
    w.BeginObject();
    w.Key("text").String(c.text);
    w.Key("metric").String(c.metric);
    w.Key("value").Int(c.value);
    w.Key("group").String(c.group);
    w.Key("regions").StringArray(c.regions);
    w.Key("period").BeginObject();
    w.Key("from").String(c.period_from);
    w.Key("to").String(c.period_to);
    w.EndObject();
    w.Key("breakdown").BeginArray();
    for (const auto& p : c.breakdown) {
      w.BeginObject();
      w.Key("period").String(p.period);
      w.Key("value").Int(p.value);
      w.EndObject();
    }
    w.EndArray();
    w.Key("evidence");
    evidence(c.evidence);
    w.EndObject();
  }
  w.EndArray();
  w.Key("relations").BeginArray();
  for (const auto& r : x.relations) {
    w.BeginObject();
    w.Key("a").String(r.a);
    w.Key("b").String(r.b);
    w.Key("kind").String(r.kind);
    w.Key("evidence");
    evidence(r.evidence);
    w.EndObject();
  }
  w.EndArray();
  if (!x.text.empty()) w.Key("text").String(x.text);
  w.EndObject();
  return out;
}

TEST(FullJson, LineIsJsonWritersOnPagesAndHandMadeRecords) {
  for (const char* name : {"digest.txt", "news_page.txt", "strike_report.txt"}) {
    Extraction x = ExtractFull(ReadFile(DataPath(name)), "2011-03-05");
    EXPECT_EQ(ToJsonLine(x, Profile::kFull), ReferenceLine(x)) << name;
  }
  Extraction x;
  x.doc_id = "d\"1";
  x.title = "A \"title\"\n";
  x.published = "2011-03-05";
  x.text = "text\twith\\escapes \xE2\x80\xA8";
  for (int k = 0; k < 3; ++k) {
    Event e;
    e.event_id = "id" + std::to_string(k);
    e.doc_id = x.doc_id;
    e.types = {"raid", "detention"};
    e.location.lat = k == 0 ? std::optional<double>() : std::optional<double>(-12.5 * k);
    e.location.lon = 0.1 * k;
    e.killed = k;
    e.leaders_captured = -k;
    e.people = {Person{"N", "leader", "g", "killed"}, Person{}};
    e.evidence = {Evidence{1, 2, "a"}, Evidence{3, 4, "b\"c"}};
    e.confidence = 0.4 + 0.2 * k;
    x.events.push_back(e);
  }
  Claim c;
  c.text = "claim";
  c.regions = {"r1", "r2"};
  c.breakdown = {{"2011", 3}, {"2012", -4}};
  c.evidence = {Evidence{5, 6, "e"}};
  x.claims = {c, Claim{}};
  x.relations = {Relation{"a", "b", "ally", {Evidence{7, 8, "r"}}}, Relation{}};
  EXPECT_EQ(ToJsonLine(x, Profile::kFull), ReferenceLine(x));
  EXPECT_EQ(ToJsonLine(Extraction{}, Profile::kFull), ReferenceLine(Extraction{}));
}

// Coordinates and confidences take a path in integers; their digits are
// still those of printf("%.10g").
TEST(FullJson, NumbersAreThoseOfPrintf) {
  std::mt19937_64 rng(7);
  std::vector<double> values = {0.0, -0.0, 1.0, 0.9, 0.5, 0.6000000000000001,
                                0.9000000000000001, 1e-3, 9.99999999995e-4, 1e9,
                                999999999.95, 9.9999999995, 0.09999999999999999,
                                37.0996, -68.8127, 1e-7, 12345678912.5, 2.5e-3};
  for (int i = 0; i < 20000; ++i) {
    values.push_back(static_cast<double>(static_cast<int64_t>(rng() % 3600000) - 1800000) /
                     std::pow(10.0, static_cast<double>(rng() % 7)));
    values.push_back(std::ldexp(static_cast<double>(rng() >> 11), -static_cast<int>(rng() % 90)));
  }
  for (double v : values) {
    Extraction x;
    Event e;
    e.location.lat = v;
    e.confidence = -v;
    x.events.push_back(e);
    std::string line = ToJsonLine(x, Profile::kFull);
    char lat[64], conf[64];
    std::snprintf(lat, sizeof lat, "\"lat\":%.10g,", v);
    std::snprintf(conf, sizeof conf, "\"confidence\":%.10g}", -v);
    EXPECT_NE(line.find(lat), std::string::npos) << line;
    EXPECT_NE(line.find(conf), std::string::npos) << line;
  }
}

// ---------------------------------------------------------------- the seed

TEST(Seed, ArticleGivesTheAnalystsRecord) {
  std::string dir = testing::SharedDir() + "/seed";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no ../shared/seed";
  bool any = false;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (f.path().extension() != ".txt") continue;
    any = true;
    std::string text = ReadFile(f.path().string());
    Extraction x = ExtractFull(text, "2011-05-05");
    ExpectAllEvidenceExact(x, text);
    auto rep = Reported(x);
    ASSERT_EQ(rep.size(), 1u) << f.path();
    const Event& e = *rep[0];
    EXPECT_TRUE(Has(e.types, "raid"));
    EXPECT_TRUE(Has(e.types, "detention"));
    EXPECT_EQ(e.location.country, "AF");
    EXPECT_EQ(e.location.admin1, "Kunduz");
    EXPECT_EQ(e.location.admin2, "Imam Sahib");
    EXPECT_TRUE(e.location.lat.has_value() && e.location.lon.has_value());
    EXPECT_FALSE(e.actor.empty());
    EXPECT_EQ(e.target_groups, std::vector<std::string>{"imu"});
    ASSERT_TRUE(e.captured.has_value());
    EXPECT_GE(*e.captured, 3);
    int leaders = 0;
    for (const auto& p : e.people)
      if (p.role == "leader") {
        ++leaders;
        EXPECT_EQ(p.group, "imu");
      }
    EXPECT_EQ(leaders, 1);
    EXPECT_GE(e.evidence.size(), 2u);  // the article's sentence and the release
    // The 16-raids claim.
    const Claim* raids = nullptr;
    for (const auto& c : x.claims)
      if (c.metric == "raids" && c.value == 16) raids = &c;
    ASSERT_NE(raids, nullptr);
    EXPECT_EQ(raids->group, "imu");
    EXPECT_EQ(raids->regions.size(), 7u);
    EXPECT_EQ(raids->period_from, "2011-01-29");
    bool april = false, march = false;
    for (const auto& p : raids->breakdown) {
      if (p.period == "2011-04" && p.value == 9) april = true;
      if (p.period == "2011-03" && p.value == 4) march = true;
    }
    EXPECT_TRUE(april);
    EXPECT_TRUE(march);
    // Relations.
    EXPECT_TRUE(HasRelation(x, "imu", "al-qaeda"));
    EXPECT_TRUE(HasRelation(x, "imu", "taliban"));
    EXPECT_TRUE(HasRelation(x, "imu", "haqqani"));
    // "past two commanders" is background, never a reported event.
    bool seen = false;
    for (const auto& ev : x.events)
      for (const auto& v : ev.evidence)
        if (v.text.find("past two commanders") != std::string::npos) {
          EXPECT_TRUE(ev.background);
          seen = true;
        }
    EXPECT_TRUE(seen);
    // No chrome anywhere.
    for (const auto& ev : AllEvidence(x))
      for (const char* chrome :
           {"Comments", "donation", "says", "Senior Fellow", "Tags", "LWJ reports", "Boko"})
        EXPECT_EQ(ev.find(chrome), std::string::npos) << ev;
  }
  if (!any) GTEST_SKIP() << "no seed text";
}

}  // namespace
}  // namespace sitrep
