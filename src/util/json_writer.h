// A small streaming JSON writer for the output hot path: one document's
// record is a handful of fields, and building a DOM per document (as
// nlohmann::json would) costs more than the extraction itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitrep::util {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(*out) {}
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  JsonWriter& OptInt(const std::optional<int>& v) { return v ? Int(*v) : Null(); }
  JsonWriter& OptDouble(const std::optional<double>& v) { return v ? Double(*v) : Null(); }
  JsonWriter& StringArray(const std::vector<std::string>& v);

 private:
  void Comma();
  std::string& out_;
  // Per open container, '1' while it has no element yet. A string, not a
  // vector<bool>: up to 15 levels it needs no allocation (one per record
  // written otherwise).
  std::string first_;
  bool after_key_ = false;
};

// Appends s as a JSON string literal (quotes included). Invalid UTF-8 bytes
// become U+FFFD so that the output is always valid JSON.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace sitrep::util
