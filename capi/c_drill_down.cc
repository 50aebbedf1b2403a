// The C ABI of the drill-down: the orders behind one figure of a unit's row.
#include <cstdlib>
#include <new>
#include <vector>

#include "absl/strings/str_format.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"
#include "report/drill_down.h"

using jszb::capi::fail;
using jszb::capi::guarded;
namespace core = jszb::core;

static_assert(JSZB_FIGURE_VISITS == static_cast<int>(core::Figure::kVisits) &&
              JSZB_FIGURE_APPEALED == static_cast<int>(core::Figure::kAppealed) &&
              JSZB_FIGURE_RESOLUTION_ONLY == static_cast<int>(core::Figure::kResolutionOnly) &&
              JSZB_FIGURE_RESOLUTION_ONLY == core::kFigureLast);

extern "C" {

int jszb_engine_unit_orders(jszb_engine* engine, const jszb_unit_orders_options* options,
                            jszb_unit_order** orders, size_t* count) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = jszb::capi::check_out(options, "options")) return rc;
    if (int rc = jszb::capi::check_out(orders, "orders")) return rc;
    if (int rc = jszb::capi::check_out(count, "count")) return rc;
    if (options->version < 1 || options->version > JSZB_UNIT_ORDERS_OPTIONS_VERSION) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("options.version is %d: this library knows versions 1..%d "
                                  "(initialise it with JSZB_UNIT_ORDERS_OPTIONS_INIT)",
                                  options->version, JSZB_UNIT_ORDERS_OPTIONS_VERSION)
                      .c_str());
    }
    // Checked here as an int: a cast would wrap a large number into a figure.
    if (options->figure < core::kFigureFirst || options->figure > core::kFigureLast) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("options.figure is %d: expected a jszb_figure (%d..%d)",
                                  options->figure, core::kFigureFirst, core::kFigureLast)
                      .c_str());
    }
    absl::StatusOr<std::vector<core::UnitOrder>> found =
        core::unit_orders(engine->engine, options->unit, {options->from_ms, options->until_ms},
                          static_cast<core::Figure>(options->figure));
    if (!found.ok()) return fail(found.status());
    jszb_unit_order* out = nullptr;
    if (!found->empty()) {
      out = static_cast<jszb_unit_order*>(std::malloc(found->size() * sizeof(jszb_unit_order)));
      if (out == nullptr) throw std::bad_alloc();
      for (std::size_t i = 0; i < found->size(); ++i) {
        out[i] = {(*found)[i].case_id, (*found)[i].time};
      }
    }
    *orders = out;
    *count = found->size();
    return JSZB_OK;
  });
}

}  // extern "C"
