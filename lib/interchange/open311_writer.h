// Open311 documents in JSON or XML from one list of records: each record is
// a list of named fields, written as a JSON array of objects or as
// <root><item>...</item></root>, so that both forms say exactly the same.
#ifndef JSZB_LIB_INTERCHANGE_OPEN311_WRITER_H
#define JSZB_LIB_INTERCHANGE_OPEN311_WRITER_H

#include <string>
#include <string_view>
#include <vector>

namespace jszb::core::open311 {

enum class Format { kJson = 1, kXml = 2 };

struct Field {
  enum class Kind { kText, kNumber, kBool, kNull };
  std::string_view key;  // a name of the spec (ASCII), or one of jszb's own
  std::string value;     // kText: UTF-8; kNumber: a JSON number; kBool: "true"/"false"
  Kind kind = Kind::kText;
};
using Record = std::vector<Field>;

Field text(std::string_view key, std::string_view value);
Field number(std::string_view key, std::string value);
Field boolean(std::string_view key, bool value);
Field null(std::string_view key);

// `root` and `item` name the XML elements ("services", "service"); JSON has
// no names for them.
std::string write_records(const std::vector<Record>& records, Format format, std::string_view root,
                          std::string_view item);

// Text escaped for a JSON string (without the quotes), or for XML character
// data. XML 1.0 cannot carry most control characters at all: they become
// U+FFFD there.
std::string json_escape(std::string_view s);
std::string xml_escape(std::string_view s);

}  // namespace jszb::core::open311

#endif  // JSZB_LIB_INTERCHANGE_OPEN311_WRITER_H
