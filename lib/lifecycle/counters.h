// Counters: the numbers the reports need, kept as projections. Each event
// changes them as it is applied, and the store writes the change in the same
// commit as the event, so a report over a month of tens of millions of cases
// adds up a few thousand rows instead of reading the log (DESIGN.md: "case rows
// and counters are projections that can always be rebuilt from it").
//
// Time is bucketed in China-time half-days (00:00–12:00 and 12:00–24:00,
// UTC+8): the assessment month (19th to 19th) and the bulletin day (noon to
// noon) are both whole buckets, and so is any range of days.
//
// What the unit counters count is what assessment.h defines; the recompute
// there must give the same numbers (tests/cpp/counters_test.cc).
#ifndef JSZB_LIB_LIFECYCLE_COUNTERS_H
#define JSZB_LIB_LIFECYCLE_COUNTERS_H

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "model/case.h"
#include "model/event.h"

namespace jszb::core {

using Bucket = std::int32_t;  // China-time half-days since 1970-01-01 00:00 +08:00
inline constexpr TimeMs kBucketMs = 12 * 3600 * 1000;
Bucket bucket_of(TimeMs t);
TimeMs bucket_start(Bucket b);
bool on_bucket_edge(TimeMs t);

// Assessment months (19th 00:00 to 19th 00:00, China time), numbered
// year * 12 + month - 1 by the month that holds their last day: a durable
// store also keeps the counters rolled up by them.
using Month = std::int32_t;
Month month_of(Bucket b);
Bucket first_bucket(Month m);

// One unit's counts in one bucket. Signed: a visit that stops standing (a
// later visit, an upheld appeal, a termination) is taken back where it was
// counted.
//
// The counts, once: the struct, its sums and comparisons, and the store's
// columns (sqlite_store_counters.cc) are written from this list. In order:
// - orders whose standing valid visit falls in the bucket (assessment.h), and
//   its outcomes;
// - on-time indicators, by when the sign-for or reply happened;
// - workload and speed: orders dispatched to the unit; first contacts with the
//   citizen and the time from dispatch to them; orders closed and the time
//   from receipt to closing; deadlines breached;
// - supervisions (督办) of the unit as lead: each SUPERVISED event, and each
//   breach or escalation whose action is a supervision (store schema 5);
// - of the standing valid visits, those that count in the resolution rate
//   only (resolution_only_visits): an Art. 23 result under the policy's
//   EXPIRY_COUNTED_AS_NOT_SOLVED, a valid visit without the citizen's answer
//   (store schema 5);
// - orders of the unit as lead put on the long-term pending list (挂账,
//   store schema 5).
// A new count goes at the end, with a store migration that adds its column.
// clang-format off
#define JSZB_UNIT_TALLY_FIELDS(X)                                                       \
  X(visits) X(contacted) X(solved) X(satisfied) X(basically_satisfied) X(not_satisfied) \
  X(sign_outcomes) X(signed_on_time) X(replies) X(replied_on_time)                      \
  X(dispatched) X(first_contacts) X(response_ms) X(closed) X(handling_ms) X(breached)   \
  X(supervised) X(resolution_only_visits) X(long_term_held)
// clang-format on

struct UnitTally {
#define JSZB_UNIT_TALLY_MEMBER(field) std::int64_t field = 0;
  JSZB_UNIT_TALLY_FIELDS(JSZB_UNIT_TALLY_MEMBER)
#undef JSZB_UNIT_TALLY_MEMBER

#define JSZB_UNIT_TALLY_ONE(field) +1
  static constexpr int kFields = 0 JSZB_UNIT_TALLY_FIELDS(JSZB_UNIT_TALLY_ONE);
#undef JSZB_UNIT_TALLY_ONE
  std::array<std::int64_t*, kFields> fields();
  std::array<const std::int64_t*, kFields> fields() const;
  void add(const UnitTally& other);
  bool zero() const;
};
bool operator==(const UnitTally& a, const UnitTally& b);

// The store's column of each count, in the order of fields().
inline constexpr std::array<std::string_view, UnitTally::kFields> kUnitTallyColumns = {
#define JSZB_UNIT_TALLY_NAME(field) #field,
    JSZB_UNIT_TALLY_FIELDS(JSZB_UNIT_TALLY_NAME)
#undef JSZB_UNIT_TALLY_NAME
};

// Requests received, counted along three dimensions per district (their full
// cross product would be as many rows as requests): where (street and
// community), what (category levels 1..3), how (channel and kind). A street's
// or a unit's own report reads its cases instead: they are few.
enum class VolumeDim : std::uint8_t { kArea = 1, kCategory = 2, kChannel = 3 };

struct VolumeKey {
  Bucket bucket = 0;
  VolumeDim dim = VolumeDim::kArea;
  std::string_view district;
  // kArea: street, community; kCategory: levels 1..3; kChannel: unused.
  std::array<std::string_view, 3> path;
  Channel channel = Channel::kUnspecified;  // kChannel only
  Kind kind = Kind::kUnspecified;           // kChannel only

