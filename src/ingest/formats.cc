#include "ingest/formats.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "text/date.h"

namespace sitrep::ingest {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

bool IStartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && IEquals(s.substr(0, p.size()), p);
}

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Extension(const std::string& name) {
  size_t slash = name.find_last_of('/');
  size_t dot = name.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  return LowerCopy(std::string_view(name).substr(dot));
}

// Skips a UTF-8 byte-order mark and white space.
std::string_view ContentStart(std::string_view head) {
  if (head.size() >= 3 && head.compare(0, 3, "\xEF\xBB\xBF") == 0) head.remove_prefix(3);
  while (!head.empty() && std::isspace(static_cast<unsigned char>(head.front()))) head.remove_prefix(1);
  return head;
}

// Counts well-formed looking tags: '<' then a letter, '/' or '!', and a '>'
// before the next '<'.
int CountTags(std::string_view s, int enough) {
  int n = 0;
  for (size_t i = s.find('<'); i != std::string_view::npos && n < enough; i = s.find('<', i + 1)) {
    if (i + 1 >= s.size()) break;
    char c = s[i + 1];
    if (!(std::isalpha(static_cast<unsigned char>(c)) || c == '/' || c == '!')) continue;
    size_t close = s.find('>', i + 1);
    size_t next = s.find('<', i + 1);
    if (close != std::string_view::npos && (next == std::string_view::npos || close < next) &&
        close - i < 512)
      ++n;
  }
  return n;
}

}  // namespace

bool LooksHtml(std::string_view head) {
  std::string_view s = ContentStart(head);
  if (s.size() > 4096) s = s.substr(0, 4096);
  if (IStartsWith(s, "<!doctype html") || IStartsWith(s, "<html") || IStartsWith(s, "<head") ||
      IStartsWith(s, "<body"))
    return true;
  std::string low = LowerCopy(s);
  if (!low.empty() && low[0] == '<' &&
      (low.find("<html") != std::string::npos || low.find("<body") != std::string::npos ||
       low.find("<div") != std::string::npos || low.find("<p>") != std::string::npos))
    return true;
  // Text with markup through it: several block or inline tags.
  int tags = 0;
  for (const char* t : {"<p>", "<p ", "</p>", "<br", "<div", "</div>", "<a href"}) {
    for (size_t i = low.find(t); i != std::string::npos; i = low.find(t, i + 1)) ++tags;
  }
  return tags >= 3;
}

Format SniffFormat(std::string_view name, std::string_view head) {
  std::string ext = Extension(std::string(name));
  std::string_view s = ContentStart(head);
  if (s.substr(0, 5) == "WARC/") return Format::kWarc;
  if (ext == ".warc") return Format::kWarc;
  if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") return Format::kJsonl;
  // A BOM makes an unnamed input text (the reader's documented behaviour).
  bool bom = head.size() >= 3 && head.compare(0, 3, "\xEF\xBB\xBF") == 0;
  if (!bom && !s.empty() && s[0] == '{') return Format::kJsonl;
  if (ext == ".rss" || ext == ".atom") return Format::kFeed;
  if (!s.empty() && s[0] == '<') {
    std::string low = LowerCopy(s.substr(0, 4096));
    size_t rss = std::min({low.find("<rss"), low.find("<feed"), low.find("<rdf:rdf")});
    size_t html = std::min(low.find("<html"), low.find("<!doctype html"));
    if (rss != std::string::npos && rss < html) return Format::kFeed;
  }
  if (ext == ".html" || ext == ".htm" || ext == ".xhtml" || ext == ".shtml") return Format::kHtml;
  if (LooksHtml(head)) return Format::kHtml;
  return Format::kText;
}

std::string StripCompressionSuffix(const std::string& name) {
  std::string ext = Extension(name);
  if (ext == ".tgz") return name.substr(0, name.size() - 4) + ".tar";
  for (const char* e : {".gz", ".zst", ".zstd", ".bz2", ".xz", ".lz4", ".lzma"})
    if (ext == e) return name.substr(0, name.size() - ext.size());
  return name;
}

