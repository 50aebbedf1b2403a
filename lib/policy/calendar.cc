#include "policy/calendar.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_format.h"
#include "policy/provisional_schedule.h"

namespace jszb::core {
namespace {

constexpr std::int64_t kMinuteMs = 60 * 1000;
constexpr std::int64_t kDayMs = 24 * 60 * kMinuteMs;
constexpr absl::CivilDay kEpoch(1970, 1, 1);
// Days beyond the schedule are computed for years 1..9999 only: absl prints
// those as YYYY-MM-DD, and the bound keeps every sum far from overflow.
constexpr std::int64_t kFirstDay = absl::CivilDay(1, 1, 1) - kEpoch;
constexpr std::int64_t kLastDay = absl::CivilDay(9999, 12, 31) - kEpoch;
constexpr std::int64_t kMaxDays = kLastDay - kFirstDay + 1;
constexpr std::int64_t kMaxSpanMs = kMaxDays * kDayMs;
// A schedule is published year by year; the bound keeps the tables small
// (9 bytes a day: 200 years are 660 KB).
constexpr int kMinYear = 1900;
constexpr int kMaxYear = 9999;
constexpr int kMaxYears = 200;
constexpr int kMaxDayTypes = 256;  // a day's type is one byte

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}
std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

absl::CivilDay civil(std::int64_t day) { return kEpoch + day; }
std::string date_str(std::int64_t day) { return absl::FormatCivilTime(civil(day)); }
std::string hhmm(int minutes) { return absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60); }

const char* const kWeekdayNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                     "Friday", "Saturday", "Sunday"};

bool two_digits(std::string_view s, std::size_t at, int* out) {
  if (s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9') return false;
  *out = (s[at] - '0') * 10 + (s[at + 1] - '0');
  return true;
}

// "HH:MM", 00:00 to 24:00 (the end of a day that is worked to midnight).
std::optional<int> parse_time(std::string_view s) {
  int h = 0;
  int m = 0;
  if (s.size() != 5 || s[2] != ':' || !two_digits(s, 0, &h) || !two_digits(s, 3, &m)) {
    return std::nullopt;
  }
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

// "YYYY-MM-DD", a real date.
std::optional<absl::CivilDay> parse_date(std::string_view s) {
  int y1 = 0;
  int y2 = 0;
  int m = 0;
  int d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !two_digits(s, 0, &y1) ||
      !two_digits(s, 2, &y2) || !two_digits(s, 5, &m) || !two_digits(s, 8, &d)) {
    return std::nullopt;
  }
  int y = y1 * 100 + y2;
  absl::CivilDay day(y, m, d);  // normalises: 02-30 becomes 03-01
  if (day.year() != y || day.month() != m || day.day() != d) return std::nullopt;
  return day;
}

using Hours = std::vector<std::pair<int, int>>;  // [from, to) in minutes

// The place of element i of a repeated scalar field. The list syntax
// `weekend_days: [6, 7]` records one place for all its elements: theirs.
// (Where::at with no index must not be used on a repeated field: protobuf
// treats that as a programming error.)
Where element(const Where& owner, std::string_view name, int i) {
  Where w = owner.at(name, i);
  if (i > 0 && w.line() == owner.line()) w = owner.at(name, 0);
  return w;
}

}  // namespace

// Checks a v1::Calendar completely, then builds the tables.
class CalendarBuilder {
 public:
  CalendarBuilder(const v1::Calendar& msg, const Where& where, Diagnostics& diag)
      : m_(msg), where_(where), diag_(diag) {}

