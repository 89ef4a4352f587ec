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

}  // namespace
}  // namespace sitrep
