// PackedLog: the in-memory event log as packed bytes. An in-memory engine is
// bound by the fresh memory it writes (a page first touched costs about a
// microsecond on the VMs jszb runs on, bench/README.md), and most fields of an
// event are zero or small: a record holds only the fields that are set, as
// varints, behind a mask that says which. A mix event takes 30-45 bytes here
// against 96 for a fixed record (plus 88 out of line for a submission or a
// dispatch with copies).
//
// Strings, unit lists, deadline changes and the intake stay where the event's
// views point (the engine's arena): the log keeps the pointers, so they must
// outlive it. Records never move: a position stays valid for the log's life.
#ifndef JSZB_LIB_STORE_PACKED_LOG_H
#define JSZB_LIB_STORE_PACKED_LOG_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/page_regions.h"
#include "model/event.h"

namespace jszb::core {

class PackedLog {
 public:
  // Position of a record; kNone: no record.
  using Position = std::uint64_t;
  static constexpr Position kNone = 0;
  // The link to the case's next record is fixed width, because it is written
  // after the record, when that next event comes: positions up to 1 TiB.
  static constexpr std::size_t kLinkBytes = 5;

  // Makes room for one more record; may throw std::bad_alloc, changing nothing.
  void reserve_one();
  // Appends e (room reserved first); returns its position.
  Position append(const Event& e);
  // Links the record at `pos` to the next record of the same case.
  void set_next(Position pos, Position next);

  // The record at `pos`, and the position of the next record of its case.
  Event read(Position pos, Position* next) const;
  // Calls visit with every record, in the order they were appended.
  template <class Visit>
  void for_each(Visit&& visit) const {
    for (std::size_t r = 0; r < regions_.size(); ++r) {
      for (std::size_t off = 0; off < ends_[r];) {
        Position next;
        off += decode(region(r) + off, &next, visit);
      }
    }
  }

  std::uint64_t size() const { return count_; }
  std::size_t bytes() const { return bytes_; }

 private:
  // A record is at most this long (every field set, all at full width).
  static constexpr std::size_t kMaxRecord = 256;
  std::uint8_t* region(std::size_t r) const {
    return static_cast<std::uint8_t*>(regions_[r].get());
  }
  // Decodes one record at p into an event for visit; returns its length.
  template <class Visit>
  static std::size_t decode(const std::uint8_t* p, Position* next, Visit& visit) {
    Event e;
    std::size_t n = decode_into(p, &e, next);
    visit(e);
    return n;
  }
  static std::size_t decode_into(const std::uint8_t* p, Event* e, Position* next);

  std::vector<RegionPtr> regions_;
  std::vector<std::size_t> ends_;  // bytes used in each region
  std::uint64_t count_ = 0;
  std::size_t bytes_ = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_PACKED_LOG_H