  std::optional<Calendar> build() {
    const std::size_t errors_before = diag_.errors().size();
    Calendar c;
    c.name_ = m_.name();
    check_offset();
    check_weekend();
    std::optional<Hours> normal = hours(m_.working_hours(), where_, "working_hours");
    check_years();
    check_beyond();
    // The days each entry claims, to find days listed twice.
    if (years_ok_) owner_.assign(static_cast<std::size_t>(end_ - first_), Owner{});
    check_holidays();
    check_make_up_days();
    check_half_days();
    if (diag_.errors().size() != errors_before || !normal) return std::nullopt;

    c.zone_ = absl::FixedTimeZone(m_.utc_offset_minutes() * 60);
    c.offset_ms_ = std::int64_t{m_.utc_offset_minutes()} * kMinuteMs;
    c.first_year_ = m_.first_year();
    c.last_year_ = m_.last_year();
    c.beyond_ = m_.beyond();
    c.first_day_ = first_;
    c.official_end_ = end_;
    if (m_.beyond() == v1::BEYOND_SCHEDULE_PROVISIONAL && m_.last_year() < kProvisionalLastYear) {
      c.provisional_last_year_ = kProvisionalLastYear;
    }

    c.monday_ = absl::PrevWeekday(kEpoch + 1, absl::Weekday::monday) - kEpoch;
    for (int p = 0; p < 7; ++p) {
      c.week_before_[p + 1] = c.week_before_[p] + (weekend_[p] ? 0 : 1);
      if (!weekend_[p]) c.week_position_[c.week_before_[p]] = p;
    }
    c.week_working_ = c.week_before_[7];

    add_type(c, Hours{});  // 0: off
    add_type(c, *normal);  // 1: normal hours
    std::vector<std::uint8_t> half_type(half_hours_.size());
    for (std::size_t i = 0; i < half_hours_.size(); ++i) {
      auto same = std::find(type_hours_.begin(), type_hours_.end(), half_hours_[i]);
      if (same != type_hours_.end() && same != type_hours_.begin()) {
        half_type[i] = static_cast<std::uint8_t>(same - type_hours_.begin());
        continue;
      }
      if (type_hours_.size() == kMaxDayTypes) {
        diag_.error(where_.at("half_days", static_cast<int>(i)),
                    absl::StrFormat("half_days[%d]: more than %d distinct working hours", i,
                                    kMaxDayTypes - 2));
        return std::nullopt;
      }
      half_type[i] = static_cast<std::uint8_t>(type_hours_.size());
      add_type(c, half_hours_[i]);
    }

    fill_days(c, half_type);
    return c;
  }

 private:
  struct Owner {
    enum Kind : std::uint8_t { kNone, kHoliday, kMakeUp, kHalf } kind = kNone;
    int index = 0;
  };

  // The day tables: the schedule's years, then the provisional ones.
  void fill_days(Calendar& c, const std::vector<std::uint8_t>& half_type) const {
    const std::size_t official = owner_.size();
    std::size_t n = official;
    std::vector<bool> provisional_off;
    if (c.provisional_last_year_ != 0) {
      n = static_cast<std::size_t>(absl::CivilDay(c.provisional_last_year_ + 1, 1, 1) - kEpoch -
                                   first_);
      provisional_off.assign(n - official, false);
      for (int y = m_.last_year() + 1; y <= c.provisional_last_year_; ++y) {
        for (const ProvisionalDayOff& off : provisional_days_off(y, weekend_)) {
          std::int64_t i = (off.day - kEpoch) - end_;
          if (i >= 0 && i < static_cast<std::int64_t>(provisional_off.size())) {
            provisional_off[static_cast<std::size_t>(i)] = true;
          }
        }
      }
    }
    c.day_type_.resize(n);
    c.days_before_.resize(n + 1);
    c.minutes_before_.resize(n + 1);
    for (std::size_t i = 0; i < n; ++i) {
      std::int64_t day = first_ + static_cast<std::int64_t>(i);
      std::uint8_t type = weekend_[iso_position(day)] ? 0 : 1;
      if (i >= official) {
        if (provisional_off[i - official]) type = 0;
      } else {
        switch (owner_[i].kind) {
          case Owner::kHoliday:
            type = 0;
            break;
          case Owner::kMakeUp:
            type = 1;
            break;
          case Owner::kHalf:
            type = half_type[owner_[i].index];
            break;
          case Owner::kNone:
            break;
        }
      }
      c.day_type_[i] = type;
      c.days_before_[i + 1] = c.days_before_[i] + (type != 0 ? 1 : 0);
      c.minutes_before_[i + 1] =
          c.minutes_before_[i] + static_cast<std::int32_t>(c.types_[type].total / kMinuteMs);
    }
  }

