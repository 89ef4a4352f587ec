// Decompression (gzip, zstd, bzip2, xz, lz4) and archives (tar, zip) through
// libarchive, reading from a parent Input so that they nest (a .tar.gz, a
// tar of .warc.gz files). Compression-bomb caps are enforced per reader.
// A bare gzip stream goes through zlib instead: libarchive holds back its
// last output block when the input is cut short, zlib hands over every byte
// that could be decompressed before the cut.
#pragma once

#include <archive.h>

#include <memory>
#include <string>
#include <string_view>

#include "ingest/input.h"
#include "sitrep/reader.h"

namespace sitrep::ingest {

enum class Container { kNone, kCompressed, kTar, kZip };

// What the first bytes of a stream say it is.
Container SniffContainer(std::string_view head);

class ArchiveReader {
 public:
  // kCompressed: one member, the decompressed stream. kTar / kZip: every
  // regular member.
  ArchiveReader(Input* parent, Container kind, const ReadOptions& options);
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  // Advances to the next regular member; false at the end or on an error
  // (error() is then non-empty).
  bool Next(std::string* name);
  // The current member's bytes.
  ByteStream* member();
  // Set when reading failed: truncated input, corrupt data, a bomb cap.
  const std::string& error() const { return error_; }

 private:
  class MemberStream;
  class GzipStream;
  // Counts expanded bytes; false (and error_ set) once a bomb cap is passed.
  bool Expanded(size_t n);
  static la_ssize_t ReadCallback(struct archive*, void* self, const void** buf);

  Input* parent_;
  Container kind_;
  ReadOptions options_;
  struct archive* a_ = nullptr;
  bool opened_ = false;
  bool done_ = false;
  std::string error_;
  std::unique_ptr<char[]> block_;
  uint64_t compressed_ = 0;
  uint64_t expanded_ = 0;
  std::unique_ptr<MemberStream> member_;
  std::unique_ptr<GzipStream> gzip_;
};

}  // namespace sitrep::ingest
