// The enumerations of jszb.v1 (protobuf) equal those of jszb.h: the same
// number for the same name. The C++ enumerations are made from jszb.h's
// constants (types.hpp), and names.cc names them; this compares both with the
// schema's descriptors, value by value, in both directions.
#include <cctype>
#include <string>
#include <string_view>

#include "fixture.h"
#include "model/names.h"
#include "model/proto_schema.h"

namespace jszb::testing {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Every value but 0 of `proto` is named like the C++ value of that number, and
// every C++ value 1..count has a schema value.
template <class E>
void expect_same(const google::protobuf::EnumDescriptor* proto, std::string_view prefix,
                 int count) {
  SCOPED_TRACE(proto->name());
  for (int i = 0; i < proto->value_count(); ++i) {
    const auto* v = proto->value(i);
    if (v->number() == 0) continue;
    std::string_view full = v->name();
    ASSERT_EQ(full.substr(0, prefix.size()), prefix) << full;
    EXPECT_EQ(core::name(static_cast<E>(v->number())), lower(full.substr(prefix.size())))
        << full << " = " << v->number();
  }
  for (int n = 1; n <= count; ++n) {
    EXPECT_NE(proto->FindValueByNumber(n), nullptr) << "no value " << n;
  }
  EXPECT_EQ(proto->FindValueByNumber(count + 1), nullptr) << "a value past " << count;
}

TEST(ProtoEnums, EqualTheCEnums) {
  expect_same<Kind>(v1::Kind_descriptor(), "KIND_", JSZB_KIND_SUGGESTION);
  expect_same<Channel>(v1::Channel_descriptor(), "CHANNEL_", JSZB_CHANNEL_MERGED_HOTLINE);
  expect_same<Urgency>(v1::Urgency_descriptor(), "URGENCY_", JSZB_URGENCY_EXTRA_URGENT);
  expect_same<Role>(v1::Role_descriptor(), "ROLE_", JSZB_ROLE_SYSTEM);
  expect_same<State>(v1::State_descriptor(), "STATE_", kStateCount);
  expect_same<EventType>(v1::EventType_descriptor(), "EVENT_TYPE_", JSZB_EVENT_COMMUNITY_REPLIED);
  expect_same<NotDispatchedReason>(v1::NotDispatchedReason_descriptor(), "NOT_DISPATCHED_REASON_",
                                   JSZB_NOT_DISPATCHED_UNLAWFUL);
  expect_same<DispatchMode>(v1::DispatchMode_descriptor(), "DISPATCH_MODE_",
                            JSZB_DISPATCH_DISTRICT_COORDINATES);
  expect_same<Satisfaction>(v1::Satisfaction_descriptor(), "SATISFACTION_", JSZB_NOT_SATISFIED);
  expect_same<VisitMethod>(v1::VisitMethod_descriptor(), "VISIT_METHOD_", JSZB_VISIT_ONLINE);
  expect_same<SupervisionLevel>(v1::SupervisionLevel_descriptor(), "SUPERVISION_LEVEL_",
                                JSZB_SUPERVISION_CITY);
}

}  // namespace
}  // namespace jszb::testing
