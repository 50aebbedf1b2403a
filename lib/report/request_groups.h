// Request groups (群体诉求): one matter reported many times, by different people,
// in different words, often from several streets and under more than one
// category. What ties a matter's reports together is where it is (the
// address the operator recorded, the estate, company or crossing the text
// names) and, more weakly, what it is about (the words, the category).
//
// Each request is described by its place (the names in its address and the
// names of the batch's addresses its text holds) and its words (character
// shingles), each weighted by how rare it is in the batch (group_features.h).
// No external model: Chinese is compared as it is written. Groups form in
// steps, each within one scope (e.g. the district):
//   1. requests at the same place (most of the lesser one's names, by weight,
//      among the other's) under the same category are one matter;
//   2. two such groups at the same place under other categories are one
//      matter if told in the same words (their word profiles' cosine >= 0.3,
//      >= 0.15 under the same level 1): a matter filed as 扬尘 and as 噪声
//      joins, an estate's other problems do not;
//   3. a request that names no place joins the group it shares the most words
//      with (cosine >= 0.3, plus up to 0.5 for a group mostly from its street),
//      when 1.5 times any other group's of its scope and category;
//   4. the requests left that name no place group by their words alone
//      (weighted Jaccard >= 0.35 within a category), each kept only if it is
//      like its group as a whole.
// Words are compared only where a request or group says enough that is not
// common. Pairs come from an inverted index of place names and MinHash/LSH over
// the words: a district's week (17,000 requests) takes about 0.1 s.
// Look-alikes (the same words at another estate, another company) stay apart,
// as their names differ; a request that names no place and is told like two
// matters is left out rather than guessed.
#ifndef JSZB_LIB_REPORT_REQUEST_GROUPS_H
#define JSZB_LIB_REPORT_REQUEST_GROUPS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jszb/types.hpp"

namespace jszb::core {

struct GroupInput {
  CaseId id = 0;
  std::string_view scope;     // requests of different scopes never group (e.g. the district)
  std::string_view district;  // where it was placed: names an address may repeat
  std::string_view street;    // (left out of its place), the street listed with its group
  std::string_view category1;
  std::string_view category2;  // empty when the request gives only level 1
  std::string_view text;       // what the citizen said
  std::string_view address;    // as the operator recorded it; may be empty
};

struct GroupOptions {
  std::size_t min_size = 10;  // a group: reported this many times or more
  // Shingles in more than this share of the requests, and in more than
  // `common_floor` of them ("希望", "尽快", "小区"), say nothing about which
  // matter a request is about: they are left out. The floor keeps a matter's
  // own words in a small batch, where one matter is a large share.
  double max_common = 0.005;
  std::size_t common_floor = 50;
  // MinHash/LSH over the words: `bands` bands of `rows` values each.
  int bands = 24;
  int rows = 2;
};

struct RequestGroup {
  std::vector<CaseId> cases;  // ascending
  CaseId representative = 0;  // the request most like the others
  // Distinct, most frequent first (ties: by name); a category is "level1" or
  // "level1/level2".
  std::vector<std::string> streets;
  std::vector<std::string> categories;
};

// The groups of at least min_size requests, largest first (ties: smallest id).
std::vector<RequestGroup> find_groups(const std::vector<GroupInput>& requests,
                                      const GroupOptions& options = {});

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_REQUEST_GROUPS_H
