// Shared test helpers: actors, requests, commands that the lifecycle accepts,
// and paths that bring a case to each state.
#ifndef JSZB_TESTS_CPP_FIXTURE_H
#define JSZB_TESTS_CPP_FIXTURE_H

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/engine.h"
#include "model/refusal.h"

namespace jszb::testing {

using core::Command;
using core::Engine;
using core::Intake;

// 2021-09-18 16:00 in Beijing (08:00 UTC), the afternoon before the
// Chaoyang week starts (the tests' deadlines were written from this instant).
inline constexpr TimeMs kT0 = 1631980800000 - 8 * 3600 * 1000;
inline constexpr TimeMs kMinute = 60 * 1000;
inline constexpr TimeMs kHour = 60 * kMinute;
inline constexpr TimeMs kDay = 24 * kHour;

inline constexpr UnitId kStreet = 110105007;   // 和平街街道
inline constexpr UnitId kStreet2 = 110105026;  // 望京街道
inline constexpr UnitId kDistrict = 110105;    // 朝阳区
inline constexpr UnitId kDept = 110105901;     // a district department
inline constexpr UnitId kDept2 = 110105902;
inline constexpr UnitId kDept3 = 110105903;
// 胜古庄社区居委会, a community under kStreet (jszb's code for 110105007039).
inline constexpr UnitId kCommunity = 2105007039;

inline Actor op() { return {Role::kOperator, 0, 1001}; }
inline Actor centre() { return {Role::kDispatcher, 0, 2001}; }
inline Actor unit(UnitId u) { return {Role::kUnit, u, 0}; }
inline Actor citizen() { return {Role::kCitizen, 0, 0}; }
inline Actor sys() { return {Role::kSystem, 0, 0}; }

// A valid request; `ref` makes it distinct (the intake views it: keep it alive,
// e.g. pass a literal).
Intake request(std::string_view ref, TimeMs t = kT0);

// Submits a request and returns its id (fails the test if refused).
CaseId submit(Engine& e, const std::string& ref, TimeMs t = kT0);

// A command with a payload that passes validation for its kind, acted by the
// actor the lifecycle's guards accept for case `c` (owner, reviewer, pending
// co-handler ...). `merge_target` is used for kMerge.
Command good_command(CommandKind k, const core::Case& c, TimeMs t, CaseId merge_target = 0);

// Applies a command and fails the test if it is refused.
void must(Engine& e, const Command& cmd);

// Brings a fresh case to `target` along the usual path and returns its id.
// kMerged merges into a case made for the purpose.
CaseId case_in_state(Engine& e, State target, const std::string& ref);

// The time a test may use for the next command on case id (after its last event).
TimeMs next_time(const Engine& e, CaseId id);

// The refusal a status carries (kNone if it carries none).
Refusal refusal(const absl::Status& s);

}  // namespace jszb::testing

#endif  // JSZB_TESTS_CPP_FIXTURE_H
