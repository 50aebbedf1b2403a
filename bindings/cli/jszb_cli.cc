// jszb: the operator's command-line tool over the C ABI (libjszb), as sqlite3
// is SQLite's. Each subcommand opens the store, does one thing, and exits with
// a code scripts can rely on (kExitCodes below; also in `jszb --help` and
// docs/cli.md). Errors go to stderr, results to stdout (or -o FILE).
#include <jszb/jszb.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace {

// What the process exits with: scripts branch on these.
enum Exit : int {
  kDone = 0,
  kUsage = 1,    // bad usage: unknown subcommand, option or argument form
  kRefused = 2,  // refused input (nothing changed): a bad value, an unknown case
  kLocked = 3,   // another process has the store open for writing
  kDamaged = 4,  // the store is damaged, not a jszb store, or from a newer jszb
  kStorage = 5,  // storage error: disk full, read-only file, I/O
};

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  done\n"
    "  1  bad usage\n"
    "  2  refused input (nothing changed)\n"
    "  3  store locked (another process writes it)\n"
    "  4  store damaged or too new\n"
    "  5  storage error (disk full, read-only, I/O)\n";

// A failed C call: its message on stderr and the exit code its jszb_code means.
class Failure {
 public:
  explicit Failure(int code) : code_(code), message_(jszb_error_last()->message) {}
  Failure(int code, std::string message) : code_(code), message_(std::move(message)) {}
  int exit_code() const {
    switch (code_) {
      case JSZB_E_LOCKED:
        return kLocked;
      case JSZB_E_CORRUPT:
      case JSZB_E_VERSION:
        return kDamaged;
      case JSZB_E_STORAGE:
      case JSZB_E_NOMEM:
      case JSZB_E_INTERNAL:
        return kStorage;
      default:
        return kRefused;
    }
  }
  const std::string& message() const { return message_; }

 private:
  int code_;
  std::string message_;
};

void check(int rc) {
  if (rc != JSZB_OK) throw Failure(rc);
}

struct EngineCloser {
  void operator()(jszb_engine* e) const { jszb_engine_close(e); }
};
using EnginePtr = std::unique_ptr<jszb_engine, EngineCloser>;
struct PolicyFree {
  void operator()(jszb_policy* p) const { jszb_policy_free(p); }
};
using PolicyPtr = std::unique_ptr<jszb_policy, PolicyFree>;
struct CaseFree {
  void operator()(jszb_case* c) const { jszb_case_free(c); }
};
using CasePtr = std::unique_ptr<jszb_case, CaseFree>;
struct Freed {
  void operator()(void* p) const { jszb_free(p); }
};
template <class T>
using Owned = std::unique_ptr<T, Freed>;

enum class Access { kRead, kWrite, kCreate };

EnginePtr open_store(const std::string& path, Access access) {
  if (access != Access::kCreate && !std::ifstream(path).good())
    throw Failure(JSZB_E_NOT_FOUND, absl::StrFormat("%s: no such store", path));
  jszb_store_options opts = JSZB_STORE_OPTIONS_INIT;
  opts.read_only = access == Access::kRead;
  jszb_engine* engine = nullptr;
  check(jszb_engine_open_store(path.c_str(), nullptr, &opts, &engine));
  return EnginePtr(engine);
}

PolicyPtr load_policy(const std::string& file) {
  jszb_policy* p = nullptr;
  check(file.empty() ? jszb_policy_default(&p) : jszb_policy_load_file(file.c_str(), &p));
  return PolicyPtr(p);
}

const absl::TimeZone& china() {
  static const absl::TimeZone zone = absl::FixedTimeZone(8 * 3600);
  return zone;
}

std::string china_time(std::int64_t ms) {
  if (ms == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S +08:00", absl::FromUnixMillis(ms), china());
}

// A date (YYYY-MM-DD) at 00:00 China time, in ms since the epoch.
std::int64_t china_midnight(const std::string& text, const char* what) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day))
    throw Failure(JSZB_E_INVALID,
                  absl::StrFormat("%s: expected a date YYYY-MM-DD, got \"%s\"", what, text));
  return absl::ToUnixMillis(absl::FromCivil(day, china()));
}

// --period: month:YYYY-MM (the assessment month), day:YYYY-MM-DD (the bulletin
// day), or FROM..TO (dates, China time; TO's 00:00 ends it).
void parse_period(const std::string& period, std::int64_t* from, std::int64_t* until) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(period.c_str(), "month:%4d-%2d%c", &y, &m, &tail) == 2) {
    check(jszb_assessment_month(y, m, from, until));
  } else if (std::sscanf(period.c_str(), "day:%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3) {
    check(jszb_bulletin_day(y, m, d, from, until));
  } else if (std::size_t dots = period.find(".."); dots != std::string::npos) {
    *from = china_midnight(period.substr(0, dots), "--period FROM");
    *until = china_midnight(period.substr(dots + 2), "--period TO");
  } else {
    throw Failure(JSZB_E_INVALID,
                  absl::StrFormat("--period \"%s\": expected month:YYYY-MM, day:YYYY-MM-DD or "
                                  "YYYY-MM-DD..YYYY-MM-DD",
                                  period));
  }
}

