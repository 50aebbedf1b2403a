// Regions: large blocks of memory for append-only storage (the in-memory log,
// the cases, the arena). They are 2 MiB-aligned and advised for transparent huge
// pages, because the engine fills them in order and never frees them early: on
// the VMs jszb runs on, a 4 KiB page fault costs about a microsecond, so one
// fault per 2 MiB instead of per 4 KiB is worth a fifth of the engine's time.
// Where the kernel does not do huge pages, the advice is simply ignored.
#ifndef JSZB_LIB_BASE_PAGE_REGIONS_H
#define JSZB_LIB_BASE_PAGE_REGIONS_H

#include <cstddef>
#include <memory>

namespace jszb::core {

inline constexpr std::size_t kRegionAlign = std::size_t{2} << 20;

// At least `bytes`, rounded up to whole 2 MiB; throws std::bad_alloc.
void* allocate_region(std::size_t bytes);
void free_region(void* p);

struct RegionDeleter {
  void operator()(void* p) const { free_region(p); }
};
using RegionPtr = std::unique_ptr<void, RegionDeleter>;

}  // namespace jszb::core

#endif  // JSZB_LIB_BASE_PAGE_REGIONS_H
