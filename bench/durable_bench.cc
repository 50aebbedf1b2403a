// Durable throughput: the lifecycle mix through a SqliteStore with group
// commit, side by side with a raw SQLite append of rows of the same size in
// the same synchronous mode; commit latency; reopen time as the log grows;
// bytes on disk per case.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/durable_engine.h"
#include "engine/what_if.h"
#include "lifecycle_mix.h"
#include "mix_commands.h"

namespace jszb::bench {
namespace {

namespace fs = std::filesystem;
using core::Engine;
using Clock = std::chrono::steady_clock;

// A scratch directory for one benchmark run.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "jszb-bench-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~ScratchDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (fs::path(path_) / name).string(); }

 private:
  std::string path_;
};

std::uint64_t store_bytes(const std::string& path) {
  std::uint64_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    std::uintmax_t n = fs::file_size(path + suffix, ec);
    if (!ec) total += n;
  }
  return total;
}

// The mix with many cases in flight at once, as commands arrive at a hotline:
// each turn advances the next case in round-robin by one command, so a batch
// of commands touches as many cases as are in flight (up to its size).
class InterleavedMix {
 public:
  InterleavedMix(Engine& engine, std::size_t in_flight) : engine_(engine), flights_(in_flight) {}

  // Applies one command (a submission or a lifecycle command); false if the
  // engine refused it.
  bool step() {
    Flight& f = flights_[turn_];
    turn_ = (turn_ + 1) % flights_.size();
    if (f.script.empty() || f.next == f.script.size()) return start(f);
    Command c = *f.script[f.next++];
    c.case_id = f.id;
    c.time = (f.t += kMinute);
    if (c.actor.role == Role::kUnit) c.actor.unit = f.owner;
    if (c.kind == CommandKind::kRequestExtension) c.payload.until = f.t + 30 * 24 * 60 * kMinute;
    if (c.kind == CommandKind::kApproveReturn) f.owner = kStreet2;
    return engine_.apply(c).ok();
  }
  std::uint64_t cases_started() const { return started_; }

 private:
  struct Flight {
    CaseId id = 0;
    TimeMs t = 0;
    UnitId owner = kStreet;
    std::vector<const Command*> script;
    std::size_t next = 0;
  };

  bool start(Flight& f) {
    std::uint64_t index = started_++;
    char ref[24];
    auto end = std::to_chars(ref, ref + sizeof ref, index).ptr;
    m_.intake.channel_ref = std::string_view(ref, static_cast<std::size_t>(end - ref));
    f.t = kT0 + static_cast<TimeMs>(index);
    m_.intake.time = f.t;
    absl::StatusOr<core::SubmitResult> r = engine_.submit(m_.intake);
    if (!r.ok()) return false;
    f.id = r->id;
    f.owner = kStreet;
    f.next = 0;
    MixShape s = mix_shape(index);
    f.script.clear();
    f.script.push_back(&m_.dispatch);
    if (s.returned) f.script.insert(f.script.end(), {&m_.request_return, &m_.approve_return});
    f.script.push_back(&m_.sign);
    if (s.extended) f.script.insert(f.script.end(), {&m_.request_extension, &m_.approve_extension});
    f.script.push_back(&m_.reply);
    if (s.unsatisfied)
      f.script.insert(f.script.end(), {&m_.visit_unsatisfied, &m_.redo, &m_.reply});
    f.script.insert(f.script.end(), {&m_.visit_satisfied, &m_.close});
    return true;
  }

