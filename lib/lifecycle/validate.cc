#include "lifecycle/validate.h"

#include <cmath>
#include <cstdint>
#include <iterator>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "base/time_range.h"
#include "base/utf8.h"
#include "model/names.h"

namespace jszb::core {

namespace {

// Payload fields (payload.h), as bits, for the per-kind rules below.
constexpr std::uint32_t bit(PayloadField f) { return 1u << static_cast<int>(f); }
static_assert(static_cast<int>(PayloadField::kCount) <= 32, "one bit a field");
constexpr std::uint32_t kUnit = bit(PayloadField::unit);
constexpr std::uint32_t kMode = bit(PayloadField::mode);
constexpr std::uint32_t kCopyTo = bit(PayloadField::copy_to);
constexpr std::uint32_t kUnits = bit(PayloadField::units);
constexpr std::uint32_t kReason = bit(PayloadField::reason);
constexpr std::uint32_t kLevel = bit(PayloadField::level);
constexpr std::uint32_t kContacted = bit(PayloadField::contacted);
constexpr std::uint32_t kSolved = bit(PayloadField::solved);
constexpr std::uint32_t kValidVisit = bit(PayloadField::valid_visit);
constexpr std::uint32_t kSatisfaction = bit(PayloadField::satisfaction);
constexpr std::uint32_t kMethod = bit(PayloadField::visit_method);
constexpr std::uint32_t kUntil = bit(PayloadField::until);
constexpr std::uint32_t kOtherCase = bit(PayloadField::other_case);
constexpr std::uint32_t kText = bit(PayloadField::text);
constexpr std::uint32_t kRule = bit(PayloadField::rule);

// What a field is called in a refusal: its name in jszb_payload; the engine's
// own numbers (kind kEngine) are one thing to a caller.
#define JSZB_FIELD_NAME_kEngine(wire) "payload.step/mark/action"
#define JSZB_FIELD_NAME_kId(wire) "payload." #wire
#define JSZB_FIELD_NAME_kEnum(wire) "payload." #wire
#define JSZB_FIELD_NAME_kUnits(wire) "payload." #wire
#define JSZB_FIELD_NAME_kBool(wire) "payload." #wire
#define JSZB_FIELD_NAME_kTime(wire) "payload." #wire
#define JSZB_FIELD_NAME_kText(wire) "payload." #wire
#define JSZB_FIELD_NAME_kRequest(wire) "payload." #wire
constexpr const char* kFieldNames[] = {
#define JSZB_PAYLOAD_NAME(kind, type, field, wire) JSZB_FIELD_NAME_##kind(wire),
    JSZB_PAYLOAD_FIELDS(JSZB_PAYLOAD_NAME)
#undef JSZB_PAYLOAD_NAME
};

struct PayloadRule {
  std::uint32_t allowed;
  std::uint32_t required;
  const char* why_required;  // said when a required field is missing
};

// Which payload fields each command may and must carry.
// clang-format off
PayloadRule rule_for(CommandKind k) {
  constexpr std::uint32_t kOwner = kUnit | kMode | kCopyTo | kUnits | kText | kRule;
  switch (k) {
    case CommandKind::kAnswerOnSpot: return {kText, 0, ""};
    case CommandKind::kNotDispatch:
      return {kReason | kOtherCase | kText | kRule, kReason, "Art. 11 reason"};
    case CommandKind::kDispatch: return {kOwner, kUnit, "lead unit"};
    case CommandKind::kRequestReturn: return {kText, kText, "reason for the return"};
    case CommandKind::kApproveReturn: return {kOwner, kUnit, "unit it is re-dispatched to"};
    case CommandKind::kRefuseReturn: return {kText, 0, ""};
    case CommandKind::kSign: return {kText, 0, ""};
    case CommandKind::kContactCitizen: return {kText, 0, ""};
    case CommandKind::kAddCoHandlers: return {kUnits | kText, kUnits, "co-handling units"};
    case CommandKind::kReportToLead: return {kText, kText, "what the co-handler reports"};
    case CommandKind::kRequestExtension:
      return {kUntil | kText, kUntil | kText, "new deadline and a reason"};
    case CommandKind::kApproveExtension: return {kUntil | kText, 0, ""};
    case CommandKind::kRefuseExtension: return {kText, 0, ""};
    case CommandKind::kSuspend: return {kText, kText, "reason for the suspension"};
    case CommandKind::kResume: return {kText, 0, ""};
    case CommandKind::kSupervise: return {kLevel | kUnit | kText, kLevel, "supervision level"};
    case CommandKind::kReply:
      return {kContacted | kSolved | kText, kText, "public reply text"};
    case CommandKind::kVisit:
      return {kValidVisit | kContacted | kSolved | kSatisfaction | kMethod | kText, 0, ""};
    case CommandKind::kRedo: return {kText, 0, ""};
    case CommandKind::kTerminate: return {kText, kText, "reason for the termination"};
    case CommandKind::kClose: return {kText, 0, ""};
    case CommandKind::kReopen: return {kText, 0, ""};
    case CommandKind::kMerge: return {kOtherCase | kText, kOtherCase, "case to merge into"};
    case CommandKind::kAutoReturn: return {kText, 0, ""};
    case CommandKind::kAppeal: return {kText, kText, "grounds for the appeal"};
    case CommandKind::kUpholdAppeal: return {kText, kText, "why the result is set aside"};
    case CommandKind::kRejectAppeal: return {kText, kText, "why the result stands"};
    case CommandKind::kRequestSuspension: return {kText, kText, "reason for the suspension"};
    case CommandKind::kApproveSuspension: return {kText, 0, ""};
    case CommandKind::kRefuseSuspension: return {kText, 0, ""};
    // payload.valid_visit: written by the engine (whether the result stays in the rates)
    case CommandKind::kHoldLongTerm:
      return {kUntil | kText | kValidVisit, kUntil | kText, "review date and the reason"};
    case CommandKind::kForwardToCommunity: return {kUnit | kText, kUnit, "community forwarded to"};
    case CommandKind::kCommunitySign: return {kText, 0, ""};
    case CommandKind::kCommunityReply:
      return {kText | kSolved, kText, "what the community reports"};
    case CommandKind::kUnspecified: break;
  }
  return {0, 0, ""};
}
// clang-format on

// The fields given (not zero). Any command may carry a client request id.
#define JSZB_FIELD_COUNTS_kRequest 0
#define JSZB_FIELD_COUNTS_kEngine 1
#define JSZB_FIELD_COUNTS_kId 1
#define JSZB_FIELD_COUNTS_kEnum 1
#define JSZB_FIELD_COUNTS_kUnits 1
#define JSZB_FIELD_COUNTS_kBool 1
#define JSZB_FIELD_COUNTS_kTime 1
#define JSZB_FIELD_COUNTS_kText 1
std::uint32_t fields_set(const Payload& p) {
  std::uint32_t f = 0;
#define JSZB_PAYLOAD_SET(kind, type, field, wire) \
  if (JSZB_FIELD_COUNTS_##kind && !(p.field == type{})) f |= bit(PayloadField::field);
  JSZB_PAYLOAD_FIELDS(JSZB_PAYLOAD_SET)
#undef JSZB_PAYLOAD_SET
  return f;
}

const char* field_name(std::uint32_t bit) {
  for (std::size_t i = 0; i < std::size(kFieldNames); ++i) {
    if (bit == 1u << i) return kFieldNames[i];
  }
  return "payload";
}

std::uint32_t lowest_bit(std::uint32_t bits) { return bits & (~bits + 1); }

template <class E>
bool in_range(E v, int lo, int hi) {
  int i = static_cast<int>(v);
  return i >= lo && i <= hi;
}

absl::Status check_text(std::string_view field, std::string_view s, std::size_t max_bytes) {
  if (s.empty()) return absl::OkStatus();
  if (s.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s is %d bytes long: at most %d are allowed", field, s.size(), max_bytes));
  }
  if (!is_valid_utf8(s)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s is not valid UTF-8", field));
  }
  return absl::OkStatus();
}

// No zero ids, no repeats, no more than max, and not the lead unit.
absl::Status check_units(std::string_view field, UnitList units, int max, UnitId lead) {
  if (units.empty()) return absl::OkStatus();
  if (units.size > static_cast<std::uint32_t>(max)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s has %d units: at most %d are allowed", field, units.size, max));
  }
  for (std::uint32_t i = 0; i < units.size; ++i) {
    if (units[i] == 0) {
      return absl::InvalidArgumentError(absl::StrFormat("%s[%d] is 0: not a unit", field, i));
    }
    if (lead != 0 && units[i] == lead) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s[%d] is %d, the lead unit itself", field, i, units[i]));
    }
    for (std::uint32_t j = 0; j < i; ++j) {
      if (units[j] == units[i]) {
        return absl::InvalidArgumentError(
            absl::StrFormat("%s lists unit %d twice", field, units[i]));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status check_actor(std::string_view field, const Actor& a) {
  if (!in_range(a.role, 1, 5)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s.role is %d: expected a jszb_role (1..5)",
                                                      field, static_cast<int>(a.role)));
  }
  if (a.role == Role::kUnit && a.unit == 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s.unit is 0: an actor of role unit must name its unit", field));
  }
  return absl::OkStatus();
}

std::string format_time(TimeMs t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E3S UTC", absl::FromUnixMillis(t), absl::UTCTimeZone());
}

}  // namespace

absl::Status validate_intake(const Intake& in) {
  if (absl::Status s = check_time("intake.time_ms", in.time); !s.ok()) return s;
  if (absl::Status s = check_actor("intake.actor", in.actor); !s.ok()) return s;
  if (in.actor.role == Role::kUnit) {
    return absl::InvalidArgumentError(
        "intake.actor.role is unit: requests are recorded by the centre, a citizen or the system");
  }
  if (!in_range(in.channel, 1, 10)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "intake.channel is %d: expected a jszb_channel (1..10)", static_cast<int>(in.channel)));
  }
  if (in.channel_ref.empty()) {
    return absl::InvalidArgumentError(
        "intake.channel_ref is empty: every request needs the channel's own id, which makes "
        "resubmission safe");
  }
  if (!in_range(in.kind, 1, 5)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "intake.kind is %d: expected a jszb_kind (1..5)", static_cast<int>(in.kind)));
  }
  if (!in_range(in.urgency, 1, 3)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "intake.urgency is %d: expected a jszb_urgency (1..3)", static_cast<int>(in.urgency)));
  }
  if (in.category[0].empty()) {
    return absl::InvalidArgumentError(
        "intake.category[0] is empty: a level-1 category is required");
  }
  if (in.category[1].empty() && !in.category[2].empty()) {
    return absl::InvalidArgumentError(
        "intake.category[2] is set but category[1] is empty: levels must be filled in order");
  }
  if (in.content.empty()) {
    return absl::InvalidArgumentError("intake.content is empty: what did the citizen ask?");
  }
  if (in.location.has_point) {
    const Location& l = in.location;
    if (!std::isfinite(l.lat) || l.lat < -90 || l.lat > 90) {
      return absl::InvalidArgumentError(
          absl::StrFormat("intake.lat is %g: expected degrees in [-90, 90]", l.lat));
    }
    if (!std::isfinite(l.lon) || l.lon < -180 || l.lon > 180) {
      return absl::InvalidArgumentError(
          absl::StrFormat("intake.lon is %g: expected degrees in [-180, 180]", l.lon));
    }
  }
  struct Text {
    const char* field;
    std::string_view value;
    std::size_t max;
  };
  const Text texts[] = {
      {"intake.channel_ref", in.channel_ref, kMaxRefBytes},
      {"intake.category[0]", in.category[0], kMaxRefBytes},
      {"intake.category[1]", in.category[1], kMaxRefBytes},
      {"intake.category[2]", in.category[2], kMaxRefBytes},
      {"intake.district", in.location.district, kMaxRefBytes},
      {"intake.street", in.location.street, kMaxRefBytes},
      {"intake.community", in.location.community, kMaxRefBytes},
      {"intake.address", in.location.address, kMaxTextBytes},
      {"intake.content", in.content, kMaxTextBytes},
      {"intake.contact_name", in.contact.name, kMaxRefBytes},
      {"intake.contact_phone", in.contact.phone, kMaxRefBytes},
  };
  for (const Text& t : texts) {
    if (absl::Status s = check_text(t.field, t.value, t.max); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status validate_command(const Command& cmd, bool engine_made) {
  int k = static_cast<int>(cmd.kind);
  if (!is_command_number(k)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "command.kind is %d: expected a jszb_command_kind (%d..%d, not %d..%d)", k, kFirstCommand,
        kLastCommand, JSZB_EVENT_DEADLINE_WARNING, JSZB_EVENT_DEADLINE_ESCALATED));
  }
  if (cmd.case_id == 0) return absl::InvalidArgumentError("command.case_id is 0: no such case");
  if (absl::Status s = check_time("command.time_ms", cmd.time); !s.ok()) return s;
  if (absl::Status s = check_actor("command.actor", cmd.actor); !s.ok()) return s;

  const Payload& p = cmd.payload;
  PayloadRule rule = rule_for(cmd.kind);
  std::uint32_t set = fields_set(p);
  if (!engine_made && (set & kRule) != 0) {
    return absl::InvalidArgumentError(
        "payload.rule is set: only the engine names the rule that decided (dispatch_routed)");
  }
  if (!engine_made && cmd.kind == CommandKind::kHoldLongTerm && (set & kValidVisit) != 0) {
    return absl::InvalidArgumentError(
        "payload.valid_visit is set: for hold_long_term the engine sets it from the policy "
        "(long_term_pending)");
  }
  if (std::uint32_t extra = set & ~rule.allowed; extra != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s is set, but %s does not use it", field_name(lowest_bit(extra)), name(cmd.kind)));
  }
  if (std::uint32_t missing = rule.required & ~set; missing != 0) {
    return absl::InvalidArgumentError(absl::StrFormat("%s is missing: %s needs the %s",
                                                      field_name(lowest_bit(missing)),
                                                      name(cmd.kind), rule.why_required));
  }

  if (!in_range(p.mode, 0, 2)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "payload.mode is %d: expected a jszb_dispatch_mode (1..2)", static_cast<int>(p.mode)));
  }
  if (!in_range(p.reason, 0, 6)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("payload.reason is %d: expected a jszb_not_dispatched_reason (1..6)",
                        static_cast<int>(p.reason)));
  }
  if (p.other_case != 0 && cmd.kind == CommandKind::kNotDispatch &&
      p.reason != NotDispatchedReason::kDuplicate) {
    return absl::InvalidArgumentError(
        "payload.other_case is set, but only a duplicate (reason 3) names another case");
  }
  if (!in_range(p.level, 0, 2)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("payload.level is %d: expected a jszb_supervision_level (1..2)",
                        static_cast<int>(p.level)));
  }
  if (!in_range(p.satisfaction, 0, 3)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("payload.satisfaction is %d: expected a jszb_satisfaction (1..3)",
                        static_cast<int>(p.satisfaction)));
  }
  if (!in_range(p.visit_method, 0, 3)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("payload.visit_method is %d: expected a jszb_visit_method (1..3)",
                        static_cast<int>(p.visit_method)));
  }
  if (cmd.kind == CommandKind::kVisit) {
    if (p.valid_visit && p.satisfaction == Satisfaction::kUnspecified) {
      return absl::InvalidArgumentError(
          "payload.satisfaction is missing: a valid visit records how satisfied the citizen is");
    }
    if (!p.valid_visit &&
        (p.contacted || p.solved || p.satisfaction != Satisfaction::kUnspecified)) {
      return absl::InvalidArgumentError(
          "payload.valid_visit is 0 (no valid visit), so contacted, solved and satisfaction must "
          "be "
          "unset");
    }
  }
  if (absl::Status s = check_time_or_zero("payload.until_ms", p.until); !s.ok()) return s;
  if (absl::Status s = check_units("payload.copy_to", p.copy_to, kMaxCopyTo, p.unit); !s.ok()) {
    return s;
  }
  if (absl::Status s = check_units("payload.units", p.units, kMaxCoHandlers, p.unit); !s.ok()) {
    return s;
  }
  for (UnitId u : p.units) {
    if (!p.copy_to.empty() && p.copy_to.contains(u)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "unit %d is both copied (payload.copy_to) and co-handling (payload.units)", u));
    }
  }
  if (absl::Status s = check_text("payload.rule", p.rule, kMaxRefBytes); !s.ok()) return s;
  if (absl::Status s = check_text("payload.request_id", p.request_id, kMaxRefBytes); !s.ok()) {
    return s;
  }
  return check_text("payload.text", p.text, kMaxTextBytes);
}

