// UTF-8 validation: every string jszb stores must be well-formed UTF-8.
#ifndef JSZB_LIB_BASE_UTF8_H
#define JSZB_LIB_BASE_UTF8_H

#include <string_view>

namespace jszb::core {

// True when s is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s);

}  // namespace jszb::core

#endif  // JSZB_LIB_BASE_UTF8_H