  Engine& engine_;
  MixCommands m_;
  std::vector<Flight> flights_;
  std::size_t turn_ = 0;
  std::uint64_t started_ = 0;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::size_t k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// Args: commands per commit, cases in flight, synchronous FULL (1) or NORMAL
// (0), pipelined (1: Engine::commit_async, the next batch applied while the
// writer thread commits this one; 0: commit()). Commit latency: from commit()
// or commit_async() until the batch is known durable (pipelined: seen by
// poll(), asked every 64 commands, or by the next commit_async()).
void BM_DurableLifecycleMix(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  const auto in_flight = static_cast<std::size_t>(state.range(1));
  const bool pipelined = state.range(3) != 0;
  ScratchDir dir;
  std::string path = dir.file("mix.jszb");
  core::SqliteStoreOptions options;
  options.synchronous_full = state.range(2) != 0;
  absl::StatusOr<core::DurableEngine> d = core::open_durable_engine(path, options);
  if (!d.ok()) {
    state.SkipWithError(std::string(d.status().message()).c_str());
    return;
  }
  Engine& engine = *d->engine;
  InterleavedMix mix(engine, in_flight);
  std::vector<double> commit_ms;
  std::uint64_t events_before = engine.event_count();
  std::uint64_t pending = 0;  // pipelined: the ticket not yet seen durable
  Clock::time_point pending_since;
  auto seen_durable = [&](std::uint64_t done) {
    if (pending == 0 || done < pending) return;
    commit_ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - pending_since).count());
    pending = 0;
  };
  for (auto _ : state) {
    if (!engine.begin().ok()) {
      state.SkipWithError("begin() failed");
      break;
    }
    bool ok = true;
    for (std::size_t i = 0; i < batch && ok; ++i) {
      ok = mix.step();
      if (pending != 0 && i % 64 == 63) seen_durable(engine.poll());
    }
    Clock::time_point t0 = Clock::now();
    absl::Status committed;
    if (pipelined) {
      absl::StatusOr<std::uint64_t> ticket = engine.commit_async();
      committed = ticket.status();
      if (ticket.ok()) {
        seen_durable(*ticket - 1);  // commit_async waited for the batch before
        pending = *ticket;
        pending_since = t0;
      }
    } else {
      committed = engine.commit();
      commit_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    if (!ok || !committed.ok()) {
      state.SkipWithError(ok ? std::string(committed.message()).c_str()
                             : "the engine refused a command of the mix");
      break;
    }
  }
  if (pending != 0) {
    absl::Status s = engine.wait(pending);
    if (!s.ok()) state.SkipWithError(std::string(s.message()).c_str());
    seen_durable(pending);
  }
  std::uint64_t events = engine.event_count() - events_before;
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["commit_p50_ms"] = percentile(commit_ms, 0.50);
  state.counters["commit_p99_ms"] = percentile(commit_ms, 0.99);
  if (absl::Status s = engine.checkpoint(); !s.ok()) {
    state.SkipWithError(std::string(s.message()).c_str());
  }
  state.counters["bytes_per_case"] =
      static_cast<double>(store_bytes(path)) / static_cast<double>(mix.cases_started());
  state.counters["bytes_per_event"] =
      static_cast<double>(store_bytes(path)) / static_cast<double>(events);
}
BENCHMARK(BM_DurableLifecycleMix)
    ->ArgNames({"batch", "in_flight", "full", "pipelined"})
    ->Args({1000, 1000, 1, 0})
    ->Args({1000, 1000, 1, 1})
    ->Args({1000, 100, 1, 0})
    ->Args({10000, 1000, 1, 0})
    ->Args({1000, 1000, 0, 0})
    ->Args({1000, 1000, 0, 1})
    ->Args({100, 1000, 1, 0})
    ->Args({100, 1000, 1, 1})
    ->MinTime(3.0)
    ->UseRealTime();

