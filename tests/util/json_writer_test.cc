#include "util/json_writer.h"

#include <gtest/gtest.h>

#include <random>

namespace sitrep::util {
namespace {

// The escaping rules one byte at a time, as the writer applied them before
// it learned to skip plain runs a word at a time.
std::string Reference(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"') { out += "\\\""; continue; }
    if (c == '\\') { out += "\\\\"; continue; }
    if (c == '\n') { out += "\\n"; continue; }
    if (c == '\r') { out += "\\r"; continue; }
    if (c == '\t') { out += "\\t"; continue; }
    if (c < 0x20) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
      continue;
    }
    if (c < 0x80) { out.push_back(static_cast<char>(c)); continue; }
    size_t need = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
    bool ok = need > 0 && i + need < s.size();
    for (size_t k = 1; ok && k <= need; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) ok = false;
    if (ok) {
      uint32_t cp = c & (need == 1 ? 0x1F : need == 2 ? 0x0F : 0x07);
      for (size_t k = 1; k <= need; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      uint32_t min = need == 1 ? 0x80 : need == 2 ? 0x800 : 0x10000;
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) ok = false;
    }
    if (!ok || c == 0xC0 || c == 0xC1 || c > 0xF4) { out += "\xEF\xBF\xBD"; continue; }
    if (need == 2 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
      continue;
    }
    out.append(s.substr(i, need + 1));
    i += need;
  }
  return out + "\"";
}

std::string Quoted(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

TEST(JsonString, SpecialBytesAtEveryOffsetOfLongAndShortStrings) {
  const std::string specials[] = {"\"", "\\", "\n", "\t", "\x01", "\x7f", "\xC3\xA9", "\xE2\x80\xA8",
                                  "\xFF", "\xE2\x80", "\xF0\x9F\x98\x80"};
  for (size_t len : {0, 1, 7, 8, 9, 15, 16, 17, 119, 120, 121, 300}) {
    std::string base(len, 'a');
    EXPECT_EQ(Quoted(base), Reference(base));
    for (const auto& sp : specials)
      for (size_t at = 0; at <= len; ++at) {
        std::string s = base;
        s.insert(at, sp);
        ASSERT_EQ(Quoted(s), Reference(s)) << len << " " << at;
      }
  }
}

TEST(JsonString, RandomBytes) {
  std::mt19937 rng(11);
  for (int n = 0; n < 3000; ++n) {
    std::string s(rng() % 200, ' ');
    // Mostly printable ASCII, as text is, with some of everything else.
    for (auto& c : s) c = static_cast<char>(rng() % 8 == 0 ? rng() & 0xFF : 0x20 + rng() % 95);
    ASSERT_EQ(Quoted(s), Reference(s));
  }
}

TEST(JsonWriter, LiteralAndViewKeysWriteTheSame) {
  std::string a, b;
  JsonWriter wa(&a), wb(&b);
  char name[16] = "na\"me";  // an array that is not a plain literal
  wa.BeginObject().Key("id").Int(-7).Key("ok").Bool(true).Key(name).Bool(false).Key("list");
  wa.StringArray({"x", "y\n"}).Key("empty").String("").EndObject();
  wb.BeginObject().Key(std::string_view("id")).Int(-7).Key(std::string_view("ok")).Bool(true);
  wb.Key(std::string_view("na\"me")).Bool(false).Key(std::string_view("list"));
  wb.StringArray({"x", "y\n"}).Key(std::string_view("empty")).String("").EndObject();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, R"({"id":-7,"ok":true,"na\"me":false,"list":["x","y\n"],"empty":""})");
}

}  // namespace
}  // namespace sitrep::util
