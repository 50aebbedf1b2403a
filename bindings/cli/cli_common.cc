#include "cli_common.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace jszb_cli {

const char* const kExitCodes =
    "Exit codes:\n"
    "  0  done\n"
    "  1  bad usage\n"
    "  2  refused input (nothing changed)\n"
    "  3  store locked (another process writes it)\n"
    "  4  store damaged or too new\n"
    "  5  storage error (disk full, read-only, I/O)\n";

int Failure::exit_code() const {
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

void check(int rc) {
  if (rc != JSZB_OK) throw Failure(rc);
}

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

namespace {
const absl::TimeZone& china() {
  static const absl::TimeZone zone = absl::FixedTimeZone(8 * 3600);
  return zone;
}
}  // namespace

std::string china_time(std::int64_t ms) {
  if (ms == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S +08:00", absl::FromUnixMillis(ms), china());
}

std::int64_t china_midnight(const std::string& text, const char* what) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day))
    throw Failure(JSZB_E_INVALID,
                  absl::StrFormat("%s: expected a date YYYY-MM-DD, got \"%s\"", what, text));
  return absl::ToUnixMillis(absl::FromCivil(day, china()));
}

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

jszb_progress_fn terminal_progress() {
  return ::isatty(STDERR_FILENO) == 1 ? show_progress : nullptr;
}

int show_progress(void* unit, const char* stage, std::uint64_t done, std::uint64_t total) {
  std::string what = unit != nullptr ? std::string(" ") + static_cast<const char*>(unit) : "";
  if (total > 0) {
    std::fprintf(stderr, "\r%s: %3d%% (%llu of %llu%s)", stage,
                 static_cast<int>(done * 100 / total), static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total), what.c_str());
    if (done == total) std::fputc('\n', stderr);
  } else {
    std::fprintf(stderr, "\r%s: %llu%s", stage, static_cast<unsigned long long>(done),
                 what.c_str());
  }
  return 0;  // go on
}

const char* or_dash(const char* s) { return s != nullptr && *s != '\0' ? s : "-"; }

}  // namespace jszb_cli
