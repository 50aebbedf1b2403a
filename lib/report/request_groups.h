// Request groups (群体诉求): one matter reported many times, in different words
// by different people. Requests are compared by the character shingles of
// their content (MinHash signatures, banded into an LSH index, so that only
// likely pairs are compared), and only within one area and one category: two
// complaints about noise in different streets are different matters, however
// alike their words. No external model: Chinese text is compared as it is
// written, character n-grams of the CJK ideographs, letters and digits.
#ifndef JSZB_LIB_REPORT_REQUEST_GROUPS_H
#define JSZB_LIB_REPORT_REQUEST_GROUPS_H

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "jszb/types.hpp"

namespace jszb::core {

struct GroupInput {
  CaseId id = 0;
  std::string_view area;      // e.g. the street; requests of different areas never group
  std::string_view category;  // e.g. the category path's last level given
  std::string_view text;      // what the citizen said
};

struct GroupOptions {
  int shingle = 2;  // characters per shingle
  int bands = 30;   // LSH bands of `rows` MinHash values each
  int rows = 2;
  double min_similarity = 0.25;  // estimated Jaccard similarity to join two requests
  // Shingles found in more than this share of the requests, and in more
  // than `common_floor` of them ("希望", "尽快", "小区"), say nothing about
  // which matter a request is about: they are left out. The floor keeps a
  // matter's own words in a small set, where one matter is a large share.
  double max_common = 0.02;
  std::size_t common_floor = 50;
  std::size_t min_size = 10;  // a group: reported this many times or more
};

struct RequestGroup {
  std::vector<CaseId> cases;  // ascending
  CaseId representative = 0;  // the request most like the others
};

// The groups of at least min_size requests, largest first (ties: smallest id).
std::vector<RequestGroup> find_groups(const std::vector<GroupInput>& requests,
                                      const GroupOptions& options = {});

// The shingles of a text, hashed (exposed for tests).
std::vector<std::uint64_t> shingles(std::string_view text, int k);

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_REQUEST_GROUPS_H
