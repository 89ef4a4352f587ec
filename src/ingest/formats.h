// Format detection and the small parsers of ingest: WARC record headers, HTTP
// response envelopes, RSS/Atom items. Pure functions over bytes, so that
// they are tested without files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sitrep::ingest {

enum class Format { kText, kHtml, kJsonl, kWarc, kFeed };

// Chooses the format from the first bytes (`head`, a few KiB) and the name
// (without compression suffix). Content wins where it is unambiguous.
Format SniffFormat(std::string_view name, std::string_view head);

// "a.jsonl.gz" -> "a.jsonl", "a.tgz" -> "a.tar", "a.txt" -> "a.txt".
std::string StripCompressionSuffix(const std::string& name);

// True when the text looks like HTML markup (a doctype, <html>, or common
// block tags near the start).
bool LooksHtml(std::string_view head);

struct WarcHeaders {
  std::string type;          // WARC-Type
  std::string target_uri;    // WARC-Target-URI
  std::string record_id;     // WARC-Record-ID without <urn:uuid:...> wrapping
  std::string content_type;  // Content-Type of the record block
  uint64_t content_length = 0;
  bool has_length = false;
};
// Parses the header lines of one record (after the "WARC/1.x" line, up to
// the blank line). Returns false without a valid Content-Length.
bool ParseWarcHeaders(std::string_view block, WarcHeaders* out);

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string transfer_encoding;
  std::string content_encoding;
  size_t body_offset = 0;  // where the body starts in the payload
};
// Parses "HTTP/1.1 200 OK\r\nheaders\r\n\r\nbody". Returns false when the
// payload is not an HTTP response.
bool ParseHttpResponse(std::string_view payload, HttpResponse* out);
// Decodes a chunked transfer encoding; returns false when malformed.
bool DecodeChunked(std::string_view in, std::string* out);

struct FeedItem {
  std::string id;
  std::string title;
  std::string link;
  std::string published;  // YYYY-MM-DD, or "" when absent or unparsable
  std::string text;       // content, else description / summary
  bool html = false;      // text holds markup
};
// Parses one <item>...</item> (RSS) or <entry>...</entry> (Atom) element.
void ParseFeedItem(std::string_view xml, FeedItem* out);
// XML character data: CDATA sections unwrapped, entities decoded.
std::string DecodeXmlText(std::string_view s);
// RFC 822 ("Sat, 05 Feb 2011 10:00:00 GMT") or ISO 8601 -> "YYYY-MM-DD".
std::string ParseFeedDate(std::string_view s);

}  // namespace sitrep::ingest
