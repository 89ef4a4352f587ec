#include "text/tokenizer.h"

#include <gtest/gtest.h>

namespace sitrep::text {
namespace {

std::vector<std::string> Norms(std::string_view s) {
  TokenizedText t;
  TokenizeOptions o;
  o.keep_normalized = true;
  Tokenize(s, 0, static_cast<uint32_t>(s.size()), o, &t);
  return t.normalized;
}

TEST(Tokenizer, FoldsCaseDiacriticsApostrophesAndHyphens) {
  EXPECT_EQ(Norms("Panjwa'i Nad-e Ali Kābul"),
            (std::vector<std::string>{"panjwai", "nad", "e", "ali", "kabul"}));
  EXPECT_EQ(Norms("Pul-e \u2018Alam"), (std::vector<std::string>{"pul", "e", "alam"}));
}

TEST(Tokenizer, SplitsPossessiveAndKeepsNumbers) {
  EXPECT_EQ(Norms("the Taliban's 1,500 AK-47s"),
            (std::vector<std::string>{"the", "taliban", "'s", "1500", "ak", "47s"}));
}

TEST(Tokenizer, OffsetsSliceTheOriginalBytes) {
  std::string s = "In Zharay\u00a0district, 2 insurgents";
  TokenizedText t;
  Tokenize(s, 0, static_cast<uint32_t>(s.size()), {}, &t);
  ASSERT_GE(t.tokens.size(), 4u);
  EXPECT_EQ(s.substr(t.tokens[1].start, t.tokens[1].end - t.tokens[1].start), "Zharay");
  EXPECT_EQ(s.substr(t.tokens[2].start, t.tokens[2].end - t.tokens[2].start), "district");
  EXPECT_TRUE(t.tokens[1].Is(kCapitalised));
}

TEST(Tokenizer, SentencesRespectAbbreviationsAndLines) {
  std::string s = "KABUL (Sept. 19) Forces detained two men. The U.S. Army said so.\nNew line here";
  TokenizedText t;
  Tokenize(s, 0, static_cast<uint32_t>(s.size()), {}, &t);
  ASSERT_EQ(t.sentences.size(), 3u);
  EXPECT_EQ(s.substr(t.sentences[1].start, t.sentences[1].end - t.sentences[1].start),
            "The U.S. Army said so.");
}

TEST(Tokenizer, SurvivesInvalidUtf8AndControlBytes) {
  std::string s = "a\xff\xfe b\x01 \xe2\x80";
  TokenizedText t;
  Tokenize(s, 0, static_cast<uint32_t>(s.size()), {}, &t);
  for (const auto& tok : t.tokens) {
    EXPECT_LE(tok.start, tok.end);
    EXPECT_LE(tok.end, s.size());
  }
}

}  // namespace
}  // namespace sitrep::text