  void error(const Where& w, std::string message) { diag_.error(w, std::move(message)); }

  int iso_position(std::int64_t day) const {  // 0 Monday .. 6 Sunday
    return static_cast<int>(civil(day) - absl::PrevWeekday(civil(day) + 1, absl::Weekday::monday));
  }

  void check_offset() {
    int off = m_.utc_offset_minutes();
    if (off < -720 || off > 840) {
      error(where_.at("utc_offset_minutes"),
            absl::StrFormat("utc_offset_minutes %d is out of range (expected -720..840, e.g. "
                            "480 for China)",
                            off));
    }
  }

  void check_weekend() {
    for (int i = 0; i < m_.weekend_days_size(); ++i) {
      int d = m_.weekend_days(i);
      Where w = element(where_, "weekend_days", i);
      if (d < 1 || d > 7) {
        error(w, absl::StrFormat("weekend_days[%d] %d is not a weekday (expected 1 Monday .. "
                                 "7 Sunday)",
                                 i, d));
      } else if (weekend_[d - 1]) {
        error(w, absl::StrFormat("weekend_days[%d] %d is listed twice", i, d));
      } else {
        weekend_[d - 1] = true;
      }
    }
    if (std::all_of(weekend_.begin(), weekend_.end(), [](bool b) { return b; })) {
      error(element(where_, "weekend_days", m_.weekend_days_size() - 1),
            "weekend_days leave no working weekday (expected at most 6 of 1..7)");
    }
  }

  // A list of working hours: well-formed, each non-empty, ascending, not
  // overlapping. nullopt if there was a problem.
  std::optional<Hours> hours(const google::protobuf::RepeatedPtrField<v1::TimeRange>& list,
                             const Where& owner, const std::string& path) {
    if (list.empty()) {
      error(owner, absl::StrFormat("%s is empty (expected at least one { from: \"HH:MM\" to: "
                                   "\"HH:MM\" })",
                                   path));
      return std::nullopt;
    }
    Hours out;
    bool ok = true;
    for (int j = 0; j < list.size(); ++j) {
      Where w = owner.at("working_hours", j);
      std::string at = absl::StrFormat("%s[%d]", path, j);
      std::optional<int> from = parse_time(list[j].from());
      std::optional<int> to = parse_time(list[j].to());
      if (!from) {
        error(w.at("from"), absl::StrFormat("%s.from \"%s\" is not a time (expected HH:MM, "
                                            "00:00..24:00)",
                                            at, list[j].from()));
      }
      if (!to) {
        error(w.at("to"), absl::StrFormat("%s.to \"%s\" is not a time (expected HH:MM, "
                                          "00:00..24:00)",
                                          at, list[j].to()));
      }
      if (!from || !to) {
        ok = false;
        continue;
      }
      if (*from >= *to) {
        error(w, absl::StrFormat("%s %s..%s is empty (expected from before to)", at, hhmm(*from),
                                 hhmm(*to)));
        ok = false;
        continue;
      }
      if (!out.empty() && *from < out.back().second) {
        error(w, absl::StrFormat("%s %s..%s overlaps or precedes the range before it, "
                                 "%s..%s (expected ascending ranges that do not overlap)",
                                 at, hhmm(*from), hhmm(*to), hhmm(out.back().first),
                                 hhmm(out.back().second)));
        ok = false;
        continue;
      }
      out.emplace_back(*from, *to);
    }
    if (!ok) return std::nullopt;
    return out;
  }

