// The engine: intake, idempotency, refusals that change nothing, validation
// that names the field, listeners, listing, replay.
#include <string>
#include <vector>

#include "fixture.h"
#include "model/names.h"

namespace jszb::testing {
namespace {

using ::testing::HasSubstr;

TEST(EngineSubmit, AssignsIncreasingIdsAndRecordsTheSubmission) {
  Engine e;
  CaseId a = submit(e, "call-1");
  CaseId b = submit(e, "call-2", kT0 + kMinute);
  EXPECT_EQ(a, 1u);
  EXPECT_EQ(b, 2u);
  const core::Case& c = *e.find(a);
  EXPECT_EQ(c.state, State::kReceived);
  ASSERT_NE(c.intake, nullptr);
  EXPECT_EQ(c.intake->channel_ref, "call-1");
  EXPECT_EQ(c.intake->category[2], "夜间施工扰民");
  EXPECT_EQ(c.intake->contact.phone, "13800000000");
  std::vector<core::Event> events = e.events(a);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, EventType::kSubmitted);
  EXPECT_EQ(events[0].seq, 1u);
  EXPECT_EQ(events[0].time, kT0);
  EXPECT_EQ(events[0].actor, op());
  ASSERT_NE(events[0].intake, nullptr);
  EXPECT_EQ(events[0].intake->content, c.intake->content);
}

TEST(EngineSubmit, IsIdempotentOnChannelAndChannelRef) {
  Engine e;
  CaseId a = submit(e, "call-1");
  std::uint64_t events = e.event_count();
  absl::StatusOr<core::SubmitResult> again = e.submit(request("call-1", kT0 + kHour));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, a);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(e.case_count(), 1u);
  EXPECT_EQ(e.event_count(), events) << "a repeated submission writes nothing";
  // The same reference on another channel is another request.
  Intake web = request("call-1");
  web.channel = Channel::kWeb;
  absl::StatusOr<core::SubmitResult> other = e.submit(web);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->created);
  EXPECT_NE(other->id, a);
}

TEST(EngineSubmit, StoresItsOwnCopyOfTheStrings) {
  Engine e;
  std::string ref = "call-volatile";
  std::string content = "路灯不亮";
  Intake in = request(ref);
  in.content = content;
  absl::StatusOr<core::SubmitResult> r = e.submit(in);
  ASSERT_TRUE(r.ok());
  ref.assign("XXXXXXXXXXXXX");
  content.assign("YYYYYYYYYYYY");
  EXPECT_EQ(e.find(r->id)->intake->channel_ref, "call-volatile");
  EXPECT_EQ(e.find(r->id)->intake->content, "路灯不亮");
}

struct BadIntake {
  const char* what;
  void (*spoil)(Intake&);
  const char* field;
};

