// The C ABI of themes (每月一题, 未诉先办): defining them and their tasks,
// reading them back, their trend, cases and the candidates for the next one.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"
#include "report/themes.h"

using jszb::capi::fail;
using jszb::capi::guarded;
namespace core = jszb::core;

static_assert(JSZB_TASK_OPEN == static_cast<int>(core::TaskState::kOpen) &&
              JSZB_TASK_DONE == static_cast<int>(core::TaskState::kDone));
static_assert(JSZB_THEME_MONTH == static_cast<int>(core::ThemePeriod::kMonth) &&
              JSZB_THEME_ASSESSMENT_MONTH ==
                  static_cast<int>(core::ThemePeriod::kAssessmentMonth) &&
              JSZB_THEME_WEEK == static_cast<int>(core::ThemePeriod::kWeek));

// A snapshot of themes, owning what its views point to.
struct jszb_themes {
  std::vector<core::Theme> themes;
  std::vector<std::vector<const char*>> categories, keywords, areas;
  std::vector<jszb_theme> views;
  std::vector<std::vector<jszb_theme_task>> tasks;
};

namespace {

int bad_version(const char* what, unsigned version, unsigned known, const char* init) {
  return fail(JSZB_E_INVALID, absl::StrFormat("%s.version is %d: this library knows versions 1..%d "
                                              "(initialise it with %s)",
                                              what, version, known, init)
                                  .c_str());
}

// A caller's list of strings; JSZB_E_INVALID naming a NULL list or item.
int strings_from_c(const char* const* items, size_t count, const char* what,
                   std::vector<std::string>* out) {
  if (count > 0 && items == nullptr) {
    return fail(JSZB_E_INVALID,
                absl::StrFormat("theme.%s is NULL with %s_count %d", what, what, count).c_str());
  }
  for (size_t i = 0; i < count; ++i) {
    if (items[i] == nullptr) {
      return fail(JSZB_E_INVALID, absl::StrFormat("theme.%s[%d] is NULL", what, i).c_str());
    }
    out->emplace_back(items[i]);
  }
  return JSZB_OK;
}

int theme_from_c(const jszb_theme* in, core::Theme* out) {
  if (in->version < 1 || in->version > JSZB_THEME_VERSION) {
    return bad_version("theme", in->version, JSZB_THEME_VERSION, "JSZB_THEME_INIT");
  }
  out->id = in->id;
  out->name = in->name != nullptr ? in->name : "";
  out->start = in->start_ms;
  out->lead = in->lead_unit;
  if (int rc = strings_from_c(in->categories, in->categories_count, "categories", &out->categories))
    return rc;
  if (int rc = strings_from_c(in->keywords, in->keywords_count, "keywords", &out->keywords))
    return rc;
  return strings_from_c(in->areas, in->areas_count, "areas", &out->areas);
}

std::vector<const char*> views_of(const std::vector<std::string>& items) {
  std::vector<const char*> out;
  out.reserve(items.size());
  for (const std::string& s : items) out.push_back(s.c_str());
  return out;
}

jszb_theme_task task_to_c(const core::ThemeTask& k) {
  return {JSZB_THEME_TASK_VERSION,   k.id,  k.owner, k.title.c_str(), k.due,
          static_cast<int>(k.state), k.done};
}

void fill_views(jszb_themes* t) {
  const std::size_t n = t->themes.size();
  t->categories.resize(n);
  t->keywords.resize(n);
  t->areas.resize(n);
  t->tasks.resize(n);
  t->views.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const core::Theme& th = t->themes[i];
    t->categories[i] = views_of(th.categories);
    t->keywords[i] = views_of(th.keywords);
    t->areas[i] = views_of(th.areas);
    for (const core::ThemeTask& k : th.tasks) t->tasks[i].push_back(task_to_c(k));
    t->views[i] = {JSZB_THEME_VERSION,
                   th.id,
                   th.name.c_str(),
                   th.start,
                   th.lead,
                   t->categories[i].data(),
                   th.categories.size(),
                   t->keywords[i].data(),
                   th.keywords.size(),
                   t->areas[i].data(),
                   th.areas.size()};
  }
}

}  // namespace

