#include "interchange/csv.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace jszb::core {

void append_csv_record(const std::vector<std::string>& fields, std::string* out) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out->append(f);
    } else {
      absl::StrAppend(out, "\"", absl::StrReplaceAll(f, {{"\"", "\"\""}}), "\"");
    }
  }
  out->append("\r\n");
}

CsvReader::CsvReader(std::string_view data) : data_(data) {
  if (data_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

absl::StatusOr<bool> CsvReader::next(CsvRecord* out) {
  if (pos_ >= data_.size()) return false;
  out->line = line_;
  out->fields.assign(1, std::string());
  auto fail = [&](std::string_view what) -> absl::Status {
    // Go on after the end of this line.
    std::size_t nl = data_.find('\n', pos_);
    pos_ = nl == std::string_view::npos ? data_.size() : nl + 1;
    ++line_;
    return absl::InvalidArgumentError(std::string(what));
  };
  bool quoted = false, was_quoted = false;
  while (pos_ < data_.size()) {
    char c = data_[pos_++];
    std::string& field = out->fields.back();
    if (quoted) {
      if (c == '"') {
        if (pos_ < data_.size() && data_[pos_] == '"') {
          field.push_back('"');
          ++pos_;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line_;
        field.push_back(c);
      }
      continue;
    }
    if (c == ',') {
      out->fields.emplace_back();
      was_quoted = false;
    } else if (c == '\n' || (c == '\r' && pos_ < data_.size() && data_[pos_] == '\n')) {
      if (c == '\r') ++pos_;
      ++line_;
      return true;
    } else if (was_quoted) {
      return fail("text after a closing quote");
    } else if (c == '"') {
      if (!field.empty()) return fail("a quote inside an unquoted field");
      quoted = was_quoted = true;
    } else {
      field.push_back(c);
    }
  }
  if (quoted) return fail("a quoted field is never closed");
  return true;
}

}  // namespace jszb::core