absl::Status validate_against_case(const Case& c, const Command& cmd) {
  if (cmd.time < c.last_event) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "command.time_ms %d (%s) is before case %d's last event at %s: commands on a case come in "
        "time order",
        cmd.time, format_time(cmd.time), c.id, format_time(c.last_event)));
  }
  const Payload& p = cmd.payload;
  switch (cmd.kind) {
    case CommandKind::kApproveReturn:
      if (p.unit == c.lead_unit) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "payload.unit is %d, the unit that returned it: re-dispatch names another unit "
            "(or refuse the return)",
            p.unit));
      }
      break;
    case CommandKind::kAddCoHandlers:
      if (c.co_handlers.size + p.units.size > static_cast<std::uint32_t>(kMaxCoHandlers)) {
        return absl::InvalidArgumentError(
            absl::StrFormat("payload.units would make %d co-handlers: at most %d are allowed",
                            c.co_handlers.size + p.units.size, kMaxCoHandlers));
      }
      for (UnitId u : p.units) {
        if (u == c.lead_unit) {
          return absl::InvalidArgumentError(
              absl::StrFormat("payload.units lists %d, the lead unit itself", u));
        }
        if (c.co_handlers.contains(u)) {
          return absl::InvalidArgumentError(
              absl::StrFormat("payload.units lists %d, already a co-handler of case %d", u, c.id));
        }
      }
      break;
    case CommandKind::kForwardToCommunity:
      if (p.unit == c.community_unit) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "payload.unit is %d, the community case %d is with already", p.unit, c.id));
      }
      break;
    case CommandKind::kRequestExtension:
    case CommandKind::kApproveExtension:
    case CommandKind::kHoldLongTerm:
      if (p.until != 0 && p.until <= cmd.time) {
        return absl::InvalidArgumentError(
            absl::StrFormat("payload.until_ms %d (%s) is not after the command's time %s", p.until,
                            format_time(p.until), format_time(cmd.time)));
      }
      break;
    case CommandKind::kMerge:
    case CommandKind::kNotDispatch:
      if (p.other_case == c.id) {
        return absl::InvalidArgumentError(
            absl::StrFormat("payload.other_case is %d, the case itself", p.other_case));
      }
      break;
    default:
      break;
  }
  return absl::OkStatus();
}

}  // namespace jszb::core
