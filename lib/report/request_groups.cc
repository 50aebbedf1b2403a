#include "report/request_groups.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "report/group_features.h"
#include "report/text_shingles.h"

namespace jszb::core {

namespace {

// Two requests are at the same place when the names of the one with fewer
// are, by weight, at least this much among the other's: "外馆3号楼" and
// "朝阳区安贞街道外馆" are (the area is left out), "小武基路195号优思美容" and
// "优思美容" are, "西坝河中里" and "西坝河东里" are not, nor "A路与B路" and "A路与C路".
constexpr double kSamePlace = 0.8;
// Two parts of one matter filed under different categories at one place
// tell it in the same words: their word profiles' cosine is at least this
// (half as much under the same level 1, 交通管理/停车管理 and 交通管理/违章停车).
// An everyday request about something else at the same estate is not.
constexpr double kSameWords = 0.3;
// A request that names no place joins the group whose words it shares most,
// if at least this much and clearly more than any other group's. Its street
// counts too: a group most of whose requests come from the request's street
// gains up to kStreetBonus.
constexpr double kJoinWords = 0.3;
constexpr double kStreetBonus = 0.5;
constexpr double kClearlyMore = 1.5;
// Requests that name no place group by their words alone when their shingle
// sets are this alike (weighted Jaccard).
constexpr double kWordsAlone = 0.35;
// Words are compared only where enough is said that is not common (of a
// request, or of a group's profile): a few rare shingles (where a stock
// phrase meets a place) match by chance.
constexpr std::size_t kMinTellingWords = 8;
// A request stays in its place's group if its words' cosine with the group's
// word profile is at least this: a matter told 5 ways is about 0.45; an odd
// request that came in on the same place and category shares next to nothing.
// (Many different problems at one place under one category, each told once,
// still make a group: about 1/sqrt(n) each. The bulletin shows them as the
// place's group, which is what a district calls the estate about.)
constexpr double kOnTheSubject = 0.1;
// A group that draws unplaced requests has at least this many placed ones.
constexpr std::size_t kMinAnchor = 3;
// LSH buckets larger than this are the same template said again and again,
// not one matter: their pairs are not compared.
constexpr std::size_t kMaxBucket = 400;

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

bool same_category(const Features& a, const Features& b) {
  return a.category1 == b.category1 && a.category2 == b.category2;
}

// Pairs of requests in one scope at the same place: an inverted index of the
// places' shingles, the shared weight summed per pair.
std::vector<std::pair<std::uint32_t, std::uint32_t>> same_place_pairs(
    const std::vector<Features>& f) {
  absl::flat_hash_map<std::uint64_t, std::vector<std::uint32_t>> postings;
  for (std::size_t r = 0; r < f.size(); ++r) {
    for (std::uint64_t k : f[r].place.keys) postings[k].push_back(static_cast<std::uint32_t>(r));
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  std::vector<double> shared(f.size(), 0.0);
  std::vector<std::uint32_t> touched;
  for (std::size_t r = 0; r < f.size(); ++r) {
    const Weighted& p = f[r].place;
    for (std::size_t i = 0; i < p.keys.size(); ++i) {
      for (std::uint32_t other : postings[p.keys[i]]) {
        if (other <= r) continue;
        if (shared[other] == 0.0) touched.push_back(other);
        shared[other] += p.weights[i];
      }
    }
    for (std::uint32_t other : touched) {
      double least = std::min(p.total, f[other].place.total);
      if (f[r].scope == f[other].scope && least > 0 && shared[other] / least >= kSamePlace) {
        out.emplace_back(static_cast<std::uint32_t>(r), other);
      }
      shared[other] = 0.0;
    }
    touched.clear();
  }
  return out;
}

// Requests (of `which`) likely alike in their words: MinHash signatures over
// the words, banded; each bucket of 2 to kMaxBucket requests of one scope.
std::vector<std::vector<std::uint32_t>> word_buckets(const std::vector<Features>& f,
                                                     const std::vector<std::uint32_t>& which,
                                                     int bands, int rows) {
  const std::size_t width = static_cast<std::size_t>(bands * rows);
  std::vector<std::uint64_t> seeds(width);
  for (std::size_t i = 0; i < width; ++i) seeds[i] = mix64(0x6a737a62ULL + i);
  std::vector<std::uint64_t> sig(which.size() * width, std::numeric_limits<std::uint64_t>::max());
  for (std::size_t w = 0; w < which.size(); ++w) {
    std::uint64_t* row = &sig[w * width];
    for (std::uint64_t s : f[which[w]].words.keys) {
      for (std::size_t i = 0; i < width; ++i) row[i] = std::min(row[i], mix64(s ^ seeds[i]));
    }
  }
  std::vector<std::vector<std::uint32_t>> out;
  for (int b = 0; b < bands; ++b) {
    absl::flat_hash_map<std::uint64_t, std::vector<std::uint32_t>> buckets;
    for (std::size_t w = 0; w < which.size(); ++w) {
      if (f[which[w]].words.keys.empty()) continue;
      std::uint64_t key = mix64(f[which[w]].scope ^ static_cast<std::uint64_t>(b));
      for (int j = 0; j < rows; ++j) {
        key = mix64(key ^ sig[w * width + static_cast<std::size_t>(b * rows + j)]);
      }
      buckets[key].push_back(which[w]);
    }
    for (auto& [key, members] : buckets) {
      if (members.size() >= 2 && members.size() <= kMaxBucket) out.push_back(std::move(members));
    }
  }
  return out;
}

// Clusters as lists of request indexes, by root.
std::vector<std::vector<std::size_t>> clusters_of(UnionFind& uf, const std::vector<char>& in) {
  absl::flat_hash_map<std::size_t, std::size_t> slot;
  std::vector<std::vector<std::size_t>> out;
  for (std::size_t r = 0; r < uf.parent.size(); ++r) {
    if (!in[r]) continue;
    auto [it, fresh] = slot.try_emplace(uf.find(r), out.size());
    if (fresh) out.emplace_back();
    out[it->second].push_back(r);
  }
  return out;
}

Weighted words_profile(const std::vector<Features>& f, const std::vector<std::size_t>& members) {
  std::vector<const Weighted*> sets;
  sets.reserve(members.size());
  for (std::size_t m : members) sets.push_back(&f[m].words);
  return sum_of(sets);
}

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
  const Weighted profile = words_profile(f, members);
  double best = -1;
  std::vector<std::string> streets, categories;
  for (std::size_t a : members) {
    double sum = cosine(f[a].words, profile);
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

// The members of a cluster whose words' cosine with its profile is at least
// `threshold`.
std::vector<std::size_t> on_the_subject(const std::vector<Features>& f,
                                        const std::vector<std::size_t>& cluster, double threshold) {
  Weighted p = words_profile(f, cluster);
  std::vector<std::size_t> kept;
  for (std::size_t m : cluster) {
    if (cosine(f[m].words, p) >= threshold) kept.push_back(m);
  }
  return kept;
}

// The batch being grouped: its requests, what is known of them, which name a
// place, and the groups so far (a union-find over the requests).
struct Batch {
  const std::vector<GroupInput>& requests;
  const std::vector<Features>& f;
  std::vector<char> placed;
  UnionFind uf;
  Batch(const std::vector<GroupInput>& r, const std::vector<Features>& features)
      : requests(r), f(features), placed(r.size()), uf(r.size()) {
    for (std::size_t i = 0; i < r.size(); ++i) placed[i] = !f[i].place.keys.empty();
  }
};

// Step 2: groups at one place under other categories join when told in the
// same words, the closest pairs first; each merge is checked against the
// groups as they have grown, so that no chain of near pairs joins an
// estate's unrelated problems.
void join_categories_at_place(Batch& b,
                              const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs) {
  const std::vector<Features>& f = b.f;
  std::vector<std::vector<std::size_t>> cores = clusters_of(b.uf, b.placed);
  std::vector<std::size_t> core_of(f.size(), 0);
  std::vector<Weighted> profile(cores.size());
  for (std::size_t c = 0; c < cores.size(); ++c) {
    for (std::size_t m : cores[c]) core_of[m] = c;
    profile[c] = words_profile(f, cores[c]);
  }
  auto alike = [&](std::size_t ca, std::size_t cb, std::size_t pa, std::size_t pb) {
    if (profile[pa].keys.size() < kMinTellingWords || profile[pb].keys.size() < kMinTellingWords) {
      return 0.0;  // too little said to tell
    }
    double c = cosine(profile[pa], profile[pb]);
    return f[cores[ca].front()].category1 == f[cores[cb].front()].category1 ? 2 * c : c;
  };
  absl::flat_hash_set<std::uint64_t> compared;
  std::vector<std::tuple<double, std::size_t, std::size_t>> near;
  for (const auto& [a, c] : pairs) {
    std::size_t ca = std::min(core_of[a], core_of[c]), cb = std::max(core_of[a], core_of[c]);
    if (ca == cb || same_category(f[a], f[c])) continue;
    if (!compared.insert((static_cast<std::uint64_t>(ca) << 32) | cb).second) continue;
    double similar = alike(ca, cb, ca, cb);
    if (similar >= kSameWords) near.emplace_back(similar, ca, cb);
  }
  std::sort(near.begin(), near.end(), std::greater<>());
  UnionFind merged(cores.size());
  for (const auto& [similar, ca, cb] : near) {
    std::size_t ra = merged.find(ca), rb = merged.find(cb);
    if (ra == rb || alike(ca, cb, ra, rb) < kSameWords) continue;
    merged.join(ra, rb);
    std::size_t root = merged.find(ra), other = root == ra ? rb : ra;
    profile[root] = sum_of({&profile[root], &profile[other]});
    b.uf.join(cores[ca].front(), cores[cb].front());
  }
}

// Step 3: a request that names no place joins the group it shares the most
// words with, if it clearly does: compared with every group of its scope
// that has requests of its category, so that two matters told alike (one
// problem at two estates) leave it where it is. Returns which joined.
std::vector<char> join_unplaced(Batch& b) {
  const std::vector<Features>& f = b.f;
  std::vector<std::vector<std::size_t>> groups = clusters_of(b.uf, b.placed);
  std::vector<Weighted> profile(groups.size());
  std::vector<absl::flat_hash_map<std::string_view, double>> street_share(groups.size());
  absl::flat_hash_map<std::pair<std::uint64_t, std::uint64_t>, std::vector<std::size_t>> by_kind;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].size() < kMinAnchor) continue;
    profile[g] = words_profile(f, groups[g]);
    absl::flat_hash_set<std::uint64_t> categories;
    for (std::size_t m : groups[g]) {
      street_share[g][b.requests[m].street] += 1.0 / static_cast<double>(groups[g].size());
      categories.insert(f[m].category1);
    }
    for (std::uint64_t c : categories) by_kind[{f[groups[g].front()].scope, c}].push_back(g);
  }
  std::vector<char> joined(f.size(), 0);
  for (std::size_t u = 0; u < f.size(); ++u) {
    if (b.placed[u] || f[u].words.keys.size() < kMinTellingWords) continue;
    auto it = by_kind.find({f[u].scope, f[u].category1});
    if (it == by_kind.end()) continue;
    double best = 0, second = 0;
    std::size_t best_group = groups.size();
    for (std::size_t g : it->second) {
      double c = cosine(f[u].words, profile[g]);
      if (c < kJoinWords) continue;
      auto share = street_share[g].find(b.requests[u].street);
      if (share != street_share[g].end()) c += kStreetBonus * share->second;
      if (c > best) {
        second = best;
        best = c;
        best_group = g;
      } else if (c > second) {
        second = c;
      }
    }
    if (best_group < groups.size() && best >= kClearlyMore * second) {
      b.uf.join(u, groups[best_group].front());
      joined[u] = 1;
    }
  }
  return joined;
}

// Step 4: the requests left that name no place, by their words alone within
// a category, each kept only if it is like its group as a whole.
std::vector<std::vector<std::size_t>> group_by_words(const Batch& b,
                                                     const std::vector<char>& joined,
                                                     std::size_t min_size, int bands, int rows) {
  const std::vector<Features>& f = b.f;
  std::vector<std::uint32_t> alone;
  std::vector<char> is_alone(f.size(), 0);
  for (std::size_t u = 0; u < f.size(); ++u) {
    if (b.placed[u] || joined[u] || f[u].words.keys.size() < kMinTellingWords) continue;
    alone.push_back(static_cast<std::uint32_t>(u));
    is_alone[u] = 1;
  }
  UnionFind by_words(f.size());
  for (const auto& bucket : word_buckets(f, alone, bands, rows)) {
    for (std::size_t i = 1; i < bucket.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        std::uint32_t x = bucket[i], y = bucket[j];
        if (f[x].category1 != f[y].category1 || by_words.find(x) == by_words.find(y)) continue;
        if (weighted_jaccard(f[x].words, f[y].words) >= kWordsAlone) by_words.join(x, y);
      }
    }
  }
  std::vector<std::vector<std::size_t>> found;
  for (const std::vector<std::size_t>& c : clusters_of(by_words, is_alone)) {
    if (c.size() < min_size) continue;
    std::vector<std::size_t> kept = on_the_subject(f, c, kJoinWords);
    if (kept.size() >= min_size) found.push_back(std::move(kept));
  }
  return found;
}

}  // namespace

