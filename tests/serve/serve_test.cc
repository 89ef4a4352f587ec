// API tests of `sitrep serve`: the server runs in-process on a free loopback
// port over a store that `sitrep ingest` builds from tests/serve/data.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <simdjson.h>

#include <cctype>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "serve/api.h"
#include "serve/assets.h"
#include "serve/server.h"
#include "sitrep/store.h"
#include "store/db.h"
#include "test_util.h"

namespace sitrep::serve {
namespace {

namespace fs = std::filesystem;
using sitrep::testing::Binary;
using sitrep::testing::RunCommand;
using sitrep::testing::TempPath;

const std::string kData = std::string(SITREP_SOURCE_ROOT) + "/tests/serve/data/releases.jsonl";
const std::string kAdm1 = sitrep::testing::SharedDir() + "/data/geo/afg_adm1.geojson";
const std::string kAdm2 = sitrep::testing::SharedDir() + "/data/geo/afg_adm2.geojson";

class ServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = TempPath("serve.db");
    fs::remove(db_);
    auto r = RunCommand(Binary() + " ingest -q --kb-dir " SITREP_KB_DIR " --db " + db_ + " " + kData, true);
    ASSERT_EQ(r.status, 0) << r.out;
    ServeOptions o;
    o.db = db_;
    o.port = 0;
    o.quiet = true;
    o.kb_dir = SITREP_KB_DIR;
    o.max_page = 5;
    o.threads = 4;
    o.max_body = 4096;
    if (fs::exists(kAdm1) && fs::exists(kAdm2)) o.boundaries = {kAdm1, kAdm2};
    std::string error;
    server_ = Server::Create(o, &error).release();
    ASSERT_NE(server_, nullptr) << error;
    port_ = server_->Bind(&error);
    ASSERT_GT(port_, 0) << error;
    thread_ = new std::thread([] { server_->Run(); });
    httplib::Client c("127.0.0.1", port_);
    for (int i = 0; i < 100 && !c.Get("/api/meta"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  static void TearDownTestSuite() {
    if (server_) server_->Stop();
    if (thread_) thread_->join();
    delete thread_;
    delete server_;
    thread_ = nullptr;
    server_ = nullptr;
  }

  httplib::Result Get(const std::string& path) {
    httplib::Client c("127.0.0.1", port_);
    return c.Get(path.c_str());
  }
  // GET, expect `status`, parse the JSON body.
  simdjson::dom::element Json(const std::string& path, int status = 200) {
    auto r = Get(path);
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    EXPECT_EQ(r->status, status) << path << ": " << r->body;
    bodies_.push_back(r->body);
    simdjson::dom::element e;
    EXPECT_FALSE(parser_.emplace_back().parse(bodies_.back()).get(e)) << r->body;
    return e;
  }
  int64_t Total(const std::string& query) {
    return int64_t(Json("/api/events?" + query)["total"]);
  }
  // What `sitrep query` counts with the same filters (the extractor evolves,
  // so the API is held to the command line rather than to fixed numbers).
  static int64_t Cli(const std::string& args) {
    auto r = RunCommand(Binary() + " query --limit 100000 --format csv --db " + db_ + " " + args);
    EXPECT_EQ(r.status, 0) << args;
    return static_cast<int64_t>(std::count(r.out.begin(), r.out.end(), '\n')) - 1;
  }

  static std::string db_;
  static Server* server_;
  static std::thread* thread_;
  static int port_;
  std::list<simdjson::dom::parser> parser_;
  std::list<std::string> bodies_;
};

std::string ServeTest::db_;
Server* ServeTest::server_ = nullptr;
std::thread* ServeTest::thread_ = nullptr;
int ServeTest::port_ = 0;

TEST_F(ServeTest, MetaDescribesTheStore) {
  auto m = Json("/api/meta");
  EXPECT_EQ(int64_t(m["events"]), Cli(""));
  EXPECT_GE(int64_t(m["events"]), 7);
  EXPECT_EQ(int64_t(m["documents"]), 9);
  bool taliban = false;
  for (auto g : m["groups"].get_array())
    if (std::string_view(g["id"]) == "taliban") {
      taliban = true;
      EXPECT_EQ(std::string_view(g["name"]), "Taliban");
    }
  EXPECT_TRUE(taliban);
}

TEST_F(ServeTest, BoundaryNamesResolveToTheStoreNames) {
  if (!fs::exists(kAdm1)) GTEST_SKIP() << "no shared boundaries";
  auto m = Json("/api/meta");
  auto layers = m["boundaries"].get_array();
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(std::string_view(layers.at(0)["level"]), "admin1");
  EXPECT_EQ(int64_t(layers.at(0)["features"]), 34);
  EXPECT_EQ(std::string_view(layers.at(1)["level"]), "admin2");
  size_t unresolved = 0;
  for (auto [k, v] : layers.at(0)["names"].get_object()) unresolved += std::string_view(v).empty();
  EXPECT_EQ(unresolved, 0u);
  EXPECT_EQ(std::string_view(layers.at(0)["names"]["Kunduz"]), "Kunduz");
  auto g = Get("/geo/boundaries/0.geojson");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->status, 200);
  EXPECT_EQ(g->body.size(), fs::file_size(kAdm1));
  EXPECT_EQ(Get("/geo/boundaries/2.geojson")->status, 404);
}

TEST_F(ServeTest, EventsPageSortAndCap) {
  int64_t n = Cli("");
  auto all = Json("/api/events?limit=3");
  EXPECT_EQ(int64_t(all["total"]), n);
  EXPECT_EQ(all["events"].get_array().size(), 3u);
  EXPECT_EQ(Json("/api/events?offset=" + std::to_string(n - 1))["events"].get_array().size(), 1u);
  // The page size is capped (max_page 5 in this test).
  auto capped = Json("/api/events?limit=100000");
  EXPECT_EQ(int64_t(capped["limit"]), 5);
  EXPECT_EQ(capped["events"].get_array().size(), 5u);
  // Pages in one order cover every event once.
  std::set<std::string> ids;
  for (int off = 0; off < n; off += 2)
    for (auto e : Json("/api/events?sort=province&limit=2&offset=" + std::to_string(off))["events"])
      ids.insert(std::string(std::string_view(e["id"])));
  EXPECT_EQ(static_cast<int64_t>(ids.size()), n);
  std::vector<std::string> prov;
  for (auto e : Json("/api/events?sort=province&order=asc")["events"])
    prov.emplace_back(std::string_view(e["admin1"]));
  EXPECT_TRUE(std::is_sorted(prov.begin(), prov.end()));
  std::vector<std::string> dates;
  for (auto e : Json("/api/events?order=desc")["events"]) dates.emplace_back(std::string_view(e["date"]));
  EXPECT_TRUE(std::is_sorted(dates.rbegin(), dates.rend()));
}

TEST_F(ServeTest, FiltersMatchTheQueryCommand) {
  struct Case {
    const char* api;
    const char* cli;
  };
  for (const Case& c : {Case{"group=taliban", "--group taliban"}, Case{"group=TALIBAN", "--group taliban"},
                        Case{"type=airstrike", "--type airstrike"}, Case{"type=detention", "--type detention"},
                        Case{"province=Kunduz", "--province Kunduz"}, Case{"country=AF", "--country AF"},
                        Case{"since=2011-04-01&until=2011-04-30", "--since 2011-04-01 --until 2011-04-30"},
                        Case{"province=Helmand&group=taliban", "--province Helmand --group taliban"},
                        Case{"leaders=1", "--role leader"}, Case{"text=cache", "--text cache"},
                        Case{"bbox=36,68,38,70", "--bbox 36,68,38,70"}}) {
    int64_t want = Cli(c.cli);
    EXPECT_EQ(Total(c.api), want) << c.api;
  }
  EXPECT_GE(Total("group=taliban"), 4);
  EXPECT_LT(Total("group=taliban"), Total(""));
  EXPECT_EQ(Total("province=Kunduz"), 1);  // two reports, one merged event
  EXPECT_EQ(Total("bbox=36.5,68,38,70"), 2);  // Kunduz and Takhar
}

TEST_F(ServeTest, HostileParametersAreData) {
  EXPECT_EQ(Total("group=taliban'%20OR%20'1'='1"), 0);
  EXPECT_EQ(Total("province=x%22);DROP%20TABLE%20clusters;--"), 0);
  EXPECT_EQ(Total("text=%22%20OR%20*"), 0);
  // Unknown sort keys sort by date; the column name is never spliced in.
  EXPECT_EQ(std::string_view(Json("/api/events?sort=date;DROP%20TABLE%20x")["sort"]), "date;DROP TABLE x");
  EXPECT_EQ(Total(""), Cli(""));
  Json("/api/events?since=yesterday", 400);
  Json("/api/events?limit=-1", 400);
  Json("/api/events?order=sideways", 400);
  Json("/api/events?bbox=1,2,3", 400);
  Json("/api/aggregate?by=nothing", 400);
  Json("/api/events?group=" + std::string(300, 'a'), 400);
  Json("/api/nothing", 404);
  Json("/api/events/none", 404);
  Json("/api/docs/none", 404);
}

std::string PercentEncode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Every parameter the API reads, on every endpoint that reads filters, with
// injection strings: each is a 200 or a 400 with a JSON body, never a 500,
// and the exact-match filters find nothing. Afterwards the store still
// holds what the command line sees.
TEST_F(ServeTest, InjectionStringsInEveryParameter) {
  const std::vector<std::string> payloads = {
      "' OR '1'='1",
      "x\"); DROP TABLE events;--",
      "%' OR 1=1 --",
      "1; DELETE FROM clusters",
      "' UNION SELECT sqlite_version(), NULL--",
      "\\'; ATTACH DATABASE '/tmp/x.db' AS x;--",
      "?1 ?2 :name @a $b",
      "%_%",
      "\xE2\x80\x8B' OR 1=1/*"};
  const std::vector<std::string> exact = {"group", "type", "country", "province", "district"};
  const std::vector<std::string> other = {"since", "until", "text", "leaders", "bbox", "sort",
                                          "order", "offset", "limit", "by", "then"};
  const int64_t all = Total("");
  ASSERT_GT(all, 0);
  for (const char* endpoint : {"/api/events", "/api/aggregate", "/api/points"}) {
    for (const auto& payload : payloads) {
      for (const auto* names : {&exact, &other}) {
        for (const auto& name : *names) {
          std::string path = std::string(endpoint) + "?" + name + "=" + PercentEncode(payload);
          if (std::string(endpoint) == "/api/aggregate" && name != "by") path += "&by=month";
          auto r = Get(path);
          ASSERT_TRUE(r) << path;
          EXPECT_TRUE(r->status == 200 || r->status == 400) << path << ": " << r->status << " " << r->body;
          simdjson::dom::parser parser;
          simdjson::dom::element e;
          ASSERT_FALSE(parser.parse(r->body).get(e)) << path << ": " << r->body;
          if (r->status != 200 || std::string(endpoint) != "/api/events") continue;
          int64_t total = int64_t(e["total"]);
          EXPECT_LE(total, all) << path;
          if (names == &exact) {
            EXPECT_EQ(total, 0) << path;
          }
        }
      }
    }
  }
  EXPECT_EQ(Total(""), all);
  EXPECT_EQ(Cli(""), all);
}

// The answer cache is keyed by the parameters: a value holding the bytes a
// naive key would use as separators must not alias another request's key.
TEST_F(ServeTest, CacheKeysDoNotAlias) {
  int64_t kunduz = Total("province=Kunduz"), all = Total("");
  ASSERT_NE(kunduz, all);
  EXPECT_EQ(Total("aaa=1%1Fprovince%1EKunduz"), all);  // one unknown parameter
  EXPECT_EQ(Total("aaa=1&province=Kunduz"), kunduz);
}

// A socket to the server on loopback with send/receive timeouts.
int Connect(int port, int timeout_s = 10) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{timeout_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

// What the server sent before closing (or before the receive timeout).
std::string ReadAll(int fd) {
  std::string reply;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) reply.append(buf, static_cast<size_t>(n));
  return reply;
}

int StatusOf(const std::string& reply) {
  std::printf("  -> %s\n", reply.substr(0, reply.find('\r')).c_str());
  return reply.size() >= 12 && reply.rfind("HTTP/1.1 ", 0) == 0 ? std::stoi(reply.substr(9, 3)) : 0;
}

// Requests beyond the server's limits are refused without taking the server
// down. The request line and headers must fit in a connection's 32 KiB
// (libmicrohttpd's memory pool): a 40 KB request line gets 414, a 40 KB
// header or ten thousand small ones 431. A body over --max-body gets 413,
// at once when Content-Length announces it, after reading it when it comes
// chunked.
TEST_F(ServeTest, OversizedRequestsAreRefused) {
  auto raw = [this](const std::string& request) {
    int fd = Connect(port_);
    EXPECT_GE(fd, 0);
    if (fd < 0) return std::string();
    // The server may stop reading and close early: a failed send is fine.
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string reply = ReadAll(fd);
    ::close(fd);
    return reply;
  };
  const std::string host = "Host: 127.0.0.1:" + std::to_string(port_) + "\r\nConnection: close\r\n";
  std::string long_line = raw("GET /api/events?text=" + std::string(40000, 'a') + " HTTP/1.1\r\n" + host + "\r\n");
  EXPECT_EQ(StatusOf(long_line), 414) << long_line.substr(0, 200);
  std::string long_header = raw("GET /api/meta HTTP/1.1\r\n" + host + "X-Big: " + std::string(40000, 'b') + "\r\n\r\n");
  EXPECT_EQ(StatusOf(long_header), 431) << long_header.substr(0, 200);
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  std::string many_headers = raw("GET /api/meta HTTP/1.1\r\n" + host + many + "\r\n");
  EXPECT_EQ(StatusOf(many_headers), 431) << many_headers.substr(0, 200);
  // Within the cap: a request line of 6 KB (the dashboard's longest, a
  // percent-encoded claim) next to 4 KB of cookies.
  std::string fits = raw("GET /api/events?text=" + std::string(6000, 'a') + " HTTP/1.1\r\n" + host +
                         "Cookie: c=" + std::string(4000, 'c') + "\r\n\r\n");
  EXPECT_EQ(StatusOf(fits), 400) << fits.substr(0, 200);  // the API's 256-byte parameter cap
  EXPECT_NE(fits.find("{\"error\":"), std::string::npos) << fits.substr(0, 400);
  auto t0 = std::chrono::steady_clock::now();
  std::string announced = raw("POST /api/claims/check HTTP/1.1\r\n" + host +
                              "Content-Type: text/plain\r\nContent-Length: 1000000000\r\n\r\nx");
  EXPECT_EQ(StatusOf(announced), 413) << announced.substr(0, 200);
  EXPECT_NE(announced.find("{\"error\":"), std::string::npos) << announced;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));  // not drained
  std::string chunk(3000, 'c'), chunked;
  for (int i = 0; i < 4; ++i) chunked += "BB8\r\n" + chunk + "\r\n";
  chunked += "0\r\n\r\n";
  std::string chunked_reply = raw("POST /api/claims/check HTTP/1.1\r\n" + host +
                                  "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked);
  EXPECT_EQ(StatusOf(chunked_reply), 413) << chunked_reply.substr(0, 200);
  // Still serving.
  EXPECT_EQ(Get("/api/meta")->status, 200);
}

// Clients that stream header lines without ever ending the request (what
// grew the cpp-httplib server to 620 MB) are cut off once their request
// head passes the connection's memory cap: 431 or a reset, within a
// second or two, having sent no more than the socket buffers hold. Others
// are served meanwhile.
TEST_F(ServeTest, HeaderFloodIsCutOffAtTheCap) {
  constexpr size_t kCeiling = 64u << 20;  // what a flooder would send at most
  const std::string line = "X-Flood: " + std::string(8180, 'f') + "\r\n";  // 8 KB lines
  struct Outcome {
    size_t sent = 0;
    bool cut = false;
    int status = 0;
    double seconds = 0;
  };
  std::vector<Outcome> outcomes(4);
  std::vector<std::thread> flooders;
  for (auto& out : outcomes) {
    flooders.emplace_back([this, &out, &line] {
      auto t0 = std::chrono::steady_clock::now();
      int fd = Connect(port_, 5);
      if (fd < 0) return;
      std::string head = "GET /api/meta HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\n";
      ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
      while (out.sent < kCeiling) {
        ssize_t n = ::send(fd, line.data(), line.size(), MSG_NOSIGNAL);
        if (n <= 0) {
          out.cut = errno == EPIPE || errno == ECONNRESET;
          break;
        }
        out.sent += static_cast<size_t>(n);
      }
      std::string reply = ReadAll(fd);  // the 431, unless the reset discarded it
      out.status = reply.rfind("HTTP/1.1 ", 0) == 0 ? std::stoi(reply.substr(9, 3)) : 0;
      ::close(fd);
      out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    });
  }
  for (int i = 0; i < 20; ++i) {
    auto r = Get("/api/meta");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  for (auto& t : flooders) t.join();
  for (const auto& out : outcomes) {
    std::printf("  flooder: %zu bytes sent, %s, status %d, %.2f s\n", out.sent,
                out.cut ? "cut off" : "not cut off", out.status, out.seconds);
    EXPECT_TRUE(out.cut || out.status == 431);
    EXPECT_TRUE(out.status == 0 || out.status == 431) << out.status;
    // Loopback socket buffers hold a few MB; the server read 32 KiB of it.
    EXPECT_LT(out.sent, 16u << 20);
    EXPECT_LT(out.seconds, 5.0);
  }
  EXPECT_EQ(Get("/api/meta")->status, 200);
}

// Traversal spelled with percent-encoding, backslashes and doubled slashes
// never leaves the embedded assets.
TEST_F(ServeTest, EncodedPathTraversal) {
  for (const char* path :
       {"/%2e%2e/CMakeLists.txt", "/vendor/leaflet/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/vendor/..%2f..%2f..%2fetc%2fpasswd", "/vendor/leaflet/..%5c..%5cCMakeLists.txt",
        "//etc/passwd", "/vendor//leaflet/../../../../etc/passwd", "/%00/etc/passwd",
        "/vendor/leaflet/%252e%252e/%252e%252e/etc/passwd", "/.git/config", "/api/../../etc/passwd"}) {
    httplib::Client c("127.0.0.1", port_);
    auto r = c.Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_TRUE(r->status == 404 || r->status == 400) << path << ": " << r->status;
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << path;
    EXPECT_EQ(r->body.find("cmake_minimum_required"), std::string::npos) << path;
  }
}

TEST_F(ServeTest, AggregatesAddUp) {
  auto months = Json("/api/aggregate?by=month");
  int64_t sum = 0;
  for (auto r : months["rows"]) sum += int64_t(r["events"]);
  EXPECT_EQ(sum, Total(""));
  auto stacked = Json("/api/aggregate?by=month&then=group&group=taliban");
  int64_t taliban = 0;
  for (auto r : stacked["rows"]) {
    EXPECT_EQ(std::string_view(r["key2"]), "taliban");
    taliban += int64_t(r["events"]);
  }
  EXPECT_EQ(taliban, Total("group=taliban"));
  int64_t points = 0;
  for (auto p : Json("/api/points")["points"]) points += int64_t(p["events"]);
  EXPECT_EQ(points, Total("bbox=-90,-180,90,180"));
}

TEST_F(ServeTest, EventSourcesAndDocumentEvidence) {
  auto kunduz = Json("/api/events?province=Kunduz")["events"].at(0);
  std::string id{std::string_view(kunduz["id"])};
  EXPECT_EQ(int64_t(kunduz["sources"]), 2);
  auto ev = Json("/api/events/" + id);
  auto sources = ev["sources"].get_array();
  ASSERT_EQ(sources.size(), 2u);
  std::set<std::string> docs;
  for (auto s : sources) docs.insert(std::string(std::string_view(s["doc_id"])));
  EXPECT_EQ(docs, (std::set<std::string>{"serve-001", "serve-007"}));
  auto doc = Json("/api/docs/serve-001");
  std::string text{std::string_view(doc["text"])};
  auto evidence = doc["events"].at(0)["evidence"].at(0);
  EXPECT_TRUE(bool(evidence["exact"]));
  size_t s = uint64_t(evidence["start"]), e = uint64_t(evidence["end"]);
  EXPECT_EQ(text.substr(s, e - s), std::string_view(evidence["text"]));
  EXPECT_NE(std::string_view(evidence["text"]).find("Imam Sahib"), std::string_view::npos);
}

TEST_F(ServeTest, HostileDocumentComesBackAsText) {
  auto doc = Json("/api/docs/serve-hostile");
  EXPECT_NE(std::string_view(doc["text"]).find("<script>window.__pwned=3</script>"), std::string_view::npos);
  EXPECT_EQ(std::string_view(doc["title"]).substr(0, 8), "<script>");
  auto r = Get("/api/docs/serve-hostile");
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST_F(ServeTest, Utf16OffsetsForTheBrowser) {
  std::string s = "a\xC3\xA9\xF0\x9F\x98\x80" "b\xFF" "c";  // a é 😀 b <invalid> c
  auto u = Utf16Offsets(s, {0, 1, 3, 7, 8, 9, 10});
  EXPECT_EQ(u, (std::vector<uint32_t>{0, 1, 2, 4, 5, 6, 7}));
}

TEST_F(ServeTest, ClaimCheck) {
  auto c = Json("/api/claims/check?text=2+raids+in+Kunduz+and+Takhar+provinces+since+March+1");
  auto checks = c["checks"].get_array();
  ASSERT_GE(checks.size(), 1u);
  EXPECT_EQ(std::string_view(checks.at(0)["claim"]["metric"]), "raids");
  EXPECT_GE(checks.at(0)["parts"].get_array().size(), 3u);
  httplib::Client cl("127.0.0.1", port_);
  auto post = cl.Post("/api/claims/check", "5 raids in Helmand province since April 1", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 200);
  Json("/api/claims/check", 400);
  Json("/api/claims/check?text=" + std::string(2100, 'x'), 413);
  auto big = cl.Post("/api/claims/check", std::string(10000, 'x'), "text/plain");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);  // over max_body
  EXPECT_TRUE(Json("/api/claims")["claims"].is_array());
}

TEST_F(ServeTest, GroupGraph) {
  auto g = Json("/api/groups");
  EXPECT_GE(g["nodes"].get_array().size(), 3u);
  auto edges = g["edges"].get_array();
  ASSERT_EQ(edges.size(), 2u);
  for (auto e : edges) {
    EXPECT_EQ(std::string_view(e["a"]), "imu");
    EXPECT_EQ(std::string_view(e["kind"]), "ally");
    EXPECT_EQ(std::string_view(e["evidence"].at(0)["doc_id"]), "serve-006");
  }
}

TEST_F(ServeTest, SecurityHeadersAndRequestChecks) {
  auto r = Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  std::string csp = r->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
  EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY");
  httplib::Client c("127.0.0.1", port_);
  auto evil = c.Get("/api/meta", {{"Host", "attacker.example:80"}});
  ASSERT_TRUE(evil);
  EXPECT_EQ(evil->status, 421);
  auto del = c.Delete("/api/meta");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  EXPECT_EQ(Get("/vendor/leaflet/../../../etc/passwd")->status, 404);
  EXPECT_EQ(Get("/../CMakeLists.txt")->status, 404);
  EXPECT_EQ(Get("/nothing.js")->status, 404);
}

TEST_F(ServeTest, EmbeddedPagesHaveNoInlineScript) {
  std::regex inline_script("<script(?![^>]*\\bsrc=)[^>]*>", std::regex::icase);
  std::regex handler("\\son[a-z]+\\s*=", std::regex::icase);
  std::regex inner("\\.(innerHTML|outerHTML)\\s*=|insertAdjacentHTML|document\\.write|eval\\(|new Function");
  size_t html = 0;
  for (const auto& a : EmbeddedAssets()) {
    std::string body(reinterpret_cast<const char*>(a.data), a.size);
    std::string path = a.path;
    if (path.size() > 5 && path.substr(path.size() - 5) == ".html") {
      ++html;
      EXPECT_FALSE(std::regex_search(body, inline_script)) << path;
      EXPECT_FALSE(std::regex_search(body, handler)) << path;
      EXPECT_EQ(body.find("style="), std::string::npos) << path;
    }
    if (path.size() > 3 && path.substr(path.size() - 3) == ".js") {
      EXPECT_FALSE(std::regex_search(body, inner)) << path;
    }
  }
  EXPECT_GE(html, 1u);
}

TEST_F(ServeTest, StoreIsOpenedReadOnly) {
  StoreOpenOptions o;
  o.read_only = true;
  std::string error;
  auto s = Store::Open(db_, o, &error);
  ASSERT_NE(s, nullptr) << error;
  Document d;
  d.id = "new";
  d.text = "x";
  EXPECT_THROW(s->Ingest({{d, Extraction{}}}), StoreError);
  EXPECT_EQ(s->CountEvents(EventFilter{}), Cli(""));
  std::string missing = TempPath("missing.db");
  fs::remove(missing);
  EXPECT_EQ(Store::Open(missing, o, &error), nullptr);
  EXPECT_FALSE(fs::exists(missing));
}

TEST_F(ServeTest, QueryTimeCap) {
  // The connection the server uses stops a runaway statement at its cap.
  auto db = store::OpenSqlite(db_, true, 50);
  auto t0 = std::chrono::steady_clock::now();
  try {
    db->Query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000000)"
              " SELECT COUNT(*) FROM n", {});
    ADD_FAILURE() << "not interrupted";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("interrupt"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_THROW(db->Exec("DELETE FROM clusters", {}), StoreError);  // read-only
}

}  // namespace
// Slow clients (a request sent in part and never finished) are dropped after
// the idle timeout (5 s); meanwhile the others are served. They wait in the
// worker threads' event loops, so more of them than workers (4 in the
// fixture) do not stop anyone either.
TEST_F(ServeTest, SlowClientsAreDroppedAndOthersServed) {
  std::vector<int> slow;
  for (int i = 0; i < 8; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port_));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    std::string part = "GET /api/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    ASSERT_EQ(::send(fd, part.data(), part.size(), 0), static_cast<ssize_t>(part.size()));
    slow.push_back(fd);
  }
  httplib::Client c("127.0.0.1", port_);
  c.set_read_timeout(3, 0);  // shorter than the server's 5 s idle timeout
  auto r = c.Get("/api/meta");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  for (int fd : slow) {
    timeval tv{15, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[512];
    ssize_t n;
    // The server may answer 400 or just close; either way the socket ends.
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
    }
    EXPECT_EQ(n, 0) << "a slow client was not dropped within 15 s";
    ::close(fd);
  }
}

}  // namespace sitrep::serve
