// The two halves every format shares. Export: the cases an ExportOptions
// selects, one at a time, in id order, with the bytes buffered for the sink.
// Import: the rows grouped by case, all applied in one batch so that a bad
// row refuses everything, or, with skip_bad, the cases with a bad row left
// out whole (a second pass without them: no case is half-imported).
#ifndef JSZB_LIB_INTERCHANGE_CASE_STREAM_H
#define JSZB_LIB_INTERCHANGE_CASE_STREAM_H

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "interchange/interchange_options.h"

namespace jszb::core {

// Calls `write_case` with each selected case and a buffer to append its text
// to; the buffer goes to the sink whenever it has grown past a few pages.
absl::Status export_cases(const Engine& engine, const ExportOptions& options, const Sink& sink,
                          const std::function<absl::Status(const Case&, std::string*)>& write_case);

// Applies `groups` groups of rows with `apply` (which adds the bad rows it
// finds to `bad`; a non-OK status is a failure of the store or the engine,
// not of the data, and stops the import with nothing imported).
// InvalidArgument, nothing imported, when a row is bad without skip_bad: the
// result (every bad row) is still written to `out`.
absl::Status run_import(Engine& engine, const ImportOptions& options, std::size_t groups,
                        const std::function<absl::Status(std::size_t, std::vector<BadRow>*)>& apply,
                        ImportResult* out);

// Whether a failure is the row's fault (a bad row) rather than the store's
// or the library's (which stops the import).
bool is_bad_row(const absl::Status& status);

// Lines of `data` (without their "\n" or "\r\n"), with their 1-based numbers.
struct Line {
  std::uint64_t number = 0;
  std::string_view text;
};
std::vector<Line> split_lines(std::string_view data);

}  // namespace jszb::core

#endif  // JSZB_LIB_INTERCHANGE_CASE_STREAM_H