bool ParseWarcHeaders(std::string_view block, WarcHeaders* out) {
  *out = WarcHeaders{};
  size_t pos = 0;
  while (pos < block.size()) {
    size_t eol = block.find('\n', pos);
    if (eol == std::string_view::npos) eol = block.size();
    std::string_view line = block.substr(pos, eol - pos);
    pos = eol + 1;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = Trim(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    if (IEquals(key, "WARC-Type")) {
      out->type = LowerCopy(value);
    } else if (IEquals(key, "WARC-Target-URI")) {
      if (value.size() >= 2 && value.front() == '<' && value.back() == '>')
        value = value.substr(1, value.size() - 2);
      out->target_uri = value;
    } else if (IEquals(key, "WARC-Record-ID")) {
      if (value.size() >= 2 && value.front() == '<' && value.back() == '>')
        value = value.substr(1, value.size() - 2);
      if (IStartsWith(value, "urn:uuid:")) value.remove_prefix(9);
      out->record_id = value;
    } else if (IEquals(key, "Content-Type")) {
      out->content_type = LowerCopy(value);
    } else if (IEquals(key, "Content-Length")) {
      uint64_t n = 0;
      bool ok = !value.empty() && value.size() <= 18;
      for (char c : value) {
        if (c < '0' || c > '9') {
          ok = false;
          break;
        }
        n = n * 10 + static_cast<uint64_t>(c - '0');
      }
      if (ok) {
        out->content_length = n;
        out->has_length = true;
      }
    }
  }
  return out->has_length;
}

bool ParseHttpResponse(std::string_view payload, HttpResponse* out) {
  *out = HttpResponse{};
  if (payload.substr(0, 5) != "HTTP/") return false;
  size_t end = payload.find("\r\n\r\n");
  size_t sep = 4;
  size_t lf = payload.find("\n\n");
  if (end == std::string_view::npos || (lf != std::string_view::npos && lf < end)) {
    end = lf;
    sep = 2;
  }
  if (end == std::string_view::npos) return false;
  std::string_view head = payload.substr(0, end);
  out->body_offset = end + sep;
  size_t eol = head.find('\n');
  std::string_view status_line = head.substr(0, eol);
  size_t sp = status_line.find(' ');
  if (sp != std::string_view::npos) out->status = std::atoi(std::string(status_line.substr(sp + 1, 3)).c_str());
  size_t pos = eol == std::string_view::npos ? head.size() : eol + 1;
  while (pos < head.size()) {
    size_t e = head.find('\n', pos);
    if (e == std::string_view::npos) e = head.size();
    std::string_view line = head.substr(pos, e - pos);
    pos = e + 1;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = Trim(line.substr(0, colon));
    std::string value = LowerCopy(Trim(line.substr(colon + 1)));
    if (IEquals(key, "Content-Type")) out->content_type = value;
    else if (IEquals(key, "Transfer-Encoding")) out->transfer_encoding = value;
    else if (IEquals(key, "Content-Encoding")) out->content_encoding = value;
  }
  return true;
}

bool DecodeChunked(std::string_view in, std::string* out) {
  out->clear();
  size_t pos = 0;
  while (pos < in.size()) {
    size_t eol = in.find('\n', pos);
    if (eol == std::string_view::npos) return false;
    std::string_view line = Trim(in.substr(pos, eol - pos));
    size_t semi = line.find(';');
    if (semi != std::string_view::npos) line = line.substr(0, semi);
    if (line.empty() || line.size() > 15) return false;
    uint64_t n = 0;
    for (char c : line) {
      int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
              : (Lower(c) >= 'a' && Lower(c) <= 'f') ? Lower(c) - 'a' + 10
                                                      : -1;
      if (d < 0) return false;
      n = n * 16 + static_cast<uint64_t>(d);
    }
    pos = eol + 1;
    if (n == 0) return true;
    if (n > in.size() - pos) return false;
    out->append(in.substr(pos, n));
    pos += n;
    if (pos < in.size() && in[pos] == '\r') ++pos;
    if (pos < in.size() && in[pos] == '\n') ++pos;
  }
  return true;  // no final zero chunk: keep what there is
}

std::string DecodeXmlText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '<' && s.compare(i, 9, "<![CDATA[") == 0) {
      size_t end = s.find("]]>", i + 9);
      if (end == std::string_view::npos) end = s.size();
      out.append(s.substr(i + 9, end - i - 9));
      i = end == s.size() ? end : end + 3;
      continue;
    }
    if (s[i] == '&') {
      size_t semi = s.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        std::string_view ent = s.substr(i + 1, semi - i - 1);
        uint32_t cp = 0;
        bool ok = true;
        if (ent == "lt") cp = '<';
        else if (ent == "gt") cp = '>';
        else if (ent == "amp") cp = '&';
        else if (ent == "quot") cp = '"';
        else if (ent == "apos") cp = '\'';
        else if (!ent.empty() && ent[0] == '#') {
          bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
          std::string digits(ent.substr(hex ? 2 : 1));
          char* endp = nullptr;
          unsigned long v = digits.empty() ? 0 : std::strtoul(digits.c_str(), &endp, hex ? 16 : 10);
          ok = !digits.empty() && endp && *endp == '\0' && v > 0 && v < 0x110000 &&
               !(v >= 0xD800 && v < 0xE000);
          cp = static_cast<uint32_t>(v);
        } else {
          ok = false;
        }
        if (ok) {
          if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          }
          i = semi + 1;
          continue;
        }
      }
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

