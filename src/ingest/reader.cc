#include "sitrep/reader.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "util/utf8.h"

namespace sitrep {
namespace fs = std::filesystem;

namespace {

// A document bigger than this is rejected rather than read: press releases
// are kilobytes, and a 100 MB "line" is an error or an attack.
constexpr size_t kMaxDocumentBytes = 16u << 20;

bool LooksJsonl(const std::string& path, std::istream& in) {
  std::string ext = fs::path(path).extension().string();
  if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") return true;
  // Sniff: first non-space byte is '{'.
  while (true) {
    int c = in.peek();
    if (c == EOF) return false;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      in.get();
      continue;
    }
    if (c == 0xEF) return false;  // BOM: treat as text unless named .jsonl
    return c == '{';
  }
}

// Reads one line, but never keeps more than kMaxDocumentBytes of it, so a
// huge line costs time, not memory.
bool ReadBoundedLine(std::istream& in, std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  std::streambuf* sb = in.rdbuf();
  bool any = false;
  while (true) {
    int c = sb->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      return any;
    }
    any = true;
    if (c == '\n') return true;
    if (*too_long) continue;
    if (line->size() >= kMaxDocumentBytes) {
      *too_long = true;
      std::string().swap(*line);
      continue;
    }
    line->push_back(static_cast<char>(c));
  }
}

class Reader {
 public:
  Reader(const DocumentSink& docs, const ErrorSink& errors)
      : docs_(docs), errors_(errors) {}

  bool ReadPath(const std::string& path) {
    if (path == "-") return ReadStream("-", std::cin);
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
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      Error(path, 0, "cannot open");
      return true;
    }
    return ReadStream(path, in);
  }

  ReadStats stats;

 private:
  void Error(const std::string& src, uint64_t line, std::string reason) {
    ++stats.rejected;
    errors_(ReadError{src, line, std::move(reason)});
  }

  bool ReadStream(const std::string& path, std::istream& in) {
    if (LooksJsonl(path, in)) return ReadJsonl(path, in);
    // Plain text: the whole input is one document.
    std::string text;
    char buf[65536];
    bool too_big = false;
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      if (text.size() + static_cast<size_t>(in.gcount()) > kMaxDocumentBytes) {
        too_big = true;
        break;
      }
      text.append(buf, static_cast<size_t>(in.gcount()));
    }
    if (too_big) {
      Error(path, 0, "document larger than 16 MiB; skipped");
      return true;
    }
    if (text.find('\0') != std::string::npos) {
      Error(path, 0, "binary data (NUL bytes); skipped");
      return true;
    }
    stats.bytes += text.size();
    size_t bad = util::RepairUtf8(&text);
    if (bad > 0 && bad * 20 > text.size()) {
      Error(path, 0, "not text (" + std::to_string(bad) + " invalid UTF-8 sequences); skipped");
      return true;
    }
    Document d;
    d.id = path == "-" ? "stdin" : fs::path(path).filename().string();
    d.source = path;
    d.text = std::move(text);
    ++stats.documents;
    return docs_(std::move(d));
  }

  bool ReadJsonl(const std::string& path, std::istream& in) {
    simdjson::dom::parser parser;
    std::string line;
    uint64_t line_no = 0;
    bool too_long = false;
    while (ReadBoundedLine(in, &line, &too_long)) {
      ++line_no;
      if (too_long) {
        Error(path, line_no, "line longer than 16 MiB; skipped");
        continue;
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      stats.bytes += line.size() + 1;
      if (line_no == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
        line.erase(0, 3);
      simdjson::dom::element row;
      auto err = parser.parse(line).get(row);
      if (err) {
        Error(path, line_no, std::string("malformed JSON: ") + simdjson::error_message(err));
        continue;
      }
      if (!row.is_object()) {
        Error(path, line_no, "row is not a JSON object");
        continue;
      }
      Document d;
      d.source = path;
      d.line = line_no;
      std::string_view sv;
      auto text_field = row["text"];
      if (text_field.error()) {
        Error(path, line_no, "row has no \"text\" field");
        continue;
      }
      if (text_field.get_string().get(sv)) {
        Error(path, line_no, "\"text\" is not a string");
        continue;
      }
      d.text.assign(sv);
      auto id_field = row["id"];
      if (!id_field.error()) {
        if (!id_field.get_string().get(sv)) d.id.assign(sv);
        else if (int64_t n; !id_field.get_int64().get(n)) d.id = std::to_string(n);
      }
      if (d.id.empty()) d.id = fs::path(path).filename().string() + ":" + std::to_string(line_no);
      for (auto [key, dst] : {std::pair{"url", &d.url}, std::pair{"title", &d.title},
                              std::pair{"published", &d.published}}) {
        auto f = row[key];
        if (!f.error() && !f.get_string().get(sv)) dst->assign(sv);
      }
      if (d.published.size() > 10) d.published.resize(10);  // "2011-02-05T..." -> date
      ++stats.documents;
      if (!docs_(std::move(d))) return false;
    }
    return true;
  }

  const DocumentSink& docs_;
  const ErrorSink& errors_;
};

}  // namespace

std::string ReadError::ToString() const {
  std::string s = source;
  if (line > 0) s += ":" + std::to_string(line);
  return s + ": " + reason;
}

ReadStats ReadDocuments(const std::vector<std::string>& paths,
                        const DocumentSink& on_document, const ErrorSink& on_error) {
  Reader r(on_document, on_error);
  for (const auto& p : paths)
    if (!r.ReadPath(p)) break;
  return r.stats;
}

}  // namespace sitrep