  void check_years() {
    bool ok = true;
    for (const char* field : {"first_year", "last_year"}) {
      int y = field[0] == 'f' ? m_.first_year() : m_.last_year();
      if (y == 0) {
        error(where_.at(field), absl::StrFormat("%s is not set (expected the %s year of the "
                                                "schedule, e.g. %d)",
                                                field, field[0] == 'f' ? "first" : "last",
                                                field[0] == 'f' ? 2019 : 2026));
        ok = false;
      } else if (y < kMinYear || y > kMaxYear) {
        error(where_.at(field), absl::StrFormat("%s %d is not a plausible year (expected "
                                                "%d..%d)",
                                                field, y, kMinYear, kMaxYear));
        ok = false;
      }
    }
    if (ok && m_.first_year() > m_.last_year()) {
      error(where_.at("last_year"), absl::StrFormat("last_year %d is before first_year %d",
                                                    m_.last_year(), m_.first_year()));
      ok = false;
    }
    if (ok && m_.last_year() - m_.first_year() + 1 > kMaxYears) {
      error(where_.at("last_year"),
            absl::StrFormat("first_year %d..last_year %d is %d years (expected at most %d)",
                            m_.first_year(), m_.last_year(), m_.last_year() - m_.first_year() + 1,
                            kMaxYears));
      ok = false;
    }
    years_ok_ = ok;
    if (ok) {
      first_ = absl::CivilDay(m_.first_year(), 1, 1) - kEpoch;
      end_ = absl::CivilDay(m_.last_year() + 1, 1, 1) - kEpoch;
    }
  }

  void check_beyond() {
    switch (m_.beyond()) {
      case v1::BEYOND_SCHEDULE_REFUSE:
      case v1::BEYOND_SCHEDULE_WEEKENDS_ONLY:
        return;
      case v1::BEYOND_SCHEDULE_PROVISIONAL:
        // The rules it follows are those in force from 2025: a schedule that
        // ends earlier would leave years between under other rules.
        if (years_ok_ && m_.last_year() < kProvisionalFirstYear - 1) {
          error(where_.at("beyond"),
                absl::StrFormat("beyond BEYOND_SCHEDULE_PROVISIONAL follows the holiday rules in "
                                "force from %d, but last_year is %d (expected last_year %d or "
                                "later, or another beyond)",
                                kProvisionalFirstYear, m_.last_year(), kProvisionalFirstYear - 1));
        }
        return;
      case v1::BEYOND_SCHEDULE_UNSPECIFIED:
        error(where_.at("beyond"),
              "beyond is not set (expected BEYOND_SCHEDULE_REFUSE, BEYOND_SCHEDULE_WEEKENDS_ONLY "
              "or BEYOND_SCHEDULE_PROVISIONAL: what to do outside first_year..last_year)");
        return;
      default:
        error(where_.at("beyond"),
              absl::StrFormat("beyond %d is not a BeyondSchedule value", m_.beyond()));
    }
  }

  // A date field: well-formed, and within the calendar's years when those are
  // known. The epoch day, or nullopt.
  std::optional<std::int64_t> date(const std::string& text, const Where& w,
                                   const std::string& path) {
    std::optional<absl::CivilDay> d = parse_date(text);
    if (!d) {
      error(w, absl::StrFormat("%s \"%s\" is not a date (expected YYYY-MM-DD)", path, text));
      return std::nullopt;
    }
    std::int64_t day = *d - kEpoch;
    if (years_ok_ && (day < first_ || day >= end_)) {
      error(w, absl::StrFormat("%s %s is outside the calendar's years %d..%d", path, text,
                               m_.first_year(), m_.last_year()));
      return std::nullopt;
    }
    return day;
  }

