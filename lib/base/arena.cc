#include "base/arena.h"

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
  std::size_t size = next_block_;
  if (size >= kBlockSize) {
    regions_.reserve(regions_.size() + 1);
    regions_.emplace_back(allocate_region(kBlockSize));
    next_ = static_cast<std::byte*>(regions_.back().get());
  } else {
    small_.reserve(small_.size() + 1);
    small_.emplace_back(new std::byte[size]);
    next_ = small_.back().get();
    next_block_ = size * 2;
  }
  reserved_ += size;
  left_ = size;
}

void* Arena::allocate_slow(std::size_t size, std::size_t align) {
  if (size + align > kLargePiece) {
    small_.reserve(small_.size() + 1);
    small_.emplace_back(new std::byte[size + align]);
    reserved_ += size + align;
    used_ += size;
    return align_up(small_.back().get(), align);
  }
  std::byte* p = next_ ? align_up(next_, align) : nullptr;
  while (p == nullptr || static_cast<std::size_t>(p - next_) + size > left_) {
    new_block();
    p = align_up(next_, align);
  }
  left_ -= static_cast<std::size_t>(p + size - next_);
  next_ = p + size;
  used_ += size;
  return p;
}

void Arena::reserve(std::size_t size) {
  while (next_ == nullptr || size + 8 > left_) new_block();
}

std::string_view Arena::copy(std::string_view s) {
  if (s.empty()) return {};
  char* p = static_cast<char*>(allocate(s.size() + 1, 1));
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return {p, s.size()};
}

}  // namespace jszb::core
