// Engine: construction, the cases it holds in memory, its policies and its
// listeners. The rest of the class is split by concern: engine_batches.cc,
// engine_commands.cc, engine_timers.cc, engine_queries.cc, engine_durability.cc.
#include "engine/engine.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/str_format.h"
#include "base/log.h"
#include "store/memory_store.h"

namespace jszb::core {

Engine::Engine(EngineOptions options, std::unique_ptr<Store> store)
    : options_(options),
      store_(store ? std::move(store) : std::make_unique<MemoryStore>()),
      archive_(dynamic_cast<CaseArchive*>(store_.get())),
      recovery_(dynamic_cast<Recovery*>(store_.get())),
      lifecycle_(LifecycleRules{options.max_extensions}),
      compactable_(dynamic_cast<MemoryStore*>(store_.get()) == nullptr) {}

Engine::~Engine() {
  // A pipelined batch under way finishes first (its listeners are told).
  drain();
  writer_.reset();
  // What an open batch did was never acknowledged. The store's pending
  // projections are written now.
  if (batch_.open) undo_batch();
  if (archive_ != nullptr) (void)archive_->checkpoint();
  store_.reset();
}

absl::Status Engine::check_no_batch(const char* call) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (batch_.open) {
    return absl::FailedPreconditionError(
        absl::StrFormat("%s cannot run inside a batch: commit or roll it back first", call));
  }
  drain();
  return absl::OkStatus();
}

absl::Status Engine::check_not_busy() const {
  if (notifying_) {
    return absl::UnavailableError(
        "the engine is telling its listeners about an event: a listener must not change the "
        "engine that called it");
  }
  if (routing_) {
    return absl::UnavailableError(
        "the engine is asking its router: a router must not change the engine that asked it");
  }
  return absl::OkStatus();
}

absl::StatusOr<Case*> Engine::find_mutable(CaseId id) {
  if (const std::uint32_t* pos = index_.find(id)) return &cases_[*pos];
  if (archive_ == nullptr) return nullptr;
  absl::StatusOr<std::optional<Case>> loaded = archive_->load_case(id, arena_);
  if (!loaded.ok()) return loaded.status();
  if (!loaded->has_value()) return nullptr;
  Case& placed = adopt(**loaded);
  ++counts_.cases_read_back;
  loaded_.push_back(*index_.find(placed.id));
  return &placed;
}

const Case* Engine::find(CaseId id) const {
  const std::uint32_t* pos = index_.find(id);
  return pos == nullptr ? nullptr : &cases_[*pos];
}

absl::StatusOr<const Case*> Engine::fetch(CaseId id) {
  absl::StatusOr<Case*> c = find_mutable(id);
  if (!c.ok()) return c.status();
  return *c;
}

Case& Engine::adopt(const Case& c) {
  cases_.reserve_one();
  // drop() then never allocates: the free list can hold every slot.
  if (free_slots_.capacity() < cases_.size() + 1) free_slots_.reserve(2 * (cases_.size() + 1));
  index_.reserve_for(c.id);
  by_channel_ref_.reserve(by_channel_ref_.size() + 1);
  std::uint32_t pos;
  Case* placed_at;
  if (!free_slots_.empty()) {
    pos = free_slots_.back();
    free_slots_.pop_back();
    ids_ascending_ = false;  // a reused slot is out of id order
    placed_at = &(cases_[pos] = c);
  } else {
    if (!cases_.empty() && c.id < cases_.back().id) ids_ascending_ = false;
    pos = static_cast<std::uint32_t>(cases_.size());
    placed_at = &cases_.push_back(c);
  }
  index_[c.id] = pos;
  Case& placed = *placed_at;
  by_channel_ref_.emplace(ChannelKey{c.intake->channel, c.intake->channel_ref}, c.id);
  next_id_ = std::max(next_id_, c.id + 1);
  ++case_count_;
  rearm(placed);
  return placed;
}

void Engine::drop(std::uint32_t pos) {
  // The slot stays (storage never moves) and goes to the next case adopted.
  Case& c = cases_[pos];
  if (c.id == 0) return;  // empty already
  by_channel_ref_.erase(ChannelKey{c.intake->channel, c.intake->channel_ref});
  index_.erase(c.id);
  timers_.cancel(pos);
  c = Case();
  --case_count_;
  free_slots_.push_back(pos);
  ids_ascending_ = false;  // an empty slot (id 0) breaks the order
}

// ------------------------------------------------------------------ policies

