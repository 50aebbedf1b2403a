#include "c_convert.h"

#include <cstddef>
#include <cstring>
#include <string_view>

#include "absl/strings/str_format.h"
#include "base/enum_cast.h"

namespace jszb::capi {

namespace {

using core::enum_cast;

std::string_view view(const char* s) { return s ? std::string_view(s) : std::string_view(); }
const char* c_str(std::string_view s) { return s.empty() ? "" : s.data(); }

absl::Status check_version(const char* what, unsigned version, unsigned known, const char* init) {
  if (version < 1 || version > known) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s.version is %d: this library knows versions 1..%d (initialise it with %s)", what,
        version, known, init));
  }
  return absl::OkStatus();
}

absl::Status to_bool(const char* field, int v, bool* out) {
  if (v != 0 && v != 1) {
    return absl::InvalidArgumentError(absl::StrFormat("%s is %d: expected 0 or 1", field, v));
  }
  *out = v == 1;
  return absl::OkStatus();
}

absl::Status units(const char* field, const std::uint32_t* data, std::size_t count,
                   core::UnitList* out) {
  if (count > 0 && data == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s is NULL but %s_count is %d", field, field, count));
  }
  if (count > 1024) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s_count is %d: far more units than any order involves", field, count));
  }
  *out = core::UnitList(data, count);
  return absl::OkStatus();
}

// An enumeration from C. The model's enums are 8 bits: a value that does not
// fit is refused here, with the value the caller passed, so that no message
// shows it cut to 8 bits; validation then judges the values that fit.
template <class E>
absl::Status enum_from_c(const char* field, long long v, E* out) {
  if (v < 0 || v > 254) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s is %d: not a value of its enumeration", field, v));
  }
  *out = enum_cast<E>(v);
  return absl::OkStatus();
}

absl::Status actor_from_c(const char* field, const jszb_actor& a, Actor* out) {
  Actor actor{Role::kUnspecified, a.unit, a.staff};
  if (absl::Status s = enum_from_c(field, a.role, &actor.role); !s.ok()) return s;
  *out = actor;
  return absl::OkStatus();
}

