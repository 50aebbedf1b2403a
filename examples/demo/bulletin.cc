#include "bulletin.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "report_csv.h"
#include "text_table.h"

namespace demo {

namespace {

std::string num(long long n) { return std::to_string(n); }

const char* day_note(const std::string& date) {
  static const std::pair<const char*, const char*> kNotes[] = {
      {"2021-09-19", "中秋节假期 Mid-Autumn holiday"},
      {"2021-09-20", "中秋节假期 Mid-Autumn holiday"},
      {"2021-09-21", "中秋节 Mid-Autumn Festival"},
      {"2021-09-24", "《北京市接诉即办工作条例》施行 the Regulation takes effect"},
      {"2021-09-26", "调休上班 make-up working day"},
  };
  for (const auto& n : kNotes) {
    if (date == n.first) return n.second;
  }
  return "";
}

// The heading of bulletin k: its name (the day it ends at noon), the period
// it covers, and why it is short if it is.
void print_heading(std::ostream& out, const Workload& workload,
                   const std::vector<BulletinPeriod>& periods, int k) {
  const BulletinPeriod& p = periods[static_cast<std::size_t>(k)];
  if (k == 0) {
    out << "Daily bulletins 日报 run noon to noon, China time (12:00 to 12:00), each named by\n"
           "the day its period ends. The simulation runs "
        << format_date_time(workload.start()) << " to " << format_date_time(workload.end())
        << ",\nso the first and the last bulletin cover half a day and are marked PARTIAL "
           "半日.\n\n";
  }
  out << "== 日报 Daily bulletin " << format_date(p.noon) << ' ' << weekday_en(p.noon) << ' '
      << weekday_zh(p.noon) << " · period 统计时段 " << format_short(p.from) << " – "
      << format_short(p.until);
  if (p.partial) out << " · PARTIAL 半日 (" << (p.until - p.from) / kHour << " h)";
  out << " ==\n";
  if (p.partial) {
    bool cut_at_start = p.from == workload.start();
    out << "  Half a bulletin day: the simulation " << (cut_at_start ? "starts" : "ends") << " at "
        << format_date_time(cut_at_start ? workload.start() : workload.end())
        << ";\n  the full period of this bulletin is " << format_short(p.noon - kDay) << " – "
        << format_short(p.noon) << ".\n";
  }
  std::vector<std::string> notes;
  for (Ms day = midnight_before(p.from); day < p.until; day += kDay) {
    std::string date = format_date(day);
    if (*day_note(date)) notes.push_back(date.substr(5) + " " + day_note(date));
  }
  if (!notes.empty()) print_wrapped(out, "  Calendar 日历: ", notes);
}

// ---- the monthly analysis: the library's report, read from its CSV

// A rate of the CSV (4 decimals) as a percentage with all its digits: rounded
// again to one decimal it could differ from the weekly summary's.
std::string pct(const std::string& rate) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * std::stod(rate.empty() ? "0" : rate));
  return buf;
}

// The assessment month (the 19th to the 18th) holding instant t, named by the
// month of its last day.
std::pair<int, int> assessment_month_of(Ms t) {
  std::string date = format_date(t);
  int year = std::stoi(date.substr(0, 4));
  int month = std::stoi(date.substr(5, 2));
  if (std::stoi(date.substr(8, 2)) >= 19 && ++month == 13) {
    month = 1;
    ++year;
  }
  return {year, month};
}

// Streets by their rank in the month so far: the best three, the lowest three.
void print_month_ranking(std::ostream& out, const CsvReport& r) {
  std::vector<std::size_t> streets;
  std::map<std::string, int> ranked_by_class;
  int unranked = 0;
  for (std::size_t i = 0; i < r.size("units"); ++i) {
    if (r.number("units", i, "rank") == 0) {
      ++unranked;
      continue;
    }
    ++ranked_by_class[r.at("units", i, "class")];
    if (r.at("units", i, "class") == "street") streets.push_back(i);
  }
  std::sort(streets.begin(), streets.end(), [&r](std::size_t a, std::size_t b) {
    return r.number("units", a, "rank") < r.number("units", b, "rank");
  });
  std::vector<std::string> classes;
  static const std::map<std::string, std::string> kClassZh = {{"district", "区 district"},
                                                              {"street", "街乡 street"},
                                                              {"department", "部门 department"},
                                                              {"enterprise", "企业 enterprise"}};
  for (const auto& [cls, n] : ranked_by_class) {
    auto zh = kClassZh.find(cls);
    classes.push_back((zh != kClassZh.end() ? zh->second : cls) + " " + num(n));
  }
  classes.push_back("not ranked (fewer than " + r.at("report", 0, "min_visits") +
                    " valid visits) " + num(unranked));
  print_wrapped(out, "  Units ranked 排名单位 (within their class): ", classes);
  if (streets.empty()) return;
  std::vector<RankingRow> rows;
  for (std::size_t i : streets) {
    rows.push_back(
        {r.at("units", i, "rank"), r.at("units", i, "name"), r.at("units", i, "visits"),
         pct(r.at("units", i, "response_rate")), pct(r.at("units", i, "resolution_rate")),
         pct(r.at("units", i, "satisfaction_rate")), pct(r.at("units", i, "composite"))});
  }
  out << "  Streets 街乡, month to date: the best three, then the lowest three (约谈: called in)\n";
  print_ranking(out, rows, 3);
}

}  // namespace

