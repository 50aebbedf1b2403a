#include "model/request_fingerprint.h"

#include <string_view>
#include <type_traits>

namespace jszb::core {

namespace {

// FNV-1a, 64 bits, fed value by value in a fixed little-endian encoding.
class Fnv1a {
 public:
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
      hash_ ^= p[i];
      hash_ *= 0x100000001b3ULL;
    }
  }
  void number(std::uint64_t v) {
    unsigned char le[8];
    for (int i = 0; i < 8; ++i) le[i] = static_cast<unsigned char>(v >> (8 * i));
    bytes(le, sizeof le);
  }
  // Integers, bools and enums, by value.
  template <class T>
  void put(T v) {
    static_assert(std::is_integral_v<T> || std::is_enum_v<T>);
    number(static_cast<std::uint64_t>(v));
  }
  void put(std::string_view s) {
    number(s.size());
    bytes(s.data(), s.size());
  }
  void put(const UnitList& units) {
    number(units.size);
    for (UnitId u : units) number(u);
  }
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

// kind: the command's kind, which is the number of the event it becomes.
std::uint64_t fingerprint(int kind, CaseId case_id, TimeMs time, const Actor& actor, Payload p) {
  if (kind == static_cast<int>(CommandKind::kDispatch) ||
      kind == static_cast<int>(CommandKind::kApproveReturn)) {
    if (p.mode == DispatchMode::kUnspecified) p.mode = DispatchMode::kDirect;
  }
  if (kind == static_cast<int>(CommandKind::kHoldLongTerm)) p.valid_visit = false;
  Fnv1a h;
  h.put(kind);
  h.put(case_id);
  h.put(time);
  h.put(actor.role);
  h.put(actor.unit);
  h.put(actor.staff);
#define JSZB_FINGERPRINT_FIELD(kind, type, field, wire) h.put(p.field);
  JSZB_PAYLOAD_FIELDS(JSZB_FINGERPRINT_FIELD)
#undef JSZB_FINGERPRINT_FIELD
  return h.value();
}

}  // namespace

std::uint64_t request_fingerprint(const Command& cmd) {
  return fingerprint(static_cast<int>(cmd.kind), cmd.case_id, cmd.time, cmd.actor, cmd.payload);
}

std::uint64_t request_fingerprint(const Event& e) {
  return fingerprint(static_cast<int>(e.type), e.case_id, e.time, e.actor, e.payload);
}

}  // namespace jszb::core