extern "C" {

int jszb_engine_theme_define(jszb_engine* engine, const jszb_theme* theme, int64_t time_ms,
                             uint64_t* theme_id) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = jszb::capi::check_out(theme, "theme")) return rc;
    core::Theme t;
    if (int rc = theme_from_c(theme, &t)) return rc;
    absl::StatusOr<core::ThemeId> id = core::define_theme(engine->engine, t, time_ms);
    if (!id.ok()) return fail(id.status());
    if (theme_id != nullptr) *theme_id = *id;
    return JSZB_OK;
  });
}

int jszb_engine_theme_remove(jszb_engine* engine, uint64_t theme_id, int64_t time_ms) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    absl::Status s = core::remove_theme(engine->engine, theme_id, time_ms);
    return s.ok() ? JSZB_OK : fail(s);
  });
}

int jszb_engine_theme_task_set(jszb_engine* engine, uint64_t theme_id, const jszb_theme_task* task,
                               int64_t time_ms, uint32_t* task_id) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = jszb::capi::check_out(task, "task")) return rc;
    if (task->version < 1 || task->version > JSZB_THEME_TASK_VERSION) {
      return bad_version("task", task->version, JSZB_THEME_TASK_VERSION, "JSZB_THEME_TASK_INIT");
    }
    // Checked as an int: a cast would wrap a large number into a state.
    int state = task->state == 0 ? JSZB_TASK_OPEN : task->state;
    if (state != JSZB_TASK_OPEN && state != JSZB_TASK_DONE) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("task.state is %d: expected JSZB_TASK_OPEN (1) or "
                                  "JSZB_TASK_DONE (2)",
                                  task->state)
                      .c_str());
    }
    core::ThemeTask k;
    k.id = task->id;
    k.owner = task->owner_unit;
    k.title = task->title != nullptr ? task->title : "";
    k.due = task->due_ms;
    k.state = static_cast<core::TaskState>(state);
    absl::StatusOr<core::TaskId> id = core::set_theme_task(engine->engine, theme_id, k, time_ms);
    if (!id.ok()) return fail(id.status());
    if (task_id != nullptr) *task_id = *id;
    return JSZB_OK;
  });
}

int jszb_engine_themes(jszb_engine* engine, uint64_t theme_id, jszb_themes** out) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = jszb::capi::check_out(out, "out")) return rc;
    auto snapshot = std::make_unique<jszb_themes>();
    if (theme_id == 0) {
      absl::StatusOr<std::vector<core::Theme>> all = core::list_themes(engine->engine);
      if (!all.ok()) return fail(all.status());
      snapshot->themes = std::move(*all);
    } else {
      absl::StatusOr<core::Theme> one = core::find_theme(engine->engine, theme_id);
      if (!one.ok()) return fail(one.status());
      snapshot->themes.push_back(std::move(*one));
    }
    fill_views(snapshot.get());
    *out = snapshot.release();
    return JSZB_OK;
  });
}

void jszb_themes_free(jszb_themes* themes) { delete themes; }

size_t jszb_themes_count(const jszb_themes* themes) {
  return themes != nullptr ? themes->views.size() : 0;
}

const jszb_theme* jszb_themes_get(const jszb_themes* themes, size_t index) {
  if (themes == nullptr || index >= themes->views.size()) return nullptr;
  return &themes->views[index];
}

size_t jszb_themes_task_count(const jszb_themes* themes, size_t index) {
  if (themes == nullptr || index >= themes->tasks.size()) return 0;
  return themes->tasks[index].size();
}

const jszb_theme_task* jszb_themes_task(const jszb_themes* themes, size_t index, size_t task) {
  if (themes == nullptr || index >= themes->tasks.size() || task >= themes->tasks[index].size()) {
    return nullptr;
  }
  return &themes->tasks[index][task];
}

