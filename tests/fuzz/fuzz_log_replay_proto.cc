// Fuzzes the replay of a protobuf log through jszb_engine_replay_proto: the
// bytes are a flags byte (bit 0: replay under no policy, as verify() does;
// else the built-in one) and then jszb.v1.Event records, each prefixed by its
// length as a varint (protobuf's delimited form), at most 64 of them.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_replay.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  jszb_fuzz::Reader in(data, size);
  bool with_policy = (in.u8() & 1) == 0;
  std::vector<std::string> records;
  while (!in.done() && records.size() < 64) {
    std::uint64_t len = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      std::uint8_t b = in.u8();
      len |= std::uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) break;
    }
    records.push_back(in.bytes(len));
  }
  jszb_fuzz::replay_log(records, with_policy, [](jszb_engine* e, const std::string& r) {
    // An empty record is an empty buffer; NULL with size 0 is allowed too.
    return jszb_engine_replay_proto(e, r.empty() ? nullptr : r.data(), r.size());
  });
  return 0;
}
