#include "ingest/archive.h"

#include <archive_entry.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace sitrep::ingest {
namespace {

constexpr size_t kBlock = 1u << 16;

bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

}  // namespace

Container SniffContainer(std::string_view head) {
  if (StartsWith(head, "\x1f\x8b") || StartsWith(head, "\x28\xb5\x2f\xfd") ||
      StartsWith(head, std::string_view("\xfd" "7zXZ\0", 6)) ||
      StartsWith(head, "\x04\x22\x4d\x18"))
    return Container::kCompressed;
  if (StartsWith(head, "BZh") && head.size() >= 4 && head[3] >= '1' && head[3] <= '9')
    return Container::kCompressed;
  if (head.size() >= 262 && head.compare(257, 5, "ustar") == 0) return Container::kTar;
  if (StartsWith(head, "PK\x03\x04")) return Container::kZip;
  return Container::kNone;
}

// A member's bytes, with the bomb caps checked as they are produced. Reads
// block by block (archive_read_data_block) so that the bytes before a
// truncation are delivered before the error.
class ArchiveReader::MemberStream : public ByteStream {
 public:
  explicit MemberStream(ArchiveReader* r) : r_(r) {}
  void Reset() {
    block_ = nullptr;
    left_ = 0;
  }
  ptrdiff_t Read(char* buf, size_t n) override {
    if (left_ == 0) {
      if (!r_->error_.empty()) {
        error_ = r_->error_;
        return -1;
      }
      const void* block = nullptr;
      size_t size = 0;
      la_int64_t offset = 0;
      int rc = archive_read_data_block(r_->a_, &block, &size, &offset);
      if (rc == ARCHIVE_EOF) return 0;
      if (rc < ARCHIVE_WARN) {
        const char* e = archive_error_string(r_->a_);
        r_->error_ = e ? e : "corrupt compressed data";
        error_ = r_->error_;
        return -1;
      }
      block_ = static_cast<const char*>(block);
      left_ = size;
      if (!r_->Expanded(size)) {
        Reset();
        error_ = r_->error_;
        return -1;
      }
      if (left_ == 0) return Read(buf, n);
    }
    size_t k = std::min(n, left_);
    std::memcpy(buf, block_, k);
    block_ += k;
    left_ -= k;
    return static_cast<ptrdiff_t>(k);
  }

 private:
  ArchiveReader* r_;
  const char* block_ = nullptr;
  size_t left_ = 0;
};

// gzip through zlib, member after member ("cat a.gz b.gz" is one stream).
class ArchiveReader::GzipStream : public ByteStream {
 public:
  explicit GzipStream(ArchiveReader* r) : r_(r), in_(new char[kBlock]) {
    std::memset(&z_, 0, sizeof z_);
    ok_ = inflateInit2(&z_, 15 + 16) == Z_OK;  // gzip wrapper only
  }
  ~GzipStream() override {
    if (ok_) inflateEnd(&z_);
  }
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  ptrdiff_t Read(char* buf, size_t n) override {
    if (!ok_) return Fail("cannot start gzip decoding");
    while (!ended_) {
      if (z_.avail_in == 0 && !input_end_) Refill();
      if (!r_->error_.empty()) return Fail(r_->error_);
      z_.next_out = reinterpret_cast<Bytef*>(buf);
      z_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
      uInt before = z_.avail_out;
      int rc = inflate(&z_, Z_NO_FLUSH);
      size_t produced = before - z_.avail_out;
      if (produced > 0 && !r_->Expanded(produced)) return Fail(r_->error_);
      if (rc == Z_STREAM_END) {
        // Another member may follow; anything else after the end is ignored.
        if (z_.avail_in == 0 && !input_end_) Refill();
        if (z_.avail_in >= 2 && z_.next_in[0] == 0x1f && z_.next_in[1] == 0x8b)
          inflateReset(&z_);
        else
          ended_ = true;
      } else if (rc == Z_BUF_ERROR || rc == Z_OK) {
        if (produced == 0 && z_.avail_in == 0 && input_end_)
          return Fail(r_->parent_->failed() ? r_->parent_->error() : "truncated gzip input");
      } else {
        return Fail(std::string("corrupt gzip data (") + (z_.msg ? z_.msg : "inflate error") +
                    ")");
      }
      if (produced > 0) return static_cast<ptrdiff_t>(produced);
    }
    return 0;
  }

