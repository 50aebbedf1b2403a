// Calendar: the work calendar that working-hour and working-day limits count
// in. China moves weekend days every year (调休), so the calendar is data from
// the State Council's yearly notice, never a Monday-to-Friday rule.
//
// Rules (all dates and hours are local time, UTC + utc_offset_minutes, which
// has no daylight saving):
// - A day is a working day if it is a make-up day (always working); else not
//   if it lies in a holiday or on a weekend day; else it is. A half day is a
//   working day, whatever its weekday, whose working hours are its own.
// - Working time is the union of a working day's periods [from, to).
// - Outside first_year..last_year the schedule is unknown: REFUSE fails every
//   computation that needs such a day (OutOfRange, naming the date and what to
//   load); WEEKENDS_ONLY counts weekends alone there (no holidays, no make-up
//   days); PROVISIONAL counts, from the year after last_year through 2030, the
//   national holiday rules' days off and weekends (provisional_schedule.h: no
//   make-up days) and refuses before first_year and past 2030. Callers use
//   covers() to say that a result is an estimate.
//
// Cost: loading builds, for every day of the covered years, one byte (its day
// type: off, normal hours, or one of the distinct half days) and two prefix
// sums (working days, working minutes before it): 9 bytes a day, provisional
// years included. Queries are then O(1), or O(log days) where an amount of
// working time or days must be found; beyond the tables (WEEKENDS_ONLY) they
// are arithmetic on weeks. No query loops over days.
#ifndef JSZB_LIB_POLICY_CALENDAR_H
#define JSZB_LIB_POLICY_CALENDAR_H

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "jszb/types.hpp"
#include "model/proto_schema.h"
#include "policy/diagnostics.h"

namespace jszb::core {

class Calendar {
 public:
  using BeyondSchedule = v1::BeyondSchedule;

  // Checks the message completely; every problem goes to diag as file:line
  // via `where` (positioned on the Calendar message). nullopt on any problem.
  // Checked: utc_offset_minutes in -720..840; weekend_days in 1..7, no repeats,
  // not all seven; working hours (also each half day's) non-empty, "HH:MM"
  // (00:00..24:00), from < to, ascending, not overlapping; first_year and
  // last_year set, in 1900..9999, in order, at most 200 years; every date
  // "YYYY-MM-DD", real, within those years (a holiday may cross a new year
  // inside them); holiday from <= to; no day listed twice anywhere; make-up
  // days on weekend days; beyond chosen explicitly.
  static std::optional<Calendar> load(const v1::Calendar& msg, const Where& where,
                                      Diagnostics& diag);
  // Parses a calendar in text format (syntax errors as file:line: column c),
  // then checks it as load() does.
  static std::optional<Calendar> load_text(std::string_view file, std::string_view text,
                                           Diagnostics& diag);

  // The local day of instant t.
  absl::CivilDay local_day(TimeMs t) const;
  // The instant local day d starts.
  TimeMs local_midnight(absl::CivilDay d) const;

  absl::StatusOr<bool> is_working_day(absl::CivilDay d) const;
  // t if t is inside working hours, else the start of the next working period.
  absl::StatusOr<TimeMs> next_working_instant(TimeMs t) const;
  // The first instant by which `duration` ms (>= 0) of working time have passed
  // since t: when the count runs out at a period's end, the result is that end,
  // not the next period's start. 0 gives t itself, even outside working hours.
  absl::StatusOr<TimeMs> add_working_time(TimeMs t, TimeMs duration) const;
  // n (>= 0) working days after t. With s = next_working_instant(t): the n-th
  // working day after s's day, at as much working time into that day as s is
  // into its own; if that day has less working time (a half day), the end of
  // its working hours. n = 0 gives s. Mon 10:00 + 5 is next Mon 10:00 (no
  // holidays); Fri 20:00 + 5 is the 5th working day after Mon, at 09:00.
  absl::StatusOr<TimeMs> add_working_days(TimeMs t, std::int64_t n) const;
  // Working ms in [a, b); 0 if b <= a. b may be the midnight that ends the
  // last covered year: that needs no day beyond it.
  absl::StatusOr<TimeMs> working_time_between(TimeMs a, TimeMs b) const;