// One payload field from C, by its kind (payload.h); a bad value returns.
#define JSZB_FROM_C_kId(field, wire) p.field = in.wire;
#define JSZB_FROM_C_kTime(field, wire) p.field = in.wire;
#define JSZB_FROM_C_kEnum(field, wire) \
  if (absl::Status s = enum_from_c("payload." #wire, in.wire, &p.field); !s.ok()) return s;
#define JSZB_FROM_C_kText(field, wire) p.field = view(in.wire);
#define JSZB_FROM_C_kRequest(field, wire) p.field = view(in.wire);
#define JSZB_FROM_C_kUnits(field, wire)                                                        \
  if (absl::Status s = units("payload." #wire, in.wire, in.wire##_count, &p.field); !s.ok()) { \
    return s;                                                                                  \
  }
#define JSZB_FROM_C_kBool(field, wire)                                          \
  if (absl::Status s = to_bool("payload." #wire, in.wire, &p.field); !s.ok()) { \
    return s;                                                                   \
  }
#define JSZB_FROM_C_kEngine(field, wire)                                            \
  if (in.wire < 0 || in.wire > 255) {                                               \
    return absl::InvalidArgumentError("payload.step, mark or action out of range"); \
  }                                                                                 \
  p.field = static_cast<std::uint8_t>(in.wire);

absl::Status payload_from_c(const jszb_payload& in, core::Payload* out) {
  core::Payload p;
#define JSZB_PAYLOAD_FROM_C(kind, type, field, wire) JSZB_FROM_C_##kind(field, wire)
  JSZB_PAYLOAD_FIELDS(JSZB_PAYLOAD_FROM_C)
#undef JSZB_PAYLOAD_FROM_C
  *out = p;
  return absl::OkStatus();
}

absl::Status intake_fields_from_c(const jszb_intake& in, core::Intake* out) {
  core::Intake i;
  i.time = in.time_ms;
  for (absl::Status s :
       {actor_from_c("intake.actor.role", in.actor, &i.actor),
        enum_from_c("intake.channel", in.channel, &i.channel),
        enum_from_c("intake.kind", in.kind, &i.kind),
        enum_from_c("intake.urgency", in.urgency == 0 ? JSZB_URGENCY_NORMAL : in.urgency,
                    &i.urgency)}) {
    if (!s.ok()) return s;
  }
  i.channel_ref = view(in.channel_ref);
  for (int k = 0; k < 3; ++k) i.category[k] = view(in.category[k]);
  i.location.district = view(in.district);
  i.location.street = view(in.street);
  i.location.community = view(in.community);
  i.location.address = view(in.address);
  bool has_point = false;
  if (absl::Status s = to_bool("intake.has_point", in.has_point, &has_point); !s.ok()) return s;
  i.location.has_point = has_point;
  i.location.lat = has_point ? in.lat : 0;
  i.location.lon = has_point ? in.lon : 0;
  i.content = view(in.content);
  i.contact.name = view(in.contact_name);
  i.contact.phone = view(in.contact_phone);
  *out = i;
  return absl::OkStatus();
}

}  // namespace

absl::Status from_c(const jszb_intake* in, core::Intake* out) {
  if (in == nullptr) return absl::InvalidArgumentError("intake is NULL");
  if (absl::Status s =
          check_version("intake", in->version, JSZB_INTAKE_VERSION, "JSZB_INTAKE_INIT");
      !s.ok()) {
    return s;
  }
  return intake_fields_from_c(*in, out);
}

absl::Status from_c(const jszb_command* in, core::Command* out) {
  if (in == nullptr) return absl::InvalidArgumentError("command is NULL");
  if (absl::Status s =
          check_version("command", in->version, JSZB_COMMAND_VERSION, "JSZB_COMMAND_INIT");
      !s.ok()) {
    return s;
  }
  // An older command ends earlier: read only what its version has (version 1
  // ends before payload.step, version 2 before payload.request_id).
  jszb_command older;
  if (in->version < JSZB_COMMAND_VERSION) {
    std::size_t size =
        offsetof(jszb_command, payload) +
        (in->version < 2 ? offsetof(jszb_payload, step) : offsetof(jszb_payload, request_id));
    std::memset(&older, 0, sizeof older);
    std::memcpy(&older, in, size);
    in = &older;
  }
  core::Command c;
  if (absl::Status s = enum_from_c("command.kind", in->kind, &c.kind); !s.ok()) return s;
  c.case_id = in->case_id;
  c.time = in->time_ms;
  if (absl::Status s = actor_from_c("command.actor.role", in->actor, &c.actor); !s.ok()) return s;
  if (absl::Status s = payload_from_c(in->payload, &c.payload); !s.ok()) return s;
  *out = c;
  return absl::OkStatus();
}

absl::Status from_c(const jszb_event* in, core::Event* out, core::Intake* intake_storage,
                    std::vector<core::DeadlineChange>* deadline_storage) {
  if (in == nullptr) return absl::InvalidArgumentError("event is NULL");
  if (in->payload == nullptr) return absl::InvalidArgumentError("event.payload is NULL");
  core::Event e;
  e.case_id = in->case_id;
  e.seq = in->seq;
  for (absl::Status s : {enum_from_c("event.type", in->type, &e.type),
                         enum_from_c("event.state", in->state, &e.state),
                         actor_from_c("event.actor.role", in->actor, &e.actor)}) {
    if (!s.ok()) return s;
  }
  e.time = in->time_ms;
  if (in->intake != nullptr) {
    if (absl::Status s = intake_fields_from_c(*in->intake, intake_storage); !s.ok()) return s;
    e.intake = intake_storage;
  }
  if (absl::Status s = payload_from_c(*in->payload, &e.payload); !s.ok()) return s;
  e.policy_version = in->policy_version;
  deadline_storage->clear();
  if (in->deadlines_count > 0 && in->deadlines == nullptr) {
    return absl::InvalidArgumentError("event.deadlines is NULL but deadlines_count is not 0");
  }
  for (std::size_t i = 0; i < in->deadlines_count; ++i) {
    const jszb_deadline& d = in->deadlines[i];
    if (d.step < 1 || d.step > core::kSteps || d.fired < 0 || d.fired > 255) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "event.deadlines[%d] has step %d or fired %d out of range", i, d.step, d.fired));
    }
    core::Deadline dl;
    dl.start = d.start_ms;
    dl.due = d.due_ms;
    dl.base_due = d.base_due_ms;
    dl.paused_natural = d.paused_natural_ms;
    dl.paused_working = d.paused_working_ms;
    dl.resumed = d.resumed_ms;
    dl.fired = static_cast<std::uint8_t>(d.fired);
    dl.working = d.working != 0;
    dl.estimated = d.estimated != 0;
    deadline_storage->push_back({static_cast<core::StepId>(d.step), dl});
  }
  e.deadlines = {deadline_storage->data(), static_cast<std::uint32_t>(deadline_storage->size())};
  *out = e;
  return absl::OkStatus();
}

