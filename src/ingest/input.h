// Byte streams for ingest: a file descriptor, a decompressor or an archive
// member, read through one buffered reader with peek and bounded line reads.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sitrep::ingest {

// A source of bytes. Read returns the number of bytes read, 0 at the end, or
// -1 on an error (described by error()).
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual ptrdiff_t Read(char* buf, size_t n) = 0;
  const std::string& error() const { return error_; }

 protected:
  std::string error_;
};

// Reads a file descriptor (owned unless it is stdin), counting bytes into an
// optional progress counter.
class FdStream : public ByteStream {
 public:
  FdStream(int fd, bool owned, std::atomic<uint64_t>* counter);
  ~FdStream() override;
  ptrdiff_t Read(char* buf, size_t n) override;

 private:
  int fd_;
  bool owned_;
  std::atomic<uint64_t>* counter_;
};

// An in-memory stream (tests, and the Python module).
class StringStream : public ByteStream {
 public:
  explicit StringStream(std::string data) : data_(std::move(data)) {}
  ptrdiff_t Read(char* buf, size_t n) override;

 private:
  std::string data_;
  size_t pos_ = 0;
};

// Buffered reading over a ByteStream. The buffer grows only to what a peek
// asks for; lines and delimited blocks are read with a caller-given cap so
// that an endless line costs time, not memory.
class Input {
 public:
  explicit Input(ByteStream* stream, size_t buffer_size = 1u << 18);

  // Up to n bytes ahead, without consuming them (fewer at the end).
  std::string_view Peek(size_t n);
  // Reads up to n bytes into out (appending); returns the count.
  size_t Read(char* out, size_t n);
  // Reads one line without its '\n' (a trailing '\r' is kept). Returns false
  // at the end of input. A line longer than `max` is consumed but not kept:
  // *too_long is set and *line is empty.
  bool ReadLine(std::string* line, size_t max, bool* too_long);
  // Consumes bytes up to and including `delim`, appending those before it to
  // *out (when out is not null) while out stays under `max` bytes; sets
  // *overflow when more were dropped. Returns false when the input ended
  // before `delim` (everything up to the end is consumed).
  bool ReadUntil(std::string_view delim, std::string* out, size_t max, bool* overflow);
  // Skips n bytes; returns how many were skipped.
  uint64_t Skip(uint64_t n);
  bool AtEnd();
  // Set when the underlying stream failed (as opposed to ending).
  bool failed() const { return failed_; }
  const std::string& error() const { return stream_->error(); }
  uint64_t consumed() const { return consumed_; }

 private:
  // Makes at least `n` bytes available unless the stream ends; returns
  // whether that many are available.
  bool Fill(size_t n);
  size_t Available() const { return end_ - pos_; }

  ByteStream* stream_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  bool failed_ = false;
  uint64_t consumed_ = 0;
};

}  // namespace sitrep::ingest
