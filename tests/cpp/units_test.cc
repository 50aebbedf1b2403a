// Small pieces: the arena, UTF-8 validation, the protobuf codec.
#include <cstring>
#include <string>
#include <vector>

#include "arena.h"
#include "fixture.h"
#include "proto_codec.h"
#include "utf8.h"

namespace jszb::testing {
namespace {

TEST(Arena, CopiesAreStableAndNulTerminated) {
  core::Arena arena;
  std::vector<std::string_view> views;
  for (int i = 0; i < 100000; ++i) views.push_back(arena.copy("案件" + std::to_string(i)));
  std::string big(200 * 1024, 'x');  // larger than a quarter block: a block of its own
  std::string_view big_view = arena.copy(big);
  views.push_back(arena.copy("after the big one"));
  for (int i = 0; i < 100000; ++i) {
    ASSERT_EQ(views[i], "案件" + std::to_string(i));
    ASSERT_EQ(views[i].data()[views[i].size()], '\0');
  }
  EXPECT_EQ(big_view, big);
  EXPECT_EQ(views.back(), "after the big one");
  EXPECT_TRUE(arena.copy("").empty());
  EXPECT_GE(arena.bytes_reserved(), arena.bytes_used());
}

TEST(Arena, ConcatenatesUnitLists) {
  core::Arena arena;
  const UnitId a[] = {1, 2};
  const UnitId b[] = {3};
  core::UnitList ab = arena.concat({a, 2}, {b, 1});
  EXPECT_EQ(ab.to_vector(), (std::vector<UnitId>{1, 2, 3}));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(ab.data) % alignof(UnitId), 0u);
  EXPECT_TRUE(arena.concat({}, {}).empty());
}

TEST(Utf8, AcceptsWellFormedAndRefusesTheRest) {
  EXPECT_TRUE(core::is_valid_utf8(""));
  EXPECT_TRUE(core::is_valid_utf8("plain ascii"));
  EXPECT_TRUE(core::is_valid_utf8("接诉即办 12345"));
  EXPECT_TRUE(core::is_valid_utf8("\xf0\x9f\x98\x80"));  // U+1F600
  EXPECT_TRUE(core::is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  EXPECT_FALSE(core::is_valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(core::is_valid_utf8("\xe6\x8e"));          // truncated
  EXPECT_FALSE(core::is_valid_utf8("\xc1\xbf"));          // overlong
  EXPECT_FALSE(core::is_valid_utf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(core::is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(core::is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(core::is_valid_utf8("\xff"));
}

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

}  // namespace
}  // namespace jszb::testing
