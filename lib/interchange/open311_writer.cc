#include "interchange/open311_writer.h"

#include <utility>

#include "absl/strings/str_format.h"

namespace jszb::core::open311 {

Field text(std::string_view key, std::string_view value) {
  return {key, std::string(value), Field::Kind::kText};
}
Field number(std::string_view key, std::string value) {
  return {key, std::move(value), Field::Kind::kNumber};
}
Field boolean(std::string_view key, bool value) {
  return {key, value ? "true" : "false", Field::Kind::kBool};
}
Field null(std::string_view key) { return {key, "", Field::Kind::kNull}; }

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", static_cast<int>(c));
        } else {
          out += ch;  // UTF-8 passes as it is (the engine only holds valid UTF-8)
        }
    }
  }
  return out;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";  // not allowed in XML 1.0, even as a reference
        } else {
          out += ch;
        }
    }
  }
  return out;
}

namespace {

void write_json(const Record& r, std::string& out) {
  out += '{';
  bool first = true;
  for (const Field& f : r) {
    if (!first) out += ',';
    first = false;
    out += "\"";
    out += f.key;
    out += "\":";
    switch (f.kind) {
      case Field::Kind::kText:
        out += "\"";
        out += json_escape(f.value);
        out += "\"";
        break;
      case Field::Kind::kNumber:
      case Field::Kind::kBool:
        out += f.value;
        break;
      case Field::Kind::kNull:
        out += "null";
        break;
    }
  }
  out += '}';
}

void write_xml(const Record& r, std::string_view item, std::string& out) {
  out += "<";
  out += item;
  out += ">";
  for (const Field& f : r) {
    if (f.kind == Field::Kind::kNull || f.value.empty()) {
      out += "<";
      out += f.key;
      out += "/>";
    } else {
      out += "<";
      out += f.key;
      out += ">";
      out += xml_escape(f.value);
      out += "</";
      out += f.key;
      out += ">";
    }
  }
  out += "</";
  out += item;
  out += ">";
}

}  // namespace

std::string write_records(const std::vector<Record>& records, Format format, std::string_view root,
                          std::string_view item) {
  std::string out;
  if (format == Format::kJson) {
    out += '[';
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (i > 0) out += ',';
      write_json(records[i], out);
    }
    out += "]\n";
    return out;
  }
  out += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<";
  out += root;
  out += ">";
  for (const Record& r : records) write_xml(r, item, out);
  out += "</";
  out += root;
  out += ">\n";
  return out;
}

}  // namespace jszb::core::open311
