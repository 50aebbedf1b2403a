// What every fuzz target checks of the C ABI (jszb.h's rules at the top), and
// a reader that draws values from the fuzzer's bytes.
//
// A broken rule prints what broke and aborts: libFuzzer records the input as a
// crash, like a sanitizer finding.
#ifndef JSZB_TESTS_FUZZ_FUZZ_COMMON_H
#define JSZB_TESTS_FUZZ_FUZZ_COMMON_H

#include <dirent.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "jszb/jszb.h"

#define FUZZ_CHECK(cond)                                                                         \
  do {                                                                                           \
    if (!(cond)) {                                                                               \
      std::fprintf(stderr, "%s:%d: broken: %s (last error %d: %s)\n", __FILE__, __LINE__, #cond, \
                   jszb_error_last()->code, jszb_error_last()->message);                         \
      std::abort();                                                                              \
    }                                                                                            \
  } while (0)

namespace jszb_fuzz {

// Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
inline bool valid_utf8(const char* s, std::size_t n) {
  const auto* p = reinterpret_cast<const unsigned char*>(s);
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || i + len > n) return false;
    if (len == 2 && c < 0xC2) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
    }
    if (len == 3) {
      if (c == 0xE0 && p[i + 1] < 0xA0) return false;   // overlong
      if (c == 0xED && p[i + 1] >= 0xA0) return false;  // surrogates
    }
    if (len == 4) {
      if (c == 0xF0 && p[i + 1] < 0x90) return false;                 // overlong
      if (c > 0xF4 || (c == 0xF4 && p[i + 1] >= 0x90)) return false;  // past U+10FFFF
    }
    i += len;
  }
  return true;
}

inline bool valid_utf8(const char* s) { return s != nullptr && valid_utf8(s, std::strlen(s)); }

// A string the library hands out: NULL (where allowed) or valid UTF-8.
inline void check_string(const char* s, bool may_be_null) {
  if (s == nullptr) {
    FUZZ_CHECK(may_be_null);
    return;
  }
  FUZZ_CHECK(valid_utf8(s));
}

// rc is what a call returned. A failure must be one of jszb_code's values,
// never a bug of the library's own (JSZB_E_INTERNAL), and jszb_error_last()
// must describe it: the same code, a message of valid UTF-8 and at most 1 KiB.
inline int check_rc(int rc) {
  if (rc == JSZB_OK) return rc;
  FUZZ_CHECK(rc <= JSZB_E_INVALID && rc >= JSZB_E_VERSION);
  FUZZ_CHECK(rc != JSZB_E_INTERNAL);
  const jszb_error* e = jszb_error_last();
  FUZZ_CHECK(e != nullptr && e->code == rc && e->message != nullptr);
  std::size_t len = std::strlen(e->message);
  FUZZ_CHECK(len <= 1024);
  FUZZ_CHECK(valid_utf8(e->message, len));
  FUZZ_CHECK(jszb_code_name(rc) != nullptr);
  if (rc != JSZB_E_STATE && rc != JSZB_E_DENIED && rc != JSZB_E_REFUSED) {
    FUZZ_CHECK(e->state == 0 && e->command == 0 && e->refusal == 0);
  }
  return rc;
}

// A failed call leaves its outputs as they were: set them to this first.
template <class T>
T* poison_ptr() {
  return reinterpret_cast<T*>(static_cast<std::uintptr_t>(0x5a5a5a5a5a5a5a50ull));
}
constexpr std::uint64_t kPoison64 = 0x5a5a5a5a5a5a5a5aull;
constexpr std::size_t kPoisonSize = static_cast<std::size_t>(0x5a5a5a5a5a5a5a5aull);

// Removes the scratch directory and the files in it (at exit).
inline void remove_scratch_dir(const std::string& dir) {
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") unlink((dir + "/" + name).c_str());
    }
    closedir(d);
  }
  rmdir(dir.c_str());
}

// A directory of this process's own for files a target writes (a tmpfs when
// there is one: the store target rewrites its file on every run), removed at
// exit.
inline const std::string& scratch_dir() {
  static const std::string dir = [] {
    const char* base = std::getenv("JSZB_FUZZ_TMP");
    if (base == nullptr || *base == '\0')
      base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    std::string pattern = std::string(base) + "/jszb-fuzz-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    const char* made = mkdtemp(buf.data());
    if (made == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    return std::string(made);
  }();
  static const bool removed_at_exit = [] {
    return std::atexit([] { remove_scratch_dir(scratch_dir()); }) == 0;
  }();
  (void)removed_at_exit;
  return dir;
}

inline void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    std::perror(path.c_str());
    std::abort();
  }
  if (size > 0 && std::fwrite(data, 1, size, f) != size) {
    std::perror(path.c_str());
    std::abort();
  }
  std::fclose(f);
}

// Draws values from the fuzzer's bytes; past their end, zeros.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : p_(data), n_(size) {}

  bool done() const { return i_ >= n_; }
  std::size_t left() const { return done() ? 0 : n_ - i_; }

  std::uint8_t u8() { return i_ < n_ ? p_[i_++] : 0; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(u8() | (u8() << 8)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(u16()) | (std::uint32_t{u16()} << 16); }
  std::uint64_t u64() { return static_cast<std::uint64_t>(u32()) | (std::uint64_t{u32()} << 32); }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  double f64() {
    std::uint64_t bits = u64();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }

  // Up to n raw bytes (fewer at the end).
  std::string bytes(std::size_t n) {
    n = n < left() ? n : left();
    std::string s(reinterpret_cast<const char*>(p_ + i_), n);
    i_ += n;
    return s;
  }

 private:
  const std::uint8_t* p_;
  std::size_t n_;
  std::size_t i_ = 0;
};

}  // namespace jszb_fuzz

#endif  // JSZB_TESTS_FUZZ_FUZZ_COMMON_H
