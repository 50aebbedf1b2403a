// Request groups (群体诉求): one matter reported many times, by different people,
// in different words, often from several streets and under more than one
// category. What ties the reports of a matter together is where it is (the
// address the operator recorded, the estate or company the text names) and,
// more weakly, what it is about (the words, the category).
//
// Each request is described by two sets of character shingles, weighted by
// how rare they are in the batch: its place (the address's shingles without
// digits, so "5号楼" and "7号楼" of one estate agree, plus the text's shingles
// that some address of the batch has) and its words. Two requests' similarity
// mixes the weighted Jaccard similarity of the places (when both have one), of
// the words, and whether their categories agree. Likely pairs are found
// through an inverted index of the places' rare shingles and MinHash/LSH over
// the words; groups are then formed by average linkage (average_linkage.h)
// within each connected component of the likely pairs, so a chain of
// look-alikes (another estate, another company) does not join two matters.
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
  std::string_view scope;   // requests of different scopes never group (e.g. the district)
  std::string_view district;  // where it was placed: names an address may repeat
  std::string_view street;    // (left out of its place), the street listed with its group
  std::string_view category1;
  std::string_view category2;  // empty when the request gives only level 1
  std::string_view text;       // what the citizen said
  std::string_view address;    // as the operator recorded it; may be empty
};

struct GroupOptions {
  std::size_t min_size = 10;  // a group: reported this many times or more
  // Two clusters join while their mean pairwise similarity is at least this.
  double min_similarity = 0.5;
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
