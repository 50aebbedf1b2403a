#include "model/proto_codec.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/enum_cast.h"
#include "model/proto_strings.h"

namespace jszb::core {

namespace {

void to_proto(const Actor& a, v1::Actor* out) {
  out->set_role(static_cast<v1::Role>(a.role));
  out->set_unit(a.unit);
  out->set_staff(a.staff);
}

void to_proto(const Intake& in, v1::Intake* out, v1::Contact* contact) {
  out->set_time_ms(in.time);
  to_proto(in.actor, out->mutable_recorded_by());
  out->set_channel(static_cast<v1::Channel>(in.channel));
  out->set_channel_ref(std::string(in.channel_ref));
  out->set_kind(static_cast<v1::Kind>(in.kind));
  for (std::string_view level : in.category) {
    if (!level.empty()) out->add_category(std::string(level));
  }
  out->set_urgency(static_cast<v1::Urgency>(in.urgency));
  v1::Location* loc = out->mutable_location();
  loc->set_district(std::string(in.location.district));
  loc->set_street(std::string(in.location.street));
  loc->set_community(std::string(in.location.community));
  loc->set_address(std::string(in.location.address));
  if (in.location.has_point) {
    loc->set_lat(in.location.lat);
    loc->set_lon(in.location.lon);
  }
  out->set_content(std::string(in.content));
  contact->set_name(std::string(in.contact.name));
  contact->set_phone(std::string(in.contact.phone));
}

// One payload field to its message, by its kind (payload.h). The message's
// own field type (an enumeration, a number) is what the value becomes.
#define JSZB_TO_PROTO_kId(field, wire) out->set_##wire(p.field);
#define JSZB_TO_PROTO_kTime(field, wire) out->set_##wire(p.field);
#define JSZB_TO_PROTO_kBool(field, wire) out->set_##wire(p.field);
#define JSZB_TO_PROTO_kEnum(field, wire) \
  out->set_##wire(static_cast<decltype(out->wire())>(p.field));
#define JSZB_TO_PROTO_kEngine(field, wire) \
  out->set_##wire(static_cast<decltype(out->wire())>(p.field));
#define JSZB_TO_PROTO_kText(field, wire) out->set_##wire(std::string(p.field));
#define JSZB_TO_PROTO_kRequest(field, wire) out->set_##wire(std::string(p.field));
#define JSZB_TO_PROTO_kUnits(field, wire) \
  for (UnitId u : p.field) out->add_##wire(u);

void to_proto(const Payload& p, v1::Payload* out) {
#define JSZB_PAYLOAD_TO_PROTO(kind, type, field, wire) JSZB_TO_PROTO_##kind(field, wire)
  JSZB_PAYLOAD_FIELDS(JSZB_PAYLOAD_TO_PROTO)
#undef JSZB_PAYLOAD_TO_PROTO
}

void to_proto(StepId step, const Deadline& d, v1::Deadline* out) {
  out->set_step(static_cast<v1::Step>(step));
  out->set_start_ms(d.start);
  out->set_due_ms(d.due);
  out->set_paused_ms(d.paused());
  out->set_base_due_ms(d.base_due);
  out->set_paused_natural_ms(d.paused_natural);
  out->set_paused_working_ms(d.paused_working);
  out->set_resumed_ms(d.resumed);
  out->set_fired(d.fired);
  out->set_working(d.working);
  out->set_estimated(d.estimated);
}

UnitList view(const google::protobuf::RepeatedField<std::uint32_t>& field) {
  return {field.data(), static_cast<std::size_t>(field.size())};
}

Deadline decode_deadline(const v1::Deadline& d) {
  Deadline dl;
  dl.start = d.start_ms();
  dl.due = d.due_ms();
  dl.base_due = d.base_due_ms();
  dl.paused_natural = d.paused_natural_ms();
  dl.paused_working = d.paused_working_ms();
  dl.resumed = d.resumed_ms();
  dl.fired = static_cast<std::uint8_t>(std::min<std::uint32_t>(d.fired(), 255));
  dl.working = d.working();
  dl.estimated = d.estimated();
  return dl;
}

absl::Status decode_intake(const v1::Intake& in, const v1::Contact& contact, Intake* out) {
  Intake& intake = *out;
  intake = Intake();
  intake.time = in.time_ms();
  intake.actor = {enum_cast<Role>(in.recorded_by().role()), in.recorded_by().unit(),
                  in.recorded_by().staff()};
  intake.channel = enum_cast<Channel>(in.channel());
  intake.channel_ref = in.channel_ref();
  intake.kind = enum_cast<Kind>(in.kind());
  if (in.category_size() > 3) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "intake.category has %d levels: at most 3 are allowed", in.category_size()));
  }
  for (int i = 0; i < in.category_size(); ++i) intake.category[i] = in.category(i);
  intake.urgency = enum_cast<Urgency>(in.urgency());
  const v1::Location& loc = in.location();
  intake.location.district = loc.district();
  intake.location.street = loc.street();
  intake.location.community = loc.community();
  intake.location.address = loc.address();
  if (loc.has_lat() != loc.has_lon()) {
    return absl::InvalidArgumentError("intake.location has only one of lat and lon");
  }
  intake.location.has_point = loc.has_lat();
  intake.location.lat = loc.lat();
  intake.location.lon = loc.lon();
  intake.content = in.content();
  intake.contact.name = contact.name();
  intake.contact.phone = contact.phone();
  return absl::OkStatus();
}

}  // namespace

