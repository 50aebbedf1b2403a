// UnitList: a read-only view of unit ids (copy-to units, co-handlers).
#ifndef JSZB_LIB_MODEL_UNIT_LIST_H
#define JSZB_LIB_MODEL_UNIT_LIST_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "jszb/types.hpp"

namespace jszb::core {

struct UnitList {
  const UnitId* data = nullptr;
  std::uint32_t size = 0;

  UnitList() = default;
  UnitList(const UnitId* d, std::size_t n) : data(d), size(static_cast<std::uint32_t>(n)) {}
  UnitList(const std::vector<UnitId>& v) : UnitList(v.data(), v.size()) {}  // NOLINT: a view

  const UnitId* begin() const { return data; }
  const UnitId* end() const { return data + size; }
  bool empty() const { return size == 0; }
  UnitId operator[](std::size_t i) const { return data[i]; }
  bool contains(UnitId u) const { return std::find(begin(), end(), u) != end(); }
  int index_of(UnitId u) const {
    const UnitId* it = std::find(begin(), end(), u);
    return it == end() ? -1 : static_cast<int>(it - begin());
  }
  std::vector<UnitId> to_vector() const { return std::vector<UnitId>(begin(), end()); }

  friend bool operator==(UnitList a, UnitList b) {
    return a.size == b.size && std::equal(a.begin(), a.end(), b.begin());
  }
  friend bool operator!=(UnitList a, UnitList b) { return !(a == b); }
};

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_UNIT_LIST_H