jszb_intake to_c(const core::Intake& in) {
  jszb_intake c = JSZB_INTAKE_INIT;
  c.time_ms = in.time;
  c.actor = {static_cast<int>(in.actor.role), in.actor.unit, in.actor.staff};
  c.channel = static_cast<int>(in.channel);
  c.channel_ref = c_str(in.channel_ref);
  c.kind = static_cast<int>(in.kind);
  for (int k = 0; k < 3; ++k) c.category[k] = c_str(in.category[k]);
  c.urgency = static_cast<int>(in.urgency);
  c.district = c_str(in.location.district);
  c.street = c_str(in.location.street);
  c.community = c_str(in.location.community);
  c.address = c_str(in.location.address);
  c.has_point = in.location.has_point ? 1 : 0;
  c.lat = in.location.lat;
  c.lon = in.location.lon;
  c.content = c_str(in.content);
  c.contact_name = c_str(in.contact.name);
  c.contact_phone = c_str(in.contact.phone);
  return c;
}

jszb_payload to_c(const core::Payload& p) {
  jszb_payload c;
  std::memset(&c, 0, sizeof c);
// One payload field to C, by its kind (payload.h).
#define JSZB_TO_C_kId(field, wire) c.wire = p.field;
#define JSZB_TO_C_kTime(field, wire) c.wire = p.field;
#define JSZB_TO_C_kBool(field, wire) c.wire = p.field;
#define JSZB_TO_C_kEngine(field, wire) c.wire = p.field;
#define JSZB_TO_C_kEnum(field, wire) c.wire = static_cast<int>(p.field);
#define JSZB_TO_C_kText(field, wire) c.wire = c_str(p.field);
#define JSZB_TO_C_kRequest(field, wire) c.wire = c_str(p.field);
#define JSZB_TO_C_kUnits(field, wire) \
  c.wire = p.field.data;              \
  c.wire##_count = p.field.size;
#define JSZB_PAYLOAD_TO_C(kind, type, field, wire) JSZB_TO_C_##kind(field, wire)
  JSZB_PAYLOAD_FIELDS(JSZB_PAYLOAD_TO_C)
#undef JSZB_PAYLOAD_TO_C
  return c;
}

jszb_deadline to_c(core::StepId step, const core::Deadline& d) {
  return {static_cast<int>(step),
          d.start,
          d.due,
          d.paused(),
          d.fired,
          d.working ? 1 : 0,
          d.estimated ? 1 : 0,
          d.base_due,
          d.paused_natural,
          d.paused_working,
          d.resumed};
}

