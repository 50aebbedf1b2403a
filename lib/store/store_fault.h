// What went wrong with a store file, carried on an absl::Status as a payload
// so that the C ABI can hand it out as its own error code (a disk that is full
// is not memory that is short, though both are "resource exhausted").
#ifndef JSZB_LIB_STORE_STORE_FAULT_H
#define JSZB_LIB_STORE_STORE_FAULT_H

#include <string_view>

#include "absl/status/status.h"

namespace jszb::core {

enum class StoreFault {
  kNone,
  kStorage,  // disk full, size limit, read-only file, I/O error: nothing was written
  kLocked,   // another process has the store open
  kCorrupt,  // the file is damaged or not a jszb store
  kVersion,  // the store's schema is newer than this library
};

absl::Status with_store_fault(absl::Status status, StoreFault fault);
StoreFault store_fault_of(const absl::Status& status);
// The same status (code and fault) with a message that says more.
absl::Status with_message(const absl::Status& status, std::string_view message);

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_STORE_FAULT_H
