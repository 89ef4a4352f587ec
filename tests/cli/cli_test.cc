// The command-line contract: output shape, bad rows, exit statuses.
#include <fstream>

#include <simdjson.h>

#include "test_util.h"

namespace sitrep {
namespace {

using testing::Binary;
using testing::RunCommand;

TEST(Cli, BadRowsAreReportedSkippedAndCounted) {
  std::string path = testing::TempPath("mixed.jsonl");
  std::ofstream(path) << "{\"id\": \"a\", \"text\": \"Coalition forces detained two insurgents in Khost province today.\"}\n"
                      << "{\"id\": \"b\", \"text\": \n"
                      << "{\"id\": \"c\"}\n"
                      << "{\"id\": \"d\", \"text\": 42}\n"
                      << "[1,2]\n"
                      << "{\"id\": \"e\", \"text\": \"Afghan forces killed one insurgent in Zabul province.\"}\n";
  auto r = RunCommand(Binary() + " extract --profile isaf " + path + " 2>" + path + ".err");
  EXPECT_EQ(r.status, 3);
  std::ifstream err(path + ".err");
  std::string e((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
  EXPECT_NE(e.find("mixed.jsonl:2: malformed JSON"), std::string::npos) << e;
  EXPECT_NE(e.find("mixed.jsonl:3: row has no \"text\" field"), std::string::npos) << e;
  EXPECT_NE(e.find("mixed.jsonl:4: \"text\" is not a string"), std::string::npos) << e;
  EXPECT_NE(e.find("mixed.jsonl:5: row is not a JSON object"), std::string::npos) << e;
  EXPECT_NE(e.find("2 documents extracted, 4 rejected"), std::string::npos) << e;
  EXPECT_NE(r.out.find("\"id\":\"a\""), std::string::npos);
  EXPECT_NE(r.out.find("\"id\":\"e\""), std::string::npos);
  EXPECT_NE(r.out.find("\"province\":[\"zabul\"]"), std::string::npos) << r.out;
}

TEST(Cli, UsageErrorsExitTwo) {
  // An impossible --published date is refused by extract and ingest alike,
  // with the documented usage status; --help is not an error.
  std::string db = testing::TempPath("usage.db");
  for (const std::string& cmd :
       {Binary() + " extract --published 2011-02-30 -", Binary() + " extract --no-such-flag",
        Binary() + " ingest --db " + db + " --published 2011-13-01 -", Binary()}) {
    auto r = RunCommand(cmd + " </dev/null 2>&1");
    EXPECT_EQ(r.status, 2) << cmd << "\n" << r.out;
  }
  auto ok = RunCommand(Binary() + " extract --help");
  EXPECT_EQ(ok.status, 0);
}

TEST(Cli, PlainTextFromStdin) {
  auto r = RunCommand("printf 'KABUL, Afghanistan (Jan. 4, 2012)\\nForces detained a Taliban leader in "
               "Kunduz province yesterday.' | " + Binary() + " extract --profile isaf -q -");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("\"start_date\":\"2012-01-03\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"min_leaders_captured\":1"), std::string::npos) << r.out;
}

TEST(Cli, FullProfileEvidenceSlicesTheInput) {
  std::string text = "KABUL, Afghanistan (Jan. 4, 2012)\nIn Sangin district, Helmand province, "
                     "coalition forces killed two insurgents today.";
  std::string path = testing::TempPath("one.txt");
  std::ofstream(path) << text;
  auto r = RunCommand(Binary() + " extract -q " + path);
  ASSERT_EQ(r.status, 0);
  simdjson::dom::parser p;
  auto doc = p.parse(r.out).value();
  auto ev = doc["events"].at(0);
  EXPECT_EQ(std::string_view(ev["location"]["admin2"]), "Sangin");
  EXPECT_EQ(int64_t(ev["killed"]), 2);
  for (auto e : ev["evidence"].get_array()) {
    int64_t s = e["start"], t = e["end"];
    EXPECT_EQ(text.substr(static_cast<size_t>(s), static_cast<size_t>(t - s)),
              std::string(std::string_view(e["text"])));
  }
}

TEST(Cli, KbLookup) {
  auto r = RunCommand(Binary() + " kb lookup Marjah");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("Helmand"), std::string::npos) << r.out;
}

TEST(Cli, KbLookupPrintsHierarchyAndCoordinates) {
  auto r = RunCommand(Binary() + " kb lookup Arghandab");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("AF-D2404     admin2  Arghandab < Kandahar < Afghanistan  (31.7358, 65.6593)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("AF-D2503     admin2  Arghandab < Zabul < Afghanistan  (32.5988, 67.1186)"),
            std::string::npos)
      << r.out;
  // A row without its own point shows the parent's it resolves to.
  r = RunCommand(Binary() + " kb lookup Marjah");
  EXPECT_NE(r.out.find("Marjah < Nad-e Ali < Helmand < Afghanistan  ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" of Nad-e Ali)"), std::string::npos) << r.out;
  r = RunCommand(Binary() + " kb lookup 'No Such Place Anywhere'");
  EXPECT_EQ(r.status, 1);
}

TEST(Cli, KbOverlayAddsAndOverridesWithoutRebuilding) {
  std::string path = testing::TempPath("lookup-overlay.tsv");
  std::ofstream(path) << "# source: test\n"
                      << "id\tlevel\tname\tcountry\tparent\tlat\tlon\taliases\n"
                      << "X-qala\tplace\tQala-e Sitrep\tAF\tAF-D2408\t31.5\t65.5\tQala Sitrep\n"
                      << "AF-D2503\tadmin2\tArghandab\tAF\tAF-ZAB\t32.25\t66.75\t\n";
  auto r = RunCommand(Binary() + " kb lookup 'Qala Sitrep' --kb " + path);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("X-qala       place   Qala-e Sitrep < Panjwa'i < Kandahar < Afghanistan  "
                       "(31.5000, 65.5000)"),
            std::string::npos)
      << r.out;
  r = RunCommand(Binary() + " kb lookup Arghandab --kb " + path);
  EXPECT_NE(r.out.find("AF-D2503     admin2  Arghandab < Zabul < Afghanistan  (32.2500, 66.7500)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("67.1186"), std::string::npos) << r.out;
  // Without the overlay the entry is unknown again: nothing was compiled in.
  r = RunCommand(Binary() + " kb lookup 'Qala Sitrep'");
  EXPECT_EQ(r.status, 1) << r.out;
  // The overlay reaches extraction too.
  std::string text = testing::TempPath("lookup-overlay.txt");
  std::ofstream(text) << "Coalition forces detained two insurgents in Qala-e Sitrep today.\n";
  r = RunCommand(Binary() + " extract --profile full --published 2011-03-05 " + text + " --kb " + path);
  EXPECT_NE(r.out.find("\"place\":\"Qala-e Sitrep\""), std::string::npos) << r.out;
  // A bad overlay names its file and line.
  std::string bad = testing::TempPath("lookup-bad.tsv");
  std::ofstream(bad) << "id\tlevel\tname\tcountry\tparent\nX1\tplace\tFoo\tAF\tNOPE\n";
  r = RunCommand(Binary() + " kb lookup Foo --kb " + bad, true);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find(bad + ":2: unknown parent 'NOPE'"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace sitrep