TEST(EngineSubmit, RefusesMalformedRequestsNamingTheField) {
  const BadIntake cases[] = {
      {"no ref", [](Intake& i) { i.channel_ref = {}; }, "intake.channel_ref"},
      {"no content", [](Intake& i) { i.content = {}; }, "intake.content"},
      {"no category", [](Intake& i) { i.category[0] = {}; }, "intake.category[0]"},
      {"gap in category", [](Intake& i) { i.category[1] = {}; }, "intake.category[2]"},
      {"bad kind", [](Intake& i) { i.kind = static_cast<Kind>(9); }, "intake.kind"},
      {"no kind", [](Intake& i) { i.kind = Kind::kUnspecified; }, "intake.kind"},
      {"bad channel", [](Intake& i) { i.channel = static_cast<Channel>(77); }, "intake.channel"},
      {"bad urgency", [](Intake& i) { i.urgency = static_cast<Urgency>(4); }, "intake.urgency"},
      {"negative time", [](Intake& i) { i.time = -1; }, "intake.time_ms"},
      {"unit records", [](Intake& i) { i.actor = unit(kStreet); }, "intake.actor.role"},
      {"no role", [](Intake& i) { i.actor = {}; }, "intake.actor.role"},
      {"bad latitude",
       [](Intake& i) {
         i.location.has_point = true;
         i.location.lat = 91;
         i.location.lon = 116;
       },
       "intake.lat"},
      {"bad UTF-8", [](Intake& i) { i.content = "\xe4\xb8"; }, "intake.content"},
      {"overlong UTF-8", [](Intake& i) { i.location.address = "\xc0\xaf"; }, "intake.address"},
      {"surrogate", [](Intake& i) { i.contact.name = "\xed\xa0\x80"; }, "intake.contact_name"},
  };
  for (const BadIntake& bad : cases) {
    Engine e;
    submit(e, "good");
    Intake in = request("bad");
    bad.spoil(in);
    absl::StatusOr<core::SubmitResult> r = e.submit(in);
    ASSERT_FALSE(r.ok()) << bad.what;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad.what;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(bad.field)) << bad.what;
    EXPECT_EQ(e.case_count(), 1u) << bad.what;
    EXPECT_EQ(e.event_count(), 1u) << bad.what;
  }
}

TEST(EngineApply, UnknownCaseIsNotFound) {
  Engine e;
  CaseId id = submit(e, "x");
  Command cmd = good_command(CommandKind::kDispatch, *e.find(id), kT0 + kHour);
  cmd.case_id = 999;
  absl::Status s = e.apply(cmd);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(s.message()), HasSubstr("999"));
}

TEST(EngineApply, CommandsOnACaseComeInTimeOrder) {
  Engine e;
  CaseId id = submit(e, "x", kT0 + kDay);
  absl::Status s = e.apply(good_command(CommandKind::kDispatch, *e.find(id), kT0));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("before case 1's last event"));
  EXPECT_EQ(e.find(id)->state, State::kReceived);
  // The same instant is fine: several steps can happen in one millisecond.
  must(e, good_command(CommandKind::kDispatch, *e.find(id), kT0 + kDay));
}

struct BadPayload {
  const char* what;
  CommandKind kind;
  void (*spoil)(Command&);
  const char* expected;
};

