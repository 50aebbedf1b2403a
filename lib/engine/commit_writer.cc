// CommitWriter: one thread, one batch at a time.
#include "engine/commit_writer.h"

#include <exception>

namespace jszb::core {

CommitWriter::CommitWriter(EventLog& log, bool threaded, CommitLatency& latency)
    : log_(log), latency_(latency), timed_(threaded) {
  if (threaded) thread_ = std::thread([this] { run(); });
}

CommitWriter::~CommitWriter() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void CommitWriter::start(const CommitBatch* batch) {
  if (!thread_.joinable()) {
    result_ = timed_commit(log_, *batch, latency_, timed_);
    busy_ = true;
    finished_ = true;
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = batch;
    busy_ = true;
    finished_ = false;
  }
  cv_.notify_all();
}

bool CommitWriter::finished() const {
  std::lock_guard<std::mutex> lock(mu_);
  return finished_;
}

bool CommitWriter::succeeded() const {
  std::lock_guard<std::mutex> lock(mu_);
  return finished_ && result_.ok();
}

void CommitWriter::settle() const {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return !busy_ || finished_; });
}

absl::Status CommitWriter::take() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return !busy_ || finished_; });
  busy_ = false;
  finished_ = false;
  absl::Status out = std::move(result_);
  result_ = absl::OkStatus();
  return out;
}

void CommitWriter::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    // A batch handed before the stop is committed all the same: the engine
    // is waiting for its outcome or undoes it (it never was acknowledged).
    cv_.wait(lock, [this] { return stop_ || job_ != nullptr; });
    if (job_ == nullptr) return;
    const CommitBatch* batch = job_;
    job_ = nullptr;
    lock.unlock();
    absl::Status s;
    // No exception may leave the thread (std::terminate): out of memory
    // while committing is a failed commit like any other.
    try {
      s = timed_commit(log_, *batch, latency_, timed_);
    } catch (const std::bad_alloc&) {
      s = absl::ResourceExhaustedError("out of memory while committing a batch");
    } catch (const std::exception& e) {
      s = absl::InternalError(e.what());
    }
    lock.lock();
    result_ = std::move(s);
    finished_ = true;
    cv_.notify_all();
  }
}

}  // namespace jszb::core