  std::string describe(const Owner& o) const {
    switch (o.kind) {
      case Owner::kHoliday: {
        const v1::Holiday& h = m_.holidays(o.index);
        return absl::StrFormat("holidays[%d] (%s%s%s..%s)", o.index, h.name(),
                               h.name().empty() ? "" : " ", h.from(), h.to());
      }
      case Owner::kMakeUp:
        return absl::StrFormat("make_up_days[%d]", o.index);
      case Owner::kHalf:
        return absl::StrFormat("half_days[%d]", o.index);
      case Owner::kNone:
        break;
    }
    return "";
  }

  // Claims [from, to] for an entry; reports the first day already claimed.
  void claim(std::int64_t from, std::int64_t to, Owner who, const Where& w,
             const std::string& what) {
    if (!years_ok_) return;
    bool reported = false;
    for (std::int64_t day = from; day <= to; ++day) {
      Owner& o = owner_[static_cast<std::size_t>(day - first_)];
      if (o.kind == Owner::kNone) {
        o = who;
      } else if (!reported) {
        error(w, absl::StrFormat("%s: %s is also in %s (expected each day listed once)", what,
                                 date_str(day), describe(o)));
        reported = true;
      }
    }
  }

  void check_holidays() {
    for (int i = 0; i < m_.holidays_size(); ++i) {
      const v1::Holiday& h = m_.holidays(i);
      Where w = where_.at("holidays", i);
      std::string at = absl::StrFormat("holidays[%d]", i);
      std::optional<std::int64_t> from = date(h.from(), w.at("from"), at + ".from");
      std::optional<std::int64_t> to = date(h.to(), w.at("to"), at + ".to");
      if (!from || !to) continue;
      if (*from > *to) {
        error(w.at("to"), absl::StrFormat("%s %s..%s ends before it starts (expected from <= to)",
                                          at, h.from(), h.to()));
        continue;
      }
      claim(*from, *to, Owner{Owner::kHoliday, i}, w, at);
    }
  }

  void check_make_up_days() {
    for (int i = 0; i < m_.make_up_days_size(); ++i) {
      Where w = element(where_, "make_up_days", i);
      std::string at = absl::StrFormat("make_up_days[%d]", i);
      std::optional<std::int64_t> day = date(m_.make_up_days(i), w, at);
      if (!day) continue;
      int p = iso_position(*day);
      if (!weekend_[p]) {
        error(w, absl::StrFormat("%s %s is a %s, not a weekend day: a make-up day changes "
                                 "nothing on a working weekday (expected one of weekend_days)",
                                 at, m_.make_up_days(i), kWeekdayNames[p]));
        continue;
      }
      claim(*day, *day, Owner{Owner::kMakeUp, i}, w, at);
    }
  }

  void check_half_days() {
    half_hours_.resize(m_.half_days_size());
    for (int i = 0; i < m_.half_days_size(); ++i) {
      const v1::HalfDay& h = m_.half_days(i);
      Where w = where_.at("half_days", i);
      std::string at = absl::StrFormat("half_days[%d]", i);
      std::optional<std::int64_t> day = date(h.date(), w.at("date"), at + ".date");
      std::optional<Hours> hs = hours(h.working_hours(), w, at + ".working_hours");
      if (hs) half_hours_[i] = std::move(*hs);
      if (day) claim(*day, *day, Owner{Owner::kHalf, i}, w.at("date"), at);
    }
  }

  void add_type(Calendar& c, const Hours& hs) {
    Calendar::DayType t;
    t.first = static_cast<std::uint32_t>(c.periods_.size());
    t.count = static_cast<std::uint32_t>(hs.size());
    for (const auto& [from, to] : hs) {
      Calendar::Period p;
      p.from = static_cast<std::int32_t>(from * kMinuteMs);
      p.to = static_cast<std::int32_t>(to * kMinuteMs);
      p.before = static_cast<std::int32_t>(t.total);
      t.total += p.to - p.from;
      c.periods_.push_back(p);
    }
    c.types_.push_back(t);
    type_hours_.push_back(hs);
  }

