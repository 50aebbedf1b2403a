// ChunkedVector: an append-only sequence stored in fixed-size chunks. Growing
// never moves or copies what is there, so references stay valid and a large
// sequence grows without the copy-and-free cycles of std::vector, which on a
// busy engine cost more in page faults than the copying itself.
#ifndef JSZB_LIB_CHUNKED_VECTOR_H
#define JSZB_LIB_CHUNKED_VECTOR_H

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

namespace jszb::core {

template <class T, std::size_t kChunkBits = 12>
class ChunkedVector {
  // Elements are never destroyed one by one; chunks are freed as raw memory.
  static_assert(std::is_trivially_destructible_v<T>, "elements must be trivially destructible");

 public:
  static constexpr std::size_t kChunkSize = std::size_t{1} << kChunkBits;

  // Makes room for one more element; may throw std::bad_alloc, changing nothing.
  void reserve_one() {
    if ((size_ >> kChunkBits) == chunks_.size()) {
      chunks_.emplace_back(new Slot[kChunkSize]);
    }
  }

  T& push_back(const T& value) {
    reserve_one();
    T* p = new (&chunks_[size_ >> kChunkBits][size_ & (kChunkSize - 1)]) T(value);
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
  struct Slot {
    alignas(T) unsigned char bytes[sizeof(T)];
  };
  Slot* slot(std::size_t i) const { return &chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }

  std::vector<std::unique_ptr<Slot[]>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_CHUNKED_VECTOR_H
