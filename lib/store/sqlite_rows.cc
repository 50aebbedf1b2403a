#include "store/sqlite_rows.h"

#include "absl/strings/str_format.h"
#include "base/utf8.h"
#include "store/store_fault.h"

namespace jszb::core {

// Takes the citizen's personal data out of an intake: it is stored apart.
void strip_personal(v1::Intake* in, v1::Contact* contact) {
  contact->Clear();
  v1::Location* loc = in->mutable_location();
  loc->clear_address();
  loc->clear_lat();
  loc->clear_lon();
  in->clear_content();
}

// Puts personal data back from the personal columns at `col` (name, phone,
// address, content, lat, lon); all NULL: erased.
absl::Status restore_personal(const Statement& st, int col, v1::Intake* in, v1::Contact* contact) {
  if (st.column_is_null(col)) {
    in->set_content(std::string(kErasedContent));
    return absl::OkStatus();
  }
  for (int c = col; c < col + 4; ++c) {
    std::string_view text = st.column_text(c);
    if (text.find('\0') != std::string_view::npos || !is_valid_utf8(text)) {
      return corrupt_store("a personal data column is not UTF-8 without NUL bytes");
    }
  }
  contact->set_name(std::string(st.column_text(col)));
  contact->set_phone(std::string(st.column_text(col + 1)));
  v1::Location* loc = in->mutable_location();
  loc->set_address(std::string(st.column_text(col + 2)));
  in->set_content(std::string(st.column_text(col + 3)));
  if (!st.column_is_null(col + 4)) {
    loc->set_lat(st.column_double(col + 4));
    loc->set_lon(st.column_double(col + 5));
  }
  return absl::OkStatus();
}

// The finished states, as the partial index cases_open names them.
std::string finished_states_sql() {
  std::string out;
  for (int s = 1; s <= kStateCount; ++s) {
    if (!is_finished(static_cast<State>(s))) continue;
    if (!out.empty()) out += ",";
    out += std::to_string(s);
  }
  return out;
}

// A damaged row: the store is corrupt.
absl::Status corrupt_store(const std::string& message) {
  return with_store_fault(absl::DataLossError(message), StoreFault::kCorrupt);
}

absl::Status corrupt(const std::string& path, std::string_view what, CaseId id,
                     const absl::Status& s) {
  return corrupt_store(
      absl::StrFormat("store %s: %s of case %d does not decode: %s", path, what, id, s.message()));
}

}  // namespace jszb::core