std::string ParseFeedDate(std::string_view s) {
  s = Trim(s);
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (s.size() >= 10 && digit(s[0]) && digit(s[1]) && digit(s[2]) && digit(s[3]) && s[4] == '-' &&
      digit(s[5]) && digit(s[6]) && s[7] == '-' && digit(s[8]) && digit(s[9]))
    return text::ParseIsoDate(s.substr(0, 10)).valid() ? std::string(s.substr(0, 10)) : "";
  // RFC 822: [Day, ] DD Mon YYYY ...
  size_t comma = s.find(',');
  if (comma != std::string_view::npos && comma < 12) s = Trim(s.substr(comma + 1));
  int day = 0;
  size_t i = 0;
  while (i < s.size() && digit(s[i]) && i < 2) day = day * 10 + (s[i++] - '0');
  if (i == 0 || day < 1 || day > 31) return "";
  while (i < s.size() && s[i] == ' ') ++i;
  static const std::array<const char*, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};
  if (i + 3 > s.size()) return "";
  int month = 0;
  for (size_t m = 0; m < 12; ++m)
    if (IEquals(s.substr(i, 3), kMonths[m])) month = static_cast<int>(m) + 1;
  if (month == 0) return "";
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
  while (i < s.size() && (s[i] == ' ' || s[i] == '.')) ++i;
  int year = 0, nd = 0;
  while (i < s.size() && digit(s[i]) && nd < 4) {
    year = year * 10 + (s[i++] - '0');
    ++nd;
  }
  if (nd == 2) year += year < 70 ? 2000 : 1900;
  else if (nd != 4) return "";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  // "31 Feb 2011" is no date.
  return text::Date{year, month, day}.valid() ? std::string(buf) : "";
}

namespace {

struct Element {
  std::string_view attrs;
  std::string_view inner;
  bool found = false;
};

// The first element named `qname` (exact, case-sensitive as XML is).
Element FindElement(std::string_view xml, std::string_view qname, size_t from = 0) {
  Element e;
  std::string open = "<" + std::string(qname);
  for (size_t i = xml.find(open, from); i != std::string_view::npos; i = xml.find(open, i + 1)) {
    size_t after = i + open.size();
    if (after >= xml.size()) break;
    char c = xml[after];
    if (!(c == '>' || c == '/' || std::isspace(static_cast<unsigned char>(c)))) continue;
    size_t gt = xml.find('>', after);
    if (gt == std::string_view::npos) break;
    e.found = true;
    bool self_closing = gt > after && xml[gt - 1] == '/';
    e.attrs = xml.substr(after, gt - after - (self_closing ? 1 : 0));
    if (self_closing) return e;
    std::string close = "</" + std::string(qname) + ">";
    size_t end = xml.find(close, gt + 1);
    if (end == std::string_view::npos) end = xml.size();
    e.inner = xml.substr(gt + 1, end - gt - 1);
    return e;
  }
  return e;
}

std::string Attribute(std::string_view attrs, std::string_view name) {
  for (size_t i = attrs.find(name); i != std::string_view::npos; i = attrs.find(name, i + 1)) {
    if (i > 0 && !std::isspace(static_cast<unsigned char>(attrs[i - 1]))) continue;
    size_t j = i + name.size();
    while (j < attrs.size() && attrs[j] == ' ') ++j;
    if (j >= attrs.size() || attrs[j] != '=') continue;
    ++j;
    while (j < attrs.size() && attrs[j] == ' ') ++j;
    if (j >= attrs.size() || (attrs[j] != '"' && attrs[j] != '\'')) continue;
    char q = attrs[j];
    size_t end = attrs.find(q, j + 1);
    if (end == std::string_view::npos) return "";
    return DecodeXmlText(attrs.substr(j + 1, end - j - 1));
  }
  return "";
}

std::string FirstText(std::string_view xml, std::initializer_list<std::string_view> names,
                      std::string* type = nullptr) {
  for (auto n : names) {
    Element e = FindElement(xml, n);
    if (!e.found) continue;
    std::string t = std::string(Trim(DecodeXmlText(e.inner)));
    if (t.empty()) continue;
    if (type) *type = Attribute(e.attrs, "type");
    return t;
  }
  return "";
}

}  // namespace

void ParseFeedItem(std::string_view xml, FeedItem* out) {
  *out = FeedItem{};
  out->title = FirstText(xml, {"title", "atom:title", "dc:title"});
  // RSS <link>url</link>; Atom <link href="url" rel="alternate"/>.
  out->link = FirstText(xml, {"link"});
  if (out->link.empty() || out->link.find('<') != std::string::npos) {
    out->link.clear();
    for (size_t from = 0;;) {
      size_t at = std::min(xml.find("<link", from), xml.find("<atom:link", from));
      if (at == std::string_view::npos) break;
      std::string_view q = xml.compare(at, 10, "<atom:link") == 0 ? "atom:link" : "link";
      Element e = FindElement(xml, q, at);
      if (!e.found) break;
      std::string rel = Attribute(e.attrs, "rel");
      std::string href = Attribute(e.attrs, "href");
      if (!href.empty() && (rel.empty() || rel == "alternate")) {
        out->link = href;
        break;
      }
      if (out->link.empty()) out->link = href;
      from = at + 1;
    }
  }
  out->id = FirstText(xml, {"guid", "id", "atom:id"});
  std::string date = FirstText(xml, {"pubDate", "published", "dc:date", "atom:published",
                                     "updated", "atom:updated", "dc:created"});
  out->published = ParseFeedDate(date);
  std::string type;
  out->text = FirstText(xml, {"content:encoded", "content", "atom:content", "description",
                              "summary", "atom:summary"},
                        &type);
  out->html = type == "html" || type == "xhtml" || CountTags(out->text, 1) > 0;
  if (type == "text") out->html = false;
}

}  // namespace sitrep::ingest
