#include "util/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace sitrep::util {

void AppendJsonString(std::string* out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    // A run of printable ASCII that needs no escape is copied at once: most
    // of an event record's text is.
    size_t run = i;
    while (run < s.size()) {
      unsigned char r = static_cast<unsigned char>(s[run]);
      if (r < 0x20 || r >= 0x80 || r == '"' || r == '\\') break;
      ++run;
    }
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

void JsonWriter::Comma() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_.push_back(',');
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::BeginObject() { Comma(); out_.push_back('{'); first_.push_back(true); return *this; }
JsonWriter& JsonWriter::EndObject() { out_.push_back('}'); first_.pop_back(); return *this; }
JsonWriter& JsonWriter::BeginArray() { Comma(); out_.push_back('['); first_.push_back(true); return *this; }
JsonWriter& JsonWriter::EndArray() { out_.push_back(']'); first_.pop_back(); return *this; }
JsonWriter& JsonWriter::Key(std::string_view k) {
  Comma();
  AppendJsonString(&out_, k);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}
JsonWriter& JsonWriter::String(std::string_view s) { Comma(); AppendJsonString(&out_, s); return *this; }
JsonWriter& JsonWriter::Int(int64_t v) { Comma(); out_.append(std::to_string(v)); return *this; }
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
JsonWriter& JsonWriter::Bool(bool v) { Comma(); out_.append(v ? "true" : "false"); return *this; }
JsonWriter& JsonWriter::Null() { Comma(); out_.append("null"); return *this; }
JsonWriter& JsonWriter::StringArray(const std::vector<std::string>& v) {
  BeginArray();
  for (const auto& s : v) String(s);
  return EndArray();
}

}  // namespace sitrep::util
