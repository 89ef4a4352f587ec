#include "cli/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace sitrep::cli {

bool Progress::AutoEnabled() {
  if (!::isatty(2)) return false;
  for (const char* v : {"CI", "CONTINUOUS_INTEGRATION", "BUILD_NUMBER", "GITHUB_ACTIONS"}) {
    const char* e = std::getenv(v);
    if (e && *e && std::strcmp(e, "0") != 0 && std::strcmp(e, "false") != 0) return false;
  }
  const char* term = std::getenv("TERM");
  return !(term && std::strcmp(term, "dumb") == 0);
}

Progress::Progress(Mode mode, uint64_t total_bytes, const std::atomic<uint64_t>* raw_bytes)
    : enabled_(mode == Mode::kOn || (mode == Mode::kAuto && AutoEnabled())),
      total_(total_bytes),
      raw_(raw_bytes),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() { Finish(); }

namespace {

std::string Duration(double s) {
  long t = static_cast<long>(s + 0.5);
  char buf[32];
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  return buf;
}

std::string Count(uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

}  // namespace

std::string Progress::Format(uint64_t documents, double seconds, uint64_t done_bytes,
                             uint64_t total_bytes, int width) {
  double mb = static_cast<double>(done_bytes) / 1e6;
  double rate = seconds > 0 ? mb / seconds : 0;
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s docs  %.1f MB/s", Count(documents).c_str(), rate);
  std::string line = buf;
  if (total_bytes > 0) {
    double frac = std::min(1.0, static_cast<double>(done_bytes) / static_cast<double>(total_bytes));
    std::snprintf(buf, sizeof buf, "  %.1f/%.1f MB", mb, static_cast<double>(total_bytes) / 1e6);
    line += buf;
    std::string eta = rate > 0 ? Duration((static_cast<double>(total_bytes) / 1e6 - mb) / rate) : "?";
    std::string tail = "  " + std::to_string(static_cast<int>(frac * 100)) + "%  ETA " + eta;
    int bar = width - static_cast<int>(line.size() + tail.size()) - 3;
    if (bar > 40) bar = 40;
    if (bar >= 10) {
      int full = static_cast<int>(frac * bar);
      line = "[" + std::string(static_cast<size_t>(full), '#') +
             std::string(static_cast<size_t>(bar - full), '.') + "] " + line;
    }
    line += tail;
  } else {
    line += "  " + Duration(seconds);
  }
  return line;
}

void Progress::Draw(uint64_t documents, bool force) {
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  double sec = std::chrono::duration<double>(now - start_).count();
  uint64_t done = raw_ && total_ > 0 ? raw_->load(std::memory_order_relaxed) : text_bytes_;
  int width = 80;
  winsize ws{};
  if (::ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) width = ws.ws_col;
  std::string line = Format(documents, sec, done, raw_ ? total_ : 0, width - 1);
  if (static_cast<int>(line.size()) >= width) line.resize(static_cast<size_t>(width - 1));
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void Progress::Update(uint64_t documents, uint64_t text_bytes) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(m_);
  docs_ = documents;
  text_bytes_ = text_bytes;
  Draw(documents, false);
}

void Progress::Message(const std::string& line) {
  std::lock_guard<std::mutex> lock(m_);
  if (shown_) std::fputs("\r\033[K", stderr);
  std::fprintf(stderr, "%s\n", line.c_str());
  if (shown_) Draw(docs_, true);
}

void Progress::WithCleared(const std::function<void()>& print) {
  std::lock_guard<std::mutex> lock(m_);
  if (shown_) std::fputs("\r\033[K", stderr);
  print();
  if (shown_) Draw(docs_, true);
}

void Progress::Finish() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(m_);
  Draw(docs_, true);  // the final state stays on screen
  std::fputs("\n", stderr);
  std::fflush(stderr);
  shown_ = false;
  enabled_ = false;
}

}  // namespace sitrep::cli
