// The C ABI of Open311 GeoReport v2: services, requests, and a POST read as a
// submission (lib/interchange/open311*.h does the work).
#include <memory>
#include <string>

#include "absl/strings/str_format.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"
#include "interchange/open311.h"
#include "interchange/open311_import.h"
#include "interchange/open311_submit.h"

// What an import did, for the accessors.
struct jszb_open311_import {
  jszb::core::open311::ImportResult result;
};

using jszb::capi::check_out;
using jszb::capi::fail;
using jszb::capi::guarded;
namespace core = jszb::core;
namespace open311 = jszb::core::open311;

namespace {

int check_format(int format) {
  if (format == JSZB_OPEN311_JSON || format == JSZB_OPEN311_XML) return JSZB_OK;
  return fail(
      JSZB_E_INVALID,
      absl::StrFormat("format is %d: expected JSZB_OPEN311_JSON or _XML (1, 2)", format).c_str());
}

int hand_over(const std::string& text, char** out) {
  *out = static_cast<char*>(jszb::capi::malloc_copy(text));
  return JSZB_OK;
}

// The caller's query, checked.
int read_query(const jszb_open311_query* q, open311::Query* out) {
  if (q == nullptr) return JSZB_OK;
  if (q->version < 1 || q->version > JSZB_OPEN311_QUERY_VERSION) {
    return fail(JSZB_E_INVALID,
                absl::StrFormat("query.version is %d: this library knows versions 1..%d "
                                "(initialise it with JSZB_OPEN311_QUERY_INIT)",
                                q->version, JSZB_OPEN311_QUERY_VERSION)
                    .c_str());
  }
  if (int rc = jszb::capi::check_time_or_zero(q->from_ms, "query.from_ms")) return rc;
  if (int rc = jszb::capi::check_time_or_zero(q->until_ms, "query.until_ms")) return rc;
  if (q->from_ms != 0 && q->until_ms != 0 && q->until_ms <= q->from_ms) {
    return fail(JSZB_E_INVALID, "query.until_ms is not after query.from_ms");
  }
  if (q->status < JSZB_OPEN311_STATUS_ANY || q->status > JSZB_OPEN311_STATUS_CLOSED) {
    return fail(JSZB_E_INVALID,
                absl::StrFormat("query.status is %d: expected JSZB_OPEN311_STATUS_ANY, _OPEN "
                                "or _CLOSED (0..2)",
                                q->status)
                    .c_str());
  }
  if (q->with_personal != 0 && q->with_personal != 1) {
    return fail(
        JSZB_E_INVALID,
        absl::StrFormat("query.with_personal is %d: expected 0 or 1", q->with_personal).c_str());
  }
  if (q->service_code != nullptr) {
    if (int rc = jszb::capi::check_utf8(q->service_code, "query.service_code")) return rc;
  }
  out->id = q->case_id;
  out->from = q->from_ms;
  out->until = q->until_ms;
  out->status = static_cast<open311::StatusFilter>(q->status);
  if (q->service_code != nullptr) out->service_code = q->service_code;
  out->with_personal = q->with_personal == 1;
  out->limit = q->limit;
  return JSZB_OK;
}

}  // namespace

extern "C" {

int jszb_open311_services(const jszb_policy* policy, int format, char** out) {
  return guarded([&]() -> int {
    if (policy == nullptr) return fail(JSZB_E_INVALID, "policy is NULL");
    if (int rc = check_out(out, "out")) return rc;
    if (int rc = check_format(format)) return rc;
    return hand_over(open311::render_services(open311::services(*policy->policy),
                                              static_cast<open311::Format>(format)),
                     out);
  });
}

int jszb_engine_open311_requests(jszb_engine* engine, const jszb_open311_query* query, int format,
                                 char** out) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = check_out(out, "out")) return rc;
    if (int rc = check_format(format)) return rc;
    open311::Query q;
    if (int rc = read_query(query, &q)) return rc;
    absl::StatusOr<std::string> text =
        open311::requests(engine->engine, q, static_cast<open311::Format>(format));
    if (!text.ok()) return fail(text.status());
    return hand_over(*text, out);
  });
}

int jszb_engine_open311_submit(jszb_engine* engine, const char* body, size_t size, int content,
                               int64_t time_ms, uint64_t* case_id) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (body == nullptr) return fail(JSZB_E_INVALID, "body is NULL");
    if (int rc = check_out(case_id, "case_id")) return rc;
    if (content != JSZB_OPEN311_CONTENT_FORM && content != JSZB_OPEN311_CONTENT_JSON) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("content is %d: expected JSZB_OPEN311_CONTENT_FORM or _JSON "
                                  "(1, 2)",
                                  content)
                      .c_str());
    }
    if (int rc = jszb::capi::check_time(time_ms, "time_ms")) return rc;
    const core::Policy* policy = engine->engine.policy();
    if (policy == nullptr) {
      return fail(JSZB_E_STATE,
                  "the engine has no policy: Open311 services come from its catalogue "
                  "(jszb_engine_set_policy)");
    }
    absl::StatusOr<std::unique_ptr<open311::Submission>> sub = open311::parse_submission(
        std::string_view(body, size), static_cast<open311::Content>(content), time_ms,
        open311::services(*policy));
    if (!sub.ok()) return fail(sub.status());
    absl::StatusOr<core::SubmitResult> r;
    int rc = jszb::capi::notifying_call(engine, [&] {
      r = engine->engine.submit((*sub)->intake);
      return r.ok() ? JSZB_OK : fail(r.status());
    });
    if (rc != JSZB_OK) return rc;
    *case_id = r->id;
    return JSZB_OK;
  });
}

int jszb_engine_open311_import(jszb_engine* engine, const char* data, size_t size, int format,
                               int skip_bad, jszb_open311_import** out) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (data == nullptr) return fail(JSZB_E_INVALID, "data is NULL");
    if (int rc = check_out(out, "out")) return rc;
    if (int rc = check_format(format)) return rc;
    if (skip_bad != 0 && skip_bad != 1) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("skip_bad is %d: expected 0 or 1", skip_bad).c_str());
    }
    absl::StatusOr<open311::ImportResult> r;
    int rc = jszb::capi::notifying_call(engine, [&] {
      r = open311::import_requests(engine->engine, std::string_view(data, size),
                                   static_cast<open311::Format>(format), skip_bad == 1);
      return r.ok() ? JSZB_OK : fail(r.status());
    });
    if (rc != JSZB_OK) return rc;
    *out = new jszb_open311_import{*std::move(r)};
    return JSZB_OK;
  });
}

void jszb_open311_import_free(jszb_open311_import* result) { delete result; }

uint64_t jszb_open311_import_imported(const jszb_open311_import* result) {
  return result == nullptr ? 0 : result->result.imported;
}

uint64_t jszb_open311_import_known(const jszb_open311_import* result) {
  return result == nullptr ? 0 : result->result.known;
}

size_t jszb_open311_import_bad_count(const jszb_open311_import* result) {
  return result == nullptr ? 0 : result->result.bad.size();
}

const char* jszb_open311_import_bad(const jszb_open311_import* result, size_t index,
                                    size_t* position) {
  if (result == nullptr || index >= result->result.bad.size()) return nullptr;
  const open311::ImportProblem& p = result->result.bad[index];
  if (position != nullptr) *position = p.position;
  return p.reason.c_str();
}

}  // extern "C"
