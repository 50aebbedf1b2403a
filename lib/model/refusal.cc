#include "model/refusal.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_format.h"
#include "model/names.h"

namespace jszb::core {

namespace {

constexpr char kRefusalUrl[] = "jszb.dev/refusal";

std::string why(const RefusalInfo& info) {
  switch (info.refusal) {
    case Refusal::kState:
      return "the state does not allow this command";
    case Refusal::kNotCentre:
      return "only the centre (an operator or dispatcher) may do this";
    case Refusal::kNotReviewer:
      return "only a centre dispatcher/reviewer may do this";
    case Refusal::kNotOwner:
      return "only the owning (lead) unit may do this";
    case Refusal::kNotCoHandler:
      return "only a co-handling unit that has not reported back may do this";
    case Refusal::kOwnerFixed:
      return "the centre fixed the owner after reviewing a return: it cannot be returned again";
    case Refusal::kExtensionLimit:
      return "the case has used every extension it is allowed";
    case Refusal::kVisitSatisfied:
      return "the return visit found it solved and the citizen satisfied: nothing to redo";
    case Refusal::kNotCentreOrSystem:
      return "only the centre or the system may do this";
    case Refusal::kNotOwnerOrCentre:
      return "only the owning unit or the centre may do this";
    case Refusal::kNotSystem:
      return "only the engine's timers do this";
    case Refusal::kNotCredited:
      return "only a unit the visit result is scored for (its lead or a co-handler) may appeal it";
    case Refusal::kNotAppealable:
      return "no valid visit result stands to appeal, or it was appealed already";
    case Refusal::kNotSupervisor:
      return "only the centre, the system or the district of the lead unit may supervise (督办)";
    case Refusal::kNotInRedo:
      return "the centre re-dispatches an order in hand only after sending it back to redo, "
             "before the unit's new reply";
    case Refusal::kNotOverdue:
      return "a visit before the unit's reply comes only once the reply deadline has passed "
             "(Art. 23)";
    case Refusal::kNotCommunityOfLead:
      return "the lead street forwards an order only to one of its own communities "
             "(居委会/村委会 under it in the policy)";
    case Refusal::kNotCommunity:
      return "only the community the order was forwarded to may do this";
    case Refusal::kNone:
      break;
  }
  return "refused";
}

}  // namespace

bool is_about_actor(Refusal r) {
  switch (r) {
    case Refusal::kNotCentre:
    case Refusal::kNotReviewer:
    case Refusal::kNotOwner:
    case Refusal::kNotCoHandler:
    case Refusal::kNotCentreOrSystem:
    case Refusal::kNotOwnerOrCentre:
    case Refusal::kNotSystem:
    case Refusal::kNotCredited:
    case Refusal::kNotSupervisor:
    case Refusal::kNotCommunityOfLead:
    case Refusal::kNotCommunity:
      return true;
    default:
      return false;
  }
}

absl::Status refused(CaseId id, const RefusalInfo& info) {
  std::string message = absl::StrFormat("case %d is %s: %s refused (%s): %s", id, name(info.state),
                                        name(info.command), name(info.refusal), why(info));
  absl::Status status = is_about_actor(info.refusal) ? absl::PermissionDeniedError(message)
                                                     : absl::FailedPreconditionError(message);
  const char bytes[3] = {static_cast<char>(info.state), static_cast<char>(info.command),
                         static_cast<char>(info.refusal)};
  status.SetPayload(kRefusalUrl, absl::Cord(absl::string_view(bytes, 3)));
  return status;
}

std::optional<RefusalInfo> refusal_of(const absl::Status& status) {
  auto payload = status.GetPayload(kRefusalUrl);  // absl::optional here
  if (!payload || payload->size() != 3) return std::nullopt;
  std::string bytes(*payload);
  RefusalInfo info;
  info.state = static_cast<State>(static_cast<unsigned char>(bytes[0]));
  info.command = static_cast<CommandKind>(static_cast<unsigned char>(bytes[1]));
  info.refusal = static_cast<Refusal>(static_cast<unsigned char>(bytes[2]));
  return info;
}

}  // namespace jszb::core
