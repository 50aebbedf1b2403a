// A labelled synthetic set for request groups: a week of one district's
// requests (朝阳区, its real streets and the estates named after its real
// communities) in which some matters are reported many times. Each matter
// spans several streets and one or two categories; its reports are worded
// 5 ways that share few characters, most carry the address as an operator
// records it, and some name the place in their words. Mixed in: look-alike
// matters (the same problem at a neighbouring estate or another company,
// reported 3 to 20 times) and everyday requests on the same topics, each at a
// place of its own, with its own specifics. Used by the quality test and the
// benchmark (bench/report_bench.cc).
#ifndef JSZB_TESTS_CPP_REPORT_GROUP_CORPUS_H
#define JSZB_TESTS_CPP_REPORT_GROUP_CORPUS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "report/request_groups.h"

namespace jszb::testing {

struct LabelledRequest {
  std::string text;
  std::string address;  // empty: none recorded
  std::string street;
  std::string category1;
  std::string category2;
  int matter = -1;  // the matter it reports, -1: none
};

struct GroupCorpus {
  std::vector<LabelledRequest> requests;
  std::vector<std::size_t> matter_sizes;  // reports per matter
  std::vector<std::string> matter_labels;
};

// About n requests (exactly n), a share of them in matters. Deterministic.
GroupCorpus make_group_corpus(std::size_t n, std::uint64_t seed);

// The corpus as find_groups' input, in the scope of its district; ids from 1.
std::vector<core::GroupInput> group_inputs(const GroupCorpus& corpus);

// Pairwise precision and recall of found groups against the labels: a pair
// is found when both requests are in one group; it is true when both report
// the same matter of at least `min_size` reports (smaller ones cannot be a
// group, so they count only against precision when grouped with others).
struct PairwiseScore {
  double precision = 0;
  double recall = 0;
  std::size_t found_pairs = 0;
  std::size_t true_pairs = 0;
  std::size_t correct_pairs = 0;
};
PairwiseScore score_groups(const GroupCorpus& corpus, const std::vector<core::RequestGroup>& groups,
                           std::size_t min_size);

}  // namespace jszb::testing

#endif  // JSZB_TESTS_CPP_REPORT_GROUP_CORPUS_H
