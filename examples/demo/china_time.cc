#include "china_time.h"

#include <cstdio>

namespace demo {

namespace {

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

// The inverse of days_from_civil.
Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

std::int64_t local_days(Ms t) {
  Ms local = t + kChinaOffset;
  return local >= 0 ? local / kDay : (local - kDay + 1) / kDay;
}

}  // namespace

std::string format_date(Ms t) {
  Civil c = civil_from_days(local_days(t));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month,
                c.day);
  return buf;
}

std::string format_date_time(Ms t) {
  Ms tod = time_of_day(t);
  char buf[16];
  std::snprintf(buf, sizeof buf, " %02d:%02d", static_cast<int>(tod / kHour),
                static_cast<int>(tod % kHour / kMinute));
  return format_date(t) + buf;
}

std::string format_short(Ms t) { return format_date_time(t).substr(5); }

const char* weekday_en(Ms t) {
  static const char* const kNames[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  std::int64_t d = local_days(t) % 7;  // 1970-01-01 was a Thursday
  return kNames[d < 0 ? d + 7 : d];
}

const char* weekday_zh(Ms t) {
  static const char* const kNames[] = {"周四", "周五", "周六", "周日", "周一", "周二", "周三"};
  std::int64_t d = local_days(t) % 7;
  return kNames[d < 0 ? d + 7 : d];
}

Ms within_hours(Ms t, Ms open, Ms close) {
  Ms tod = time_of_day(t);
  if (tod < open) return t + (open - tod);
  if (tod >= close) return t + (kDay - tod) + open;
  return t;
}

}  // namespace demo