absl::Status Engine::load_policy(std::shared_ptr<const Policy> p) {
  // A durable engine records the policy at once, apart from any batch.
  if (absl::Status s = check_no_batch("load_policy()"); !s.ok()) return s;
  if (p == nullptr) return absl::InvalidArgumentError("policy is null");
  auto it = policies_.find(p->version());
  if (it != policies_.end() && it->second != p && it->second->sources() != p->sources()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "policy version %d is loaded already with other content (text, calendar or areas): "
        "give the new policy a new version",
        p->version()));
  }
  bool added = it == policies_.end();
  if (!recovering_ && recovery_ != nullptr) {
    // A durable engine runs under this policy from now on, also after reopening.
    if (absl::Status s = recovery_->save_policy(*p); !s.ok()) return s;
  }
  if (added) policies_.emplace(p->version(), p);
  current_ = policies_.at(p->version());
  if (int last = p->calendar().provisional_last_year(); added && last != 0) {
    log_at(LogLevel::kWarn,
           "policy \"%s\" version %d: the calendar's official schedule ends with %d; deadlines in "
           "%d..%d are estimates on the provisional schedule (holiday rules, no make-up working "
           "days) until a policy with the State Council's notice is loaded",
           p->name(), p->version(), p->calendar().last_year(), p->calendar().last_year() + 1, last);
  }
  // Cases replayed before their policy was loaded get their clocks now.
  if (added) {
    for (std::size_t i = 0; i < cases_.size(); ++i) {
      if (cases_[i].policy_version == p->version()) rearm(cases_[i]);
    }
  }
  return absl::OkStatus();
}

const Policy* Engine::policy(std::uint32_t version) const {
  if (version == 0) return nullptr;
  if (current_ != nullptr && current_->version() == version) return current_.get();
  auto it = policies_.find(version);
  return it == policies_.end() ? nullptr : it->second.get();
}

const Policy* Engine::policy_of(const Case& c) const { return policy(c.policy_version); }

absl::StatusOr<std::size_t> Engine::adopt_schedule(std::uint32_t version, TimeMs now) {
  if (absl::Status s = check_no_batch("adopt_schedule()"); !s.ok()) return s;
  if (policy(version) == nullptr) {
    return absl::NotFoundError(
        absl::StrFormat("policy version %d is not loaded: load it first", version));
  }
  start_batch();
  std::size_t moved = 0;
  for (std::size_t i = 0; i < cases_.size(); ++i) {
    absl::StatusOr<bool> one = replan(cases_[i], version, now);
    if (!one.ok()) {
      undo_batch();  // all or nothing
      return one.status();
    }
    if (*one) ++moved;
  }
  if (absl::Status s = finish_batch(); !s.ok()) return s;
  return moved;
}

absl::StatusOr<bool> Engine::replan(Case& c, std::uint32_t version, TimeMs now) {
  auto estimated = [&c] {
    return std::any_of(c.deadlines.begin(), c.deadlines.end(),
                       [](const DeadlineChange& d) { return d.deadline.estimated; });
  };
  // An empty slot (a case dropped from memory) has id 0.
  if (c.id == 0 || is_finished(c.state) || c.policy_version == version || !estimated()) {
    return false;
  }
  // What the case's clock says happened before `now` happens first.
  if (now >= c.last_event) {
    if (absl::Status s = catch_up(c, now); !s.ok()) return s;
    if (is_finished(c.state) || !estimated()) return false;
  }
  Event e;
  e.case_id = c.id;
  e.seq = c.event_count + 1;
  e.type = EventType::kReplanned;
  e.state = c.state;
  e.time = std::max(now, c.last_event);
  e.actor = Actor{Role::kSystem, 0, 0};
  e.policy_version = version;
  if (absl::Status s = record(c, e, nullptr); !s.ok()) return s;
  return true;
}

absl::StatusOr<std::uint64_t> Engine::add_listener(Listener* listener) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (listener == nullptr) return absl::InvalidArgumentError("listener is null");
  listeners_.emplace_back(next_listener_id_, listener);
  return next_listener_id_++;
}

absl::Status Engine::remove_listener(std::uint64_t id) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  auto it = std::find_if(listeners_.begin(), listeners_.end(),
                         [id](const auto& entry) { return entry.first == id; });
  if (it == listeners_.end()) {
    return absl::NotFoundError(absl::StrFormat("listener %d is not registered", id));
  }
  listeners_.erase(it);
  return absl::OkStatus();
}

void Engine::notify(const Event& e) {
  if (listeners_.empty()) return;
  // Reset the flag however a listener leaves (it may throw in C++).
  struct Notifying {
    bool& flag;
    explicit Notifying(bool& f) : flag(f) { flag = true; }
    ~Notifying() { flag = false; }
  } notifying(notifying_);
  for (const auto& entry : listeners_) entry.second->on_event(e);
}

}  // namespace jszb::core
