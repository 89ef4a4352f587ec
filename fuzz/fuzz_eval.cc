// The ISAF scorer on arbitrary prediction lines (eval::Score), with and
// without --explain, and the gold loader on arbitrary gold files.
#include "eval/isaf_eval.h"
#include "fuzz_util.h"

namespace {

sitrep::eval::GoldSet g_gold;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* rows[][2] = {
      {"a", R"({"start_date":"2011-02-05","province":["Kandahar"],"target_group":["Taliban"],)"
            R"("event_type":["detention"],"min_killed":0,"min_captured":2,"killq":false,)"
            R"("captureq":true,"killcaptureraid":false,"airstrike":false,"noshotsfired":false,)"
            R"("min_leaders_killed":0,"min_leaders_captured":1})"},
      {"b", R"({"start_date":"","province":"Helmand","target_group":[],"event_type":"airstrike",)"
            R"("min_killed":3.0,"min_captured":0,"killq":1,"captureq":0,"killcaptureraid":true,)"
            R"("airstrike":true,"noshotsfired":null})"},
  };
  for (auto& r : rows) {
    g_gold.order.push_back(r[0]);
    g_gold.gold_json[r[0]] = r[1];
    g_gold.text[r[0]] = "text";
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::Bytes in(data, size);
  uint8_t mode = in.Byte();
  std::string_view rest = in.Rest();
  if (mode & 0x80) {
    // Gold loader on arbitrary bytes.
    std::string path = sitrep::fuzz::WriteScratch("gold.jsonl", data + 1, size - (size ? 1 : 0));
    sitrep::eval::GoldSet g;
    std::string error;
    if (!sitrep::eval::LoadGold(path, &g, &error)) FUZZ_CHECK(!error.empty());
    else FUZZ_CHECK(g.order.size() == g.gold_json.size());
    return 0;
  }
  std::vector<std::string> lines;
  size_t s = 0;
  while (s <= rest.size()) {
    size_t e = rest.find('\n', s);
    if (e == std::string_view::npos) e = rest.size();
    lines.emplace_back(rest.substr(s, e - s));
    s = e + 1;
  }
  std::string explain = (mode & 1) ? "a" : (mode & 2) ? "b" : "";
  auto r = sitrep::eval::Score(g_gold, lines, "fuzz.jsonl", explain);
  FUZZ_CHECK(r.matched <= r.gold_rows);
  FUZZ_CHECK(r.usable <= r.matched);
  FUZZ_CHECK(r.aggregate_published >= 0 && r.aggregate_published <= 100.0001);
  FUZZ_CHECK(r.aggregate_strict >= 0 && r.aggregate_strict <= 100.0001);
  for (const auto& f : r.fields) {
    FUZZ_CHECK(f.published >= 0 && f.published <= static_cast<double>(r.gold_rows) + 1e-9);
    FUZZ_CHECK(f.strict >= 0 && f.strict <= static_cast<double>(r.gold_rows) + 1e-9);
  }
  FUZZ_CHECK(!sitrep::eval::FormatText(r).empty());
  FUZZ_CHECK(!sitrep::eval::FormatJson(r).empty());
  return 0;
}
