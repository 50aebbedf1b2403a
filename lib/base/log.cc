#include "base/log.h"

#include <mutex>

namespace jszb::core {

namespace {

struct Sink {
  std::mutex mu;  // held while the sink runs: calls to it are serialised
  LogSink fn = nullptr;
  void* user_data = nullptr;
};

// Never destroyed: a thread may log during static destruction.
Sink& sink() {
  static auto* s = new Sink();
  return *s;
}

}  // namespace

namespace log_detail {

std::atomic<int> max_level{0};

void emit(LogLevel level, const std::string& message) {
  Sink& s = sink();
  std::lock_guard<std::mutex> lock(s.mu);
  // The sink may have been changed since the caller's log_enabled().
  if (s.fn == nullptr || static_cast<int>(level) > max_level.load(std::memory_order_relaxed)) {
    return;
  }
  s.fn(s.user_data, static_cast<int>(level), message.c_str());
}

}  // namespace log_detail

void set_log_sink(LogSink fn, void* user_data, LogLevel level) {
  Sink& s = sink();
  std::lock_guard<std::mutex> lock(s.mu);
  s.fn = fn;
  s.user_data = user_data;
  log_detail::max_level.store(fn == nullptr ? 0 : static_cast<int>(level),
                              std::memory_order_relaxed);
}

}  // namespace jszb::core
