// The C ABI of import and export (jszb.h, "interchange"): options checked
// here, the formats in lib/interchange.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_format.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"
#include "interchange/csv_cases.h"
#include "interchange/jsonl.h"
#include "jszb/jszb.h"

struct jszb_import_result {
  jszb::core::ImportResult result;
};

namespace jszb::capi {
namespace {

core::ProgressFn progress_of(jszb_progress_fn fn, void* payload) {
  if (fn == nullptr) return nullptr;
  return [fn, payload](std::string_view stage, std::uint64_t done, std::uint64_t total) {
    return fn(payload, stage.data(), done, total) == 0;  // stages are literals
  };
}

int check_format(int format, const char* name) {
  if (format == JSZB_EXPORT_JSONL || format == JSZB_EXPORT_CSV) return JSZB_OK;
  return fail(JSZB_E_INVALID, absl::StrFormat("%s.format is %d: this library reads and writes "
                                              "JSZB_EXPORT_JSONL (1) and JSZB_EXPORT_CSV (2)",
                                              name, format)
                                  .c_str());
}

int export_options(const jszb_export_options* in, core::ExportOptions* out) {
  if (in == nullptr) return fail(JSZB_E_INVALID, "options is NULL");
  if (int rc = check_version(in->version, JSZB_EXPORT_OPTIONS_VERSION, "options")) return rc;
  if (int rc = check_format(in->format, "options")) return rc;
  if (int rc = check_time_or_zero(in->from_ms, "options.from_ms")) return rc;
  if (int rc = check_time_or_zero(in->until_ms, "options.until_ms")) return rc;
  if (in->district != nullptr) {
    if (int rc = check_utf8(in->district, "options.district")) return rc;
  }
  if (in->with_personal != 0 && in->with_personal != 1) {
    return fail(JSZB_E_INVALID, "options.with_personal must be 0 or 1");
  }
  out->from = in->from_ms;
  out->until = in->until_ms;
  out->district = in->district == nullptr ? "" : in->district;
  out->with_personal = in->with_personal == 1;
  out->progress = progress_of(in->progress, in->progress_payload);
  return JSZB_OK;
}

}  // namespace
}  // namespace jszb::capi

using jszb::capi::check_version;
using jszb::capi::fail;
using jszb::capi::guarded;
namespace core = jszb::core;

extern "C" {

int jszb_engine_export(jszb_engine* engine, const jszb_export_options* options, jszb_write_fn write,
                       void* payload) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (write == nullptr) return fail(JSZB_E_INVALID, "write is NULL");
    core::ExportOptions opts;
    if (int rc = jszb::capi::export_options(options, &opts)) return rc;
    core::Sink sink = [&](std::string_view bytes) {
      if (write(payload, bytes.data(), bytes.size()) == 0) return absl::OkStatus();
      return absl::ResourceExhaustedError("the writer failed (write returned non-zero)");
    };
    absl::Status s = options->format == JSZB_EXPORT_JSONL
                         ? core::export_jsonl(engine->engine, opts, sink)
                         : core::export_csv(engine->engine, opts, sink);
    if (s.code() == absl::StatusCode::kResourceExhausted) {
      return fail(JSZB_E_STORAGE, std::string(s.message()).c_str());
    }
    return s.ok() ? JSZB_OK : fail(s);
  });
}

int jszb_engine_import(jszb_engine* engine, const jszb_import_options* options, const char* data,
                       size_t size, jszb_import_result** out) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (options == nullptr) return fail(JSZB_E_INVALID, "options is NULL");
    if (int rc = check_version(options->version, JSZB_IMPORT_OPTIONS_VERSION, "options")) return rc;
    if (int rc = jszb::capi::check_format(options->format, "options")) return rc;
    if (options->skip_bad != 0 && options->skip_bad != 1) {
      return fail(JSZB_E_INVALID, "options.skip_bad must be 0 or 1");
    }
    if (data == nullptr && size > 0) return fail(JSZB_E_INVALID, "data is NULL");
    if (out == nullptr) return fail(JSZB_E_INVALID, "out is NULL");
    core::ImportOptions opts;
    opts.skip_bad = options->skip_bad == 1;
    opts.progress = jszb::capi::progress_of(options->progress, options->progress_payload);
    std::string_view text(data == nullptr ? "" : data, size);
    auto result = std::make_unique<jszb_import_result>();
    // Committing tells listeners, which may close the engine.
    return jszb::capi::notifying_call(engine, [&]() -> int {
      absl::Status s = options->format == JSZB_EXPORT_JSONL
                           ? core::import_jsonl(engine->engine, opts, text, &result->result)
                           : core::import_csv(engine->engine, opts, text, &result->result);
      bool refused = s.code() == absl::StatusCode::kInvalidArgument && !result->result.bad.empty();
      if (s.ok() || refused) *out = result.release();
      return s.ok() ? JSZB_OK : fail(s);
    });
  });
}

uint64_t jszb_import_result_imported(const jszb_import_result* r) {
  return r == nullptr ? 0 : r->result.imported;
}

uint64_t jszb_import_result_skipped(const jszb_import_result* r) {
  return r == nullptr ? 0 : r->result.skipped;
}

size_t jszb_import_result_bad_count(const jszb_import_result* r) {
  return r == nullptr ? 0 : r->result.bad.size();
}

uint64_t jszb_import_result_bad_line(const jszb_import_result* r, size_t i) {
  return r == nullptr || i >= r->result.bad.size() ? 0 : r->result.bad[i].line;
}

const char* jszb_import_result_bad_message(const jszb_import_result* r, size_t i) {
  return r == nullptr || i >= r->result.bad.size() ? nullptr : r->result.bad[i].message.c_str();
}

void jszb_import_result_free(jszb_import_result* r) { delete r; }

}  // extern "C"
