#include "kb/knowledge_base.h"

#include <filesystem>
#include <fstream>
#include <set>

#include "test_util.h"

namespace sitrep {
namespace {

using testing::Kb;

std::vector<std::string> PlaceNames(const std::string& q) {
  std::vector<std::string> out;
  for (const auto& p : Kb().Lookup(q))
    if (p.kind == kb::PayloadKind::kPlace) out.push_back(Kb().places()[p.index].id);
  return out;
}

TEST(KnowledgeBase, HasAllAfghanProvincesWithIsafLabels) {
  int n = 0;
  for (const auto& p : Kb().places())
    if (p.country == "AF" && p.level == PlaceLevel::kAdmin1) {
      ++n;
      EXPECT_FALSE(p.isaf.empty()) << p.name;
    }
  EXPECT_EQ(n, 34);
}

TEST(KnowledgeBase, SpellingVariantsResolve) {
  for (const char* v : {"Paktia", "Paktiya", "Oruzgan", "Uruzgan", "Sari Pul", "Sar-e Pul"}) {
    bool province = false;
    for (const auto& id : PlaceNames(v))
      if (Kb().places()[static_cast<size_t>(Kb().FindPlace(id))].level == PlaceLevel::kAdmin1)
        province = true;
    EXPECT_TRUE(province) << v;
  }
}

TEST(KnowledgeBase, AmbiguousDistrictKeepsBothProvinces) {
  std::set<std::string> provinces;
  for (const auto& id : PlaceNames("Arghandab")) {
    int a1 = Kb().Admin1Of(Kb().FindPlace(id));
    if (a1 >= 0) provinces.insert(Kb().places()[static_cast<size_t>(a1)].isaf);
  }
  EXPECT_TRUE(provinces.count("kandahar"));
  EXPECT_TRUE(provinces.count("zabul"));
}

TEST(KnowledgeBase, GroupsHaveIsafLabels) {
  auto label = [](const char* name) {
    for (const auto& p : Kb().Lookup(name))
      if (p.kind == kb::PayloadKind::kGroup) return Kb().groups()[p.index].isaf;
    return std::string("?");
  };
  EXPECT_EQ(label("Haqqani network"), "haqqani");
  EXPECT_EQ(label("Islamic Movement of Uzbekistan"), "imu");
  EXPECT_EQ(label("Taliban"), "taliban");
}

std::string WriteTemp(const std::string& name, const std::string& body) {
  std::string path = testing::TempPath(name);
  std::ofstream(path) << body;
  return path;
}

TEST(KnowledgeBase, BadOverlayFailsWithFileAndLine) {
  std::string error;
  auto bad_parent = WriteTemp("bad_parent.tsv",
                              "# source: test\nid\tlevel\tname\tcountry\tparent\nX1\tplace\tFoo\tAF\tNOPE\n");
  EXPECT_EQ(KnowledgeBase::Load(SITREP_KB_DIR, {bad_parent}, &error), nullptr);
  EXPECT_NE(error.find("bad_parent.tsv:3"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown parent"), std::string::npos) << error;

  auto dup = WriteTemp("dup.tsv", "id\tlevel\tname\tcountry\nX1\tplace\tFoo\tAF\nX1\tplace\tBar\tAF\n");
  EXPECT_EQ(KnowledgeBase::Load(SITREP_KB_DIR, {dup}, &error), nullptr);
  EXPECT_NE(error.find("dup.tsv:3: duplicate id"), std::string::npos) << error;

  auto missing = WriteTemp("missing.tsv", "id\tlevel\tcountry\nX1\tplace\tAF\n");
  EXPECT_EQ(KnowledgeBase::Load(SITREP_KB_DIR, {missing}, &error), nullptr);
  EXPECT_NE(error.find("missing column 'name'"), std::string::npos) << error;

  auto utf = WriteTemp("utf.tsv", "id\tlevel\tname\tcountry\nX1\tplace\tF\xff\tAF\n");
  EXPECT_EQ(KnowledgeBase::Load(SITREP_KB_DIR, {utf}, &error), nullptr);
  EXPECT_NE(error.find("utf.tsv:2: invalid UTF-8"), std::string::npos) << error;
}

// A small knowledge-base directory: good files plus `bad` (relative path ->
// content), loaded as the base. Returns the error ("" when it loads).
std::string LoadBase(const std::string& name,
                     const std::vector<std::pair<std::string, std::string>>& files) {
  namespace fs = std::filesystem;
  fs::path dir = testing::TempPath(name);
  fs::remove_all(dir);
  fs::create_directories(dir / "places");
  fs::create_directories(dir / "lexicon");
  std::vector<std::pair<std::string, std::string>> all = {
      {"places/a.tsv",
       "# source: test\nid\tlevel\tname\tcountry\tparent\tlat\tlon\n"
       "AF\tcountry\tAfghanistan\tAF\t\t34.5\t69.2\n"
       "AF-KAN\tadmin1\tKandahar\tAF\tAF\t31.6\t65.7\n"},
      {"groups.tsv",
       "id\tkind\tname\taffiliations\n"
       "taliban\tgroup\tTaliban\tally:haqqani\n"
       "haqqani\tgroup\tHaqqani Network\t\n"},
      {"lexicon/l.tsv", "phrase\tcategory\tvalue\tnumber\nkilled\tkill\t\t\n"},
  };
  for (const auto& f : files) {
    bool replaced = false;
    for (auto& g : all)
      if (g.first == f.first) {
        g.second = f.second;
        replaced = true;
      }
    if (!replaced) all.push_back(f);
  }
  for (const auto& [rel, body] : all) std::ofstream(dir / rel, std::ios::binary) << body;
  std::string error;
  auto kb = KnowledgeBase::Load(dir.string(), {}, &error);
  if (kb) return "";
  // Messages name the file by the path it was opened with: keep the part
  // after the test directory.
  std::string prefix = dir.string() + "/";
  if (error.rfind(prefix, 0) == 0) error = error.substr(prefix.size());
  size_t also = error.find(prefix);
  if (also != std::string::npos) error.erase(also, prefix.size());
  return error;
}

TEST(KnowledgeBase, GoodSmallBaseLoads) { EXPECT_EQ(LoadBase("kb-good", {}), ""); }

TEST(KnowledgeBase, BaseFileMissingColumn) {
  // The header is on line 3, after the source lines.
  EXPECT_EQ(LoadBase("kb-missing-col",
                     {{"places/b.tsv",
                       "# source: test\n# licence: test\nid\tlevel\tcountry\n"
                       "X1\tplace\tAF\n"}}),
            "places/b.tsv:3: missing column 'name'");
  EXPECT_EQ(LoadBase("kb-missing-col-groups", {{"groups.tsv", "id\tname\nx\tX\n"}}),
            "groups.tsv:1: missing column 'kind'");
}

TEST(KnowledgeBase, BaseFileShortRow) {
  EXPECT_EQ(LoadBase("kb-short-row",
                     {{"places/b.tsv",
                       "id\tlevel\tname\tcountry\tparent\n"
                       "X1\tplace\tFoo\tAF\tAF-KAN\n"
                       "X2\tplace\tBar\tAF\n"}}),
            "places/b.tsv:3: 4 columns, header has 5 (no 'parent' column)");
}

TEST(KnowledgeBase, BaseFileDuplicateIds) {
  EXPECT_EQ(LoadBase("kb-dup-same-file",
                     {{"places/b.tsv",
                       "# source: test\nid\tlevel\tname\tcountry\tparent\n"
                       "X1\tplace\tFoo\tAF\tAF-KAN\n"
                       "X1\tplace\tBar\tAF\tAF-KAN\n"}}),
            "places/b.tsv:4: duplicate id 'X1' (first at line 3)");
  // Across two base files: no silent override (only overlays replace rows).
  EXPECT_EQ(LoadBase("kb-dup-two-files",
                     {{"places/b.tsv",
                       "id\tlevel\tname\tcountry\tparent\n"
                       "AF-KAN\tadmin1\tQandahar\tAF\tAF\n"}}),
            "places/b.tsv:2: duplicate id 'AF-KAN' (also at places/a.tsv:4)");
  EXPECT_EQ(LoadBase("kb-dup-groups",
                     {{"groups.tsv",
                       "id\tkind\tname\ntaliban\tgroup\tTaliban\ntaliban\tgroup\tTB\n"}}),
            "groups.tsv:3: duplicate id 'taliban' (first at line 2)");
}

TEST(KnowledgeBase, BaseFileInvalidUtf8) {
  EXPECT_EQ(LoadBase("kb-utf8",
                     {{"places/b.tsv",
                       "id\tlevel\tname\tcountry\nX1\tplace\tFoo\tAF\nX2\tplace\tB\xe9r\tAF\n"}}),
            "places/b.tsv:3: invalid UTF-8");
  EXPECT_EQ(LoadBase("kb-utf8-lex", {{"lexicon/l.tsv", "phrase\tcategory\nki\xc3lled\tkill\n"}}),
            "lexicon/l.tsv:2: invalid UTF-8");
}

TEST(KnowledgeBase, BaseFileUnknownParentOrTarget) {
  EXPECT_EQ(LoadBase("kb-parent",
                     {{"places/b.tsv",
                       "# source: test\nid\tlevel\tname\tcountry\tparent\n"
                       "X1\tplace\tFoo\tAF\tAF-KAN\n"
                       "X2\tplace\tBar\tAF\tAF-NOPE\n"}}),
            "places/b.tsv:4: unknown parent 'AF-NOPE'");
  EXPECT_EQ(LoadBase("kb-target",
                     {{"groups.tsv",
                       "id\tkind\tname\taffiliations\n"
                       "taliban\tgroup\tTaliban\tally:haqqani|ally:nope\n"
                       "haqqani\tgroup\tHaqqani Network\t\n"}}),
            "groups.tsv:2: unknown affiliation target 'nope'");
}

TEST(KnowledgeBase, BadOverlayFailsWithExactFileAndLine) {
  std::string error;
  auto missing = WriteTemp("missing2.tsv", "# source: test\nid\tlevel\tcountry\nX1\tplace\tAF\n");
  EXPECT_EQ(KnowledgeBase::Load(SITREP_KB_DIR, {missing}, &error), nullptr);
  EXPECT_EQ(error, missing + ":2: missing column 'name'");

  auto short_row = WriteTemp("short.tsv", "id\tlevel\tname\tcountry\tparent\nX1\tplace\tFoo\tAF\n");
  EXPECT_EQ(KnowledgeBase::Load(SITREP_KB_DIR, {short_row}, &error), nullptr);
  EXPECT_EQ(error, short_row + ":2: 4 columns, header has 5 (no 'parent' column)");

  auto dup = WriteTemp("dup2.tsv",
                       "id\tkind\tname\nx-group\tgroup\tX\nx-group\tgroup\tY\n");
  EXPECT_EQ(KnowledgeBase::Load(SITREP_KB_DIR, {dup}, &error), nullptr);
  EXPECT_EQ(error, dup + ":3: duplicate id 'x-group' (first at line 2)");

  auto utf = WriteTemp("utf2.tsv", "# source: test\nphrase\tcategory\n\xed\xa0\x80\tkill\n");
  EXPECT_EQ(KnowledgeBase::Load(SITREP_KB_DIR, {utf}, &error), nullptr);
  EXPECT_EQ(error, utf + ":3: invalid UTF-8");

  auto target = WriteTemp("target.tsv", "id\tkind\tname\taffiliations\nx-group\tgroup\tX\tally:nope\n");
  EXPECT_EQ(KnowledgeBase::Load(SITREP_KB_DIR, {target}, &error), nullptr);
  EXPECT_EQ(error, target + ":2: unknown affiliation target 'nope'");
}

TEST(KnowledgeBase, OverlayOverridesAnEntry) {
  std::string error;
  size_t before = Kb().places().size();
  // The same id as the Zabul Arghandab: replaced, not added.
  auto overlay = WriteTemp("override.tsv",
                           "id\tlevel\tname\tcountry\tparent\tlat\tlon\taliases\n"
                           "AF-D2503\tadmin2\tArghandab\tAF\tAF-ZAB\t32.5\t66.5\tArghandab-e Zabul\n");
  auto kb = KnowledgeBase::Load(SITREP_KB_DIR, {overlay}, &error);
  ASSERT_NE(kb, nullptr) << error;
  EXPECT_EQ(kb->places().size(), before);
  int k = kb->FindPlace("AF-D2503");
  ASSERT_GE(k, 0);
  EXPECT_DOUBLE_EQ(*kb->places()[static_cast<size_t>(k)].lat, 32.5);
  auto hits = kb->Lookup("Arghandab-e Zabul");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].index, static_cast<uint32_t>(k));
}

TEST(KnowledgeBase, OverlayAddsAPlace) {
  std::string error;
  auto overlay = WriteTemp("overlay.tsv",
                           "id\tlevel\tname\tcountry\tparent\tlat\tlon\taliases\n"
                           "X-qala\tplace\tQala-e Sitrep\tAF\tAF-KAN\t31.5\t65.5\tQala Sitrep\n");
  auto kb = KnowledgeBase::Load(SITREP_KB_DIR, {overlay}, &error);
  ASSERT_NE(kb, nullptr) << error;
  auto hits = kb->Lookup("Qala Sitrep");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(kb->places()[hits[0].index].id, "X-qala");
}

}  // namespace
}  // namespace sitrep
