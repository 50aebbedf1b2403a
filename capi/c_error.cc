#include "c_error.h"

#include <string>

#include "base/utf8.h"
#include "model/refusal.h"
#include "store/store_fault.h"

namespace jszb::capi {

namespace {

struct LastError {
  std::string message;
  jszb_error error{JSZB_OK, "", 0, 0, 0};
};

LastError& last() {
  thread_local LastError e;
  return e;
}

int code_of(const absl::Status& status, const std::optional<core::RefusalInfo>& refusal) {
  if (refusal) {
    if (refusal->refusal == Refusal::kState) return JSZB_E_STATE;
    return core::is_about_actor(refusal->refusal) ? JSZB_E_DENIED : JSZB_E_REFUSED;
  }
  switch (core::store_fault_of(status)) {
    case core::StoreFault::kStorage:
      return JSZB_E_STORAGE;
    case core::StoreFault::kLocked:
      return JSZB_E_LOCKED;
    case core::StoreFault::kCorrupt:
      return JSZB_E_CORRUPT;
    case core::StoreFault::kVersion:
      return JSZB_E_VERSION;
    case core::StoreFault::kNone:
      break;
  }
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return JSZB_OK;
    case absl::StatusCode::kInvalidArgument:
      return JSZB_E_INVALID;
    case absl::StatusCode::kNotFound:
      return JSZB_E_NOT_FOUND;
    case absl::StatusCode::kFailedPrecondition:
      return JSZB_E_STATE;
    case absl::StatusCode::kPermissionDenied:
      return JSZB_E_DENIED;
    case absl::StatusCode::kUnavailable:
      return JSZB_E_BUSY;
    case absl::StatusCode::kResourceExhausted:
      return JSZB_E_NOMEM;
    case absl::StatusCode::kOutOfRange:
      return JSZB_E_RANGE;
    case absl::StatusCode::kAlreadyExists:
      return JSZB_E_CONFLICT;
    case absl::StatusCode::kCancelled:
      return JSZB_E_CANCELLED;
    default:
      return JSZB_E_INTERNAL;
  }
}

}  // namespace

int code_of(const absl::Status& status) { return code_of(status, core::refusal_of(status)); }

int refusal_of(const absl::Status& status) {
  std::optional<core::RefusalInfo> refusal = core::refusal_of(status);
  return refusal ? static_cast<int>(refusal->refusal) : 0;
}

// Messages quote what callers passed (a district, a policy line): at most
// this much, always valid UTF-8.
constexpr std::size_t kMaxMessage = 1024;

int fail(int code, const char* message) {
  LastError& e = last();
  e.message = core::bounded_utf8(message, kMaxMessage);
  e.error = {code, e.message.c_str(), 0, 0, 0};
  return code;
}

int fail(const jszb_error& error, const char* message) {
  jszb_error copy = error;  // `error` may be the thread's own, which fail() rewrites
  fail(copy.code, message);
  jszb_error& err = last().error;
  err.state = copy.state;
  err.command = copy.command;
  err.refusal = copy.refusal;
  return copy.code;
}

int fail(const absl::Status& status) {
  std::optional<core::RefusalInfo> refusal = core::refusal_of(status);
  int code = code_of(status, refusal);
  fail(code, std::string(status.message()).c_str());
  if (refusal) {
    jszb_error& err = last().error;
    err.state = static_cast<int>(refusal->state);
    err.command = static_cast<int>(refusal->command);
    err.refusal = static_cast<int>(refusal->refusal);
  }
  return code;
}

}  // namespace jszb::capi

extern "C" {

const jszb_error* jszb_error_last(void) { return &jszb::capi::last().error; }

void jszb_error_clear(void) { jszb::capi::fail(JSZB_OK, ""); }

}  // extern "C"
