// The whole extraction over arbitrary text, both profiles: header and
// dateline, tokenizer, phrase matching, quantity parsing, event assembly,
// date resolution, the ISAF view and JSON output. The output line must be
// valid JSON whatever the input.
#include <simdjson.h>

#include <memory>

#include "fuzz_util.h"
#include "sitrep/sitrep.h"

namespace {

std::unique_ptr<sitrep::Pipeline> g_full, g_isaf;

std::unique_ptr<sitrep::Pipeline> Make(sitrep::Profile profile) {
  sitrep::PipelineOptions o;
  o.profile = profile;
  o.kb_dir = SITREP_FUZZ_KB_DIR;
  std::string error;
  auto p = sitrep::Pipeline::Create(o, &error);
  if (!p) {
    std::fprintf(stderr, "fuzz_extract: %s\n", error.c_str());
    std::abort();
  }
  return p;
}

void CheckJson(const std::string& line) {
  static simdjson::dom::parser parser;
  simdjson::dom::element e;
  auto err = parser.parse(line).get(e);
  if (err) std::fprintf(stderr, "bad JSON output: %s\n%s\n", simdjson::error_message(err), line.c_str());
  FUZZ_CHECK(!err);
  FUZZ_CHECK(e.is_object());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_full = Make(sitrep::Profile::kFull);
  g_isaf = Make(sitrep::Profile::kIsaf);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::Bytes in(data, size);
  uint8_t mode = in.Byte();
  sitrep::Document d;
  d.id = "fuzz";
  // Publication date: none, a normal one, or a bogus one.
  switch (mode & 3) {
    case 0: break;
    case 1: d.published = "2011-02-05"; break;
    case 2: d.published = "2011-02-30"; break;
    case 3: d.published = "20111-1-1"; break;
  }
  d.text.assign(in.Rest());
  const sitrep::Pipeline& p = (mode & 4) ? *g_isaf : *g_full;
  sitrep::Extraction x = p.Extract(d);
  // For HTML input, offsets index the cleaned text the extraction returns,
  // which can be longer than the input (gumbo turns each invalid byte into a
  // 3-byte U+FFFD); otherwise they index the input.
  const std::string& indexed = x.text.empty() ? d.text : x.text;
  for (const auto& e : x.events) {
    for (const auto& ev : e.evidence) {
      FUZZ_CHECK(ev.start <= ev.end);
      FUZZ_CHECK(ev.end <= indexed.size());
      FUZZ_CHECK(ev.text == indexed.substr(ev.start, ev.end - ev.start));
    }
    if (e.killed) FUZZ_CHECK(*e.killed >= 0);
    if (e.captured) FUZZ_CHECK(*e.captured >= 0);
    if (!e.date.empty()) FUZZ_CHECK(e.date.size() >= 4);
  }
  if (p.options().profile == sitrep::Profile::kIsaf) {
    FUZZ_CHECK(x.isaf.has_value());
    FUZZ_CHECK(x.isaf->min_killed >= 0 && x.isaf->min_captured >= 0);
  }
  CheckJson(sitrep::ToJsonLine(x, p.options().profile));
  return 0;
}