  const v1::Calendar& m_;
  const Where& where_;
  Diagnostics& diag_;
  std::array<bool, 7> weekend_{};  // by position, 0 Monday
  bool years_ok_ = false;
  std::int64_t first_ = 0;
  std::int64_t end_ = 0;
  std::vector<Owner> owner_;
  std::vector<Hours> half_hours_;
  std::vector<Hours> type_hours_;  // per day type
};

std::optional<Calendar> Calendar::load(const v1::Calendar& msg, const Where& where,
                                       Diagnostics& diag) {
  return CalendarBuilder(msg, where, diag).build();
}

std::optional<Calendar> Calendar::load_text(std::string_view file, std::string_view text,
                                            Diagnostics& diag) {
  v1::Calendar msg;
  Where::ParseInfoTree tree;
  if (!parse_text(file, text, &msg, &tree, diag)) return std::nullopt;
  return load(msg, Where(std::string(file), &tree, v1::Calendar::descriptor()), diag);
}

absl::CivilDay Calendar::local_day(TimeMs t) const {
  return absl::ToCivilDay(absl::FromUnixMillis(t), zone_);
}

TimeMs Calendar::local_midnight(absl::CivilDay d) const {
  return absl::ToUnixMillis(absl::FromCivil(d, zone_));
}

// The zone is a fixed offset, so a local day is exactly kDayMs long: the day
// of an instant is a division, and only dates go through absl.
absl::Status Calendar::split(TimeMs t, std::int64_t* day, std::int64_t* ms) const {
  if (t < kFirstDay * kDayMs - offset_ms_ || t >= (kLastDay + 1) * kDayMs - offset_ms_) {
    return absl::OutOfRangeError(absl::StrFormat("instant %d ms is outside years 0001..9999", t));
  }
  std::int64_t local = t + offset_ms_;
  *day = floor_div(local, kDayMs);
  *ms = local - *day * kDayMs;
  return absl::OkStatus();
}

absl::Status Calendar::known(std::int64_t day) const {
  if (day >= first_day_ && day < end_day()) return absl::OkStatus();
  if (beyond_ == v1::BEYOND_SCHEDULE_WEEKENDS_ONLY && day >= kFirstDay && day <= kLastDay) {
    return absl::OkStatus();
  }
  return unknown(day);
}

absl::Status Calendar::unknown(std::int64_t day) const {
  if (day < kFirstDay || day > kLastDay) {
    return absl::OutOfRangeError(absl::StrFormat("%s is outside years 0001..9999", date_str(day)));
  }
  std::string who = name_.empty() ? std::string("the calendar") : "calendar " + name_;
  if (day < first_day_) {
    return absl::OutOfRangeError(
        absl::StrFormat("%s is before %s's first year %d: load a calendar with %d's schedule",
                        date_str(day), who, first_year_, civil(day).year()));
  }
  if (provisional_last_year_ != 0) {
    return absl::OutOfRangeError(absl::StrFormat(
        "%s is past %s's last year %d and its provisional schedule to %d: load a calendar with "
        "%d's schedule",
        date_str(day), who, last_year_, provisional_last_year_, civil(day).year()));
  }
  return absl::OutOfRangeError(
      absl::StrFormat("%s is past %s's last year %d: load a calendar with %d's schedule",
                      date_str(day), who, last_year_, civil(day).year()));
}

std::uint8_t Calendar::type_of(std::int64_t day) const {
  if (day >= first_day_ && day < end_day()) {
    return day_type_[static_cast<std::size_t>(day - first_day_)];
  }
  std::int64_t rel = day - monday_;
  std::int64_t p = rel - floor_div(rel, 7) * 7;
  return week_before_[p + 1] != week_before_[p] ? 1 : 0;
}

std::int64_t Calendar::weekday_count(std::int64_t day) const {
  std::int64_t rel = day - monday_;
  std::int64_t weeks = floor_div(rel, 7);
  return weeks * week_working_ + week_before_[rel - weeks * 7];
}

