// PackedLog (lib/store/packed_log.h): every field comes back as it went in,
// records of a case stay linked, and the log grows past one region.
#include "store/packed_log.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace jszb::core {
namespace {

const UnitId kCopies[] = {110105, 110108};
const UnitId kCoHandlers[] = {110105007, 110105026, 110105030};
const DeadlineChange kChanges[] = {{StepId::kSign, Deadline{1, 2, 3, 4, 5, 6, 7, true, true}}};

// An event with every field set, each to a value that needs more than one byte
// where the field can take one.
Event every_field() {
  static const Intake intake;
  Event e;
  e.case_id = 1234567890123;
  e.seq = 300;
  e.type = EventType::kDispatched;
  e.state = State::kDispatched;
  e.time = 1632009600123;
  e.actor = {Role::kDispatcher, 110105, 2001};
  e.intake = &intake;
  Payload& p = e.payload;
  p.unit = 110105007;
  p.mode = DispatchMode::kDirect;
  p.copy_to = UnitList(kCopies, 2);
  p.units = UnitList(kCoHandlers, 3);
  p.reason = NotDispatchedReason::kDuplicate;
  p.level = SupervisionLevel::kDistrict;
  p.contacted = true;
  p.solved = true;
  p.valid_visit = true;
  p.satisfaction = Satisfaction::kBasicallySatisfied;
  p.visit_method = VisitMethod::kPhone;
  p.until = 1632009600000 + 86400000;
  p.other_case = 99;
  p.text = "已协调施工方调整作业时间";
  p.step = 4;
  p.mark = 2;
  p.action = 3;
  p.rule = "rule-7";
  p.request_id = "req-1";
  e.policy_version = 70000;
  e.deadlines = {kChanges, 1};
  return e;
}

TEST(PackedLog, EveryFieldComesBack) {
  PackedLog log;
  const Event full = every_field();
  Event bare;  // every optional field zero
  bare.case_id = 1;
  bare.seq = 1;
  bare.type = EventType::kSigned;
  bare.state = State::kHandling;
  bare.time = 946684800000;
  log.reserve_one();
  PackedLog::Position a = log.append(full);
  log.reserve_one();
  PackedLog::Position b = log.append(bare);
  PackedLog::Position next = 7;
  EXPECT_EQ(log.read(a, &next), full);
  EXPECT_EQ(next, PackedLog::kNone);
  EXPECT_EQ(log.read(b, &next), bare);
  EXPECT_EQ(log.size(), 2u);
  std::vector<Event> seen;
  log.for_each([&](const Event& e) { seen.push_back(e); });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], full);
  EXPECT_EQ(seen[1], bare);
}

TEST(PackedLog, LinksAndRegionsHoldAcrossManyRecords) {
  PackedLog log;
  Event e = every_field();
  // Two cases interleaved, enough records to fill several 2 MiB regions.
  constexpr int kRecords = 60000;
  std::vector<PackedLog::Position> positions;
  for (int i = 0; i < kRecords; ++i) {
    e.case_id = 1 + i % 2;
    e.seq = static_cast<std::uint32_t>(i / 2 + 1);
    log.reserve_one();
    positions.push_back(log.append(e));
    if (i >= 2) log.set_next(positions[i - 2], positions[i]);
  }
  EXPECT_GT(log.bytes(), std::size_t{3} << 21) << "the test must cross regions";
  // Walk case 2's chain: every other record, in order.
  int walked = 0;
  for (PackedLog::Position pos = positions[1]; pos != PackedLog::kNone; ++walked) {
    Event got = log.read(pos, &pos);
    ASSERT_EQ(got.case_id, 2u);
    ASSERT_EQ(got.seq, static_cast<std::uint32_t>(walked + 1));
  }
  EXPECT_EQ(walked, kRecords / 2);
  int visited = 0;
  log.for_each([&](const Event& got) {
    EXPECT_EQ(got.case_id, 1u + visited % 2);
    ++visited;
  });
  EXPECT_EQ(visited, kRecords);
}

}  // namespace
}  // namespace jszb::core
