// Strings that came in through protobuf (a replayed event, a policy file) are
// handed out as C strings of UTF-8, and protobuf's parsers let any bytes into
// a string field (text format's "\377" and "\0" escapes, proto2 bytes). One
// walk finds every string field that is not UTF-8 without NUL bytes; each
// caller says where it is in its own terms (a field path, a file:line).
#ifndef JSZB_LIB_MODEL_PROTO_STRINGS_H
#define JSZB_LIB_MODEL_PROTO_STRINGS_H

#include <functional>
#include <utility>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace jszb::core {

// Where a field sits, from the top message down: each step a field and its
// element index (-1 for a field that is not repeated).
using FieldPath = std::vector<std::pair<const google::protobuf::FieldDescriptor*, int>>;

// Calls `bad` with the path of each string field of `msg` (and of the
// messages in it) that holds a NUL byte or is not UTF-8, in field order;
// stops when `bad` returns false.
void find_bad_strings(const google::protobuf::Message& msg,
                      const std::function<bool(const FieldPath&)>& bad);

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_PROTO_STRINGS_H
