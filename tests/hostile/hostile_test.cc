// Hostile input: every class yields a clear message naming file and line (or
// a sane value), no crash, no hang, the rest of the input processed, and the
// exit status and final summary count the rejected inputs.
#include <simdjson.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "test_util.h"
#include "text/date.h"
#include "util/json_writer.h"
#include "util/utf8.h"

namespace sitrep::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

constexpr int kExitRejected = 3;

// A fresh directory per test, removed afterwards (the 100 MB files too).
class Hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(TempPath(std::string("hostile-") + info->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  // Runs `sitrep extract ARGS` in the test directory; stdout and stderr apart.
  struct Out {
    int status = -1;
    std::string out, err;
  };
  Out Extract(const std::string& args) {
    std::string err_path = (dir_ / "stderr.txt").string();
    auto r = RunCommand("cd '" + dir_.string() + "' && '" + Binary() + "' extract -j 2 " + args +
                        " 2>'" + err_path + "'");
    Out o;
    o.status = r.status;
    o.out = r.out;
    std::ifstream in(err_path, std::ios::binary);
    o.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return o;
  }
  fs::path dir_;
};

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  size_t a = 0;
  while (a < s.size()) {
    size_t b = s.find('\n', a);
    if (b == std::string::npos) b = s.size();
    out.push_back(s.substr(a, b - a));
    a = b + 1;
  }
  return out;
}

// Every stdout line is a JSON object (and valid UTF-8); returns their ids.
std::vector<std::string> JsonIds(const std::string& out) {
  std::vector<std::string> ids;
  simdjson::dom::parser parser;
  for (const auto& line : Lines(out)) {
    simdjson::dom::element e;
    auto err = parser.parse(line).get(e);
    EXPECT_FALSE(err) << "not JSON: " << line.substr(0, 200);
    if (err) continue;
    std::string_view id;
    EXPECT_FALSE(e["id"].get_string().get(id));
    ids.emplace_back(id);
  }
  return ids;
}

std::string Summary(int docs, int rejected) {
  return "sitrep: " + std::to_string(docs) + " documents extracted, " +
         std::to_string(rejected) + " rejected";
}

const char kRelease[] =
    "KABUL, Afghanistan (Feb. 5, 2011)\nAfghan and coalition forces detained two "
    "suspected insurgents in Nad-e Ali district, Helmand province, yesterday.";

std::string Row(const std::string& id, const std::string& text) {
  std::string j = "{\"id\":\"" + id + "\",\"text\":";
  util::AppendJsonString(&j, text);
  return j + "}\n";
}


// --- binary files and NUL bytes ---------------------------------------------

