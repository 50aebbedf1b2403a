#include "store/packed_log.h"

#include <cstring>
#include <string_view>
#include <type_traits>

namespace jszb::core {
namespace {

// A record: the link to the case's next record (kLinkBytes), a varint mask of
// the fields set, the fields every event has (case, time, seq, type, state,
// role), then each field the mask names, in the payload table's order
// (payload.h), then the event's own optional fields.
enum ExtraBit : int {
  kActorUnit = static_cast<int>(PayloadField::kCount),
  kActorStaff,
  kIntake,
  kPolicyVersion,
  kDeadlines,
  kBits
};
static_assert(kBits <= 64, "the mask is one 64-bit varint");

void put_varint(std::uint8_t*& p, std::uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<std::uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<std::uint8_t>(v);
}

std::uint64_t get_varint(const std::uint8_t*& p) {
  std::uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    std::uint8_t b = *p++;
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
}

std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

void put_pointer(std::uint8_t*& p, const void* ptr) {
  std::memcpy(p, &ptr, sizeof ptr);
  p += sizeof ptr;
}
template <class T>
const T* get_pointer(const std::uint8_t*& p) {
  const T* ptr;
  std::memcpy(&ptr, p, sizeof ptr);
  p += sizeof ptr;
  return ptr;
}

// Whether a field holds something (its zero value means "not given").
template <class T>
bool given(const T& v) {
  if constexpr (std::is_same_v<T, UnitList>) {
    return !v.empty();
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    return !v.empty();
  } else {
    return v != T{};
  }
}

template <class T>
void put(std::uint8_t*& p, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    // the mask bit is the value
  } else if constexpr (std::is_enum_v<T> || std::is_same_v<T, std::uint8_t>) {
    static_assert(sizeof(T) == 1, "one byte");
    *p++ = static_cast<std::uint8_t>(v);
  } else if constexpr (std::is_same_v<T, TimeMs>) {
    put_varint(p, zigzag(v));
  } else if constexpr (std::is_unsigned_v<T>) {
    put_varint(p, v);
  } else if constexpr (std::is_same_v<T, UnitList>) {
    put_pointer(p, v.data);
    put_varint(p, v.size);
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    put_pointer(p, v.data());
    put_varint(p, v.size());
  } else {
    static_assert(sizeof(T) == 0, "a payload field of a type the log cannot pack");
  }
}

template <class T>
void get(const std::uint8_t*& p, T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    v = true;
  } else if constexpr (std::is_enum_v<T> || std::is_same_v<T, std::uint8_t>) {
    v = static_cast<T>(*p++);
  } else if constexpr (std::is_same_v<T, TimeMs>) {
    v = unzigzag(get_varint(p));
  } else if constexpr (std::is_unsigned_v<T>) {
    v = static_cast<T>(get_varint(p));
  } else if constexpr (std::is_same_v<T, UnitList>) {
    const UnitId* data = get_pointer<UnitId>(p);
    v = UnitList(data, get_varint(p));
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    const char* data = get_pointer<char>(p);
    v = std::string_view(data, get_varint(p));
  } else {
    static_assert(sizeof(T) == 0, "a payload field of a type the log cannot unpack");
  }
}

void put_link(std::uint8_t* p, PackedLog::Position next) {
  for (std::size_t i = 0; i < PackedLog::kLinkBytes; ++i)
    p[i] = static_cast<std::uint8_t>(next >> (8 * i));
}
PackedLog::Position get_link(const std::uint8_t* p) {
  PackedLog::Position next = 0;
  for (std::size_t i = 0; i < PackedLog::kLinkBytes; ++i)
    next |= static_cast<PackedLog::Position>(p[i]) << (8 * i);
  return next;
}

std::uint64_t mask_of(const Event& e) {
  std::uint64_t mask = 0;
  int bit = 0;
  const Payload& pl = e.payload;
#define JSZB_PACKED_MASK(kind, type, field, wire)       \
  if (given(pl.field)) mask |= std::uint64_t{1} << bit; \
  ++bit;
  JSZB_PAYLOAD_FIELDS(JSZB_PACKED_MASK)
#undef JSZB_PACKED_MASK
  if (e.actor.unit != 0) mask |= std::uint64_t{1} << kActorUnit;
  if (e.actor.staff != 0) mask |= std::uint64_t{1} << kActorStaff;
  if (e.intake != nullptr) mask |= std::uint64_t{1} << kIntake;
  if (e.policy_version != 0) mask |= std::uint64_t{1} << kPolicyVersion;
  if (!e.deadlines.empty()) mask |= std::uint64_t{1} << kDeadlines;
  return mask;
}

