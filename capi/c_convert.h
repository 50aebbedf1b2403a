// Conversions between the C structs of jszb.h and the library's model. Input
// structs are checked here for what only C can get wrong (versions, NULL
// pointers with counts, ints that should be 0/1); the model's own validation
// does the rest.
#ifndef JSZB_CAPI_C_CONVERT_H
#define JSZB_CAPI_C_CONVERT_H

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "jszb/jszb.h"
#include "model/case.h"
#include "model/command.h"
#include "model/event.h"
#include "model/intake.h"

namespace jszb::capi {

absl::Status from_c(const jszb_intake* in, core::Intake* out);
absl::Status from_c(const jszb_command* in, core::Command* out);
// An event given back by a caller (one the library handed out). The event's
// intake and deadlines are kept in the storage given.
absl::Status from_c(const jszb_event* in, core::Event* out, core::Intake* intake_storage,
                    std::vector<core::DeadlineChange>* deadline_storage);

// Views for C of the model's structs. The model's strings must be NUL-terminated
// (arena copies are), and must outlive the views.
jszb_intake to_c(const core::Intake& in);
jszb_payload to_c(const core::Payload& p);
jszb_deadline to_c(core::StepId step, const core::Deadline& d);
// `intake`, `payload` and `deadlines` are where the event view points; they must
// outlive it.
jszb_event to_c(const core::Event& e, jszb_intake* intake, jszb_payload* payload,
                std::vector<jszb_deadline>* deadlines);
// `pending` lists the co-handlers that have not reported (see pending_co_handlers),
// `deadlines` the running deadlines (see running_deadlines).
jszb_case_info to_c(const core::Case& c, const jszb_intake* intake,
                    const std::vector<std::uint32_t>& pending,
                    const std::vector<jszb_deadline>& deadlines);
std::vector<jszb_deadline> running_deadlines(const core::Case& c);
std::vector<std::uint32_t> pending_co_handlers(const core::Case& c);

// JSZB_E_INVALID naming `name` when out is NULL.
int check_out(const void* out, const char* name);
// JSZB_E_INVALID naming `name` when t is outside [JSZB_TIME_MIN_MS,
// JSZB_TIME_MAX_MS]; the _or_zero form lets 0 (unset, an open end) through.
int check_time(std::int64_t t, const char* name);
int check_time_or_zero(std::int64_t t, const char* name);
// JSZB_E_INVALID naming `name` ("options") unless a struct's version is one
// this library knows (1..known): a caller that did not initialise it.
int check_version(unsigned version, unsigned known, const char* name);
// JSZB_E_INVALID naming `name` when s is not valid UTF-8. NULL passes: whether
// a field may be NULL is the caller's to say.
int check_utf8(const char* s, const char* name);
// Copies bytes, NUL-terminated, into memory the caller frees with jszb_free().
void* malloc_copy(const std::string& bytes);
// The message as JSON (proto field names, every field), for jszb_free().
int to_json(const google::protobuf::Message& msg, char** json);

}  // namespace jszb::capi

#endif  // JSZB_CAPI_C_CONVERT_H
