// A one-line progress bar on stderr: documents, MB/s, done/total and ETA.
// On by default only when stderr is a terminal and not under CI; thread-safe
// so that warnings printed meanwhile do not tear the line.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace sitrep::cli {

class Progress {
 public:
  enum class Mode { kAuto, kOn, kOff };
  // `total_bytes`: input size on disk (0 = unknown, no ETA); `raw_bytes`:
  // counter of bytes read so far from the inputs (may be null).
  Progress(Mode mode, uint64_t total_bytes, const std::atomic<uint64_t>* raw_bytes);
  ~Progress();

  bool enabled() const { return enabled_; }
  // Redraws at most every 200 ms.
  void Update(uint64_t documents, uint64_t text_bytes);
  // Prints a message on its own line (clearing the bar first).
  void Message(const std::string& line);
  // Runs `print` (which writes to stderr) with the bar cleared.
  void WithCleared(const std::function<void()>& print);
  // Clears the bar for good.
  void Finish();

  // Whether stderr is a terminal and no CI variable is set.
  static bool AutoEnabled();
  // The bar text for the given state (for tests).
  static std::string Format(uint64_t documents, double seconds, uint64_t done_bytes,
                            uint64_t total_bytes, int width);

 private:
  void Draw(uint64_t documents, bool force);
  bool enabled_;
  uint64_t total_;
  const std::atomic<uint64_t>* raw_;
  std::chrono::steady_clock::time_point start_, last_;
  uint64_t docs_ = 0, text_bytes_ = 0;
  bool shown_ = false;
  std::mutex m_;
};

}  // namespace sitrep::cli
