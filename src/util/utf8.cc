#include "util/utf8.h"

#include <simdjson.h>

namespace sitrep::util {
namespace {

// Length of the valid sequence at s[i], or 0 when invalid.
size_t ValidSequence(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t need;
  uint32_t min;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) { need = 1; min = 0x80; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { need = 2; min = 0x800; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { need = 3; min = 0x10000; cp = c & 0x07; }
  else return 0;
  for (size_t k = 1; k <= need; ++k) {
    if (i + k >= s.size()) return 0;
    unsigned char d = b(i + k);
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return need + 1;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  return simdjson::validate_utf8(s.data(), s.size());
}

size_t RepairUtf8(std::string* s) {
  if (IsValidUtf8(*s)) return 0;
  std::string out;
  out.reserve(s->size() + 16);
  size_t bad = 0;
  for (size_t i = 0; i < s->size();) {
    size_t n = ValidSequence(*s, i);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++bad;
      ++i;
    } else {
      out.append(*s, i, n);
      i += n;
    }
  }
  s->swap(out);
  return bad;
}

}  // namespace sitrep::util
