// The one place where failures become C: a thread-local jszb_error, filled from
// an absl::Status, and a guard that keeps every exception inside the library.
#ifndef JSZB_CAPI_C_ERROR_H
#define JSZB_CAPI_C_ERROR_H

#include <exception>
#include <new>

#include "absl/status/status.h"
#include "jszb/jszb.h"

namespace jszb::capi {

// Records the failure for jszb_error_last() and returns its jszb_code.
int fail(const absl::Status& status);
int fail(int code, const char* message);
// The jszb_code of a failure, and its jszb_refusal (0 unless the lifecycle
// refused a command), without recording it: for failures handed back as data.
int code_of(const absl::Status& status);
int refusal_of(const absl::Status& status);
// Records `error` again (its code, state, command and refusal) with `message`:
// how a bulk call gives back the failure of one of its items.
int fail(const jszb_error& error, const char* message);

// Runs body (which returns a jszb_code) and turns any escaping exception into
// JSZB_E_NOMEM or JSZB_E_INTERNAL.
template <class Body>
int guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(JSZB_E_NOMEM, "out of memory");
  } catch (const std::exception& e) {
    return fail(JSZB_E_INTERNAL, e.what());
  } catch (...) {
    return fail(JSZB_E_INTERNAL, "unknown exception");
  }
}

}  // namespace jszb::capi

#endif  // JSZB_CAPI_C_ERROR_H
