// ChannelKey: what makes a submission unique, (channel, the channel's own id).
// The key carries its hash, computed once: growing the table then never reads
// the strings again, which live elsewhere in memory and would each cost a
// cache miss.
#ifndef JSZB_LIB_MODEL_CHANNEL_KEY_H
#define JSZB_LIB_MODEL_CHANNEL_KEY_H

#include <cstdint>
#include <string_view>
#include <utility>

#include "absl/hash/hash.h"
#include "jszb/types.hpp"

namespace jszb::core {

struct ChannelKey {
  ChannelKey(Channel c, std::string_view r)
      : channel(c),
        ref(r),
        hash(absl::HashOf(static_cast<int>(c), absl::string_view(r.data(), r.size()))) {}

  Channel channel;
  std::string_view ref;
  std::size_t hash;

  friend bool operator==(const ChannelKey& a, const ChannelKey& b) {
    return a.hash == b.hash && a.channel == b.channel && a.ref == b.ref;
  }
  template <typename H>
  friend H AbslHashValue(H h, const ChannelKey& k) {
    return H::combine(std::move(h), k.hash);
  }
};

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_CHANNEL_KEY_H