void write_output(const std::string& file, const char* text) {
  if (file.empty() || file == "-") {
    std::fputs(text, stdout);
    return;
  }
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out.flush()) throw Failure(JSZB_E_STORAGE, absl::StrFormat("%s: cannot write", file));
}

const char* or_dash(const char* s) { return s != nullptr && *s != '\0' ? s : "-"; }

// ------------------------------------------------------------- subcommands

void run_init(const std::string& store, const std::string& policy_file) {
  if (std::ifstream(store).good())
    throw Failure(JSZB_E_INVALID,
                  absl::StrFormat("%s exists already: init makes a new store", store));
  PolicyPtr policy = load_policy(policy_file);
  EnginePtr engine = open_store(store, Access::kCreate);
  check(jszb_engine_set_policy(engine.get(), policy.get()));
  std::printf("created %s under policy \"%s\" (version %u)\n", store.c_str(),
              jszb_policy_name(policy.get()), jszb_policy_version(policy.get()));
}

void run_info(const std::string& store) {
  EnginePtr engine = open_store(store, Access::kRead);
  std::printf("store    %s\n", store.c_str());
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream f(store + suffix, std::ios::binary | std::ios::ate);
    if (f.good()) std::printf("size%-5s%lld bytes\n", suffix, static_cast<long long>(f.tellg()));
  }
  std::uint64_t total = 0;
  std::printf("cases by state:\n");
  for (int state = 1; jszb_state_name(state) != nullptr; ++state) {
    jszb_case_filter filter = JSZB_CASE_FILTER_INIT;
    filter.state = state;
    uint64_t* ids = nullptr;
    std::size_t count = 0;
    check(jszb_engine_list_cases(engine.get(), &filter, &ids, &count));
    jszb_free(ids);
    if (count > 0) std::printf("  %-22s %zu\n", jszb_state_name(state), count);
    total += count;
  }
  std::printf("  %-22s %llu\n", "total", static_cast<unsigned long long>(total));
}

void print_case(const jszb_case* c) {
  const jszb_case_info* info = jszb_case_get_info(c);
  std::printf("case %llu  %s\n", static_cast<unsigned long long>(info->id),
              or_dash(jszb_state_name(info->state)));
  if (const jszb_intake* in = info->intake) {
    std::printf("  received   %s via %s (%s)\n", china_time(in->time_ms).c_str(),
                or_dash(jszb_channel_name(in->channel)), or_dash(in->channel_ref));
    std::printf("  kind       %s   category %s / %s / %s\n", or_dash(jszb_kind_name(in->kind)),
                or_dash(in->category[0]), or_dash(in->category[1]), or_dash(in->category[2]));
    std::printf("  place      %s %s %s\n", or_dash(in->district), or_dash(in->street),
                or_dash(in->community));
    std::printf("  content    %s\n", or_dash(in->content));
  }
  if (info->lead_unit != 0) std::printf("  lead unit  %u\n", info->lead_unit);
  std::printf("history:\n");
  for (std::size_t i = 0;; ++i) {
    const jszb_event* e = jszb_case_get_event(c, i);
    if (e == nullptr) break;
    std::printf("  %3u  %s  %-22s -> %-20s %s", e->seq, china_time(e->time_ms).c_str(),
                or_dash(jszb_event_type_name(e->type)), or_dash(jszb_state_name(e->state)),
                or_dash(jszb_role_name(e->actor.role)));
    if (e->actor.unit != 0) std::printf(" %u", e->actor.unit);
    if (e->payload->unit != 0) std::printf("  unit %u", e->payload->unit);
    if (e->payload->text != nullptr && *e->payload->text != '\0')
      std::printf("  \"%s\"", e->payload->text);
    std::printf("\n");
  }
}

void run_case(const std::string& store, std::uint64_t id, bool json) {
  EnginePtr engine = open_store(store, Access::kRead);
  jszb_case* raw = nullptr;
  check(jszb_engine_get_case(engine.get(), id, &raw));
  CasePtr c(raw);
  if (json) {
    char* text = nullptr;
    check(jszb_case_to_json(c.get(), &text));
    Owned<char> owned(text);
    std::printf("%s\n", text);
  } else {
    print_case(c.get());
  }
}

int run_verify(const std::string& store) {
  EnginePtr engine = open_store(store, Access::kRead);
  std::uint64_t events = 0, cases = 0, mismatches = 0;
  char* problems = nullptr;
  check(jszb_engine_verify(engine.get(), &events, &cases, &mismatches, &problems));
  Owned<char> owned(problems);
  std::printf("replayed %llu events, compared %llu cases: %llu mismatches\n",
              static_cast<unsigned long long>(events), static_cast<unsigned long long>(cases),
              static_cast<unsigned long long>(mismatches));
  if (problems != nullptr) std::fprintf(stderr, "%s\n", problems);
  return mismatches == 0 ? kDone : kDamaged;
}

