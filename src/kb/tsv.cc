#include "kb/tsv.h"

#include <fstream>
#include <sstream>

#include "util/utf8.h"

namespace sitrep::kb {

bool TsvFile::Open(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return Parse(path, ss.str(), error);
}

bool TsvFile::Parse(const std::string& path, std::string_view content,
                    std::string* error) {
  path_ = path;
  content_.assign(content);
  header_.clear();
  header_line_ = 0;
  rows_.clear();
  lines_.clear();
  std::string_view all(content_);
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos < all.size()) {
    size_t eol = all.find('\n', pos);
    if (eol == std::string_view::npos) eol = all.size();
    std::string_view line = all.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    if (!util::IsValidUtf8(line)) {
      *error = path + ":" + std::to_string(line_no) + ": invalid UTF-8";
      return false;
    }
    std::vector<std::string_view> fields;
    size_t s = 0;
    while (true) {
      size_t t = line.find('\t', s);
      if (t == std::string_view::npos) {
        fields.push_back(line.substr(s));
        break;
      }
      fields.push_back(line.substr(s, t - s));
      s = t + 1;
    }
    if (header_.empty()) {
      for (auto f : fields) header_.emplace_back(f);
      header_line_ = line_no;
      continue;
    }
    if (fields.size() != header_.size()) {
      // A short row is as likely a lost tab as an omitted trailing field, so
      // it is an error too rather than a silent shift of every later column.
      *error = path + ":" + std::to_string(line_no) + ": " +
               std::to_string(fields.size()) + " columns, header has " +
               std::to_string(header_.size());
      if (fields.size() < header_.size())
        *error += " (no '" + header_[fields.size()] + "' column)";
      return false;
    }
    rows_.push_back(std::move(fields));
    lines_.push_back(line_no);
  }
  if (header_.empty()) {
    *error = path + ": no header row";
    return false;
  }
  return true;
}

int TsvFile::Column(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return static_cast<int>(i);
  return -1;
}

bool TsvFile::Require(const std::vector<std::string_view>& names,
                      std::string* error) const {
  for (auto n : names) {
    if (Column(n) < 0) {
      *error = path_ + ":" + std::to_string(header_line_) + ": missing column '" +
               std::string(n) + "'";
      return false;
    }
  }
  return true;
}

std::string_view TsvFile::Get(size_t row, int column) const {
  if (column < 0 || row >= rows_.size()) return {};
  return rows_[row][static_cast<size_t>(column)];
}

std::string TsvFile::Where(size_t row) const {
  return path_ + ":" + std::to_string(lines_[row]);
}

std::vector<std::string_view> SplitList(std::string_view field, char sep) {
  std::vector<std::string_view> out;
  size_t s = 0;
  while (s <= field.size()) {
    size_t t = field.find(sep, s);
    if (t == std::string_view::npos) t = field.size();
    std::string_view part = field.substr(s, t - s);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.push_back(part);
    s = t + 1;
  }
  return out;
}

}  // namespace sitrep::kb
