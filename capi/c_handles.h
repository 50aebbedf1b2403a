// The C ABI's handles: the structs behind the opaque types of jszb.h, shared by
// the files that implement its entry points.
#ifndef JSZB_CAPI_C_HANDLES_H
#define JSZB_CAPI_C_HANDLES_H

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "base/arena.h"
#include "c_convert.h"
#include "engine/engine.h"
#include "jszb/jszb.h"
#include "policy/policy.h"
#include "store/sqlite_store.h"

namespace jszb::capi {

// Tells a C callback about each event, as a jszb_event view.
class CListener final : public core::Listener {
 public:
  CListener(jszb_listener_fn fn, void* payload) : fn_(fn), payload_(payload) {}
  void on_event(const core::Event& e) override {
    jszb_intake intake;
    jszb_payload payload;
    jszb_event view = jszb::capi::to_c(e, &intake, &payload, &deadlines_);
    fn_(payload_, &view);
  }

 private:
  std::vector<jszb_deadline> deadlines_;  // reused: no allocation per event
  jszb_listener_fn fn_;
  void* payload_;
};

// Routes with a C callback.
class CRouter final : public core::Router {
 public:
  CRouter(jszb_router_fn fn, void* payload) : fn_(fn), payload_(payload) {}
  absl::StatusOr<core::RouteDecision> route(const core::Case& c,
                                            const core::Policy* policy) override;

 private:
  jszb_router_fn fn_;
  void* payload_;
};

}  // namespace jszb::capi

struct jszb_engine {
  // A durable store, if the engine runs on one (owned by the engine; declared
  // first so that it is set before the engine takes the store).
  jszb::core::SqliteStore* store = nullptr;
  jszb::core::Engine engine;
  std::vector<std::pair<std::uint64_t, std::unique_ptr<jszb::capi::CListener>>> listeners;
  std::unique_ptr<jszb::capi::CRouter> router;  // the caller's router, if any
  bool close_requested = false;                 // jszb_engine_close() came from a listener
  // A what-if replay's engine: counters, no log and no request texts, so its
  // reports come without request groups.
  bool counters_only = false;

  explicit jszb_engine(jszb::core::EngineOptions options) : engine(options) {}
  jszb_engine(jszb::core::EngineOptions options, std::unique_ptr<jszb::core::SqliteStore> s)
      : store(s.get()), engine(options, std::move(s)) {}
  // Another kind of store (a what-if replay's counters): in memory as far as
  // the C ABI's store calls go (checkpoint, verify, purge).
  jszb_engine(jszb::core::EngineOptions options, std::unique_ptr<jszb::core::Store> s)
      : engine(options, std::move(s)) {}
  // A pipelined batch under way is told to the listeners while they exist.
  ~jszb_engine() { engine.drain(); }
};

namespace jszb::capi {
// Checks a caller's engine options (NULL: the defaults) into `out`.
int engine_options(const jszb_engine_options* opts, core::EngineOptions* out);

// Runs a call that may notify listeners; if one of them closed the engine, the
// close happens now that nothing of the engine is running any more.
template <class Body>
int notifying_call(jszb_engine* engine, Body&& body) {
  int rc = body();
  if (engine->close_requested) delete engine;
  return rc;
}
}  // namespace jszb::capi

// A case frozen at the time of the call, owning copies of everything it shows.
struct jszb_case {
  jszb::core::Arena arena;
  jszb::core::Case c;
  std::vector<jszb::core::Event> events;
  jszb_intake intake;
  std::vector<std::uint32_t> pending;
  std::vector<jszb_deadline> deadlines;
  jszb_case_info info;
  std::vector<jszb_payload> payloads;
  std::vector<std::vector<jszb_deadline>> event_deadlines;
  std::vector<jszb_intake> event_intakes;  // only the submission's is used
  std::vector<jszb_event> c_events;
};

struct jszb_policy {
  explicit jszb_policy(std::shared_ptr<const jszb::core::Policy> p);
  std::shared_ptr<const jszb::core::Policy> policy;
  std::vector<jszb_unit> units;  // C views of policy->units()
};

#define JSZB_CHECK_ENGINE(engine) \
  if ((engine) == nullptr) return jszb::capi::fail(JSZB_E_INVALID, "engine is NULL")

#endif  // JSZB_CAPI_C_HANDLES_H
