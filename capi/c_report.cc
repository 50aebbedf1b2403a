// The C ABI of reports: one call, three formats.
#include <string>

#include "absl/strings/str_format.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"
#include "report.h"

using jszb::capi::fail;
using jszb::capi::guarded;
namespace core = jszb::core;

extern "C" {

int jszb_engine_report(jszb_engine* engine, const jszb_report_options* options, int format,
                       char** out) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = jszb::capi::check_out(out, "out")) return rc;
    *out = nullptr;
    if (int rc = jszb::capi::check_out(options, "options")) return rc;
    if (options->version < 1 || options->version > JSZB_REPORT_OPTIONS_VERSION) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("options.version is %d: this library knows versions 1..%d "
                                  "(initialise it with JSZB_REPORT_OPTIONS_INIT)",
                                  options->version, JSZB_REPORT_OPTIONS_VERSION)
                      .c_str());
    }
    if (format < JSZB_REPORT_JSON || format > JSZB_REPORT_HTML) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("format is %d: expected JSZB_REPORT_JSON, _CSV or _HTML (1..3)",
                                  format)
                      .c_str());
    }
    core::ReportOptions o;
    o.from = options->from_ms;
    o.until = options->until_ms;
    if (options->district != nullptr) o.district = options->district;
    o.top = options->top;
    o.baseline_periods = options->baseline_periods;
    if (const core::Policy* p = engine->engine.policy(); p && p->message().has_rate_weights()) {
      const auto& w = p->message().rate_weights();
      o.weights = {w.response(), w.resolution(), w.satisfaction()};
    }
    absl::StatusOr<jszb::v1::Report> report = core::build_report(engine->engine, o);
    if (!report.ok()) return fail(report.status());
    if (format == JSZB_REPORT_JSON) return jszb::capi::to_json(*report, out);
    std::string text =
        format == JSZB_REPORT_CSV ? core::report_csv(*report) : core::report_html(*report);
    *out = static_cast<char*>(jszb::capi::malloc_copy(text));
    return JSZB_OK;
  });
}

}  // extern "C"
