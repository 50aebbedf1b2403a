// The JSON Lines export and import (docs/interchange.md): per case, a line
// {"record":"case",...} (the case as it stands, without its history), then a
// line {"record":"event",...} for each event in order, in the export form of
// export_json.h. Importing replays the events (as jszb_engine_replay_json
// does) and checks each case line against the case they rebuild, so
// export -> import into a fresh store -> export gives the same bytes.
#ifndef JSZB_LIB_INTERCHANGE_JSONL_H
#define JSZB_LIB_INTERCHANGE_JSONL_H

#include <string_view>

#include "absl/status/status.h"
#include "engine/engine.h"
#include "interchange/interchange_options.h"

namespace jszb::core {

absl::Status export_jsonl(const Engine& engine, const ExportOptions& options, const Sink& sink);

// See run_import (case_stream.h) for the outcome and `out`.
absl::Status import_jsonl(Engine& engine, const ImportOptions& options, std::string_view data,
                          ImportResult* out);

}  // namespace jszb::core

#endif  // JSZB_LIB_INTERCHANGE_JSONL_H
