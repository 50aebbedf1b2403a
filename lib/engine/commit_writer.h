// CommitWriter: the one thread that makes a pipelined batch durable
// (Engine::commit_async). The engine hands it one batch at a time and goes on
// applying the next; the writer runs EventLog::commit() on it and keeps the
// outcome until the engine takes it. Everything the batch points to belongs
// to the engine, which leaves it alone until the outcome is taken.
#ifndef JSZB_LIB_ENGINE_COMMIT_WRITER_H
#define JSZB_LIB_ENGINE_COMMIT_WRITER_H

#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "engine/engine_metrics.h"
#include "store/event_log.h"

namespace jszb::core {

class CommitWriter {
 public:
  // `threaded` false (a log in memory, where committing costs next to
  // nothing): start() commits at once, on the caller's thread; the outcome
  // is taken the same way.
  // `latency` counts each commit, timed when threaded (a durable store).
  CommitWriter(EventLog& log, bool threaded, CommitLatency& latency);
  // Finishes the batch under way, if any, and stops the thread.
  ~CommitWriter();
  CommitWriter(const CommitWriter&) = delete;
  CommitWriter& operator=(const CommitWriter&) = delete;

  // Starts committing `batch`; the writer must be idle (nothing handed, or
  // the last outcome taken).
  void start(const CommitBatch* batch);
  // Whether the batch handed last has its outcome (without waiting).
  bool finished() const;
  // Waits until the batch handed last has its outcome (or returns at once
  // when none is under way); the outcome stays to be taken.
  void settle() const;
  // Whether the batch handed last has an outcome and it is OK.
  bool succeeded() const;
  // Waits for the outcome and takes it: the writer is idle again.
  absl::Status take();

 private:
  void run();

  EventLog& log_;
  CommitLatency& latency_;
  bool timed_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  const CommitBatch* job_ = nullptr;  // handed, not yet committed
  bool busy_ = false;                 // handed and its outcome not yet taken
  bool finished_ = false;             // the outcome is in result_
  bool stop_ = false;
  absl::Status result_;
  std::thread thread_;  // last: it starts once the rest is set
};

}  // namespace jszb::core

#endif  // JSZB_LIB_ENGINE_COMMIT_WRITER_H
