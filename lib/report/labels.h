// Chinese names for what a report shows people: channels, kinds of request,
// case states, theme task states and unit classes. One table for the HTML page; the JSON and
// CSV keep the English identifiers.
#ifndef JSZB_LIB_REPORT_LABELS_H
#define JSZB_LIB_REPORT_LABELS_H

#include <string>
#include <string_view>

#include "model/proto_schema.h"

namespace jszb::core {

// The Chinese name of a channel, kind or state given by its English
// identifier (as in model/names.h, e.g. "wechat_mini" -> "微信小程序");
// an identifier the table does not know comes back unchanged.
std::string chinese_label(std::string_view identifier);
// A unit class as the CSV names it ("street", "department", …; "unit" for
// none) and its Chinese name (街道乡镇 for UNIT_CLASS_STREET).
std::string class_identifier(v1::UnitClass c);
std::string chinese_class(v1::UnitClass c);

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_LABELS_H
