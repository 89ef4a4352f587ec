// Reading documents: compressed and archived inputs, WARC, feeds, HTML,
// truncation and compression-bomb caps. All inputs are written by the test.
#include <archive.h>
#include <archive_entry.h>

#include <fstream>

#include "test_util.h"

namespace sitrep {
namespace {

struct Read {
  std::vector<Document> docs;
  std::vector<ReadError> errors;
  ReadStats stats;
  std::string Errors() const {
    std::string s;
    for (const auto& e : errors) s += e.ToString() + "\n";
    return s;
  }
};

Read ReadAll(const std::vector<std::string>& paths, const ReadOptions& o = ReadOptions{}) {
  Read r;
  r.stats = ReadDocuments(
      paths, [&](Document&& d) { r.docs.push_back(std::move(d)); return true; },
      [&](const ReadError& e) { r.errors.push_back(e); }, o);
  return r;
}

void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
}

// Writes `entries` (name, bytes) with libarchive: format "raw" (one entry,
// just compressed), "ustar" or "zip"; filter "none", "gzip", "zstd", "bzip2", "xz".
void WriteArchive(const std::string& path, const std::string& format, const std::string& filter,
                  const std::vector<std::pair<std::string, std::string>>& entries) {
  struct archive* a = archive_write_new();
  if (filter == "gzip") archive_write_add_filter_gzip(a);
  else if (filter == "zstd") archive_write_add_filter_zstd(a);
  else if (filter == "bzip2") archive_write_add_filter_bzip2(a);
  else if (filter == "xz") archive_write_add_filter_xz(a);
  if (format == "raw") archive_write_set_format_raw(a);
  else if (format == "zip") archive_write_set_format_zip(a);
  else archive_write_set_format_ustar(a);
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK) << archive_error_string(a);
  for (const auto& [name, data] : entries) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a, e);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

std::string Rows(int n, const std::string& prefix = "r") {
  std::string s;
  for (int i = 1; i <= n; ++i)
    s += "{\"id\": \"" + prefix + std::to_string(i) + "\", \"text\": \"Forces detained " +
         std::to_string(i) + " men in Khost province today.\"}\n";
  return s;
}

TEST(Reader, CompressedJsonlEveryFilter) {
  for (const char* filter : {"gzip", "zstd", "bzip2", "xz"}) {
    std::string path = testing::TempPath(std::string("rows.jsonl.") + filter);
    WriteArchive(path, "raw", filter, {{"data", Rows(3)}});
    Read r = ReadAll({path});
    ASSERT_EQ(r.docs.size(), 3u) << filter << "\n" << r.Errors();
    EXPECT_EQ(r.docs[2].id, "r3");
    EXPECT_TRUE(r.errors.empty()) << r.Errors();
  }
}

TEST(Reader, CompressedPlainTextKeepsNameWithoutSuffix) {
  std::string path = testing::TempPath("note.txt.gz");
  WriteArchive(path, "raw", "gzip", {{"data", "Forces detained two men in Khost province."}});
  Read r = ReadAll({path});
  ASSERT_EQ(r.docs.size(), 1u) << r.Errors();
  EXPECT_EQ(r.docs[0].id, "note.txt");
  EXPECT_EQ(r.docs[0].format, "text");
  EXPECT_EQ(r.docs[0].text, "Forces detained two men in Khost province.");
}

TEST(Reader, TarMembersInOrderWithFormats) {
  std::string path = testing::TempPath("bundle.tar.gz");
  WriteArchive(path, "ustar", "gzip",
               {{"b/rows.jsonl", Rows(2)},
                {"a/page.html", "<html><body><p>Forces killed one man.</p></body></html>"},
                {"c/note.txt", "A plain note."}});
  Read r = ReadAll({path});
  ASSERT_EQ(r.docs.size(), 4u) << r.Errors();
  EXPECT_EQ(r.docs[0].id, "r1");
  EXPECT_EQ(r.docs[0].source, path + "/b/rows.jsonl");
  EXPECT_EQ(r.docs[2].id, "bundle.tar/a/page.html");
  EXPECT_EQ(r.docs[2].format, "html");
  EXPECT_EQ(r.docs[3].text, "A plain note.");
  EXPECT_EQ(r.docs[3].format, "text");
}

TEST(Reader, ZipMembers) {
  std::string path = testing::TempPath("bundle.zip");
  WriteArchive(path, "zip", "none", {{"one.txt", "First."}, {"two.txt", "Second."}});
  Read r = ReadAll({path});
  ASSERT_EQ(r.docs.size(), 2u) << r.Errors();
  EXPECT_EQ(r.docs[1].text, "Second.");
}

