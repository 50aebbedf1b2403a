// The C ABI of assessment: periods and the three rates per unit.
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "c_error.h"
#include "c_handles.h"
#include "report/assessment.h"

using jszb::capi::fail;
using jszb::capi::guarded;
namespace core = jszb::core;

namespace {

int check_date(int year, int month, int day) {
  // absl normalises 2021-02-30 to March 2: a date must come back as given.
  absl::CivilDay d(year, month, day);
  if (year < 1970 || year > 9999 || d.year() != year || d.month() != month || d.day() != day) {
    return fail(JSZB_E_INVALID, absl::StrFormat("%d-%02d-%02d is not a date between 1970 and 9999",
                                                year, month, day)
                                    .c_str());
  }
  return JSZB_OK;
}

int period_out(core::Period p, int64_t* from_ms, int64_t* until_ms) {
  if (from_ms == nullptr || until_ms == nullptr) {
    return fail(JSZB_E_INVALID, "from_ms and until_ms must not be NULL");
  }
  *from_ms = p.from;
  *until_ms = p.until;
  return JSZB_OK;
}

}  // namespace

extern "C" {

int jszb_assessment_month(int year, int month, int64_t* from_ms, int64_t* until_ms) {
  return guarded([&]() -> int {
    if (int rc = check_date(year, month, 1)) return rc;
    return period_out(core::assessment_month(year, month), from_ms, until_ms);
  });
}

int jszb_bulletin_day(int year, int month, int day, int64_t* from_ms, int64_t* until_ms) {
  return guarded([&]() -> int {
    if (int rc = check_date(year, month, day)) return rc;
    core::Period p = core::bulletin_day(year, month, day);
    return period_out(p, from_ms, until_ms);
  });
}

int jszb_engine_assess(jszb_engine* engine, int64_t from_ms, int64_t until_ms,
                       const jszb_rate_weights* weights, jszb_unit_score** scores, size_t* count) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (scores == nullptr || count == nullptr) {
      return fail(JSZB_E_INVALID, "scores and count must not be NULL");
    }
    if (absl::Status s = core::check_period(from_ms, until_ms); !s.ok()) return fail(s);
    core::RateWeights w;
    if (weights != nullptr) {
      if (weights->version < 1 || weights->version > JSZB_RATE_WEIGHTS_VERSION) {
        return fail(JSZB_E_INVALID,
                    absl::StrFormat("weights.version is %d: this library knows versions 1..%d "
                                    "(initialise it with JSZB_RATE_WEIGHTS_INIT)",
                                    weights->version, JSZB_RATE_WEIGHTS_VERSION)
                        .c_str());
      }
      w = {weights->response, weights->resolution, weights->satisfaction};
      if (absl::Status s = core::check_weights(w, "weights"); !s.ok()) return fail(s);
    }
    core::Engine& e = engine->engine;
    // Half-day periods (months, days, bulletin days) come from the counters;
    // any other range is recounted from the log.
    absl::StatusOr<std::vector<core::UnitScore>> result;
    if (core::on_bucket_edge(from_ms) && core::on_bucket_edge(until_ms)) {
      absl::StatusOr<core::CounterTotals> totals = e.counter_totals(from_ms, until_ms);
      if (!totals.ok()) return fail(totals.status());
      result = core::scores(totals->units, w);
    } else {
      result = core::assess(
          [&e](const std::function<void(const core::Event&)>& v) { return e.for_each_logged(v); },
          core::Period{from_ms, until_ms}, w);
    }
    if (!result.ok()) return fail(result.status());
    if (result->empty()) {
      *scores = nullptr;
      *count = 0;
      return JSZB_OK;
    }
    auto* out =
        static_cast<jszb_unit_score*>(std::malloc(result->size() * sizeof(jszb_unit_score)));
    if (out == nullptr) throw std::bad_alloc();
    for (std::size_t i = 0; i < result->size(); ++i) {
      const core::UnitScore& s = (*result)[i];
      out[i] = {s.unit,           s.visits,    s.contacted,
                s.solved,         s.satisfied, s.basically_satisfied,
                s.not_satisfied,  s.response,  s.resolution,
                s.satisfaction,   s.composite, s.sign_outcomes,
                s.signed_on_time, s.replies,   s.replied_on_time};
    }
    *scores = out;
    *count = result->size();
    return JSZB_OK;
  });
}

}  // extern "C"
