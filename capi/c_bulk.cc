// The C ABI's bulk calls (jszb_engine_apply_many, _submit_many): many items
// in one call, each handled as its single call would handle it, one result
// code per item, going on past a refusal. Each item runs guarded on its own,
// so an exception costs that item only.
#include <climits>
#include <string>

#include "absl/strings/str_format.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"
#include "jszb/jszb.h"

using jszb::capi::fail;
using jszb::capi::guarded;
namespace core = jszb::core;

namespace {

// The checks made before any item is tried: a failure here applies nothing.
int check_call(jszb_engine* engine, const void* items, const char* items_name, std::size_t n,
               const void* out, const char* out_name) {
  JSZB_CHECK_ENGINE(engine);
  if (n > static_cast<std::size_t>(INT_MAX)) {
    return fail(JSZB_E_INVALID,
                absl::StrFormat("n is %d: at most %d items per call", n, INT_MAX).c_str());
  }
  if (n == 0) return JSZB_OK;
  if (items == nullptr)
    return fail(JSZB_E_INVALID, absl::StrFormat("%s is NULL", items_name).c_str());
  if (out == nullptr) return fail(JSZB_E_INVALID, absl::StrFormat("%s is NULL", out_name).c_str());
  if (engine->engine.busy()) {
    return fail(JSZB_E_BUSY, "a bulk call from inside a listener or router of the same engine");
  }
  return JSZB_OK;
}

// Runs one(i) for every item, writing results[i]; afterwards the thread's
// error describes the first refused item. Returns the count refused.
template <class One>
int run_items(jszb_engine* engine, const char* items_name, std::size_t n, int* results, One&& one) {
  int refused = 0;
  jszb_error first{JSZB_OK, "", 0, 0, 0};
  std::string first_message;
  std::size_t i = 0;
  for (; i < n && !engine->close_requested; ++i) {
    int rc = guarded([&] { return one(i); });
    results[i] = rc;
    if (rc == JSZB_OK) continue;
    if (refused++ == 0) {
      first = *jszb_error_last();
      first_message = absl::StrFormat("%s[%d]: %s", items_name, i, first.message);
    }
  }
  // A listener closed the engine: what was not tried is not applied.
  for (; i < n; ++i) {
    results[i] = JSZB_E_BUSY;
    if (refused++ == 0) {
      first = {JSZB_E_BUSY, "", 0, 0, 0};
      first_message = absl::StrFormat(
          "%s[%d]: not tried: a listener closed the engine during the bulk call", items_name, i);
    }
  }
  if (refused > 0) fail(first, first_message.c_str());
  return refused;
}

// A listener asked to close the engine during the call: now nothing runs.
int finish(jszb_engine* engine, int rc) {
  if (engine->close_requested) delete engine;
  return rc;
}

}  // namespace

extern "C" {

int jszb_engine_apply_many(jszb_engine* engine, const jszb_command* commands, size_t n,
                           int* results) {
  return guarded([&]() -> int {
    if (int rc = check_call(engine, commands, "commands", n, results, "results")) return rc;
    core::Command cmd;
    int refused = run_items(engine, "commands", n, results, [&](std::size_t i) -> int {
      cmd = core::Command();
      if (absl::Status s = jszb::capi::from_c(&commands[i], &cmd); !s.ok()) return fail(s);
      absl::Status s = engine->engine.apply(cmd);
      return s.ok() ? JSZB_OK : fail(s);
    });
    return finish(engine, refused);
  });
}

int jszb_engine_submit_many(jszb_engine* engine, const jszb_intake* intakes, size_t n,
                            uint64_t* case_ids, int* results) {
  return guarded([&]() -> int {
    if (int rc = check_call(engine, intakes, "intakes", n, results, "results")) return rc;
    if (n > 0 && case_ids == nullptr) return fail(JSZB_E_INVALID, "case_ids is NULL");
    for (std::size_t i = 0; i < n; ++i) case_ids[i] = 0;  // refused or not tried: 0
    core::Intake in;
    int refused = run_items(engine, "intakes", n, results, [&](std::size_t i) -> int {
      in = core::Intake();
      if (absl::Status s = jszb::capi::from_c(&intakes[i], &in); !s.ok()) return fail(s);
      absl::StatusOr<core::SubmitResult> r = engine->engine.submit(in);
      if (!r.ok()) return fail(r.status());
      case_ids[i] = r->id;
      return JSZB_OK;
    });
    return finish(engine, refused);
  });
}

}  // extern "C"
