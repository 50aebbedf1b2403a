#include "text_table.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace demo {

namespace {

bool is_wide(std::uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
         (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

}  // namespace

int display_width(std::string_view s) {
  int width = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = b;
    std::size_t n = 1;
    if (b >= 0xF0) {
      cp = b & 0x07u;
      n = 4;
    } else if (b >= 0xE0) {
      cp = b & 0x0Fu;
      n = 3;
    } else if (b >= 0xC0) {
      cp = b & 0x1Fu;
      n = 2;
    }
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    }
    i += n;
    width += is_wide(cp) ? 2 : 1;
  }
  return width;
}

void print_wrapped(std::ostream& out, const std::string& lead,
                   const std::vector<std::string>& items, int width) {
  std::string line = lead;
  int indent = display_width(lead);
  int w = indent;
  bool first = true;
  for (const std::string& item : items) {
    int iw = display_width(item);
    if (!first && w + 2 + iw > width) {
      out << line << '\n';
      line = std::string(static_cast<std::size_t>(indent), ' ');
      w = indent;
      first = true;
    }
    if (!first) {
      line += "  ";
      w += 2;
    }
    line += item;
    w += iw;
    first = false;
  }
  out << line << '\n';
}

std::vector<std::pair<std::string, int>> ranked(const std::map<std::string, int>& m) {
  std::vector<std::pair<std::string, int>> v(m.begin(), m.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return v;
}

std::string pad(std::string_view s, int width, Align align) {
  int fill = std::max(0, width - display_width(s));
  std::string spaces(static_cast<std::size_t>(fill), ' ');
  return align == Align::kLeft ? std::string(s) + spaces : spaces + std::string(s);
}

std::string percent(long long num, long long den) {
  if (den == 0) return "-";
  long long tenths = (num * 1000 + den / 2) / den;  // rounded, integer only
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%lld%%", tenths / 10, tenths % 10);
  return buf;
}

TextTable& TextTable::column(std::string header, Align align) {
  columns_.push_back({std::move(header), align});
  return *this;
}

TextTable& TextTable::row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
  return *this;
}

TextTable& TextTable::rule() {
  rows_.emplace_back();
  return *this;
}

void TextTable::print(std::ostream& out, std::string_view indent) const {
  std::vector<int> widths;
  for (const Column& c : columns_) widths.push_back(display_width(c.header));
  for (const auto& r : rows_) {
    for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], display_width(r[i]));
  }
  int total = 0;
  for (int w : widths) total += w;
  total += 2 * static_cast<int>(widths.size() > 0 ? widths.size() - 1 : 0);

  auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string s(indent);
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const std::string& cell = header ? columns_[i].header : cells[i];
      s += pad(cell, widths[i], columns_[i].align);
      if (i + 1 < columns_.size()) s += "  ";
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out << s << '\n';
  };
  std::string ruler = std::string(indent) + std::string(static_cast<std::size_t>(total), '-');
  line({}, true);
  out << ruler << '\n';
  for (const auto& r : rows_) {
    if (r.empty()) {
      out << ruler << '\n';
    } else {
      line(r, false);
    }
  }
}

}  // namespace demo
