// rng.h: deterministic random numbers for the demo.
//
// std::mt19937_64's output is fixed by the standard, but the std::uniform_*_
// and std::discrete_distribution algorithms are not: they differ between
// standard libraries. Everything here is built on the raw 64-bit output with
// integer arithmetic only, so a seed gives the same numbers everywhere.
#ifndef JSZB_EXAMPLES_DEMO_RNG_H
#define JSZB_EXAMPLES_DEMO_RNG_H

#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace demo {

// SplitMix64: mixes a seed and a stream number into an independent seed.
inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  // An independent generator for item `index` of stream `stream` under `seed`.
  static Rng for_item(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
    return Rng(splitmix64(splitmix64(seed ^ splitmix64(stream)) + index));
  }

  std::uint64_t next() { return engine_(); }

  // Uniform in [0, n), n > 0, without modulo bias (rejection sampling).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = (~std::uint64_t{0} - n + 1) % n;  // 2^64 mod n
    for (;;) {
      std::uint64_t r = next();
      if (r >= limit) return r % n;
    }
  }
  // Uniform in [lo, hi] (inclusive).
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  // True with probability per_mille / 1000.
  bool chance(int per_mille) { return static_cast<int>(below(1000)) < per_mille; }

  // Index i with probability weights[i] / sum(weights).
  template <class Weights>
  std::size_t weighted(const Weights& weights) {
    std::uint64_t total = 0;
    for (auto w : weights) total += static_cast<std::uint64_t>(w);
    std::uint64_t r = below(total);
    std::size_t i = 0;
    for (auto w : weights) {
      if (r < static_cast<std::uint64_t>(w)) return i;
      r -= static_cast<std::uint64_t>(w);
      ++i;
    }
    return i - 1;  // not reached
  }

  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(below(items.size()))];
  }

  // Fisher-Yates.
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) {
      std::size_t j = static_cast<std::size_t>(below(i));
      std::swap(v[i - 1], v[j]);
    }
  }

 private:
  std::mt19937_64 engine_;
};

// A duration drawn from a mixture of uniform ranges: {weight, lo_ms, hi_ms}.
struct Span {
  int weight;
  std::int64_t lo;
  std::int64_t hi;
};
template <std::size_t N>
std::int64_t draw(Rng& rng, const Span (&spans)[N]) {
  int weights[N];
  for (std::size_t i = 0; i < N; ++i) weights[i] = spans[i].weight;
  const Span& s = spans[rng.weighted(weights)];
  return rng.between(s.lo, s.hi);
}

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_RNG_H
