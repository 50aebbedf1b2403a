// The work calendar: China's schedule as shipped, working-time arithmetic
// around long holidays and year ends, half days, checked against a slow
// reference that walks minute by minute, beyond the schedule, and validation
// that names every problem's line.
#include "policy/calendar.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policy/provisional_schedule.h"

namespace jszb::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr TimeMs kMinute = 60 * 1000;
constexpr TimeMs kHour = 60 * kMinute;

const absl::TimeZone kBeijing = absl::FixedTimeZone(8 * 3600);

// An instant in Beijing time.
TimeMs bj(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::ToUnixMillis(absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), kBeijing));
}

// "YYYY-MM-DD HH:MM" in Beijing time (with seconds.ms when not whole minutes),
// or the error: results read as the schedule does.
std::string show(const absl::StatusOr<TimeMs>& t) {
  if (!t.ok()) return std::string(t.status().message());
  absl::Time at = absl::FromUnixMillis(*t);
  if (*t % kMinute != 0) return absl::FormatTime("%Y-%m-%d %H:%M:%E3S", at, kBeijing);
  return absl::FormatTime("%Y-%m-%d %H:%M", at, kBeijing);
}

std::string source_file(const std::string& relative) {
  std::string here = __FILE__;
  return here.substr(0, here.rfind("tests/")) + relative;
}

