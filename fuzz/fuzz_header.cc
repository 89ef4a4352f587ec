// Release header / dateline parsing (clean::ParseHeader).
#include "clean/header.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::Bytes in(data, size);
  int fallback = 2000 + in.Byte() % 20;
  if (in.Byte() & 1) fallback = 0;
  std::string_view text = in.Rest();
  auto h = sitrep::clean::ParseHeader(text, fallback);
  FUZZ_CHECK(h.body_start <= text.size());
  if (h.has_dateline) {
    FUZZ_CHECK(h.dateline_start <= h.dateline_end);
    FUZZ_CHECK(h.dateline_end <= text.size());
  }
  if (h.basis != sitrep::clean::Header::Basis::kNone) FUZZ_CHECK(h.issued.valid());
  FUZZ_CHECK(h.title.size() <= text.size());
  return 0;
}
