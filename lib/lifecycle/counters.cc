#include "lifecycle/counters.h"

#include <algorithm>
#include <iterator>
#include <tuple>

#include "absl/time/civil_time.h"
#include "lifecycle/projection.h"

namespace jszb::core {

namespace {

constexpr TimeMs kChinaOffsetMs = 8 * 3600 * 1000;

TimeMs floor_div(TimeMs a, TimeMs b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// The standing visit counts: valid, not overturned on appeal, not held out of
// the rates on the long-term pending list, and the order
// neither terminated nor merged (both final).
bool counts(const Credit& credit, State state) {
  return credit.time != 0 && credit.visit.valid && !credit.overturned && !credit.held_long_term &&
         state != State::kTerminated && state != State::kMerged;
}

// Adds (sign +1) or takes back (-1) a standing visit for each unit it counts for.
void count_visit(const Credit& credit, int sign, Counters& out) {
  Bucket b = bucket_of(credit.time);
  auto one = [&](UnitId u) {
    UnitTally& t = out.units[{b, u}];
    t.visits += sign;
    if (resolution_only(credit.visit)) t.resolution_only_visits += sign;
    if (credit.visit.contacted) t.contacted += sign;
    if (credit.visit.solved) t.solved += sign;
    switch (credit.visit.satisfaction) {
      case Satisfaction::kSatisfied:
        t.satisfied += sign;
        break;
      case Satisfaction::kBasicallySatisfied:
        t.basically_satisfied += sign;
        break;
      case Satisfaction::kNotSatisfied:
        t.not_satisfied += sign;
        break;
      default:
        break;
    }
  };
  if (credit.lead != 0) one(credit.lead);
  for (std::uint32_t i = 0; i < credit.co_handlers.size; ++i) {
    UnitId u = credit.co_handlers[i];
    bool seen = u == credit.lead ||
                std::find(credit.co_handlers.begin(), credit.co_handlers.begin() + i, u) !=
                    credit.co_handlers.begin() + i;
    if (!seen) one(u);
  }
}

}  // namespace

std::vector<UnitId> breached_by(const Case& c, const Event& breach) {
  std::vector<UnitId> out;
  // The review of the long-term pending list is the centre's, not a unit's.
  if (breach.payload.step == static_cast<std::uint8_t>(StepId::kLongTermReview)) return out;
  if (breach.payload.step == static_cast<std::uint8_t>(StepId::kCoHandlerReport)) {
    for (std::uint32_t i = 0; i < c.co_handlers.size && i < 64; ++i) {
      if ((c.co_pending >> i & 1u) != 0) out.push_back(c.co_handlers[i]);
    }
  } else if (c.lead_unit != 0) {
    out.push_back(c.lead_unit);
  }
  return out;
}

bool supervises(const Event& e) {
  if (e.type == EventType::kSupervised) return true;
  if (e.type != EventType::kDeadlineBreached && e.type != EventType::kDeadlineEscalated) {
    return false;
  }
  return e.payload.action == JSZB_ESCALATE_SUPERVISE_DISTRICT ||
         e.payload.action == JSZB_ESCALATE_SUPERVISE_CITY;
}

bool expired_this_cycle(const Credit& credit, const Case& c) {
  return credit.automatic && c.dispatched != 0 && credit.time >= c.dispatched;
}

Bucket bucket_of(TimeMs t) { return static_cast<Bucket>(floor_div(t + kChinaOffsetMs, kBucketMs)); }
TimeMs bucket_start(Bucket b) { return TimeMs{b} * kBucketMs - kChinaOffsetMs; }
bool on_bucket_edge(TimeMs t) { return bucket_start(bucket_of(t)) == t; }

Month month_of(Bucket b) {
  // The civil day the half-day falls in: days since 1970-01-01 in China time.
  absl::CivilDay day = absl::CivilDay(1970, 1, 1) + (b >= 0 ? b / 2 : -((-b + 1) / 2));
  absl::CivilMonth m(day);
  if (day.day() >= 19) m += 1;
  return static_cast<Month>(m.year() * 12 + m.month() - 1);
}

Bucket first_bucket(Month m) {
  absl::CivilMonth named(m / 12, m % 12 + 1);
  absl::CivilMonth before = named - 1;
  absl::CivilDay start(before.year(), before.month(), 19);
  return static_cast<Bucket>((start - absl::CivilDay(1970, 1, 1)) * 2);
}

std::array<std::int64_t*, UnitTally::kFields> UnitTally::fields() {
#define JSZB_UNIT_TALLY_ADDRESS(field) &field,
  return {JSZB_UNIT_TALLY_FIELDS(JSZB_UNIT_TALLY_ADDRESS)};
#undef JSZB_UNIT_TALLY_ADDRESS
}

std::array<const std::int64_t*, UnitTally::kFields> UnitTally::fields() const {
  auto mutable_fields = const_cast<UnitTally*>(this)->fields();
  std::array<const std::int64_t*, kFields> out;
  std::copy(mutable_fields.begin(), mutable_fields.end(), out.begin());
  return out;
}

// Written out, field by field (no loop over fields()): these run for every event.
void UnitTally::add(const UnitTally& o) {
#define JSZB_UNIT_TALLY_ADD(field) field += o.field;
  JSZB_UNIT_TALLY_FIELDS(JSZB_UNIT_TALLY_ADD)
#undef JSZB_UNIT_TALLY_ADD
}

bool UnitTally::zero() const { return *this == UnitTally(); }

bool operator==(const UnitTally& a, const UnitTally& b) {
#define JSZB_UNIT_TALLY_EQUAL(field) a.field == b.field&&
  return JSZB_UNIT_TALLY_FIELDS(JSZB_UNIT_TALLY_EQUAL) true;
#undef JSZB_UNIT_TALLY_EQUAL
}

void Counters::add(const Counters& other) {
  for (const auto& [key, tally] : other.units) units[key].add(tally);
  for (const auto& [key, n] : other.volumes) volumes[key] += n;
}

void Counters::clear() {
  if (empty()) return;
  // erase() keeps the tables' memory, where clear() would free a large one.
  for (auto it = units.begin(); it != units.end();) units.erase(it++);
  for (auto it = volumes.begin(); it != volumes.end();) volumes.erase(it++);
}

bool operator<(const VolumeTotal& a, const VolumeTotal& b) {
  return std::tie(a.dim, a.district, a.path, a.channel, a.kind) <
         std::tie(b.dim, b.district, b.path, b.channel, b.kind);
}

CounterTotals sum(const Counters& counters, Bucket from, Bucket until) {
  CounterTotals out;
  for (const auto& [key, tally] : counters.units) {
    if (key.first >= from && key.first < until) out.units[key.second].add(tally);
  }
  absl::flat_hash_map<VolumeKey, std::int64_t> merged;
  for (const auto& [key, n] : counters.volumes) {
    if (key.bucket < from || key.bucket >= until) continue;
    VolumeKey any_time = key;
    any_time.bucket = 0;
    merged[any_time] += n;
  }
  out.volumes.reserve(merged.size());
  for (const auto& [key, n] : merged) {
    if (n == 0) continue;
    out.volumes.push_back(
        {key.dim,
         std::string(key.district),
         {std::string(key.path[0]), std::string(key.path[1]), std::string(key.path[2])},
         key.channel,
         key.kind,
         n});
  }
  std::sort(out.volumes.begin(), out.volumes.end());
  for (auto it = out.units.begin(); it != out.units.end();) {
    it = it->second.zero() ? out.units.erase(it) : std::next(it);
  }
  return out;
}

CountedBefore counted_before(const Case& c) {
  return {
      c.lead_unit, c.deadline(StepId::kSign), c.deadline(StepId::kReply), c.first_contact, c.credit,
      c.state};
}

void count_submission(const Case& created, Counters& out, CountedPlace resolved) {
  const Intake& in = *created.intake;
  Bucket b = bucket_of(in.time);
  std::string_view district = resolved.district.empty() ? in.location.district : resolved.district;
  std::string_view street = resolved.district.empty() ? in.location.street : resolved.street;
  ++out.volumes[{b, VolumeDim::kArea, district, {street, in.location.community, {}}}];
  ++out.volumes[{b, VolumeDim::kCategory, district, in.category}];
  ++out.volumes[{b, VolumeDim::kChannel, district, {}, in.channel, in.kind}];
}

void count_event(const CountedBefore& before, const Case& after, const Event& e, Counters& out) {
  Bucket now = bucket_of(e.time);
  switch (e.type) {
    case EventType::kDispatched:
    case EventType::kReturnApproved:
      if (after.lead_unit != 0) ++out.units[{now, after.lead_unit}].dispatched;
      break;
    case EventType::kSigned:
      if (before.lead != 0) {
        UnitTally& t = out.units[{now, before.lead}];
        ++t.sign_outcomes;
        if (!before.sign.running() || e.time <= before.sign.due) ++t.signed_on_time;
      }
      break;
    case EventType::kAutoReturned:  // not signed in time: a late sign-for
      if (before.lead != 0) ++out.units[{now, before.lead}].sign_outcomes;
      break;
    case EventType::kReplied:
      // A reply after the order expired (Art. 23) was counted, late, then.
      if (before.lead != 0 && !expired_this_cycle(before.credit, after)) {
        UnitTally& t = out.units[{now, before.lead}];
        ++t.replies;
        if (!before.reply.running() || e.time <= before.reply.due) ++t.replied_on_time;
      }
      break;
    case EventType::kAutoVisited:  // expired without a reply: a late completion, once a cycle
      if (before.lead != 0 && !expired_this_cycle(before.credit, after)) {
        ++out.units[{now, before.lead}].replies;
      }
      break;
    case EventType::kClosed:
      if (after.lead_unit != 0) {
        UnitTally& t = out.units[{now, after.lead_unit}];
        ++t.closed;
        t.handling_ms += e.time - after.intake->time;
      }
      break;
    case EventType::kDeadlineBreached:
      for (UnitId u : breached_by(after, e)) ++out.units[{now, u}].breached;
      break;
    default:
      break;
  }
  if (supervises(e) && after.lead_unit != 0) ++out.units[{now, after.lead_unit}].supervised;
  if (e.type == EventType::kHeldLongTerm && after.lead_unit != 0) {
    ++out.units[{now, after.lead_unit}].long_term_held;
  }
  if (before.first_contact == 0 && after.first_contact != 0 && after.lead_unit != 0) {
    UnitTally& t = out.units[{now, after.lead_unit}];
    ++t.first_contacts;
    t.response_ms += after.first_contact - after.dispatched;
  }
  // The standing visit: take back what stopped counting, count what started.
  // A 改派 settles it where it was counted: nothing takes it back later.
  bool counted_then = counts(before.credit, before.state) && !settles_credit(before.lead, e);
  bool counted_now = counts(after.credit, after.state);
  if (counted_then && counted_now && before.credit == after.credit) return;
  if (counted_then) count_visit(before.credit, -1, out);
  if (counted_now) count_visit(after.credit, +1, out);
}

}  // namespace jszb::core