TEST(EngineApply, RefusesMalformedCommandsNamingTheField) {
  static const UnitId kDup[] = {kDistrict, kDistrict};
  static const UnitId kLead[] = {kStreet};
  static const UnitId kZero[] = {0};
  const BadPayload cases[] = {
      {"sign with units", CommandKind::kSign,
       [](Command& c) {
         c.payload.units = {kLead, 1};
       },
       "payload.units is set, but sign"},
      {"dispatch without unit", CommandKind::kDispatch, [](Command& c) { c.payload.unit = 0; },
       "payload.unit is missing: dispatch needs the lead unit"},
      {"copy twice", CommandKind::kDispatch,
       [](Command& c) {
         c.payload.copy_to = {kDup, 2};
       },
       "payload.copy_to lists unit 110105 twice"},
      {"copy the lead", CommandKind::kDispatch,
       [](Command& c) {
         c.payload.copy_to = {kLead, 1};
       },
       "the lead unit itself"},
      {"zero unit", CommandKind::kDispatch,
       [](Command& c) {
         c.payload.units = {kZero, 1};
       },
       "payload.units[0] is 0"},
      {"bad mode", CommandKind::kDispatch,
       [](Command& c) { c.payload.mode = static_cast<DispatchMode>(9); }, "payload.mode is 9"},
      {"return without reason", CommandKind::kRequestReturn,
       [](Command& c) { c.payload.text = {}; }, "payload.text is missing"},
      {"reply without text", CommandKind::kReply, [](Command& c) { c.payload.text = {}; },
       "public reply text"},
      {"visit valid without satisfaction", CommandKind::kVisit,
       [](Command& c) { c.payload.satisfaction = Satisfaction::kUnspecified; },
       "payload.satisfaction is missing"},
      {"no valid visit but solved", CommandKind::kVisit,
       [](Command& c) {
         c.payload.valid_visit = false;
         c.payload.satisfaction = Satisfaction::kUnspecified;
         c.payload.solved = true;
       },
       "payload.valid_visit is 0"},
      {"extension in the past", CommandKind::kRequestExtension,
       [](Command& c) { c.payload.until = c.time - 1; }, "is not after the command's time"},
      {"not dispatch without reason", CommandKind::kNotDispatch,
       [](Command& c) { c.payload.reason = NotDispatchedReason::kUnspecified; }, "Art. 11 reason"},
      {"bad kind", CommandKind::kSign, [](Command& c) { c.kind = static_cast<CommandKind>(99); },
       "command.kind is 99"},
      {"unit without id", CommandKind::kSign,
       [](Command& c) {
         c.actor = {Role::kUnit, 0, 0};
       },
       "command.actor.unit is 0"},
      {"invalid UTF-8 reply", CommandKind::kReply, [](Command& c) { c.payload.text = "\xff"; },
       "payload.text is not valid UTF-8"},
  };
  for (const BadPayload& bad : cases) {
    Engine e;
    State state = bad.kind == CommandKind::kDispatch || bad.kind == CommandKind::kNotDispatch
                      ? State::kReceived
                  : bad.kind == CommandKind::kSign || bad.kind == CommandKind::kRequestReturn
                      ? State::kDispatched
                  : bad.kind == CommandKind::kVisit ? State::kReplied
                                                    : State::kHandling;
    CaseId id = case_in_state(e, state, "bad");
    core::Case before = *e.find(id);
    Command cmd = good_command(bad.kind, before, next_time(e, id));
    bad.spoil(cmd);
    absl::Status s = e.apply(cmd);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad.what << ": " << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(bad.expected)) << bad.what;
    EXPECT_TRUE(*e.find(id) == before) << bad.what;
  }
}

TEST(EngineApply, AcceptedCommandsBecomeEventsWithTheirPayload) {
  Engine e;
  CaseId id = submit(e, "x");
  Command d = good_command(CommandKind::kDispatch, *e.find(id), kT0 + 10 * kMinute);
  must(e, d);
  std::vector<core::Event> events = e.events(id);
  ASSERT_EQ(events.size(), 2u);
  const core::Event& ev = events[1];
  EXPECT_EQ(ev.type, EventType::kDispatched);
  EXPECT_EQ(ev.state, State::kDispatched);
  EXPECT_EQ(ev.seq, 2u);
  EXPECT_EQ(ev.time, kT0 + 10 * kMinute);
  EXPECT_EQ(ev.actor, centre());
  EXPECT_EQ(ev.payload.unit, kStreet);
  EXPECT_EQ(ev.payload.mode, DispatchMode::kDirect) << "an unspecified mode is recorded as direct";
  ASSERT_EQ(ev.payload.copy_to.size, 1u);
  EXPECT_EQ(ev.payload.copy_to[0], kDistrict);
  const core::Case& c = *e.find(id);
  EXPECT_EQ(c.lead_unit, kStreet);
  EXPECT_EQ(c.dispatched, kT0 + 10 * kMinute);
  EXPECT_TRUE(c.copy_to.contains(kDistrict));
}

TEST(EngineApply, DistrictCoordinatesWhenTheOwnerIsUnclear) {
  Engine e;
  CaseId id = submit(e, "x");
  Command d = good_command(CommandKind::kDispatch, *e.find(id), next_time(e, id));
  d.payload.unit = kDistrict;
  d.payload.copy_to = {};
  d.payload.mode = DispatchMode::kDistrictCoordinates;
  must(e, d);
  EXPECT_EQ(e.find(id)->dispatch_mode, DispatchMode::kDistrictCoordinates);
  must(e, good_command(CommandKind::kSign, *e.find(id), next_time(e, id)));
  EXPECT_EQ(e.find(id)->signed_for, e.find(id)->last_event);
}