TEST(Reader, TruncatedArchiveKeepsTheRowsBefore) {
  // Incompressible-ish rows so that cutting the file loses the tail only.
  std::string rows;
  uint32_t x = 12345;
  for (int i = 1; i <= 2000; ++i) {
    std::string noise;
    for (int k = 0; k < 200; ++k) {
      x = x * 1103515245u + 12345u;
      noise.push_back(static_cast<char>('a' + (x >> 16) % 26));
    }
    rows += "{\"id\": \"n" + std::to_string(i) + "\", \"text\": \"" + noise + "\"}\n";
  }
  std::string full = testing::TempPath("big.jsonl.gz");
  WriteArchive(full, "raw", "gzip", {{"data", rows}});
  std::ifstream in(full, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string cut = testing::TempPath("cut.jsonl.gz");
  WriteFile(cut, bytes.substr(0, bytes.size() / 2));
  Read r = ReadAll({cut});
  // The decompressor hands on whole 64 KiB blocks: most of the first half arrives.
  ASSERT_GT(r.docs.size(), 300u) << r.Errors();
  ASSERT_LT(r.docs.size(), 2000u);
  EXPECT_EQ(r.docs.back().id, "n" + std::to_string(r.docs.size()));
  ASSERT_EQ(r.errors.size(), 1u) << r.Errors();
  EXPECT_EQ(r.errors[0].source, cut);
  EXPECT_EQ(r.errors[0].line, r.docs.size() + 1);
  EXPECT_NE(r.errors[0].reason.find("truncated"), std::string::npos) << r.Errors();
}

TEST(Reader, CompressionBombIsStopped) {
  std::string path = testing::TempPath("bomb.txt.gz");
  WriteArchive(path, "raw", "gzip", {{"data", std::string(8u << 20, 'a')}});
  ReadOptions o;
  o.ratio_grace_bytes = 1u << 20;
  o.max_expansion_ratio = 50;
  Read r = ReadAll({path}, o);
  EXPECT_TRUE(r.docs.empty());
  ASSERT_EQ(r.errors.size(), 1u) << r.Errors();
  EXPECT_NE(r.errors[0].reason.find("compression bomb"), std::string::npos) << r.Errors();
  // And the absolute cap.
  ReadOptions o2;
  o2.max_expanded_bytes = 2u << 20;
  r = ReadAll({path}, o2);
  EXPECT_TRUE(r.docs.empty());
  ASSERT_EQ(r.errors.size(), 1u) << r.Errors();
  EXPECT_NE(r.errors[0].reason.find("compression bomb"), std::string::npos) << r.Errors();
}

std::string WarcRecord(const std::string& type, const std::string& uri, const std::string& id,
                       const std::string& content_type, const std::string& block) {
  return "WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Target-URI: " + uri +
         "\r\nWARC-Record-ID: <urn:uuid:" + id + ">\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n";
}

std::string Http(const std::string& type, const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\n\r\n" + body;
}

TEST(Reader, WarcResponsesWithHtmlOnly) {
  std::string warc =
      WarcRecord("warcinfo", "", "w0", "application/warc-fields", "software: test\r\n") +
      WarcRecord("request", "http://example.org/a", "q1", "application/http; msgtype=request",
                 "GET /a HTTP/1.1\r\n\r\n") +
      WarcRecord("response", "http://example.org/a", "id-a", "application/http; msgtype=response",
                 Http("text/html", "<html><body><p>Two men were detained.</p></body></html>")) +
      WarcRecord("response", "http://example.org/i.png", "id-i", "application/http; msgtype=response",
                 Http("image/png", "PNG")) +
      WarcRecord("response", "http://example.org/b", "id-b", "application/http; msgtype=response",
                 Http("text/html; charset=utf-8", "<p>One more page.</p>"));
  std::string plain = testing::TempPath("crawl.warc");
  WriteFile(plain, warc);
  std::string gz = testing::TempPath("crawl.warc.gz");
  WriteArchive(gz, "raw", "gzip", {{"data", warc}});
  for (const auto& path : {plain, gz}) {
    Read r = ReadAll({path});
    ASSERT_EQ(r.docs.size(), 2u) << r.Errors();
    EXPECT_EQ(r.docs[0].id, "id-a");
    EXPECT_EQ(r.docs[0].url, "http://example.org/a");
    EXPECT_EQ(r.docs[0].format, "html");
    EXPECT_EQ(r.docs[0].text, "<html><body><p>Two men were detained.</p></body></html>");
    EXPECT_EQ(r.docs[1].url, "http://example.org/b");
    EXPECT_EQ(r.stats.skipped, 3u);
    EXPECT_TRUE(r.errors.empty()) << r.Errors();
  }
}

TEST(Reader, TruncatedWarcRecordIsNamed) {
  std::string rec = WarcRecord("response", "http://example.org/a", "id-a",
                               "application/http; msgtype=response", Http("text/html", "<p>Kept.</p>"));
  std::string second = WarcRecord("response", "http://example.org/b", "id-b",
                                  "application/http; msgtype=response",
                                  Http("text/html", "<p>This record is cut short.</p>"));
  std::string path = testing::TempPath("cut.warc");
  WriteFile(path, rec + second.substr(0, second.size() - 20));
  Read r = ReadAll({path});
  ASSERT_EQ(r.docs.size(), 1u) << r.Errors();
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].ToString().rfind(path + ":record 2: truncated", 0), 0u) << r.Errors();
}

