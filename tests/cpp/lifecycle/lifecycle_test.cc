// The transition table, checked exhaustively: every (state, command) pair is
// either a row of the table (accepted, to one of the row's targets) or refused
// with Refusal::kState and no change; every guard admits exactly its actors.
#include "lifecycle/lifecycle.h"

#include <map>
#include <optional>
#include <set>
#include <string>

#include "fixture.h"
#include "model/names.h"

namespace jszb::testing {
namespace {

using core::Lifecycle;
using core::TransitionRow;

std::vector<State> all_states() {
  std::vector<State> out;
  for (int s = 1; s <= kStateCount; ++s) out.push_back(static_cast<State>(s));
  return out;
}

std::vector<CommandKind> all_commands() {
  std::vector<CommandKind> out;
  for (int k = kFirstCommand; k <= kLastCommand; ++k) {
    if (is_command_number(k)) out.push_back(static_cast<CommandKind>(k));
  }
  return out;
}

// The refusal a row's situational guard gives the plain case in its state
// (case_in_state), where the situation does not hold: no deadline runs in an
// engine without a policy, so nothing is overdue (Art. 23 visits are tested
// with a policy, in expiry_test.cc); the plain case was never sent back to
// redo (handling_paths_test.cc re-dispatches one); a replied case has no
// co-handler left to report (handling_paths_test.cc has one); without a policy
// no unit is a community, so nothing is forwarded to one
// (pending_and_community_test.cc forwards under the built-in policy).
std::optional<Refusal> situational(const std::string& guard, State from) {
  if (guard.find("reply_overdue") != std::string::npos) return Refusal::kNotOverdue;
  if (guard.find("community_of_lead") != std::string::npos) return Refusal::kNotCommunityOfLead;
  if (guard == "by_community") return Refusal::kNotCommunity;
  if (guard.find("in_redo") != std::string::npos) return Refusal::kNotInRedo;
  if (guard == "by_pending_co_handler" && from == State::kReplied) return Refusal::kNotCoHandler;
  return std::nullopt;
}
// The same for (from, command), when every row for it is situational.
std::optional<Refusal> situational(State from, CommandKind k) {
  std::optional<Refusal> out;
  for (const TransitionRow& r : Lifecycle::rows()) {
    if (r.from != from || r.command != k) continue;
    std::optional<Refusal> why = situational(r.guard, from);
    if (!why) return std::nullopt;
    out = why;
  }
  return out;
}

// Targets of the rows for (from, command); empty if there is none.
std::set<State> targets(State from, CommandKind k) {
  std::set<State> out;
  for (const TransitionRow& r : Lifecycle::rows()) {
    if (r.from == from && r.command == k) out.insert(r.to);
  }
  return out;
}

std::string label(State s, CommandKind k) {
  return std::string(core::name(s)) + " + " + std::string(core::name(k));
}

TEST(LifecycleTable, CoversEveryStateAndCommand) {
  std::vector<TransitionRow> rows = Lifecycle::rows();
  EXPECT_EQ(rows.size(), 75u);
  std::set<State> sources;
  std::set<State> reached;
  std::set<CommandKind> commands;
  for (const TransitionRow& r : rows) {
    sources.insert(r.from);
    reached.insert(r.to);
    commands.insert(r.command);
    EXPECT_FALSE(r.guard.empty()) << label(r.from, r.command) << ": every row names its guard";
  }
  EXPECT_EQ(commands.size(), all_commands().size()) << "every command has a row";
  for (State s : all_states()) {
    if (s == State::kReceived) continue;
    EXPECT_TRUE(reached.count(s)) << core::name(s) << " unreachable";
  }
  // Only the final states have no way out.
  std::set<State> no_way_out;
  for (State s : all_states()) {
    if (!sources.count(s)) no_way_out.insert(s);
  }
  EXPECT_EQ(no_way_out,
            (std::set<State>{State::kNotDispatched, State::kTerminated, State::kMerged}));
}

TEST(LifecycleTable, EveryStateCommandPairIsAcceptedOrRefusedByState) {
  for (State s : all_states()) {
    Engine e;
    for (CommandKind k : all_commands()) {
      std::string ref = label(s, k);
      CaseId id = case_in_state(e, s, ref);
      CaseId target = submit(e, ref + " target");
      core::Case before = *e.find(id);
      std::uint64_t log_before = e.event_count();
      absl::Status status = e.apply(good_command(k, before, next_time(e, id), target));
      std::set<State> expected = targets(s, k);
      const core::Case& after = *e.find(id);
      if (std::optional<Refusal> why = situational(s, k)) {
        EXPECT_EQ(refusal(status), *why) << ref << ": " << status;
        EXPECT_TRUE(after == before) << ref << ": a refused command changed the case";
      } else if (expected.empty()) {
        EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << ref << ": " << status;
        EXPECT_EQ(refusal(status), Refusal::kState) << ref;
        EXPECT_TRUE(after == before) << ref << ": a refused command changed the case";
        EXPECT_EQ(e.event_count(), log_before) << ref << ": a refused command wrote to the log";
        EXPECT_NE(std::string(status.message()).find(std::string(core::name(s))), std::string::npos)
            << "the message names the state: " << status.message();
        EXPECT_NE(std::string(status.message()).find(std::string(core::name(k))), std::string::npos)
            << "the message names the command: " << status.message();
      } else {
        EXPECT_TRUE(status.ok()) << ref << ": " << status;
        EXPECT_TRUE(expected.count(after.state)) << ref << " went to " << core::name(after.state);
        EXPECT_EQ(after.event_count, before.event_count + 1) << ref;
        EXPECT_EQ(e.event_count(), log_before + 1) << ref;
        std::vector<core::Event> history = e.events(id);
        ASSERT_FALSE(history.empty());
        EXPECT_EQ(history.back().type, event_type_of(k)) << ref;
        EXPECT_EQ(history.back().state, after.state) << ref;
      }
    }
  }
}

// Who may act, per guard (the part before " & "), written out independently of
// lifecycle.cc as the specification of roles and ownership.
enum Who { kOperator, kDispatcher, kOwner, kOtherUnit, kCoHandler, kCitizen, kSystem };
const std::map<std::string, std::set<Who>>& admitted() {
  static const auto* m = new std::map<std::string, std::set<Who>>{
      {"by_centre", {kOperator, kDispatcher}},
      {"by_reviewer", {kDispatcher}},
      {"by_supervisor", {kOperator, kDispatcher, kSystem}},  // no district without a policy
      {"by_owner", {kOwner}},
      {"by_owner_or_centre", {kOwner, kOperator, kDispatcher}},
      {"by_pending_co_handler", {kCoHandler}},
      {"by_system", {kSystem}},
      // The lead when the visit came (a co-handler too, had there been one).
      {"by_credited_unit", {kOwner}},
      // Nobody: without a policy nothing is forwarded to a community.
      {"by_community", {}},
  };
  return *m;
}
const std::map<std::string, Refusal>& refusal_of_guard() {
  static const auto* m = new std::map<std::string, Refusal>{
      {"by_centre", Refusal::kNotCentre},
      {"by_reviewer", Refusal::kNotReviewer},
      {"by_supervisor", Refusal::kNotSupervisor},
      {"by_owner", Refusal::kNotOwner},
      {"by_owner_or_centre", Refusal::kNotOwnerOrCentre},
      {"by_pending_co_handler", Refusal::kNotCoHandler},
      {"by_system", Refusal::kNotSystem},
      {"by_credited_unit", Refusal::kNotCredited},
      {"by_community", Refusal::kNotCommunity},
  };
  return *m;
}

Actor actor_for(Who w, const core::Case& c) {
  switch (w) {
    case kOperator:
      return op();
    case kDispatcher:
      return centre();
    case kOwner:
      return unit(c.lead_unit != 0 ? c.lead_unit : kStreet);
    case kOtherUnit:
      return unit(kStreet2 == c.lead_unit ? kStreet : kStreet2);
    case kCoHandler: {
      for (std::uint32_t i = 0; i < c.co_handlers.size; ++i) {
        if (c.co_pending >> i & 1u) return unit(c.co_handlers[i]);
      }
      return unit(kDept);
    }
    case kCitizen:
      return citizen();
    case kSystem:
      return sys();
  }
  return {};
}

TEST(LifecycleGuards, EachRowAdmitsExactlyItsActors) {
  const Who everyone[] = {kOperator,  kDispatcher, kOwner, kOtherUnit,
                          kCoHandler, kCitizen,    kSystem};
  int checked = 0;
  for (const TransitionRow& row : Lifecycle::rows()) {
    std::string role_guard = row.guard.substr(0, row.guard.find(" & "));
    ASSERT_TRUE(admitted().count(role_guard)) << row.guard << " has no role in the specification";
    for (Who who : everyone) {
      Engine e;
      std::string ref = label(row.from, row.command) + " #" + std::to_string(who);
      CaseId id = case_in_state(e, row.from, ref);
      CaseId target = submit(e, ref + " target");
      core::Case before = *e.find(id);
      Command cmd = good_command(row.command, before, next_time(e, id), target);
      cmd.actor = actor_for(who, before);
      absl::Status status = e.apply(cmd);
      bool should_pass = admitted().at(role_guard).count(who) > 0;
      if (should_pass && situational(row.guard, row.from)) {
        // Admitted, but the plain case lacks the row's situation.
        EXPECT_EQ(refusal(status), *situational(row.guard, row.from)) << ref << ": " << status;
      } else if (should_pass) {
        EXPECT_TRUE(status.ok()) << ref << " (" << row.guard << "): " << status;
      } else {
        EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << ref << ": " << status;
        EXPECT_EQ(refusal(status), refusal_of_guard().at(role_guard)) << ref << ": " << status;
        EXPECT_TRUE(*e.find(id) == before) << ref << ": a refused command changed the case";
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 75 * 7);
}

TEST(LifecycleRules, NoSecondReturnOnceTheCentreReviewedOne) {
  Engine e;
  // Review approves: re-dispatched to another street, which may not return it.
  CaseId a = case_in_state(e, State::kReturnRequested, "approve");
  must(e, good_command(CommandKind::kApproveReturn, *e.find(a), next_time(e, a)));
  EXPECT_EQ(e.find(a)->lead_unit, kStreet2);
  EXPECT_TRUE(e.find(a)->owner_fixed);
  absl::Status s = e.apply(good_command(CommandKind::kRequestReturn, *e.find(a), next_time(e, a)));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_EQ(refusal(s), Refusal::kOwnerFixed);
  EXPECT_EQ(e.find(a)->state, State::kDispatched);

  // Review refuses: sent back to the same street, which may not return it again.
  CaseId b = case_in_state(e, State::kReturnRequested, "refuse");
  must(e, good_command(CommandKind::kRefuseReturn, *e.find(b), next_time(e, b)));
  EXPECT_EQ(e.find(b)->lead_unit, kStreet);
  s = e.apply(good_command(CommandKind::kRequestReturn, *e.find(b), next_time(e, b)));
  EXPECT_EQ(refusal(s), Refusal::kOwnerFixed) << s;
  // The owner can still sign.
  must(e, good_command(CommandKind::kSign, *e.find(b), next_time(e, b)));
  EXPECT_EQ(e.find(b)->return_count, 1u);
}

TEST(LifecycleRules, ExtensionsAreLimitedPerCycle) {
  for (std::uint32_t limit : {1u, 2u}) {
    Engine e(core::EngineOptions{limit});
    CaseId id = case_in_state(e, State::kHandling, "ext");
    for (std::uint32_t i = 0; i < limit; ++i) {
      must(e, good_command(CommandKind::kRequestExtension, *e.find(id), next_time(e, id)));
      must(e, good_command(CommandKind::kApproveExtension, *e.find(id), next_time(e, id)));
    }
    EXPECT_EQ(e.find(id)->extension_count, limit);
    absl::Status s =
        e.apply(good_command(CommandKind::kRequestExtension, *e.find(id), next_time(e, id)));
    EXPECT_EQ(refusal(s), Refusal::kExtensionLimit) << s;
    EXPECT_EQ(e.find(id)->state, State::kHandling);
  }
}

TEST(LifecycleRules, ApprovedExtensionMovesTheDeadline) {
  Engine e;
  CaseId id = case_in_state(e, State::kHandling, "ext");
  TimeMs t = next_time(e, id);
  must(e, good_command(CommandKind::kRequestExtension, *e.find(id), t));
  EXPECT_EQ(e.find(id)->extension_requested_until, t + 7 * kDay);
  // The reviewer may grant less than asked.
  Command approve = good_command(CommandKind::kApproveExtension, *e.find(id), t + kHour);
  approve.payload.until = t + 3 * kDay;
  must(e, approve);
  EXPECT_EQ(e.find(id)->extended_until, t + 3 * kDay);
  EXPECT_EQ(e.find(id)->extension_requested_until, 0);
}

TEST(LifecycleRules, RedoNeedsAnUnsolvedOrUnsatisfiedVisit) {
  struct VisitCase {
    bool valid, solved;
    Satisfaction satisfaction;
    bool redo_allowed;
  };
  const VisitCase cases[] = {
      {true, true, Satisfaction::kSatisfied, false},
      {true, true, Satisfaction::kBasicallySatisfied, false},
      {true, true, Satisfaction::kNotSatisfied, true},
      {true, false, Satisfaction::kSatisfied, true},
      {false, false, Satisfaction::kUnspecified, true},
  };
  int n = 0;
  for (const VisitCase& v : cases) {
    Engine e;
    CaseId id = case_in_state(e, State::kReplied, "redo" + std::to_string(n++));
    Command visit = good_command(CommandKind::kVisit, *e.find(id), next_time(e, id));
    visit.payload.valid_visit = v.valid;
    visit.payload.contacted = v.valid;
    visit.payload.solved = v.solved;
    visit.payload.satisfaction = v.satisfaction;
    must(e, visit);
    absl::Status s = e.apply(good_command(CommandKind::kRedo, *e.find(id), next_time(e, id)));
    if (v.redo_allowed) {
      EXPECT_TRUE(s.ok()) << s;
      EXPECT_EQ(e.find(id)->state, State::kHandling);
      EXPECT_EQ(e.find(id)->redo_count, 1u);
    } else {
      EXPECT_EQ(refusal(s), Refusal::kVisitSatisfied) << s;
      // Closing is what remains.
      must(e, good_command(CommandKind::kClose, *e.find(id), next_time(e, id)));
    }
  }
}

TEST(LifecycleRules, CoHandlersReportBeforeTheLeadReplies) {
  Engine e;
  CaseId id = case_in_state(e, State::kCoHandling, "whistle");
  EXPECT_EQ(e.find(id)->co_pending_count(), 2);
  // (The lead need not wait for them to reply: handling_paths_test.cc.)
  // A unit that is not a co-handler may not report.
  Command stranger = good_command(CommandKind::kReportToLead, *e.find(id), next_time(e, id));
  stranger.actor = unit(kStreet2);
  EXPECT_EQ(refusal(e.apply(stranger)), Refusal::kNotCoHandler);
  // First report: still co-handling; the same unit may not report twice.
  Command first = good_command(CommandKind::kReportToLead, *e.find(id), next_time(e, id));
  must(e, first);
  EXPECT_EQ(e.find(id)->state, State::kCoHandling);
  first.time = next_time(e, id);
  EXPECT_EQ(refusal(e.apply(first)), Refusal::kNotCoHandler);
  // Last report: back to the lead.
  must(e, good_command(CommandKind::kReportToLead, *e.find(id), next_time(e, id)));
  EXPECT_EQ(e.find(id)->state, State::kHandling);
  EXPECT_EQ(e.find(id)->co_pending, 0u);
  must(e, good_command(CommandKind::kReply, *e.find(id), next_time(e, id)));
}

TEST(LifecycleRules, CoHandlersNamedAtDispatchMakeSigningCoHandling) {
  Engine e;
  CaseId id = submit(e, "dispatch-with-co");
  Command d = good_command(CommandKind::kDispatch, *e.find(id), next_time(e, id));
  const UnitId co[] = {kDept};
  d.payload.units = {co, 1};
  must(e, d);
  must(e, good_command(CommandKind::kSign, *e.find(id), next_time(e, id)));
  EXPECT_EQ(e.find(id)->state, State::kCoHandling);
}

TEST(LifecycleRules, SidePathsReturnToCoHandlingWhileReportsArePending) {
  Engine e;
  CaseId ext = case_in_state(e, State::kCoHandling, "ext");
  must(e, good_command(CommandKind::kRequestExtension, *e.find(ext), next_time(e, ext)));
  must(e, good_command(CommandKind::kApproveExtension, *e.find(ext), next_time(e, ext)));
  EXPECT_EQ(e.find(ext)->state, State::kCoHandling);

  CaseId sus = case_in_state(e, State::kCoHandling, "suspend");
  must(e, good_command(CommandKind::kSuspend, *e.find(sus), next_time(e, sus)));
  must(e, good_command(CommandKind::kResume, *e.find(sus), next_time(e, sus)));
  EXPECT_EQ(e.find(sus)->state, State::kCoHandling);

  CaseId refused = case_in_state(e, State::kCoHandling, "refused");
  must(e, good_command(CommandKind::kRequestExtension, *e.find(refused), next_time(e, refused)));
  must(e, good_command(CommandKind::kRefuseExtension, *e.find(refused), next_time(e, refused)));
  EXPECT_EQ(e.find(refused)->state, State::kCoHandling);
  EXPECT_EQ(e.find(refused)->extension_count, 0u);
}

TEST(LifecycleRules, ReopenStartsANewCycle) {
  Engine e;
  CaseId id = case_in_state(e, State::kClosed, "reopen");
  must(e, good_command(CommandKind::kReopen, *e.find(id), next_time(e, id)));
  const core::Case& c = *e.find(id);
  EXPECT_EQ(c.state, State::kReceived);
  EXPECT_EQ(c.reopen_count, 1u);
  EXPECT_EQ(c.lead_unit, 0u);
  EXPECT_EQ(c.closed, 0);
  EXPECT_EQ(c.replied, 0);
  // Dispatched again, it may be returned again: the new cycle's owner is not fixed.
  must(e, good_command(CommandKind::kDispatch, *e.find(id), next_time(e, id)));
  must(e, good_command(CommandKind::kRequestReturn, *e.find(id), next_time(e, id)));
}

TEST(LifecycleRules, SupervisionRaisesTheLevelWithoutChangingState) {
  Engine e;
  CaseId id = case_in_state(e, State::kHandling, "supervise");
  must(e, good_command(CommandKind::kSupervise, *e.find(id), next_time(e, id)));
  EXPECT_EQ(e.find(id)->supervision_level, SupervisionLevel::kDistrict);
  Command city = good_command(CommandKind::kSupervise, *e.find(id), next_time(e, id));
  city.actor = sys();
  city.payload.level = SupervisionLevel::kCity;
  must(e, city);
  Command district_again = good_command(CommandKind::kSupervise, *e.find(id), next_time(e, id));
  must(e, district_again);
  EXPECT_EQ(e.find(id)->supervision_level, SupervisionLevel::kCity) << "the highest level stays";
  EXPECT_EQ(e.find(id)->state, State::kHandling);
}

}  // namespace
}  // namespace jszb::testing
