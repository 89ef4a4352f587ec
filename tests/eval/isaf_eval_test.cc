// `sitrep eval isaf --pred` must agree with the reference scorer, including
// its Python equality corner cases (fixtures written for this test).
#include <simdjson.h>

#include "eval/isaf_eval.h"
#include <fstream>

#include "test_util.h"

namespace sitrep {
namespace {

using testing::RunCommand;

const std::string kGold = std::string(SITREP_TEST_DATA_DIR) + "/eval/gold.jsonl";
const std::string kPred = std::string(SITREP_TEST_DATA_DIR) + "/eval/pred.jsonl";

std::string LastLines(const std::string& s, int n) {
  size_t pos = s.size();
  for (int i = 0; i <= n && pos != std::string::npos && pos > 0; ++i) pos = s.rfind('\n', pos - 1);
  return pos == std::string::npos ? s : s.substr(pos + 1);
}

TEST(IsafEval, KnownScoresOnFixture) {
  eval::GoldSet gold;
  std::string error;
  ASSERT_TRUE(eval::LoadGold(kGold, &gold, &error)) << error;
  std::vector<std::string> lines;
  std::ifstream in(kPred);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  auto r = eval::Score(gold, lines, "pred", "");
  EXPECT_EQ(r.matched, 4u);  // g1, g2, g3 (first), g4 (blank event string: matched, unusable)
  EXPECT_EQ(r.usable, 3u);
  EXPECT_EQ(r.stats.duplicate_ids, 1u);
  EXPECT_EQ(r.stats.unknown_ids, 1u);
  // g1: start_date 1, province (bare string) 1, event_type recall 1.
  EXPECT_DOUBLE_EQ(r.fields[0].published, 2.0);  // g1 and g3
  EXPECT_DOUBLE_EQ(r.fields[1].published, 3.0);  // g1, g2 (duplicates collapse), g3
  // min_leaders_killed: g1 false counts as int 0 == 0; g3 1 == 1.
  EXPECT_DOUBLE_EQ(r.fields[11].published, 2.0);
  // min_leaders_captured: 1.0 is not an int.
  EXPECT_DOUBLE_EQ(r.fields[12].published, 0.0);
}

TEST(IsafEval, AgreesWithReferenceScorer) {
  std::string scorer = testing::SharedDir() + "/tools/isaf_score.py";
  if (!std::filesystem::exists(scorer)) GTEST_SKIP() << "shared scorer not present";
  auto ours = RunCommand(testing::Binary() + " eval isaf " + kGold + " --pred " + kPred + " 2>/dev/null");
  auto ref = RunCommand("/usr/bin/python3 " + scorer + " " + kGold + " " + kPred + " 2>/dev/null");
  ASSERT_EQ(ref.status, 0);
  EXPECT_EQ(ours.out, ref.out);
  auto ours_json = RunCommand(testing::Binary() + " eval isaf " + kGold + " --pred " + kPred + " --json 2>/dev/null");
  auto ref_json = RunCommand("/usr/bin/python3 " + scorer + " " + kGold + " " + kPred + " --json 2>/dev/null");
  simdjson::dom::parser p1, p2;
  auto a = p1.parse(ours_json.out.substr(0, ours_json.out.find('\n'))).value();
  auto b = p2.parse(ref_json.out.substr(0, ref_json.out.find('\n'))).value();
  EXPECT_NEAR(double(a["aggregate_strict"]), double(b["aggregate_strict"]), 1e-9);
  EXPECT_NEAR(double(a["fields"]["event_type"]["published"]),
              double(b["fields"]["event_type"]["published"]), 1e-9);
  EXPECT_EQ(LastLines(ours_json.out, 1), LastLines(ref_json.out, 1));
}

TEST(IsafEval, DevAggregateAboveFloor) {
  if (!testing::HaveShared("data/isaf/dev.jsonl")) GTEST_SKIP() << "shared dev split not present";
  std::string dev = testing::SharedDir() + "/data/isaf/dev.jsonl";
  auto ours = RunCommand(testing::Binary() + " eval isaf " + dev + " 2>/dev/null");
  auto pos = ours.out.rfind("aggregate: ");
  ASSERT_NE(pos, std::string::npos) << ours.out;
  double agg = std::stod(ours.out.substr(pos + 11));
  // Raised as the extractor improves; the target is the best published model (96.27).
  EXPECT_GE(agg, 95.0) << ours.out;
  // The predictions scored by the reference scorer give the same aggregate.
  std::string scorer = testing::SharedDir() + "/tools/isaf_score.py";
  std::string pred = testing::TempPath("dev_pred.jsonl");
  RunCommand(testing::Binary() + " extract --profile isaf -q " + dev + " > " + pred);
  auto ref = RunCommand("/usr/bin/python3 " + scorer + " " + dev + " " + pred + " 2>/dev/null");
  EXPECT_EQ(LastLines(ref.out, 1), LastLines(ours.out, 1));
}

}  // namespace
}  // namespace sitrep
