// What every import and export format shares: which cases leave, where the
// bytes go, and what an import did (docs/interchange.md).
#ifndef JSZB_LIB_INTERCHANGE_INTERCHANGE_OPTIONS_H
#define JSZB_LIB_INTERCHANGE_INTERCHANGE_OPTIONS_H

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "base/progress.h"
#include "jszb/types.hpp"

namespace jszb::core {

struct ExportOptions {
  // Cases received in [from, until); 0: an open end.
  TimeMs from = 0;
  TimeMs until = 0;
  std::string district;  // by the name the intake gave; empty: every district
  // The citizen's contact and exact address leave only when asked for.
  bool with_personal = false;
  ProgressFn progress;  // stage "export", in cases
};

// Where an export's bytes go, a piece at a time (a city's year is gigabytes);
// an error stops the export and is returned.
using Sink = std::function<absl::Status(std::string_view)>;

struct ImportOptions {
  // Bad rows are left out (and reported); otherwise one bad row refuses the
  // whole import and nothing is imported.
  bool skip_bad = false;
  ProgressFn progress;  // stage "import", in lines
};

struct BadRow {
  std::uint64_t line = 0;  // 1-based line of the file
  std::string message;
};

struct ImportResult {
  std::uint64_t imported = 0;  // cases imported
  std::uint64_t skipped = 0;   // cases left out for bad rows (skip_bad)
  std::vector<BadRow> bad;     // every bad row, in file order
};

}  // namespace jszb::core

#endif  // JSZB_LIB_INTERCHANGE_INTERCHANGE_OPTIONS_H