bool has(std::uint64_t mask, int bit) { return (mask >> bit & 1) != 0; }

}  // namespace

void PackedLog::reserve_one() {
  if (!regions_.empty() && ends_.back() + kMaxRecord <= kRegionAlign) return;
  regions_.reserve(regions_.size() + 1);
  ends_.reserve(ends_.size() + 1);
  regions_.emplace_back(allocate_region(kRegionAlign));
  ends_.push_back(0);
}

PackedLog::Position PackedLog::append(const Event& e) {
  std::uint8_t* start = region(regions_.size() - 1) + ends_.back();
  std::uint8_t* p = start;
  put_link(p, kNone);
  p += kLinkBytes;
  const std::uint64_t mask = mask_of(e);
  put_varint(p, mask);
  put_varint(p, e.case_id);
  put(p, e.time);
  put_varint(p, e.seq);
  put(p, e.type);
  put(p, e.state);
  put(p, e.actor.role);
  int bit = 0;
  const Payload& pl = e.payload;
#define JSZB_PACKED_PUT(kind, type, field, wire) \
  if (has(mask, bit)) put(p, pl.field);          \
  ++bit;
  JSZB_PAYLOAD_FIELDS(JSZB_PACKED_PUT)
#undef JSZB_PACKED_PUT
  if (has(mask, kActorUnit)) put(p, e.actor.unit);
  if (has(mask, kActorStaff)) put(p, e.actor.staff);
  if (has(mask, kIntake)) put_pointer(p, e.intake);
  if (has(mask, kPolicyVersion)) put(p, e.policy_version);
  if (has(mask, kDeadlines)) {
    put_pointer(p, e.deadlines.data);
    put_varint(p, e.deadlines.size);
  }
  const std::size_t length = static_cast<std::size_t>(p - start);
  const Position pos = (regions_.size() - 1) * kRegionAlign + ends_.back() + 1;
  ends_.back() += length;
  bytes_ += length;
  ++count_;
  return pos;
}

void PackedLog::set_next(Position pos, Position next) {
  put_link(region((pos - 1) / kRegionAlign) + (pos - 1) % kRegionAlign, next);
}

Event PackedLog::read(Position pos, Position* next) const {
  Event e;
  decode_into(region((pos - 1) / kRegionAlign) + (pos - 1) % kRegionAlign, &e, next);
  return e;
}

std::size_t PackedLog::decode_into(const std::uint8_t* start, Event* out, Position* next) {
  const std::uint8_t* p = start;
  *next = get_link(p);
  p += kLinkBytes;
  Event& e = *out;
  const std::uint64_t mask = get_varint(p);
  e.case_id = get_varint(p);
  get(p, e.time);
  e.seq = static_cast<std::uint32_t>(get_varint(p));
  get(p, e.type);
  get(p, e.state);
  get(p, e.actor.role);
  int bit = 0;
  Payload& pl = e.payload;
#define JSZB_PACKED_GET(kind, type, field, wire) \
  if (has(mask, bit)) get(p, pl.field);          \
  ++bit;
  JSZB_PAYLOAD_FIELDS(JSZB_PACKED_GET)
#undef JSZB_PACKED_GET
  if (has(mask, kActorUnit)) get(p, e.actor.unit);
  if (has(mask, kActorStaff)) get(p, e.actor.staff);
  if (has(mask, kIntake)) e.intake = get_pointer<Intake>(p);
  if (has(mask, kPolicyVersion)) get(p, e.policy_version);
  if (has(mask, kDeadlines)) {
    const DeadlineChange* data = get_pointer<DeadlineChange>(p);
    e.deadlines = {data, static_cast<std::uint32_t>(get_varint(p))};
  }
  return static_cast<std::size_t>(p - start);
}

}  // namespace jszb::core
