// text_table.h: plain-text tables whose columns line up in a terminal even with
// Chinese text (CJK characters take two columns).
#ifndef JSZB_EXAMPLES_DEMO_TEXT_TABLE_H
#define JSZB_EXAMPLES_DEMO_TEXT_TABLE_H

#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace demo {

// Terminal columns taken by UTF-8 text (East Asian wide characters count 2).
int display_width(std::string_view utf8);

enum class Align { kLeft, kRight };
std::string pad(std::string_view s, int width, Align align);

// "17.9%"; "-" when den is 0.
std::string percent(long long num, long long den);

// Items joined with two spaces after `lead`, wrapped before `width` columns
// (continuation lines indented under the first item).
void print_wrapped(std::ostream& out, const std::string& lead,
                   const std::vector<std::string>& items, int width = 110);

// (name, count) pairs, largest first, ties by name.
std::vector<std::pair<std::string, int>> ranked(const std::map<std::string, int>& m);

class TextTable {
 public:
  TextTable& column(std::string header, Align align = Align::kLeft);
  TextTable& row(std::vector<std::string> cells);
  TextTable& rule();  // a separator line before the next row
  void print(std::ostream& out, std::string_view indent = "  ") const;

 private:
  struct Column {
    std::string header;
    Align align;
  };
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;  // an empty row is a rule
};

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_TEXT_TABLE_H
