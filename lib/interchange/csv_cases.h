// CSV of requests and their outcomes, one row per case (the columns are
// docs/interchange.md's table, kCsvColumns below). Importing a row records
// the request and then the commands that bring it to its recorded outcome at
// the recorded times (dispatch, sign, reply, visit, close; or answer on the
// spot, or not dispatched); a row whose outcome the lifecycle cannot reach
// that way is a bad row.
#ifndef JSZB_LIB_INTERCHANGE_CSV_CASES_H
#define JSZB_LIB_INTERCHANGE_CSV_CASES_H

#include <array>
#include <string_view>

#include "absl/status/status.h"
#include "engine/engine.h"
#include "interchange/interchange_options.h"

namespace jszb::core {

inline constexpr std::array<std::string_view, 34> kCsvColumns = {"id",
                                                                 "received",
                                                                 "channel",
                                                                 "channel_ref",
                                                                 "kind",
                                                                 "category_1",
                                                                 "category_2",
                                                                 "category_3",
                                                                 "urgency",
                                                                 "district",
                                                                 "street",
                                                                 "community",
                                                                 "address",
                                                                 "lat",
                                                                 "lon",
                                                                 "content",
                                                                 "contact_name",
                                                                 "contact_phone",
                                                                 "state",
                                                                 "lead_unit",
                                                                 "lead_unit_name",
                                                                 "dispatched",
                                                                 "signed",
                                                                 "replied",
                                                                 "reply_contacted",
                                                                 "reply_solved",
                                                                 "reply_text",
                                                                 "visited",
                                                                 "visit_valid",
                                                                 "visit_contacted",
                                                                 "visit_solved",
                                                                 "satisfaction",
                                                                 "closed",
                                                                 "not_dispatched_reason"};

absl::Status export_csv(const Engine& engine, const ExportOptions& options, const Sink& sink);

// See run_import (case_stream.h) for the outcome and `out`.
absl::Status import_csv(Engine& engine, const ImportOptions& options, std::string_view data,
                        ImportResult* out);

}  // namespace jszb::core

#endif  // JSZB_LIB_INTERCHANGE_CSV_CASES_H
