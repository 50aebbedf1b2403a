// SqliteStore: the report counters, written with each commit as half-day
// rows and assessment-month roll-ups, and summed for a period.
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "absl/strings/str_format.h"
#include "base/enum_cast.h"
#include "store/sqlite_store.h"
#include "store/store_fault.h"

namespace jszb::core {

namespace {
// "sum(visits), sum(contacted), ...": every count, in kUnitTallyColumns' order.
const std::string& sum_of_tallies() {
  static const std::string sums = [] {
    std::string out;
    for (std::string_view column : kUnitTallyColumns) {
      absl::StrAppendFormat(&out, "%ssum(%s)", out.empty() ? "" : ", ", column);
    }
    return out;
  }();
  return sums;
}
}  // namespace

absl::Status SqliteStore::write_counters(const Counters& counters) {
  // Each change goes to its half-day row and to its assessment month's row.
  for (const auto& [key, tally] : counters.units) {
    if (tally.zero()) continue;  // taken back where it was counted
    for (auto [st, when] : {std::pair{&upsert_unit_counter_, std::int64_t{key.first}},
                            std::pair{&upsert_unit_month_, std::int64_t{month_of(key.first)}}}) {
      st->bind(1, when).bind(2, std::int64_t{key.second});
      int column = 3;
      for (const std::int64_t* field : tally.fields()) st->bind(column++, *field);
      absl::StatusOr<bool> done = st->step();
      if (!done.ok()) return done.status();
    }
  }
  for (const auto& [key, n] : counters.volumes) {
    if (n == 0) continue;
    for (auto [st, when] : {std::pair{&upsert_volume_counter_, std::int64_t{key.bucket}},
                            std::pair{&upsert_volume_month_, std::int64_t{month_of(key.bucket)}}}) {
      st->bind(1, when)
          .bind(2, static_cast<std::int64_t>(key.dim))
          .bind(3, key.district)
          .bind(4, key.path[0])
          .bind(5, key.path[1])
          .bind(6, key.path[2])
          .bind(7, static_cast<std::int64_t>(key.channel))
          .bind(8, static_cast<std::int64_t>(key.kind))
          .bind(9, n);
      absl::StatusOr<bool> done = st->step();
      if (!done.ok()) return done.status();
    }
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::rebuild_counters(const Counters& counters,
                                           const std::vector<const Case*>& cases) {
  if (absl::Status s = check_recovered(); !s.ok()) return s;
  if (absl::Status s = begin_write(); !s.ok()) return s;
  absl::Status status = db_.exec(
      "DELETE FROM unit_counters; DELETE FROM volume_counters; DELETE FROM unit_counters_month; "
      "DELETE FROM volume_counters_month;");
  if (status.ok()) status = write_counters(counters);
  for (std::size_t i = 0; i < cases.size() && status.ok(); ++i) {
    absl::StatusOr<std::uint64_t> last = last_lsn_of(cases[i]->id);
    status = last.ok() ? write_case(*cases[i], *last) : last.status();
  }
  if (status.ok()) status = write_meta("counters_complete", 1);
  if (absl::Status s = end_write(status); !s.ok()) return s;
  counters_complete_ = true;
  return absl::OkStatus();
}

absl::StatusOr<CounterTotals> SqliteStore::sum_counters(Bucket from, Bucket until) const {
  // Whole assessment months inside the range come from their rolled-up rows,
  // the half-days before and after them from theirs.
  struct Part {
    const char* grain;  // "" for half-days, "_month" for months
    const char* key;
    std::int64_t lo, hi;
  };
  std::vector<Part> parts;
  // Months are civil dates: only ranges within years 1970..9998 use them (an
  // unbounded range, as verify() asks for, reads every half-day row).
  static const Bucket kLastMonthly = first_bucket(9998 * 12);
  bool monthly = from >= 0 && until <= kLastMonthly;
  if (until > from) {
    Month m_lo = monthly ? month_of(from) : 0;
    if (monthly && first_bucket(m_lo) < from) ++m_lo;
    Month m_hi = monthly ? month_of(until) : 0;  // months before it end by `until`
    if (monthly && m_hi > m_lo) {
      parts.push_back({"", "bucket", from, first_bucket(m_lo)});
      parts.push_back({"_month", "month", m_lo, m_hi});
      parts.push_back({"", "bucket", first_bucket(m_hi), until});
    } else {
      parts.push_back({"", "bucket", from, until});
    }
  }
  CounterTotals out;
  std::map<std::tuple<int, std::string, std::string, std::string, std::string, int, int>,
           std::int64_t>
      volumes;
  for (const Part& part : parts) {
    if (part.hi <= part.lo) continue;
    absl::StatusOr<Statement*> units = cached(absl::StrFormat(
        "SELECT unit, %s FROM unit_counters%s WHERE %s >= ?1 AND %s < ?2 GROUP BY unit",
        sum_of_tallies(), part.grain, part.key, part.key));
    if (!units.ok()) return units.status();
    Statement& u = **units;
    u.bind(1, part.lo).bind(2, part.hi);
    while (true) {
      absl::StatusOr<bool> row = u.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      UnitTally t;
      int column = 1;
      for (std::int64_t* field : t.fields()) *field = u.column_int(column++);
      out.units[static_cast<UnitId>(u.column_int(0))].add(t);
    }
    absl::StatusOr<Statement*> rows = cached(absl::StrFormat(
        "SELECT dim, district, a, b, c, channel, kind, sum(received) FROM volume_counters%s "
        "WHERE %s >= ?1 AND %s < ?2 GROUP BY dim, district, a, b, c, channel, kind",
        part.grain, part.key, part.key));
    if (!rows.ok()) return rows.status();
    Statement& v = **rows;
    v.bind(1, part.lo).bind(2, part.hi);
    while (true) {
      absl::StatusOr<bool> row = v.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      volumes[{static_cast<int>(v.column_int(0)), std::string(v.column_text(1)),
               std::string(v.column_text(2)), std::string(v.column_text(3)),
               std::string(v.column_text(4)), static_cast<int>(v.column_int(5)),
               static_cast<int>(v.column_int(6))}] += v.column_int(7);
    }
  }
  for (auto it = out.units.begin(); it != out.units.end();) {
    it = it->second.zero() ? out.units.erase(it) : std::next(it);
  }
  out.volumes.reserve(volumes.size());
  for (auto& [key, n] : volumes) {
    if (n == 0) continue;
    auto& [dim, district, a, b, c, channel, kind] = key;
    out.volumes.push_back({static_cast<VolumeDim>(dim),
                           district,
                           {a, b, c},
                           enum_cast<Channel>(channel),
                           enum_cast<Kind>(kind),
                           n});
  }
  std::sort(out.volumes.begin(), out.volumes.end());
  return out;
}

}  // namespace jszb::core
