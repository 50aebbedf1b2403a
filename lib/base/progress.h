// Progress of a long call (verify, and the imports and replays of whole logs):
// a callback told, now and then, how far a stage has come, which may stop the
// call. One shape for every such call, so that the C ABI and the bindings
// pass it through the same way.
#ifndef JSZB_LIB_BASE_PROGRESS_H
#define JSZB_LIB_BASE_PROGRESS_H

#include <cstdint>
#include <functional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace jszb::core {

// Told `done` of `total` units of `stage` (total 0: not known); returns false
// to stop the call, which then fails with absl::CancelledError.
using ProgressFn =
    std::function<bool(std::string_view stage, std::uint64_t done, std::uint64_t total)>;

// Calls a ProgressFn every `every` units and at the end of a stage, so that
// the loops that report stay cheap when no one listens (an empty fn).
class ProgressTicker {
 public:
  ProgressTicker(const ProgressFn& fn, std::string_view stage, std::uint64_t total,
                 std::uint64_t every = 4096)
      : fn_(fn), stage_(stage), total_(total), every_(every) {}

  // One more unit done: OK, or Cancelled once the callback said stop.
  absl::Status tick() {
    ++done_;
    if (!fn_ || done_ % every_ != 0) return absl::OkStatus();
    return tell();
  }
  // The stage is over: tells done == total (what was done, if total was a guess).
  absl::Status finish() {
    if (!fn_) return absl::OkStatus();
    total_ = done_;
    return tell();
  }
  std::uint64_t done() const { return done_; }

 private:
  absl::Status tell() {
    if (fn_(stage_, done_, total_)) return absl::OkStatus();
    return absl::CancelledError(
        absl::StrFormat("stopped by the progress callback during %s (%d done)", stage_, done_));
  }

  const ProgressFn& fn_;
  std::string_view stage_;
  std::uint64_t total_;
  std::uint64_t every_;
  std::uint64_t done_ = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_BASE_PROGRESS_H
