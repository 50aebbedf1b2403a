#include "arena.h"

#include <cstring>
#include <new>

namespace jszb::core {

namespace {
std::byte* align_up(std::byte* p, std::size_t align) {
  auto addr = reinterpret_cast<std::uintptr_t>(p);
  return p + (align - addr % align) % align;
}
}  // namespace

void Arena::new_block() {
  blocks_.reserve(blocks_.size() + 1);
  blocks_.emplace_back(allocate_region(kBlockSize));
  reserved_ += kBlockSize;
  next_ = static_cast<std::byte*>(blocks_.back().get());
  left_ = kBlockSize;
}

void* Arena::allocate_slow(std::size_t size, std::size_t align) {
  // Large pieces get memory of their own and leave the current block in use.
  if (size + align > kBlockSize / 4) {
    large_.reserve(large_.size() + 1);
    large_.emplace_back(new std::byte[size + align]);
    reserved_ += size + align;
    used_ += size;
    return align_up(large_.back().get(), align);
  }
  std::byte* p = next_ ? align_up(next_, align) : nullptr;
  if (p == nullptr || static_cast<std::size_t>(p - next_) + size > left_) {
    new_block();
    p = align_up(next_, align);
  }
  left_ -= static_cast<std::size_t>(p + size - next_);
  next_ = p + size;
  used_ += size;
  return p;
}

void Arena::reserve(std::size_t size) {
  if (next_ == nullptr || size + 8 > left_) new_block();
}

std::string_view Arena::copy(std::string_view s) {
  if (s.empty()) return {};
  char* p = static_cast<char*>(allocate(s.size() + 1, 1));
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return {p, s.size()};
}

UnitList Arena::copy(UnitList units) { return concat(units, {}); }

UnitList Arena::concat(UnitList units, UnitList more) {
  std::size_t n = std::size_t{units.size} + more.size;
  if (n == 0) return {};
  auto* p = static_cast<UnitId*>(allocate(n * sizeof(UnitId), alignof(UnitId)));
  if (units.size) std::memcpy(p, units.data, units.size * sizeof(UnitId));
  if (more.size) std::memcpy(p + units.size, more.data, more.size * sizeof(UnitId));
  return {p, n};
}

}  // namespace jszb::core