std::vector<RequestGroup> find_groups(const std::vector<GroupInput>& requests,
                                      const GroupOptions& options) {
  const std::size_t n = requests.size();
  const std::size_t min_size = std::max<std::size_t>(options.min_size, 2);
  const std::vector<Features> f = describe(requests, options);
  Batch b(requests, f);
  // 1. The same place and the same category: one matter.
  const auto pairs = same_place_pairs(f);
  for (const auto& [x, y] : pairs) {
    if (same_category(f[x], f[y])) b.uf.join(x, y);
  }
  join_categories_at_place(b, pairs);
  std::vector<char> joined = join_unplaced(b);
  std::vector<std::vector<std::size_t>> found =
      group_by_words(b, joined, min_size, std::max(1, options.bands), std::max(1, options.rows));
  std::vector<char> with_place(n, 0);
  for (std::size_t r = 0; r < n; ++r) with_place[r] = b.placed[r] || joined[r];
  for (const std::vector<std::size_t>& c : clusters_of(b.uf, with_place)) {
    if (c.size() < min_size) continue;
    std::vector<std::size_t> kept = on_the_subject(f, c, kOnTheSubject);
    if (kept.size() >= min_size) found.push_back(std::move(kept));
  }

  std::vector<RequestGroup> out;
  for (const std::vector<std::size_t>& c : found) out.push_back(make_group(requests, f, c));
  std::sort(out.begin(), out.end(), [](const RequestGroup& a, const RequestGroup& b) {
    if (a.cases.size() != b.cases.size()) return a.cases.size() > b.cases.size();
    return a.cases.front() < b.cases.front();
  });
  return out;
}

}  // namespace jszb::core
