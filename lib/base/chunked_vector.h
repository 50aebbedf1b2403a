// ChunkedVector: an append-only sequence stored in 2 MiB regions (regions.h).
// Growing never moves or copies what is there, so references stay valid and a
// large sequence grows without the copy-and-free cycles of std::vector, which
// on a busy engine cost more in page faults than the copying itself.
#ifndef JSZB_LIB_BASE_CHUNKED_VECTOR_H
#define JSZB_LIB_BASE_CHUNKED_VECTOR_H

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#include "base/page_regions.h"

namespace jszb::core {

template <class T>
class ChunkedVector {
  // Elements are never destroyed one by one; chunks are freed as raw memory.
  static_assert(std::is_trivially_destructible_v<T>, "elements must be trivially destructible");

 public:
  // As many elements as fill one 2 MiB region.
  static constexpr std::size_t kChunkSize = kRegionAlign / sizeof(T);

  // Makes room for one more element; may throw std::bad_alloc, changing nothing.
  void reserve_one() {
    if (size_ / kChunkSize == chunks_.size()) {
      chunks_.reserve(chunks_.size() + 1);
      chunks_.emplace_back(allocate_region(kChunkSize * sizeof(T)));
    }
  }

  // Makes room for n elements in all; may throw std::bad_alloc, changing nothing.
  void reserve(std::size_t n) {
    std::size_t chunks = (n + kChunkSize - 1) / kChunkSize;
    chunks_.reserve(chunks);
    while (chunks_.size() < chunks) chunks_.emplace_back(allocate_region(kChunkSize * sizeof(T)));
  }

  T& push_back(const T& value) {
    reserve_one();
    T* p = new (slot(size_)) T(value);
    ++size_;
    return *p;
  }

  T& operator[](std::size_t i) { return *std::launder(reinterpret_cast<T*>(slot(i))); }
  const T& operator[](std::size_t i) const {
    return *std::launder(reinterpret_cast<const T*>(slot(i)));
  }
  T& back() { return (*this)[size_ - 1]; }
  const T& back() const { return (*this)[size_ - 1]; }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  // Raw storage: a new chunk is not constructed, so its pages are touched only
  // as elements arrive.
  void* slot(std::size_t i) const {
    return static_cast<unsigned char*>(chunks_[i / kChunkSize].get()) +
           (i % kChunkSize) * sizeof(T);
  }

  std::vector<RegionPtr> chunks_;
  std::size_t size_ = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_BASE_CHUNKED_VECTOR_H
