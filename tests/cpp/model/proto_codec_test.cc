// The protobuf codec of events and cases.
#include "model/proto_codec.h"

#include <string>
#include <vector>

#include "fixture.h"
#include "model/proto_schema.h"

namespace jszb::testing {
namespace {

TEST(ProtoCodec, EventsRoundTrip) {
  Engine e;
  CaseId id = case_in_state(e, State::kCoHandling, "codec");
  for (const core::Event& ev : e.events(id)) {
    v1::Event msg;
    core::to_proto(ev, &msg);
    core::DecodedEvent back;
    ASSERT_TRUE(core::from_proto(msg, &back).ok());
    EXPECT_TRUE(back.event == ev) << msg.DebugString();
  }
}

TEST(ProtoCodec, RefusesMalformedEvents) {
  v1::Event msg;
  core::DecodedEvent out;
  msg.set_type(static_cast<v1::EventType>(77));
  msg.set_state(v1::STATE_RECEIVED);
  EXPECT_NE(std::string(core::from_proto(msg, &out).message()).find("event.type is 77"),
            std::string::npos);
  msg.set_type(v1::EVENT_TYPE_SUBMITTED);
  EXPECT_NE(std::string(core::from_proto(msg, &out).message()).find("event.submission is missing"),
            std::string::npos);
  msg.mutable_submission()->mutable_intake()->mutable_location()->set_lat(39.9);
  EXPECT_NE(std::string(core::from_proto(msg, &out).message()).find("only one of lat and lon"),
            std::string::npos);
  msg.set_type(v1::EVENT_TYPE_SIGNED);
  EXPECT_NE(std::string(core::from_proto(msg, &out).message()).find("only submitted events"),
            std::string::npos);
}

TEST(ProtoCodec, CaseExportsPendingCoHandlers) {
  Engine e;
  CaseId id = case_in_state(e, State::kCoHandling, "codec");
  must(e, good_command(CommandKind::kReportToLead, *e.find(id), next_time(e, id)));
  v1::Case msg;
  core::to_proto(*e.find(id), &msg);
  EXPECT_EQ(msg.co_handlers_size(), 2);
  ASSERT_EQ(msg.co_handlers_pending_size(), 1);
  EXPECT_EQ(msg.co_handlers_pending(0), kDept2);
  EXPECT_EQ(msg.state(), v1::STATE_CO_HANDLING);
  EXPECT_EQ(msg.contact().phone(), "13800000000");
  EXPECT_EQ(msg.intake().category_size(), 3);
}

TEST(ProtoCodec, BadStringsNamedByTheirPath) {
  v1::Policy policy;
  policy.set_name("beijing");
  policy.add_units()->set_name("和平街街道");
  policy.add_units()->set_name(std::string("bad\0name", 8));
  policy.add_units()->set_name("\xff");
  absl::Status s = core::check_strings(policy, "policy");
  EXPECT_EQ(s.message(), "policy.units[1].name is not a string of UTF-8 without NUL bytes");
  policy.mutable_units(1)->set_name("fixed");
  s = core::check_strings(policy, "policy");
  EXPECT_EQ(s.message(), "policy.units[2].name is not a string of UTF-8 without NUL bytes");
  policy.mutable_units(2)->set_name("fixed too");
  EXPECT_TRUE(core::check_strings(policy, "policy").ok());
}

}  // namespace
}  // namespace jszb::testing
