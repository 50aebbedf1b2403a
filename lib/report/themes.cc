// Themes: checking and making changes (the counts are in theme_trend.cc).
#include "report/themes.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_format.h"
#include "base/utf8.h"
#include "report/assessment.h"

namespace jszb::core {

namespace {

// Text a theme keeps: non-empty, UTF-8, no control character (the store keeps
// lists one item per line), at most `max` bytes.
absl::Status check_text(std::string_view text, const std::string& what, std::size_t max) {
  if (text.empty()) return absl::InvalidArgumentError(absl::StrFormat("%s is empty", what));
  if (text.size() > max) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s is %d bytes: at most %d", what, text.size(), max));
  }
  if (!is_valid_utf8(text)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s is not valid UTF-8", what));
  }
  for (char ch : text) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s \"%s\" holds a control character (a line break, a tab, ...)", what, text));
    }
  }
  return absl::OkStatus();
}

absl::Status check_unit(const Policy* policy, UnitId unit, const std::string& what) {
  if (unit == 0) return absl::InvalidArgumentError(absl::StrFormat("%s is 0: name a unit", what));
  if (policy == nullptr) {
    return absl::NotFoundError(absl::StrFormat(
        "%s %d: no policy is loaded, so no unit is known (set a policy first)", what, unit));
  }
  if (policy->unit(unit) == nullptr) {
    return absl::NotFoundError(absl::StrFormat("%s %d is not a unit of the current policy (%s v%d)",
                                               what, unit, policy->name(), policy->version()));
  }
  return absl::OkStatus();
}

// A district by its name in the policy (aliases are not names: requests count
// under the district's own name).
const UnitInfo* district_of(const Policy& policy, std::string_view name) {
  for (const UnitInfo& u : policy.units()) {
    if (u.unit_class == v1::UNIT_CLASS_DISTRICT && u.name == name) return &u;
  }
  return nullptr;
}

absl::Status check_area(const Policy* policy, const std::string& area, const std::string& what) {
  std::vector<std::string_view> levels = path_levels(area);
  if (levels.size() > 2 ||
      std::any_of(levels.begin(), levels.end(), [](std::string_view l) { return l.empty(); })) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s \"%s\": expected a district (\"朝阳区\") or district/street (\"朝阳区/望京街道\")",
        what, area));
  }
  if (policy == nullptr) {
    return absl::NotFoundError(absl::StrFormat(
        "%s \"%s\": no policy is loaded, so no district is known (set a policy first)", what,
        area));
  }
  const UnitInfo* district = district_of(*policy, levels[0]);
  if (district == nullptr) {
    return absl::NotFoundError(absl::StrFormat(
        "%s \"%s\": \"%s\" is not a district of the current policy (%s v%d; name it as the "
        "policy does)",
        what, area, levels[0], policy->name(), policy->version()));
  }
  if (levels.size() == 2) {
    bool known =
        std::any_of(policy->units().begin(), policy->units().end(), [&](const UnitInfo& u) {
          return u.unit_class == v1::UNIT_CLASS_STREET && u.district == district->code &&
                 u.name == levels[1];
        });
    if (!known) {
      return absl::NotFoundError(absl::StrFormat(
          "%s \"%s\": \"%s\" is not a street or township of %s in the current policy", what, area,
          levels[1], levels[0]));
    }
  }
  return absl::OkStatus();
}

absl::Status check_terms(const std::vector<std::string>& terms, const char* what) {
  if (terms.size() > kThemeTermsMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s has %d items: at most %d", what, terms.size(), kThemeTermsMax));
  }
  for (std::size_t i = 0; i < terms.size(); ++i) {
    std::string name = absl::StrFormat("%s[%d]", what, i);
    if (absl::Status s = check_text(terms[i], name, kThemeTermMax); !s.ok()) return s;
    if (std::find(terms.begin(), terms.begin() + i, terms[i]) != terms.begin() + i) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s \"%s\" is given twice", name, terms[i]));
    }
  }
  return absl::OkStatus();
}

// The theme's own fields, against the policy.
absl::Status check_definition(const Theme& t, const Policy* policy) {
  if (absl::Status s = check_text(t.name, "name", kThemeNameMax); !s.ok()) return s;
  if (absl::Status s = check_time("start_ms", t.start); !s.ok()) return s;
  if (absl::Status s = check_unit(policy, t.lead, "lead_unit"); !s.ok()) return s;
  if (absl::Status s = check_terms(t.categories, "categories"); !s.ok()) return s;
  if (absl::Status s = check_terms(t.keywords, "keywords"); !s.ok()) return s;
  if (absl::Status s = check_terms(t.areas, "areas"); !s.ok()) return s;
  if (t.categories.empty() && t.keywords.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "theme \"%s\" has neither categories nor keywords: it would hold every request of its "
        "areas",
        t.name));
  }
  for (std::size_t i = 0; i < t.categories.size(); ++i) {
    std::vector<std::string_view> levels = path_levels(t.categories[i]);
    if (levels.size() > 3 ||
        std::any_of(levels.begin(), levels.end(), [](std::string_view l) { return l.empty(); })) {
      return absl::InvalidArgumentError(
          absl::StrFormat("categories[%d] \"%s\": expected 1 to 3 category levels joined by \"/\" "
                          "(\"市场管理/预付式消费\")",
                          i, t.categories[i]));
    }
  }
  for (std::size_t i = 0; i < t.areas.size(); ++i) {
    if (absl::Status s = check_area(policy, t.areas[i], absl::StrFormat("areas[%d]", i)); !s.ok())
      return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<ThemeStore*> writable_themes(Engine& engine) {
  if (engine.busy()) {
    return absl::UnavailableError(
        "the engine is telling a listener or asking a router: themes cannot change from there");
  }
  if (engine.in_batch()) {
    return absl::FailedPreconditionError(
        "a theme change is durable on its own and cannot join a batch: commit or roll the batch "
        "back first");
  }
  if (engine.theme_store() == nullptr) {
    return absl::FailedPreconditionError("this engine's store keeps no themes");
  }
  return engine.theme_store();
}

std::string when(TimeMs t) { return absl::StrFormat("%d (%s China time)", t, china_time_text(t)); }

}  // namespace

