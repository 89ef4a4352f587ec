#include "ingest/input.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace sitrep::ingest {

FdStream::FdStream(int fd, bool owned, std::atomic<uint64_t>* counter)
    : fd_(fd), owned_(owned), counter_(counter) {}

FdStream::~FdStream() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

ptrdiff_t FdStream::Read(char* buf, size_t n) {
  while (true) {
    ssize_t r = ::read(fd_, buf, n);
    if (r >= 0) {
      if (counter_ && r > 0) counter_->fetch_add(static_cast<uint64_t>(r), std::memory_order_relaxed);
      return r;
    }
    if (errno == EINTR) continue;
    error_ = std::string("read error: ") + ::strerror(errno);
    return -1;
  }
}

ptrdiff_t StringStream::Read(char* buf, size_t n) {
  size_t k = std::min(n, data_.size() - pos_);
  std::memcpy(buf, data_.data() + pos_, k);
  pos_ += k;
  return static_cast<ptrdiff_t>(k);
}

Input::Input(ByteStream* stream, size_t buffer_size) : stream_(stream), buf_(buffer_size) {}

bool Input::Fill(size_t n) {
  if (Available() >= n) return true;
  if (eof_) return false;
  // Move what is left to the front, grow when a peek asks for more than fits.
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, Available());
    end_ -= pos_;
    pos_ = 0;
  }
  if (buf_.size() < n) buf_.resize(n);
  while (end_ < n) {
    ptrdiff_t r = stream_->Read(buf_.data() + end_, buf_.size() - end_);
    if (r < 0) {
      failed_ = true;
      eof_ = true;
      return false;
    }
    if (r == 0) {
      eof_ = true;
      return false;
    }
    end_ += static_cast<size_t>(r);
  }
  return true;
}

std::string_view Input::Peek(size_t n) {
  Fill(n);
  return std::string_view(buf_.data() + pos_, std::min(n, Available()));
}

bool Input::AtEnd() { return !Fill(1); }

size_t Input::Read(char* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    if (Available() == 0 && !Fill(1)) break;
    size_t k = std::min(n - done, Available());
    std::memcpy(out + done, buf_.data() + pos_, k);
    pos_ += k;
    consumed_ += k;
    done += k;
  }
  return done;
}

uint64_t Input::Skip(uint64_t n) {
  uint64_t done = 0;
  while (done < n) {
    if (Available() == 0 && !Fill(1)) break;
    size_t k = static_cast<size_t>(std::min<uint64_t>(n - done, Available()));
    pos_ += k;
    consumed_ += k;
    done += k;
  }
  return done;
}

bool Input::ReadLine(std::string* line, size_t max, bool* too_long) {
  line->clear();
  *too_long = false;
  bool any = false;
  while (true) {
    if (Available() == 0 && !Fill(1)) return any;
    any = true;
    const char* start = buf_.data() + pos_;
    const char* nl = static_cast<const char*>(std::memchr(start, '\n', Available()));
    size_t k = nl ? static_cast<size_t>(nl - start) : Available();
    if (!*too_long) {
      if (line->size() + k > max) {
        *too_long = true;
        std::string().swap(*line);
      } else {
        line->append(start, k);
      }
    }
    pos_ += k;
    consumed_ += k;
    if (nl) {
      ++pos_;
      ++consumed_;
      return true;
    }
  }
}

bool Input::ReadUntil(std::string_view delim, std::string* out, size_t max, bool* overflow) {
  if (overflow) *overflow = false;
  auto keep = [&](const char* p, size_t k) {
    if (!out) return;
    size_t room = out->size() < max ? max - out->size() : 0;
    if (k > room) {
      if (overflow) *overflow = true;
      k = room;
    }
    out->append(p, k);
  };
  while (true) {
    if (!Fill(delim.size())) {
      // Fewer bytes left than the delimiter: the end.
      keep(buf_.data() + pos_, Available());
      consumed_ += Available();
      pos_ = end_;
      return false;
    }
    std::string_view avail(buf_.data() + pos_, Available());
    size_t at = avail.find(delim);
    if (at != std::string_view::npos) {
      keep(avail.data(), at);
      pos_ += at + delim.size();
      consumed_ += at + delim.size();
      return true;
    }
    // Keep the last delim.size()-1 bytes: the delimiter may straddle.
    size_t k = avail.size() - (delim.size() - 1);
    keep(avail.data(), k);
    pos_ += k;
    consumed_ += k;
    if (!Fill(Available() + 1)) {
      keep(buf_.data() + pos_, Available());
      consumed_ += Available();
      pos_ = end_;
      return false;
    }
  }
}

}  // namespace sitrep::ingest