std::vector<jszb_deadline> running_deadlines(const core::Case& c) {
  std::vector<jszb_deadline> out;
  for (const core::DeadlineChange& d : c.deadlines) out.push_back(to_c(d.step, d.deadline));
  return out;
}

jszb_event to_c(const core::Event& e, jszb_intake* intake, jszb_payload* payload,
                std::vector<jszb_deadline>* deadlines) {
  jszb_event c;
  std::memset(&c, 0, sizeof c);
  c.case_id = e.case_id;
  c.seq = e.seq;
  c.type = static_cast<int>(e.type);
  c.state = static_cast<int>(e.state);
  c.time_ms = e.time;
  c.actor = {static_cast<int>(e.actor.role), e.actor.unit, e.actor.staff};
  if (e.intake != nullptr) {
    *intake = to_c(*e.intake);
    c.intake = intake;
  }
  *payload = to_c(e.payload);
  c.payload = payload;
  c.policy_version = e.policy_version;
  deadlines->clear();
  for (const core::DeadlineChange& ch : e.deadlines)
    deadlines->push_back(to_c(ch.step, ch.deadline));
  c.deadlines = deadlines->empty() ? nullptr : deadlines->data();
  c.deadlines_count = deadlines->size();
  return c;
}

std::vector<std::uint32_t> pending_co_handlers(const core::Case& c) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < c.co_handlers.size; ++i) {
    if (c.co_pending >> i & 1u) out.push_back(c.co_handlers[i]);
  }
  return out;
}

jszb_case_info to_c(const core::Case& c, const jszb_intake* intake,
                    const std::vector<std::uint32_t>& pending,
                    const std::vector<jszb_deadline>& deadlines) {
  jszb_case_info i;
  std::memset(&i, 0, sizeof i);
  i.id = c.id;
  i.state = static_cast<int>(c.state);
  i.intake = intake;
  i.lead_unit = c.lead_unit;
  i.dispatch_mode = static_cast<int>(c.dispatch_mode);
  i.copy_to = c.copy_to.data;
  i.copy_to_count = c.copy_to.size;
  i.co_handlers = c.co_handlers.data;
  i.co_handlers_count = c.co_handlers.size;
  i.co_handlers_pending = pending.empty() ? nullptr : pending.data();
  i.co_handlers_pending_count = pending.size();
  i.owner_fixed = c.owner_fixed;
  i.not_dispatched_reason = static_cast<int>(c.not_dispatched_reason);
  i.supervision_level = static_cast<int>(c.supervision_level);
  i.return_count = c.return_count;
  i.extension_count = c.extension_count;
  i.redo_count = c.redo_count;
  i.reopen_count = c.reopen_count;
  i.dispatched_ms = c.dispatched;
  i.signed_ms = c.signed_for;
  i.first_contact_ms = c.first_contact;
  i.extension_requested_until_ms = c.extension_requested_until;
  i.extended_until_ms = c.extended_until;
  i.replied_ms = c.replied;
  i.visited_ms = c.visited;
  i.closed_ms = c.closed;
  i.last_event_ms = c.last_event;
  i.reply_contacted = c.reply.contacted;
  i.reply_solved = c.reply.solved;
  i.reply_text = c_str(c.reply.text);
  i.visit_valid = c.visit.valid;
  i.visit_contacted = c.visit.contacted;
  i.visit_solved = c.visit.solved;
  i.visit_satisfaction = static_cast<int>(c.visit.satisfaction);
  i.visit_method = static_cast<int>(c.visit.method);
  i.merged_into = c.merged_into;
  i.event_count = c.event_count;
  i.policy_version = c.policy_version;
  i.suspended_since_ms = c.suspended_since;
  i.deadlines = deadlines.empty() ? nullptr : deadlines.data();
  i.deadlines_count = deadlines.size();
  i.community_unit = c.community_unit;
  i.community_signed_ms = c.community_signed;
  i.community_replied_ms = c.community_replied;
  return i;
}

}  // namespace jszb::capi
