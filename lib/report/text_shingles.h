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

// The names an address is made of: its runs of meaningful characters between
// digits and the words that only say which part or side of a place, or what
// kind of area ("号楼", "单元", "东门", "附近", "小区", "街道", "与"), of two
// characters or more. "望京西园三区5号楼" is {望京西园三区};
// "京顺路与石佛营路交叉口" is {京顺路, 石佛营路}.
std::vector<std::u32string> address_names(std::string_view address);

// A hash of a run of characters (the same as for shingles of its length).
std::uint64_t hash_chars(std::u32string_view chars);

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_TEXT_SHINGLES_H
