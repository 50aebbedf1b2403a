// The export form of a jszb.v1 message in JSON (the JSON Lines export,
// docs/interchange.md, docs/schema/jszb-export.schema.json): beside the proto3
// JSON of jszb_case_to_json, which stays as it is, a form for people and other
// systems. Fields keep their proto names, in declaration order, and are left
// out when they hold their default (as proto3 JSON does). Instants (int64
// fields named *_ms, except the paused_* durations) lose the "_ms" and become
// RFC 3339 strings in China time; enums are lowercase names without their
// type's prefix ("dispatched", not "STATE_DISPATCHED"); ids, counts and
// durations are JSON numbers (ids are given out from 1 upwards, far below
// 2^53, where a JSON number stays exact in every reader).
#ifndef JSZB_LIB_INTERCHANGE_EXPORT_JSON_H
#define JSZB_LIB_INTERCHANGE_EXPORT_JSON_H

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "google/protobuf/struct.pb.h"

namespace jszb::core {

// Appends `s` as a JSON string (quoted, escaped).
void append_json_string(std::string_view s, std::string* out);

// Appends `d` in its shortest form that reads back as the same double
// ("39.9087", not "39.908700000000003"); "null" for NaN and infinities.
void append_number(double d, std::string* out);

// Appends the fields of `msg` as `"name":value` pairs, comma-separated, with
// no braces (the caller opens the object, so that it can put its own keys
// first).
void append_export_fields(const google::protobuf::Message& msg, std::string* out);

// The reverse: fills `msg` from the object `obj`, leaving out the keys in
// `skip` (the caller's own). An unknown key, a value of the wrong type, a bad
// time or an unknown enum name is InvalidArgument naming its path
// (`where`.payload.unit).
absl::Status read_export_fields(const google::protobuf::Struct& obj, std::string_view skip,
                                std::string_view where, google::protobuf::Message* msg);

// One line of JSON into an object; InvalidArgument with the parser's reason.
absl::Status parse_json_object(std::string_view line, google::protobuf::Struct* out);

}  // namespace jszb::core

#endif  // JSZB_LIB_INTERCHANGE_EXPORT_JSON_H
