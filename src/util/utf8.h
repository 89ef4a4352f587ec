// UTF-8 validation and repair for untrusted input.
#pragma once

#include <string>
#include <string_view>

namespace sitrep::util {

bool IsValidUtf8(std::string_view s);
// Replaces every invalid sequence (including overlong forms and surrogates)
// with U+FFFD. Returns the number of replacements.
size_t RepairUtf8(std::string* s);

}  // namespace sitrep::util
