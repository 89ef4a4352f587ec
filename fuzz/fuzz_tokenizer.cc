// Tokenizer and sentence splitter (text::Tokenize, NormalizePhrase) on any
// byte range of any bytes.
#include "fuzz_util.h"
#include "text/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::Bytes in(data, size);
  uint8_t a = in.Byte(), b = in.Byte();
  std::string_view text = in.Rest();
  uint32_t n = static_cast<uint32_t>(text.size());
  uint32_t begin = n ? a % (n + 1) : 0;
  uint32_t end = b == 0xFF ? n : begin + (n - begin) * b / 255;
  sitrep::text::TokenizeOptions opt;
  opt.keep_normalized = (a & 0x80) != 0;
  sitrep::text::TokenizedText t;
  sitrep::text::Tokenize(text, begin, end, opt, &t);
  uint32_t prev_end = begin;
  for (const auto& tok : t.tokens) {
    FUZZ_CHECK(tok.start >= prev_end);
    FUZZ_CHECK(tok.start < tok.end);
    FUZZ_CHECK(tok.end <= end);
    prev_end = tok.end;
  }
  if (opt.keep_normalized) FUZZ_CHECK(t.normalized.size() == t.tokens.size());
  uint32_t next_tok = 0;
  for (const auto& s : t.sentences) {
    FUZZ_CHECK(s.first_token == next_tok);
    FUZZ_CHECK(s.first_token < s.last_token);
    FUZZ_CHECK(s.last_token <= t.tokens.size());
    FUZZ_CHECK(s.start == t.tokens[s.first_token].start);
    FUZZ_CHECK(s.end == t.tokens[s.last_token - 1].end);
    next_tok = s.last_token;
  }
  FUZZ_CHECK(next_tok == t.tokens.size());
  // A lone combining mark normalises to "" (marks are stripped); that is
  // harmless, so only the count is checked.
  auto words = sitrep::text::NormalizePhrase(text.substr(0, 256));
  FUZZ_CHECK(words.size() <= 256);
  return 0;
}
