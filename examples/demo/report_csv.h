// report_csv.h: a report of the library read back from its CSV (jszb_engine_report,
// jszb_report_render), section by section and by column name.
#ifndef JSZB_EXAMPLES_DEMO_REPORT_CSV_H
#define JSZB_EXAMPLES_DEMO_REPORT_CSV_H

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace demo {

// The records of a CSV text (RFC 4180 quoting; a quoted field may hold
// commas, quotes and line breaks); a blank line is an empty record.
std::vector<std::vector<std::string>> csv_records(const std::string& text);

// A report's CSV by section ("# units" ...): each a header and its rows, read
// by column name, so that columns added later do not move anything.
class CsvReport {
 public:
  explicit CsvReport(const std::string& text) {
    std::vector<std::vector<std::string>>* rows = nullptr;
    for (auto& record : csv_records(text)) {
      if (record.empty()) continue;
      if (record.size() == 1 && record[0].rfind("# ", 0) == 0) {
        rows = &sections_[record[0].substr(2)];
      } else if (rows != nullptr) {
        rows->push_back(std::move(record));
      }
    }
  }
  // The rows of a section, without its header.
  std::size_t size(const std::string& section) const {
    auto it = sections_.find(section);
    return it == sections_.end() || it->second.empty() ? 0 : it->second.size() - 1;
  }
  // Field `column` of row i of the section ("" if there is none).
  std::string at(const std::string& section, std::size_t i, const std::string& column) const {
    auto it = sections_.find(section);
    if (it == sections_.end() || i + 1 >= it->second.size()) return "";
    const std::vector<std::string>& header = it->second[0];
    const std::vector<std::string>& row = it->second[i + 1];
    auto c =
        static_cast<std::size_t>(std::find(header.begin(), header.end(), column) - header.begin());
    return c < header.size() && c < row.size() ? row[c] : "";
  }
  long long number(const std::string& section, std::size_t i, const std::string& column) const {
    std::string v = at(section, i, column);
    return v.empty() ? 0 : std::stoll(v);
  }
  double real(const std::string& section, std::size_t i, const std::string& column) const {
    std::string v = at(section, i, column);
    return v.empty() ? 0 : std::stod(v);
  }

 private:
  std::map<std::string, std::vector<std::vector<std::string>>> sections_;
};

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_REPORT_CSV_H
