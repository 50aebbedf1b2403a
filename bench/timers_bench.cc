// The timer queue with 10 million timers pending (dues spread over a year), per
// timer: arming a new slot, cancelling a random one, moving a random one, and
// firing the earliest and re-arming it later, as the engine does. The queue is
// built once, outside any timing, and every benchmark leaves it at 10 million
// for the next.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <random>
#include <vector>

#include "base/timer_queue.h"

namespace jszb::bench {
namespace {

using core::TimerQueue;

constexpr std::uint32_t kPending = 10000000;
constexpr TimeMs kT0 = 1632009600000;  // 2021-09-19 00:00 UTC
constexpr TimeMs kHour = 3600000;
constexpr TimeMs kYear = 365 * 24 * kHour;
// Arms and cancels are undone, untimed, every kBatch operations.
constexpr std::uint32_t kBatch = 4096;
// Precomputed random values, read in turn so that drawing them costs nothing.
constexpr std::size_t kRandom = std::size_t{1} << 20;

// Resident memory of the process, in bytes (Linux).
double resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long pages_total = 0, pages_resident = 0;
  int n = std::fscanf(f, "%ld %ld", &pages_total, &pages_resident);
  std::fclose(f);
  return n == 2 ? static_cast<double>(pages_resident) * 4096.0 : 0;
}

struct Fixture {
  TimerQueue queue;
  std::vector<TimeMs> dues;          // over the year from kT0
  std::vector<TimeMs> delays;        // re-arming after a fire: 1 hour to 30 days
  std::vector<std::uint32_t> order;  // the pending slots, shuffled: what to cancel
  double rss_per_timer = 0;

  Fixture() {
    std::mt19937_64 rng(12345);
    dues.resize(kRandom);
    for (TimeMs& d : dues) d = kT0 + static_cast<TimeMs>(rng() % kYear);
    delays.resize(kRandom);
    for (TimeMs& d : delays) d = kHour + static_cast<TimeMs>(rng() % (30 * 24 * kHour));
    order.resize(kPending);
    std::iota(order.begin(), order.end(), 0u);
    std::shuffle(order.begin(), order.end(), rng);
    double rss = resident_bytes();
    for (std::uint32_t s = 0; s < kPending; ++s) {
      queue.arm(s, kT0 + static_cast<TimeMs>(rng() % kYear));
    }
    rss_per_timer = (resident_bytes() - rss) / kPending;
  }
};

Fixture& fixture() {
  static Fixture* f = new Fixture();  // built on first use, never torn down
  return *f;
}

void report(benchmark::State& state, const Fixture& f) {
  state.SetItemsProcessed(state.iterations());
  state.counters["timers"] = static_cast<double>(f.queue.size());
  state.counters["bytes_per_timer"] =
      static_cast<double>(f.queue.memory_bytes()) / static_cast<double>(f.queue.size());
  state.counters["rss_per_timer"] = f.rss_per_timer;
}

// Arming a slot that has no timer: slots past the pending ones, cancelled again
// (untimed) every kBatch arms.
void BM_Timers10MArm(benchmark::State& state) {
  Fixture& f = fixture();
  std::uint32_t next = kPending;
  std::size_t i = 0;
  auto undo = [&f, &next] {
    for (std::uint32_t s = kPending; s < next; ++s) f.queue.cancel(s);
    next = kPending;
  };
  for (auto _ : state) {
    f.queue.arm(next++, f.dues[i++ % kRandom]);
    if (next == kPending + kBatch) {
      state.PauseTiming();
      undo();
      state.ResumeTiming();
    }
  }
  undo();
  report(state, f);
}

// Cancelling a random armed slot; re-armed (untimed) every kBatch cancels.
void BM_Timers10MCancel(benchmark::State& state) {
  Fixture& f = fixture();
  std::size_t i = 0;       // next in f.order
  std::size_t undone = 0;  // f.order[undone .. i) are cancelled
  std::size_t j = 0;
  auto undo = [&] {
    for (; undone != i; undone = (undone + 1) % kPending) {
      f.queue.arm(f.order[undone], f.dues[j++ % kRandom]);
    }
  };
  for (auto _ : state) {
    f.queue.cancel(f.order[i]);
    i = (i + 1) % kPending;
    if ((i + kPending - undone) % kPending == kBatch) {
      state.PauseTiming();
      undo();
      state.ResumeTiming();
    }
  }
  undo();
  report(state, f);
}

// Re-arming a random armed slot to a new instant over the year: what the engine
// does on most commands, as a command changes the case's next deadline.
void BM_Timers10MRearm(benchmark::State& state) {
  Fixture& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    f.queue.arm(f.order[i % kPending], f.dues[i % kRandom]);
    ++i;
  }
  report(state, f);
}

// Firing: pop the earliest timer and arm the same slot 1 hour to 30 days later.
void BM_Timers10MFire(benchmark::State& state) {
  Fixture& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    auto [due, slot] = f.queue.pop();
    f.queue.arm(slot, due + f.delays[i++ % kRandom]);
  }
  report(state, f);
}

// The same without the pop, an alternative for the engine: re-arming the top
// timer in place moves it down once, where pop-then-arm moves the last entry
// down and the re-armed one up.
void BM_Timers10MFireInPlace(benchmark::State& state) {
  Fixture& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    auto [due, slot] = f.queue.top();
    f.queue.arm(slot, due + f.delays[i++ % kRandom]);
  }
  report(state, f);
}

BENCHMARK(BM_Timers10MArm)->Name("BM_Timers10M/arm");
BENCHMARK(BM_Timers10MCancel)->Name("BM_Timers10M/cancel");
BENCHMARK(BM_Timers10MRearm)->Name("BM_Timers10M/rearm");
BENCHMARK(BM_Timers10MFire)->Name("BM_Timers10M/fire");
BENCHMARK(BM_Timers10MFireInPlace)->Name("BM_Timers10M/fire_in_place");

}  // namespace
}  // namespace jszb::bench

BENCHMARK_MAIN();
