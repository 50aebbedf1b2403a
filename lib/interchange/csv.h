// CSV as RFC 4180 has it: fields separated by commas, records by CRLF (LF
// accepted on reading), a field quoted when it holds a comma, a quote or a
// line break, with its quotes doubled. UTF-8; a byte order mark at the start
// (as Excel writes) is skipped on reading.
#ifndef JSZB_LIB_INTERCHANGE_CSV_H
#define JSZB_LIB_INTERCHANGE_CSV_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace jszb::core {

// Appends one record (and its CRLF).
void append_csv_record(const std::vector<std::string>& fields, std::string* out);

struct CsvRecord {
  std::uint64_t line = 0;  // the line it starts on, 1-based
  std::vector<std::string> fields;
};

class CsvReader {
 public:
  explicit CsvReader(std::string_view data);
  // The next record into `out`: true, or false at the end. A malformed record
  // (a quote inside an unquoted field, text after a closing quote, a quoted
  // field never closed) is InvalidArgument saying what is wrong; `out->line`
  // is its line, and reading goes on at the next line.
  absl::StatusOr<bool> next(CsvRecord* out);

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_INTERCHANGE_CSV_H
