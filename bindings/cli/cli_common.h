// What every `jszb` subcommand shares: the exit codes scripts rely on, a C
// call's failure turned into one of them, owning pointers for the C handles,
// opening a store, and times in China time. Subcommands are grouped by what
// an operator does (cli_store.cc, cli_report.cc, ...); each group adds its
// subcommands to the app with an add_*_commands function.
#ifndef JSZB_BINDINGS_CLI_CLI_COMMON_H
#define JSZB_BINDINGS_CLI_CLI_COMMON_H

#include <jszb/jszb.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

namespace jszb_cli {

// What the process exits with: scripts branch on these.
enum Exit : int {
  kDone = 0,
  kUsage = 1,    // bad usage: unknown subcommand, option or argument form
  kRefused = 2,  // refused input (nothing changed): a bad value, an unknown case
  kLocked = 3,   // another process has the store open for writing
  kDamaged = 4,  // the store is damaged, not a jszb store, or from a newer jszb
  kStorage = 5,  // storage error: disk full, read-only file, I/O
};

extern const char* const kExitCodes;  // the table above, for --help and docs/cli.md

// A failed C call: its message on stderr and the exit code its jszb_code means.
class Failure {
 public:
  explicit Failure(int code) : code_(code), message_(jszb_error_last()->message) {}
  Failure(int code, std::string message) : code_(code), message_(std::move(message)) {}
  int exit_code() const;
  const std::string& message() const { return message_; }

 private:
  int code_;
  std::string message_;
};

// Throws Failure unless rc is JSZB_OK.
void check(int rc);

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

// Opens a store; kRead and kWrite refuse a path that does not exist (SQLite
// would create an empty file).
EnginePtr open_store(const std::string& path, Access access);

// The policy in `file`, or the built-in Beijing policy when `file` is empty.
PolicyPtr load_policy(const std::string& file);

// "2021-09-30 12:00:00 +08:00"; "-" for 0 (no time).
std::string china_time(std::int64_t ms);

// A date (YYYY-MM-DD) at 00:00 China time, in ms since the epoch; `what`
// names the option in the error.
std::int64_t china_midnight(const std::string& text, const char* what);

// --period: month:YYYY-MM (the assessment month), day:YYYY-MM-DD (the bulletin
// day), or FROM..TO (dates, China time; TO's 00:00 ends it).
void parse_period(const std::string& period, std::int64_t* from, std::int64_t* until);

// Writes `text` to `file`, or to stdout when `file` is empty or "-".
void write_output(const std::string& file, const char* text);

// A progress bar on stderr for the C calls that take a jszb_progress_fn:
// pass terminal_progress() as the callback (NULL when stderr is not a
// terminal, so scripts and logs stay quiet) and the unit counted ("cases",
// "pages") or NULL as its payload. A stage ends with a newline once done == total.
jszb_progress_fn terminal_progress();
int show_progress(void* unit, const char* stage, std::uint64_t done, std::uint64_t total);

// `s`, or "-" when it is NULL or empty.
const char* or_dash(const char* s);

// The subcommand groups. `status` is what run() returns when a subcommand's
// outcome is not a failure but still not "done" (verify's mismatches).
void add_store_commands(CLI::App& app, int* status);
void add_report_commands(CLI::App& app);
void add_ops_commands(CLI::App& app);
void add_interchange_commands(CLI::App& app);

}  // namespace jszb_cli

#endif  // JSZB_BINDINGS_CLI_CLI_COMMON_H