void to_proto(const Event& e, v1::Event* out) {
  out->Clear();
  out->set_case_id(e.case_id);
  out->set_seq(e.seq);
  out->set_type(static_cast<v1::EventType>(e.type));
  out->set_state(static_cast<v1::State>(e.state));
  out->set_time_ms(e.time);
  to_proto(e.actor, out->mutable_actor());
  if (e.type == EventType::kSubmitted && e.intake != nullptr) {
    v1::Submission* sub = out->mutable_submission();
    to_proto(*e.intake, sub->mutable_intake(), sub->mutable_contact());
  } else {
    to_proto(e.payload, out->mutable_payload());
  }
  out->set_policy_version(e.policy_version);
  for (const DeadlineChange& ch : e.deadlines) to_proto(ch.step, ch.deadline, out->add_deadlines());
}

void to_proto(const Case& c, v1::Case* out) {
  out->Clear();
  out->set_id(c.id);
  out->set_state(static_cast<v1::State>(c.state));
  if (c.intake != nullptr) to_proto(*c.intake, out->mutable_intake(), out->mutable_contact());
  out->set_lead_unit(c.lead_unit);
  out->set_dispatch_mode(static_cast<v1::DispatchMode>(c.dispatch_mode));
  for (UnitId u : c.copy_to) out->add_copy_to(u);
  for (std::uint32_t i = 0; i < c.co_handlers.size; ++i) {
    out->add_co_handlers(c.co_handlers[i]);
    if (c.co_pending >> i & 1u) out->add_co_handlers_pending(c.co_handlers[i]);
  }
  out->set_owner_fixed(c.owner_fixed);
  out->set_not_dispatched_reason(static_cast<v1::NotDispatchedReason>(c.not_dispatched_reason));
  out->set_supervision_level(static_cast<v1::SupervisionLevel>(c.supervision_level));
  out->set_return_count(c.return_count);
  out->set_extension_count(c.extension_count);
  out->set_dispatch_extension_count(c.dispatch_extension_count);
  out->set_redo_count(c.redo_count);
  out->set_reopen_count(c.reopen_count);
  out->set_dispatched_ms(c.dispatched);
  out->set_signed_ms(c.signed_for);
  out->set_first_contact_ms(c.first_contact);
  out->set_extension_requested_until_ms(c.extension_requested_until);
  out->set_extended_until_ms(c.extended_until);
  out->set_replied_ms(c.replied);
  out->set_visited_ms(c.visited);
  out->set_closed_ms(c.closed);
  out->set_last_event_ms(c.last_event);
  v1::Reply* reply = out->mutable_reply();
  reply->set_contacted(c.reply.contacted);
  reply->set_solved(c.reply.solved);
  reply->set_text(std::string(c.reply.text));
  v1::Visit* visit = out->mutable_visit();
  visit->set_valid(c.visit.valid);
  visit->set_contacted(c.visit.contacted);
  visit->set_solved(c.visit.solved);
  visit->set_satisfaction(static_cast<v1::Satisfaction>(c.visit.satisfaction));
  visit->set_method(static_cast<v1::VisitMethod>(c.visit.method));
  if (c.credit.time != 0) {
    v1::Credit* credit = out->mutable_credit();
    credit->set_time_ms(c.credit.time);
    v1::Visit* v = credit->mutable_visit();
    v->set_valid(c.credit.visit.valid);
    v->set_contacted(c.credit.visit.contacted);
    v->set_solved(c.credit.visit.solved);
    v->set_satisfaction(static_cast<v1::Satisfaction>(c.credit.visit.satisfaction));
    v->set_method(static_cast<v1::VisitMethod>(c.credit.visit.method));
    credit->set_lead_unit(c.credit.lead);
    for (UnitId u : c.credit.co_handlers) credit->add_co_handlers(u);
    credit->set_appealed(c.credit.appealed);
    credit->set_overturned(c.credit.overturned);
    credit->set_automatic(c.credit.automatic);
    credit->set_held_long_term(c.credit.held_long_term);
  }
  out->set_merged_into(c.merged_into);
  out->set_event_count(c.event_count);
  out->set_policy_version(c.policy_version);
  out->set_suspended_since_ms(c.suspended_since);
  out->set_community_unit(c.community_unit);
  out->set_community_signed_ms(c.community_signed);
  out->set_community_replied_ms(c.community_replied);
  for (const DeadlineChange& d : c.deadlines) to_proto(d.step, d.deadline, out->add_deadlines());
}