TEST(EngineApply, MergeNeedsAnotherLiveTarget) {
  Engine e;
  CaseId a = submit(e, "a");
  CaseId b = submit(e, "b");
  CaseId c = submit(e, "c");
  Command self = good_command(CommandKind::kMerge, *e.find(a), next_time(e, a), a);
  EXPECT_THAT(std::string(e.apply(self).message()), HasSubstr("the case itself"));
  Command missing = good_command(CommandKind::kMerge, *e.find(a), next_time(e, a), 4242);
  EXPECT_THAT(std::string(e.apply(missing).message()), HasSubstr("4242 does not exist"));
  must(e, good_command(CommandKind::kMerge, *e.find(b), next_time(e, b), c));
  Command chained = good_command(CommandKind::kMerge, *e.find(a), next_time(e, a), b);
  EXPECT_THAT(std::string(e.apply(chained).message()), HasSubstr("merge into that"));
  must(e, good_command(CommandKind::kMerge, *e.find(a), next_time(e, a), c));
  EXPECT_EQ(e.find(a)->merged_into, c);
  EXPECT_EQ(e.find(a)->state, State::kMerged);
}

// Records every event it is told about.
class Recorder : public core::Listener {
 public:
  void on_event(const core::Event& e) override { seen.push_back({e.case_id, e.seq, e.type}); }
  struct Seen {
    CaseId id;
    std::uint32_t seq;
    EventType type;
    bool operator==(const Seen& o) const { return id == o.id && seq == o.seq && type == o.type; }
  };
  std::vector<Seen> seen;
};

TEST(EngineListeners, SeeEveryEventInOrder) {
  Engine e;
  Recorder first, second;
  ASSERT_TRUE(e.add_listener(&first).ok());
  ASSERT_TRUE(e.add_listener(&second).ok());
  CaseId a = submit(e, "a");
  CaseId b = submit(e, "b");
  must(e, good_command(CommandKind::kDispatch, *e.find(b), next_time(e, b)));
  must(e, good_command(CommandKind::kAnswerOnSpot, *e.find(a), next_time(e, a)));
  // A refused command is not an event.
  EXPECT_FALSE(e.apply(good_command(CommandKind::kClose, *e.find(b), next_time(e, b))).ok());
  must(e, good_command(CommandKind::kSign, *e.find(b), next_time(e, b)));
  std::vector<Recorder::Seen> expected = {
      {a, 1, EventType::kSubmitted},  {b, 1, EventType::kSubmitted},
      {b, 2, EventType::kDispatched}, {a, 2, EventType::kAnsweredOnSpot},
      {b, 3, EventType::kSigned},
  };
  EXPECT_EQ(first.seen, expected);
  EXPECT_EQ(second.seen, expected);
}

TEST(EngineListeners, MayNotChangeTheEngineThatCalledThem) {
  Engine e;
  struct Meddler : core::Listener {
    Engine* engine = nullptr;
    absl::Status result;
    void on_event(const core::Event& ev) override {
      if (ev.type != EventType::kSubmitted) return;
      result = engine->apply(
          good_command(CommandKind::kAnswerOnSpot, *engine->find(ev.case_id), ev.time + kMinute));
    }
  } meddler;
  meddler.engine = &e;
  absl::StatusOr<std::uint64_t> id = e.add_listener(&meddler);
  ASSERT_TRUE(id.ok());
  CaseId c = submit(e, "a");
  EXPECT_EQ(meddler.result.code(), absl::StatusCode::kUnavailable) << meddler.result;
  EXPECT_EQ(e.find(c)->state, State::kReceived);
  EXPECT_TRUE(e.remove_listener(*id).ok());
  EXPECT_EQ(e.remove_listener(*id).code(), absl::StatusCode::kNotFound);
  // Removed: no longer called, and the engine works again.
  meddler.result = absl::OkStatus();
  submit(e, "b");
  EXPECT_TRUE(meddler.result.ok());
}

