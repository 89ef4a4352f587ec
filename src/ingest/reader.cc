// The ingest stage: turns paths into Documents, one streaming pass per input.
// Every input is a chain of byte streams (file -> decompressor -> archive
// member -> ...) read through a bounded buffer; formats are chosen by
// content, then by name (see reader.h).
#include "sitrep/reader.h"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "ingest/archive.h"
#include "ingest/formats.h"
#include "ingest/input.h"
#include "util/utf8.h"

namespace sitrep {
namespace fs = std::filesystem;

namespace {

using ingest::ByteStream;
using ingest::Input;

// Archives inside archives are followed this deep, no deeper.
constexpr int kMaxDepth = 4;

std::string Mib(size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

enum class Status { kOk, kStop, kFailed };

class Reader {
 public:
  Reader(const DocumentSink& docs, const ErrorSink& errors, const ReadOptions& options)
      : docs_(docs), errors_(errors), opt_(options) {}

  bool ReadPath(const std::string& path) {
    if (path == "-") {
      ingest::FdStream s(0, false, opt_.raw_bytes_read);
      return ReadStream(path, "stdin", "-", &s, 0) != Status::kStop;
    }
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> files;
      for (auto it = fs::recursive_directory_iterator(
               path, fs::directory_options::skip_permission_denied, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec)) files.push_back(it->path().string());
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files)
        if (!ReadPath(f)) return false;
      return true;
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      Error(path, 0, "cannot open");
      return true;
    }
    ingest::FdStream s(fd, true, opt_.raw_bytes_read);
    std::string base = fs::path(path).filename().string();
    return ReadStream(path, base, base, &s, 0) != Status::kStop;
  }

  ReadStats stats;

 private:
  void Error(const std::string& src, uint64_t line, std::string reason, const char* unit = "") {
    ++stats.rejected;
    errors_(ReadError{src, line, std::move(reason), unit, false});
  }

  bool Emit(Document&& d) {
    ++stats.documents;
    stats.bytes += d.text.size();
    return docs_(std::move(d));
  }

  // `source`: how errors name this stream; `id_base`: how document ids do;
  // `name`: the file name the format is guessed from.
  Status ReadStream(const std::string& source, const std::string& id_base, const std::string& name,
                    ByteStream* stream, int depth) {
    Input in(stream);
    std::string_view head = in.Peek(4096);
    if (in.failed()) {
      Error(source, 0, "cannot read: " + in.error());
      return Status::kFailed;
    }
    ingest::Container c = ingest::SniffContainer(head);
    if (c != ingest::Container::kNone && depth < kMaxDepth) return ReadContainer(source, id_base, name, &in, c, depth);
    switch (ingest::SniffFormat(name, head)) {
      case ingest::Format::kJsonl:
        return ReadJsonl(source, id_base, &in);
      case ingest::Format::kWarc:
        return ReadWarc(source, id_base, &in);
      case ingest::Format::kFeed:
        return ReadFeed(source, id_base, &in);
      case ingest::Format::kHtml:
        return ReadWhole(source, id_base, &in, "html");
      case ingest::Format::kText:
        break;
    }
    return ReadWhole(source, id_base, &in, "text");
  }

  Status ReadContainer(const std::string& source, const std::string& id_base, const std::string& name,
                       Input* in, ingest::Container c, int depth) {
    ingest::ArchiveReader ar(in, c, opt_);
    std::string member;
    bool member_failed = false;
    while (ar.Next(&member)) {
      Status st;
      if (c == ingest::Container::kCompressed) {
        st = ReadStream(source, ingest::StripCompressionSuffix(id_base),
                        ingest::StripCompressionSuffix(name), ar.member(), depth + 1);
      } else {
        st = ReadStream(source + "/" + member, id_base + "/" + member, member, ar.member(), depth + 1);
      }
      if (st == Status::kStop) return st;
      if (st == Status::kFailed) {
        member_failed = true;
        break;
      }
    }
    if (!ar.error().empty() && !member_failed) {
      Error(source, 0, "corrupt or truncated archive (" + ar.error() + "); the documents before it were kept");
      return Status::kFailed;
    }
    return member_failed ? Status::kFailed : Status::kOk;
  }

  // Plain text or HTML: the whole stream is one document.
  Status ReadWhole(const std::string& source, const std::string& id, Input* in, const char* format) {
    std::string text;
    char buf[65536];
    bool too_big = false;
    while (size_t n = in->Read(buf, sizeof buf)) {
      if (text.size() + n > opt_.max_document_bytes) {
        too_big = true;
        while (in->Read(buf, sizeof buf) > 0) {
        }
        break;
      }
      text.append(buf, n);
    }
    if (in->failed()) {
      Error(source, 0, "truncated or corrupt input (" + in->error() + "); skipped");
      return Status::kFailed;
    }
    if (too_big) {
      Error(source, 0, "document larger than " + Mib(opt_.max_document_bytes) + "; skipped");
      return Status::kOk;
    }
    if (text.find('\0') != std::string::npos) {
      Error(source, 0, "binary data (NUL bytes); skipped");
      return Status::kOk;
    }
    size_t bad = util::RepairUtf8(&text);
    if (bad > 0 && bad * 20 > text.size()) {
      Error(source, 0, "not text (" + std::to_string(bad) + " invalid UTF-8 sequences); skipped");
      return Status::kOk;
    }
    Document d;
    d.id = id;
    d.source = source;
    d.format = format;
    d.text = std::move(text);
    return Emit(std::move(d)) ? Status::kOk : Status::kStop;
  }

