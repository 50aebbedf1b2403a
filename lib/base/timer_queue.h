// TimerQueue: the engine's pending deadlines, at most one timer per case. A
// case's timer is the next instant at which something about its deadlines must
// happen; the engine re-arms it whenever the case changes and fires it when the
// clock reaches it. Cases are known here by their slot, their dense position in
// the engine (0, 1, 2 ...).
//
// An indexed 4-ary min-heap of {due, slot} entries, plus each slot's position in
// the heap, so that re-arming or cancelling a case's timer finds its entry in
// O(1) and moves it in O(log n). Exact, unlike a timer wheel: nothing is rounded
// to a bucket, so no slack leaks into SLA decisions; and timers pop in (due, slot)
// order, so firing is deterministic.
//
// Memory: 16 bytes per timer in the heap and 4 per slot in the position table,
// both in 2 MiB regions (regions.h): growing never copies, and a range of slots
// nobody arms costs nothing (a table chunk appears with the first slot in it).
// With 10 million timers on slots 0 .. 10^7 - 1: 20.34 bytes a timer, all told.
#ifndef JSZB_LIB_BASE_TIMER_QUEUE_H
#define JSZB_LIB_BASE_TIMER_QUEUE_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

#include "base/page_regions.h"
#include "jszb/types.hpp"

namespace jszb::core {

class TimerQueue {
 public:
  // Positions are uint32 and the heap starts at 3 (see kRoot), with one value
  // kept for "not armed".
  static constexpr std::size_t kMaxSize = 0xFFFFFFFCu;

  TimerQueue() = default;
  // Moving leaves the source empty (not with a size and no chunks).
  TimerQueue(TimerQueue&& other) noexcept { *this = std::move(other); }
  TimerQueue& operator=(TimerQueue&& other) noexcept {
    heap_chunks_ = std::move(other.heap_chunks_);
    other.heap_chunks_.clear();
    pos_chunks_ = std::move(other.pos_chunks_);
    other.pos_chunks_.clear();
    pos_chunk_count_ = std::exchange(other.pos_chunk_count_, 0);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }

  // Sets the slot's timer to `due`, or moves it there. Throws std::bad_alloc
  // (std::length_error past kMaxSize) before changing anything.
  void arm(std::uint32_t slot, TimeMs due) {
    std::uint32_t p = position(slot);
    if (p == kNone) {
      if (size_ == kMaxSize) throw std::length_error("TimerQueue: too many timers");
      reserve_slot(slot);
      reserve_heap(size_ + 1);
      p = static_cast<std::uint32_t>(kRoot + size_++);
    }
    place(p, Entry{due, slot});
  }

  // No-op when the slot has no timer.
  void cancel(std::uint32_t slot) {
    std::uint32_t p = position(slot);
    if (p != kNone) remove(p);
  }

  bool armed(std::uint32_t slot) const { return position(slot) != kNone; }
  // Precondition: armed(slot).
  TimeMs due(std::uint32_t slot) const { return at(position(slot)).due; }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  // The earliest timer as (due, slot); of timers due at once, the lower slot.
  // Precondition: !empty().
  std::pair<TimeMs, std::uint32_t> top() const {
    const Entry& e = at(kRoot);
    return {e.due, e.slot};
  }
  // Removes and returns top(). Precondition: !empty().
  std::pair<TimeMs, std::uint32_t> pop() {
    std::pair<TimeMs, std::uint32_t> t = top();
    remove(kRoot);
    return t;
  }

  // Bytes allocated: heap and table chunks, and the chunk lists. Chunks are kept
  // when timers go, for the next ones.
  std::size_t memory_bytes() const {
    return (heap_chunks_.size() + pos_chunk_count_) * kRegionAlign +
           (heap_chunks_.capacity() + pos_chunks_.capacity()) * sizeof(RegionPtr);
  }

 private:
  struct Entry {
    TimeMs due;
    std::uint32_t slot;
  };
  static_assert(sizeof(Entry) == 16);

  // The heap order: (due, slot), a total order since a slot has one timer.
  static bool before(const Entry& a, const Entry& b) {
    return a.due < b.due || (a.due == b.due && a.slot < b.slot);
  }

  // The root sits at index 3 so that the four children of p, at 4p-8 .. 4p-5,
  // start at a multiple of 4: in 64-byte aligned chunks, the entries compared at
  // each level of a sift-down share one cache line.
  static constexpr std::size_t kRoot = 3;
  static std::size_t parent(std::size_t p) { return p / 4 + 2; }
  static std::size_t first_child(std::size_t p) { return 4 * p - 8; }

  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;  // a slot's position when not armed