  template <typename H>
  friend H AbslHashValue(H h, const VolumeKey& k) {
    return H::combine(std::move(h), k.bucket, k.dim, k.district, k.path[0], k.path[1], k.path[2],
                      k.channel, k.kind);
  }
  friend bool operator==(const VolumeKey& a, const VolumeKey& b) {
    return a.bucket == b.bucket && a.dim == b.dim && a.district == b.district && a.path == b.path &&
           a.channel == b.channel && a.kind == b.kind;
  }
};

using UnitBucket = std::pair<Bucket, UnitId>;

// A set of counter changes (one batch's), or the counters themselves.
struct Counters {
  absl::flat_hash_map<UnitBucket, UnitTally> units;
  absl::flat_hash_map<VolumeKey, std::int64_t> volumes;  // requests received

  void add(const Counters& other);
  bool empty() const { return units.empty() && volumes.empty(); }
  void clear();
};

// The counters summed over the buckets [from, until): per unit, and the volumes
// per key (bucket 0), ordered by key; the totals own their strings.
struct VolumeTotal {
  VolumeDim dim = VolumeDim::kArea;
  std::string district;
  std::array<std::string, 3> path;
  Channel channel = Channel::kUnspecified;
  Kind kind = Kind::kUnspecified;
  std::int64_t received = 0;
};
bool operator<(const VolumeTotal& a, const VolumeTotal& b);  // by key
struct CounterTotals {
  std::map<UnitId, UnitTally> units;
  std::vector<VolumeTotal> volumes;
};
CounterTotals sum(const Counters& counters, Bucket from, Bucket until);

// The parts of a case before an event that the counters look at (copying the
// whole case for every event would cost more than counting).
struct CountedBefore {
  UnitId lead = 0;
  Deadline sign;
  Deadline reply;
  TimeMs first_contact = 0;
  Credit credit;
  State state = State::kUnspecified;
};
CountedBefore counted_before(const Case& c);

// Where a request is counted: the district and street its policy resolved for
// it (from its names, or its map point when it names no street), empty when the
// policy resolved none (then the intake's names, as told, are used). The case's
// intake keeps what the citizen told either way.
struct CountedPlace {
  std::string_view district;
  std::string_view street;
};

// Adds what a submission changes (its volume) to `out`. The intake's strings
// and the place's must outlive `out`.
void count_submission(const Case& created, Counters& out, CountedPlace resolved = {});
// Adds what `e` changed, `before` being the case before it and `after` after.
// Whose breach a deadline breach is: the co-handlers still to report for
// theirs, nobody for the review of the long-term pending list (the centre's),
// the lead unit for every other step.
std::vector<UnitId> breached_by(const Case& c, const Event& breach);

// Whether a valid visit result counts in the resolution rate only, not in the
// response or satisfaction rate: it has no answer of the citizen's (the
// engine's Art. 23 result under EXPIRY_COUNTED_AS_NOT_SOLVED; a real valid
// visit always records a satisfaction).
inline bool resolution_only(const Visit& v) {
  return v.valid && v.satisfaction == Satisfaction::kUnspecified;
}

// Whether an event supervises (督办) the case's lead unit: a supervision by
// hand, or a breach or escalation mark whose action is one.
bool supervises(const Event& e);

// Whether the case's standing result is the engine's own (Art. 23) from its
// current dispatch cycle: the order expired, and its completion was counted
// then (late), so a reply that follows is not counted again.
bool expired_this_cycle(const Credit& credit, const Case& c);

void count_event(const CountedBefore& before, const Case& after, const Event& e, Counters& out);

}  // namespace jszb::core

#endif  // JSZB_LIB_LIFECYCLE_COUNTERS_H