  Status ReadJsonl(const std::string& source, const std::string& id_base, Input* in) {
    std::string line;
    uint64_t line_no = 0;
    bool too_long = false;
    while (in->ReadLine(&line, opt_.max_document_bytes, &too_long)) {
      ++line_no;
      if (in->failed()) {
        Error(source, line_no, "truncated or corrupt input (" + in->error() + "); the rows before it were kept");
        return Status::kFailed;
      }
      if (too_long) {
        Error(source, line_no, "line longer than " + Mib(opt_.max_document_bytes) + "; skipped");
        continue;
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      if (line_no == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
      simdjson::dom::element row;
      auto err = parser_.parse(line).get(row);
      if (err) {
        Error(source, line_no, std::string("malformed JSON: ") + simdjson::error_message(err));
        continue;
      }
      if (!row.is_object()) {
        Error(source, line_no, "row is not a JSON object");
        continue;
      }
      Document d;
      d.source = source;
      d.line = line_no;
      std::string_view sv;
      auto text_field = row["text"];
      if (text_field.error()) {
        Error(source, line_no, "row has no \"text\" field");
        continue;
      }
      if (text_field.get_string().get(sv)) {
        Error(source, line_no, "\"text\" is not a string");
        continue;
      }
      d.text.assign(sv);
      auto id_field = row["id"];
      if (!id_field.error()) {
        if (!id_field.get_string().get(sv)) d.id.assign(sv);
        else if (int64_t n; !id_field.get_int64().get(n)) d.id = std::to_string(n);
      }
      if (d.id.empty()) d.id = id_base + ":" + std::to_string(line_no);
      for (auto [key, dst] : {std::pair{"url", &d.url}, std::pair{"title", &d.title},
                              std::pair{"published", &d.published}}) {
        auto f = row[key];
        if (!f.error() && !f.get_string().get(sv)) dst->assign(sv);
      }
      if (d.published.size() > 10) d.published.resize(10);  // "2011-02-05T..." -> date
      auto fmt = row["format"];
      d.format = !fmt.error() && !fmt.get_string().get(sv) && sv == "html" ? "html" : "text";
      if (!Emit(std::move(d))) return Status::kStop;
    }
    if (in->failed()) {
      Error(source, line_no + 1, "truncated or corrupt input (" + in->error() + "); the rows before it were kept");
      return Status::kFailed;
    }
    return Status::kOk;
  }

  Status ReadWarc(const std::string& source, const std::string& id_base, Input* in) {
    uint64_t record = 0;
    std::string line, header, content, body;
    bool too_long = false;
    auto fail = [&](const std::string& why) {
      Error(source, record, why + "; the records before it were kept", "record");
      return Status::kFailed;
    };
    while (true) {
      // Blank lines separate records.
      bool got = false;
      while ((got = in->ReadLine(&line, 4096, &too_long))) {
        if (too_long || line.find_first_not_of("\r") != std::string::npos) break;
      }
      if (!got) return in->failed() ? fail("truncated or corrupt input (" + in->error() + ")") : Status::kOk;
      ++record;
      if (too_long || line.compare(0, 5, "WARC/") != 0) return fail("not a WARC record header");
      header.clear();
      bool ended = false;
      while (in->ReadLine(&line, 65536, &too_long)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() && !too_long) {
          ended = true;
          break;
        }
        if (header.size() < (1u << 20)) header.append(line).push_back('\n');
      }
      if (!ended) return fail(in->failed() ? "truncated or corrupt input (" + in->error() + ")"
                                           : "truncated record header");
      ingest::WarcHeaders h;
      if (!ingest::ParseWarcHeaders(header, &h)) return fail("record without a valid Content-Length");
      bool wanted = h.type == "response" && h.content_type.find("application/http") != std::string::npos;
      if (!wanted) {
        if (in->Skip(h.content_length) < h.content_length)
          return fail(in->failed() ? "truncated or corrupt input (" + in->error() + ")" : "truncated record");
        ++stats.skipped;
        continue;
      }
      if (h.content_length > opt_.max_document_bytes + 65536) {
        if (in->Skip(h.content_length) < h.content_length)
          return fail(in->failed() ? "truncated or corrupt input (" + in->error() + ")" : "truncated record");
        Error(source, record, "record larger than " + Mib(opt_.max_document_bytes) + "; skipped", "record");
        continue;
      }
      content.resize(h.content_length);
      size_t got_bytes = in->Read(content.data(), content.size());
      if (got_bytes < content.size())
        return fail(in->failed() ? "truncated or corrupt input (" + in->error() + ")"
                                 : "truncated record (" + std::to_string(got_bytes) + " of " +
                                       std::to_string(content.size()) + " bytes)");
      ingest::HttpResponse http;
      if (!ingest::ParseHttpResponse(content, &http) || http.status < 200 || http.status > 299 ||
          http.content_type.find("html") == std::string::npos ||
          !(http.content_encoding.empty() || http.content_encoding == "identity")) {
        ++stats.skipped;
        continue;
      }
      std::string_view payload = std::string_view(content).substr(http.body_offset);
      if (http.transfer_encoding.find("chunked") != std::string::npos &&
          ingest::DecodeChunked(payload, &body)) {
      } else {
        body.assign(payload);
      }
      if (body.size() > opt_.max_document_bytes) {
        Error(source, record, "record larger than " + Mib(opt_.max_document_bytes) + "; skipped", "record");
        continue;
      }
      if (body.find('\0') != std::string::npos) {
        ++stats.skipped;
        continue;
      }
      util::RepairUtf8(&body);
      Document d;
      d.id = h.record_id.empty() ? id_base + ":record" + std::to_string(record) : h.record_id;
      d.url = h.target_uri;
      d.format = "html";
      d.source = source;
      d.line = record;
      d.text = std::move(body);
      body = std::string();
      if (!Emit(std::move(d))) return Status::kStop;
    }
  }

  Status ReadFeed(const std::string& source, const std::string& id_base, Input* in) {
    uint64_t item = 0;
    std::string xml;
    while (true) {
      if (!in->ReadUntil("<", nullptr, 0, nullptr)) break;
      std::string_view tag = in->Peek(16);
      std::string_view close;
      for (auto [open, end] : {std::pair<std::string_view, std::string_view>{"item", "</item>"},
                               {"entry", "</entry>"},
                               {"atom:entry", "</atom:entry>"}}) {
        if (tag.size() > open.size() && tag.compare(0, open.size(), open) == 0) {
          char c = tag[open.size()];
          if (c == '>' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/') close = end;
        }
      }
      if (close.empty()) continue;
      ++item;
      xml.clear();
      bool overflow = false;
      std::string end(close);  // the Peek view dies with the next read
      if (!in->ReadUntil(end, &xml, opt_.max_document_bytes, &overflow)) {
        Error(source, item,
              (in->failed() ? "truncated or corrupt input (" + in->error() + ")" : std::string("unterminated item")) +
                  "; the items before it were kept",
              "record");
        return Status::kFailed;
      }
      if (overflow) {
        Error(source, item, "item larger than " + Mib(opt_.max_document_bytes) + "; skipped", "record");
        continue;
      }
      ingest::FeedItem fi;
      ingest::ParseFeedItem(xml, &fi);
      if (fi.text.empty()) fi.text = fi.title;
      if (fi.text.empty()) {
        ++stats.skipped;
        continue;
      }
      Document d;
      d.id = !fi.id.empty() ? fi.id : !fi.link.empty() ? fi.link : id_base + ":item" + std::to_string(item);
      d.url = fi.link;
      d.title = fi.title;
      d.published = fi.published;
      d.format = fi.html ? "html" : "text";
      d.source = source;
      d.line = item;
      d.text = std::move(fi.text);
      util::RepairUtf8(&d.text);
      util::RepairUtf8(&d.title);
      if (!Emit(std::move(d))) return Status::kStop;
    }
    if (in->failed()) {
      Error(source, item, "truncated or corrupt input (" + in->error() + "); the items before it were kept", "record");
      return Status::kFailed;
    }
    return Status::kOk;
  }

  const DocumentSink& docs_;
  const ErrorSink& errors_;
  ReadOptions opt_;
  simdjson::dom::parser parser_;
};

}  // namespace

std::string ReadError::ToString() const {
  std::string s = source;
  if (line > 0) s += ":" + (unit.empty() ? std::string() : unit + " ") + std::to_string(line);
  return s + ": " + (warning ? "warning: " : "") + reason;
}

ReadStats ReadDocuments(const std::vector<std::string>& paths, const DocumentSink& on_document,
                        const ErrorSink& on_error, const ReadOptions& options) {
  Reader r(on_document, on_error, options);
  for (const auto& p : paths)
    if (!r.ReadPath(p)) break;
  return r.stats;
}

ReadStats ReadDocuments(const std::vector<std::string>& paths, const DocumentSink& on_document,
                        const ErrorSink& on_error) {
  return ReadDocuments(paths, on_document, on_error, ReadOptions{});
}

uint64_t InputSize(const std::vector<std::string>& paths) {
  uint64_t total = 0;
  for (const auto& p : paths) {
    if (p == "-") continue;
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec)) total += it->file_size(ec);
      }
    } else {
      uint64_t n = fs::file_size(p, ec);
      if (!ec) total += n;
    }
  }
  return total;
}

}  // namespace sitrep
