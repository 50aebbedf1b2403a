#include "model/deep_copy.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace jszb::core {

UnitList deep_copy(UnitList units, Arena& arena) { return concat(units, {}, arena); }

UnitList concat(UnitList units, UnitList more, Arena& arena) {
  std::size_t n = std::size_t{units.size} + more.size;
  if (n == 0) return {};
  auto* p = static_cast<UnitId*>(arena.allocate_bytes(n * sizeof(UnitId), alignof(UnitId)));
  if (units.size) std::memcpy(p, units.data, units.size * sizeof(UnitId));
  if (more.size) std::memcpy(p + units.size, more.data, more.size * sizeof(UnitId));
  return {p, n};
}

const Intake* deep_copy(const Intake& in, Arena& arena) {
  Intake copy = in;
  copy.channel_ref = arena.copy(in.channel_ref);
  for (auto& level : copy.category) level = arena.copy(level);
  copy.location.district = arena.copy(in.location.district);
  copy.location.street = arena.copy(in.location.street);
  copy.location.community = arena.copy(in.location.community);
  copy.location.address = arena.copy(in.location.address);
  copy.content = arena.copy(in.content);
  copy.contact.name = arena.copy(in.contact.name);
  copy.contact.phone = arena.copy(in.contact.phone);
  return arena.make<Intake>(copy);
}

namespace {
// A payload field as the copy keeps it: lists and text into the arena, the
// rest as it is.
template <class T>
T copied(T value, Arena&) {
  return value;
}
UnitList copied(UnitList units, Arena& arena) { return deep_copy(units, arena); }
std::string_view copied(std::string_view text, Arena& arena) { return arena.copy(text); }
}  // namespace

Payload deep_copy(const Payload& in, Arena& arena) {
  Payload copy;
#define JSZB_PAYLOAD_COPY(kind, type, field, wire) copy.field = copied(in.field, arena);
  JSZB_PAYLOAD_FIELDS(JSZB_PAYLOAD_COPY)
#undef JSZB_PAYLOAD_COPY
  return copy;
}

Event deep_copy(const Event& in, Arena& arena) {
  Event copy = in;
  if (in.intake != nullptr) copy.intake = deep_copy(*in.intake, arena);
  copy.payload = deep_copy(in.payload, arena);
  copy.deadlines = deep_copy(in.deadlines, arena);
  return copy;
}

DeadlineChanges deep_copy(DeadlineChanges in, Arena& arena) {
  if (in.empty()) return {};
  auto* out = static_cast<DeadlineChange*>(
      arena.allocate_bytes(in.size * sizeof(DeadlineChange), alignof(DeadlineChange)));
  std::copy(in.begin(), in.end(), out);
  return {out, in.size};
}

Case deep_copy(const Case& in, Arena& arena) {
  Case copy = in;
  if (in.intake != nullptr) copy.intake = deep_copy(*in.intake, arena);
  copy.copy_to = deep_copy(in.copy_to, arena);
  copy.co_handlers = deep_copy(in.co_handlers, arena);
  // The credit usually names the case's own list: share the copy then.
  copy.credit.co_handlers = in.credit.co_handlers == in.co_handlers
                                ? copy.co_handlers
                                : deep_copy(in.credit.co_handlers, arena);
  copy.reply.text = arena.copy(in.reply.text);
  copy.deadlines = in.deadlines.copied_to(arena);
  return copy;
}

}  // namespace jszb::core