 private:
  void Refill() {
    size_t got = r_->parent_->Read(in_.get(), kBlock);
    if (got == 0) {
      input_end_ = true;
      return;
    }
    r_->compressed_ += got;
    z_.next_in = reinterpret_cast<Bytef*>(in_.get());
    z_.avail_in = static_cast<uInt>(got);
  }
  ptrdiff_t Fail(const std::string& why) {
    if (r_->error_.empty()) r_->error_ = why;
    error_ = r_->error_;
    ended_ = true;
    return -1;
  }

  ArchiveReader* r_;
  std::unique_ptr<char[]> in_;
  z_stream z_;
  bool ok_ = false;
  bool input_end_ = false;
  bool ended_ = false;
};

bool ArchiveReader::Expanded(size_t n) {
  expanded_ += n;
  const ReadOptions& o = options_;
  if (expanded_ > o.max_expanded_bytes) {
    error_ = "decompressed size exceeds " + std::to_string(o.max_expanded_bytes >> 20) +
             " MiB (compression bomb?); stopped";
  } else if (expanded_ > o.ratio_grace_bytes &&
             static_cast<double>(expanded_) >
                 o.max_expansion_ratio * static_cast<double>(compressed_ + 1)) {
    error_ = "decompressed size exceeds " +
             std::to_string(static_cast<long long>(o.max_expansion_ratio)) +
             "x the compressed size (compression bomb?); stopped";
  }
  return error_.empty();
}

ArchiveReader::ArchiveReader(Input* parent, Container kind, const ReadOptions& options)
    : parent_(parent), kind_(kind), options_(options), block_(new char[kBlock]) {
  a_ = archive_read_new();
  archive_read_support_filter_gzip(a_);
  archive_read_support_filter_bzip2(a_);
  archive_read_support_filter_xz(a_);
  archive_read_support_filter_lzma(a_);
  archive_read_support_filter_zstd(a_);
  archive_read_support_filter_lz4(a_);
  if (kind == Container::kCompressed) {
    archive_read_support_format_raw(a_);
  } else if (kind == Container::kTar) {
    archive_read_support_format_tar(a_);
    archive_read_support_format_gnutar(a_);
  } else {
    archive_read_support_format_zip_streamable(a_);
  }
  member_ = std::make_unique<MemberStream>(this);
  std::string_view head = parent_->Peek(2);
  if (kind == Container::kCompressed && head.size() == 2 && head[0] == '\x1f' && head[1] == '\x8b')
    gzip_ = std::make_unique<GzipStream>(this);
}

ArchiveReader::~ArchiveReader() {
  if (a_) archive_read_free(a_);
}

la_ssize_t ArchiveReader::ReadCallback(struct archive* a, void* self, const void** buf) {
  auto* r = static_cast<ArchiveReader*>(self);
  size_t n = r->parent_->Read(r->block_.get(), kBlock);
  if (n == 0 && r->parent_->failed()) {
    archive_set_error(a, EIO, "%s", r->parent_->error().c_str());
    return -1;
  }
  r->compressed_ += n;
  *buf = r->block_.get();
  return static_cast<la_ssize_t>(n);
}

bool ArchiveReader::Next(std::string* name) {
  if (done_ || !error_.empty()) return false;
  if (gzip_) {
    // One member: the decompressed stream.
    done_ = true;
    name->clear();
    return true;
  }
  if (!opened_) {
    opened_ = true;
    if (archive_read_open(a_, this, nullptr, &ArchiveReader::ReadCallback, nullptr) != ARCHIVE_OK) {
      const char* e = archive_error_string(a_);
      error_ = e ? e : "cannot read archive";
      return false;
    }
  }
  member_->Reset();
  while (true) {
    struct archive_entry* entry = nullptr;
    int rc = archive_read_next_header(a_, &entry);
    if (rc == ARCHIVE_EOF) {
      done_ = true;
      return false;
    }
    if (rc < ARCHIVE_WARN) {
      const char* e = archive_error_string(a_);
      error_ = e ? e : "corrupt archive";
      return false;
    }
    if (kind_ == Container::kCompressed) {
      name->clear();
      return true;
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const char* p = archive_entry_pathname(entry);
    *name = p ? p : "";
    return true;
  }
}

}  // namespace sitrep::ingest

namespace sitrep::ingest {
ByteStream* ArchiveReader::member() {
  return gzip_ ? static_cast<ByteStream*>(gzip_.get()) : member_.get();
}
}  // namespace sitrep::ingest
