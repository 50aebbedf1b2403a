// Arena: append-only storage whose bytes never move. The engine keeps every
// string and unit list of its cases and events here, so that the hot path copies
// a few bytes instead of allocating, and views handed out stay valid for the
// arena's lifetime.
#ifndef JSZB_LIB_BASE_ARENA_H
#define JSZB_LIB_BASE_ARENA_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/page_regions.h"

namespace jszb::core {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  // Moving hands the blocks over: views into them stay valid (an engine
  // compacts its arena by copying what it keeps into a fresh one and moving
  // that in, which frees the old blocks).
  // The arena moved from is left empty.
  Arena(Arena&& other) noexcept { *this = std::move(other); }
  Arena& operator=(Arena&& other) noexcept {
    regions_ = std::move(other.regions_);
    small_ = std::move(other.small_);
    next_block_ = std::exchange(other.next_block_, kFirstBlock);
    next_ = std::exchange(other.next_, nullptr);
    left_ = std::exchange(other.left_, 0);
    used_ = std::exchange(other.used_, 0);
    reserved_ = std::exchange(other.reserved_, 0);
    other.regions_.clear();
    other.small_.clear();
    return *this;
  }

  // A copy of s followed by a NUL, so that the view's data() is a C string.
  std::string_view copy(std::string_view s);
  // Raw memory for trivially destructible objects.
  void* allocate_bytes(std::size_t size, std::size_t align) { return allocate(size, align); }

  // A copy of a trivially destructible value (never destroyed, only freed).
  template <class T>
  T* make(const T& value) {
    static_assert(std::is_trivially_destructible_v<T>, "the arena never runs destructors");
    return new (allocate(sizeof(T), alignof(T))) T(value);
  }

  // Makes sure that small allocations of `size` bytes in all (aligned to at most
  // 8) need no new block, so that they cannot fail. size < 64 KiB: larger
  // pieces always get memory of their own.
  void reserve(std::size_t size);

  std::size_t bytes_used() const { return used_; }
  std::size_t bytes_reserved() const { return reserved_; }

 private:
  void* allocate(std::size_t size, std::size_t align) {
    // The common case inline: room in the current block.
    auto addr = reinterpret_cast<std::uintptr_t>(next_);
    std::size_t pad = (align - addr % align) % align;
    if (next_ != nullptr && pad + size <= left_ && size + align <= kLargePiece) {
      std::byte* p = next_ + pad;
      next_ = p + size;
      left_ -= pad + size;
      used_ += size;
      return p;
    }
    return allocate_slow(size, align);
  }
  void* allocate_slow(std::size_t size, std::size_t align);

  void new_block();

  // Blocks double from kFirstBlock up to kBlockSize, so that a small arena (a
  // case snapshot) stays small and a large one (an engine's) comes in regions.
  static constexpr std::size_t kFirstBlock = 4096;
  static constexpr std::size_t kLargePiece = 64 * 1024;  // bigger: memory of its own
  static constexpr std::size_t kBlockSize = kRegionAlign;
  std::vector<RegionPtr> regions_;                   // blocks of kBlockSize
  std::vector<std::unique_ptr<std::byte[]>> small_;  // smaller blocks, and large pieces
  std::size_t next_block_ = kFirstBlock;
  std::byte* next_ = nullptr;
  std::size_t left_ = 0;
  std::size_t used_ = 0;
  std::size_t reserved_ = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_BASE_ARENA_H