absl::Status from_proto(const v1::Event& msg, DecodedEvent* out) {
  Event& e = out->event;
  e = Event();
  int type = msg.type();
  if (type < static_cast<int>(EventType::kSubmitted) || type > kLastEventType) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event.type is %d: expected a jszb_event_type (1..%d)", type, kLastEventType));
  }
  int state = msg.state();
  if (state < 1 || state > kStateCount) {
    return absl::InvalidArgumentError(
        absl::StrFormat("event.state is %d: expected a jszb_state (1..%d)", state, kStateCount));
  }
  e.case_id = msg.case_id();
  e.seq = msg.seq();
  e.type = static_cast<EventType>(type);
  e.state = static_cast<State>(state);
  e.time = msg.time_ms();
  e.actor = {enum_cast<Role>(msg.actor().role()), msg.actor().unit(), msg.actor().staff()};
  e.policy_version = msg.policy_version();
  out->deadlines.clear();
  for (int i = 0; i < msg.deadlines_size(); ++i) {
    const v1::Deadline& d = msg.deadlines(i);
    if (d.step() < 1 || d.step() > kSteps) {
      return absl::InvalidArgumentError(
          absl::StrFormat("event.deadlines[%d].step is %d: expected a jszb_step (1..%d)", i,
                          static_cast<int>(d.step()), kSteps));
    }
    out->deadlines.push_back({static_cast<StepId>(d.step()), decode_deadline(d)});
  }
  e.deadlines = {out->deadlines.data(), static_cast<std::uint32_t>(out->deadlines.size())};

  if (e.type == EventType::kSubmitted) {
    if (!msg.has_submission()) {
      return absl::InvalidArgumentError(
          "event.submission is missing: a submitted event carries it");
    }
    if (absl::Status s =
            decode_intake(msg.submission().intake(), msg.submission().contact(), &out->intake);
        !s.ok()) {
      return s;
    }
    Intake& intake = out->intake;
    e.intake = &intake;
    return absl::OkStatus();
  }

  if (msg.has_submission()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event.submission is set on an event of type %d: only submitted events carry it", type));
  }
  const v1::Payload& p = msg.payload();
  // The engine's own numbers have ranges of their own.
  if (p.step() < 0 || p.step() > kSteps || p.action() < 0 || p.action() > 4 || p.mark() > 255) {
    return absl::InvalidArgumentError("event.payload step, mark or action out of range");
  }
  Payload& q = e.payload;
