// The library's log: what it would tell an operator (a recovery on open, a
// checkpoint, a slow commit, a provisional calendar, a backup done), handed
// to one process-wide sink the embedding program sets, as SQLite's
// SQLITE_CONFIG_LOG and libgit2's git_trace_set do. Off by default: with no
// sink, or a message above the sink's level, log_at() costs one relaxed atomic
// load and formats nothing.
//
// The sink is called on the thread that logs: the caller's, or the pipelined
// commit's writer thread (a slow commit). Calls to it are serialised.
#ifndef JSZB_LIB_BASE_LOG_H
#define JSZB_LIB_BASE_LOG_H

#include <atomic>
#include <string>

#include "absl/strings/str_format.h"

namespace jszb::core {

// The same numbers as jszb.h's JSZB_LOG_*.
enum class LogLevel : int { kOff = 0, kError = 1, kWarn = 2, kInfo = 3, kDebug = 4 };

using LogSink = void (*)(void* user_data, int level, const char* message);

// Sets the sink (nullptr: none) and the most detailed level it wants.
void set_log_sink(LogSink sink, void* user_data, LogLevel level);

namespace log_detail {
extern std::atomic<int> max_level;
void emit(LogLevel level, const std::string& message);
}  // namespace log_detail

inline bool log_enabled(LogLevel level) {
  return static_cast<int>(level) <= log_detail::max_level.load(std::memory_order_relaxed);
}

template <class... Args>
void log_at(LogLevel level, const absl::FormatSpec<Args...>& format, const Args&... args) {
  if (!log_enabled(level)) return;
  log_detail::emit(level, absl::StrFormat(format, args...));
}

}  // namespace jszb::core

#endif  // JSZB_LIB_BASE_LOG_H
