#include "policy/router.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace jszb::core {

absl::StatusOr<RouteDecision> route_by_catalogue(const Policy& policy, const Case& c) {
  const Intake& in = *c.intake;
  RouteDecision d;
  d.area = policy.resolve_area(in);
  std::optional<std::size_t> pos = policy.catalogue().decide(in, d.area);
  if (!pos) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "case %d: no rule of the dispatch catalogue of policy %s v%d applies (district %d, "
        "street %d); explain the case to see why each rule does not",
        c.id, policy.name(), policy.version(), d.area.district, d.area.street));
  }
  const v1::DispatchRule& rule = policy.catalogue().rule(*pos);
  d.rule = rule.id();
  switch (rule.outcome_case()) {
    case v1::DispatchRule::kNotDispatched:
      d.outcome = RouteDecision::Outcome::kNotDispatched;
      d.reason = static_cast<NotDispatchedReason>(rule.not_dispatched().reason());
      d.note = rule.not_dispatched().note();
      return d;
    case v1::DispatchRule::kDistrictCoordinates:
      if (d.area.district == 0) {
        return absl::FailedPreconditionError(absl::StrFormat(
            "case %d: rule \"%s\" gives it to its district to coordinate, but the district is not "
            "known",
            c.id, rule.id()));
      }
      d.outcome = RouteDecision::Outcome::kDistrictCoordinates;
      d.lead = d.area.district;
      return d;
    case v1::DispatchRule::kDispatch:
      break;
    case v1::DispatchRule::OUTCOME_NOT_SET:
      return absl::InternalError("a rule without an outcome passed the policy checks");
  }
  const v1::DispatchTo& to = rule.dispatch();
  switch (to.lead_case()) {
    case v1::DispatchTo::kUnit:
      d.lead = to.unit();
      break;
    case v1::DispatchTo::kStreetOfRequest:
      d.lead = d.area.street;
      break;
    case v1::DispatchTo::kDistrictOfRequest:
      d.lead = d.area.district;
      break;
    case v1::DispatchTo::LEAD_NOT_SET:
      break;
  }
  if (d.lead == 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "case %d: rule \"%s\" sends it to the request's %s, which is not known", c.id, rule.id(),
        to.lead_case() == v1::DispatchTo::kStreetOfRequest ? "street" : "district"));
  }
  auto add = [&d](std::vector<UnitId>& list, UnitId u) {
    if (u != 0 && u != d.lead && std::find(list.begin(), list.end(), u) == list.end()) {
      list.push_back(u);
    }
  };
  if (to.copy_to_district()) {
    const UnitInfo* lead = policy.unit(d.lead);
    if (lead != nullptr) add(d.copy_to, lead->district);
  }
  for (UnitId u : to.copy_to()) add(d.copy_to, u);
  for (UnitId u : to.co_handlers()) {
    if (std::find(d.copy_to.begin(), d.copy_to.end(), u) == d.copy_to.end()) add(d.co_handlers, u);
  }
  return d;
}

}  // namespace jszb::core