TEST(EngineList, ByStateAndUnitWithPaging) {
  Engine e;
  std::vector<CaseId> handling;
  for (int i = 0; i < 5; ++i)
    handling.push_back(case_in_state(e, State::kHandling, "h" + std::to_string(i)));
  CaseId received = case_in_state(e, State::kReceived, "r");
  CaseId co = case_in_state(e, State::kCoHandling, "co");
  CaseId other_street = submit(e, "o");
  Command d =
      good_command(CommandKind::kDispatch, *e.find(other_street), next_time(e, other_street));
  d.payload.unit = kStreet2;
  must(e, d);

  core::CaseFilter by_state;
  by_state.state = State::kHandling;
  EXPECT_EQ(*e.list(by_state), handling);

  core::CaseFilter by_unit;
  by_unit.unit = kStreet2;
  EXPECT_EQ(*e.list(by_unit), std::vector<CaseId>{other_street});
  by_unit.unit = kDept;  // co-handler
  EXPECT_EQ(*e.list(by_unit), std::vector<CaseId>{co});
  by_unit.unit = kDistrict;  // copied on every street order
  EXPECT_EQ(e.list(by_unit)->size(), 7u);

  core::CaseFilter page;
  page.limit = 2;
  std::vector<CaseId> all;
  for (;;) {
    std::vector<CaseId> got = *e.list(page);
    if (got.empty()) break;
    EXPECT_LE(got.size(), 2u);
    all.insert(all.end(), got.begin(), got.end());
    page.after = got.back();
  }
  EXPECT_EQ(all.size(), e.case_count());
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_NE(std::find(all.begin(), all.end(), received), all.end());
}

TEST(EngineReplay, RebuildsCasesExactlyFromTheirEvents) {
  Engine a;
  std::vector<CaseId> ids;
  for (int s = 1; s <= kStateCount; ++s) {
    ids.push_back(case_in_state(a, static_cast<State>(s), "s" + std::to_string(s)));
  }
  Engine b;
  // In log order: the merged case's target was created after it.
  (void)a.for_each_logged([&b](const core::Event& ev) {
    absl::Status s = b.replay(ev);
    EXPECT_TRUE(s.ok()) << s;
  });
  std::vector<CaseId> all = *a.list({});
  ASSERT_EQ(b.case_count(), a.case_count());
  for (CaseId id : all) {
    EXPECT_TRUE(*a.find(id) == *b.find(id)) << "case " << id;
    EXPECT_EQ(a.events(id), b.events(id)) << "case " << id;
  }
  // New requests continue after the replayed ids.
  EXPECT_EQ(submit(b, "after-replay"), all.back() + 1);
}

TEST(EngineReplay, RefusesEventsThatDoNotFit) {
  Engine a;
  CaseId id = case_in_state(a, State::kHandling, "x");
  std::vector<core::Event> events = a.events(id);
  Engine b;
  // Not starting with the submission.
  EXPECT_EQ(b.replay(events[1]).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(b.replay(events[0]).ok());
  // A gap in the sequence.
  absl::Status gap = b.replay(events[2]);
  EXPECT_THAT(std::string(gap.message()), HasSubstr("next event is 2"));
  // A recorded state the lifecycle does not agree with.
  core::Event forged = events[1];
  forged.state = State::kHandling;
  absl::Status lie = b.replay(forged);
  EXPECT_EQ(lie.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(lie.message()), HasSubstr("leads to dispatched"));
  // A submission twice.
  EXPECT_THAT(std::string(b.replay(events[0]).message()), HasSubstr("exists already"));
  EXPECT_EQ(b.find(id)->event_count, 1u);
}

}  // namespace
}  // namespace jszb::testing
