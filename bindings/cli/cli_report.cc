// `jszb` subcommands that read a store or a policy for people: report,
// calendar, policy check.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/time/civil_time.h"
#include "cli_common.h"

namespace jszb_cli {
namespace {

void run_report(const std::string& store, const std::string& period, const std::string& district,
                const std::string& format, const std::string& output) {
  jszb_report_options opts = JSZB_REPORT_OPTIONS_INIT;
  parse_period(period, &opts.from_ms, &opts.until_ms);
  opts.district = district.empty() ? nullptr : district.c_str();
  int fmt = format == "csv"    ? JSZB_REPORT_CSV
            : format == "html" ? JSZB_REPORT_HTML
                               : JSZB_REPORT_JSON;
  EnginePtr engine = open_store(store, Access::kRead);
  char* text = nullptr;
  check(jszb_engine_report(engine.get(), &opts, fmt, &text));
  Owned<char> owned(text);
  write_output(output, text);
}

void run_calendar(int year, const std::string& policy_file) {
  PolicyPtr policy = load_policy(policy_file);
  std::printf("%d, China time: days off on weekdays and working days on weekends\n", year);
  for (absl::CivilDay d(year, 1, 1); d.year() == year; ++d) {
    int working = 0;
    check(jszb_calendar_is_working_day(policy.get(), year, d.month(), d.day(), &working));
    absl::Weekday wd = absl::GetWeekday(d);
    bool weekend = wd == absl::Weekday::saturday || wd == absl::Weekday::sunday;
    if (working != 0 && weekend)
      std::printf("  %s  working (make-up day)\n", absl::FormatCivilTime(d).c_str());
    if (working == 0 && !weekend) std::printf("  %s  off\n", absl::FormatCivilTime(d).c_str());
  }
}

void run_policy_check(const std::string& file) {
  PolicyPtr policy = load_policy(file);
  std::printf("%s: policy \"%s\", version %u, %zu units: OK\n", file.c_str(),
              jszb_policy_name(policy.get()), jszb_policy_version(policy.get()),
              jszb_policy_unit_count(policy.get()));
}

}  // namespace

void add_report_commands(CLI::App& app) {
  struct Args {
    std::string store, policy_file, period, district, format = "json", output;
    int year = 0;
  };
  auto a = std::make_shared<Args>();

  CLI::App* report = app.add_subcommand("report", "a bulletin or analysis for a period");
  report->add_option("STORE", a->store)->required();
  report
      ->add_option("--period", a->period,
                   "month:YYYY-MM (assessment month, 19th to 18th), day:YYYY-MM-DD (bulletin "
                   "day, noon to noon) or YYYY-MM-DD..YYYY-MM-DD (China time, the end excluded)")
      ->required();
  report->add_option("--district", a->district, "one district (e.g. 朝阳区); default the city");
  report->add_option("--format", a->format)->check(CLI::IsMember({"json", "csv", "html"}));
  report->add_option("-o,--output", a->output, "file to write (default stdout)");
  report->callback([a] { run_report(a->store, a->period, a->district, a->format, a->output); });

  CLI::App* calendar = app.add_subcommand("calendar", "a year's days off and make-up working days");
  calendar->add_option("--year", a->year, "the year")->required()->check(CLI::Range(2000, 2199));
  calendar->add_option("--policy", a->policy_file, "a policy file; default the built-in one");
  calendar->callback([a] { run_calendar(a->year, a->policy_file); });

  CLI::App* policy = app.add_subcommand("policy", "policy files");
  policy->require_subcommand(1);
  CLI::App* policy_check =
      policy->add_subcommand("check", "load a policy file and report every problem as file:line");
  policy_check->add_option("FILE", a->policy_file)->required()->check(CLI::ExistingFile);
  policy_check->callback([a] { run_policy_check(a->policy_file); });
}

}  // namespace jszb_cli
