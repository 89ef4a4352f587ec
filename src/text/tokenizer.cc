#include "text/tokenizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>

namespace sitrep::text {
namespace {

constexpr uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

inline uint64_t FnvAdd(uint64_t h, unsigned char c) {
  return (h ^ c) * kFnvPrime;
}

inline bool IsAsciiAlpha(unsigned char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
inline bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool IsUpper(unsigned char c) { return c >= 'A' && c <= 'Z'; }

// Decodes one UTF-8 code point at text[i]; returns its length (>= 1). Invalid
// bytes decode as U+FFFD with length 1 so that tokenising never stalls.
inline int Decode(std::string_view text, size_t i, int32_t* cp) {
  utf8proc_ssize_t n = utf8proc_iterate(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
      static_cast<utf8proc_ssize_t>(text.size() - i), cp);
  if (n <= 0) {
    *cp = 0xFFFD;
    return 1;
  }
  return static_cast<int>(n);
}

inline bool IsApostrophe(int32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC ||
         cp == '`' || cp == 0x00B4;
}

inline bool IsSpace(int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
         cp == '\v' || cp == 0x00A0 || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x2009 || cp == 0x200B || cp == 0x202F || cp == 0x3000 ||
         cp == 0xFEFF;
}

inline bool IsLineBreak(int32_t cp) {
  return cp == '\n' || cp == 0x2028 || cp == 0x2029;
}

// Letter test for non-ASCII code points.
inline bool IsLetterCp(int32_t cp) {
  if (cp < 128) return IsAsciiAlpha(static_cast<unsigned char>(cp));
  auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
         cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM ||
         cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_MN;
}

// Writes the folded (lower case, no diacritics) form of a non-ASCII letter to
// `out` (room for 32 bytes); returns its length.
size_t FoldLetter(int32_t cp, char* out) {
  utf8proc_int32_t buf[8];
  int options = UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD;
  utf8proc_ssize_t n = utf8proc_decompose_char(
      cp, buf, 8, static_cast<utf8proc_option_t>(options), nullptr);
  if (n <= 0) return 0;
  size_t len = 0;
  for (utf8proc_ssize_t k = 0; k < n && k < 8; ++k) {
    if (utf8proc_category(buf[k]) == UTF8PROC_CATEGORY_MN) continue;
    len += static_cast<size_t>(
        utf8proc_encode_char(buf[k], reinterpret_cast<utf8proc_uint8_t*>(out + len)));
  }
  return len;
}

// The normal form of the token being read: its hash, built byte by byte, and
// its text only when the caller asked for it (kKeep). Building the string
// for every token was the costliest part of tokenising.
template <bool kKeep>
class Norm {
 public:
  void Clear() {
    hash_ = kFnvOffset;
    if constexpr (kKeep) text_.clear();
  }
  void Push(char c) {
    hash_ = FnvAdd(hash_, static_cast<unsigned char>(c));
    if constexpr (kKeep) text_.push_back(c);
  }
  void Append(const char* s, size_t n) {
    for (size_t k = 0; k < n; ++k) Push(s[k]);
  }
  // The ASCII run loop keeps the hash in a register and hands it back.
  void PushAsciiRun(const char* s, size_t n, uint64_t h) {
    hash_ = h;
    if constexpr (kKeep) {
      for (size_t k = 0; k < n; ++k) text_.push_back(static_cast<char>(s[k] | 0x20));
    }
  }
  uint64_t hash() const { return hash_; }
  const std::string& text() const { return text_; }

 private:
  uint64_t hash_ = kFnvOffset;
  std::string text_;  // only filled when kKeep
};

// Abbreviations after which a period does not end a sentence.
bool IsAbbreviation(std::string_view lower) {
  static constexpr std::array<std::string_view, 36> kAbbrevs = {
      "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
      "oct", "nov", "dec", "mr", "mrs", "ms", "dr", "gen", "lt", "col",
      "maj", "capt", "sgt", "st", "no", "vs", "etc", "cpl", "pvt", "adm",
      "brig", "cmdr", "gov", "sen", "rep", "jr", "sr"};
  for (auto a : kAbbrevs)
    if (a == lower) return true;
  return false;
}

}  // namespace

uint64_t HashNormalized(std::string_view normalized) {
  uint64_t h = kFnvOffset;
  for (unsigned char c : normalized) h = FnvAdd(h, c);
  return h;
}

std::vector<std::string> NormalizePhrase(std::string_view phrase) {
  // Compiling the knowledge base normalises ~50k phrases: reuse the buffers.
  static thread_local TokenizedText t;
  TokenizeOptions opt;
  opt.keep_normalized = true;
  Tokenize(phrase, 0, static_cast<uint32_t>(phrase.size()), opt, &t);
  std::vector<std::string> out(std::make_move_iterator(t.normalized.begin()),
                               std::make_move_iterator(t.normalized.end()));
  return out;
}

namespace {

// What a byte starts, for the dispatch at the start of a token: one table
// lookup instead of a chain of comparisons per byte.
enum ByteClass : uint8_t { kOtherByte, kSpaceByte, kNewlineByte, kDigitByte, kLetterByte, kHighByte };

constexpr std::array<uint8_t, 256> kByteClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t k = kOtherByte;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') k = kSpaceByte;
    else if (c == '\n') k = kNewlineByte;
    else if (c >= '0' && c <= '9') k = kDigitByte;
    else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) k = kLetterByte;
    else if (c >= 128) k = kHighByte;
    t[static_cast<size_t>(c)] = k;
  }
  return t;
}();

