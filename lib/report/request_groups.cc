#include "report/request_groups.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "report/text_shingles.h"

namespace jszb::core {

namespace {

// How much each signal weighs in a pair's similarity. The place decides most:
// the same words about another estate are another matter, and one matter is
// told in words that share few characters. Without a place on both sides, the
// words must carry it.
constexpr double kPlaceWeight = 0.45;
constexpr double kWordsWithPlace = 0.3;
constexpr double kCategoryWithPlace = 0.25;
constexpr double kWordsAlone = 0.65;
constexpr double kCategoryAlone = 0.2;
// A pair sharing rare place shingles is compared when their places are at
// least this alike (weighted Jaccard).
constexpr double kPlaceCandidate = 0.3;

// A weighted set: shingle hashes ascending, each with its weight (how rare).
struct Weighted {
  std::vector<std::uint64_t> keys;
  std::vector<float> weights;
  double total = 0;
};

struct Features {
  Weighted words;
  Weighted place;
  std::uint64_t scope = 0;
  std::uint64_t category1 = 0;
  std::uint64_t category2 = 0;
};

std::uint64_t hash_text(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (unsigned char ch : s) h = (h ^ ch) * 0x100000001b3ULL;
  return mix64(h);
}

// The address without the district and street it was placed in: they say
// which area, not which place in it ("朝阳区安贞街道外馆" is "外馆").
std::string without_area(const GroupInput& in) {
  std::string address(in.address);
  auto erase = [&address](std::string_view name) {
    if (name.empty()) return;
    for (std::size_t at = address.find(name); at != std::string::npos; at = address.find(name)) {
      address.erase(at, name.size());
    }
  };
  erase(in.district);
  erase(in.street);
  for (std::string_view suffix : {"街道", "地区", "乡", "镇"}) {
    std::string_view s = in.street;
    if (s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix) {
      erase(s.substr(0, s.size() - suffix.size()));
    }
  }
  return address;
}

double weighted_jaccard(const Weighted& a, const Weighted& b) {
  double shared = 0;
  std::size_t i = 0, j = 0;
  while (i < a.keys.size() && j < b.keys.size()) {
    if (a.keys[i] < b.keys[j]) {
      ++i;
    } else if (b.keys[j] < a.keys[i]) {
      ++j;
    } else {
      shared += a.weights[i];
      ++i;
      ++j;
    }
  }
  double all = a.total + b.total - shared;
  return all > 0 ? shared / all : 0.0;
}

double category_agreement(const Features& a, const Features& b) {
  if (a.category1 != b.category1) return 0.0;
  return a.category2 == b.category2 ? 1.0 : 0.5;
}

double similarity(const Features& a, const Features& b) {
  if (a.scope != b.scope) return 0.0;
  double words = weighted_jaccard(a.words, b.words);
  double category = category_agreement(a, b);
  if (a.place.keys.empty() || b.place.keys.empty()) {
    return kWordsAlone * words + kCategoryAlone * category;
  }
  return kPlaceWeight * weighted_jaccard(a.place, b.place) + kWordsWithPlace * words +
         kCategoryWithPlace * category;
}

// How many requests have each shingle.
using Counts = absl::flat_hash_map<std::uint64_t, std::uint32_t>;

// The shingles that say something (not in too many requests), weighted by
// their inverse document frequency.
Weighted weigh(const std::vector<std::uint64_t>& keys, const Counts& df, double n, double common) {
  Weighted w;
  for (std::uint64_t k : keys) {
    auto it = df.find(k);
    double count = it == df.end() ? 1.0 : it->second;
    if (count > common) continue;
    w.keys.push_back(k);
    float weight = static_cast<float>(std::log(1.0 + n / count));
    w.weights.push_back(weight);
    w.total += weight;
  }
  return w;
}

std::vector<Features> describe(const std::vector<GroupInput>& requests, const GroupOptions& o) {
  const std::size_t n = requests.size();
  std::vector<std::vector<std::uint64_t>> words(n), places(n);
  absl::flat_hash_set<std::uint64_t> address_vocabulary;
  for (std::size_t r = 0; r < n; ++r) {
    words[r] = shingles(requests[r].text, 2);
    places[r] = address_shingles(without_area(requests[r]), 2);
    address_vocabulary.insert(places[r].begin(), places[r].end());
  }
  // The places the text names: its shingles that some address has.
  Counts word_df, place_df;
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<std::uint64_t> named;
    for (std::uint64_t s : words[r]) {
      if (address_vocabulary.contains(s)) named.push_back(s);
    }
    std::vector<std::uint64_t> all;
    std::set_union(places[r].begin(), places[r].end(), named.begin(), named.end(),
                   std::back_inserter(all));
    places[r] = std::move(all);
    for (std::uint64_t s : words[r]) ++word_df[s];
    for (std::uint64_t s : places[r]) ++place_df[s];
  }
  const double total = static_cast<double>(n);
  const double common =
      std::max(o.max_common * total, static_cast<double>(std::max<std::size_t>(o.common_floor, 1)));
  std::vector<Features> out(n);
  for (std::size_t r = 0; r < n; ++r) {
    Features& f = out[r];
    f.words = weigh(words[r], word_df, total, common);
    f.place = weigh(places[r], place_df, total, common);
    f.scope = hash_text(requests[r].scope);
    f.category1 = hash_text(requests[r].category1);
    f.category2 = hash_text(requests[r].category2);
  }
  return out;
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

// Two requests at least the threshold alike.
struct Link {
  std::uint32_t a;
  std::uint32_t b;
  float similarity;
};

// The likely pairs, each compared once, and the links among them.
class PairFinder {
 public:
  PairFinder(const std::vector<Features>& f, double threshold) : f_(f), threshold_(threshold) {}

