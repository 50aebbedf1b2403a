#include "model/theme.h"

#include <algorithm>

namespace jszb::core {

std::vector<std::string_view> path_levels(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t begin = 0;
  while (true) {
    std::size_t slash = path.find('/', begin);
    out.push_back(path.substr(begin, slash == std::string_view::npos ? slash : slash - begin));
    if (slash == std::string_view::npos) return out;
    begin = slash + 1;
  }
}

namespace {

bool area_matches(const Theme& theme, const Intake& in) {
  if (theme.areas.empty()) return true;
  return std::any_of(theme.areas.begin(), theme.areas.end(), [&](const std::string& area) {
    std::vector<std::string_view> levels = path_levels(area);
    if (levels[0] != in.location.district) return false;
    return levels.size() < 2 || levels[1] == in.location.street;
  });
}

bool category_matches(const std::string& prefix, const Intake& in) {
  std::vector<std::string_view> levels = path_levels(prefix);
  if (levels.size() > in.category.size()) return false;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (levels[i] != in.category[i]) return false;
  }
  return true;
}

}  // namespace

bool theme_matches(const Theme& theme, const Intake& in) {
  if (!area_matches(theme, in)) return false;
  for (const std::string& prefix : theme.categories) {
    if (category_matches(prefix, in)) return true;
  }
  return std::any_of(theme.keywords.begin(), theme.keywords.end(), [&](const std::string& k) {
    return in.content.find(k) != std::string_view::npos;
  });
}

}  // namespace jszb::core
