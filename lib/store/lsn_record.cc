#include "store/lsn_record.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace jszb::core {

namespace {

// magic, id high, id low, lsn, max case id, checksum: 8 bytes each,
// little-endian.
constexpr char kMagic[8] = {'J', 'S', 'Z', 'B', 'L', 'S', 'N', '1'};
constexpr std::size_t kWords = 5;
constexpr std::size_t kSize = 8 * (kWords + 1);

void put(unsigned char* at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) at[i] = static_cast<unsigned char>(v >> (8 * i));
}

std::uint64_t get(const unsigned char* at) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | at[i];
  return v;
}

// FNV-1a over the record before the checksum.
std::uint64_t checksum(const unsigned char* bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::size_t i = 0; i < 8 * kWords; ++i) {
    h ^= bytes[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

LsnRecord::~LsnRecord() {
  if (fd_ >= 0) ::close(fd_);
}

std::string LsnRecord::path_for(const std::string& store_path) {
  char* real = ::realpath(store_path.c_str(), nullptr);
  if (real == nullptr) return store_path + "-lsn";
  std::string out = std::string(real) + "-lsn";
  std::free(real);
  return out;
}

std::optional<LsnMark> LsnRecord::read(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  unsigned char bytes[kSize];
  ssize_t n = ::pread(fd, bytes, kSize, 0);
  ::close(fd);
  if (n != static_cast<ssize_t>(kSize) || std::memcmp(bytes, kMagic, 8) != 0 ||
      get(bytes + 8 * kWords) != checksum(bytes)) {
    return std::nullopt;
  }
  LsnMark mark;
  mark.id.high = get(bytes + 8);
  mark.id.low = get(bytes + 16);
  mark.lsn = get(bytes + 24);
  mark.max_case_id = get(bytes + 32);
  return mark;
}

bool LsnRecord::open(const std::string& path) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  return fd_ >= 0;
}

void LsnRecord::write(const LsnMark& mark) {
  if (fd_ < 0) return;
  unsigned char bytes[kSize];
  std::memcpy(bytes, kMagic, 8);
  put(bytes + 8, mark.id.high);
  put(bytes + 16, mark.id.low);
  put(bytes + 24, mark.lsn);
  put(bytes + 32, mark.max_case_id);
  put(bytes + 8 * kWords, checksum(bytes));
  (void)!::pwrite(fd_, bytes, kSize, 0);
}

}  // namespace jszb::core
