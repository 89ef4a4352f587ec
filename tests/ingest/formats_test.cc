// Format detection and the small parsers of ingest (WARC, HTTP, feeds).
#include "ingest/formats.h"

#include <gtest/gtest.h>

#include "cli/progress.h"
#include "ingest/archive.h"

namespace sitrep::ingest {
namespace {

TEST(Sniff, ContentThenName) {
  EXPECT_EQ(SniffFormat("x.txt", "WARC/1.0\r\nWARC-Type: warcinfo\r\n"), Format::kWarc);
  EXPECT_EQ(SniffFormat("x", "  {\"text\": \"a\"}\n"), Format::kJsonl);
  EXPECT_EQ(SniffFormat("x.jsonl", "not json"), Format::kJsonl);
  EXPECT_EQ(SniffFormat("x", "\xEF\xBB\xBF{ looks like json but has a BOM"), Format::kText);
  EXPECT_EQ(SniffFormat("x", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"), Format::kFeed);
  EXPECT_EQ(SniffFormat("x", "<feed xmlns=\"http://www.w3.org/2005/Atom\">"), Format::kFeed);
  EXPECT_EQ(SniffFormat("x.atom", "anything"), Format::kFeed);
  EXPECT_EQ(SniffFormat("page", "<!DOCTYPE html><html><body>x</body></html>"), Format::kHtml);
  EXPECT_EQ(SniffFormat("page", "\n  <html lang=en><p>x</p>"), Format::kHtml);
  EXPECT_EQ(SniffFormat("a.htm", "Just words."), Format::kHtml);
  EXPECT_EQ(SniffFormat("a.txt", "Just words, 3 < 4 and 5 > 2."), Format::kText);
  EXPECT_EQ(SniffFormat("a", "Words <p>with</p> some <br> markup <div>in</div> them"), Format::kHtml);
}

TEST(Sniff, Containers) {
  EXPECT_EQ(SniffContainer("\x1f\x8b\x08\x00"), Container::kCompressed);
  EXPECT_EQ(SniffContainer("\x28\xb5\x2f\xfd\x00"), Container::kCompressed);
  EXPECT_EQ(SniffContainer("BZh91AY"), Container::kCompressed);
  EXPECT_EQ(SniffContainer("BZhx not bzip2"), Container::kNone);
  EXPECT_EQ(SniffContainer(std::string_view("\xfd" "7zXZ\0\0", 7)), Container::kCompressed);
  EXPECT_EQ(SniffContainer("PK\x03\x04...."), Container::kZip);
  std::string tar(512, '\0');
  tar.replace(257, 5, "ustar");
  EXPECT_EQ(SniffContainer(tar), Container::kTar);
  EXPECT_EQ(SniffContainer("plain text"), Container::kNone);
}

TEST(Names, CompressionSuffix) {
  EXPECT_EQ(StripCompressionSuffix("a.jsonl.gz"), "a.jsonl");
  EXPECT_EQ(StripCompressionSuffix("dir/a.warc.zst"), "dir/a.warc");
  EXPECT_EQ(StripCompressionSuffix("a.tgz"), "a.tar");
  EXPECT_EQ(StripCompressionSuffix("a.txt"), "a.txt");
  EXPECT_EQ(StripCompressionSuffix("v1.0/readme"), "v1.0/readme");
}

TEST(Warc, Headers) {
  WarcHeaders h;
  ASSERT_TRUE(ParseWarcHeaders(
      "WARC-Type: response\r\nwarc-target-uri: <http://example.org/x>\r\n"
      "WARC-Record-ID: <urn:uuid:abc-123>\r\nContent-Type: application/http; msgtype=response\r\n"
      "Content-Length: 42\r\n",
      &h));
  EXPECT_EQ(h.type, "response");
  EXPECT_EQ(h.target_uri, "http://example.org/x");
  EXPECT_EQ(h.record_id, "abc-123");
  EXPECT_EQ(h.content_length, 42u);
  EXPECT_FALSE(ParseWarcHeaders("WARC-Type: response\r\nContent-Length: 4x\r\n", &h));
  EXPECT_FALSE(ParseWarcHeaders("WARC-Type: response\r\n", &h));
}

TEST(Warc, HttpEnvelopeAndChunks) {
  HttpResponse r;
  std::string p = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n7;x=y\r\n, world\r\n0\r\n\r\n";
  ASSERT_TRUE(ParseHttpResponse(p, &r));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.transfer_encoding, "chunked");
  std::string body;
  ASSERT_TRUE(DecodeChunked(std::string_view(p).substr(r.body_offset), &body));
  EXPECT_EQ(body, "Hello, world");
  EXPECT_FALSE(DecodeChunked("zz\r\nabc", &body));
  EXPECT_FALSE(DecodeChunked("ff\r\nshort", &body));
  EXPECT_FALSE(ParseHttpResponse("GET / HTTP/1.1\r\n\r\n", &r));
}

TEST(Feed, DatesAndText) {
  EXPECT_EQ(ParseFeedDate("Sat, 05 Feb 2011 10:00:00 GMT"), "2011-02-05");
  EXPECT_EQ(ParseFeedDate("5 Feb 11 10:00 +0000"), "2011-02-05");
  EXPECT_EQ(ParseFeedDate("2012-03-04T05:06:07Z"), "2012-03-04");
  EXPECT_EQ(ParseFeedDate("Tuesday"), "");
  EXPECT_EQ(ParseFeedDate("32 Jan 2011"), "");
  EXPECT_EQ(DecodeXmlText("a &amp; b &lt;p&gt; &#233;&#x263A; <![CDATA[<b>&amp;</b>]]>"),
            "a & b <p> \xC3\xA9\xE2\x98\xBA <b>&amp;</b>");
  EXPECT_EQ(DecodeXmlText("&bogus; &#xD800; &"), "&bogus; &#xD800; &");
}

TEST(Feed, RssItem) {
  FeedItem it;
  ParseFeedItem(
      "<title>Raid &amp; search</title><link>http://example.org/1</link>"
      "<guid isPermaLink=\"false\">id-1</guid><pubDate>Mon, 07 Mar 2011 08:00:00 GMT</pubDate>"
      "<description>&lt;p&gt;Forces detained two men.&lt;/p&gt;</description>",
      &it);
  EXPECT_EQ(it.title, "Raid & search");
  EXPECT_EQ(it.link, "http://example.org/1");
  EXPECT_EQ(it.id, "id-1");
  EXPECT_EQ(it.published, "2011-03-07");
  EXPECT_EQ(it.text, "<p>Forces detained two men.</p>");
  EXPECT_TRUE(it.html);
  ParseFeedItem("<title>T</title><description><![CDATA[Plain words only.]]></description>", &it);
  EXPECT_EQ(it.text, "Plain words only.");
  EXPECT_FALSE(it.html);
}

TEST(Feed, AtomEntry) {
  FeedItem it;
  ParseFeedItem(
      "<id>tag:example.org,2011:2</id><title type=\"text\">Strike</title>"
      "<link rel=\"self\" href=\"http://example.org/self\"/>"
      "<link rel=\"alternate\" href=\"http://example.org/2\"/>"
      "<published>2011-04-02T10:00:00Z</published><updated>2011-04-03T10:00:00Z</updated>"
      "<content type=\"html\">&lt;p&gt;An air strike killed three fighters.&lt;/p&gt;</content>",
      &it);
  EXPECT_EQ(it.id, "tag:example.org,2011:2");
  EXPECT_EQ(it.link, "http://example.org/2");
  EXPECT_EQ(it.published, "2011-04-02");
  EXPECT_EQ(it.text, "<p>An air strike killed three fighters.</p>");
  EXPECT_TRUE(it.html);
}

TEST(Progress, Format) {
  std::string s = cli::Progress::Format(12345, 2.0, 50'000'000, 100'000'000, 100);
  EXPECT_NE(s.find("12,345 docs"), std::string::npos) << s;
  EXPECT_NE(s.find("25.0 MB/s"), std::string::npos) << s;
  EXPECT_NE(s.find("50%"), std::string::npos) << s;
  EXPECT_NE(s.find("ETA 0:02"), std::string::npos) << s;
  EXPECT_NE(s.find("[####"), std::string::npos) << s;
  std::string u = cli::Progress::Format(7, 65.0, 1'000'000, 0, 100);
  EXPECT_EQ(u.find("ETA"), std::string::npos) << u;
  EXPECT_NE(u.find("1:05"), std::string::npos) << u;
}

}  // namespace
}  // namespace sitrep::ingest
