// Importing a file of Open311 service requests (what another city system, or
// GET requests, gives) into an engine: each request a submission at its
// requested_datetime, and a closed one finished as the centre's answer at its
// updated_datetime with its status_notes (docs/open311.md). All in one batch:
// with a bad request, nothing is imported unless the bad ones are skipped.
#ifndef JSZB_LIB_INTERCHANGE_OPEN311_IMPORT_H
#define JSZB_LIB_INTERCHANGE_OPEN311_IMPORT_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "interchange/open311_writer.h"

namespace jszb::core::open311 {

struct ImportProblem {
  std::size_t position = 0;  // 1-based, in the file's order
  std::string reason;        // "request 3 (line 17): requested_datetime is missing"
};

struct ImportResult {
  std::uint64_t imported = 0;  // new cases
  std::uint64_t known = 0;     // already imported (the same service_request_id): unchanged
  std::vector<ImportProblem> bad;
};

// A file that cannot be read, or (skip_bad false) any bad request: an
// InvalidArgument naming the first few, and nothing imported. Not inside a
// batch of the caller's.
absl::StatusOr<ImportResult> import_requests(Engine& engine, std::string_view data, Format format,
                                             bool skip_bad);

}  // namespace jszb::core::open311

#endif  // JSZB_LIB_INTERCHANGE_OPEN311_IMPORT_H
