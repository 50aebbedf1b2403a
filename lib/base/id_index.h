// IdIndex: a map from case id to a small value, made for ids as an engine hands
// them out: 1, 2, 3 ... Dense ids index an array (no hashing, and neighbouring
// cases sit next to each other in memory); an id far beyond the dense range
// (a partial replay, ids from elsewhere) goes to a hash map instead.
#ifndef JSZB_LIB_BASE_ID_INDEX_H
#define JSZB_LIB_BASE_ID_INDEX_H

#include <cstdint>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "base/chunked_vector.h"

namespace jszb::core {

template <class V>
class IdIndex {
 public:
  // Ids up to this far past the dense range still extend it (the gap is left
  // as empty slots); farther ones are sparse.
  static constexpr std::uint64_t kMaxGap = 4096;

  // The value for id, or nullptr.
  const V* find(std::uint64_t id) const {
    if (id >= 1 && id <= dense_.size()) {
      const Slot& s = dense_[id - 1];
      return s.present ? &s.value : nullptr;
    }
    auto it = sparse_.find(id);
    return it == sparse_.end() ? nullptr : &it->second;
  }
  V* find(std::uint64_t id) { return const_cast<V*>(static_cast<const IdIndex*>(this)->find(id)); }

  // Makes room so that inserting `id` cannot fail; may throw std::bad_alloc.
  void reserve_for(std::uint64_t id) {
    if (is_dense(id)) {
      dense_.reserve(id);
    } else {
      sparse_.reserve(sparse_.size() + 1);
    }
  }

  void erase(std::uint64_t id) {
    if (id >= 1 && id <= dense_.size()) {
      dense_[id - 1] = Slot{};
    } else {
      sparse_.erase(id);
    }
  }

  // The value for id, inserted (value-initialised) if absent.
  V& operator[](std::uint64_t id) {
    if (!is_dense(id)) return sparse_[id];
    dense_.reserve(id);  // the loop below then cannot fail halfway
    while (dense_.size() < id) {
      // Ids the dense range now covers move over from the sparse map, so that
      // an id is always in exactly one place.
      Slot slot;
      if (!sparse_.empty()) {
        auto it = sparse_.find(dense_.size() + 1);
        if (it != sparse_.end()) {
          slot = Slot{it->second, true};
          sparse_.erase(it);
        }
      }
      dense_.push_back(slot);
    }
    Slot& s = dense_[id - 1];
    s.present = true;
    return s.value;
  }

 private:
  struct Slot {
    V value{};
    bool present = false;
  };
  // Invariant: no id in sparse_ is within the dense range.
  bool is_dense(std::uint64_t id) const { return id >= 1 && id - 1 <= dense_.size() + kMaxGap; }

  ChunkedVector<Slot> dense_;  // slot id - 1
  absl::flat_hash_map<std::uint64_t, V> sparse_;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_BASE_ID_INDEX_H
