// Theme: a named problem attacked on purpose (每月一题 "one problem a month",
// 未诉先办 "handle before anyone complains"), with the unit that leads it and
// the tasks given to units. A theme is data the store keeps, not events of a
// case: the cases it covers are found by matching, never tagged.
#ifndef JSZB_LIB_MODEL_THEME_H
#define JSZB_LIB_MODEL_THEME_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jszb/types.hpp"
#include "model/intake.h"

namespace jszb::core {

using ThemeId = std::uint64_t;
using TaskId = std::uint32_t;

enum class TaskState : std::uint8_t { kOpen = 1, kDone = 2 };

struct ThemeTask {
  TaskId id = 0;
  UnitId owner = 0;
  std::string title;
  TimeMs due = 0;
  TaskState state = TaskState::kOpen;
  TimeMs done = 0;  // when it was marked done, 0: open
};

struct Theme {
  ThemeId id = 0;
  std::string name;
  TimeMs start = 0;  // when it was chosen (its month)
  UnitId lead = 0;
  std::vector<std::string> categories;  // category path prefixes, levels joined by "/"
  std::vector<std::string> keywords;    // any one found in the content
  std::vector<std::string> areas;       // "district" or "district/street"; none: the city
  std::vector<ThemeTask> tasks;         // by id
};

// Whether a request belongs to the theme: its area matches one of the
// theme's areas (or the theme has none), AND its category path starts with
// one of the theme's category prefixes (whole levels: "市场管理" covers
// "市场管理/预付式消费", not "市场管理局") OR its content contains one of
// the keywords (bytes of UTF-8, case as written). An area "D" matches the
// request's district name D; "D/S" its district D and street S, the names
// the request was recorded with (as listings and reports count them).
bool theme_matches(const Theme& theme, const Intake& intake);

// The levels of a category prefix or an area ("a/b" -> {"a", "b"}).
std::vector<std::string_view> path_levels(std::string_view path);

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_THEME_H