TEST_F(Hostile, BinaryFileIsRejectedByNameAndTheRestIsProcessed) {
  std::string junk;
  std::mt19937 rng(7);
  for (int i = 0; i < 200000; ++i) junk.push_back(static_cast<char>(rng() & 0xFF));
  junk[100] = '\0';
  Write("a-junk.bin", junk);
  Write("b-release.txt", kRelease);
  auto o = Extract("a-junk.bin b-release.txt");
  EXPECT_EQ(o.status, kExitRejected) << o.err;
  EXPECT_NE(o.err.find("a-junk.bin: binary data"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(Summary(1, 1)), std::string::npos) << o.err;
  EXPECT_EQ(JsonIds(o.out), std::vector<std::string>{"b-release.txt"});
}

TEST_F(Hostile, NonTextWithoutNulsIsRejected) {
  std::string junk;
  for (int i = 0; i < 5000; ++i) junk.push_back(static_cast<char>(0x80 + i % 0x40));
  Write("junk.dat", junk);
  auto o = Extract("junk.dat");
  EXPECT_EQ(o.status, kExitRejected);
  EXPECT_NE(o.err.find("junk.dat: not text"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(Summary(0, 1)), std::string::npos) << o.err;
}

TEST_F(Hostile, NulBytesInJsonlRows) {
  std::string rows = Row("a", kRelease);
  rows += "{\"id\":\"raw\",\"text\":\"a\0b\"}\n"s;  // raw NUL: invalid JSON
  rows += "{\"id\":\"esc\",\"text\":\"detained \\u0000 two insurgents\"}\n";  // escaped: fine
  rows += Row("c", kRelease);
  Write("rows.jsonl", rows);
  auto o = Extract("rows.jsonl");
  EXPECT_EQ(o.status, kExitRejected) << o.err;
  EXPECT_NE(o.err.find("rows.jsonl:2: malformed JSON"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(Summary(3, 1)), std::string::npos) << o.err;
  EXPECT_EQ(JsonIds(o.out), (std::vector<std::string>{"a", "esc", "c"}));
}

// --- invalid UTF-8 and overlong encodings -------------------------------------

TEST_F(Hostile, InvalidUtf8InJsonlRowsIsRejectedWithLine) {
  std::string rows = Row("a", kRelease);
  rows += "{\"id\":\"overlong\",\"text\":\"\xC0\xAF etc\"}\n";        // overlong '/'
  rows += "{\"id\":\"overlong3\",\"text\":\"\xE0\x80\xAF etc\"}\n";  // 3-byte overlong '/'
  rows += "{\"id\":\"surrogate\",\"text\":\"\xED\xA0\x80\"}\n";
  rows += "{\"id\":\"toobig\",\"text\":\"\xF4\x90\x80\x80\"}\n";
  rows += "{\"id\":\"cut\",\"text\":\"\xE2\x80\"}\n";
  rows += Row("z", kRelease);
  Write("rows.jsonl", rows);
  auto o = Extract("rows.jsonl");
  EXPECT_EQ(o.status, kExitRejected);
  for (int line = 2; line <= 6; ++line)
    EXPECT_NE(o.err.find("rows.jsonl:" + std::to_string(line) + ": malformed JSON"),
              std::string::npos)
        << line << "\n" << o.err;
  EXPECT_NE(o.err.find(Summary(2, 5)), std::string::npos) << o.err;
  EXPECT_EQ(JsonIds(o.out), (std::vector<std::string>{"a", "z"}));
}

TEST_F(Hostile, InvalidUtf8InPlainTextIsRepaired) {
  std::string text = kRelease;
  for (int i = 0; i < 4; ++i) text += std::string("\n") + kRelease;
  text.insert(10, "\xC0\xAF");          // overlong '/'
  text.insert(30, "\xE0\x80\xAF");      // overlong '/'
  text.insert(50, "\xED\xA0\x80");      // surrogate
  text += " \xFF\xFE \xF4\x90\x80\x80";  // never valid, above U+10FFFF
  Write("release.txt", text);
  auto o = Extract("release.txt");
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.err.find(Summary(1, 0)), std::string::npos) << o.err;
  ASSERT_EQ(JsonIds(o.out).size(), 1u);
  EXPECT_TRUE(util::IsValidUtf8(o.out));
  // An overlong slash must never come out as a real '/'.
  EXPECT_EQ(o.out.find('/'), std::string::npos);
  EXPECT_NE(o.out.find("detained"), std::string::npos);
}

// The library on raw bytes that never passed the reader: the JSON line is
// still valid UTF-8 JSON (fuzz_extract found overlong forms copied through).
TEST_F(Hostile, LibraryOutputIsValidJsonForAnyBytes) {
  std::vector<std::string> texts = {
      "KABUL, Afghanistan (Feb. 5, 2011)\nForces killed \xE0\x9C\x90 two\0 "
      "insurgents \xC0\xAF in Helmand province \xED\xA0\x80 today."s,
      std::string("\xF4\x90\x80\x80\xF8\x88\x80\x80\x80 detained three \xE2\x80\xA8 men in "
                  "Kandahar province."),
      std::string(1000, '\xC3'),
      std::string("\x01\x02\x1f\x7f\"\\ killed 5 insurgents in Kunar province"),
  };
  simdjson::dom::parser parser;
  for (const auto& t : texts) {
    Document d;
    d.id = "x\xC0\xAF";
    d.text = t;
    for (const Pipeline* p : {&FullPipeline(), &IsafPipeline()}) {
      std::string line = ToJsonLine(p->Extract(d), p->options().profile);
      simdjson::dom::element e;
      EXPECT_FALSE(parser.parse(line).get(e)) << line;
      EXPECT_TRUE(util::IsValidUtf8(line));
    }
  }
}

// --- a 100 MB single line ------------------------------------------------------

TEST_F(Hostile, HundredMegabyteLineIsSkippedWithoutEatingMemory) {
  const size_t kBig = 100u << 20;
  {
    std::ofstream out(dir_ / "rows.jsonl", std::ios::binary);
    out << Row("a", kRelease);
    out << "{\"id\":\"big\",\"text\":\"";
    std::string chunk(1 << 20, 'x');
    for (size_t i = 0; i < kBig / chunk.size(); ++i) out << chunk;
    out << "\"}\n";
    out << Row("c", kRelease);
  }
  {
    std::ofstream out(dir_ / "big.txt", std::ios::binary);
    std::string chunk(1 << 20, 'y');
    for (size_t i = 0; i < kBig / chunk.size(); ++i) out << chunk;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto o = Extract("rows.jsonl big.txt");
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(o.status, kExitRejected) << o.err;
  EXPECT_NE(o.err.find("rows.jsonl:2: line longer than 16 MiB"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("big.txt: document larger than 16 MiB"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(Summary(2, 2)), std::string::npos) << o.err;
  EXPECT_EQ(JsonIds(o.out), (std::vector<std::string>{"a", "c"}));
  EXPECT_LT(secs, 300) << "a 100 MB line must cost seconds, not minutes";
}

// --- JSON rows with wrong types or missing fields -------------------------------

TEST_F(Hostile, WrongTypesAndMissingFields) {
  std::vector<std::string> rows = {
      Row("good1", kRelease),
      "{\"id\":\"n\",\"text\":5}\n",                  // 2: text not a string
      "{\"id\":\"nul\",\"text\":null}\n",             // 3
      "{\"id\":\"none\"}\n",                            // 4: no text
      "[1,2,3]\n",                                        // 5: not an object
      "\"just a string\"\n",                              // 6
      "{\"id\":\"arr\",\"text\":[\"a\"]}\n",              // 7
      "{\"text\":\"cut off\"\n",                          // 8: truncated row
      "{\"id\":[1],\"title\":{},\"url\":7,\"published\":20110205,\"text\":\"ok\"}\n",  // 9: fine
      "\n",                                               // 10: blank, skipped
      "{\"id\":12,\"text\":\"numeric id\"}\n",              // 11: fine
      "{\"id\":\"deep\",\"text\":\"x\",\"more\":" + std::string(5000, '[') +
          std::string(5000, ']') + "}\n",                 // 12: nesting too deep
      Row("good2", kRelease),                             // 13
  };
  std::string all;
  for (const auto& r : rows) all += r;
  all += "{\"id\":\"tail\",\"text\":\"no newline and trunc";  // 14: truncated file
  Write("rows.jsonl", all);
  auto o = Extract("rows.jsonl");
  EXPECT_EQ(o.status, kExitRejected);
  for (int line : {2, 3, 4, 5, 6, 7, 8, 12, 14})
    EXPECT_NE(o.err.find("rows.jsonl:" + std::to_string(line) + ": "), std::string::npos)
        << "line " << line << "\n" << o.err;
  EXPECT_NE(o.err.find("rows.jsonl:2: \"text\" is not a string"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("rows.jsonl:4: row has no \"text\" field"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("rows.jsonl:5: row is not a JSON object"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(Summary(4, 9)), std::string::npos) << o.err;
  EXPECT_EQ(JsonIds(o.out), (std::vector<std::string>{"good1", "rows.jsonl:9", "12", "good2"}));
}

TEST_F(Hostile, MissingFileIsRejectedAndOthersRun) {
  Write("ok.txt", kRelease);
  auto o = Extract("nosuch.txt ok.txt");
  EXPECT_EQ(o.status, kExitRejected);
  EXPECT_NE(o.err.find("nosuch.txt: cannot open"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(Summary(1, 1)), std::string::npos) << o.err;
}

// --- absurd numbers -------------------------------------------------------------

TEST_F(Hostile, AbsurdNumbersGiveSaneCounts) {
  const char* texts[] = {
      "Afghan and coalition forces killed 999999999999 insurgents in Nad-e Ali district, "
      "Helmand province, yesterday.",
      "A security force detained 99999999999999999999999999999999 suspected insurgents in "
      "Kandahar province today.",
      "Coalition forces captured 2147483648 insurgents and killed 4294967297 fighters in "
      "Helmand province.",
      "An airstrike killed 9,223,372,036,854,775,808 insurgents in Kunar province.",
      "Forces killed -5 insurgents and detained 1e9 men in Zabul province.",
  };
  for (const char* t : texts) {
    Document d;
    d.id = "n";
    d.text = t;
    auto x = FullPipeline().Extract(d);
    for (const auto& e : x.events) {
      for (const auto& v : {e.killed, e.captured, e.leaders_killed, e.leaders_captured}) {
        if (!v) continue;
        EXPECT_GE(*v, 0) << t;
        EXPECT_LE(*v, 100000) << t;
        if (std::string_view(t).find("4294967297") != std::string_view::npos) {
          EXPECT_NE(*v, 1) << t << " (4294967297 wrapped to 1?)";
        }
      }
      EXPECT_GE(e.count, 0);
    }
    auto r = Isaf(t);
    EXPECT_GE(r.min_killed, 0) << t;
    EXPECT_LE(r.min_killed, 100000) << t;
    EXPECT_GE(r.min_captured, 0) << t;
    EXPECT_LE(r.min_captured, 100000) << t;
    EXPECT_TRUE(util::IsValidUtf8(ToJsonLine(x, Profile::kFull)));
  }
}

// --- impossible dates ------------------------------------------------------------

TEST_F(Hostile, ImpossibleDatesAreNeverEmitted) {
  const char* texts[] = {
      "KABUL, Afghanistan (Feb. 30, 2011)\nAfghan and coalition forces killed two insurgents "
      "in Nad-e Ali district, Helmand province, yesterday.",
      "KABUL, Afghanistan (Feb. 3, 20111)\nA security force detained two suspected insurgents "
      "in Kandahar province today.",
      "KABUL, Afghanistan (Feb. 29, 2011)\nForces detained two insurgents in Kunar province.",
      "KABUL, Afghanistan (Sept. 31, 2011)\nForces detained two insurgents in Kunar province "
      "on Sept. 31.",
      "KABUL, Afghanistan (Jan. 99, 2011)\nForces killed two insurgents on Jan. 0 and Feb. 30 "
      "in Zabul province.",
      "2011-13-S-045\nKABUL, Afghanistan (Month 5, 0000)\nOn 31 June 2011 forces killed two "
      "insurgents in Paktika province.",
  };
  for (const char* t : texts) {
    for (const char* published : {"", "2011-02-30", "20111-02-03", "2011-02-05"}) {
      Document d;
      d.id = "d";
      d.text = t;
      d.published = published;
      auto x = FullPipeline().Extract(d);
      for (const auto& e : x.events) {
        if (e.date.empty()) continue;
        // Day precision: a real calendar day; coarser: YYYY or YYYY-MM.
        if (e.date.size() == 10) {
          text::Date dd = text::ParseIsoDate(e.date);
          EXPECT_TRUE(dd.valid()) << e.date << " from " << t;
          EXPECT_GE(dd.year, 1900) << t;
          EXPECT_LE(dd.year, 2100) << t;
        } else {
          EXPECT_TRUE(e.date.size() == 4 || e.date.size() == 7) << e.date;
        }
      }
      auto r = IsafPipeline().Extract(d);
      ASSERT_TRUE(r.isaf.has_value());
      if (!r.isaf->start_date.empty()) {
        EXPECT_TRUE(text::ParseIsoDate(r.isaf->start_date).valid()) << r.isaf->start_date;
      }
    }
  }
}

TEST_F(Hostile, ImpossiblePublishedDatesInRowsAreNotCopied) {
  std::string rows =
      "{\"id\":\"a\",\"published\":\"2011-02-30\",\"text\":\"Forces detained two "
      "insurgents in Helmand province yesterday.\"}\n"
      "{\"id\":\"b\",\"published\":\"20111-02-03T00:00\",\"text\":\"Forces detained two "
      "insurgents in Helmand province yesterday.\"}\n";
  Write("rows.jsonl", rows);
  auto o = Extract("--profile isaf rows.jsonl");
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(JsonIds(o.out), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(o.out.find("2011-02-3"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("20111"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("2011-03-01"), std::string::npos) << o.out;
}

// --- the scorer on hostile prediction files --------------------------------------

TEST_F(Hostile, ScorerNamesBadPredictionLines) {
  std::string gold = std::string(SITREP_TEST_DATA_DIR) + "/eval/gold.jsonl";
  if (!fs::exists(gold)) GTEST_SKIP() << "no gold fixture";
  std::string pred;
  pred += "not json at all\n";
  pred += "[1,2]\n";
  pred += "{\"id\":\"x\0\"}\n"s;
  pred += "{\"id\":5,\"event\":{}}\n";
  pred += "{\"id\":\"g1\",\"event\":\"{not json\"}\n";
  pred += "\xC0\xAF\n";
  Write("pred.jsonl", pred);
  auto r = RunCommand("'" + Binary() + "' eval isaf '" + gold + "' --pred '" +
                          (dir_ / "pred.jsonl").string() + "'",
                      true);
  EXPECT_EQ(r.status, 0) << r.out;
  for (int line = 1; line <= 6; ++line)
    EXPECT_NE(r.out.find("pred.jsonl:" + std::to_string(line) + ":"), std::string::npos)
        << line << "\n" << r.out;
  EXPECT_NE(r.out.find("aggregate: "), std::string::npos);
}

// --- knowledge-base overlays -------------------------------------------------------

TEST_F(Hostile, BadKnowledgeBaseOverlaysNameFileAndLine) {
  struct Case {
    std::string content, expect;
  } cases[] = {
      {"id\tlevel\tname\tcountry\tparent\tlat\tlon\nq1\tplace\tFoo\tAF\tAF-HEL\tnan\t1\n",
       "bad.tsv:2:"},
      {"id\tlevel\tname\tcountry\tparent\tlat\tlon\nq1\tplace\tFoo\tAF\tAF-HEL\t1e999\t1\n",
       "bad.tsv:2:"},
      {"id\tlevel\tname\tcountry\nq1\tplace\tF\xC0\xAFo\tAF\n", "bad.tsv:2: invalid UTF-8"},
      {"id\tlevel\tname\tcountry\tparent\n# c\na\tplace\tA\tAF\tb\nb\tplace\tB\tAF\ta\n",
       "bad.tsv:"},
      {"id\tkind\tname\nx\tgroup\tX\textra\n", "bad.tsv:2: 4 columns"},
      {"phrase\tcategory\tvalue\tnumber\nfoo\tquantity\t\t99999999999999999999\n",
       "bad.tsv:2: bad number"},
      {"\0\0\0\n"s, "bad.tsv:"},
  };
  for (const auto& c : cases) {
    Write("bad.tsv", c.content);
    auto r = RunCommand("cd '" + dir_.string() + "' && '" + Binary() +
                            "' kb lookup Kandahar --kb bad.tsv",
                        true);
    EXPECT_EQ(r.status, 1) << c.content << "\n" << r.out;
    EXPECT_NE(r.out.find(c.expect), std::string::npos) << c.content << "\n" << r.out;
  }
}


// --- HTML nested 100,000 deep, compression bombs, truncated .gz and WARC -------------

TEST_F(Hostile, HtmlNestedHundredThousandDeep) {
  std::string html = "<html><body>";
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "<p>Afghan and coalition forces detained two insurgents in Kunduz province "
          "yesterday.</p>";
  for (int i = 0; i < 100000; ++i) html += "</div>";
  html += "</body></html>";
  Write("a-deep.html", html);
  std::string open_tags = "<html><body>";
  for (int i = 0; i < 50000; ++i) open_tags += "<b><i><span>";
  Write("b-unclosed.html", open_tags + "Forces detained two insurgents.");
  Write("c-ok.txt", kRelease);
  auto t0 = std::chrono::steady_clock::now();
  auto o = Extract("--profile full a-deep.html b-unclosed.html c-ok.txt");
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.err.find(Summary(3, 0)), std::string::npos) << o.err;
  EXPECT_EQ(JsonIds(o.out).size(), 3u);
  EXPECT_NE(o.out.find("detained two insurgents in Kunduz"), std::string::npos);
  EXPECT_LT(secs, 120);
}

TEST_F(Hostile, CompressionBombIsCappedAndNamed) {
  // 200 MB of zeros compress ~1000:1; the reader stops at its ratio cap.
  auto r = RunCommand("cd '" + dir_.string() +
                      "' && head -c 200000000 /dev/zero | gzip -1 > a-bomb.txt.gz && "
                      "printf '{\"text\":\"a\"}\\n' | gzip -c | gzip -c > b-nested.jsonl.gz.gz");
  ASSERT_EQ(r.status, 0);
  Write("c-ok.txt", kRelease);
  auto o = Extract("a-bomb.txt.gz b-nested.jsonl.gz.gz c-ok.txt");
  EXPECT_EQ(o.status, kExitRejected) << o.err;
  EXPECT_NE(o.err.find("a-bomb.txt.gz: "), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("bomb"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(Summary(2, 1)), std::string::npos) << o.err;
}

TEST_F(Hostile, TruncatedGzipAndWarc) {
  std::string rows;
  for (int i = 0; i < 200; ++i) rows += Row("r" + std::to_string(i), kRelease);
  Write("rows.jsonl", rows);
  auto html = std::string("<html><body><p>") + kRelease + "</p></body></html>";
  auto record = [&](int i) {
    std::string http = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html;
    return "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.com/" +
           std::to_string(i) + "\r\nWARC-Record-ID: <urn:uuid:" + std::to_string(i) +
           ">\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " +
           std::to_string(http.size()) + "\r\n\r\n" + http + "\r\n\r\n";
  };
  std::string warc = record(1) + record(2) + record(3);
  Write("b-cut.warc", warc.substr(0, warc.size() - 60));
  Write("full.warc", warc);
  auto r = RunCommand("cd '" + dir_.string() +
                      "' && gzip -c rows.jsonl > g && head -c $(( $(stat -c %s g) / 2 )) g > "
                      "a-cut.jsonl.gz && gzip -c full.warc > g2 && head -c $(( $(stat -c %s g2) "
                      "- 20 )) g2 > c-cut.warc.gz && rm g g2 rows.jsonl full.warc");
  ASSERT_EQ(r.status, 0);
  Write("d-ok.txt", kRelease);
  auto o = Extract("a-cut.jsonl.gz b-cut.warc c-cut.warc.gz d-ok.txt");
  EXPECT_EQ(o.status, kExitRejected) << o.err;
  // The cut gzip names the row where it broke off.
  EXPECT_NE(o.err.find("a-cut.jsonl.gz:"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("b-cut.warc:record 3: truncated"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("c-cut.warc.gz: "), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(", 3 rejected"), std::string::npos) << o.err;
  auto ids = JsonIds(o.out);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.back(), "d-ok.txt");
  // The two whole records before the cut in the plain WARC are kept, and
  // every row the first half of the gzip holds (zlib hands over all it could
  // decompress; libarchive used to keep its last block back).
  size_t rows_kept = 0;
  for (const auto& id : ids) rows_kept += id.rfind("a-cut.jsonl.gz", 0) == 0 || id[0] == 'r';
  EXPECT_GE(rows_kept, 50u) << o.err;
  EXPECT_GE(ids.size(), 53u);
}

}  // namespace
}  // namespace sitrep::testing