  static constexpr std::size_t kHeapChunk = kRegionAlign / sizeof(Entry);  // 2^17, a multiple of 4
  static constexpr std::size_t kPosShift = 19;                             // 2^19 positions a chunk
  static_assert((std::size_t{1} << kPosShift) * sizeof(std::uint32_t) == kRegionAlign);
  static constexpr std::uint32_t kPosMask = (std::uint32_t{1} << kPosShift) - 1;

  Entry& at(std::size_t p) {
    return static_cast<Entry*>(heap_chunks_[p / kHeapChunk].get())[p % kHeapChunk];
  }
  const Entry& at(std::size_t p) const {
    return static_cast<const Entry*>(heap_chunks_[p / kHeapChunk].get())[p % kHeapChunk];
  }

  std::uint32_t position(std::uint32_t slot) const {
    std::size_t c = slot >> kPosShift;
    if (c >= pos_chunks_.size() || !pos_chunks_[c]) return kNone;
    return static_cast<const std::uint32_t*>(pos_chunks_[c].get())[slot & kPosMask];
  }
  // Only for a slot whose chunk exists.
  void set_position(std::uint32_t slot, std::size_t p) {
    static_cast<std::uint32_t*>(pos_chunks_[slot >> kPosShift].get())[slot & kPosMask] =
        static_cast<std::uint32_t>(p);
  }

  // Each allocates first and then commits with operations that cannot fail, so a
  // std::bad_alloc leaves the queue as it was (an unused table chunk at most).
  void reserve_slot(std::uint32_t slot) {
    std::size_t c = slot >> kPosShift;
    if (c < pos_chunks_.size() && pos_chunks_[c]) return;
    RegionPtr chunk(allocate_region(kRegionAlign));
    std::memset(chunk.get(), 0xFF, kRegionAlign);  // every position kNone
    if (c >= pos_chunks_.size()) pos_chunks_.resize(c + 1);
    pos_chunks_[c] = std::move(chunk);
    ++pos_chunk_count_;
  }
  void reserve_heap(std::size_t n) {
    while (heap_chunks_.size() * kHeapChunk < kRoot + n) {
      RegionPtr chunk(allocate_region(kRegionAlign));
      heap_chunks_.push_back(std::move(chunk));  // on failure, chunk is freed
    }
  }

  // Puts e at position p, whatever was there, and moves it up or down to where
  // it belongs.
  void place(std::size_t p, Entry e) {
    if (p > kRoot && before(e, at(parent(p)))) {
      sift_up(p, e);
    } else {
      sift_down(p, e);
    }
  }

  void remove(std::size_t p) {
    set_position(at(p).slot, kNone);
    std::size_t last = kRoot + --size_;
    if (p != last) place(p, at(last));
  }

  // Both move a hole from p towards where e belongs, shifting entries into it,
  // and write e there.
  void sift_up(std::size_t p, Entry e) {
    while (p > kRoot) {
      std::size_t q = parent(p);
      if (!before(e, at(q))) break;
      move_entry(q, p);
      p = q;
    }
    put(p, e);
  }
  void sift_down(std::size_t p, Entry e) {
    const std::size_t end = kRoot + size_;
    for (;;) {
      std::size_t c = first_child(p);
      if (c >= end) break;
      // The group of four children never straddles a chunk.
      const Entry* g = &at(c);
      // Their children, the 16 entries from 4c - 8 (four lines, one chunk), are
      // fetched now: the next level's line is then on its way from memory while
      // this one is compared (with 10 million timers, a fire takes 30% less time).
      std::size_t gc = first_child(c);
      if (gc < end) {
        const Entry* h = &at(gc);
        for (int k = 0; k < 16; k += 4) __builtin_prefetch(h + k);
      }
      std::size_t n = end - c < 4 ? end - c : 4;
      std::size_t m = 0;
      for (std::size_t i = 1; i < n; ++i) {
        if (before(g[i], g[m])) m = i;
      }
      if (!before(g[m], e)) break;
      move_entry(c + m, p);
      p = c + m;
    }
    put(p, e);
  }
  void move_entry(std::size_t from, std::size_t to) {
    const Entry& e = at(to) = at(from);
    set_position(e.slot, to);
  }
  void put(std::size_t p, Entry e) {
    at(p) = e;
    set_position(e.slot, p);
  }

  std::vector<RegionPtr> heap_chunks_;  // entry p in chunk p / kHeapChunk
  std::vector<RegionPtr> pos_chunks_;   // slot s in chunk s >> kPosShift; null until one is armed
  std::size_t pos_chunk_count_ = 0;     // non-null pos_chunks_
  std::size_t size_ = 0;                // entries at kRoot .. kRoot + size_ - 1
};

}  // namespace jszb::core

#endif  // JSZB_LIB_BASE_TIMER_QUEUE_H