std::int64_t Calendar::weekday_numbered(std::int64_t count) const {
  std::int64_t weeks = floor_div(count, week_working_);
  return monday_ + weeks * 7 + week_position_[count - weeks * week_working_];
}

std::int64_t Calendar::working_days_before(std::int64_t day) const {
  if (day < first_day_) return weekday_count(day) - weekday_count(first_day_);
  std::int64_t end = end_day();
  if (day <= end) return days_before_[static_cast<std::size_t>(day - first_day_)];
  return days_before_.back() + weekday_count(day) - weekday_count(end);
}

std::int64_t Calendar::working_ms_before(std::int64_t day) const {
  const std::int64_t normal = types_[1].total;
  if (day < first_day_) return (weekday_count(day) - weekday_count(first_day_)) * normal;
  std::int64_t end = end_day();
  if (day <= end) return minutes_before_[static_cast<std::size_t>(day - first_day_)] * kMinuteMs;
  return minutes_before_.back() * kMinuteMs + (weekday_count(day) - weekday_count(end)) * normal;
}

std::int64_t Calendar::working_ms_into(const DayType& type, std::int64_t ms) const {
  for (std::uint32_t i = 0; i < type.count; ++i) {
    const Period& p = periods_[type.first + i];
    if (ms <= p.from) return p.before;
    if (ms < p.to) return p.before + (ms - p.from);
  }
  return type.total;
}

TimeMs Calendar::day_start(std::int64_t day) const { return day * kDayMs - offset_ms_; }

absl::StatusOr<std::int64_t> Calendar::counter(TimeMs t) const {
  std::int64_t day = 0;
  std::int64_t ms = 0;
  if (absl::Status s = split(t, &day, &ms); !s.ok()) return s;
  // The midnight after the last covered day needs no day beyond it.
  if (ms == 0 && day == end_day()) return working_ms_before(day);
  if (absl::Status s = known(day); !s.ok()) return s;
  return working_ms_before(day) + working_ms_into(types_[type_of(day)], ms);
}

absl::StatusOr<TimeMs> Calendar::instant_at(std::int64_t target) const {
  const std::int64_t end_ms = std::int64_t{minutes_before_.back()} * kMinuteMs;
  std::int64_t day = 0;
  std::int64_t rem = 0;  // working ms into `day` at which the counter reaches target
  if (target > 0 && target <= end_ms) {
    // The first day whose end reaches target: minutes_before_[j] * 1 min >= target.
    auto it = std::lower_bound(minutes_before_.begin(), minutes_before_.end(),
                               ceil_div(target, kMinuteMs));
    std::size_t j = static_cast<std::size_t>(it - minutes_before_.begin());
    day = first_day_ + static_cast<std::int64_t>(j) - 1;
    rem = target - std::int64_t{minutes_before_[j - 1]} * kMinuteMs;
  } else {
    const bool before = target <= 0;
    const std::int64_t anchor = before ? first_day_ : end_day();
    if (beyond_ != v1::BEYOND_SCHEDULE_WEEKENDS_ONLY) return unknown(before ? anchor - 1 : anchor);
    const std::int64_t normal = types_[1].total;
    const std::int64_t from_anchor = target - (before ? 0 : end_ms);
    const std::int64_t k = ceil_div(from_anchor, normal) - 1;  // working days after the anchor
    day = weekday_numbered(weekday_count(anchor) + k);
    if (day < kFirstDay || day > kLastDay) return unknown(day);
    rem = from_anchor - k * normal;
  }
  const DayType& type = types_[type_of(day)];
  for (std::uint32_t i = 0; i < type.count; ++i) {
    const Period& p = periods_[type.first + i];
    if (p.before + (p.to - p.from) >= rem) return day_start(day) + p.from + (rem - p.before);
  }
  return absl::InternalError("calendar: working time not found in its day");  // unreachable
}

