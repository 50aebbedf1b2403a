#include "store/store_fault.h"

#include <string>

#include "absl/strings/cord.h"

namespace jszb::core {

namespace {
constexpr char kTypeUrl[] = "type.jszb.dev/jszb.StoreFault";
}  // namespace

absl::Status with_store_fault(absl::Status status, StoreFault fault) {
  if (!status.ok() && fault != StoreFault::kNone) {
    char digit = static_cast<char>('0' + static_cast<int>(fault));
    status.SetPayload(kTypeUrl, absl::Cord(std::string(1, digit)));
  }
  return status;
}

StoreFault store_fault_of(const absl::Status& status) {
  auto payload = status.GetPayload(kTypeUrl);  // absl::optional in this abseil
  if (!payload || payload->size() != 1) return StoreFault::kNone;
  int v = (*payload)[0] - '0';
  if (v < 0 || v > static_cast<int>(StoreFault::kVersion)) return StoreFault::kNone;
  return static_cast<StoreFault>(v);
}

absl::Status with_message(const absl::Status& status, std::string_view message) {
  return with_store_fault(
      absl::Status(status.code(), absl::string_view(message.data(), message.size())),
      store_fault_of(status));
}

}  // namespace jszb::core
