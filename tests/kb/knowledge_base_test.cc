#include "kb/knowledge_base.h"

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
