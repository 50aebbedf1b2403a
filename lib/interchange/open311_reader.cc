#include "interchange/open311_reader.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/utf8.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace jszb::core::open311 {

namespace {

absl::StatusOr<std::vector<ReadRequest>> read_json(std::string_view data) {
  google::protobuf::ListValue list;
  auto parsed = google::protobuf::util::JsonStringToMessage(std::string(data), &list);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the file is not a JSON array of requests: ", std::string(parsed.message())));
  }
  std::vector<ReadRequest> out;
  for (int i = 0; i < list.values_size(); ++i) {
    ReadRequest r;
    r.where = absl::StrCat("request ", i + 1);
    const google::protobuf::Value& v = list.values(i);
    if (v.kind_case() != google::protobuf::Value::kStructValue) {
      return absl::InvalidArgumentError(absl::StrCat(r.where, ": not a JSON object"));
    }
    for (const auto& [key, value] : v.struct_value().fields()) {
      switch (value.kind_case()) {
        case google::protobuf::Value::kStringValue:
          if (!value.string_value().empty()) r.fields[key] = value.string_value();
          break;
        case google::protobuf::Value::kNumberValue:
          r.fields[key] = absl::StrFormat("%.17g", value.number_value());
          break;
        case google::protobuf::Value::kBoolValue:
          r.fields[key] = value.bool_value() ? "true" : "false";
          break;
        case google::protobuf::Value::kNullValue:
          break;
        default:
          return absl::InvalidArgumentError(
              absl::StrFormat("%s: %s is neither text nor a number", r.where, key));
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

// A small reader for the flat XML Open311 uses: elements holding text or
// nothing, the five named entities and character references. Anything else
// (attributes, CDATA, nested elements in a field) is refused by line.
class XmlReader {
 public:
  explicit XmlReader(std::string_view s) : s_(s) {}

  absl::StatusOr<std::vector<ReadRequest>> read() {
    skip_prolog();
    if (absl::Status st = open_tag("service_requests"); !st.ok()) return st;
    std::vector<ReadRequest> out;
    for (;;) {
      skip_space();
      if (at("</")) break;
      ReadRequest r;
      r.where = absl::StrFormat("request %d (line %d)", out.size() + 1, line());
      if (absl::Status st = open_tag("request"); !st.ok()) return st;
      if (absl::Status st = fields(r); !st.ok()) return st;
      out.push_back(std::move(r));
    }
    if (absl::Status st = close_tag("service_requests"); !st.ok()) return st;
    skip_space();
    if (pos_ != s_.size()) return error("text after </service_requests>");
    return out;
  }

 private:
  absl::Status fields(ReadRequest& r) {
    for (;;) {
      skip_space();
      if (at("</")) return close_tag("request");
      if (!at("<")) return error("expected a field's element");
      ++pos_;
      std::string name = take_name();
      if (name.empty()) return error("expected an element name");
      if (at("/>")) {
        pos_ += 2;
        continue;
      }
      if (!at(">")) return error(absl::StrCat("<", name, "> has attributes (none are read)"));
      ++pos_;
      absl::StatusOr<std::string> text = take_text();
      if (!text.ok()) return text.status();
      if (absl::Status st = close_tag(name); !st.ok()) return st;
      if (!text->empty()) r.fields[name] = *std::move(text);
    }
  }

  void skip_prolog() {
    for (;;) {
      skip_space();
      if (at("<?")) {
        skip_past("?>");
      } else if (at("<!--")) {
        skip_past("-->");
      } else {
        return;
      }
    }
  }
  void skip_past(std::string_view end) {
    std::size_t at = s_.find(end, pos_);
    pos_ = at == std::string_view::npos ? s_.size() : at + end.size();
  }
  void skip_space() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool at(std::string_view t) const { return s_.substr(pos_, t.size()) == t; }
  std::string take_name() {
    std::size_t start = pos_;
    while (pos_ < s_.size() && (absl::ascii_isalnum(s_[pos_]) || s_[pos_] == '_' ||
                                s_[pos_] == '-' || s_[pos_] == '.' || s_[pos_] == ':')) {
      ++pos_;
    }
    return std::string(s_.substr(start, pos_ - start));
  }
  absl::Status open_tag(std::string_view name) {
    skip_space();
    std::string tag = absl::StrCat("<", std::string(name), ">");
    if (!at(tag)) return error(absl::StrCat("expected ", tag));
    pos_ += name.size() + 2;
    return absl::OkStatus();
  }
  absl::Status close_tag(std::string_view name) {
    std::string tag = absl::StrCat("</", std::string(name), ">");
    if (!at(tag)) return error(absl::StrCat("expected ", tag));
    pos_ += name.size() + 3;
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> take_text() {
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '<') {
      if (s_[pos_] != '&') {
        out += s_[pos_++];
        continue;
      }
      std::size_t end = s_.find(';', pos_);
      if (end == std::string_view::npos || end - pos_ > 10) return error("a bad '&' reference");
      std::string_view ref = s_.substr(pos_ + 1, end - pos_ - 1);
      if (absl::Status st = append_reference(ref, out); !st.ok()) return st;
      pos_ = end + 1;
    }
    return out;
  }
  absl::Status append_reference(std::string_view ref, std::string& out) {
    static constexpr std::pair<std::string_view, char> kNamed[] = {
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    for (const auto& [name, ch] : kNamed) {
      if (ref == name) {
        out += ch;
        return absl::OkStatus();
      }
    }
    std::uint32_t cp = 0;
    bool ok = ref.size() > 1 && ref[0] == '#' &&
              (ref[1] == 'x' ? absl::SimpleHexAtoi(std::string(ref.substr(2)), &cp)
                             : absl::SimpleAtoi(std::string(ref.substr(1)), &cp));
    if (!ok || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return error(absl::StrCat("&", std::string(ref), "; is not a reference this reader knows"));
    }
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return absl::OkStatus();
  }
  int line() const { return 1 + static_cast<int>(std::count(s_.begin(), s_.begin() + pos_, '\n')); }
  absl::Status error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrFormat("line %d: %s", line(), what));
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<ReadRequest>> read_requests(std::string_view data, Format format) {
  if (!is_valid_utf8(data)) return absl::InvalidArgumentError("the file is not valid UTF-8");
  if (format == Format::kJson) return read_json(data);
  return XmlReader(data).read();
}

}  // namespace jszb::core::open311
