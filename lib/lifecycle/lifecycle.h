// Lifecycle: decides whether a command may move a case on, and to which state.
// The rules are one Boost.MSM transition table (lifecycle.cc, the only file that
// includes MSM). Deciding changes nothing: the engine turns an accepted decision
// into an event and applies it (projection.h).
#ifndef JSZB_LIB_LIFECYCLE_LIFECYCLE_H
#define JSZB_LIB_LIFECYCLE_LIFECYCLE_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "jszb/types.hpp"
#include "model/case.h"
#include "model/command.h"

namespace jszb::core {

struct LifecycleRules {
  // Approved extensions per handling cycle, or per dispatch (Facts).
  std::uint32_t max_extensions = 1;
};

// What a decision needs to know that only the case's policy says.
struct Facts {
  UnitId lead_district = 0;     // the district the lead unit belongs to (a district: itself)
  UnitId community_street = 0;  // the street of the community payload.unit names, if one
  // The policy's EXTENSION_ALLOWANCE_PER_DISPATCH: a redo does not renew the
  // extension allowance (false: it does, per handling cycle).
  bool extensions_per_dispatch = false;
};

struct Decision {
  bool accepted = false;
  State to = State::kUnspecified;    // when accepted
  Refusal refusal = Refusal::kNone;  // when refused
};

// One row of the transition table, for documentation and tests.
struct TransitionRow {
  State from;
  CommandKind command;
  State to;
  std::string guard;  // e.g. "by_owner & owner_not_fixed"
};

class Lifecycle {
 public:
  explicit Lifecycle(LifecycleRules rules = {});
  ~Lifecycle();
  Lifecycle(const Lifecycle&) = delete;
  Lifecycle& operator=(const Lifecycle&) = delete;

  // Not const: the state machine is reused between decisions.
  Decision decide(const Case& c, const Command& cmd, const Facts& facts = {});

  const LifecycleRules& rules() const { return rules_; }
  static std::vector<TransitionRow> rows();

 private:
  struct Machine;
  LifecycleRules rules_;
  std::unique_ptr<Machine> machine_;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_LIFECYCLE_LIFECYCLE_H
