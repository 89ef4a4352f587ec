// Reader for the knowledge base's TSV files: '#' comment lines, one header
// row, columns addressed by name. Errors name the file and line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sitrep::kb {

class TsvFile {
 public:
  // Reads the whole file. Returns false and sets *error ("file:line: reason").
  bool Open(const std::string& path, std::string* error);
  // Parses already loaded content (path is used in messages only).
  bool Parse(const std::string& path, std::string_view content, std::string* error);

  // Column index or -1.
  int Column(std::string_view name) const;
  // Fails with a clear message when any column is missing.
  bool Require(const std::vector<std::string_view>& names, std::string* error) const;

  size_t rows() const { return rows_.size(); }
  std::string_view Get(size_t row, int column) const;
  uint64_t LineOf(size_t row) const { return lines_[row]; }
  const std::string& path() const { return path_; }
  std::string Where(size_t row) const;

 private:
  std::string path_;
  std::string content_;
  std::vector<std::string> header_;
  uint64_t header_line_ = 0;
  std::vector<std::vector<std::string_view>> rows_;
  std::vector<uint64_t> lines_;
};

std::vector<std::string_view> SplitList(std::string_view field, char sep = '|');

}  // namespace sitrep::kb
