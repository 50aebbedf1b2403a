// What request grouping knows of a request (request_groups.h): its words and
// its place as weighted sets of character shingles, its category, its scope;
// and how alike two such sets, or a request and a group, are.
//
// A shingle's weight is how rare it is in the batch, ln(1 + n / df); shingles
// in more requests than the batch's "common" cut say nothing about which
// matter a request is about ("希望", "尽快", "小区") and are left out.
#ifndef JSZB_LIB_REPORT_GROUP_FEATURES_H
#define JSZB_LIB_REPORT_GROUP_FEATURES_H

#include <cstdint>
#include <string_view>
#include <vector>

#include "report/request_groups.h"

namespace jszb::core {

// A weighted set: shingle hashes ascending, each with its weight.
struct Weighted {
  std::vector<std::uint64_t> keys;
  std::vector<float> weights;
  double total = 0;                           // sum of the weights
  double norm2 = 0;                           // sum of the squared weights
  void add(std::uint64_t key, float weight);  // keys must come ascending
};

struct Features {
  Weighted words;  // the text's shingles, but those of the batch's addresses
  // The names in the address (text_shingles.h: address_names; without the
  // district and street), plus the names of the batch's addresses that the
  // text holds: the estate, company or crossing a caller names.
  Weighted place;
  std::uint64_t scope = 0;
  std::uint64_t category1 = 0;
  std::uint64_t category2 = 0;
};

std::uint64_t hash_text(std::string_view s);

std::vector<Features> describe(const std::vector<GroupInput>& requests,
                               const GroupOptions& options);

// Shared weight over the weight of the union, 0..1.
double weighted_jaccard(const Weighted& a, const Weighted& b);
// Cosine of the two weight vectors, 0..1.
double cosine(const Weighted& a, const Weighted& b);
// The sum of several weighted sets: a group's profile, each shingle weighted
// by how often its members use it.
Weighted sum_of(const std::vector<const Weighted*>& sets);

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_GROUP_FEATURES_H