std::vector<BulletinPeriod> bulletin_periods(Ms start, Ms end) {
  std::vector<BulletinPeriod> out;
  Ms noon = midnight_before(start) + 12 * kHour;
  if (noon <= start) noon += kDay;
  for (Ms from = start; from < end; noon += kDay) {
    Ms until = std::min(noon, end);
    out.push_back({from, until, noon, until - from < kDay});
    from = until;
  }
  return out;
}

void print_ranking(std::ostream& out, const std::vector<RankingRow>& rows, std::size_t top) {
  TextTable t;
  t.column("Rank", Align::kRight)
      .column("Street 街乡")
      .column("Visits", Align::kRight)
      .column("Response 响应率", Align::kRight)
      .column("Resolution 解决率", Align::kRight)
      .column("Satisfaction 满意率", Align::kRight)
      .column("Composite 综合", Align::kRight);
  auto add = [&t, &rows](std::size_t i) { t.row(rows[i]); };
  top = std::min(top, rows.size());
  for (std::size_t i = 0; i < top; ++i) add(i);
  if (rows.size() > top) {
    t.rule();
    for (std::size_t i = std::max(top, rows.size() - 3); i < rows.size(); ++i) add(i);
  }
  t.print(out, "    ");
}

std::array<long long, JSZB_STATE_COUNT + 1> states_now(const jszb::Engine& engine) {
  std::array<long long, JSZB_STATE_COUNT + 1> n{};
  for (int s = 1; s <= JSZB_STATE_COUNT; ++s) {
    n[static_cast<std::size_t>(s)] =
        static_cast<long long>(engine.list(static_cast<jszb::State>(s)).size());
  }
  return n;
}

void print_bulletin(std::ostream& out, const Workload& workload, const jszb::Engine& engine,
                    const Tally& tally, const std::vector<BulletinPeriod>& periods, int k) {
  print_heading(out, workload, periods, k);
  const BulletinTally& t = tally.bulletin(k);
  auto ev = [&t](jszb_event_type e) { return t.events[static_cast<std::size_t>(e)]; };
  print_wrapped(
      out, "  Received 受理 " + num(t.received) + " | in the period 本期: ",
      {"on the spot 直接办结 " + num(ev(JSZB_EVENT_ANSWERED_ON_SPOT)),
       "not dispatched 不予派单 " + num(ev(JSZB_EVENT_NOT_DISPATCHED)),
       "dispatched 派单 " + num(ev(JSZB_EVENT_DISPATCHED)),
       "replied 反馈 " + num(ev(JSZB_EVENT_REPLIED)), "visited 回访 " + num(ev(JSZB_EVENT_VISITED)),
       "closed 办结 " + num(ev(JSZB_EVENT_CLOSED))});

  const ClockTally& c = t.clocks;
  print_wrapped(out, "  Clocks 时限: ",
                {"warnings 预警 " + num(c.warnings), "breaches 超时 " + num(c.breaches),
                 "auto-returned 超时未签退回 " + num(c.auto_returned),
                 "re-dispatched 重新派单 " + num(t.redispatched),
                 "supervised 升级督办 " + num(c.supervised_district + c.supervised_city) +
                     " (district 区级 " + num(c.supervised_district) + ", city 市级 " +
                     num(c.supervised_city) + ")"});

  std::vector<std::string> top;
  for (const auto& [name, count] : ranked(t.by_category)) {
    if (top.size() == 6) break;
    top.push_back(name + " " + num(count));
  }
  print_wrapped(out, "  Top categories 主要类别: ", top);

  auto states = states_now(engine);
  std::vector<std::string> items;
  for (int s = 1; s <= JSZB_STATE_COUNT; ++s) {
    long long n = states[static_cast<std::size_t>(s)];
    const char* name = jszb_state_name(s);
    if (n != 0) items.push_back((name ? name : num(s)) + " " + num(n));
  }
  const Ms until = periods[static_cast<std::size_t>(k)].until;
  print_wrapped(out, "  Cases by state at " + format_short(until) + " 状态: ", items);
  out << '\n';
}