// Inside a word: ASCII letters and digits, the bytes the inner loop takes
// without decoding (their normal form is the byte | 0x20, digits included).
enum WordByte : uint8_t { kLowerByte = 1, kUpperByte = 2, kDigitInWord = 4 };
constexpr std::array<uint8_t, 256> kWordByte = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = kLowerByte;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] = kUpperByte;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = kDigitInWord;
  return t;
}();

// The same bytes for the run loop: the WordByte class in the high byte and
// the normal form in the low byte, so that one load serves both.
constexpr std::array<uint16_t, 256> kWordRun = [] {
  std::array<uint16_t, 256> t{};
  for (int c = 0; c < 256; ++c)
    if (kWordByte[static_cast<size_t>(c)] != 0)
      t[static_cast<size_t>(c)] =
          static_cast<uint16_t>((kWordByte[static_cast<size_t>(c)] << 8) | (c | 0x20));
  return t;
}();

// Bytes an apostrophe can start with: ' ` or the lead byte of U+2018/U+2019,
// U+02BC, U+00B4.
constexpr std::array<bool, 256> kApostropheLead = [] {
  std::array<bool, 256> t{};
  for (int c : {int{'\''}, int{'`'}, 0xE2, 0xCA, 0xC2}) t[static_cast<size_t>(c)] = true;
  return t;
}();

// Token k is . ! or ? and `next` (the token after it) starts a sentence: a
// capitalised word, a digit or a quote, unless the period closes an
// abbreviation or an initial.
bool SentenceEndsAfter(std::string_view text, const Token* toks, uint32_t k, const Token& next) {
  const Token& t = toks[k];
  if (!t.Is(kPunct) || (t.punct != '.' && t.punct != '!' && t.punct != '?')) return false;
  bool next_starts = next.Is(kCapitalised) || next.Is(kNumber) ||
                     (next.Is(kPunct) && (next.punct == '"' || next.punct == '\''));
  if (!next_starts || next.Is(kLineStart)) return false;
  if (t.punct == '.' && k > 0 && toks[k - 1].Is(kWord) && toks[k - 1].end == t.start) {
    // Abbreviations have at most 4 letters.
    uint32_t wb = toks[k - 1].start, we = toks[k - 1].end;
    if (we - wb <= 4) {
      char lower[4];
      for (uint32_t b = wb; b < we; ++b) {
        unsigned char c = static_cast<unsigned char>(text[b]);
        lower[b - wb] = static_cast<char>(IsUpper(c) ? c | 0x20 : c);
      }
      if (IsAbbreviation(std::string_view(lower, we - wb))) return false;
    }
    // Single capital letter initials: "M. Khan".
    if (we - wb == 1) return false;
  }
  return true;
}

// Adds the sentence of tokens [first, last) (first < last); returns the
// sentence number of the tokens after it.
uint16_t CloseSentence(TokenizedText* out, const Token* toks, uint32_t first, uint32_t last) {
  Sentence s;
  s.first_token = first;
  s.last_token = last;
  s.start = toks[first].start;
  s.end = toks[last - 1].end;
  out->sentences.push_back(s);
  return static_cast<uint16_t>(std::min<size_t>(out->sentences.size(), 65535));
}

// Tokens go straight into the vector's storage (grown by doubling) and get
// their sentence as they are made: push_back per token and a second pass
// over the tokens for sentences were a third of the cost of tokenising.
// The emitter never hands out its address (the slow paths above take what
// they need), so that its counters stay in registers while tokens are
// stored.
template <bool kKeep>
class Emitter {
 public:
  Emitter(std::string_view text, size_t bytes, TokenizedText* out) : text_(text), out_(out) {
    // About one token per five bytes of running text. The vector is not
    // cleared first: every field of a token is written before it is read.
    size_t guess = bytes / 5 + 8;
    if (out_->tokens.size() < guess) out_->tokens.resize(guess);
    base_ = out_->tokens.data();
    cap_ = out_->tokens.size();
  }

