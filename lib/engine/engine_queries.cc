// Engine: questions about its cases, answered from memory and, for the cases
// a durable store holds, from the store.
#include <algorithm>
#include <iterator>
#include <memory>

#include "absl/strings/str_format.h"
#include "engine/engine.h"
#include "model/deep_copy.h"
#include "policy/escalation.h"

namespace jszb::core {

absl::StatusOr<std::vector<DeadlineStatus>> Engine::deadlines(CaseId id, TimeMs now) const {
  const Case* c = find(id);
  if (c == nullptr) return absl::NotFoundError(absl::StrFormat("case %d does not exist", id));
  std::vector<DeadlineStatus> out;
  const Policy* p = policy_of(*c);
  for (const DeadlineChange& running : c->deadlines) {
    const Deadline& d = running.deadline;
    DeadlineStatus st;
    st.step = running.step;
    st.deadline = d;
    st.paused = c->suspended_since != 0;
    TimeMs at = st.paused ? c->suspended_since : now;  // a suspended clock stands still
    if (p == nullptr && d.working) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "case %d's policy version %d is not loaded: its working-time deadlines cannot be "
          "measured",
          id, c->policy_version));
    }
    // Only the calendar of the case's policy measures working time.
    auto between = [&](TimeMs a, TimeMs b) -> absl::StatusOr<TimeMs> {
      if (!d.working) return b > a ? b - a : 0;
      return clock_between(*p, true, a, b);
    };
    absl::StatusOr<TimeMs> used = between(d.start, at);
    if (!used.ok()) return used.status();
    st.used = std::max<TimeMs>(0, *used - d.paused());
    st.overdue = at > d.due;
    absl::StatusOr<TimeMs> left = st.overdue ? between(d.due, at) : between(at, d.due);
    if (!left.ok()) return left.status();
    st.left = st.overdue ? -*left : *left;
    out.push_back(st);
  }
  return out;
}

absl::Status Engine::for_each_event(CaseId id,
                                    const std::function<void(const Event&)>& visit) const {
  settle();  // the store is read on this thread
  if (absl::Status s = store_->for_each_event(id, visit); !s.ok()) return s;
  // Then those the store has not: of a pipelined batch that failed and is not
  // undone yet, and of the open batch. The case already shows them (its
  // state, its event count).
  if (in_flight_ != nullptr && !writer_->succeeded()) {
    for (const Event& e : in_flight_->batch.events) {
      if (e.case_id == id) visit(e);
    }
  }
  for (const Event& e : batch_.events) {
    if (e.case_id == id) visit(e);
  }
  return absl::OkStatus();
}

absl::Status Engine::for_each_logged(const std::function<void(const Event&)>& visit) const {
  settle();
  return store_->for_each_logged(visit);
}

std::vector<Event> Engine::events(CaseId id) const {
  std::vector<Event> out;
  // A durable store's events live only during the visit: keep copies.
  bool copy = archive_ != nullptr;
  (void)for_each_event(
      id, [&](const Event& e) { out.push_back(copy ? deep_copy(e, history_copies_) : e); });
  return out;
}

absl::StatusOr<CounterTotals> Engine::counter_totals(TimeMs from, TimeMs until) const {
  if (until <= from) {
    return absl::InvalidArgumentError(
        absl::StrFormat("the period [%d, %d) is empty: until must be after from", from, until));
  }
  for (TimeMs t : {from, until}) {
    if (!on_bucket_edge(t)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%d ms is not on a half-day edge (00:00 or 12:00 China time): the counters are "
          "kept by half-day",
          t));
    }
  }
  settle();
  return store_->sum_counters(bucket_of(from), bucket_of(until));
}

absl::Status Engine::for_each_intake(
    const std::vector<CaseId>& ids, const std::function<void(CaseId, const Intake&)>& visit) const {
  return for_each_case(ids, [&](const Case& c) { visit(c.id, *c.intake); });
}

absl::Status Engine::for_each_case(const std::vector<CaseId>& ids,
                                   const std::function<void(const Case&)>& visit) const {
  constexpr std::size_t kPerArena = 1024;  // cases loaded into one scratch arena
  std::unique_ptr<Arena> scratch;
  std::size_t loaded = 0;
  for (CaseId id : ids) {
    if (const Case* c = find(id)) {
      visit(*c);
      continue;
    }
    if (archive_ == nullptr) continue;
    if (loaded++ % kPerArena == 0) scratch = std::make_unique<Arena>();
    absl::StatusOr<std::optional<Case>> c = archive_->load_case(id, *scratch);
    if (!c.ok()) return c.status();
    if (c->has_value()) visit(**c);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<CaseId>> Engine::list(const CaseFilter& f) const {
  // The cases in memory answer for themselves (a durable store's projections
  // of them may be behind); the store answers for the rest.
  std::vector<CaseId> out;
  if (ids_ascending_) {
    // Cases are in id order: start after `after` and stop at the limit.
    std::size_t lo = 0, hi = cases_.size();
    while (lo < hi) {
      std::size_t mid = lo + (hi - lo) / 2;
      if (cases_[mid].id <= f.after) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (std::size_t i = lo; i < cases_.size(); ++i) {
      if (!matches(f, cases_[i])) continue;
      out.push_back(cases_[i].id);
      if (f.limit != 0 && out.size() == f.limit) break;
    }
  } else {
    for (std::size_t i = 0; i < cases_.size(); ++i) {
      if (matches(f, cases_[i])) out.push_back(cases_[i].id);
    }
    std::sort(out.begin(), out.end());
    if (f.limit != 0 && out.size() > f.limit) out.resize(f.limit);
  }
  // Every open case is in memory: a listing by open state or by running
  // deadline is answered there alone.
  bool open_only = (f.state != State::kUnspecified && !is_finished(f.state)) || f.due_from != 0 ||
                   f.due_until != 0;
  if (archive_ == nullptr || open_only) return out;
  settle();  // the store is read on this thread
  absl::StatusOr<std::vector<CaseId>> stored =
      archive_->list(f, [this](CaseId id) { return index_.find(id) != nullptr; });
  if (!stored.ok()) return stored.status();
  std::vector<CaseId> merged;
  merged.reserve(out.size() + stored->size());
  std::merge(out.begin(), out.end(), stored->begin(), stored->end(), std::back_inserter(merged));
  if (f.limit != 0 && merged.size() > f.limit) merged.resize(f.limit);
  return merged;
}

std::size_t Engine::open_cases() const {
  std::size_t open = 0;
  for (std::size_t i = 0; i < cases_.size(); ++i) {
    const Case& c = cases_[i];
    if (c.id != 0 && !is_finished(c.state)) ++open;  // id 0: an empty slot
  }
  return open;
}

StoreStats Engine::memory_stats() const {
  StoreStats out;
  for (std::size_t i = 0; i < cases_.size(); ++i) {
    auto state = static_cast<std::size_t>(cases_[i].state);
    if (cases_[i].id == 0 || state >= out.by_state.size()) continue;
    ++out.by_state[state];
    ++out.cases;
    out.last_event = std::max(out.last_event, cases_[i].last_event);
  }
  out.events = event_count();
  return out;
}

absl::StatusOr<std::uint64_t> Engine::stored_case_count() const {
  if (archive_ == nullptr) return case_count_;
  return archive_->count_cases();
}

}  // namespace jszb::core