void print_month(std::ostream& out, const Workload& workload, jszb::Engine& engine) {
  const Catalogue& cat = workload.catalogue();
  auto [year, month] = assessment_month_of(workload.start());
  jszb_report_options o = JSZB_REPORT_OPTIONS_INIT;
  if (jszb_assessment_month(year, month, &o.from_ms, &o.until_ms) != JSZB_OK) {
    throw jszb::Error(*jszb_error_last());
  }
  std::string district = cat.district_name();
  o.district = district.c_str();
  CsvReport r(engine.report(o, JSZB_REPORT_CSV));

  // What of the month this run holds: from the first simulated week (an
  // earlier run's, with --store) to the end of this run.
  const Ms covered_from = std::max<Ms>(o.from_ms, kWeekStart);
  const Ms covered_until = std::min<Ms>(o.until_ms, workload.end());
  const long long month_days = (o.until_ms - o.from_ms) / kDay;
  const long long covered_days = (covered_until - covered_from) / kDay;
  char name[16];
  std::snprintf(name, sizeof name, "%04d-%02d", year, month);
  out << "\n==================================================================\n"
      << " 月分析 Monthly analysis: " << district << ", assessment month 考核月 " << name << '\n'
      << " " << format_date_time(o.from_ms) << " to " << format_date_time(o.until_ms)
      << " (UTC+8): the 19th to the 18th, named by the month it ends in\n";
  if (covered_days == month_days) {
    out << " Covers the whole month: all " << month_days << " days simulated.\n";
  } else {
    out << " Covers only the days simulated: " << format_date_time(covered_from) << " to "
        << format_date_time(covered_until) << ",\n " << covered_days << " of the month's "
        << month_days << " days (month to date); the other " << month_days - covered_days
        << " have no data in this run.\n";
  }
  out << "==================================================================\n"
      << "  The library's report for the month (jszb_engine_report, " << district
      << "), as its CSV gives it.\n";

  if (r.at("report", 0, "empty") == "true") {
    out << "  The report is empty: nothing was received or handled in the month in this run.\n";
  }
  const long long received = r.number("report", 0, "received");
  out << "  Requests received 受理 " << received
      << " (the assessment month before: " << r.number("report", 0, "previous_received")
      << (o.from_ms <= kWeekStart ? ", not simulated)\n" : ")\n");
  jszb_case_filter f = JSZB_CASE_FILTER_INIT;
  f.received_from_ms = covered_from;
  f.received_until_ms = covered_until;
  const auto held = static_cast<long long>(engine.list(f).size());
  if (held != received) {
    out << "  The engine holds " << held << " requests received in these days: the report's "
        << "volumes leave out " << held - received << " of them.\n";
  }
  std::vector<std::string> categories;
  for (std::size_t i = 0; i < r.size("by_category1") && i < 6; ++i) {
    categories.push_back(r.at("by_category1", i, "key") + " " + r.at("by_category1", i, "count"));
  }
  print_wrapped(out, "  Top categories 主要类别: ", categories);
  print_month_ranking(out, r);
  if (r.size("rising") == 0) {
    out << "  Rising problems 上升问题 (每月一题 candidates): none found"
        << (o.from_ms <= kWeekStart ? ".\n  The test compares the month with the 4 assessment "
                                      "months before, and this run holds none of them.\n"
                                    : ".\n");
  } else {
    std::vector<std::string> rising;
    for (std::size_t i = 0; i < r.size("rising"); ++i) {
      rising.push_back(r.at("rising", i, "category") + " " + r.at("rising", i, "count") + " (z " +
                       r.at("rising", i, "z") + ")");
    }
    print_wrapped(out, "  Rising problems 上升问题 (每月一题 candidates): ", rising);
  }
}

}  // namespace demo