#define JSZB_FROM_PROTO_kId(field, wire) q.field = p.wire();
#define JSZB_FROM_PROTO_kTime(field, wire) q.field = p.wire();
#define JSZB_FROM_PROTO_kBool(field, wire) q.field = p.wire();
#define JSZB_FROM_PROTO_kEnum(field, wire) q.field = enum_cast<decltype(q.field)>(p.wire());
#define JSZB_FROM_PROTO_kEngine(field, wire) q.field = static_cast<std::uint8_t>(p.wire());
#define JSZB_FROM_PROTO_kText(field, wire) q.field = p.wire();
#define JSZB_FROM_PROTO_kRequest(field, wire) q.field = p.wire();
#define JSZB_FROM_PROTO_kUnits(field, wire) q.field = view(p.wire());
#define JSZB_PAYLOAD_FROM_PROTO(kind, type, field, wire) JSZB_FROM_PROTO_##kind(field, wire)
  JSZB_PAYLOAD_FIELDS(JSZB_PAYLOAD_FROM_PROTO)
#undef JSZB_PAYLOAD_FROM_PROTO
  return absl::OkStatus();
}

absl::Status from_proto(const v1::Case& msg, DecodedCase* out) {
  Case& c = out->c;
  c = Case();
  int state = msg.state();
  if (state < 1 || state > kStateCount) {
    return absl::InvalidArgumentError(
        absl::StrFormat("case.state is %d: expected a jszb_state (1..%d)", state, kStateCount));
  }
  if (msg.co_handlers_size() > kMaxCoHandlers) {
    return absl::InvalidArgumentError(absl::StrFormat("case.co_handlers has %d units: at most %d",
                                                      msg.co_handlers_size(), kMaxCoHandlers));
  }
  if (absl::Status s = decode_intake(msg.intake(), msg.contact(), &out->intake); !s.ok()) return s;
  c.id = msg.id();
  c.state = static_cast<State>(state);
  c.intake = &out->intake;
  c.lead_unit = msg.lead_unit();
  c.dispatch_mode = enum_cast<DispatchMode>(msg.dispatch_mode());
  out->copy_to.assign(msg.copy_to().begin(), msg.copy_to().end());
  out->co_handlers.assign(msg.co_handlers().begin(), msg.co_handlers().end());
  c.copy_to = out->copy_to;
  c.co_handlers = out->co_handlers;
  for (UnitId pending : msg.co_handlers_pending()) {
    int i = c.co_handlers.index_of(pending);
    if (i < 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "case.co_handlers_pending names unit %d, which is not a co-handler", pending));
    }
    c.co_pending |= std::uint64_t{1} << i;
  }
  c.owner_fixed = msg.owner_fixed();
  c.not_dispatched_reason = enum_cast<NotDispatchedReason>(msg.not_dispatched_reason());
  c.supervision_level = enum_cast<SupervisionLevel>(msg.supervision_level());
  c.return_count = msg.return_count();
  c.extension_count = msg.extension_count();
  c.dispatch_extension_count = msg.dispatch_extension_count();
  c.redo_count = msg.redo_count();
  c.reopen_count = msg.reopen_count();
  c.dispatched = msg.dispatched_ms();
  c.signed_for = msg.signed_ms();
  c.first_contact = msg.first_contact_ms();
  c.extension_requested_until = msg.extension_requested_until_ms();
  c.extended_until = msg.extended_until_ms();
  c.replied = msg.replied_ms();
  c.visited = msg.visited_ms();
  c.closed = msg.closed_ms();
  c.last_event = msg.last_event_ms();
  c.reply = {msg.reply().contacted(), msg.reply().solved(), msg.reply().text()};
  c.visit.valid = msg.visit().valid();
  c.visit.contacted = msg.visit().contacted();
  c.visit.solved = msg.visit().solved();
  c.visit.satisfaction = enum_cast<Satisfaction>(msg.visit().satisfaction());
  c.visit.method = enum_cast<VisitMethod>(msg.visit().method());
  if (msg.has_credit()) {
    const auto& credit = msg.credit();
    if (credit.co_handlers_size() > kMaxCoHandlers) {
      return absl::InvalidArgumentError(
          absl::StrFormat("case.credit.co_handlers has %d units: at most %d",
                          credit.co_handlers_size(), kMaxCoHandlers));
    }
    c.credit.time = credit.time_ms();
    c.credit.visit = {credit.visit().valid(), credit.visit().contacted(), credit.visit().solved(),
                      enum_cast<Satisfaction>(credit.visit().satisfaction()),
                      enum_cast<VisitMethod>(credit.visit().method())};
    c.credit.lead = credit.lead_unit();
    out->credit_co_handlers.assign(credit.co_handlers().begin(), credit.co_handlers().end());
    c.credit.co_handlers = out->credit_co_handlers;
    c.credit.appealed = credit.appealed();
    c.credit.overturned = credit.overturned();
    c.credit.automatic = credit.automatic();
    c.credit.held_long_term = credit.held_long_term();
  }
  c.merged_into = msg.merged_into();
  c.event_count = msg.event_count();
  c.policy_version = msg.policy_version();
  c.suspended_since = msg.suspended_since_ms();
  c.community_unit = msg.community_unit();
  c.community_signed = msg.community_signed_ms();
  c.community_replied = msg.community_replied_ms();
  out->deadlines.clear();
  for (const v1::Deadline& d : msg.deadlines()) {
    if (d.step() < 1 || d.step() > kSteps) {
      return absl::InvalidArgumentError(
          absl::StrFormat("case.deadlines step is %d: expected a jszb_step (1..%d)",
                          static_cast<int>(d.step()), kSteps));
    }
    Deadline decoded = decode_deadline(d);
    if (decoded.running()) out->deadlines.push_back({static_cast<StepId>(d.step()), decoded});
  }
  // The case keeps its running clocks ordered by step, each step once.
  std::sort(out->deadlines.begin(), out->deadlines.end(),
            [](const DeadlineChange& a, const DeadlineChange& b) { return a.step < b.step; });
  for (std::size_t i = 1; i < out->deadlines.size(); ++i) {
    if (out->deadlines[i].step == out->deadlines[i - 1].step) {
      return absl::InvalidArgumentError(absl::StrFormat("case.deadlines has step %d twice",
                                                        static_cast<int>(out->deadlines[i].step)));
    }
  }
  c.deadlines.assign_view(out->deadlines.data(), out->deadlines.size());
  return absl::OkStatus();
}

absl::Status check_strings(const google::protobuf::Message& msg, const std::string& name) {
  absl::Status status;
  find_bad_strings(msg, [&](const FieldPath& path) {
    std::string field = name;
    for (const auto& [f, index] : path) {
      absl::StrAppend(&field, ".", f->name());
      if (index >= 0) absl::StrAppend(&field, "[", index, "]");
    }
    status = absl::InvalidArgumentError(
        absl::StrCat(field, " is not a string of UTF-8 without NUL bytes"));
    return false;  // the first is enough
  });
  return status;
}

}  // namespace jszb::core