  std::vector<Link> take_links() { return std::move(links_); }

  // Pairs that share rare place shingles: an inverted index, the shared
  // weight summed per pair.
  void by_place() {
    absl::flat_hash_map<std::uint64_t, std::vector<std::uint32_t>> postings;
    for (std::size_t r = 0; r < f_.size(); ++r) {
      for (std::uint64_t k : f_[r].place.keys) postings[k].push_back(static_cast<std::uint32_t>(r));
    }
    std::vector<double> shared(f_.size(), 0.0);
    std::vector<std::uint32_t> touched;
    for (std::size_t r = 0; r < f_.size(); ++r) {
      const Weighted& p = f_[r].place;
      for (std::size_t i = 0; i < p.keys.size(); ++i) {
        for (std::uint32_t other : postings[p.keys[i]]) {
          if (other <= r) continue;
          if (shared[other] == 0.0) touched.push_back(other);
          shared[other] += p.weights[i];
        }
      }
      for (std::uint32_t other : touched) {
        double all = p.total + f_[other].place.total - shared[other];
        if (all > 0 && shared[other] / all >= kPlaceCandidate) consider(r, other);
        shared[other] = 0.0;
      }
      touched.clear();
    }
  }

  // Pairs alike in their words: MinHash signatures banded into buckets.
  void by_words(int bands, int rows) {
    const std::size_t width = static_cast<std::size_t>(bands * rows);
    const std::size_t n = f_.size();
    std::vector<std::uint64_t> seeds(width);
    for (std::size_t i = 0; i < width; ++i) seeds[i] = mix64(0x6a737a62ULL + i);
    std::vector<std::uint64_t> sig(n * width, std::numeric_limits<std::uint64_t>::max());
    for (std::size_t r = 0; r < n; ++r) {
      std::uint64_t* row = &sig[r * width];
      for (std::uint64_t s : f_[r].words.keys) {
        for (std::size_t i = 0; i < width; ++i) row[i] = std::min(row[i], mix64(s ^ seeds[i]));
      }
    }
    for (int b = 0; b < bands; ++b) {
      absl::flat_hash_map<std::uint64_t, std::vector<std::uint32_t>> buckets;
      for (std::size_t r = 0; r < n; ++r) {
        if (f_[r].words.keys.empty()) continue;
        std::uint64_t key = mix64(f_[r].scope ^ static_cast<std::uint64_t>(b));
        for (int j = 0; j < rows; ++j) {
          key = mix64(key ^ sig[r * width + static_cast<std::size_t>(b * rows + j)]);
        }
        buckets[key].push_back(static_cast<std::uint32_t>(r));
      }
      for (const auto& [key, members] : buckets) {
        for (std::size_t i = 1; i < members.size(); ++i) {
          for (std::size_t j = 0; j < i; ++j) consider(members[j], members[i]);
        }
      }
    }
  }

 private:
  void consider(std::size_t a, std::size_t b) {
    if (a == b || f_[a].scope != f_[b].scope) return;
    std::uint64_t key = (static_cast<std::uint64_t>(std::min(a, b)) << 32) | std::max(a, b);
    if (!seen_.insert(key).second) return;
    double s = similarity(f_[a], f_[b]);
    if (s >= threshold_) {
      links_.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b),
                        static_cast<float>(s)});
    }
  }

  const std::vector<Features>& f_;
  double threshold_;
  absl::flat_hash_set<std::uint64_t> seen_;
  std::vector<Link> links_;
};

