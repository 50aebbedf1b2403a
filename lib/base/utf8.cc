#include "base/utf8.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace jszb::core {

// Checks the well-formed byte sequences of the Unicode standard (Table 3-7).
// Branchy on purpose: the branches are predictable on real text (runs of ASCII,
// runs of 3-byte CJK), and measured about twice as fast here as a table-driven
// automaton, whose every step waits for the previous one.
bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      // Runs of ASCII (ids, phone numbers), eight bytes at a time.
      while (i + 8 <= n) {
        std::uint64_t word;
        std::memcpy(&word, p + i, 8);
        if (word & 0x8080808080808080u) break;
        i += 8;
      }
      while (i < n && p[i] < 0x80) ++i;
      continue;
    }
    // Most Chinese text: E1..EC, EE, EF and two continuation bytes of any value.
    if (c >= 0xE1 && c <= 0xEF && c != 0xED) {
      if (i + 3 > n || (p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80) return false;
      i += 3;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c == 0xE0) {
      len = 3;
      lo = 0xA0;  // no overlongs
    } else if (c == 0xED) {
      len = 3;
      hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // no overlongs
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return false;  // a continuation byte out of place, C0, C1, F5..FF
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

std::string bounded_utf8(std::string_view s, std::size_t max_bytes) {
  constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // …
  std::string out;
  out.reserve(s.size() < max_bytes ? s.size() : max_bytes + 4);
  for (std::size_t i = 0; i < s.size() && out.size() <= max_bytes;) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::string_view piece = s.substr(i, len);
    if (is_valid_utf8(piece)) {
      out += piece;
      i += len;
    } else {
      out += kReplacement;
      i += 1;
    }
  }
  if (out.size() <= max_bytes) return out;
  // Too long: drop whole characters from the end until the ellipsis fits.
  while (!out.empty() && out.size() + kEllipsis.size() > max_bytes) {
    while ((static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    out.pop_back();
  }
  return out += kEllipsis;
}

}  // namespace jszb::core
