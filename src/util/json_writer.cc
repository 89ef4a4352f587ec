#include "util/json_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace sitrep::util {

namespace {

// Bytes copied as they are: printable ASCII but '"' and '\\'. A table lookup
// per byte, half the instructions of the comparisons.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) t[static_cast<size_t>(c)] = c != '"' && c != '\\';
  return t;
}();

// Whether any of the 8 bytes in x needs escaping or checking: a control
// character, '"', '\\' or a byte of a multi-byte sequence (bit tricks on a
// word at a time, as strlen does; a byte at a time was most of the cost of
// writing a record).
inline bool AnySpecial(uint64_t x) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  uint64_t below_space = (x - kOnes * 0x20) & ~x & kHigh;
  return ((x & kHigh) | below_space | has_zero(x ^ (kOnes * '"')) |
          has_zero(x ^ (kOnes * '\\'))) != 0;
}

// The end of the run of bytes from `from` on that need no escaping.
inline size_t PlainRun(std::string_view s, size_t from) {
  size_t i = from;
  for (uint64_t w; i + 8 <= s.size(); i += 8) {
    std::memcpy(&w, s.data() + i, 8);
    if (AnySpecial(w)) break;
  }
  while (i < s.size() && kPlain[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

// The general case of AppendJsonString; s[0, plain) is known to need no escaping.
void AppendEscaped(std::string* out, std::string_view s, size_t plain) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  if (plain > 0) out->append(s.data(), plain);
  for (size_t i = plain; i < s.size(); ++i) {
    // Most text needs no escaping: append each such run at once (a
    // push_back per byte was most of the cost of writing a record).
    size_t run = PlainRun(s, i);
    if (run > i) {
      out->append(s.data() + i, run - i);
      i = run;
      if (i == s.size()) break;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out->append("\\\""); continue;
      case '\\': out->append("\\\\"); continue;
      case '\n': out->append("\\n"); continue;
      case '\r': out->append("\\r"); continue;
      case '\t': out->append("\\t"); continue;
      default: break;
    }
    if (c < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
      continue;
    }
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
      continue;
    }
    // Copy a valid multi-byte sequence, replace anything else.
    size_t need = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
    bool ok = need > 0 && i + need < s.size();
    if (ok) {
      for (size_t k = 1; k <= need; ++k)
        if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) ok = false;
    }
    if (ok) {
      // Reject overlong forms, surrogates and code points above U+10FFFF.
      uint32_t cp = c & (need == 1 ? 0x1F : need == 2 ? 0x0F : 0x07);
      for (size_t k = 1; k <= need; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      uint32_t min = need == 1 ? 0x80 : need == 2 ? 0x800 : 0x10000;
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) ok = false;
    }
    if (!ok || (c == 0xC0 || c == 0xC1) || c > 0xF4) {
      out->append("\xEF\xBF\xBD");
      continue;
    }
    // JSON allows U+2028/2029 raw, but JavaScript consumers choke on them.
    if (need == 2 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      out->append(static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029");
      i += 2;
      continue;
    }
    out->append(s.substr(i, need + 1));
    i += need;
  }
  out->push_back('"');
}

// s quoted, then `tail`, with one append when s is short and needs no
// escaping (nearly every key and value of a record): three appends per
// string were most of the cost of writing one.
// A comma before it when `comma`.
void AppendQuoted(std::string* out, bool comma, std::string_view s, std::string_view tail) {
  constexpr size_t kShort = 120;
  size_t plain = PlainRun(s, 0);
  if (plain == s.size() && s.size() <= kShort) {
    char buf[kShort + 16];
    char* p = buf;
    if (comma) *p++ = ',';
    *p++ = '"';
    // (memcpy from the null data() of an empty view is undefined.)
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    p += s.size();
    *p++ = '"';
    if (!tail.empty()) std::memcpy(p, tail.data(), tail.size());
    p += tail.size();
    out->append(buf, static_cast<size_t>(p - buf));
    return;
  }
  if (comma) out->push_back(',');
  AppendEscaped(out, s, plain);
  out->append(tail);
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) { AppendQuoted(out, false, s, {}); }

void JsonWriter::Comma() {
  if (NeedComma()) out_.push_back(',');
}

JsonWriter& JsonWriter::BeginObject() { Comma(); out_.push_back('{'); first_.push_back('1'); return *this; }
JsonWriter& JsonWriter::EndObject() { out_.push_back('}'); first_.pop_back(); return *this; }
JsonWriter& JsonWriter::BeginArray() { Comma(); out_.push_back('['); first_.push_back('1'); return *this; }
JsonWriter& JsonWriter::EndArray() { out_.push_back(']'); first_.pop_back(); return *this; }
JsonWriter& JsonWriter::Key(std::string_view k) {
  AppendQuoted(&out_, NeedComma(), k, ":");
  after_key_ = true;
  return *this;
}
JsonWriter& JsonWriter::String(std::string_view s) {
  AppendQuoted(&out_, NeedComma(), s, {});
  return *this;
}
JsonWriter& JsonWriter::Int(int64_t v) {
  char buf[24];
  char* p = buf;
  if (NeedComma()) *p++ = ',';
  auto r = std::to_chars(p, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
  return *this;
}
JsonWriter& JsonWriter::Double(double v) {
  Comma();
  if (!std::isfinite(v)) { out_.append("null"); return *this; }
  // Same digits as printf("%.10g") (the standard defines it so), without
  // printf's cost: map points write ten thousand of these per answer.
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 10);
  out_.append(buf, r.ptr);
  return *this;
}
JsonWriter& JsonWriter::Bool(bool v) {
  bool comma = NeedComma();
  std::string_view text = v ? ",true" : ",false";
  if (!comma) text.remove_prefix(1);
  out_.append(text);
  return *this;
}
JsonWriter& JsonWriter::Null() { Comma(); out_.append("null"); return *this; }
JsonWriter& JsonWriter::StringArray(const std::vector<std::string>& v) {
  BeginArray();
  for (const auto& s : v) String(s);
  return EndArray();
}

}  // namespace sitrep::util
