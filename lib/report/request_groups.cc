#include "report/request_groups.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "absl/container/flat_hash_map.h"

namespace jszb::core {

namespace {

// A fixed mix (splitmix64's finaliser): the same text gives the same groups in
// every process, which a seeded hash would not.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

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

// The characters that carry meaning: CJK ideographs, letters and digits
// (full-width ones folded to ASCII, letters to lower case). Punctuation and
// spaces say nothing about the matter.
bool meaningful(char32_t& c) {
  if (c >= 0xFF10 && c <= 0xFF5A) c -= 0xFEE0;  // full-width digits and letters
  if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF);
}

std::uint64_t hash_text(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (unsigned char ch : s) h = (h ^ ch) * 0x100000001b3ULL;
  return mix(h);
}

struct UnionFind {
  std::vector<std::size_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::size_t find(std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void join(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

}  // namespace

std::vector<std::uint64_t> shingles(std::string_view text, int k) {
  std::vector<char32_t> chars;
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = next_code_point(text, i);
    if (meaningful(c)) chars.push_back(c);
  }
  std::vector<std::uint64_t> out;
  if (chars.empty()) return out;
  std::size_t n = static_cast<std::size_t>(std::max(1, k));
  if (chars.size() < n) n = chars.size();
  for (std::size_t i = 0; i + n <= chars.size(); ++i) {
    std::uint64_t h = 0;
    for (std::size_t j = 0; j < n; ++j) h = mix(h ^ chars[i + j]);
    out.push_back(h);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<RequestGroup> find_groups(const std::vector<GroupInput>& requests,
                                      const GroupOptions& options) {
  const int bands = std::max(1, options.bands);
  const int rows = std::max(1, options.rows);
  const std::size_t width = static_cast<std::size_t>(bands * rows);
  const std::size_t n = requests.size();

  // MinHash signatures: for each of `width` hash functions, the least hash of
  // the request's shingles. Two signatures agree at a position with the
  // probability that is the two shingle sets' Jaccard similarity.
  std::vector<std::uint64_t> seeds(width);
  for (std::size_t i = 0; i < width; ++i) seeds[i] = mix(0x6a737a62ULL + i);
  std::vector<std::vector<std::uint64_t>> sets(n);
  absl::flat_hash_map<std::uint64_t, std::uint32_t> requests_with;
  for (std::size_t r = 0; r < n; ++r) {
    sets[r] = shingles(requests[r].text, options.shingle);
    for (std::uint64_t s : sets[r]) ++requests_with[s];
  }
  const double common = std::max(options.max_common * static_cast<double>(n),
                                 static_cast<double>(options.common_floor));
  std::vector<std::uint64_t> sig(n * width, std::numeric_limits<std::uint64_t>::max());
  std::vector<std::uint64_t> scope(n);  // area and category: requests compare only within
  for (std::size_t r = 0; r < n; ++r) {
    scope[r] = mix(hash_text(requests[r].area) ^ (hash_text(requests[r].category) << 1));
    std::vector<std::uint64_t> telling;
    for (std::uint64_t s : sets[r]) {
      if (requests_with[s] <= common) telling.push_back(s);
    }
    // A request made only of common words is compared by all of them.
    const std::vector<std::uint64_t>& use = telling.empty() ? sets[r] : telling;
    std::uint64_t* row = &sig[r * width];
    for (std::uint64_t s : use) {
      for (std::size_t i = 0; i < width; ++i) row[i] = std::min(row[i], mix(s ^ seeds[i]));
    }
  }
  auto similarity = [&](std::size_t a, std::size_t b) {
    std::size_t same = 0;
    for (std::size_t i = 0; i < width; ++i) same += sig[a * width + i] == sig[b * width + i];
    return static_cast<double>(same) / static_cast<double>(width);
  };

  // LSH: requests whose signatures agree on a whole band (and share a scope)
  // land in one bucket; only those are compared.
  UnionFind groups(n);
  for (int b = 0; b < bands; ++b) {
    absl::flat_hash_map<std::uint64_t, std::vector<std::size_t>> buckets;
    for (std::size_t r = 0; r < n; ++r) {
      std::uint64_t key = mix(scope[r] ^ static_cast<std::uint64_t>(b));
      for (int j = 0; j < rows; ++j)
        key = mix(key ^ sig[r * width + static_cast<std::size_t>(b * rows + j)]);
      buckets[key].push_back(r);
    }
    for (const auto& [key, members] : buckets) {
      for (std::size_t i = 1; i < members.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (groups.find(members[i]) == groups.find(members[j])) continue;
          if (scope[members[i]] != scope[members[j]]) continue;  // a hash collision
          if (similarity(members[i], members[j]) >= options.min_similarity) {
            groups.join(members[i], members[j]);
          }
        }
      }
    }
  }

  absl::flat_hash_map<std::size_t, std::vector<std::size_t>> by_root;
  for (std::size_t r = 0; r < n; ++r) by_root[groups.find(r)].push_back(r);
  std::vector<RequestGroup> out;
  for (auto& [root, members] : by_root) {
    if (members.size() < std::max<std::size_t>(options.min_size, 2)) continue;
    RequestGroup g;
    // The representative: the request most like the others (ties: smallest id).
    double best = -1;
    for (std::size_t a : members) {
      double sum = 0;
      for (std::size_t b : members) {
        if (a != b) sum += similarity(a, b);
      }
      CaseId id = requests[a].id;
      if (sum > best || (sum == best && id < g.representative)) {
        best = sum;
        g.representative = id;
      }
      g.cases.push_back(id);
    }
    std::sort(g.cases.begin(), g.cases.end());
    out.push_back(std::move(g));
  }
  std::sort(out.begin(), out.end(), [](const RequestGroup& a, const RequestGroup& b) {
    if (a.cases.size() != b.cases.size()) return a.cases.size() > b.cases.size();
    return a.cases.front() < b.cases.front();
  });
  return out;
}

}  // namespace jszb::core
