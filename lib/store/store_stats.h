// What a store shows from outside, for an operator (`jszb info`, `jszb
// metrics`): cases by state, events, the newest event's time and the file's
// size, counted by SQL over the projections (never by listing the cases).
#ifndef JSZB_LIB_STORE_STORE_STATS_H
#define JSZB_LIB_STORE_STORE_STATS_H

#include <array>
#include <cstdint>

#include "jszb/types.hpp"

namespace jszb::core {

struct StoreStats {
  // Indexed by State (1..): room for the states to come.
  std::array<std::uint64_t, 32> by_state{};
  std::uint64_t cases = 0;
  std::uint64_t events = 0;  // log positions committed (purged ones included)
  TimeMs last_event = 0;     // the newest event's instant; 0: none
  std::uint64_t file_bytes = 0;
  std::uint64_t wal_bytes = 0;  // the -wal file beside it (0: none)
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_STORE_STATS_H
