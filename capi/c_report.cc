// The C ABI of reports: one call, three formats.
#include <algorithm>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"
#include "google/protobuf/util/json_util.h"
#include "report/report.h"
#include "report/report_render.h"

using jszb::capi::fail;
using jszb::capi::guarded;
namespace core = jszb::core;

extern "C" {

int jszb_engine_report(jszb_engine* engine, const jszb_report_options* options, int format,
                       char** out) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = jszb::capi::check_out(out, "out")) return rc;
    if (int rc = jszb::capi::check_out(options, "options")) return rc;
    if (options->version < 1 || options->version > JSZB_REPORT_OPTIONS_VERSION) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("options.version is %d: this library knows versions 1..%d "
                                  "(initialise it with JSZB_REPORT_OPTIONS_INIT)",
                                  options->version, JSZB_REPORT_OPTIONS_VERSION)
                      .c_str());
    }
    if (format < JSZB_REPORT_JSON || format > JSZB_REPORT_HTML) {
      return fail(
          JSZB_E_INVALID,
          absl::StrFormat("format is %d: expected JSZB_REPORT_JSON, _CSV or _HTML (1..3)", format)
              .c_str());
    }
    core::ReportOptions o;
    o.from = options->from_ms;
    o.until = options->until_ms;
    if (options->district != nullptr) o.district = options->district;
    o.top = options->top;
    o.baseline_periods = options->baseline_periods;
    if (options->version >= 2) o.min_visits = options->min_visits;
    if (options->version >= 3) o.with_orders = options->with_orders != 0;
    if (const core::Policy* p = engine->engine.policy(); p && p->message().has_rate_weights()) {
      const auto& w = p->message().rate_weights();
      o.weights = {w.response(), w.resolution(), w.satisfaction()};
    }
    if (engine->counters_only) o.max_group_window = 0;  // no texts to group
    absl::StatusOr<jszb::v1::Report> report = core::build_report(engine->engine, o);
    if (!report.ok()) return fail(report.status());
    if (format == JSZB_REPORT_JSON) return jszb::capi::to_json(*report, out);
    std::string text =
        format == JSZB_REPORT_CSV ? core::report_csv(*report) : core::report_html(*report);
    *out = static_cast<char*>(jszb::capi::malloc_copy(text));
    return JSZB_OK;
  });
}

int jszb_report_render(const char* json, size_t length, int format, char** out) {
  return guarded([&]() -> int {
    if (int rc = jszb::capi::check_out(out, "out")) return rc;
    if (json == nullptr) return fail(JSZB_E_INVALID, "json is NULL");
    if (format < JSZB_REPORT_JSON || format > JSZB_REPORT_HTML) {
      return fail(
          JSZB_E_INVALID,
          absl::StrFormat("format is %d: expected JSZB_REPORT_JSON, _CSV or _HTML (1..3)", format)
              .c_str());
    }
    jszb::v1::Report report;
    auto parsed = google::protobuf::util::JsonStringToMessage(std::string(json, length), &report);
    if (!parsed.ok()) {
      return fail(
          JSZB_E_INVALID,
          absl::StrCat("json is not a jszb.v1.Report: ", std::string(parsed.message())).c_str());
    }
    if (format == JSZB_REPORT_JSON) return jszb::capi::to_json(report, out);
    std::string text =
        format == JSZB_REPORT_CSV ? core::report_csv(report) : core::report_html(report);
    *out = static_cast<char*>(jszb::capi::malloc_copy(text));
    return JSZB_OK;
  });
}

int jszb_engine_request_groups(jszb_engine* engine, int64_t from_ms, int64_t until_ms,
                               const char* district, jszb_request_group** groups, size_t* count) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = jszb::capi::check_out(groups, "groups")) return rc;
    if (int rc = jszb::capi::check_out(count, "count")) return rc;
    absl::StatusOr<std::vector<core::RequestGroup>> found =
        core::request_groups(engine->engine, from_ms, until_ms, district != nullptr ? district : "",
                             core::GroupScope::kStreet);
    if (!found.ok()) return fail(found.status());
    if (found->empty()) {
      *groups = nullptr;
      *count = 0;
      return JSZB_OK;
    }
    // One block: the groups, then every group's case ids.
    std::size_t ids = 0;
    for (const core::RequestGroup& g : *found) ids += g.cases.size();
    std::size_t head = found->size() * sizeof(jszb_request_group);
    head = (head + alignof(std::uint64_t) - 1) / alignof(std::uint64_t) * alignof(std::uint64_t);
    auto* block = static_cast<unsigned char*>(std::malloc(head + ids * sizeof(std::uint64_t)));
    if (block == nullptr) throw std::bad_alloc();
    auto* out = reinterpret_cast<jszb_request_group*>(block);
    auto* next = reinterpret_cast<std::uint64_t*>(block + head);
    for (std::size_t i = 0; i < found->size(); ++i) {
      const core::RequestGroup& g = (*found)[i];
      out[i].representative = g.representative;
      out[i].size = g.cases.size();
      out[i].cases = next;
      next = std::copy(g.cases.begin(), g.cases.end(), next);
    }
    *groups = out;
    *count = found->size();
    return JSZB_OK;
  });
}

}  // extern "C"
