// A report for people: CSV for spreadsheets, HTML for a browser.
#ifndef JSZB_LIB_REPORT_REPORT_RENDER_H
#define JSZB_LIB_REPORT_REPORT_RENDER_H

#include <string>

#include "model/proto_schema.h"

namespace jszb::core {

// The report as CSV: one table per section, each headed by its name.
std::string report_csv(const v1::Report& report);
// The report as one self-contained HTML page (inline CSS and SVG charts, no
// script, nothing fetched).
std::string report_html(const v1::Report& report);

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_REPORT_RENDER_H
