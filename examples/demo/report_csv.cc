#include "report_csv.h"

namespace demo {

std::vector<std::vector<std::string>> csv_records(const std::string& text) {
  std::vector<std::vector<std::string>> records(1);
  std::string field;
  bool quoted = false;
  bool any = false;  // the current record has a field begun
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = any = true;
    } else if (c == ',') {
      records.back().push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n') {
      if (any || !field.empty()) records.back().push_back(std::move(field));
      field.clear();
      any = false;
      records.emplace_back();
    } else {
      field += c;
      any = true;
    }
  }
  if (any || !field.empty()) records.back().push_back(std::move(field));
  return records;
}

}  // namespace demo