absl::StatusOr<std::vector<Theme>> list_themes(const Engine& engine) {
  if (engine.theme_store() == nullptr) return std::vector<Theme>();
  return engine.theme_store()->themes();
}

absl::StatusOr<Theme> find_theme(const Engine& engine, ThemeId id) {
  absl::StatusOr<std::vector<Theme>> all = list_themes(engine);
  if (!all.ok()) return all.status();
  for (Theme& t : *all) {
    if (t.id == id) return std::move(t);
  }
  return absl::NotFoundError(absl::StrFormat("theme %d does not exist", id));
}

absl::StatusOr<ThemeId> define_theme(Engine& engine, const Theme& theme, TimeMs time) {
  absl::StatusOr<ThemeStore*> store = writable_themes(engine);
  if (!store.ok()) return store.status();
  if (absl::Status s = check_time("time_ms", time); !s.ok()) return s;
  if (absl::Status s = check_definition(theme, engine.policy()); !s.ok()) return s;
  absl::StatusOr<std::vector<Theme>> all = (*store)->themes();
  if (!all.ok()) return all.status();
  Theme next = theme;
  next.tasks.clear();
  bool found = theme.id == 0;
  for (const Theme& t : *all) {
    if (t.id != theme.id && t.name == theme.name) {
      return absl::InvalidArgumentError(
          absl::StrFormat("name \"%s\" is taken by theme %d", theme.name, t.id));
    }
    if (t.id != theme.id) continue;
    found = true;
    next.tasks = t.tasks;
    for (const ThemeTask& k : t.tasks) {
      if (k.due < theme.start) {
        return absl::InvalidArgumentError(
            absl::StrFormat("start_ms is %s: after the due time %s of task %d of theme %d",
                            when(theme.start), when(k.due), k.id, t.id));
      }
    }
  }
  if (!found) return absl::NotFoundError(absl::StrFormat("theme %d does not exist", theme.id));
  if (theme.id == 0) {
    absl::StatusOr<ThemeId> last = (*store)->last_theme_id();
    if (!last.ok()) return last.status();
    next.id = *last + 1;
  }
  ThemeChange change = theme.id == 0 ? ThemeChange::kDefined : ThemeChange::kRedefined;
  if (absl::Status s = (*store)->put_theme(next, change, 0, time); !s.ok()) return s;
  return next.id;
}

absl::Status remove_theme(Engine& engine, ThemeId id, TimeMs time) {
  absl::StatusOr<ThemeStore*> store = writable_themes(engine);
  if (!store.ok()) return store.status();
  if (absl::Status s = check_time("time_ms", time); !s.ok()) return s;
  absl::StatusOr<Theme> theme = find_theme(engine, id);
  if (!theme.ok()) return theme.status();
  return (*store)->remove_theme(id, time);
}

absl::StatusOr<TaskId> set_theme_task(Engine& engine, ThemeId id, const ThemeTask& task,
                                      TimeMs time) {
  absl::StatusOr<ThemeStore*> store = writable_themes(engine);
  if (!store.ok()) return store.status();
  if (absl::Status s = check_time("time_ms", time); !s.ok()) return s;
  absl::StatusOr<Theme> theme = find_theme(engine, id);
  if (!theme.ok()) return theme.status();
  if (absl::Status s = check_unit(engine.policy(), task.owner, "owner_unit"); !s.ok()) return s;
  if (absl::Status s = check_text(task.title, "title", kTaskTitleMax); !s.ok()) return s;
  if (absl::Status s = check_time("due_ms", task.due); !s.ok()) return s;
  if (task.due < theme->start) {
    return absl::InvalidArgumentError(
        absl::StrFormat("due_ms is %s: before the start %s of theme %d (\"%s\")", when(task.due),
                        when(theme->start), id, theme->name));
  }
  if (task.state != TaskState::kOpen && task.state != TaskState::kDone) {
    return absl::InvalidArgumentError(absl::StrFormat("state is %d: expected open (1) or done (2)",
                                                      static_cast<int>(task.state)));
  }
  auto& tasks = theme->tasks;
  auto it =
      std::find_if(tasks.begin(), tasks.end(), [&](const ThemeTask& k) { return k.id == task.id; });
  if (task.id != 0 && it == tasks.end()) {
    return absl::NotFoundError(
        absl::StrFormat("theme %d (\"%s\") has no task %d", id, theme->name, task.id));
  }
  if (task.id == 0 && tasks.size() >= kThemeTasksMax) {
    return absl::InvalidArgumentError(absl::StrFormat("theme %d has %d tasks already: at most %d",
                                                      id, tasks.size(), kThemeTasksMax));
  }
  ThemeTask next = task;
  bool was_done = it != tasks.end() && it->state == TaskState::kDone;
  next.done = task.state != TaskState::kDone ? 0 : was_done ? it->done : time;
  if (task.id == 0) {
    next.id = tasks.empty() ? 1 : tasks.back().id + 1;
    tasks.push_back(next);
  } else {
    *it = next;
  }
  if (absl::Status s = (*store)->put_theme(*theme, ThemeChange::kTaskSet, next.id, time); !s.ok())
    return s;
  return next.id;
}

}  // namespace jszb::core