  // Whether the local days of both instants lie within first_year..last_year
  // (the official schedule; not the provisional one).
  bool covers(TimeMs from, TimeMs to) const;
  BeyondSchedule beyond() const { return beyond_; }
  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }
  // The last year of the provisional schedule past last_year; 0 if there is
  // none (beyond is not PROVISIONAL, or last_year is 2030 or later).
  int provisional_last_year() const { return provisional_last_year_; }
  const std::string& name() const { return name_; }

 private:
  // A working period of a day type, in ms from local midnight, with the
  // working ms of the type's earlier periods.
  struct Period {
    std::int32_t from = 0;
    std::int32_t to = 0;
    std::int32_t before = 0;
  };
  // Type 0 is off, type 1 the normal hours, the others one half day each.
  struct DayType {
    std::uint32_t first = 0;  // into periods_
    std::uint32_t count = 0;
    std::int64_t total = 0;  // working ms
  };

  Calendar() = default;
  friend class CalendarBuilder;

  // Days are counted from 1970-01-01 local ("epoch days").
  std::int64_t end_day() const { return first_day_ + static_cast<std::int64_t>(day_type_.size()); }
  // The local day and the ms into it of instant t (OutOfRange past years 1..9999).
  absl::Status split(TimeMs t, std::int64_t* day, std::int64_t* ms) const;
  // OK if the kind of `day` is known (always, for WEEKENDS_ONLY within years
  // 1..9999); else OutOfRange naming it.
  absl::Status known(std::int64_t day) const;
  absl::Status unknown(std::int64_t day) const;
  std::uint8_t type_of(std::int64_t day) const;  // day must be known()
  // Working days and working ms in [first day, day); negative before it.
  std::int64_t working_days_before(std::int64_t day) const;
  std::int64_t working_ms_before(std::int64_t day) const;
  // Working weekdays in [monday_, day), and the inverse for a working weekday.
  std::int64_t weekday_count(std::int64_t day) const;
  std::int64_t weekday_numbered(std::int64_t count) const;
  // Working ms of a day type in [midnight, midnight + ms).
  std::int64_t working_ms_into(const DayType& type, std::int64_t ms) const;
  // The working-time counter: working ms from the first day's midnight to t.
  absl::StatusOr<std::int64_t> counter(TimeMs t) const;
  // The first instant at which the counter reaches `target`.
  absl::StatusOr<TimeMs> instant_at(std::int64_t target) const;
  // The working day with working_days_before(day) == k.
  absl::StatusOr<std::int64_t> working_day_numbered(std::int64_t k) const;
  TimeMs day_start(std::int64_t day) const;

  std::string name_;
  absl::TimeZone zone_;
  std::int64_t offset_ms_ = 0;
  int first_year_ = 0;
  int last_year_ = 0;
  int provisional_last_year_ = 0;
  BeyondSchedule beyond_ = v1::BEYOND_SCHEDULE_REFUSE;

  std::int64_t first_day_ = 0;                // epoch day of first_year's January 1
  std::int64_t official_end_ = 0;             // epoch day of the January 1 after last_year
  std::vector<std::uint8_t> day_type_;        // per covered day, provisional ones too
  std::vector<std::int32_t> days_before_;     // per covered day, and one past the end
  std::vector<std::int32_t> minutes_before_;  // likewise, working minutes
  std::vector<DayType> types_;
  std::vector<Period> periods_;

  // The week, for weekdays beyond the schedule: position 0 is Monday.
  std::int64_t monday_ = 0;                      // the epoch day of a Monday
  std::int64_t week_working_ = 0;                // working weekdays a week
  std::array<std::int64_t, 8> week_before_{};    // working weekdays before each position
  std::array<std::int64_t, 7> week_position_{};  // position of the i-th working weekday
};

}  // namespace jszb::core

#endif  // JSZB_LIB_POLICY_CALENDAR_H
