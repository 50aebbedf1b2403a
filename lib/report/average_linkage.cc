#include "report/average_linkage.h"

#include <algorithm>

namespace jszb::core {

std::vector<std::vector<std::size_t>> average_linkage(SimilarityMatrix& s, double threshold) {
  const std::size_t k = s.k;
  std::vector<std::vector<std::size_t>> members(k);
  for (std::size_t i = 0; i < k; ++i) members[i] = {i};
  // Open: may still merge. A cluster whose best partner is below the
  // threshold never will: the mean to a union of clusters is at most the
  // larger of the two means.
  std::vector<char> open(k, 1);
  std::size_t open_count = k;
  std::vector<std::size_t> chain;
  std::size_t next_start = 0;
  while (open_count > 1) {
    if (chain.empty()) {
      while (!open[next_start]) ++next_start;
      chain.push_back(next_start);
    }
    const std::size_t a = chain.back();
    // a's nearest open neighbour; on a tie, the one before it on the chain,
    // so that the chain cannot cycle.
    std::size_t best = k;
    float best_sim = -1.0f;
    if (chain.size() >= 2) {
      best = chain[chain.size() - 2];
      best_sim = s.at(a, best);
    }
    for (std::size_t c = 0; c < k; ++c) {
      if (c == a || !open[c]) continue;
      if (s.at(a, c) > best_sim) {
        best_sim = s.at(a, c);
        best = c;
      }
    }
    if (best == k || best_sim < threshold) {
      // Everything on the chain is at most this close to anything: all done.
      for (std::size_t c : chain) {
        open[c] = 0;
        --open_count;
      }
      chain.clear();
      continue;
    }
    if (chain.size() >= 2 && best == chain[chain.size() - 2]) {
      // Reciprocal nearest neighbours: merge a into best (Lance-Williams).
      chain.pop_back();
      chain.pop_back();
      const float na = static_cast<float>(members[a].size());
      const float nb = static_cast<float>(members[best].size());
      for (std::size_t c = 0; c < k; ++c) {
        if (c == a || c == best || !open[c]) continue;
        float merged = (na * s.at(a, c) + nb * s.at(best, c)) / (na + nb);
        s.at(best, c) = merged;
        s.at(c, best) = merged;
      }
      members[best].insert(members[best].end(), members[a].begin(), members[a].end());
      members[a].clear();
      open[a] = 0;
      --open_count;
    } else {
      chain.push_back(best);
    }
  }
  std::vector<std::vector<std::size_t>> out;
  for (auto& m : members) {
    if (m.empty()) continue;
    std::sort(m.begin(), m.end());
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& x, const auto& y) { return x.front() < y.front(); });
  return out;
}

}  // namespace jszb::core
