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

// What separates the names in an address: building and door numbers, the
// words that say which part of a place ("号楼", "单元", "东门"), where ("附近",
// "对面") or what kind of area ("小区", "街道"), and "与" between two roads.
// Characters such as 路, 街, 区 stay: they belong to names (京顺路, 后街,
// 望京西园三区, 五路居).
constexpr std::u32string_view kBoundaryChars = U"号层室与旁";
constexpr std::u32string_view kBoundaryWords[] = {U"交叉口", U"小区", U"社区", U"号楼", U"单元",
                                                  U"街道",   U"地区", U"路口", U"附近", U"对面"};
// Sides of a place: boundaries but after a single character, where they end
// a name ("外馆东门" is 外馆, "7号楼东门" no name; the estate 西北门 is itself).
constexpr std::u32string_view kSideWords[] = {U"东门", U"西门", U"南门", U"北门", U"东侧",
                                              U"西侧", U"南侧", U"北侧", U"门口", U"楼下"};

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
  const std::u32string chars = meaningful_chars(text);
  std::vector<std::uint64_t> out;
  if (chars.empty()) return out;
  std::size_t n = static_cast<std::size_t>(std::max(1, k));
  if (chars.size() < n) n = chars.size();
  for (std::size_t i = 0; i + n <= chars.size(); ++i) {
    out.push_back(hash_chars(std::u32string_view(chars).substr(i, n)));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::u32string> address_names(std::string_view address) {
  std::u32string chars = meaningful_chars(address);
  for (std::u32string_view word : kBoundaryWords) {
    for (std::size_t at = chars.find(word); at != std::u32string::npos;
         at = chars.find(word, at + word.size())) {
      chars.replace(at, word.size(), word.size(), U'0');
    }
  }
  auto is_boundary = [](char32_t c) {
    return is_digit(c) || kBoundaryChars.find(c) != std::u32string_view::npos;
  };
  for (std::u32string_view word : kSideWords) {
    for (std::size_t at = chars.find(word); at != std::u32string::npos;
         at = chars.find(word, at + word.size())) {
      bool one_before =
          at >= 1 && !is_boundary(chars[at - 1]) && (at == 1 || is_boundary(chars[at - 2]));
      if (!one_before) chars.replace(at, word.size(), word.size(), U'0');
    }
  }
  std::vector<std::u32string> out;
  std::u32string run;
  auto flush = [&] {
    if (run.size() >= 2) out.push_back(run);
    run.clear();
  };
  for (char32_t c : chars) {
    if (is_boundary(c)) {
      flush();
    } else {
      run.push_back(c);
    }
  }
  flush();
  return out;
}

std::uint64_t hash_chars(std::u32string_view chars) {
  std::uint64_t h = 0;
  for (char32_t c : chars) h = mix64(h ^ c);
  return h;
}

}  // namespace jszb::core
