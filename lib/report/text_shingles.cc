#include "report/text_shingles.h"

#include <algorithm>
#include <cstddef>

namespace jszb::core {

namespace {

// The next code point of well-formed UTF-8 (jszb validates every text it
// keeps); a stray byte is taken as itself.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int extra = b < 0x80 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
  if (b >= 0x80 && b < 0xC0) extra = 0;
  char32_t cp = extra == 0 ? b : b & (0x3F >> extra);
  ++i;
  for (int k = 0; k < extra && i < s.size(); ++k, ++i) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  }
  return cp;
}

// CJK ideographs, letters and digits carry meaning; the folding makes "Ａ"
// and "a", "５" and "5" the same character.
bool fold_meaningful(char32_t& c) {
  if (c >= 0xFF10 && c <= 0xFF5A) c -= 0xFEE0;  // full-width digits and letters
  if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF);
}

bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }

// Characters that end a name in an address (区, 号, 楼, 路, 街, 道, 门, ...):
// shingles do not cross them. Two-character words are boundaries as a whole.
constexpr std::u32string_view kBoundaryChars = U"区号楼栋单元层室路街道巷门口旁与和";
constexpr std::u32string_view kBoundaryWords[] = {U"小区", U"社区", U"附近", U"交叉", U"对面"};

std::vector<std::uint64_t> hash_runs(const std::u32string& chars, int k, bool skip_digits) {
  std::vector<std::uint64_t> out;
  if (chars.empty()) return out;
  std::size_t n = static_cast<std::size_t>(std::max(1, k));
  if (chars.size() < n) n = chars.size();
  for (std::size_t i = 0; i + n <= chars.size(); ++i) {
    std::uint64_t h = 0;
    bool digit = false;
    for (std::size_t j = 0; j < n; ++j) {
      digit = digit || is_digit(chars[i + j]);
      h = mix64(h ^ chars[i + j]);
    }
    if (!(skip_digits && digit)) out.push_back(h);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::u32string meaningful_chars(std::string_view text) {
  std::u32string chars;
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = next_code_point(text, i);
    if (fold_meaningful(c)) chars.push_back(c);
  }
  return chars;
}

std::vector<std::uint64_t> shingles(std::string_view text, int k) {
  return hash_runs(meaningful_chars(text), k, false);
}

std::vector<std::uint64_t> address_shingles(std::string_view address, int k) {
  // Boundaries become '0', a digit: hash_runs leaves out any run holding one.
  std::u32string chars = meaningful_chars(address);
  for (std::u32string_view word : kBoundaryWords) {
    for (std::size_t at = chars.find(word); at != std::u32string::npos;
         at = chars.find(word, at + word.size())) {
      chars.replace(at, word.size(), word.size(), U'0');
    }
  }
  for (char32_t& c : chars) {
    if (kBoundaryChars.find(c) != std::u32string_view::npos) c = U'0';
  }
  return hash_runs(chars, k, true);
}

}  // namespace jszb::core
