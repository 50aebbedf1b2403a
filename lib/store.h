// Store: where the event log lives. The engine appends a command's events here
// before it applies them, so that what a caller is told was accepted is in the
// log (DESIGN.md principle 1). MemoryStore keeps them in memory; a durable
// SQLite store implements the same interface.
#ifndef JSZB_LIB_STORE_H
#define JSZB_LIB_STORE_H

#include <cstddef>
#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "event.h"

namespace jszb::core {

class Store {
 public:
  virtual ~Store() = default;

  // Appends events in order, all or none. An error means none was appended.
  virtual absl::Status append(const Event* events, std::size_t count) = 0;

  // Calls visit with each event of case `id`, oldest first.
  virtual void for_each_event(CaseId id, const std::function<void(const Event&)>& visit) const = 0;

  // Calls visit with every event, in the order they were appended.
  virtual void for_each_logged(const std::function<void(const Event&)>& visit) const = 0;

  // Events appended so far.
  virtual std::uint64_t event_count() const = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_H