// Distinct values, most frequent first (ties: by value).
std::vector<std::string> by_frequency(const std::vector<std::string>& values) {
  absl::flat_hash_map<std::string, std::size_t> counts;
  for (const std::string& v : values) {
    if (!v.empty()) ++counts[v];
  }
  std::vector<std::pair<std::string, std::size_t>> sorted(counts.begin(), counts.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<std::string> out;
  for (auto& [v, count] : sorted) out.push_back(v);
  return out;
}

// One group from the members of a cluster (indexes into requests) and their
// similarities.
RequestGroup make_group(const std::vector<GroupInput>& requests, const std::vector<Features>& f,
                        const std::vector<std::size_t>& members) {
  RequestGroup g;
  double best = -1;
  std::vector<std::string> streets, categories;
  for (std::size_t a : members) {
    double sum = 0;
    for (std::size_t b : members) {
      if (a != b) sum += similarity(f[a], f[b]);
    }
    const GroupInput& in = requests[a];
    if (sum > best || (sum == best && in.id < g.representative)) {
      best = sum;
      g.representative = in.id;
    }
    g.cases.push_back(in.id);
    streets.emplace_back(in.street);
    std::string category(in.category1);
    if (!in.category2.empty()) category += "/" + std::string(in.category2);
    categories.push_back(std::move(category));
  }
  std::sort(g.cases.begin(), g.cases.end());
  g.streets = by_frequency(streets);
  g.categories = by_frequency(categories);
  return g;
}

// How many of a cluster's best-linked requests make its core.
constexpr std::size_t kCoreSize = 7;

// Splits the linked requests still open into connected components (single
// linkage), then keeps of each component of at least min_size the requests
// that are, on average, at least `threshold` alike with its core (its
// requests with the strongest links): a chain of look-alikes hanging off a
// matter is cut where it stops resembling the matter. Returns the clusters
// kept; their requests are closed.
std::vector<std::vector<std::size_t>> one_pass(const std::vector<Features>& f,
                                               const std::vector<Link>& links,
                                               std::vector<char>& open, std::size_t min_size,
                                               double threshold) {
  const std::size_t n = f.size();
  UnionFind components(n);
  std::vector<double> strength(n, 0.0);
  for (const Link& l : links) {
    if (!open[l.a] || !open[l.b]) continue;
    components.join(l.a, l.b);
    strength[l.a] += l.similarity;
    strength[l.b] += l.similarity;
  }
  absl::flat_hash_map<std::size_t, std::vector<std::size_t>> by_root;
  for (std::size_t r = 0; r < n; ++r) {
    if (open[r] && strength[r] > 0) by_root[components.find(r)].push_back(r);
  }
  std::vector<std::vector<std::size_t>> out;
  for (auto& [root, members] : by_root) {
    if (members.size() < min_size) continue;
    std::vector<std::size_t> core = members;
    std::size_t k = std::min(kCoreSize, core.size());
    std::partial_sort(core.begin(), core.begin() + static_cast<std::ptrdiff_t>(k), core.end(),
                      [&](std::size_t a, std::size_t b) {
                        return strength[a] != strength[b] ? strength[a] > strength[b] : a < b;
                      });
    core.resize(k);
    std::vector<std::size_t> kept;
    for (std::size_t m : members) {
      double sum = 0;
      std::size_t count = 0;
      for (std::size_t c : core) {
        if (c == m) continue;
        sum += similarity(f[m], f[c]);
        ++count;
      }
      if (count > 0 && sum / static_cast<double>(count) >= threshold) kept.push_back(m);
    }
    if (kept.size() < min_size) continue;
    for (std::size_t m : kept) open[m] = 0;
    out.push_back(std::move(kept));
  }
  return out;
}

}  // namespace

std::vector<RequestGroup> find_groups(const std::vector<GroupInput>& requests,
                                      const GroupOptions& options) {
  const std::size_t n = requests.size();
  const std::size_t min_size = std::max<std::size_t>(options.min_size, 2);
  const std::vector<Features> f = describe(requests, options);
  PairFinder pairs(f, options.min_similarity);
  pairs.by_place();
  pairs.by_words(std::max(1, options.bands), std::max(1, options.rows));
  const std::vector<Link> links = pairs.take_links();

  // A few passes: what one pass cuts off a matter may be a matter of its own.
  std::vector<char> open(n, 1);
  std::vector<RequestGroup> out;
  for (int pass = 0; pass < 3; ++pass) {
    std::vector<std::vector<std::size_t>> clusters =
        one_pass(f, links, open, min_size, options.min_similarity);
    if (clusters.empty()) break;
    for (const std::vector<std::size_t>& c : clusters) out.push_back(make_group(requests, f, c));
  }
  std::sort(out.begin(), out.end(), [](const RequestGroup& a, const RequestGroup& b) {
    if (a.cases.size() != b.cases.size()) return a.cases.size() > b.cases.size();
    return a.cases.front() < b.cases.front();
  });
  return out;
}

}  // namespace jszb::core
