// ThemeStore: the role of a store that keeps themes (每月一题, 未诉先办) and
// their tasks. Both stores of jszb have it. Themes are not case events: a
// change writes the theme as it now stands, and a line in the store's record
// of theme changes (who changed what is the caller's business; when is the
// time it gives), in one durable step: a change is acknowledged only once it
// is committed, and a failed one wrote nothing.
#ifndef JSZB_LIB_STORE_THEME_STORE_H
#define JSZB_LIB_STORE_THEME_STORE_H

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "model/theme.h"

namespace jszb::core {

// What a change did (the store's record of changes keeps the number).
enum class ThemeChange : std::uint8_t {
  kDefined = 1,    // a new theme
  kRedefined = 2,  // its name, start, lead or what it matches changed
  kTaskSet = 3,    // a task added or changed
  kRemoved = 4,
};

class ThemeStore {
 public:
  virtual ~ThemeStore() = default;

  // Every theme, by id, with its tasks by id.
  virtual absl::StatusOr<std::vector<Theme>> themes() const = 0;
  // The highest theme id ever given out (removed ones included), 0: none.
  // Ids are never given out again.
  virtual absl::StatusOr<ThemeId> last_theme_id() const = 0;
  // Writes `theme` whole (definition and tasks), replacing the stored one
  // with its id, and records the change (`task`: the task a kTaskSet
  // changed, else 0).
  virtual absl::Status put_theme(const Theme& theme, ThemeChange change, TaskId task,
                                 TimeMs time) = 0;
  // Deletes the theme and its tasks; records the change.
  virtual absl::Status remove_theme(ThemeId id, TimeMs time) = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_THEME_STORE_H
