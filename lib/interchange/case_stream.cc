#include "interchange/case_stream.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/progress.h"
#include "store/case_filter.h"
#include "store/store_fault.h"

namespace jszb::core {
namespace {

constexpr std::size_t kFlushAt = 64 * 1024;

// Applies the groups not left out, in order; `bad_groups` marks those with a bad row.
absl::Status apply_groups(
    const ImportOptions& options, std::size_t groups, const std::vector<bool>* leave_out,
    const std::function<absl::Status(std::size_t, std::vector<BadRow>*)>& apply,
    std::vector<bool>* bad_groups, std::vector<BadRow>* bad) {
  ProgressTicker ticker(options.progress, "import", groups, 256);
  for (std::size_t g = 0; g < groups; ++g) {
    if (leave_out == nullptr || !(*leave_out)[g]) {
      std::size_t before = bad->size();
      if (absl::Status s = apply(g, bad); !s.ok()) return s;
      if (bad->size() != before) (*bad_groups)[g] = true;
    }
    if (absl::Status s = ticker.tick(); !s.ok()) return s;
  }
  return ticker.finish();
}

}  // namespace

absl::Status export_cases(
    const Engine& engine, const ExportOptions& options, const Sink& sink,
    const std::function<absl::Status(const Case&, std::string*)>& write_case) {
  CaseFilter filter;
  filter.district = options.district;
  filter.received_from = options.from;
  filter.received_until = options.until;
  absl::StatusOr<std::vector<CaseId>> ids = engine.list(filter);
  if (!ids.ok()) return ids.status();
  ProgressTicker ticker(options.progress, "export", ids->size(), 256);
  std::string buffer;
  absl::Status status;
  absl::Status listed = engine.for_each_case(*ids, [&](const Case& c) {
    if (status.ok()) status = write_case(c, &buffer);
    if (status.ok() && buffer.size() >= kFlushAt) {
      status = sink(buffer);
      buffer.clear();
    }
    if (status.ok()) status = ticker.tick();
  });
  if (!listed.ok()) return listed;
  if (!status.ok()) return status;
  if (!buffer.empty()) {
    if (absl::Status s = sink(buffer); !s.ok()) return s;
  }
  return ticker.finish();
}

absl::Status run_import(Engine& engine, const ImportOptions& options, std::size_t groups,
                        const std::function<absl::Status(std::size_t, std::vector<BadRow>*)>& apply,
                        ImportResult* out) {
  if (absl::Status s = engine.begin(); !s.ok()) return s;
  std::vector<bool> bad_groups(groups, false);
  std::vector<BadRow> bad;
  absl::Status s = apply_groups(options, groups, nullptr, apply, &bad_groups, &bad);
  if (s.ok() && bad.empty()) {
    if (s = engine.commit(); s.ok()) *out = ImportResult{groups, 0, {}};
    return s;
  }
  engine.rollback();
  if (!s.ok()) return s;
  std::size_t skipped = 0;
  for (bool b : bad_groups) skipped += b ? 1 : 0;
  if (!options.skip_bad) {
    *out = ImportResult{0, 0, std::move(bad)};
    return absl::InvalidArgumentError(
        absl::StrCat(out->bad.size(), " bad rows, nothing imported; the first, line ",
                     out->bad.front().line, ": ", out->bad.front().message));
  }
  // Again without the cases that had a bad row: they are left out whole.
  if (s = engine.begin(); !s.ok()) return s;
  std::vector<bool> again(groups, false);
  std::vector<BadRow> new_bad;
  s = apply_groups(options, groups, &bad_groups, apply, &again, &new_bad);
  if (s.ok() && !new_bad.empty()) {
    s = absl::InternalError(absl::StrCat("line ", new_bad.front().line, " failed only once the ",
                                         "bad rows were left out: ", new_bad.front().message));
  }
  if (s.ok()) s = engine.commit();
  if (!s.ok()) {
    if (engine.in_batch()) engine.rollback();
    return s;
  }
  *out = ImportResult{groups - skipped, skipped, std::move(bad)};
  return absl::OkStatus();
}

bool is_bad_row(const absl::Status& status) {
  if (store_fault_of(status) != StoreFault::kNone) return false;
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kCancelled:
      return false;
    default:
      return true;
  }
}

std::vector<Line> split_lines(std::string_view data) {
  std::vector<Line> lines;
  std::uint64_t number = 0;
  while (!data.empty()) {
    std::size_t end = data.find('\n');
    std::string_view text = data.substr(0, end);
    data.remove_prefix(end == std::string_view::npos ? data.size() : end + 1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    lines.push_back({++number, text});
  }
  return lines;
}

}  // namespace jszb::core
