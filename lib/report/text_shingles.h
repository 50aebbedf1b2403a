// Text as sets of character shingles, the only way jszb compares what people
// wrote: no external model, Chinese compared as it is written. A shingle is a
// run of `k` meaningful characters (CJK ideographs, letters, digits; full-width
// forms folded to ASCII, letters to lower case), hashed to 64 bits with a fixed
// mix, so that the same text gives the same shingles in every process.
#ifndef JSZB_LIB_REPORT_TEXT_SHINGLES_H
#define JSZB_LIB_REPORT_TEXT_SHINGLES_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jszb::core {

// splitmix64's finaliser: a fixed 64-bit mix.
std::uint64_t mix64(std::uint64_t x);

// The meaningful characters of well-formed UTF-8 text, folded; punctuation,
// spaces and symbols are dropped (a stray byte is taken as itself).
std::u32string meaningful_chars(std::string_view text);

// The distinct shingles of `k` characters, hashed, ascending. A text shorter
// than k gives one shingle of all it has; an empty one, none.
std::vector<std::uint64_t> shingles(std::string_view text, int k);

// The distinct shingles of `k` characters of an address, ascending, none
// crossing a digit or the words that only say what kind of place follows or
// precedes ("区", "街道", "小区", "号楼", "路", "门", "附近"): "望京西园三区5号楼"
// and "朝阳区望京街道望京西园三区" share all of the estate's shingles and
// add none that straddle two names.
std::vector<std::uint64_t> address_shingles(std::string_view address, int k);

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_TEXT_SHINGLES_H
