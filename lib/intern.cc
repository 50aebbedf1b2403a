#include "intern.h"

#include <algorithm>
#include <new>

namespace jszb::core {

const Intake* intern(const Intake& in, Arena& arena) {
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

Payload intern(const Payload& in, Arena& arena) {
  Payload copy = in;
  copy.copy_to = arena.copy(in.copy_to);
  copy.units = arena.copy(in.units);
  copy.text = arena.copy(in.text);
  copy.rule = arena.copy(in.rule);
  copy.request_id = arena.copy(in.request_id);
  return copy;
}

Event intern(const Event& in, Arena& arena) {
  Event copy = in;
  if (in.intake != nullptr) copy.intake = intern(*in.intake, arena);
  copy.payload = intern(in.payload, arena);
  copy.deadlines = intern(in.deadlines, arena);
  return copy;
}

DeadlineChanges intern(DeadlineChanges in, Arena& arena) {
  if (in.empty()) return {};
  auto* out = static_cast<DeadlineChange*>(
      arena.allocate_bytes(in.size * sizeof(DeadlineChange), alignof(DeadlineChange)));
  std::copy(in.begin(), in.end(), out);
  return {out, in.size};
}

Case intern(const Case& in, Arena& arena) {
  Case copy = in;
  if (in.intake != nullptr) copy.intake = intern(*in.intake, arena);
  copy.copy_to = arena.copy(in.copy_to);
  copy.co_handlers = arena.copy(in.co_handlers);
  // The credit usually names the case's own list: share the copy then.
  copy.credit.co_handlers = in.credit.co_handlers == in.co_handlers
                                ? copy.co_handlers
                                : arena.copy(in.credit.co_handlers);
  copy.reply.text = arena.copy(in.reply.text);
  return copy;
}

}  // namespace jszb::core