int jszb_engine_theme_trend(jszb_engine* engine, const jszb_theme_trend_options* options,
                            jszb_theme_count** counts, size_t* count) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = jszb::capi::check_out(options, "options")) return rc;
    if (int rc = jszb::capi::check_out(counts, "counts")) return rc;
    if (int rc = jszb::capi::check_out(count, "count")) return rc;
    if (options->version < 1 || options->version > JSZB_THEME_TREND_OPTIONS_VERSION) {
      return bad_version("options", options->version, JSZB_THEME_TREND_OPTIONS_VERSION,
                         "JSZB_THEME_TREND_OPTIONS_INIT");
    }
    if (options->period < JSZB_THEME_MONTH || options->period > JSZB_THEME_WEEK) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("options.period is %d: expected a jszb_theme_period (1..3)",
                                  options->period)
                      .c_str());
    }
    core::TrendOptions o;
    o.period = static_cast<core::ThemePeriod>(options->period);
    o.before = options->before;
    o.after = options->after;
    if (options->district != nullptr) o.district = options->district;
    absl::StatusOr<std::vector<core::PeriodCount>> found =
        core::theme_trend(engine->engine, options->theme_id, o);
    if (!found.ok()) return fail(found.status());
    auto* out =
        static_cast<jszb_theme_count*>(std::malloc(found->size() * sizeof(jszb_theme_count)));
    if (out == nullptr) throw std::bad_alloc();  // never empty: at least one period
    for (std::size_t i = 0; i < found->size(); ++i) {
      const core::PeriodCount& c = (*found)[i];
      out[i] = {c.from, c.until, c.offset, static_cast<uint64_t>(c.received)};
    }
    *counts = out;
    *count = found->size();
    return JSZB_OK;
  });
}

int jszb_engine_theme_cases(jszb_engine* engine, uint64_t theme_id, int64_t from_ms,
                            int64_t until_ms, const char* district, uint64_t** ids, size_t* count) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = jszb::capi::check_out(ids, "ids")) return rc;
    if (int rc = jszb::capi::check_out(count, "count")) return rc;
    if (district != nullptr) {
      if (int rc = jszb::capi::check_utf8(district, "district")) return rc;
    }
    absl::StatusOr<std::vector<jszb::CaseId>> found = core::theme_cases(
        engine->engine, theme_id, from_ms, until_ms, district != nullptr ? district : "");
    if (!found.ok()) return fail(found.status());
    uint64_t* out = nullptr;
    if (!found->empty()) {
      out = static_cast<uint64_t*>(std::malloc(found->size() * sizeof(uint64_t)));
      if (out == nullptr) throw std::bad_alloc();
      std::memcpy(out, found->data(), found->size() * sizeof(uint64_t));
    }
    *ids = out;
    *count = found->size();
    return JSZB_OK;
  });
}

int jszb_engine_theme_candidates(jszb_engine* engine, const jszb_report_options* options,
                                 jszb_theme_candidate** candidates, size_t* count) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = jszb::capi::check_out(options, "options")) return rc;
    if (int rc = jszb::capi::check_out(candidates, "candidates")) return rc;
    if (int rc = jszb::capi::check_out(count, "count")) return rc;
    if (options->version < 1 || options->version > JSZB_REPORT_OPTIONS_VERSION) {
      return bad_version("options", options->version, JSZB_REPORT_OPTIONS_VERSION,
                         "JSZB_REPORT_OPTIONS_INIT");
    }
    core::RisingOptions o;
    o.from = options->from_ms;
    o.until = options->until_ms;
    if (options->district != nullptr) o.district = options->district;
    o.baseline_periods = options->baseline_periods;
    absl::StatusOr<std::vector<jszb::v1::RisingRow>> found =
        core::theme_candidates(engine->engine, o);
    if (!found.ok()) return fail(found.status());
    *candidates = nullptr;
    *count = 0;
    if (found->empty()) return JSZB_OK;
    // One block: the rows, then their strings.
    std::size_t text = 0;
    for (const auto& row : *found) text += row.district().size() + row.category().size() + 2;
    std::size_t head = found->size() * sizeof(jszb_theme_candidate);
    auto* block = static_cast<char*>(std::malloc(head + text));
    if (block == nullptr) throw std::bad_alloc();
    auto* out = reinterpret_cast<jszb_theme_candidate*>(block);
    char* next = block + head;
    auto copy = [&next](const std::string& s) {
      const char* at = next;
      std::memcpy(next, s.c_str(), s.size() + 1);
      next += s.size() + 1;
      return at;
    };
    for (std::size_t i = 0; i < found->size(); ++i) {
      const auto& row = (*found)[i];
      out[i].district = copy(row.district());
      out[i].category = copy(row.category());
      out[i].count = row.count();
      out[i].baseline = row.baseline();
      out[i].z = row.z();
    }
    *candidates = out;
    *count = found->size();
    return JSZB_OK;
  });
}

}  // extern "C"
