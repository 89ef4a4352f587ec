// A small streaming JSON writer for the output hot path: one document's
// record is a handful of fields, and building a DOM per document (as
// nlohmann::json would) costs more than the extraction itself.
#pragma once

#include <cstdint>
#include <cstring>
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
  // Keys are nearly always string literals: the compiler checks at compile
  // time that they need no escaping (the loop is unrolled over the literal)
  // and the key is written with one append. Escaping each key at run time
  // cost more than a third of writing a record.
  template <size_t N>
  [[gnu::always_inline]] JsonWriter& Key(const char (&k)[N]) {
    bool plain = std::char_traits<char>::length(k) == N - 1;
#pragma GCC unroll 64
    for (size_t i = 0; i + 1 < N; ++i) plain = plain && IsPlainKeyByte(k[i]);
    if (N > 64 || !plain) return Key(std::string_view(k, std::char_traits<char>::length(k)));
    char buf[N + 3];
    char* p = buf;
    if (NeedComma()) *p++ = ',';
    *p++ = '"';
    std::memcpy(p, k, N - 1);
    p += N - 1;
    *p++ = '"';
    *p++ = ':';
    out_.append(buf, static_cast<size_t>(p - buf));
    after_key_ = true;
    return *this;
  }
  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  JsonWriter& OptInt(const std::optional<int>& v) { return v ? Int(*v) : Null(); }
  JsonWriter& OptDouble(const std::optional<double>& v) { return v ? Double(*v) : Null(); }
  JsonWriter& StringArray(const std::vector<std::string>& v);

 private:
  static constexpr bool IsPlainKeyByte(char c) {
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  }
  // Whether the next element needs a comma before it (and records that the
  // container has one now).
  bool NeedComma() {
    if (after_key_) {
      after_key_ = false;
      return false;
    }
    if (first_.empty()) return false;
    bool comma = first_.back() == '0';
    first_.back() = '0';
    return comma;
  }
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
