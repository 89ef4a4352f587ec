// Page reading (src/clean/html.*): CleanHtml through gumbo, CleanText on
// plain text, quoted-release finding and page-date parsing.
#include "clean/html.h"
#include "fuzz_util.h"
#include "text/date.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::Bytes in(data, size);
  uint8_t mode = in.Byte();
  std::string_view s = in.Rest();
  (void)sitrep::clean::LooksLikeHtml(s);
  sitrep::clean::Page p = (mode & 1) ? sitrep::clean::CleanHtml(s) : sitrep::clean::CleanText(s);
  if (!(mode & 1)) {
    // Plain text keeps every byte offset.
    FUZZ_CHECK(p.text.size() == s.size());
    for (const auto& [a, b] : p.chrome) FUZZ_CHECK(a <= b && b <= p.text.size());
  } else {
    for (size_t k = 0; k < p.source_map.size(); ++k) {
      FUZZ_CHECK(p.source_map[k].source_offset <= s.size());
      if (k) FUZZ_CHECK(p.source_map[k - 1].text_offset <= p.source_map[k].text_offset);
    }
    // (With no map, SourceOffset returns its argument; HTML text can be
    // longer than the input once invalid bytes become U+FFFD.)
    if (!p.text.empty() && !p.source_map.empty())
      FUZZ_CHECK(p.SourceOffset(static_cast<uint32_t>(p.text.size() - 1)) <= s.size());
  }
  for (const auto& [a, b] : p.quotes) FUZZ_CHECK(a <= b && b <= p.text.size());
  if (!p.published.empty())
    FUZZ_CHECK(p.published.size() == 10 && sitrep::text::ParseIsoDate(p.published).valid());
  for (const auto& [a, b] : sitrep::clean::FindQuotedReleases(s)) FUZZ_CHECK(a <= b && b <= s.size());
  std::string d = sitrep::clean::ParsePageDate(s.substr(0, 200));
  if (!d.empty()) FUZZ_CHECK(sitrep::text::ParseIsoDate(d).valid());
  return 0;
}
