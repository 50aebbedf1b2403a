// china_time.h: instants as int64 milliseconds since the Unix epoch (UTC), shown
// and reasoned about in China time (UTC+8, no daylight saving).
#ifndef JSZB_EXAMPLES_DEMO_CHINA_TIME_H
#define JSZB_EXAMPLES_DEMO_CHINA_TIME_H

#include <cstdint>
#include <string>

namespace demo {

using Ms = std::int64_t;

inline constexpr Ms kSecond = 1000;
inline constexpr Ms kMinute = 60 * kSecond;
inline constexpr Ms kHour = 60 * kMinute;
inline constexpr Ms kDay = 24 * kHour;
inline constexpr Ms kChinaOffset = 8 * kHour;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// The instant of a China-time wall-clock reading.
constexpr Ms china_time(int year, unsigned month, unsigned day, int hour = 0, int minute = 0) {
  return days_from_civil(year, month, day) * kDay + hour * kHour + minute * kMinute - kChinaOffset;
}

// The week of the report: 2021-09-19 00:00 to 2021-09-26 00:00, China time.
inline constexpr Ms kWeekStart = china_time(2021, 9, 19);
static_assert(kWeekStart == 1631980800000, "2021-09-18T16:00:00Z");

// Milliseconds since the China-time midnight that starts t's day.
inline Ms time_of_day(Ms t) {
  Ms local = t + kChinaOffset;
  Ms r = local % kDay;
  return r < 0 ? r + kDay : r;
}
// The China-time midnight at or before t.
inline Ms midnight_before(Ms t) { return t - time_of_day(t); }
inline int hour_of(Ms t) { return static_cast<int>(time_of_day(t) / kHour); }

// "2021-09-19", "2021-09-19 14:05", "09-19 14:05", "Sun".
std::string format_date(Ms t);
std::string format_date_time(Ms t);
std::string format_short(Ms t);
const char* weekday_en(Ms t);
const char* weekday_zh(Ms t);

// The first instant at or after t inside the daily window [open, close) of
// China time, both given as offsets from midnight. Used to keep office work
// (replies, return visits) in office hours.
Ms within_hours(Ms t, Ms open, Ms close);

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_CHINA_TIME_H
