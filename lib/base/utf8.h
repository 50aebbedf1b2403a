// UTF-8 validation: every string jszb stores must be well-formed UTF-8.
#ifndef JSZB_LIB_BASE_UTF8_H
#define JSZB_LIB_BASE_UTF8_H

#include <cstddef>
#include <string>
#include <string_view>

namespace jszb::core {

// True when s is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s);

// s as well-formed UTF-8 of at most max_bytes (>= 4): each ill-formed byte
// becomes U+FFFD, and a longer text is cut at a character and ends in "…".
// For messages that quote what a caller passed: they stay printable and small.
std::string bounded_utf8(std::string_view s, std::size_t max_bytes);

}  // namespace jszb::core

#endif  // JSZB_LIB_BASE_UTF8_H
