// The small ingest parsers (src/ingest/formats.*): format sniffing, WARC
// record headers, HTTP response envelopes, chunked transfer decoding, RSS /
// Atom items, XML text and feed dates.
#include "fuzz_util.h"
#include "ingest/archive.h"
#include "ingest/formats.h"
#include "text/date.h"

namespace ig = sitrep::ingest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::Bytes in(data, size);
  uint8_t mode = in.Byte();
  std::string_view s = in.Rest();
  static const char* const kNames[] = {"a.txt", "a.jsonl", "a.warc", "a.rss", "a.html", "a"};
  (void)ig::SniffFormat(kNames[mode % 6], s);
  (void)ig::SniffContainer(s);
  (void)ig::LooksHtml(s);
  (void)ig::StripCompressionSuffix(std::string(s.substr(0, 64)));
  switch (mode % 5) {
    case 0: {
      ig::WarcHeaders h;
      (void)ig::ParseWarcHeaders(s, &h);
      break;
    }
    case 1: {
      ig::HttpResponse r;
      if (ig::ParseHttpResponse(s, &r)) FUZZ_CHECK(r.body_offset <= s.size());
      break;
    }
    case 2: {
      std::string out;
      if (ig::DecodeChunked(s, &out)) FUZZ_CHECK(out.size() <= s.size());
      break;
    }
    case 3: {
      ig::FeedItem item;
      ig::ParseFeedItem(s, &item);
      if (!item.published.empty()) FUZZ_CHECK(sitrep::text::ParseIsoDate(item.published).valid());
      break;
    }
    case 4: {
      (void)ig::DecodeXmlText(s);
      std::string d = ig::ParseFeedDate(s);
      if (!d.empty()) FUZZ_CHECK(sitrep::text::ParseIsoDate(d).valid());
      break;
    }
  }
  return 0;
}
