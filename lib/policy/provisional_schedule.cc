#include "policy/provisional_schedule.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace jszb::core {
namespace {

struct MonthDay {
  int month;
  int day;
};

// The Gregorian dates of the lunar holidays, from the Chinese lunar calendar
// (农历, as GB/T 33661-2017 defines it, in China time): 正月初一 (Spring
// Festival; 除夕, the eve, is the day before it), 五月初五 (Dragon Boat) and
// 八月十五 (Mid-Autumn).
//
// How they were checked when this table was written: two independent
// computations agreed on every date, the lunar-javascript library 1.7.7 (new
// moons and solar terms from the 寿星天文历 astronomical algorithms) and the
// solarlunar library 3.1.0 (a 1900..2100 table of lunar month lengths); 2025
// and 2026 also agree with the State Council's notices in
// china-calendar.textproto; published lists agree on all of 2027, on Spring
// Festival 2028 and on Dragon Boat 2029 and 2030. 2028 has a leap fifth month
// (闰五月): Dragon Boat is the fifth day of the regular fifth month, May 28;
// one published table gives June 27, the leap month's fifth day, which is not
// the festival.
struct LunarHolidays {
  int year;
  MonthDay spring_festival;  // 正月初一
  MonthDay dragon_boat;      // 五月初五
  MonthDay mid_autumn;       // 八月十五
};
constexpr LunarHolidays kLunar[] = {
    // clang-format off
    {2025, {1, 29}, {5, 31}, {10, 6}},
    {2026, {2, 17}, {6, 19}, {9, 25}},
    {2027, {2,  6}, {6,  9}, {9, 15}},
    {2028, {1, 26}, {5, 28}, {10, 3}},
    {2029, {2, 13}, {6, 16}, {9, 22}},
    {2030, {2,  3}, {6,  5}, {9, 12}},
    // clang-format on
};
static_assert(sizeof(kLunar) / sizeof(kLunar[0]) ==
              kProvisionalLastYear - kProvisionalFirstYear + 1);

int iso_position(absl::CivilDay d) {  // 0 Monday .. 6 Sunday
  return static_cast<int>(d - absl::PrevWeekday(d + 1, absl::Weekday::monday));
}

}  // namespace

// The common solar-term formula for the 21st century: day = [Y × D + C] − [Y / 4]
// with Y the year's last two digits, D = 0.2422 (the drift of a tropical year
// against the Gregorian one, in days) and C = 4.81 for Qingming. It gives the
// official Qingming of every year 2019..2026 and the computed one (as above)
// of 2027..2030.
absl::CivilDay qingming_day(int year) {
  const int y = year % 100;
  const int day = static_cast<int>(std::floor(y * 0.2422 + 4.81)) - y / 4;
  return absl::CivilDay(year, 4, day);
}

std::vector<ProvisionalDayOff> provisional_days_off(int year, const std::array<bool, 7>& weekend) {
  std::vector<ProvisionalDayOff> out;
  if (year < kProvisionalFirstYear || year > kProvisionalLastYear) return out;
  const LunarHolidays& l = kLunar[year - kProvisionalFirstYear];
  auto on = [year](MonthDay md) { return absl::CivilDay(year, md.month, md.day); };
  const absl::CivilDay spring = on(l.spring_festival);
  // Article 2 of the rules.
  ProvisionalDayOff holidays[] = {
      {absl::CivilDay(year, 1, 1), "元旦"},
      {spring - 1, "春节"},  // 除夕
      {spring, "春节"},
      {spring + 1, "春节"},
      {spring + 2, "春节"},
      {qingming_day(year), "清明节"},
      {absl::CivilDay(year, 5, 1), "劳动节"},
      {absl::CivilDay(year, 5, 2), "劳动节"},
      {on(l.dragon_boat), "端午节"},
      {on(l.mid_autumn), "中秋节"},
      {absl::CivilDay(year, 10, 1), "国庆节"},
      {absl::CivilDay(year, 10, 2), "国庆节"},
      {absl::CivilDay(year, 10, 3), "国庆节"},
  };
  // Mid-Autumn may fall on or after October 1 (2028-10-03 is both).
  std::stable_sort(
      std::begin(holidays), std::end(holidays),
      [](const ProvisionalDayOff& a, const ProvisionalDayOff& b) { return a.day < b.day; });
  std::set<absl::CivilDay> taken;
  for (const ProvisionalDayOff& h : holidays) taken.insert(h.day);
  std::set<absl::CivilDay> listed;
  for (const ProvisionalDayOff& h : holidays) {
    // A holiday on a weekend day, or on a day that is another holiday already
    // (as Mid-Autumn and National Day were in 2020, when the notice counted
    // both: 8 days off), gives a day in lieu (article 6).
    const bool again = !listed.insert(h.day).second;
    if (!again) out.push_back(h);
    if (!again && !weekend[iso_position(h.day)]) continue;
    // The first working weekday after it that is neither a holiday nor given
    // in lieu already.
    absl::CivilDay d = h.day + 1;
    while (weekend[iso_position(d)] || taken.count(d) != 0) ++d;
    taken.insert(d);
    out.push_back({d, h.holiday, true});
  }
  std::sort(out.begin(), out.end(),
            [](const ProvisionalDayOff& a, const ProvisionalDayOff& b) { return a.day < b.day; });
  return out;
}

}  // namespace jszb::core