TEST(Reader, RssAndAtomFeeds) {
  std::string rss =
      "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Releases</title>"
      "<item><title>First</title><link>http://example.org/1</link>"
      "<pubDate>Tue, 01 Mar 2011 09:00:00 GMT</pubDate>"
      "<description>Forces detained two men in Khost province.</description></item>\n"
      "<item><title>Second</title><link>http://example.org/2</link>"
      "<description>&lt;p&gt;An air strike in Helmand.&lt;/p&gt;</description></item>"
      "</channel></rss>\n";
  std::string path = testing::TempPath("news.xml");
  WriteFile(path, rss);
  Read r = ReadAll({path});
  ASSERT_EQ(r.docs.size(), 2u) << r.Errors();
  EXPECT_EQ(r.docs[0].id, "http://example.org/1");
  EXPECT_EQ(r.docs[0].title, "First");
  EXPECT_EQ(r.docs[0].published, "2011-03-01");
  EXPECT_EQ(r.docs[0].format, "text");
  EXPECT_EQ(r.docs[1].format, "html");
  EXPECT_EQ(r.docs[1].text, "<p>An air strike in Helmand.</p>");

  std::string atom =
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>F</title>"
      "<entry><id>e1</id><title>One</title><link href=\"http://example.org/e1\"/>"
      "<updated>2012-05-06T00:00:00Z</updated><summary>Summary text.</summary></entry></feed>";
  std::string apath = testing::TempPath("feed.atom");
  WriteFile(apath, atom);
  r = ReadAll({apath});
  ASSERT_EQ(r.docs.size(), 1u) << r.Errors();
  EXPECT_EQ(r.docs[0].id, "e1");
  EXPECT_EQ(r.docs[0].url, "http://example.org/e1");
  EXPECT_EQ(r.docs[0].published, "2012-05-06");
  EXPECT_EQ(r.docs[0].text, "Summary text.");
}

TEST(Reader, HtmlFilesAndDirectories) {
  std::string dir = testing::TempPath("tree");
  std::filesystem::create_directories(dir + "/sub");
  WriteFile(dir + "/b.htm", "<p>B</p>");
  WriteFile(dir + "/sub/a.txt", "<!doctype html><html><body>A</body></html>");
  WriteFile(dir + "/c.txt", "Plain C.");
  Read r = ReadAll({dir});
  ASSERT_EQ(r.docs.size(), 3u) << r.Errors();
  EXPECT_EQ(r.docs[0].id, "b.htm");
  EXPECT_EQ(r.docs[0].format, "html");
  EXPECT_EQ(r.docs[1].id, "c.txt");
  EXPECT_EQ(r.docs[1].format, "text");
  EXPECT_EQ(r.docs[2].id, "a.txt");
  EXPECT_EQ(r.docs[2].format, "html");
}

TEST(Reader, OversizedDocumentsAreRejectedNotKept) {
  std::string path = testing::TempPath("long.jsonl");
  WriteFile(path, "{\"id\":\"a\",\"text\":\"" + std::string(5000, 'x') + "\"}\n" + Rows(1));
  ReadOptions o;
  o.max_document_bytes = 1000;
  Read r = ReadAll({path}, o);
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].id, "r1");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 1u);
  EXPECT_NE(r.errors[0].reason.find("longer than"), std::string::npos);
}

TEST(Reader, LongJsonlFileStreams) {
  // Many rows through a small budget: every row arrives, in order.
  std::string path = testing::TempPath("many.jsonl");
  WriteFile(path, Rows(5000));
  uint64_t n = 0;
  bool ordered = true;
  ReadDocuments(
      {path},
      [&](Document&& d) {
        ++n;
        ordered = ordered && d.id == "r" + std::to_string(n) && d.line == n;
        return true;
      },
      [](const ReadError&) {});
  EXPECT_EQ(n, 5000u);
  EXPECT_TRUE(ordered);
}

TEST(Cli, ExtractsFromArchivesAndProgressIsOptIn) {
  std::string path = testing::TempPath("cli.tar.zst");
  WriteArchive(path, "ustar", "zstd", {{"rows.jsonl", Rows(3, "c")}});
  auto r = testing::RunCommand(testing::Binary() + " extract --profile isaf -j 2 " + path +
                               " 2>&1 >/dev/null");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("3 documents extracted, 0 rejected"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\r'), std::string::npos) << "no bar when stderr is not a terminal";
  r = testing::RunCommand(testing::Binary() + " extract --profile isaf --progress " + path +
                          " 2>&1 >/dev/null");
  EXPECT_NE(r.out.find("docs"), std::string::npos) << r.out;
  r = testing::RunCommand(testing::Binary() + " extract --profile isaf -j 3 " + path);
  size_t a = r.out.find("\"c1\""), b = r.out.find("\"c2\""), c = r.out.find("\"c3\"");
  ASSERT_NE(c, std::string::npos) << r.out;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

}  // namespace
}  // namespace sitrep