// The average size of an event row's body in the mix, measured on a small
// durable run, so that the raw append writes rows of the same size.
std::size_t mix_event_body_bytes() {
  static const std::size_t bytes = [] {
    ScratchDir dir;
    std::string path = dir.file("sample.jszb");
    std::size_t avg = 0;
    {
      absl::StatusOr<core::DurableEngine> d = core::open_durable_engine(path, {});
      if (!d.ok()) return std::size_t{160};
      InterleavedMix mix(*d->engine, 100);
      (void)d->engine->begin();
      for (int i = 0; i < 20000; ++i) mix.step();
      (void)d->engine->commit();
    }
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT avg(length(body)) FROM events", -1, &st, nullptr);
    if (sqlite3_step(st) == SQLITE_ROW)
      avg = static_cast<std::size_t>(sqlite3_column_double(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return avg;
  }();
  return bytes;
}

// Args: rows per transaction, synchronous FULL (1) or NORMAL (0).
void BM_RawSqliteAppend(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const std::size_t body_bytes = mix_event_body_bytes();
  ScratchDir dir;
  std::string path = dir.file("raw.db");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  std::string setup = std::string("PRAGMA journal_mode = WAL; PRAGMA synchronous = ") +
                      (state.range(1) != 0 ? "FULL" : "NORMAL") +
                      "; CREATE TABLE events (lsn INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, "
                      "seq INTEGER NOT NULL, prev_lsn INTEGER NOT NULL, type INTEGER NOT NULL, "
                      "time_ms INTEGER NOT NULL, body BLOB NOT NULL);";
  sqlite3_exec(db, setup.c_str(), nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &insert,
                     nullptr);
  std::string body(body_bytes, 'x');
  std::int64_t lsn = 0;
  for (auto _ : state) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (std::size_t i = 0; i < rows; ++i) {
      ++lsn;
      sqlite3_bind_int64(insert, 1, lsn);
      sqlite3_bind_int64(insert, 2, lsn % 1000 + 1);
      sqlite3_bind_int64(insert, 3, lsn / 1000 + 1);
      sqlite3_bind_int64(insert, 4, lsn > 1000 ? lsn - 1000 : 0);
      sqlite3_bind_int64(insert, 5, 4);
      sqlite3_bind_int64(insert, 6, kT0 + lsn);
      sqlite3_bind_blob(insert, 7, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
      if (sqlite3_step(insert) != SQLITE_DONE) state.SkipWithError(sqlite3_errmsg(db));
      sqlite3_reset(insert);
    }
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      state.SkipWithError(sqlite3_errmsg(db));
      break;
    }
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
  state.SetItemsProcessed(lsn);
  state.counters["row_body_bytes"] = static_cast<double>(body_bytes);
}
BENCHMARK(BM_RawSqliteAppend)
    ->ArgNames({"rows", "full"})
    ->Args({1000, 1})
    ->Args({1000, 0})
    ->MinTime(3.0)
    ->UseRealTime();

// Builds a store of the mix in a child process (so that neither its memory
// nor its time counts), `open` cases in flight, until `enough` says so;
// `close`: the child closes the engine (a checkpoint) instead of dying as a
// crashed writer would. False if the child failed.
bool build_in_child(const std::string& path, std::size_t open,
                    const std::function<bool(const Engine&, const InterleavedMix&)>& enough,
                    bool close) {
  pid_t pid = fork();
  if (pid == 0) {
    core::SqliteStoreOptions options;
    options.synchronous_full = false;  // building the store is not what is measured
    absl::StatusOr<core::DurableEngine> d = core::open_durable_engine(path, options);
    if (!d.ok() || !d->engine->load_policy(core::Policy::beijing()).ok()) _exit(2);
    InterleavedMix mix(*d->engine, open);
    while (!enough(*d->engine, mix)) {
      if (!d->engine->begin().ok()) _exit(3);
      for (int i = 0; i < 10000; ++i) mix.step();
      if (!d->engine->commit().ok()) _exit(4);
    }
    if (close) d->engine.reset();
    _exit(0);
  }
  int status = 0;
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

// The peak resident set of this process so far (VmHWM), in MiB.
double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

// Bounded memory: N cases through a durable engine with 100,000 open at any
// time, commits of 1,000 commands (synchronous NORMAL: the fsync of FULL is
// not what is measured). The peak RSS is the process's own, so each N must
// run in a process of its own: bench/steady_state.sh runs one per N.
void BM_DurableSteadyState(benchmark::State& state) {
  const auto cases = static_cast<std::uint64_t>(state.range(0));
  constexpr std::size_t kOpen = 100000, kBatch = 1000;
  ScratchDir dir;
  core::SqliteStoreOptions options;
  options.synchronous_full = false;
  absl::StatusOr<core::DurableEngine> d =
      core::open_durable_engine(dir.file("steady.jszb"), options);
  if (!d.ok() || !d->engine->load_policy(core::Policy::beijing()).ok()) {
    state.SkipWithError("opening the store failed");
    return;
  }
  Engine& engine = *d->engine;
  InterleavedMix mix(engine, kOpen);
  Clock::time_point t0 = Clock::now();
  for (auto _ : state) {
    while (mix.cases_started() < cases) {
      if (!engine.begin().ok()) {
        state.SkipWithError("begin() failed");
        return;
      }
      bool ok = true;
      for (std::size_t i = 0; i < kBatch && ok; ++i) ok = mix.step();
      absl::Status committed = engine.commit();
      if (!ok || !committed.ok()) {
        state.SkipWithError(ok ? std::string(committed.message()).c_str()
                               : "the engine refused a command of the mix");
        return;
      }
    }
  }
  double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  state.counters["peak_rss_mb"] = peak_rss_mb();
  state.SetItemsProcessed(static_cast<std::int64_t>(engine.event_count()));
  state.counters["events_per_s"] = static_cast<double>(engine.event_count()) / seconds;
  state.counters["cases_in_memory"] = static_cast<double>(engine.case_count());
  state.counters["arena_mb"] = static_cast<double>(engine.arena().bytes_reserved()) / (1 << 20);
}
BENCHMARK(BM_DurableSteadyState)
    ->ArgName("cases")
    ->Arg(1000000)
    ->Arg(3000000)
    ->Arg(10000000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

// What-if replay (engine/what_if.h): a store of N cases of the mix (100,000
// in flight, built by a child process so that its memory is not counted)
// replayed under the same policy; events/s over the source's log, and the
// peak RSS, which should not grow with N. One process per N: the script
// bench/steady_state.sh runs it with BM_ReplayHistory.
void BM_ReplayHistory(benchmark::State& state) {
  const auto cases = static_cast<std::uint64_t>(state.range(0));
  ScratchDir dir;
  std::string path = dir.file("history.jszb");
  // Closed: checkpointed, so that the replay knows each case's last event.
  if (!build_in_child(
          path, 100000,
          [cases](const Engine&, const InterleavedMix& mix) {
            return mix.cases_started() >= cases;
          },
          true)) {
    state.SkipWithError("building the store failed");
    return;
  }
  core::WhatIfOptions options;
  options.policy = core::Policy::beijing();
  std::uint64_t events = 0;
  for (auto _ : state) {
    absl::StatusOr<std::unique_ptr<core::WhatIfReplay>> r = core::WhatIfReplay::run(path, options);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    events = (*r)->result().events_read;
    state.counters["skipped"] = static_cast<double>((*r)->result().commands_skipped);
    state.counters["cases_in_memory"] = static_cast<double>((*r)->engine().case_count());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events * state.iterations()));
  state.counters["peak_rss_mb"] = peak_rss_mb();
  state.counters["events"] = static_cast<double>(events);
}
BENCHMARK(BM_ReplayHistory)
    ->ArgName("cases")
    ->Arg(1000000)
    ->Arg(10000000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

// Opening a store of `events` events with `open` cases in flight (loaded on
// open), the projections checkpointed as a running engine leaves them.
void BM_DurableReopen(benchmark::State& state) {
  const auto events = static_cast<std::uint64_t>(state.range(0));
  const auto open = static_cast<std::size_t>(state.range(1));
  ScratchDir dir;
  std::string path = dir.file("reopen.jszb");
  core::SqliteStoreOptions options;
  options.synchronous_full = false;
  // A child process builds the store and dies without closing it, as a
  // crashed writer would: the projections are up to checkpoint_events behind.
  if (!build_in_child(
          path, open,
          [events](const Engine& e, const InterleavedMix&) { return e.event_count() >= events; },
          false)) {
    state.SkipWithError("building the store failed");
    return;
  }
  std::uint64_t bytes = store_bytes(path);
  std::string copy = dir.file("copy.jszb");
  for (auto _ : state) {
    // Every iteration opens the store as the crash left it.
    for (const char* suffix : {"", "-wal"}) {
      fs::remove(copy + suffix);
      if (fs::exists(path + suffix)) fs::copy_file(path + suffix, copy + suffix);
    }
    Clock::time_point t0 = Clock::now();
    absl::StatusOr<core::DurableEngine> d = core::open_durable_engine(copy, options);
    double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    if (!d.ok()) {
      state.SkipWithError(std::string(d.status().message()).c_str());
      break;
    }
    state.SetIterationTime(seconds);
    state.counters["cases_in_memory"] = static_cast<double>(d->engine->case_count());
    state.counters["timers"] = static_cast<double>(d->engine->timers_pending());
    state.counters["tail_events"] =
        static_cast<double>(d->engine->event_count() - d->store->checkpoint_lsn());
  }
  state.counters["store_bytes"] = static_cast<double>(bytes);
  state.counters["events"] = static_cast<double>(events);
}
BENCHMARK(BM_DurableReopen)
    ->ArgNames({"events", "open"})
    ->Args({1000000, 1000})
    ->Args({10000000, 1000})
    ->Args({10000000, 100000})
    ->Iterations(3)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace jszb::bench

BENCHMARK_MAIN();