  [[gnu::always_inline]] void Emit(uint32_t s, uint32_t e, uint16_t flags, char punct,
                                   const Norm<kKeep>& norm) {
    Token t;
    t.start = s;
    t.end = e;
    t.hash = norm.hash();
    t.flags = static_cast<uint16_t>(flags | (line_start_ ? kLineStart : 0));
    t.punct = punct;
    // A sentence ends before a token that starts a line, or after . ! ?
    // when this token starts a sentence.
    if (count_ > sent_first_ &&
        (line_start_ || (after_stop_ && SentenceEndsAfter(text_, base_, count_ - 1, t)))) {
      sentence_ = CloseSentence(out_, base_, sent_first_, count_);
      sent_first_ = count_;
    }
    t.sentence = sentence_;
    if (count_ == cap_) {
      out_->tokens.resize(cap_ * 2);
      base_ = out_->tokens.data();
      cap_ = out_->tokens.size();
    }
    base_[count_] = t;
    after_stop_ = punct == '.' || punct == '!' || punct == '?';
    ++count_;
    if constexpr (kKeep) out_->normalized.push_back(norm.text());
    line_start_ = false;
  }

  void LineBreak() { line_start_ = true; }

  void Finish() {
    if (count_ > sent_first_) CloseSentence(out_, base_, sent_first_, count_);
    out_->tokens.resize(count_);
  }

 private:
  std::string_view text_;
  TokenizedText* out_;
  Token* base_ = nullptr;
  uint32_t count_ = 0;
  size_t cap_ = 0;
  bool line_start_ = true;
  bool after_stop_ = false;  // the last token is . ! or ?
  uint32_t sent_first_ = 0;
  uint16_t sentence_ = 0;
};

