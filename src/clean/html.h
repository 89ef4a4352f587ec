// Page reading: turns a news page (HTML, or plain text copied from a page)
// into the article text the extractor reads, without the page chrome
// (navigation, sidebars and theatre menus, author bios, donation appeals, tags,
// share buttons, related links, reader comments), and finds the title, the
// publication date and quoted press releases.
//
// Offsets contract (profile `full`):
// - Plain text: CleanText() keeps every byte offset. Chrome is blanked (its
//   bytes become spaces; line breaks stay), so `Page::text` has the size of
//   the input and evidence offsets slice the input the user gave us.
// - HTML: CleanHtml() builds a new text (block elements become paragraphs
//   separated by a blank line, entities decoded, whitespace collapsed).
//   Evidence offsets index that text, and `sitrep extract --profile full`
//   prints it as "text" in the document's JSON line, so offsets always slice
//   the text the user gets. `Page::source_map` maps clean offsets back to the
//   HTML bytes at text-node granularity.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sitrep::clean {

struct Page {
  std::string text;       // what extraction reads (see the offsets contract)
  bool rewritten = false; // true when `text` is not the input (HTML)
  std::string title;
  std::string published;  // YYYY-MM-DD from meta tags, <time>, byline; "" if none
  std::string published_source;  // "meta", "time", "byline", ""
  // Byte ranges [start, end) of `text` that quote a press release ("From the
  // ISAF press release:" then the quoted paragraphs, or a <blockquote>).
  std::vector<std::pair<uint32_t, uint32_t>> quotes;
  // Byte ranges of `text` removed as chrome (plain text only; for HTML the
  // chrome is simply not in `text`). For tests and debugging.
  std::vector<std::pair<uint32_t, uint32_t>> chrome;
  struct Segment {
    uint32_t text_offset = 0;    // start of a run in `text`
    uint32_t source_offset = 0;  // where that run's text node starts in the input
  };
  std::vector<Segment> source_map;  // sorted by text_offset (HTML only)
  // Offset in the input of the text node that produced text[offset]; with no
  // source map (plain text) `offset` itself, at most text.size().
  uint32_t SourceOffset(uint32_t offset) const;
};

// True when the text reads as HTML: after leading whitespace and a BOM it
// starts with '<' and holds a tag such as <html, <!doctype, <body, <p, <div.
bool LooksLikeHtml(std::string_view text);

// Parses HTML with gumbo and extracts the article (see above).
Page CleanHtml(std::string_view html);

// Blanks chrome in a plain-text page and finds title, byline date and quotes.
Page CleanText(std::string_view text);

// Finds quoted press releases in `text` (already cleaned): a paragraph that
// ends with "press release:" / "statement:" / "said in a statement:" opens a
// quote made of the following paragraph(s) that read like a release.
std::vector<std::pair<uint32_t, uint32_t>> FindQuotedReleases(std::string_view text);

// Parses a date written as "2011-05-05[T...]", "May 5, 2011", "5 May 2011",
// "Thursday, May 5, 2011", "05/05/2011" (US); returns "" when none.
std::string ParsePageDate(std::string_view s);

}  // namespace sitrep::clean
