// The report's themes section (每月一题) as CSV tables and as HTML, apart
// from report_render.cc so that the section is one piece.
#ifndef JSZB_LIB_REPORT_THEMES_RENDER_H
#define JSZB_LIB_REPORT_THEMES_RENDER_H

#include <string>

#include "model/proto_schema.h"

namespace jszb::core {

// "# themes", "# theme_trend", "# theme_tasks" and "# theme_candidates".
std::string themes_csv(const v1::Report& r);
// The section after the groups: each theme's trend before and after its
// start, its tasks and their states, and the candidates for the next one.
std::string themes_html(const v1::Report& r);

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_THEMES_RENDER_H
