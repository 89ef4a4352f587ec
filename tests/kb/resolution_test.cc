// Runs the place-resolution cases of resolution_cases.tsv through the public
// pipeline (profile full) and checks the first event's location. Every
// failing case is reported with its id, so one run shows them all.
#include <set>
#include <sstream>

#include "kb/tsv.h"
#include "test_util.h"

namespace sitrep {
namespace {

struct Case {
  std::string where;  // file:line
  std::string id, published, text, note;
  std::string country, admin1, admin2, place, precision;
};

std::vector<Case> LoadCases() {
  kb::TsvFile t;
  std::string error;
  std::string path = std::string(SITREP_KB_TEST_DIR) + "/resolution_cases.tsv";
  if (!t.Open(path, &error) ||
      !t.Require({"id", "published", "text", "country", "admin1", "admin2", "place",
                  "precision", "note"},
                 &error)) {
    ADD_FAILURE() << error;
    return {};
  }
  std::vector<Case> out;
  for (size_t r = 0; r < t.rows(); ++r) {
    auto get = [&](const char* col) { return std::string(t.Get(r, t.Column(col))); };
    Case c;
    c.where = t.Where(r);
    c.id = get("id");
    c.published = get("published");
    // "\n" in the file stands for a line break (TSV fields hold no newline).
    std::string raw = get("text");
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == 'n') {
        c.text += '\n';
        ++i;
      } else {
        c.text += raw[i];
      }
    }
    c.note = get("note");
    c.country = get("country");
    c.admin1 = get("admin1");
    c.admin2 = get("admin2");
    c.place = get("place");
    c.precision = get("precision");
    out.push_back(std::move(c));
  }
  return out;
}

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = LoadCases();
  return cases;
}

TEST(Resolution, CasesAreWellFormed) {
  const auto& cases = Cases();
  EXPECT_GE(cases.size(), 80u);
  std::set<std::string> ids;
  static const std::set<std::string> kPrecisions = {"", "country", "admin1", "admin2",
                                                    "place"};
  for (const auto& c : cases) {
    EXPECT_FALSE(c.id.empty()) << c.where;
    EXPECT_TRUE(ids.insert(c.id).second) << c.where << ": duplicate id " << c.id;
    EXPECT_FALSE(c.text.empty()) << c.where;
    EXPECT_TRUE(kPrecisions.count(c.precision)) << c.where << ": precision " << c.precision;
  }
}

TEST(Resolution, FirstEventLocation) {
  const Pipeline& pipeline = testing::FullPipeline();
  std::ostringstream failures;
  int failed = 0;
  for (const auto& c : Cases()) {
    Document d;
    d.id = c.id;
    d.text = c.text;
    d.published = c.published;
    Extraction x = pipeline.Extract(d);
    Location got;
    if (!x.events.empty()) got = x.events[0].location;
    std::string why;
    auto check = [&](const char* field, const std::string& want, const std::string& have) {
      if (want != have) why += std::string(" ") + field + "='" + have + "' (want '" + want + "')";
    };
    if (x.events.empty() && !c.precision.empty()) why += " no event";
    check("country", c.country, got.country);
    check("admin1", c.admin1, got.admin1);
    check("admin2", c.admin2, got.admin2);
    check("place", c.place, got.place);
    check("precision", c.precision, got.precision);
    // Every resolved location carries coordinates (its own or a parent's).
    if (!got.precision.empty() && !(got.lat && got.lon)) why += " no coordinates";
    if (!why.empty()) {
      ++failed;
      failures << "\n  " << c.id << " (" << c.where << "):" << why;
      if (!c.note.empty()) failures << "  [" << c.note << "]";
    }
  }
  EXPECT_EQ(failed, 0) << failed << " of " << Cases().size() << " cases fail:"
                       << failures.str();
}

}  // namespace
}  // namespace sitrep
