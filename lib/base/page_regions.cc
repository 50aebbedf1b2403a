#include "base/page_regions.h"

#include <sys/mman.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <new>

namespace jszb::core {

namespace {

// Regions are mapped from the kernel and unmapped when freed, not taken from
// malloc: glibc raises its mmap threshold after the first large free, so
// later regions would come from its heap, and a freed one (an engine's arena
// after a compaction, engine_memory.cc) would stay in the process as
// fragments instead of going back (seen as a peak RSS that grew with the
// history in BM_DurableSteadyState).
void* map_aligned(std::size_t size) {
  // Map one region more, then unmap the misaligned head and the tail.
  void* raw = mmap(nullptr, size + kRegionAlign, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto start = reinterpret_cast<std::uintptr_t>(raw);
  std::uintptr_t aligned = (start + kRegionAlign - 1) / kRegionAlign * kRegionAlign;
  if (aligned > start) munmap(raw, aligned - start);
  std::uintptr_t end = start + size + kRegionAlign;
  if (end > aligned + size) munmap(reinterpret_cast<void*>(aligned + size), end - aligned - size);
  return reinterpret_cast<void*>(aligned);
}

// The sizes of regions larger than one kRegionAlign (the callers ask for one
// at a time; a larger one must be unmapped whole).
std::mutex large_mutex;
std::map<void*, std::size_t>& large_regions() {
  static auto* sizes = new std::map<void*, std::size_t>();
  return *sizes;
}

}  // namespace

void* allocate_region(std::size_t bytes) {
  std::size_t size = (bytes + kRegionAlign - 1) / kRegionAlign * kRegionAlign;
  if (size == 0) size = kRegionAlign;
  void* p = map_aligned(size);
#ifdef MADV_HUGEPAGE
  madvise(p, size, MADV_HUGEPAGE);  // advice only: failure changes nothing
#endif
  if (size > kRegionAlign) {
    std::lock_guard<std::mutex> lock(large_mutex);
    large_regions().emplace(p, size);
  }
  return p;
}

void free_region(void* p) {
  if (p == nullptr) return;
  std::size_t size = kRegionAlign;
  {
    std::lock_guard<std::mutex> lock(large_mutex);
    auto it = large_regions().find(p);
    if (it != large_regions().end()) {
      size = it->second;
      large_regions().erase(it);
    }
  }
  munmap(p, size);
}

}  // namespace jszb::core
