// Average-linkage clustering (UPGMA) cut at a threshold: two clusters merge
// while the mean similarity over all their pairs is at least `threshold`. Unlike
// single linkage (join on any one close pair), a chain of look-alikes cannot
// pull two matters together: each must be close to most of the other on average.
//
// Nearest-neighbour chain algorithm: O(k^2) time over a dense k x k matrix, so
// it is meant for the connected components of a sparse similarity graph (a few
// hundred requests each), not for a whole week at once.
#ifndef JSZB_LIB_REPORT_AVERAGE_LINKAGE_H
#define JSZB_LIB_REPORT_AVERAGE_LINKAGE_H

#include <cstddef>
#include <vector>

namespace jszb::core {

// A symmetric similarity matrix over k items, row-major; the diagonal is unused.
struct SimilarityMatrix {
  std::size_t k = 0;
  std::vector<float> values;
  explicit SimilarityMatrix(std::size_t n) : k(n), values(n * n, 0.0f) {}
  float& at(std::size_t i, std::size_t j) { return values[i * k + j]; }
  float at(std::size_t i, std::size_t j) const { return values[i * k + j]; }
};

// The clusters (indexes into 0..k-1, each ascending; singletons included),
// in order of their smallest member. `similarity` is consumed (overwritten).
std::vector<std::vector<std::size_t>> average_linkage(SimilarityMatrix& similarity,
                                                      double threshold);

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_AVERAGE_LINKAGE_H
