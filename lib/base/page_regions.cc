#include "base/page_regions.h"

#include <sys/mman.h>

#include <cstdlib>
#include <new>

namespace jszb::core {

void* allocate_region(std::size_t bytes) {
  std::size_t size = (bytes + kRegionAlign - 1) / kRegionAlign * kRegionAlign;
  void* p = std::aligned_alloc(kRegionAlign, size);
  if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, size, MADV_HUGEPAGE);  // advice only: failure changes nothing
#endif
  return p;
}

void free_region(void* p) { std::free(p); }

}  // namespace jszb::core
