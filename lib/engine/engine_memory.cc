// Engine: bounded memory with a durable store. The store holds every case, so
// the engine keeps only what the next commands need: the open cases (with
// their escalation clocks) and the cases loaded since the last commit. After
// each commit the finished ones go, their slots reused; and the arena, which
// only grows, is compacted when most of it belongs to cases gone. An engine
// with an in-memory store keeps everything: its store is all there is.
#include <utility>

#include "absl/strings/str_format.h"
#include "engine/engine.h"
#include "model/deep_copy.h"

namespace jszb::core {

void Engine::collect_released(std::vector<const Case*>& out) const {
  if (archive_ == nullptr) return;
  auto consider = [&](std::uint32_t pos) {
    const Case& c = cases_[pos];
    if (c.id != 0 && is_finished(c.state) && !timers_.armed(pos)) out.push_back(&c);
  };
  for (const auto& [pos, created] : batch_.touched) consider(pos);
  for (std::uint32_t pos : loaded_) {
    if (!batch_.touched.contains(pos)) consider(pos);
  }
}

void Engine::maybe_reclaim_arena() {
  if (!compactable_ || batch_.open) return;
  std::size_t used = arena_.bytes_used();
  if (used <= options_.arena_compact_floor || used < 2 * arena_kept_) return;
  if (in_flight_ != nullptr) return;  // the writer thread reads copies that view the arena
  // A durable store keeps copies of the cases whose projections lag the log
  // (until a checkpoint); they view the arena too: write them out first, or
  // leave the arena as it is and try after a later batch.
  if (archive_ != nullptr && !archive_->checkpoint().ok()) return;
  Arena fresh;
  by_channel_ref_.clear();  // its keys view the old arena
  for (std::size_t pos = 0; pos < cases_.size(); ++pos) {
    Case& c = cases_[pos];
    if (c.id == 0) continue;
    c = deep_copy(c, fresh);
    by_channel_ref_.emplace(ChannelKey{c.intake->channel, c.intake->channel_ref}, c.id);
  }
  arena_ = std::move(fresh);
  arena_kept_ = arena_.bytes_used();
}

absl::StatusOr<bool> Engine::let_go(CaseId id) {
  if (absl::Status s = check_no_batch("let_go()"); !s.ok()) return s;
  if (archive_ != nullptr) {
    return absl::FailedPreconditionError(
        "let_go: a durable engine lets finished cases go by itself after each commit");
  }
  const std::uint32_t* pos = index_.find(id);
  if (pos == nullptr) return absl::NotFoundError(absl::StrFormat("case %d is not in memory", id));
  if (!is_finished(cases_[*pos].state) || timers_.armed(*pos)) return false;
  drop(*pos);
  return true;
}

}  // namespace jszb::core
