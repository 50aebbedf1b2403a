// Conversion between the in-memory model and the public jszb.v1 protobuf schema,
// the format in which cases and events leave the library.
#ifndef JSZB_LIB_MODEL_PROTO_CODEC_H
#define JSZB_LIB_MODEL_PROTO_CODEC_H

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "model/case.h"
#include "model/event.h"
#include "model/proto_schema.h"

namespace jszb::core {

void to_proto(const Event& e, v1::Event* out);
// The case without its events (add them with to_proto(Event) if wanted).
void to_proto(const Case& c, v1::Case* out);

// An event read from a message. Its strings and lists are views into the
// message, which must outlive it; a submission's intake lives in `intake`.
struct DecodedEvent {
  Event event;
  Intake intake;
  std::vector<DeadlineChange> deadlines;
};
absl::Status from_proto(const v1::Event& msg, DecodedEvent* out);

// A case read from a message (a store's projection), as DecodedEvent: views
// into the message and into this struct.
struct DecodedCase {
  Case c;
  Intake intake;
  std::vector<UnitId> copy_to;
  std::vector<UnitId> co_handlers;
  std::vector<UnitId> credit_co_handlers;
  std::vector<DeadlineChange> deadlines;  // the running clocks, by step
};
absl::Status from_proto(const v1::Case& msg, DecodedCase* out);

// Every string in msg, nested messages included, is valid UTF-8 without a NUL
// byte, as the C ABI hands strings out; else InvalidArgument naming the first
// that is not ("event.payload.rule"). For messages from outside (a replayed
// log): protobuf lets a NUL into a string, which a C string cannot carry.
absl::Status check_strings(const google::protobuf::Message& msg, const std::string& name);

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_PROTO_CODEC_H