std::string read_source(const std::string& relative) {
  std::ifstream in(source_file(relative), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const char kChinaFile[] = "lib/data/china-calendar.textproto";

std::optional<Calendar> load(const std::string& text, Diagnostics& diag,
                             const std::string& file = "test.textproto") {
  return Calendar::load_text(file, text, diag);
}

// The shipped calendar, loaded once.
const Calendar& china() {
  static const Calendar* c = [] {
    Diagnostics diag;
    std::optional<Calendar> loaded = Calendar::load_text(kChinaFile, read_source(kChinaFile), diag);
    if (!loaded) {
      std::fprintf(stderr, "%s\n", std::string(diag.status("calendar").message()).c_str());
      std::abort();
    }
    return new Calendar(std::move(*loaded));
  }();
  return *c;
}

// The shipped file with beyond: BEYOND_SCHEDULE_REFUSE, as a policy may choose.
const Calendar& china_refuse() {
  static const Calendar* c = [] {
    std::string text = read_source(kChinaFile);
    const std::string from = "beyond: BEYOND_SCHEDULE_PROVISIONAL\n";
    std::size_t at = text.find(from);
    if (at == std::string::npos) std::abort();
    text.replace(at, from.size(), "beyond: BEYOND_SCHEDULE_REFUSE\n");
    Diagnostics diag;
    std::optional<Calendar> loaded = Calendar::load_text(kChinaFile, text, diag);
    if (!loaded) {
      std::fprintf(stderr, "%s\n", std::string(diag.status("calendar").message()).c_str());
      std::abort();
    }
    return new Calendar(std::move(*loaded));
  }();
  return *c;
}

// A small calendar with half days, that counts weekends beyond 2024.
const char kHalfText[] = R"pb(
  name: "half"
  utc_offset_minutes: 480
  weekend_days: [ 6, 7 ]
  working_hours { from: "09:00" to: "12:00" }
  working_hours { from: "13:00" to: "17:00" }
  first_year: 2024
  last_year: 2024
  beyond: BEYOND_SCHEDULE_WEEKENDS_ONLY
  holidays { name: "劳动节" from: "2024-05-01" to: "2024-05-03" }
  # Women's Day: the afternoon off (a Friday).
  half_days {
    date: "2024-03-08"
    working_hours { from: "09:00" to: "12:00" }
  }
  # A Saturday worked in the morning only.
  half_days {
    date: "2024-03-09"
    working_hours { from: "09:00" to: "11:00" }
  }
  # Same hours as Mar 8: the two share a day type.
  half_days {
    date: "2024-12-31"
    working_hours { from: "09:00" to: "12:00" }
  }
  make_up_days: "2024-04-28"
)pb";

const Calendar& half() {
  static const Calendar* c = [] {
    Diagnostics diag;
    std::optional<Calendar> loaded = load(kHalfText, diag);
    if (!loaded) {
      std::fprintf(stderr, "%s\n", std::string(diag.status("calendar").message()).c_str());
      std::abort();
    }
    return new Calendar(std::move(*loaded));
  }();
  return *c;
}

// ------------------------------------------------------------ the reference

// A slow, independent model of a calendar: every minute of a window is
// working or not, from lists typed here from the notices, not from the file.
struct Reference {
  absl::CivilDay first;  // the window's first day
  int days = 0;
  std::vector<bool> working;  // per minute
  std::vector<bool> working_day;

  struct Spec {
    std::vector<std::pair<int, int>> hours;  // minutes from midnight
    std::set<absl::CivilDay> off;            // holidays
    std::set<absl::CivilDay> make_up;
    std::map<absl::CivilDay, std::vector<std::pair<int, int>>> half;
  };

  Reference(absl::CivilDay from, absl::CivilDay to, const Spec& spec)
      : first(from), days(static_cast<int>(to - from)) {
    working.assign(static_cast<std::size_t>(days) * 1440, false);
    working_day.assign(static_cast<std::size_t>(days), false);
    for (int i = 0; i < days; ++i) {
      absl::CivilDay d = from + i;
      absl::Weekday wd = absl::GetWeekday(d);
      bool weekend = wd == absl::Weekday::saturday || wd == absl::Weekday::sunday;
      std::vector<std::pair<int, int>> hours = spec.hours;
      bool works = spec.make_up.count(d) || !(spec.off.count(d) || weekend);
      if (spec.half.count(d)) {
        works = true;
        hours = spec.half.at(d);
      }
      working_day[i] = works;
      if (!works) continue;
      for (auto [f, t] : hours) {
        for (int m = f; m < t; ++m) working[static_cast<std::size_t>(i) * 1440 + m] = true;
      }
    }
  }

  std::int64_t minutes() const { return static_cast<std::int64_t>(working.size()); }
  TimeMs instant(std::int64_t minute) const {
    return bj(first.year(), first.month(), first.day()) + minute * kMinute;
  }
  std::int64_t minute_of(TimeMs t) const { return (t - instant(0)) / kMinute; }

  TimeMs between(std::int64_t a, std::int64_t b) const {
    std::int64_t n = 0;
    for (std::int64_t m = a; m < b; ++m) n += working[m] ? 1 : 0;
    return n * kMinute;
  }
  // -1 when the window is too short.
  std::int64_t next_working(std::int64_t a) const {
    for (std::int64_t m = a; m < minutes(); ++m) {
      if (working[m]) return m;
    }
    return -1;
  }
  std::int64_t add_time(std::int64_t a, std::int64_t d) const {
    if (d == 0) return a;
    for (std::int64_t m = a; m < minutes(); ++m) {
      if (working[m] && --d == 0) return m + 1;
    }
    return -1;
  }
  std::int64_t add_days(std::int64_t a, int n) const {
    std::int64_t s = next_working(a);
    if (s < 0) return -1;
    if (n == 0) return s;
    std::int64_t day = s / 1440;
    std::int64_t into = 0;
    for (std::int64_t m = day * 1440; m < s; ++m) into += working[m] ? 1 : 0;
    while (n > 0) {
      if (++day >= days) return -1;
      if (working_day[day]) --n;
    }
    std::int64_t seen = 0;
    std::int64_t last_end = -1;
    for (std::int64_t m = day * 1440; m < (day + 1) * 1440; ++m) {
      if (!working[m]) continue;
      if (seen == into) return m;
      ++seen;
      last_end = m + 1;
    }
    return last_end;  // a shorter day: the end of its hours
  }
};

Reference::Spec china_spec() {
  Reference::Spec s;
  s.hours = {{9 * 60, 12 * 60}, {13 * 60 + 30, 17 * 60 + 30}};
  for (int d = 29; d <= 30; ++d) s.off.insert(absl::CivilDay(2023, 9, d));
  for (int d = 1; d <= 6; ++d) s.off.insert(absl::CivilDay(2023, 10, d));
  s.make_up = {absl::CivilDay(2023, 10, 7), absl::CivilDay(2023, 10, 8)};
  s.off.insert(absl::CivilDay(2024, 1, 1));
  for (int d = 10; d <= 17; ++d) s.off.insert(absl::CivilDay(2024, 2, d));
  s.make_up.insert({absl::CivilDay(2024, 2, 4), absl::CivilDay(2024, 2, 18)});
  return s;
}

// 2023-09-01 .. 2024-03-31: National Day 2023, New Year and Spring Festival 2024.
const Reference& china_reference() {
  static const Reference r(absl::CivilDay(2023, 9, 1), absl::CivilDay(2024, 4, 1), china_spec());
  return r;
}

// The half-day calendar, over its end into 2025 (weekends only there).
const Reference& half_reference() {
  static const Reference r = [] {
    Reference::Spec s;
    s.hours = {{9 * 60, 12 * 60}, {13 * 60, 17 * 60}};
    for (int d = 1; d <= 3; ++d) s.off.insert(absl::CivilDay(2024, 5, d));
    s.make_up = {absl::CivilDay(2024, 4, 28)};
    s.half[absl::CivilDay(2024, 3, 8)] = {{9 * 60, 12 * 60}};
    s.half[absl::CivilDay(2024, 3, 9)] = {{9 * 60, 11 * 60}};
    s.half[absl::CivilDay(2024, 12, 31)] = {{9 * 60, 12 * 60}};
    return Reference(absl::CivilDay(2024, 2, 20), absl::CivilDay(2025, 2, 1), s);
  }();
  return r;
}

// Compares every operation with the reference at random whole minutes.
void check_against(const Calendar& cal, const Reference& ref, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> minute(0, ref.minutes() - 1);
  std::uniform_int_distribution<std::int64_t> span(0, 3 * 1440);
  std::uniform_int_distribution<std::int64_t> amount(0, 40 * 60);
  std::uniform_int_distribution<int> ndays(0, 12);
  for (int i = 0; i < 300; ++i) {
    std::int64_t a = minute(rng);
    std::int64_t b = std::min(ref.minutes(), a + span(rng));
    TimeMs ta = ref.instant(a);
    SCOPED_TRACE(show(ta));
    ASSERT_EQ(cal.working_time_between(ta, ref.instant(b)).value(), ref.between(a, b))
        << "to " << show(ref.instant(b));

    std::int64_t next = ref.next_working(a);
    if (next >= 0) {
      ASSERT_EQ(show(cal.next_working_instant(ta)), show(ref.instant(next)));
    }

    std::int64_t d = amount(rng);
    std::int64_t end = ref.add_time(a, d);
    if (end >= 0) {
      ASSERT_EQ(show(cal.add_working_time(ta, d * kMinute)), show(ref.instant(end))) << d << " min";
    }

    int n = ndays(rng);
    std::int64_t due = ref.add_days(a, n);
    if (due >= 0) {
      ASSERT_EQ(show(cal.add_working_days(ta, n)), show(ref.instant(due))) << n << " days";
    }
  }
}

// ------------------------------------------------------------ the shipped file

TEST(CalendarChina, ShippedFileLoadsCleanly) {
  Diagnostics diag;
  std::string text = read_source(kChinaFile);
  ASSERT_FALSE(text.empty()) << "cannot read " << source_file(kChinaFile);
  std::optional<Calendar> c = Calendar::load_text(kChinaFile, text, diag);
  ASSERT_TRUE(c.has_value()) << diag.status("calendar");
  EXPECT_TRUE(diag.ok());
  EXPECT_EQ(c->name(), "china");
  EXPECT_EQ(c->first_year(), 2019);
  EXPECT_EQ(c->last_year(), 2026);
  EXPECT_EQ(c->beyond(), v1::BEYOND_SCHEDULE_PROVISIONAL);
  EXPECT_EQ(c->provisional_last_year(), 2030);
}

TEST(CalendarChina, LocalDaysAreBeijingDays) {
  const Calendar& c = china();
  // 16:00 UTC is midnight in Beijing.
  TimeMs utc_1559 = absl::ToUnixMillis(
      absl::FromCivil(absl::CivilSecond(2024, 1, 31, 15, 59, 59), absl::UTCTimeZone()));
  EXPECT_EQ(c.local_day(utc_1559), absl::CivilDay(2024, 1, 31));
  EXPECT_EQ(c.local_day(utc_1559 + 1000), absl::CivilDay(2024, 2, 1));
  EXPECT_EQ(c.local_midnight(absl::CivilDay(2024, 2, 1)), utc_1559 + 1000);
  EXPECT_EQ(c.local_day(-1), absl::CivilDay(1970, 1, 1));  // 07:59:59.999 local
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<TimeMs> any(bj(2019, 1, 1), bj(2027, 1, 1));
  for (int i = 0; i < 1000; ++i) {
    TimeMs t = any(rng);
    absl::CivilDay d = c.local_day(t);
    EXPECT_EQ(d, absl::ToCivilDay(absl::FromUnixMillis(t), kBeijing));
    EXPECT_LE(c.local_midnight(d), t);
    EXPECT_GT(c.local_midnight(d + 1), t);
  }
}

struct DayCase {
  absl::CivilDay day;
  bool working;
  const char* why;
};

TEST(CalendarChina, WorkingDaysFollowTheNotices) {
  using D = absl::CivilDay;
  const DayCase cases[] = {
      {D(2019, 1, 1), false, "元旦"},
      {D(2019, 1, 2), true, "after 元旦"},
      {D(2019, 2, 2), true, "Saturday made up for 春节"},
      {D(2019, 2, 3), true, "Sunday made up for 春节"},
      {D(2019, 2, 4), false, "除夕 2019"},
      {D(2019, 2, 11), true, "after 春节"},
      {D(2019, 4, 28), true, "Sunday made up for the lengthened 劳动节"},
      {D(2019, 5, 2), false, "劳动节 lengthened by the March notice"},
      {D(2019, 5, 3), false, "劳动节 lengthened by the March notice"},
      {D(2019, 5, 5), true, "Sunday made up for the lengthened 劳动节"},
      {D(2019, 9, 29), true, "Sunday made up for 国庆节"},
      {D(2019, 10, 7), false, "国庆节"},
      {D(2019, 10, 12), true, "Saturday made up for 国庆节"},
      {D(2020, 1, 19), true, "Sunday made up for 春节"},
      {D(2020, 1, 23), true, "last working day before 春节 2020"},
      {D(2020, 1, 31), false, "春节 extended for the epidemic"},
      {D(2020, 2, 1), false, "make-up Saturday cancelled by the extension"},
      {D(2020, 2, 3), true, "first working day after the extension"},
      {D(2020, 6, 28), true, "Sunday made up for 端午节"},
      {D(2020, 10, 8), false, "国庆节、中秋节 2020"},
      {D(2020, 10, 10), true, "Saturday made up"},
      {D(2021, 1, 4), true, "after 元旦 2021"},
      {D(2021, 2, 20), true, "Saturday made up for 春节"},
      {D(2021, 9, 18), true, "Saturday made up for 中秋节"},
      {D(2021, 9, 20), false, "中秋节 Monday"},
      {D(2022, 1, 3), false, "元旦 Monday"},
      {D(2022, 4, 2), true, "Saturday made up for 清明节"},
      {D(2022, 10, 8), true, "Saturday made up after 国庆节"},
      {D(2022, 10, 9), true, "Sunday made up after 国庆节"},
      {D(2022, 12, 31), false, "元旦 2023 starts in 2022"},
      {D(2023, 1, 2), false, "元旦 2023 Monday"},
      {D(2023, 1, 3), true, "after 元旦 2023"},
      {D(2023, 1, 28), true, "Saturday made up for 春节"},
      {D(2023, 10, 6), false, "中秋节、国庆节 Friday"},
      {D(2023, 10, 7), true, "Saturday made up"},
      {D(2024, 2, 9), true, "除夕 2024 is not a holiday"},
      {D(2024, 2, 18), true, "Sunday made up for 春节"},
      {D(2024, 4, 7), true, "Sunday made up for 清明节"},
      {D(2024, 5, 11), true, "Saturday made up for 劳动节"},
      {D(2024, 6, 10), false, "端午节"},
      {D(2025, 1, 27), true, "the day before 除夕 2025"},
      {D(2025, 1, 28), false, "除夕 2025, a holiday since the 2024 revision"},
      {D(2025, 2, 8), true, "Saturday made up for 春节"},
      {D(2025, 10, 8), false, "国庆节、中秋节 2025"},
      {D(2025, 10, 11), true, "Saturday made up"},
      {D(2026, 1, 4), true, "Sunday made up for 元旦 2026"},
      {D(2026, 2, 14), true, "Saturday made up for 春节"},
      {D(2026, 2, 23), false, "春节 2026 Monday"},
      {D(2026, 2, 28), true, "Saturday made up for 春节"},
      {D(2026, 9, 20), true, "Sunday made up for 国庆节"},
      {D(2026, 10, 10), true, "Saturday made up for 国庆节"},
      {D(2024, 3, 6), true, "an ordinary Wednesday"},
      {D(2024, 3, 9), false, "an ordinary Saturday"},
  };
  for (const DayCase& k : cases) {
    absl::StatusOr<bool> w = china().is_working_day(k.day);
    ASSERT_TRUE(w.ok()) << k.day << ": " << w.status();
    EXPECT_EQ(*w, k.working) << k.day << " (" << k.why << ")";
  }
}

TEST(CalendarChina, EveryYearHasAPlausibleNumberOfWorkingDays) {
  // 365 or 366 days, 104 or so weekend days, 11 statutory holidays (13 from
  // 2025): about 250. A typo in a holiday's month would move this by weeks.
  for (int y = 2019; y <= 2026; ++y) {
    int working = 0;
    for (absl::CivilDay d(y, 1, 1); d.year() == y; ++d) working += *china().is_working_day(d);
    // To the midnight after the year: for 2026 too, the last one covered.
    TimeMs year = china().working_time_between(bj(y, 1, 1), bj(y + 1, 1, 1)).value_or(-1);
    EXPECT_GE(working, 245) << y;
    EXPECT_LE(working, 252) << y;
    EXPECT_EQ(year, working * 7 * kHour) << y;  // no half days in China's schedule
  }
}

// ------------------------------------------------------------ long holidays

TEST(CalendarChina, SpringFestival2024CrossesTheHolidayOntoTheMakeUpSunday) {
  const Calendar& c = china();
  // Friday Feb 9 (除夕) is the last working day; Feb 10-17 off; Sunday Feb 18 worked.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 2, 9, 10, 0), 1)), "2024-02-18 10:00");
  EXPECT_EQ(show(c.add_working_days(bj(2024, 2, 9, 10, 0), 2)), "2024-02-19 10:00");
  EXPECT_EQ(show(c.add_working_days(bj(2024, 2, 9, 10, 0), 5)), "2024-02-22 10:00");
  // 1.5 h left on Friday, then 30 min on the make-up Sunday.
  EXPECT_EQ(show(c.add_working_time(bj(2024, 2, 9, 16, 0), 2 * kHour)), "2024-02-18 09:30");
  // The holiday holds no working time at all.
  EXPECT_EQ(c.working_time_between(bj(2024, 2, 9, 17, 30), bj(2024, 2, 18, 9, 0)).value(), 0);
  EXPECT_EQ(show(c.next_working_instant(bj(2024, 2, 12, 11, 0))), "2024-02-18 09:00");
  // An order received during the holiday counts from the first working morning.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 2, 12, 11, 0), 1)), "2024-02-19 09:00");
}

TEST(CalendarChina, SpringFestival2020ExtensionHoldsNoWorkingTime) {
  const Calendar& c = china();
  // Thursday Jan 23 is the last working day; the extension runs to Sunday Feb 2.
  EXPECT_EQ(show(c.add_working_days(bj(2020, 1, 23, 17, 0), 1)), "2020-02-03 17:00");
  EXPECT_EQ(c.working_time_between(bj(2020, 1, 23, 17, 30), bj(2020, 2, 3, 9, 0)).value(), 0);
  // Sunday Jan 19 was worked.
  EXPECT_EQ(show(c.add_working_days(bj(2020, 1, 17, 9, 0), 1)), "2020-01-19 09:00");
}

TEST(CalendarChina, NationalDay2024CountsBothMakeUpDays) {
  const Calendar& c = china();
  // Sunday Sep 29 is worked, Oct 1-7 off, Saturday Oct 12 worked.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 9, 27, 14, 0), 1)), "2024-09-29 14:00");
  EXPECT_EQ(show(c.add_working_days(bj(2024, 9, 30, 14, 0), 1)), "2024-10-08 14:00");
  EXPECT_EQ(show(c.add_working_days(bj(2024, 9, 30, 14, 0), 5)), "2024-10-12 14:00");
  EXPECT_EQ(show(c.add_working_days(bj(2024, 9, 30, 14, 0), 6)), "2024-10-14 14:00");
  // 7 working hours a day: Sep 30 afternoon (3.5 h) and Oct 8 morning (3 h) + 30 min.
  EXPECT_EQ(show(c.add_working_time(bj(2024, 9, 30, 14, 0), 7 * kHour)), "2024-10-08 14:00");
  EXPECT_EQ(c.working_time_between(bj(2024, 9, 28, 0, 0), bj(2024, 10, 13, 0, 0)).value(),
            7 * 7 * kHour);  // Sep 29, Sep 30, Oct 8-12
}

TEST(CalendarChina, YearEndsRunIntoTheNextYear) {
  const Calendar& c = china();
  // Tuesday Dec 31 2024; Jan 1 2025 off.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 12, 31, 16, 0), 1)), "2025-01-02 16:00");
  // Wednesday Dec 31 2025; Jan 1-3 2026 off, Sunday Jan 4 worked.
  EXPECT_EQ(show(c.add_working_days(bj(2025, 12, 31, 16, 0), 1)), "2026-01-04 16:00");
  EXPECT_EQ(show(c.add_working_days(bj(2025, 12, 31, 16, 0), 2)), "2026-01-05 16:00");
  // Friday Dec 30 2022; the 2023 New Year holiday starts on Saturday Dec 31.
  EXPECT_EQ(show(c.add_working_days(bj(2022, 12, 30, 9, 0), 1)), "2023-01-03 09:00");
  EXPECT_EQ(show(c.add_working_time(bj(2022, 12, 30, 17, 0), kHour)), "2023-01-03 09:30");
  EXPECT_EQ(c.working_time_between(bj(2022, 12, 30, 0, 0), bj(2023, 1, 4, 0, 0)).value(),
            2 * 7 * kHour);
}

// ------------------------------------------------------------ the rules

TEST(CalendarRules, AddWorkingDaysKeepsTheTimeOfDay) {
  const Calendar& c = china();
  // Mon 2024-03-04 10:00 + 5: next Monday 10:00 (no holidays that week).
  EXPECT_EQ(show(c.add_working_days(bj(2024, 3, 4, 10, 0), 5)), "2024-03-11 10:00");
  // Fri 20:00 + 5: counted from Monday 09:00.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 3, 8, 20, 0), 5)), "2024-03-18 09:00");
  // 0 days: the next working instant.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 3, 8, 20, 0), 0)), "2024-03-11 09:00");
  EXPECT_EQ(show(c.add_working_days(bj(2024, 3, 6, 10, 17), 0)), "2024-03-06 10:17");
  // Lunch is not working time: counted from 13:30.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 3, 6, 12, 30), 1)), "2024-03-07 13:30");
  // The end of the day is the next morning's start.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 3, 6, 17, 30), 1)), "2024-03-08 09:00");
  // Milliseconds are kept.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 3, 6, 10, 0) + 1234, 2)), "2024-03-08 10:00:01.234");
  EXPECT_EQ(c.add_working_days(bj(2024, 3, 6, 10, 0), -1).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CalendarRules, AddWorkingTimeLandsAtAPeriodsEnd) {
  const Calendar& c = china();
  TimeMs mon9 = bj(2024, 3, 4, 9, 0);
  EXPECT_EQ(show(c.add_working_time(mon9, 3 * kHour)), "2024-03-04 12:00");  // not 13:30
  EXPECT_EQ(show(c.add_working_time(mon9, 7 * kHour)), "2024-03-04 17:30");  // not Tue 09:00
  EXPECT_EQ(show(c.add_working_time(mon9, 7 * kHour + 1)), "2024-03-05 09:00:00.001");
  EXPECT_EQ(show(c.add_working_time(mon9, 3 * kHour + kMinute)), "2024-03-04 13:31");
  // From outside working hours, the clock starts at the next period.
  EXPECT_EQ(show(c.add_working_time(bj(2024, 3, 9, 15, 0), kHour)), "2024-03-11 10:00");
  // 0: t itself, even at night.
  EXPECT_EQ(show(c.add_working_time(bj(2024, 3, 9, 22, 0), 0)), "2024-03-09 22:00");
  EXPECT_EQ(c.add_working_time(mon9, -1).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CalendarRules, NextWorkingInstant) {
  const Calendar& c = china();
  EXPECT_EQ(show(c.next_working_instant(bj(2024, 3, 4, 10, 0))), "2024-03-04 10:00");
  EXPECT_EQ(show(c.next_working_instant(bj(2024, 3, 4, 9, 0))), "2024-03-04 09:00");
  EXPECT_EQ(show(c.next_working_instant(bj(2024, 3, 4, 8, 59))), "2024-03-04 09:00");
  EXPECT_EQ(show(c.next_working_instant(bj(2024, 3, 4, 12, 0))), "2024-03-04 13:30");  // [from, to)
  EXPECT_EQ(show(c.next_working_instant(bj(2024, 3, 4, 17, 30))), "2024-03-05 09:00");
  EXPECT_EQ(show(c.next_working_instant(bj(2024, 3, 4, 17, 30) - 1)), "2024-03-04 17:29:59.999");
  EXPECT_EQ(show(c.next_working_instant(bj(2024, 3, 9, 10, 0))), "2024-03-11 09:00");  // Saturday
}

TEST(CalendarRules, WorkingTimeBetween) {
  const Calendar& c = china();
  EXPECT_EQ(c.working_time_between(bj(2024, 3, 4), bj(2024, 3, 5)).value(), 7 * kHour);
  EXPECT_EQ(c.working_time_between(bj(2024, 3, 4), bj(2024, 3, 11)).value(), 35 * kHour);
  EXPECT_EQ(c.working_time_between(bj(2024, 3, 4, 11, 0), bj(2024, 3, 4, 14, 0)).value(),
            kHour + 30 * kMinute);
  EXPECT_EQ(c.working_time_between(bj(2024, 3, 5), bj(2024, 3, 4)).value(), 0);  // b <= a
  EXPECT_EQ(c.working_time_between(bj(2024, 3, 5), bj(2024, 3, 5)).value(), 0);
  // The whole schedule: every working day counts 7 hours.
  TimeMs all = c.working_time_between(bj(2019, 1, 1), bj(2027, 1, 1)).value();
  EXPECT_EQ(all % (7 * kHour), 0);
  EXPECT_GT(all, 8 * 245 * 7 * kHour);
}

// ------------------------------------------------------------ half days

TEST(CalendarHalfDays, AreWorkingDaysWithTheirOwnHours) {
  const Calendar& c = half();
  EXPECT_TRUE(*c.is_working_day(absl::CivilDay(2024, 3, 8)));
  EXPECT_TRUE(*c.is_working_day(absl::CivilDay(2024, 3, 9)))
      << "a half day on a Saturday is worked";
  EXPECT_FALSE(*c.is_working_day(absl::CivilDay(2024, 3, 10)));
  EXPECT_EQ(c.working_time_between(bj(2024, 3, 8), bj(2024, 3, 9)).value(), 3 * kHour);
  EXPECT_EQ(c.working_time_between(bj(2024, 3, 9), bj(2024, 3, 10)).value(), 2 * kHour);
  EXPECT_EQ(c.working_time_between(bj(2024, 3, 7), bj(2024, 3, 8)).value(), 7 * kHour);
  EXPECT_EQ(show(c.next_working_instant(bj(2024, 3, 8, 13, 0))), "2024-03-09 09:00");
}

TEST(CalendarHalfDays, AddWorkingDaysStopsAtTheEndOfAShorterDay) {
  const Calendar& c = half();
  // Thursday 10:00 is 1 h into the day: Friday 10:00.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 3, 7, 10, 0), 1)), "2024-03-08 10:00");
  // Thursday 14:00 is 4 h into the day; Friday has 3 h: its end.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 3, 7, 14, 0), 1)), "2024-03-08 12:00");
  // Saturday has 2 h.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 3, 7, 10, 0), 2)), "2024-03-09 10:00");
  EXPECT_EQ(show(c.add_working_days(bj(2024, 3, 7, 11, 30), 2)), "2024-03-09 11:00");
  // From a half day, onto a full one: as far into the day.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 3, 8, 11, 0), 2)), "2024-03-11 11:00");
  EXPECT_EQ(show(c.add_working_days(bj(2024, 3, 8, 11, 0), 1)), "2024-03-09 11:00");
}

TEST(CalendarHalfDays, AddWorkingTimeCrossesThem) {
  const Calendar& c = half();
  EXPECT_EQ(show(c.add_working_time(bj(2024, 3, 8, 11, 0), kHour)), "2024-03-08 12:00");
  EXPECT_EQ(show(c.add_working_time(bj(2024, 3, 8, 11, 0), 2 * kHour)), "2024-03-09 10:00");
  EXPECT_EQ(show(c.add_working_time(bj(2024, 3, 8, 11, 0), 3 * kHour)), "2024-03-09 11:00");
  EXPECT_EQ(show(c.add_working_time(bj(2024, 3, 8, 11, 0), 4 * kHour)), "2024-03-11 10:00");
}

TEST(CalendarHalfDays, MatchTheReference) { check_against(half(), half_reference(), 11); }

// ------------------------------------------------------------ the reference

TEST(CalendarReference, ChinaMatchesAMinuteByMinuteWalk) {
  check_against(china(), china_reference(), 1);
}

TEST(CalendarReference, ReferenceAgreesWithTheFileDayByDay) {
  // The reference's lists are typed from the notices independently of the file.
  const Reference& ref = china_reference();
  for (int i = 0; i < ref.days; ++i) {
    absl::CivilDay d = ref.first + i;
    EXPECT_EQ(*china().is_working_day(d), ref.working_day[i]) << d;
  }
}

TEST(CalendarIdentities, AddThenMeasureGivesTheDuration) {
  const Calendar& c = china();
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<TimeMs> any(bj(2019, 1, 1), bj(2026, 6, 1));
  std::uniform_int_distribution<TimeMs> duration(0, 300 * kHour);
  for (int i = 0; i < 20000; ++i) {
    TimeMs a = any(rng);
    TimeMs d = duration(rng);
    absl::StatusOr<TimeMs> end = c.add_working_time(a, d);
    ASSERT_TRUE(end.ok()) << end.status();
    ASSERT_EQ(c.working_time_between(a, *end).value(), d) << show(a) << " + " << d;
    if (d > 0) {
      // The first such instant: one ms earlier is not enough.
      ASSERT_EQ(c.working_time_between(a, *end - 1).value(), d - 1) << show(a) << " + " << d;
      ASSERT_GT(*end, a);
    }
    // Days: the result is a working instant, n working days on.
    absl::StatusOr<TimeMs> due = c.add_working_days(a, d % 30);
    ASSERT_TRUE(due.ok()) << due.status();
    ASSERT_EQ(*c.next_working_instant(*due), *due) << show(a);
    ASSERT_TRUE(*c.is_working_day(c.local_day(*due)));
  }
}

TEST(CalendarIdentities, WorkingTimeIsMonotoneAndAdditive) {
  std::mt19937_64 rng(5);
  for (const Calendar* c : {&china(), &half()}) {
    int y = c->first_year();
    std::uniform_int_distribution<TimeMs> any(bj(y, 1, 1), bj(y + 1, 1, 1) - 1);
    for (int i = 0; i < 5000; ++i) {
      TimeMs t[3] = {any(rng), any(rng), any(rng)};
      std::sort(std::begin(t), std::end(t));
      TimeMs ab = *c->working_time_between(t[0], t[1]);
      TimeMs bc = *c->working_time_between(t[1], t[2]);
      TimeMs ac = *c->working_time_between(t[0], t[2]);
      ASSERT_GE(ab, 0);
      ASSERT_GE(bc, 0);
      ASSERT_EQ(ab + bc, ac);
      ASSERT_LE(ab, t[1] - t[0]);
      // add_working_days is monotone in both arguments.
      ASSERT_LE(*c->add_working_days(t[0], 3), *c->add_working_days(t[1], 3));
      ASSERT_LT(*c->add_working_days(t[0], 3), *c->add_working_days(t[0], 4));
    }
  }
}

// ------------------------------------------------------------ beyond the schedule

TEST(CalendarBeyond, RefuseNamesTheDateAndWhatToLoad) {
  // The shipped schedule under BEYOND_SCHEDULE_REFUSE still refuses past 2026.
  const Calendar& c = china_refuse();
  absl::StatusOr<bool> w = c.is_working_day(absl::CivilDay(2027, 1, 4));
  EXPECT_EQ(w.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(w.status().message(),
            "2027-01-04 is past calendar china's last year 2026: load a calendar with 2027's "
            "schedule");
  EXPECT_EQ(c.is_working_day(absl::CivilDay(2018, 12, 31)).status().message(),
            "2018-12-31 is before calendar china's first year 2019: load a calendar with 2018's "
            "schedule");
  // Within the schedule to the last minute.
  EXPECT_EQ(show(c.add_working_days(bj(2026, 12, 30, 10, 0), 1)), "2026-12-31 10:00");
  EXPECT_EQ(show(c.add_working_time(bj(2026, 12, 31, 17, 0), 30 * kMinute)), "2026-12-31 17:30");
  EXPECT_EQ(c.working_time_between(bj(2026, 12, 31), bj(2027, 1, 1)).value(), 7 * kHour);
  // One step further needs 2027.
  const std::string past = "2027-01-01 is past calendar china's last year 2026";
  EXPECT_THAT(show(c.add_working_days(bj(2026, 12, 30, 10, 0), 2)), HasSubstr(past));
  EXPECT_THAT(show(c.add_working_time(bj(2026, 12, 31, 17, 0), 31 * kMinute)), HasSubstr(past));
  EXPECT_THAT(show(c.next_working_instant(bj(2026, 12, 31, 18, 0))), HasSubstr(past));
  EXPECT_THAT(show(c.working_time_between(bj(2026, 12, 31), bj(2027, 1, 1) + 1)), HasSubstr(past));
  EXPECT_EQ(c.add_working_days(bj(2027, 3, 1, 10, 0), 1).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_THAT(show(c.working_time_between(bj(2018, 12, 31, 10, 0), bj(2019, 1, 3))),
              HasSubstr("2018-12-31 is before calendar china's first year 2019"));
}

TEST(CalendarBeyond, CoversIsAboutLocalDays) {
  const Calendar& c = china();
  EXPECT_TRUE(c.covers(bj(2019, 1, 1), bj(2026, 12, 31, 23, 59)));
  EXPECT_FALSE(c.covers(bj(2019, 1, 1) - 1, bj(2020, 1, 1)));
  EXPECT_FALSE(c.covers(bj(2020, 1, 1), bj(2027, 1, 1)));
  EXPECT_TRUE(c.covers(bj(2020, 1, 1), bj(2027, 1, 1) - 1));
  EXPECT_FALSE(half().covers(bj(2024, 6, 1), bj(2025, 1, 1)));
}

TEST(CalendarBeyond, WeekendsOnlyCountsWeekdaysBothSides) {
  const Calendar& c = half();
  // No holidays and no make-up days beyond 2024.
  EXPECT_TRUE(*c.is_working_day(absl::CivilDay(2025, 1, 1)));  // a Wednesday
  EXPECT_FALSE(*c.is_working_day(absl::CivilDay(2025, 1, 4)));
  EXPECT_TRUE(*c.is_working_day(absl::CivilDay(2023, 12, 29)));
  EXPECT_FALSE(*c.is_working_day(absl::CivilDay(2023, 12, 30)));
  // Dec 31 2024 is a half day (3 h): 1 h into it is 1 h into Jan 1.
  EXPECT_EQ(show(c.add_working_days(bj(2024, 12, 31, 10, 0), 1)), "2025-01-01 10:00");
  EXPECT_EQ(show(c.add_working_days(bj(2024, 12, 31, 10, 0), 3)), "2025-01-03 10:00");
  EXPECT_EQ(show(c.add_working_days(bj(2024, 12, 31, 10, 0), 4)), "2025-01-06 10:00");
  EXPECT_EQ(show(c.add_working_time(bj(2024, 12, 31, 11, 0), 2 * kHour)), "2025-01-01 10:00");
  // From before the schedule into it.
  EXPECT_EQ(show(c.add_working_days(bj(2023, 12, 29, 10, 0), 2)), "2024-01-02 10:00");
  EXPECT_EQ(c.working_time_between(bj(2023, 12, 25), bj(2024, 1, 8)).value(), 10 * 7 * kHour);
  EXPECT_EQ(show(c.next_working_instant(bj(2023, 12, 30, 10, 0))), "2024-01-01 09:00");
  // Far away, by weeks.
  absl::CivilDay mon = absl::NextWeekday(absl::CivilDay(2100, 1, 1), absl::Weekday::monday);
  TimeMs far = bj(mon.year(), mon.month(), mon.day(), 9, 0);
  EXPECT_EQ(c.working_time_between(far, far + 7 * 24 * kHour).value(), 35 * kHour);
  EXPECT_EQ(*c.add_working_days(far, 5), far + 7 * 24 * kHour);
  EXPECT_EQ(*c.add_working_days(far, 500), far + 700 * 24 * kHour);
  absl::CivilDay old = absl::NextWeekday(absl::CivilDay(1950, 1, 1), absl::Weekday::monday);
  TimeMs before = bj(old.year(), old.month(), old.day(), 13, 0);
  EXPECT_EQ(*c.add_working_days(before, 10), before + 14 * 24 * kHour);
  // 35 h from Monday 13:00 run out at Monday 12:00, a period's end.
  EXPECT_EQ(*c.add_working_time(before, 35 * kHour), before + 7 * 24 * kHour - kHour);
  // Past year 9999: refused, not wrapped.
  EXPECT_EQ(c.add_working_days(far, 4'000'000).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(show(c.add_working_days(far, 3'000'000)), HasSubstr("outside years 0001..9999"));
}

TEST(CalendarBeyond, WeekendsOnlyIdentitiesAcrossTheEdges) {
  const Calendar& c = half();
  std::mt19937_64 rng(9);
  std::uniform_int_distribution<TimeMs> any(bj(2022, 6, 1), bj(2026, 6, 1));
  std::uniform_int_distribution<TimeMs> duration(0, 2000 * kHour);
  for (int i = 0; i < 5000; ++i) {
    TimeMs a = any(rng);
    TimeMs d = duration(rng);
    absl::StatusOr<TimeMs> end = c.add_working_time(a, d);
    ASSERT_TRUE(end.ok()) << end.status();
    ASSERT_EQ(*c.working_time_between(a, *end), d) << show(a) << " + " << d;
    // A working instant, or the end of a half day's hours.
    TimeMs due = *c.add_working_days(a, d % 400);
    absl::CivilDay day = c.local_day(due);
    ASSERT_TRUE(*c.is_working_day(day)) << show(due);
    if (*c.next_working_instant(due) != due) {
      ASSERT_LT(*c.working_time_between(c.local_midnight(day), c.local_midnight(day + 1)),
                7 * kHour)
          << show(due);
      ASSERT_EQ(*c.working_time_between(due - 1, due), 1) << show(due);
      ASSERT_EQ(*c.working_time_between(due, c.local_midnight(day + 1)), 0) << show(due);
    }
  }
}

// ------------------------------------------------------------ the provisional schedule

// China's weekend, by ISO position (0 Monday).
constexpr std::array<bool, 7> kSatSun = {false, false, false, false, false, true, true};

std::vector<std::string> days_off(int year) {
  std::vector<std::string> out;
  for (const ProvisionalDayOff& d : provisional_days_off(year, kSatSun)) {
    out.push_back(
        absl::StrCat(absl::FormatCivilTime(d.day), " ", d.holiday, d.in_lieu ? " 补休" : ""));
  }
  return out;
}

TEST(CalendarProvisional, DaysOffOf2027FollowTheHolidayRules) {
  // 2027: Jan 1 a Friday; 除夕 Feb 5 (Fri), 初一..初三 Feb 6-8 (Sat-Mon): two in
  // lieu, Tue 9 and Wed 10; Qingming Mon Apr 5; May 1-2 a weekend: Mon 3 and
  // Tue 4 in lieu; Dragon Boat Wed Jun 9; Mid-Autumn Wed Sep 15; Oct 1 a
  // Friday, Oct 2-3 a weekend: Mon 4 and Tue 5 in lieu.
  EXPECT_THAT(
      days_off(2027),
      ElementsAre("2027-01-01 元旦", "2027-02-05 春节", "2027-02-06 春节", "2027-02-07 春节",
                  "2027-02-08 春节", "2027-02-09 春节 补休", "2027-02-10 春节 补休",
                  "2027-04-05 清明节", "2027-05-01 劳动节", "2027-05-02 劳动节",
                  "2027-05-03 劳动节 补休", "2027-05-04 劳动节 补休", "2027-06-09 端午节",
                  "2027-09-15 中秋节", "2027-10-01 国庆节", "2027-10-02 国庆节",
                  "2027-10-03 国庆节", "2027-10-04 国庆节 补休", "2027-10-05 国庆节 补休"));
  EXPECT_THAT(days_off(2024), ::testing::IsEmpty()) << "the rules came in force in 2025";
  EXPECT_THAT(days_off(2031), ::testing::IsEmpty()) << "lunar dates listed through 2030";
}

TEST(CalendarProvisional, MidAutumnOnNationalDay2028GivesADayInLieu) {
  // 2028-10-03 is both Mid-Autumn and National Day; Oct 1 is a Sunday.
  std::vector<std::string> off = days_off(2028);
  std::vector<std::string> october;
  for (const std::string& d : off) {
    if (d.compare(0, 7, "2028-10") == 0) october.push_back(d);
  }
  EXPECT_THAT(october, ElementsAre("2028-10-01 国庆节", "2028-10-02 国庆节", "2028-10-03 中秋节",
                                   "2028-10-04 国庆节 补休", "2028-10-05 国庆节 补休"));
  // 2028 has a leap fifth month: Dragon Boat is the regular month's, May 28.
  EXPECT_NE(std::find(off.begin(), off.end(), "2028-05-28 端午节"), off.end());
  // 除夕 Jan 25 (Tue) .. 初三 Jan 28 (Fri): no weekend, no day in lieu.
  EXPECT_NE(std::find(off.begin(), off.end(), "2028-01-25 春节"), off.end());
  EXPECT_EQ(std::find(off.begin(), off.end(), "2028-01-31 春节 补休"), off.end());
}

TEST(CalendarProvisional, QingmingIsTheSolarTermsDay) {
  // 2019-2026 as the notices have it; 2027-2030 as computed (see
  // provisional_schedule.cc).
  const int april[] = {5, 4, 4, 5, 5, 4, 4, 5, 5, 4, 4, 5};
  for (int y = 2019; y <= 2030; ++y) {
    EXPECT_EQ(qingming_day(y), absl::CivilDay(y, 4, april[y - 2019])) << y;
  }
}

TEST(CalendarProvisional, The2027ScheduleOfTheShippedCalendar) {
  using D = absl::CivilDay;
  const DayCase cases[] = {
      {D(2027, 1, 1), false, "元旦, a Friday"},
      {D(2027, 1, 4), true, "the Monday after"},
      {D(2027, 2, 4), true, "the day before 除夕"},
      {D(2027, 2, 5), false, "除夕"},
      {D(2027, 2, 8), false, "正月初三, a Monday"},
      {D(2027, 2, 9), false, "补休 for 初一 on Saturday"},
      {D(2027, 2, 10), false, "补休 for 初二 on Sunday"},
      {D(2027, 2, 11), true, "back to work"},
      {D(2027, 2, 20), false, "a Saturday: no make-up days"},
      {D(2027, 4, 5), false, "清明, a Monday"},
      {D(2027, 5, 3), false, "补休 for May 1 on Saturday"},
      {D(2027, 5, 4), false, "补休 for May 2 on Sunday"},
      {D(2027, 5, 5), true, "back to work"},
      {D(2027, 6, 9), false, "端午"},
      {D(2027, 9, 15), false, "中秋"},
      {D(2027, 9, 26), false, "a Sunday: no make-up days"},
      {D(2027, 10, 1), false, "国庆"},
      {D(2027, 10, 4), false, "补休 for Oct 2"},
      {D(2027, 10, 5), false, "补休 for Oct 3"},
      {D(2027, 10, 6), true, "back to work"},
      {D(2027, 10, 9), false, "a Saturday: no make-up days"},
      {D(2030, 12, 31), true, "the last day of the provisional schedule"},
  };
  for (const DayCase& k : cases) {
    absl::StatusOr<bool> w = china().is_working_day(k.day);
    ASSERT_TRUE(w.ok()) << k.day << ": " << w.status();
    EXPECT_EQ(*w, k.working) << k.day << " (" << k.why << ")";
  }
  // Every weekend day is off, and each of the 13 statutory days takes one
  // weekday off, itself or in lieu.
  for (int y = 2027; y <= 2030; ++y) {
    int working = 0;
    int weekdays = 0;
    for (D d(y, 1, 1); d.year() == y; ++d) {
      bool weekend = absl::GetWeekday(d) == absl::Weekday::saturday ||
                     absl::GetWeekday(d) == absl::Weekday::sunday;
      bool w = *china().is_working_day(d);
      if (weekend) {
        EXPECT_FALSE(w) << d;
      }
      weekdays += weekend ? 0 : 1;
      working += w ? 1 : 0;
    }
    EXPECT_EQ(working, weekdays - 13) << y;
    TimeMs year = china().working_time_between(bj(y, 1, 1), bj(y + 1, 1, 1)).value_or(-1);
    EXPECT_EQ(year, working * 7 * kHour) << y;
  }
}

TEST(CalendarProvisional, TheRulesGiveOnlyDaysThe2025And2026NoticesGaveOff) {
  // A calendar that ends in 2024 counts 2025 and 2026 provisionally: every
  // weekday it gives off, the notices gave off too (they add more: bridges
  // and the weekends moved by make-up days).
  Diagnostics diag;
  std::optional<Calendar> p = load(R"pb(
                                     name: "to-2024"
                                     utc_offset_minutes: 480
                                     weekend_days: [ 6, 7 ]
                                     working_hours { from: "09:00" to: "12:00" }
                                     working_hours { from: "13:30" to: "17:30" }
                                     first_year: 2024
                                     last_year: 2024
                                     beyond: BEYOND_SCHEDULE_PROVISIONAL
                                   )pb",
                                   diag);
  ASSERT_TRUE(p.has_value()) << diag.status("calendar");
  EXPECT_EQ(p->provisional_last_year(), 2030);
  int off = 0;
  for (absl::CivilDay d(2025, 1, 1); d.year() <= 2026; ++d) {
    if (absl::GetWeekday(d) == absl::Weekday::saturday ||
        absl::GetWeekday(d) == absl::Weekday::sunday) {
      continue;
    }
    if (*p->is_working_day(d)) continue;
    ++off;
    EXPECT_FALSE(*china().is_working_day(d)) << d;
  }
  EXPECT_EQ(off, 2 * 13);
}

TEST(CalendarProvisional, DeadlinesCrossTheEndOf2026AndAreNotCovered) {
  const Calendar& c = china();
  // Thursday Dec 31 2026 is worked; Jan 1 2027 off, then the weekend.
  EXPECT_EQ(show(c.add_working_days(bj(2026, 12, 30, 10, 0), 1)), "2026-12-31 10:00");
  EXPECT_EQ(show(c.add_working_days(bj(2026, 12, 30, 10, 0), 2)), "2027-01-04 10:00");
  EXPECT_EQ(show(c.add_working_time(bj(2026, 12, 31, 17, 0), 31 * kMinute)), "2027-01-04 09:01");
  EXPECT_EQ(show(c.next_working_instant(bj(2026, 12, 31, 18, 0))), "2027-01-04 09:00");
  EXPECT_EQ(c.working_time_between(bj(2026, 12, 31), bj(2027, 1, 5)).value(), 14 * kHour);
  // Over the Spring Festival: Thursday Feb 4 + 1 working day is Thursday Feb 11.
  EXPECT_EQ(show(c.add_working_days(bj(2027, 2, 4, 10, 0), 1)), "2027-02-11 10:00");
  // covers() is about the official schedule: callers mark these estimated.
  EXPECT_TRUE(c.covers(bj(2026, 12, 30, 10, 0), bj(2026, 12, 31, 10, 0)));
  EXPECT_FALSE(c.covers(bj(2026, 12, 30, 10, 0), bj(2027, 1, 4, 10, 0)));
  EXPECT_FALSE(c.covers(bj(2027, 3, 1), bj(2027, 3, 2)));
}

TEST(CalendarProvisional, Past2030AndBefore2019AreRefused) {
  const Calendar& c = china();
  absl::StatusOr<bool> w = c.is_working_day(absl::CivilDay(2031, 1, 2));
  EXPECT_EQ(w.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(w.status().message(),
            "2031-01-02 is past calendar china's last year 2026 and its provisional schedule to "
            "2030: load a calendar with 2031's schedule");
  // To the last minute of 2030 (Tuesday Dec 31), and no further.
  EXPECT_EQ(show(c.add_working_time(bj(2030, 12, 31, 17, 0), 30 * kMinute)), "2030-12-31 17:30");
  EXPECT_EQ(c.working_time_between(bj(2030, 12, 31), bj(2031, 1, 1)).value(), 7 * kHour);
  const std::string past = "2031-01-01 is past calendar china's last year 2026";
  EXPECT_THAT(show(c.add_working_days(bj(2030, 12, 31, 10, 0), 1)), HasSubstr(past));
  EXPECT_THAT(show(c.add_working_time(bj(2030, 12, 31, 17, 0), 31 * kMinute)), HasSubstr(past));
  EXPECT_EQ(c.add_working_days(bj(2026, 12, 1, 10, 0), 2000).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_THAT(show(c.working_time_between(bj(2018, 12, 31, 10, 0), bj(2019, 1, 3))),
              HasSubstr("2018-12-31 is before calendar china's first year 2019"));
}

// 2026-12-01 .. 2027-02-28 with the 2027 days off typed from the rules.
const Reference& provisional_reference() {
  static const Reference r = [] {
    Reference::Spec s;
    s.hours = {{9 * 60, 12 * 60}, {13 * 60 + 30, 17 * 60 + 30}};
    s.off = {absl::CivilDay(2027, 1, 1), absl::CivilDay(2027, 2, 5), absl::CivilDay(2027, 2, 8),
             absl::CivilDay(2027, 2, 9), absl::CivilDay(2027, 2, 10)};
    return Reference(absl::CivilDay(2026, 12, 1), absl::CivilDay(2027, 3, 1), s);
  }();
  return r;
}

TEST(CalendarProvisional, MatchesAMinuteByMinuteWalk) {
  check_against(china(), provisional_reference(), 17);
}

TEST(CalendarProvisional, IdentitiesAcrossTheEdge) {
  const Calendar& c = china();
  std::mt19937_64 rng(19);
  std::uniform_int_distribution<TimeMs> any(bj(2026, 6, 1), bj(2030, 6, 1));
  std::uniform_int_distribution<TimeMs> duration(0, 800 * kHour);
  for (int i = 0; i < 5000; ++i) {
    TimeMs a = any(rng);
    TimeMs d = duration(rng);
    absl::StatusOr<TimeMs> end = c.add_working_time(a, d);
    ASSERT_TRUE(end.ok()) << end.status();
    ASSERT_EQ(*c.working_time_between(a, *end), d) << show(a) << " + " << d;
    absl::StatusOr<TimeMs> due = c.add_working_days(a, d % 100);
    ASSERT_TRUE(due.ok()) << due.status();
    ASSERT_EQ(*c.next_working_instant(*due), *due) << show(a);
    ASSERT_TRUE(*c.is_working_day(c.local_day(*due)));
  }
}

TEST(CalendarProvisional, NeedsAScheduleThatReachesTheRulesInForce) {
  auto text = [](int last_year) {
    return absl::StrCat(
        "name: \"p\"\nweekend_days: [6, 7]\nworking_hours { from: \"09:00\" to: \"17:00\" }\n"
        "first_year: 2019\nlast_year: ",
        last_year, "\nbeyond: BEYOND_SCHEDULE_PROVISIONAL\n");
  };
  Diagnostics diag;
  EXPECT_FALSE(load(text(2020), diag).has_value());
  EXPECT_THAT(diag.errors(),
              ElementsAre("test.textproto:6: beyond BEYOND_SCHEDULE_PROVISIONAL follows the "
                          "holiday rules in force from 2025, but last_year is 2020 (expected "
                          "last_year 2024 or later, or another beyond)"));
  for (int last : {2024, 2029, 2030, 2031}) {
    Diagnostics ok;
    std::optional<Calendar> c = load(text(last), ok);
    ASSERT_TRUE(c.has_value()) << last << ": " << ok.status("calendar");
    EXPECT_EQ(c->provisional_last_year(), last < 2030 ? 2030 : 0) << last;
    // The year after the last one is known (provisionally) until 2030.
    EXPECT_EQ(c->is_working_day(absl::CivilDay(last + 1, 1, 1)).ok(), last < 2030) << last;
  }
}

// ------------------------------------------------------------ validation

TEST(CalendarValidation, ReportsEveryProblemWithItsLine) {
  // Line numbers matter: the first line of this text is line 1.
  const char text[] =
      "name: \"broken\"\n"                                                                    // 1
      "utc_offset_minutes: 900\n"                                                             // 2
      "weekend_days: 6\n"                                                                     // 3
      "weekend_days: 7\n"                                                                     // 4
      "weekend_days: 7\n"                                                                     // 5
      "weekend_days: 0\n"                                                                     // 6
      "working_hours { from: \"09:00\" to: \"12:00\" }\n"                                     // 7
      "working_hours { from: \"11:00\" to: \"13:00\" }\n"                                     // 8
      "working_hours { from: \"9:30\" to: \"25:00\" }\n"                                      // 9
      "working_hours { from: \"17:00\" to: \"16:00\" }\n"                                     // 10
      "first_year: 2024\n"                                                                    // 11
      "last_year: 2024\n"                                                                     // 12
      "holidays { name: \"a\" from: \"2024-02-30\" to: \"2024-03-01\" }\n"                    // 13
      "holidays { name: \"b\" from: \"2024-05-01\" to: \"2024-05-05\" }\n"                    // 14
      "holidays { name: \"c\" from: \"2024-05-05\" to: \"2024-05-06\" }\n"                    // 15
      "holidays { name: \"d\" from: \"2024-06-10\" to: \"2024-06-08\" }\n"                    // 16
      "holidays { name: \"e\" from: \"2023-12-30\" to: \"2024-01-01\" }\n"                    // 17
      "make_up_days: \"2024-05-04\"\n"                                                        // 18
      "make_up_days: \"2024-04-28\"\n"                                                        // 19
      "make_up_days: \"2024-04-28\"\n"                                                        // 20
      "make_up_days: \"2024-04-29\"\n"                                                        // 21
      "half_days { date: \"2024-05-02\" working_hours { from: \"09:00\" to: \"12:00\" } }\n"  // 22
      "half_days {\n"                                                                         // 23
      "  date: \"2024-03-08\"\n"                                                              // 24
      "  working_hours { from: \"13:00\" to: \"12:00\" }\n"                                   // 25
      "}\n"                                                                                   // 26
      "half_days { date: \"20240701\" }\n";                                                   // 27
  Diagnostics diag;
  EXPECT_FALSE(load(text, diag, "broken.textproto").has_value());
  EXPECT_THAT(
      diag.errors(),
      ElementsAre(
          "broken.textproto:2: utc_offset_minutes 900 is out of range (expected -720..840, e.g. "
          "480 for China)",
          "broken.textproto:5: weekend_days[2] 7 is listed twice",
          "broken.textproto:6: weekend_days[3] 0 is not a weekday (expected 1 Monday .. 7 "
          "Sunday)",
          "broken.textproto:8: working_hours[1] 11:00..13:00 overlaps or precedes the range "
          "before it, 09:00..12:00 (expected ascending ranges that do not overlap)",
          "broken.textproto:9: working_hours[2].from \"9:30\" is not a time (expected HH:MM, "
          "00:00..24:00)",
          "broken.textproto:9: working_hours[2].to \"25:00\" is not a time (expected HH:MM, "
          "00:00..24:00)",
          "broken.textproto:10: working_hours[3] 17:00..16:00 is empty (expected from before "
          "to)",
          "broken.textproto: beyond is not set (expected BEYOND_SCHEDULE_REFUSE, "
          "BEYOND_SCHEDULE_WEEKENDS_ONLY or BEYOND_SCHEDULE_PROVISIONAL: what to do outside "
          "first_year..last_year)",
          "broken.textproto:13: holidays[0].from \"2024-02-30\" is not a date (expected "
          "YYYY-MM-DD)",
          "broken.textproto:15: holidays[2]: 2024-05-05 is also in holidays[1] (b "
          "2024-05-01..2024-05-05) (expected each day listed once)",
          "broken.textproto:16: holidays[3] 2024-06-10..2024-06-08 ends before it starts "
          "(expected from <= to)",
          "broken.textproto:17: holidays[4].from 2023-12-30 is outside the calendar's years "
          "2024..2024",
          "broken.textproto:18: make_up_days[0]: 2024-05-04 is also in holidays[1] (b "
          "2024-05-01..2024-05-05) (expected each day listed once)",
          "broken.textproto:20: make_up_days[2]: 2024-04-28 is also in make_up_days[1] "
          "(expected each day listed once)",
          "broken.textproto:21: make_up_days[3] 2024-04-29 is a Monday, not a weekend day: a "
          "make-up day changes nothing on a working weekday (expected one of weekend_days)",
          "broken.textproto:22: half_days[0]: 2024-05-02 is also in holidays[1] (b "
          "2024-05-01..2024-05-05) (expected each day listed once)",
          "broken.textproto:25: half_days[1].working_hours[0] 13:00..12:00 is empty (expected "
          "from before to)",
          "broken.textproto:27: half_days[2].date \"20240701\" is not a date (expected "
          "YYYY-MM-DD)",
          "broken.textproto:27: half_days[2].working_hours is empty (expected at least one { "
          "from: \"HH:MM\" to: \"HH:MM\" })"));
}

TEST(CalendarValidation, SyntaxErrorsHaveLineAndColumn) {
  Diagnostics diag;
  EXPECT_FALSE(load("name: \"x\"\nfirst_year: 20x9\n", diag, "x.textproto").has_value());
  ASSERT_FALSE(diag.ok());
  EXPECT_THAT(diag.errors()[0], HasSubstr("x.textproto:2: column "));
}

TEST(CalendarValidation, YearsMustBeSetAndInOrder) {
  Diagnostics diag;
  EXPECT_FALSE(load(R"pb(
                      name: "y"
                      weekend_days: 7
                      working_hours { from: "00:00" to: "24:00" }
                      beyond: BEYOND_SCHEDULE_REFUSE
                      last_year: 2020
                    )pb",
                    diag)
                   .has_value());
  EXPECT_THAT(diag.errors(),
              ElementsAre("test.textproto: first_year is not set (expected the first year of the "
                          "schedule, e.g. 2019)"));
  Diagnostics diag2;
  EXPECT_FALSE(load("name: \"y\"\nworking_hours { from: \"09:00\" to: \"17:00\" }\n"
                    "beyond: BEYOND_SCHEDULE_REFUSE\nfirst_year: 2026\nlast_year: 2019\n",
                    diag2)
                   .has_value());
  EXPECT_THAT(diag2.errors(),
              ElementsAre("test.textproto:5: last_year 2019 is before first_year 2026"));
  Diagnostics diag3;
  EXPECT_FALSE(load("name: \"y\"\nworking_hours { from: \"09:00\" to: \"17:00\" }\n"
                    "beyond: BEYOND_SCHEDULE_REFUSE\nfirst_year: 202\nlast_year: 2026\n"
                    "weekend_days: [1, 2, 3, 4, 5, 6, 7]\n",
                    diag3)
                   .has_value());
  EXPECT_THAT(diag3.errors(),
              ElementsAre("test.textproto:6: weekend_days leave no working weekday (expected at "
                          "most 6 of 1..7)",
                          "test.textproto:4: first_year 202 is not a plausible year (expected "
                          "1900..9999)"));
}

TEST(CalendarValidation, AMinimalCalendarLoadsAndWorksAroundTheClock) {
  // No weekend, 24 hours: every ms is working time.
  Diagnostics diag;
  std::optional<Calendar> c = load(R"pb(
                                     name: "24x7"
                                     working_hours { from: "00:00" to: "24:00" }
                                     first_year: 2024
                                     last_year: 2024
                                     beyond: BEYOND_SCHEDULE_REFUSE
                                   )pb",
                                   diag);
  ASSERT_TRUE(c.has_value()) << diag.status("calendar");
  TimeMs utc = absl::ToUnixMillis(
      absl::FromCivil(absl::CivilSecond(2024, 3, 9, 12, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(*c->add_working_time(utc, 36 * kHour), utc + 36 * kHour);
  EXPECT_EQ(*c->add_working_days(utc, 2), utc + 48 * kHour);
  EXPECT_EQ(*c->working_time_between(utc, utc + 5 * kHour), 5 * kHour);
  EXPECT_EQ(c->local_day(utc), absl::CivilDay(2024, 3, 9));  // offset 0
}

TEST(CalendarValidation, InlineMessagesReportAtTheirPlace) {
  // A calendar inside a policy: no parse tree here, so every problem is
  // placed at the calendar's own line.
  v1::Calendar msg;
  msg.set_name("inline");
  msg.set_utc_offset_minutes(480);
  msg.add_weekend_days(6);
  msg.add_weekend_days(7);
  v1::TimeRange* r = msg.add_working_hours();
  r->set_from("09:00");
  r->set_to("17:00");
  msg.set_first_year(2024);
  msg.set_last_year(2024);
  msg.set_beyond(v1::BEYOND_SCHEDULE_WEEKENDS_ONLY);
  msg.add_make_up_days("2024-03-06");
  Diagnostics diag;
  EXPECT_FALSE(
      Calendar::load(msg, Where("policy.textproto", nullptr, nullptr, 7), diag).has_value());
  EXPECT_THAT(diag.errors(),
              ElementsAre("policy.textproto:7: make_up_days[0] 2024-03-06 is a Wednesday, not a "
                          "weekend day: a make-up day changes nothing on a working weekday "
                          "(expected one of weekend_days)"));
  msg.set_make_up_days(0, "2024-03-09");
  Diagnostics ok;
  std::optional<Calendar> c =
      Calendar::load(msg, Where("policy.textproto", nullptr, nullptr, 7), ok);
  ASSERT_TRUE(c.has_value()) << ok.status("calendar");
  EXPECT_TRUE(*c->is_working_day(absl::CivilDay(2024, 3, 9)));
}

TEST(CalendarValidation, OtherOffsetsUseTheirOwnLocalDays) {
  Diagnostics diag;
  std::optional<Calendar> c = load(R"pb(
                                     name: "new-york-standard"
                                     utc_offset_minutes: -300
                                     weekend_days: [ 6, 7 ]
                                     working_hours { from: "09:00" to: "17:00" }
                                     first_year: 2024
                                     last_year: 2024
                                     beyond: BEYOND_SCHEDULE_REFUSE
                                   )pb",
                                   diag);
  ASSERT_TRUE(c.has_value()) << diag.status("calendar");
  absl::TimeZone ny = absl::FixedTimeZone(-5 * 3600);
  TimeMs fri17 = absl::ToUnixMillis(absl::FromCivil(absl::CivilSecond(2024, 3, 8, 17, 0, 0), ny));
  TimeMs mon9 = absl::ToUnixMillis(absl::FromCivil(absl::CivilSecond(2024, 3, 11, 9, 0, 0), ny));
  EXPECT_EQ(c->local_day(fri17 + 7 * kHour), absl::CivilDay(2024, 3, 9));  // 00:00 Saturday
  EXPECT_EQ(c->local_day(fri17 + 7 * kHour - 1), absl::CivilDay(2024, 3, 8));
  EXPECT_EQ(*c->next_working_instant(fri17), mon9);
  EXPECT_EQ(*c->working_time_between(fri17 - kHour, mon9 + kHour), 2 * kHour);
}

// ------------------------------------------------------------ speed

TEST(CalendarSpeed, QueriesDoNotWalkDays) {
  // Each call is a few table look-ups: 1,500 working days cost what 1 does.
  // A generous bound, for sanitizer builds and busy machines.
  const Calendar& c = china();
  std::mt19937_64 rng(13);
  std::uniform_int_distribution<TimeMs> any(bj(2019, 1, 1), bj(2020, 6, 1));
  std::vector<TimeMs> ts(1024);
  for (TimeMs& t : ts) t = any(rng);
  const int kCalls = 200000;
  TimeMs sink = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; ++i) sink += *c.add_working_days(ts[i & 1023], 1500);
  auto mid = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; ++i) {
    sink += *c.working_time_between(ts[i & 1023], ts[(i + 1) & 1023] + 5 * 365 * 24 * kHour);
  }
  auto end = std::chrono::steady_clock::now();
  double days_ns = std::chrono::duration<double, std::nano>(mid - start).count() / kCalls;
  double between_ns = std::chrono::duration<double, std::nano>(end - mid).count() / kCalls;
  std::printf("add_working_days(t, 1500): %.0f ns; working_time_between (5 years): %.0f ns\n",
              days_ns, between_ns);
  EXPECT_NE(sink, 0);
  EXPECT_LT(days_ns, 10000);
  EXPECT_LT(between_ns, 10000);
}

}  // namespace
}  // namespace jszb::core
