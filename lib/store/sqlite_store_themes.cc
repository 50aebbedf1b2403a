// SqliteStore's themes: tables themes, theme_tasks and theme_changes (schema
// step 6, docs/store.md). A change is its own transaction, committed before
// the call returns.
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "store/sqlite_store.h"

namespace jszb::core {

namespace {

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    out.emplace_back(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<Theme>> SqliteStore::themes() const {
  std::vector<Theme> out;
  absl::StatusOr<Statement*> st = cached(
      "SELECT id, name, start_ms, lead_unit, categories, keywords, areas FROM themes ORDER BY id");
  if (!st.ok()) return st.status();
  while (true) {
    absl::StatusOr<bool> row = (*st)->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Theme t;
    t.id = static_cast<ThemeId>((*st)->column_int(0));
    t.name = std::string((*st)->column_text(1));
    t.start = (*st)->column_int(2);
    t.lead = static_cast<UnitId>((*st)->column_int(3));
    t.categories = lines_of((*st)->column_text(4));
    t.keywords = lines_of((*st)->column_text(5));
    t.areas = lines_of((*st)->column_text(6));
    out.push_back(std::move(t));
  }
  absl::StatusOr<Statement*> tasks = cached(
      "SELECT theme_id, id, owner_unit, title, due_ms, state, done_ms FROM theme_tasks "
      "ORDER BY theme_id, id");
  if (!tasks.ok()) return tasks.status();
  std::size_t at = 0;  // both are by theme id
  while (true) {
    absl::StatusOr<bool> row = (*tasks)->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto theme = static_cast<ThemeId>((*tasks)->column_int(0));
    while (at < out.size() && out[at].id < theme) ++at;
    if (at == out.size() || out[at].id != theme) continue;  // a task of no theme: none is written
    ThemeTask k;
    k.id = static_cast<TaskId>((*tasks)->column_int(1));
    k.owner = static_cast<UnitId>((*tasks)->column_int(2));
    k.title = std::string((*tasks)->column_text(3));
    k.due = (*tasks)->column_int(4);
    k.state = (*tasks)->column_int(5) == 2 ? TaskState::kDone : TaskState::kOpen;
    k.done = (*tasks)->column_int(6);
    out[at].tasks.push_back(std::move(k));
  }
  return out;
}

absl::StatusOr<ThemeId> SqliteStore::last_theme_id() const {
  absl::StatusOr<Statement*> st = cached("SELECT coalesce(max(theme_id), 0) FROM theme_changes");
  if (!st.ok()) return st.status();
  absl::StatusOr<bool> row = (*st)->step();
  if (!row.ok()) return row.status();
  auto id = static_cast<ThemeId>((*st)->column_int(0));
  (*st)->reset();
  return id;
}

absl::Status SqliteStore::begin_theme_write() {
  if (batch_open_) {
    return absl::FailedPreconditionError(
        "a theme cannot change inside a batch of the engine's: commit or roll it back first");
  }
  return begin_write();
}

absl::Status SqliteStore::write_theme(const Theme& t) {
  absl::StatusOr<Statement*> st = cached(
      "INSERT OR REPLACE INTO themes (id, name, start_ms, lead_unit, categories, keywords, "
      "areas) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!st.ok()) return st.status();
  absl::Status s = (*st)
                       ->bind(1, static_cast<std::int64_t>(t.id))
                       .bind(2, t.name)
                       .bind(3, t.start)
                       .bind(4, static_cast<std::int64_t>(t.lead))
                       .bind(5, absl::StrJoin(t.categories, "\n"))
                       .bind(6, absl::StrJoin(t.keywords, "\n"))
                       .bind(7, absl::StrJoin(t.areas, "\n"))
                       .run();
  if (!s.ok()) return s;
  absl::StatusOr<Statement*> del = cached("DELETE FROM theme_tasks WHERE theme_id = ?1");
  if (!del.ok()) return del.status();
  if (s = (*del)->bind(1, static_cast<std::int64_t>(t.id)).run(); !s.ok()) return s;
  absl::StatusOr<Statement*> ins = cached(
      "INSERT INTO theme_tasks (theme_id, id, owner_unit, title, due_ms, state, done_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!ins.ok()) return ins.status();
  for (const ThemeTask& k : t.tasks) {
    s = (*ins)
            ->bind(1, static_cast<std::int64_t>(t.id))
            .bind(2, static_cast<std::int64_t>(k.id))
            .bind(3, static_cast<std::int64_t>(k.owner))
            .bind(4, k.title)
            .bind(5, k.due)
            .bind(6, static_cast<std::int64_t>(k.state))
            .bind(7, k.done)
            .run();
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::write_theme_change(ThemeId id, ThemeChange change, TaskId task,
                                             TimeMs time) {
  absl::StatusOr<Statement*> st = cached(
      "INSERT INTO theme_changes (time_ms, theme_id, change, task_id) VALUES (?1, ?2, ?3, "
      "?4)");
  if (!st.ok()) return st.status();
  return (*st)
      ->bind(1, time)
      .bind(2, static_cast<std::int64_t>(id))
      .bind(3, static_cast<std::int64_t>(change))
      .bind(4, static_cast<std::int64_t>(task))
      .run();
}

absl::Status SqliteStore::put_theme(const Theme& theme, ThemeChange change, TaskId task,
                                    TimeMs time) {
  if (absl::Status s = begin_theme_write(); !s.ok()) return s;
  absl::Status status = write_theme(theme);
  if (status.ok()) status = write_theme_change(theme.id, change, task, time);
  return end_write(status);
}

absl::Status SqliteStore::remove_theme(ThemeId id, TimeMs time) {
  if (absl::Status s = begin_theme_write(); !s.ok()) return s;
  absl::Status status;
  for (const char* sql :
       {"DELETE FROM themes WHERE id = ?1", "DELETE FROM theme_tasks WHERE theme_id = ?1"}) {
    absl::StatusOr<Statement*> st = cached(sql);
    status = st.status();
    if (status.ok()) status = (*st)->bind(1, static_cast<std::int64_t>(id)).run();
    if (!status.ok()) break;
  }
  if (status.ok()) status = write_theme_change(id, ThemeChange::kRemoved, 0, time);
  return end_write(status);
}

}  // namespace jszb::core