void run_purge(const std::string& store, const std::string& before) {
  std::int64_t before_ms = china_midnight(before, "--before");
  EnginePtr engine = open_store(store, Access::kWrite);
  std::uint64_t purged = 0;
  check(jszb_engine_purge(engine.get(), before_ms, &purged));
  std::printf("purged %llu finished cases whose last event came before %s\n",
              static_cast<unsigned long long>(purged), china_time(before_ms).c_str());
}

void run_erase(const std::string& store, std::uint64_t id, std::int64_t time_ms) {
  EnginePtr engine = open_store(store, Access::kWrite);
  check(jszb_engine_erase_personal(engine.get(), id, time_ms));
  std::printf("erased the personal data of case %llu\n", static_cast<unsigned long long>(id));
}

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

int run(int argc, char** argv) {
  CLI::App app{"jszb: look after a jszb work-order store (接诉即办) from the shell.", "jszb"};
  app.footer(kExitCodes);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(jszb_version()));
  std::string store, policy_file, period, district, format = "json", output, before;
  std::uint64_t id = 0;
  std::int64_t time_ms = 0;
  bool json = false;
  int year = 0;
  int status = kDone;

  CLI::App* init =
      app.add_subcommand("init", "create a store under a policy (built-in Beijing by default)");
  init->add_option("STORE", store, "the store file to create")->required();
  init->add_option("--policy", policy_file, "a policy file (text format)")
      ->check(CLI::ExistingFile);
  init->callback([&] { run_init(store, policy_file); });

  CLI::App* info = app.add_subcommand("info", "what a store holds: cases by state, size");
  info->add_option("STORE", store)->required();
  info->callback([&] { run_info(store); });

  CLI::App* show = app.add_subcommand("case", "one case and its history");
  show->add_option("STORE", store)->required();
  show->add_option("ID", id, "the case id")->required();
  show->add_flag("--json", json, "as jszb.v1.Case JSON (proto field names)");
  show->callback([&] { run_case(store, id, json); });

  CLI::App* verify = app.add_subcommand(
      "verify",
      "check the file and replay the whole log against the stored cases (exit 4 on a mismatch)");
  verify->add_option("STORE", store)->required();
  verify->callback([&] { status = run_verify(store); });

  CLI::App* purge = app.add_subcommand("purge", "delete finished cases last changed before a date");
  purge->add_option("STORE", store)->required();
  purge->add_option("--before", before, "YYYY-MM-DD, China time")->required();
  purge->callback([&] { run_purge(store, before); });

  CLI::App* erase =
      app.add_subcommand("erase-personal", "erase a citizen's personal data from a case");
  erase->add_option("STORE", store)->required();
  erase->add_option("CASE_ID", id)->required();
  erase->add_option("--time", time_ms, "the instant of the erasure, ms since 1970 UTC")->required();
  erase->callback([&] { run_erase(store, id, time_ms); });

  CLI::App* report = app.add_subcommand("report", "a bulletin or analysis for a period");
  report->add_option("STORE", store)->required();
  report
      ->add_option("--period", period,
                   "month:YYYY-MM (assessment month, 19th to 18th), day:YYYY-MM-DD (bulletin "
                   "day, noon to noon) or YYYY-MM-DD..YYYY-MM-DD (China time, the end excluded)")
      ->required();
  report->add_option("--district", district, "one district (e.g. 朝阳区); default the city");
  report->add_option("--format", format)->check(CLI::IsMember({"json", "csv", "html"}));
  report->add_option("-o,--output", output, "file to write (default stdout)");
  report->callback([&] { run_report(store, period, district, format, output); });

  CLI::App* calendar = app.add_subcommand("calendar", "a year's days off and make-up working days");
  calendar->add_option("--year", year, "the year")->required()->check(CLI::Range(2000, 2199));
  calendar->add_option("--policy", policy_file, "a policy file; default the built-in one");
  calendar->callback([&] { run_calendar(year, policy_file); });

  CLI::App* policy = app.add_subcommand("policy", "policy files");
  policy->require_subcommand(1);
  CLI::App* policy_check =
      policy->add_subcommand("check", "load a policy file and report every problem as file:line");
  policy_check->add_option("FILE", policy_file)->required()->check(CLI::ExistingFile);
  policy_check->callback([&] { run_policy_check(policy_file); });

  // CLI11 would only say that a subcommand is required: name the one given.
  if (argc > 1 && argv[1][0] != '-') {
    try {
      app.get_subcommand(argv[1]);
    } catch (const CLI::OptionNotFound&) {
      std::fprintf(stderr, "jszb: unknown subcommand \"%s\" (jszb --help lists them)\n", argv[1]);
      return kUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);  // prints help or the usage error
    return rc == 0 ? kDone : kUsage;
  } catch (const Failure& f) {
    std::fprintf(stderr, "jszb: %s\n", f.message().c_str());
    return f.exit_code();
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "jszb: %s\n", e.what());
    return kStorage;
  }
}