template <bool kKeep>
void TokenizeImpl(std::string_view text, uint32_t begin, uint32_t end, TokenizedText* out) {
  out->sentences.clear();
  out->normalized.clear();
  Norm<kKeep> norm;
  size_t i = begin;
  const size_t n = std::min<size_t>(end, text.size());
  // Nothing past `end` may be read: a code point or possessive straddling it
  // would give a token ending beyond the range.
  text = text.substr(0, n);
  Emitter<kKeep> em(text, n - std::min(n, i), out);

  while (i < n) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    const uint8_t cls = kByteClass[c];
    if (cls == kSpaceByte) {
      ++i;
      continue;
    }
    if (cls == kNewlineByte) {
      em.LineBreak();
      ++i;
      continue;
    }
    int32_t cp = c;
    int len = 1;
    if (cls == kHighByte) {
      len = Decode(text, i, &cp);
      if (cp >= 128 && IsSpace(cp)) {
        if (IsLineBreak(cp)) em.LineBreak();
        i += len;
        continue;
      }
    }
    if (cls == kDigitByte) {
      // Number: digits with inner , or . followed by a digit; letters glued on
      // ("47s", "3rd") stay in the token.
      size_t j = i;
      norm.Clear();
      while (j < n) {
        unsigned char d = static_cast<unsigned char>(text[j]);
        if (kWordByte[d]) {
          norm.Push(static_cast<char>(d | 0x20));
          ++j;
        } else if ((d == ',' || d == '.') && j + 1 < n &&
                   IsDigit(static_cast<unsigned char>(text[j + 1])) &&
                   j > i && IsDigit(static_cast<unsigned char>(text[j - 1]))) {
          if (d == '.') norm.Push('.');
          ++j;
        } else {
          break;
        }
      }
      em.Emit(static_cast<uint32_t>(i), static_cast<uint32_t>(j), kNumber, 0, norm);
      i = j;
      continue;
    }
    if (cls == kLetterByte || (cls == kHighByte && IsLetterCp(cp))) {
      size_t j = i;
      norm.Clear();
      bool first_upper = cp < 128 ? IsUpper(c)
                                  : utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
      // All caps: at least two letters, none of them lower case.
      int letters = 0;
      bool lower = false;
      bool abbrev = false;
      while (j < n) {
        // A run of ASCII letters and digits, the common case, without UTF-8
        // decoding; its letters are counted after it.
        size_t run = j;
        unsigned seen = 0;
        {
          // Pointers and a local hash: this loop runs for most bytes of the
          // text, and the member hash and index bounds cost a third of it.
          const unsigned char* p = reinterpret_cast<const unsigned char*>(text.data()) + j;
          const unsigned char* const e = reinterpret_cast<const unsigned char*>(text.data()) + n;
          uint64_t h = norm.hash();
          while (p != e) {
            unsigned w = kWordRun[*p];
            if (w == 0) break;
            seen |= w;
            h = (h ^ (w & 0xFF)) * kFnvPrime;
            ++p;
          }
          seen >>= 8;
          size_t end_run = static_cast<size_t>(p - reinterpret_cast<const unsigned char*>(text.data()));
          norm.PushAsciiRun(text.data() + j, end_run - j, h);
          j = end_run;
        }
        if (seen & kDigitInWord) {
          for (size_t k = run; k < j; ++k)
            letters += kWordByte[static_cast<unsigned char>(text[k])] != kDigitInWord;
        } else {
          letters += static_cast<int>(j - run);
        }
        if (seen & kLowerByte) lower = true;
        if (j >= n) break;
        unsigned char fast = static_cast<unsigned char>(text[j]);
        if (fast < 128 && fast != '\'' && fast != '`' && fast != '.') break;
        int32_t cj;
        int lj = Decode(text, j, &cj);
        if (cj < 128 && (IsAsciiAlpha(static_cast<unsigned char>(cj)) ||
                         IsDigit(static_cast<unsigned char>(cj)))) {
          unsigned char d = static_cast<unsigned char>(cj);
          if (IsAsciiAlpha(d)) {
            ++letters;
            if (!IsUpper(d)) lower = true;
            norm.Push(static_cast<char>(d | 0x20));
          } else {
            norm.Push(static_cast<char>(d));
          }
          j += lj;
        } else if (cj >= 128 && IsLetterCp(cj)) {
          ++letters;
          if (utf8proc_category(cj) != UTF8PROC_CATEGORY_LU) lower = true;
          char folded[32];
          norm.Append(folded, FoldLetter(cj, folded));
          j += lj;
        } else if (IsApostrophe(cj) && j + lj < n) {
          // In-word apostrophe (Panjwa'i, Qal'ah) is dropped; a possessive 's
          // is split off as its own token.
          int32_t nx;
          int ln = Decode(text, j + lj, &nx);
          if (!IsLetterCp(nx)) break;
          bool possessive = (nx == 's' || nx == 'S');
          if (possessive) {
            size_t after = j + lj + ln;
            int32_t nn = ' ';
            if (after < n) Decode(text, after, &nn);
            if (!IsLetterCp(nn)) break;
          }
          j += lj;
        } else if (cj == '.' && letters <= 2 && j + 2 < n &&
                   IsAsciiAlpha(static_cast<unsigned char>(text[j + 1])) &&
                   (text[j + 2] == '.')) {
          // Dotted abbreviation: U.S., U.N.
          abbrev = true;
          ++j;
        } else {
          break;
        }
      }
      if (abbrev && j < n && text[j] == '.') ++j;
      uint16_t flags = kWord;
      if (first_upper) flags |= kCapitalised;
      if (letters >= 2 && !lower) flags |= kAllCaps;
      if (abbrev) flags |= kAbbrev | kAllCaps;
      em.Emit(static_cast<uint32_t>(i), static_cast<uint32_t>(j), flags, 0, norm);
      i = j;
      // Possessive: 's after the word.
      if (i + 1 < n && kApostropheLead[static_cast<unsigned char>(text[i])]) {
        int32_t ap;
        int la = Decode(text, i, &ap);
        if (IsApostrophe(ap) && i + la < n &&
            (text[i + la] == 's' || text[i + la] == 'S')) {
          size_t after = i + la + 1;
          int32_t nn = ' ';
          if (after < n) Decode(text, after, &nn);
          if (!IsLetterCp(nn)) {
            norm.Clear();
            norm.Push('\'');
            norm.Push('s');
            em.Emit(static_cast<uint32_t>(i), static_cast<uint32_t>(after), kPossessive, 0, norm);
            i = after;
          }
        }
      }
      continue;
    }
    // Hyphens and dashes inside names are dropped: "Nad-e Ali" matches
    // "Nad e Ali". Other punctuation becomes a one-character token.
    if (cp == '-' || cp == 0x2010 || cp == 0x2011) {
      i += len;
      continue;
    }
    // Stray apostrophes ('Alam, quoting) carry nothing for extraction.
    if (IsApostrophe(cp)) {
      i += len;
      continue;
    }
    char p = cp < 128 ? static_cast<char>(cp) : '~';
    if (cp == 0x2013 || cp == 0x2014) p = '-';
    if (cp == 0x201C || cp == 0x201D) p = '"';
    norm.Clear();
    norm.Push(p);
    em.Emit(static_cast<uint32_t>(i), static_cast<uint32_t>(i + len), kPunct, p, norm);
    i += len;
  }
  em.Finish();
}

}  // namespace

void Tokenize(std::string_view text, uint32_t begin, uint32_t end,
              const TokenizeOptions& options, TokenizedText* out) {
  if (options.keep_normalized) TokenizeImpl<true>(text, begin, end, out);
  else TokenizeImpl<false>(text, begin, end, out);
}

}  // namespace sitrep::text
