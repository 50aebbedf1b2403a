// jszb_<struct>_init: the JSZB_..._INIT macros as functions, for FFIs (LuaJIT,
// Node, Python's ctypes) that see no macros. Each writes the defaults of the
// version the caller names, and only that version's bytes: a caller built
// against an older, smaller struct passes its own version and is not overrun.
//
// The defaults are the INIT macro's, so the two cannot drift apart; a version
// of a struct is its fields up to the first field the next version added.
#include <cstddef>
#include <cstring>
#include <iterator>
#include <string>

#include "absl/strings/str_format.h"
#include "c_error.h"
#include "jszb/jszb.h"

namespace jszb::capi {
namespace {

// Copies the first sizes[version - 1] bytes of defaults into *s and sets its
// version (the first field of every such struct). N is the current version.
template <class T, std::size_t N>
int init_struct(T* s, unsigned version, const char* name, const T& defaults,
                const std::size_t (&sizes)[N]) {
  static_assert(offsetof(T, version) == 0, "version is the first field");
  return guarded([&]() -> int {
    if (s == nullptr) {
      return fail(JSZB_E_INVALID, absl::StrFormat("%s_init: the struct is NULL", name).c_str());
    }
    if (version < 1 || version > N) {
      std::string known = N == 1 ? "version 1" : absl::StrFormat("versions 1..%d", N);
      return fail(JSZB_E_INVALID, absl::StrFormat("%s_init: version %u is unknown: this library "
                                                  "knows %s of %s",
                                                  name, version, known, name)
                                      .c_str());
    }
    std::memcpy(static_cast<void*>(s), &defaults, sizes[version - 1]);
    std::memcpy(static_cast<void*>(s), &version, sizeof version);
    return JSZB_OK;
  });
}

// Sizes per version, oldest first; the last is the whole struct of this header.
template <class T, std::size_t N>
constexpr bool sizes_end_with_the_struct(const std::size_t (&sizes)[N]) {
  return sizes[N - 1] == sizeof(T);
}

constexpr std::size_t kEngineOptions[] = {sizeof(jszb_engine_options)};
constexpr std::size_t kIntake[] = {sizeof(jszb_intake)};
// Version 2 added payload.step, mark, action and rule; 3 payload.request_id.
constexpr std::size_t kCommand[] = {
    offsetof(jszb_command, payload) + offsetof(jszb_payload, step),
    offsetof(jszb_command, payload) + offsetof(jszb_payload, request_id), sizeof(jszb_command)};
// Version 2 added district .. due_until_ms.
constexpr std::size_t kCaseFilter[] = {offsetof(jszb_case_filter, district),
                                       sizeof(jszb_case_filter)};
// Version 2 added accept_lost_events.
constexpr std::size_t kStoreOptions[] = {offsetof(jszb_store_options, accept_lost_events),
                                         sizeof(jszb_store_options)};
constexpr std::size_t kRateWeights[] = {sizeof(jszb_rate_weights)};
// Version 2 added min_visits, 3 with_orders.
constexpr std::size_t kReportOptions[] = {offsetof(jszb_report_options, min_visits),
                                          offsetof(jszb_report_options, with_orders),
                                          sizeof(jszb_report_options)};
constexpr std::size_t kGroupOptions[] = {sizeof(jszb_group_options)};
constexpr std::size_t kUnitOrdersOptions[] = {sizeof(jszb_unit_orders_options)};
constexpr std::size_t kTheme[] = {sizeof(jszb_theme)};
constexpr std::size_t kThemeTask[] = {sizeof(jszb_theme_task)};
constexpr std::size_t kThemeTrendOptions[] = {sizeof(jszb_theme_trend_options)};
constexpr std::size_t kVerifyOptions[] = {sizeof(jszb_verify_options)};
// Operations (c_ops.cc).
constexpr std::size_t kBackupOptions[] = {sizeof(jszb_backup_options)};
constexpr std::size_t kStoreStats[] = {sizeof(jszb_store_stats)};
constexpr std::size_t kMetrics[] = {sizeof(jszb_metrics)};
constexpr std::size_t kOpen311Query[] = {sizeof(jszb_open311_query)};
constexpr std::size_t kWhatIfOptions[] = {sizeof(jszb_what_if_options)};
// interchange
constexpr std::size_t kExportOptions[] = {sizeof(jszb_export_options)};
constexpr std::size_t kImportOptions[] = {sizeof(jszb_import_options)};

// A struct's version grows: add its size here, or the build stops.
#define JSZB_CHECK_SIZES(T, sizes, VERSION)                                          \
  static_assert(std::size(sizes) == (VERSION), #T ": one size per version, please"); \
  static_assert(sizes_end_with_the_struct<T>(sizes), #T ": the last size is the struct's")

JSZB_CHECK_SIZES(jszb_engine_options, kEngineOptions, JSZB_ENGINE_OPTIONS_VERSION);
JSZB_CHECK_SIZES(jszb_intake, kIntake, JSZB_INTAKE_VERSION);
JSZB_CHECK_SIZES(jszb_command, kCommand, JSZB_COMMAND_VERSION);
JSZB_CHECK_SIZES(jszb_case_filter, kCaseFilter, JSZB_CASE_FILTER_VERSION);
JSZB_CHECK_SIZES(jszb_store_options, kStoreOptions, JSZB_STORE_OPTIONS_VERSION);
JSZB_CHECK_SIZES(jszb_rate_weights, kRateWeights, JSZB_RATE_WEIGHTS_VERSION);
JSZB_CHECK_SIZES(jszb_report_options, kReportOptions, JSZB_REPORT_OPTIONS_VERSION);
JSZB_CHECK_SIZES(jszb_group_options, kGroupOptions, JSZB_GROUP_OPTIONS_VERSION);
JSZB_CHECK_SIZES(jszb_unit_orders_options, kUnitOrdersOptions, JSZB_UNIT_ORDERS_OPTIONS_VERSION);
JSZB_CHECK_SIZES(jszb_theme, kTheme, JSZB_THEME_VERSION);
JSZB_CHECK_SIZES(jszb_theme_task, kThemeTask, JSZB_THEME_TASK_VERSION);
JSZB_CHECK_SIZES(jszb_theme_trend_options, kThemeTrendOptions, JSZB_THEME_TREND_OPTIONS_VERSION);
JSZB_CHECK_SIZES(jszb_verify_options, kVerifyOptions, JSZB_VERIFY_OPTIONS_VERSION);
// Operations.
JSZB_CHECK_SIZES(jszb_backup_options, kBackupOptions, JSZB_BACKUP_OPTIONS_VERSION);
JSZB_CHECK_SIZES(jszb_store_stats, kStoreStats, JSZB_STORE_STATS_VERSION);
JSZB_CHECK_SIZES(jszb_metrics, kMetrics, JSZB_METRICS_VERSION);
JSZB_CHECK_SIZES(jszb_open311_query, kOpen311Query, JSZB_OPEN311_QUERY_VERSION);
JSZB_CHECK_SIZES(jszb_what_if_options, kWhatIfOptions, JSZB_WHAT_IF_OPTIONS_VERSION);
// interchange
JSZB_CHECK_SIZES(jszb_export_options, kExportOptions, JSZB_EXPORT_OPTIONS_VERSION);
JSZB_CHECK_SIZES(jszb_import_options, kImportOptions, JSZB_IMPORT_OPTIONS_VERSION);
#undef JSZB_CHECK_SIZES

}  // namespace
}  // namespace jszb::capi

using jszb::capi::init_struct;

extern "C" {

int jszb_engine_options_init(jszb_engine_options* s, unsigned version) {
  static const jszb_engine_options defaults = JSZB_ENGINE_OPTIONS_INIT;
  return init_struct(s, version, "jszb_engine_options", defaults, jszb::capi::kEngineOptions);
}

int jszb_intake_init(jszb_intake* s, unsigned version) {
  static const jszb_intake defaults = JSZB_INTAKE_INIT;
  return init_struct(s, version, "jszb_intake", defaults, jszb::capi::kIntake);
}

int jszb_command_init(jszb_command* s, unsigned version) {
  static const jszb_command defaults = JSZB_COMMAND_INIT;
  return init_struct(s, version, "jszb_command", defaults, jszb::capi::kCommand);
}

int jszb_case_filter_init(jszb_case_filter* s, unsigned version) {
  static const jszb_case_filter defaults = JSZB_CASE_FILTER_INIT;
  return init_struct(s, version, "jszb_case_filter", defaults, jszb::capi::kCaseFilter);
}

int jszb_store_options_init(jszb_store_options* s, unsigned version) {
  static const jszb_store_options defaults = JSZB_STORE_OPTIONS_INIT;
  return init_struct(s, version, "jszb_store_options", defaults, jszb::capi::kStoreOptions);
}

int jszb_rate_weights_init(jszb_rate_weights* s, unsigned version) {
  static const jszb_rate_weights defaults = JSZB_RATE_WEIGHTS_INIT;
  return init_struct(s, version, "jszb_rate_weights", defaults, jszb::capi::kRateWeights);
}

int jszb_report_options_init(jszb_report_options* s, unsigned version) {
  static const jszb_report_options defaults = JSZB_REPORT_OPTIONS_INIT;
  return init_struct(s, version, "jszb_report_options", defaults, jszb::capi::kReportOptions);
}

int jszb_group_options_init(jszb_group_options* s, unsigned version) {
  static const jszb_group_options defaults = JSZB_GROUP_OPTIONS_INIT;
  return init_struct(s, version, "jszb_group_options", defaults, jszb::capi::kGroupOptions);
}

int jszb_unit_orders_options_init(jszb_unit_orders_options* s, unsigned version) {
  static const jszb_unit_orders_options defaults = JSZB_UNIT_ORDERS_OPTIONS_INIT;
  return init_struct(s, version, "jszb_unit_orders_options", defaults,
                     jszb::capi::kUnitOrdersOptions);
}

int jszb_theme_init(jszb_theme* s, unsigned version) {
  static const jszb_theme defaults = JSZB_THEME_INIT;
  return init_struct(s, version, "jszb_theme", defaults, jszb::capi::kTheme);
}

int jszb_theme_task_init(jszb_theme_task* s, unsigned version) {
  static const jszb_theme_task defaults = JSZB_THEME_TASK_INIT;
  return init_struct(s, version, "jszb_theme_task", defaults, jszb::capi::kThemeTask);
}

int jszb_theme_trend_options_init(jszb_theme_trend_options* s, unsigned version) {
  static const jszb_theme_trend_options defaults = JSZB_THEME_TREND_OPTIONS_INIT;
  return init_struct(s, version, "jszb_theme_trend_options", defaults,
                     jszb::capi::kThemeTrendOptions);
}

int jszb_verify_options_init(jszb_verify_options* s, unsigned version) {
  static const jszb_verify_options defaults = JSZB_VERIFY_OPTIONS_INIT;
  return init_struct(s, version, "jszb_verify_options", defaults, jszb::capi::kVerifyOptions);
}

// Operations.

int jszb_backup_options_init(jszb_backup_options* s, unsigned version) {
  static const jszb_backup_options defaults = JSZB_BACKUP_OPTIONS_INIT;
  return init_struct(s, version, "jszb_backup_options", defaults, jszb::capi::kBackupOptions);
}

int jszb_store_stats_init(jszb_store_stats* s, unsigned version) {
  static const jszb_store_stats defaults = JSZB_STORE_STATS_INIT;
  return init_struct(s, version, "jszb_store_stats", defaults, jszb::capi::kStoreStats);
}

int jszb_metrics_init(jszb_metrics* s, unsigned version) {
  static const jszb_metrics defaults = JSZB_METRICS_INIT;
  return init_struct(s, version, "jszb_metrics", defaults, jszb::capi::kMetrics);
}

int jszb_open311_query_init(jszb_open311_query* s, unsigned version) {
  static const jszb_open311_query defaults = JSZB_OPEN311_QUERY_INIT;
  return init_struct(s, version, "jszb_open311_query", defaults, jszb::capi::kOpen311Query);
}

int jszb_what_if_options_init(jszb_what_if_options* s, unsigned version) {
  static const jszb_what_if_options defaults = JSZB_WHAT_IF_OPTIONS_INIT;
  return init_struct(s, version, "jszb_what_if_options", defaults, jszb::capi::kWhatIfOptions);
}

// interchange
int jszb_export_options_init(jszb_export_options* s, unsigned version) {
  static const jszb_export_options defaults = JSZB_EXPORT_OPTIONS_INIT;
  return init_struct(s, version, "jszb_export_options", defaults, jszb::capi::kExportOptions);
}

int jszb_import_options_init(jszb_import_options* s, unsigned version) {
  static const jszb_import_options defaults = JSZB_IMPORT_OPTIONS_INIT;
  return init_struct(s, version, "jszb_import_options", defaults, jszb::capi::kImportOptions);
}

}  // extern "C"
