// Router: decides who handles a request (派单). The policy's dispatch catalogue
// is the default; a city system can plug in its own (C++ here, C callback and
// Python callable through the C ABI). A decision names the rule behind it, and
// the dispatch event records that rule.
#ifndef JSZB_LIB_POLICY_ROUTER_H
#define JSZB_LIB_POLICY_ROUTER_H

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jszb/types.hpp"
#include "model/case.h"
#include "policy/catalogue.h"
#include "policy/policy.h"

namespace jszb::core {

struct RouteDecision {
  enum class Outcome { kDispatch = 1, kDistrictCoordinates = 2, kNotDispatched = 3 };
  Outcome outcome = Outcome::kDispatch;
  UnitId lead = 0;  // dispatch; the district when it coordinates
  std::vector<UnitId> copy_to;
  std::vector<UnitId> co_handlers;
  NotDispatchedReason reason = NotDispatchedReason::kUnspecified;
  std::string note;  // not dispatched: what the citizen is told
  std::string rule;  // the rule (or router) that decided
  Area area;         // where the request was found to lie
};

class Router {
 public:
  virtual ~Router() = default;
  // `policy` is the case's policy, or nullptr when the engine has none.
  virtual absl::StatusOr<RouteDecision> route(const Case& c, const Policy* policy) = 0;
};

// The decision of the policy's dispatch catalogue; FailedPrecondition naming
// the case when no rule applies.
absl::StatusOr<RouteDecision> route_by_catalogue(const Policy& policy, const Case& c);

}  // namespace jszb::core

#endif  // JSZB_LIB_POLICY_ROUTER_H
