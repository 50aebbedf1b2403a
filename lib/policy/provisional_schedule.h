// The provisional schedule: China's days off by the national holiday rules
// alone, for the years whose State Council notice is not out yet (a calendar
// with beyond: BEYOND_SCHEDULE_PROVISIONAL uses it past its last_year).
//
// The rules are 全国年节及纪念日放假办法 as amended in 2024 (国务院令第795号), in
// force from 2025: New Year's Day 1 day (January 1); Spring Festival 4 days
// (除夕 and 正月初一 to 初三); Qingming 1 day (the solar term's day); Labour Day
// 2 days (May 1 and 2); Dragon Boat 1 day (五月初五); Mid-Autumn 1 day (八月十五);
// National Day 3 days (October 1 to 3). A holiday that falls on a weekend day
// gives a working weekday off in lieu (补休, its article 6): the first weekday
// after it that is neither a holiday nor already given in lieu.
//
// What the yearly notice adds is not guessed: no make-up working days (调休)
// and no bridging of holidays into long weeks. Deadlines counted on these days
// are estimates, and the official schedule replaces them once loaded.
#ifndef JSZB_LIB_POLICY_PROVISIONAL_SCHEDULE_H
#define JSZB_LIB_POLICY_PROVISIONAL_SCHEDULE_H

#include <array>
#include <vector>

#include "absl/time/civil_time.h"

namespace jszb::core {

// The years the provisional schedule can give: the rules came in force in
// 2025, and the lunar dates are listed through 2030.
inline constexpr int kProvisionalFirstYear = 2025;
inline constexpr int kProvisionalLastYear = 2030;

struct ProvisionalDayOff {
  absl::CivilDay day;
  const char* holiday = "";  // e.g. "春节"
  bool in_lieu = false;      // 补休 for a day of `holiday` on a weekend day
};

// Qingming (清明), the day the sun reaches ecliptic longitude 15°, in China
// time: April 4 or 5 this century. Years 2001..2099.
absl::CivilDay qingming_day(int year);

// The days off of `year` (kProvisionalFirstYear..kProvisionalLastYear, else
// none) besides the weekend, in date order; weekend[p] says whether ISO
// weekday position p (0 Monday .. 6 Sunday) is a weekend day. A holiday on a
// weekend day is listed (it is a holiday) and so is its day in lieu.
std::vector<ProvisionalDayOff> provisional_days_off(int year, const std::array<bool, 7>& weekend);

}  // namespace jszb::core

#endif  // JSZB_LIB_POLICY_PROVISIONAL_SCHEDULE_H