absl::StatusOr<std::int64_t> Calendar::working_day_numbered(std::int64_t k) const {
  const std::int64_t total = days_before_.back();
  if (k >= 0 && k < total) {
    auto it = std::upper_bound(days_before_.begin(), days_before_.end(), k);
    return first_day_ + static_cast<std::int64_t>(it - days_before_.begin()) - 1;
  }
  const bool before = k < 0;
  const std::int64_t anchor = before ? first_day_ : end_day();
  if (beyond_ != v1::BEYOND_SCHEDULE_WEEKENDS_ONLY) return unknown(before ? anchor - 1 : anchor);
  std::int64_t day = weekday_numbered(weekday_count(anchor) + k - (before ? 0 : total));
  if (day < kFirstDay || day > kLastDay) return unknown(day);
  return day;
}

absl::StatusOr<bool> Calendar::is_working_day(absl::CivilDay d) const {
  std::int64_t day = d - kEpoch;
  if (absl::Status s = known(day); !s.ok()) return s;
  return type_of(day) != 0;
}

absl::StatusOr<TimeMs> Calendar::next_working_instant(TimeMs t) const {
  absl::StatusOr<std::int64_t> c = counter(t);
  if (!c.ok()) return c.status();
  // The counter first passes c one ms after the next working instant.
  absl::StatusOr<TimeMs> s = instant_at(*c + 1);
  if (!s.ok()) return s.status();
  return *s - 1;
}

absl::StatusOr<TimeMs> Calendar::add_working_time(TimeMs t, TimeMs duration) const {
  if (duration < 0) {
    return absl::InvalidArgumentError(absl::StrFormat("working time %d ms is negative", duration));
  }
  absl::StatusOr<std::int64_t> c = counter(t);
  if (!c.ok()) return c.status();
  if (duration == 0) return t;
  if (duration > kMaxSpanMs) {
    return absl::OutOfRangeError(
        absl::StrFormat("working time %d ms ends past year 9999", duration));
  }
  return instant_at(*c + duration);
}

absl::StatusOr<TimeMs> Calendar::add_working_days(TimeMs t, std::int64_t n) const {
  if (n < 0) {
    return absl::InvalidArgumentError(absl::StrFormat("%d working days is negative", n));
  }
  if (n > kMaxDays) {
    return absl::OutOfRangeError(absl::StrFormat("%d working days end past year 9999", n));
  }
  absl::StatusOr<TimeMs> s = next_working_instant(t);
  if (!s.ok() || n == 0) return s;
  std::int64_t day = 0;
  std::int64_t ms = 0;
  if (absl::Status st = split(*s, &day, &ms); !st.ok()) return st;
  const std::int64_t into = working_ms_into(types_[type_of(day)], ms);
  absl::StatusOr<std::int64_t> target = working_day_numbered(working_days_before(day) + n);
  if (!target.ok()) return target.status();
  const DayType& type = types_[type_of(*target)];
  const TimeMs start = day_start(*target);
  for (std::uint32_t i = 0; i < type.count; ++i) {
    const Period& p = periods_[type.first + i];
    if (p.before + (p.to - p.from) > into) return start + p.from + (into - p.before);
  }
  // A shorter day (a half day): the end of its working hours.
  return start + periods_[type.first + type.count - 1].to;
}

absl::StatusOr<TimeMs> Calendar::working_time_between(TimeMs a, TimeMs b) const {
  if (b <= a) return 0;
  absl::StatusOr<std::int64_t> ca = counter(a);
  if (!ca.ok()) return ca.status();
  absl::StatusOr<std::int64_t> cb = counter(b);
  if (!cb.ok()) return cb.status();
  return *cb - *ca;
}

bool Calendar::covers(TimeMs from, TimeMs to) const {
  auto inside = [this](TimeMs t) {
    std::int64_t day = 0;
    std::int64_t ms = 0;
    return split(t, &day, &ms).ok() && day >= first_day_ && day < official_end_;
  };
  return inside(from) && inside(to);
}

}  // namespace jszb::core
