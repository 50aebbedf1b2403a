#include "interchange/export_json.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/china_time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"

namespace jszb::core {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::Struct;
using google::protobuf::Value;

// The largest integer every JSON reader keeps exact (a double's mantissa).
constexpr double kExactLimit = 9007199254740992.0;  // 2^53

bool is_instant(const FieldDescriptor* f) {
  return f->cpp_type() == FieldDescriptor::CPPTYPE_INT64 && absl::EndsWith(f->name(), "_ms") &&
         !absl::StartsWith(f->name(), "paused");
}

std::string key_of(const FieldDescriptor* f) {
  if (!is_instant(f)) return f->name();
  return f->name().substr(0, f->name().size() - 3);
}

// "EventType" -> "EVENT_TYPE_": the prefix every value of the enum carries.
std::string enum_prefix(const EnumDescriptor* e) {
  std::string out;
  for (char c : e->name()) {
    if (absl::ascii_isupper(c) && !out.empty()) out += '_';
    out += absl::ascii_toupper(c);
  }
  return out + "_";
}

std::string enum_name(const EnumDescriptor* e, int number) {
  const google::protobuf::EnumValueDescriptor* v = e->FindValueByNumber(number);
  if (v == nullptr) return "";
  std::string prefix = enum_prefix(e);
  std::string name = v->name();
  if (absl::StartsWith(name, prefix)) name.erase(0, prefix.size());
  return absl::AsciiStrToLower(name);
}

void append_value(const Message& m, const FieldDescriptor* f, int index, std::string* out) {
  const Reflection* r = m.GetReflection();
  bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(out, rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(out, rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
      break;
    case FieldDescriptor::CPPTYPE_INT64: {
      std::int64_t v = rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f);
      if (is_instant(f)) {
        append_json_string(rfc3339_china(v), out);
      } else {
        absl::StrAppend(out, v);
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT64:
      absl::StrAppend(out, rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      append_number(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f), out);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      append_number(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f), out);
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      out->append((rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false");
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      int v = rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
      std::string name = enum_name(f->enum_type(), v);
      if (name.empty()) {
        absl::StrAppend(out, v);  // a value this build does not name
      } else {
        append_json_string(name, out);
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING:
      append_json_string(rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f), out);
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      out->push_back('{');
      append_export_fields(rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f), out);
      out->push_back('}');
      break;
  }
}

absl::Status bad(std::string_view path, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrFormat("%s: %s", path, what));
}

// An integer field's value: a JSON number, whole, within [lo, hi] and exact.
absl::Status read_integer(const Value& v, std::string_view path, double lo, double hi,
                          double* out) {
  if (v.kind_case() != Value::kNumberValue) return bad(path, "expected a number");
  double d = v.number_value();
  if (d != std::floor(d) || d < lo || d > hi || std::fabs(d) >= kExactLimit) {
    return bad(path, absl::StrCat(d, " is not a whole number in range"));
  }
  *out = d;
  return absl::OkStatus();
}

absl::Status read_value(const Value& v, const FieldDescriptor* f, std::string_view path,
                        Message* m);

absl::Status read_field(const Value& v, const FieldDescriptor* f, std::string_view path,
                        Message* m) {
  if (!f->is_repeated()) return read_value(v, f, path, m);
  if (v.kind_case() != Value::kListValue) return bad(path, "expected an array");
  for (int i = 0; i < v.list_value().values_size(); ++i) {
    absl::Status s = read_value(v.list_value().values(i), f, absl::StrFormat("%s[%d]", path, i), m);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status read_enum(const Value& v, const FieldDescriptor* f, std::string_view path, int* out) {
  if (v.kind_case() == Value::kNumberValue) {
    double d = 0;
    if (absl::Status s = read_integer(v, path, INT32_MIN, INT32_MAX, &d); !s.ok()) return s;
    *out = static_cast<int>(d);
    return absl::OkStatus();
  }
  if (v.kind_case() != Value::kStringValue) return bad(path, "expected a name");
  const EnumDescriptor* e = f->enum_type();
  std::string full = enum_prefix(e) + absl::AsciiStrToUpper(v.string_value());
  const google::protobuf::EnumValueDescriptor* found = e->FindValueByName(full);
  if (found == nullptr) found = e->FindValueByName(absl::AsciiStrToUpper(v.string_value()));
  if (found == nullptr || absl::AsciiStrToLower(v.string_value()) != v.string_value()) {
    return bad(path, absl::StrCat("\"", v.string_value(), "\" is not a ", e->name(), " name"));
  }
  *out = found->number();
  return absl::OkStatus();
}

absl::Status read_value(const Value& v, const FieldDescriptor* f, std::string_view path,
                        Message* m) {
  const Reflection* r = m->GetReflection();
  bool rep = f->is_repeated();
  double d = 0;
  absl::Status s;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      s = read_integer(v, path, INT32_MIN, INT32_MAX, &d);
      if (s.ok()) rep ? r->AddInt32(m, f, d) : r->SetInt32(m, f, d);
      return s;
    case FieldDescriptor::CPPTYPE_UINT32:
      s = read_integer(v, path, 0, UINT32_MAX, &d);
      if (s.ok()) rep ? r->AddUInt32(m, f, d) : r->SetUInt32(m, f, d);
      return s;
    case FieldDescriptor::CPPTYPE_INT64: {
      std::int64_t n = 0;
      if (is_instant(f)) {
        if (v.kind_case() != Value::kStringValue) return bad(path, "expected an RFC 3339 time");
        absl::StatusOr<std::int64_t> t = parse_rfc3339(v.string_value());
        if (!t.ok()) return bad(path, std::string(t.status().message()));
        n = *t;
      } else {
        s = read_integer(v, path, -kExactLimit, kExactLimit, &d);
        n = static_cast<std::int64_t>(d);
      }
      if (s.ok()) rep ? r->AddInt64(m, f, n) : r->SetInt64(m, f, n);
      return s;
    }
    case FieldDescriptor::CPPTYPE_UINT64:
      s = read_integer(v, path, 0, kExactLimit, &d);
      if (s.ok()) {
        auto n = static_cast<std::uint64_t>(d);
        rep ? r->AddUInt64(m, f, n) : r->SetUInt64(m, f, n);
      }
      return s;
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      if (v.kind_case() != Value::kNumberValue) return bad(path, "expected a number");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        rep ? r->AddFloat(m, f, v.number_value()) : r->SetFloat(m, f, v.number_value());
      } else {
        rep ? r->AddDouble(m, f, v.number_value()) : r->SetDouble(m, f, v.number_value());
      }
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_BOOL:
      if (v.kind_case() != Value::kBoolValue) return bad(path, "expected true or false");
      rep ? r->AddBool(m, f, v.bool_value()) : r->SetBool(m, f, v.bool_value());
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_ENUM: {
      int n = 0;
      if (s = read_enum(v, f, path, &n); s.ok()) {
        rep ? r->AddEnumValue(m, f, n) : r->SetEnumValue(m, f, n);
      }
      return s;
    }
    case FieldDescriptor::CPPTYPE_STRING:
      if (v.kind_case() != Value::kStringValue) return bad(path, "expected a string");
      rep ? r->AddString(m, f, v.string_value()) : r->SetString(m, f, v.string_value());
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (v.kind_case() != Value::kStructValue) return bad(path, "expected an object");
      return read_export_fields(v.struct_value(), "", path,
                                rep ? r->AddMessage(m, f) : r->MutableMessage(m, f));
  }
  return bad(path, "unsupported field type");
}

}  // namespace

void append_json_string(std::string_view s, std::string* out) {
  // RFC 8259 section 7: the quote, the backslash and the control characters
  // must be escaped, everything else (valid UTF-8, checked on the way in)
  // may stand as it is. Neither absl nor protobuf's public API offers this
  // for one string: protobuf's JSON printer works on whole messages, whose
  // map order (a Struct's keys) is not stable, which a byte-exact export needs.
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (u < 0x20) {
      switch (c) {
        case '\n':
          out->append("\\n");
          break;
        case '\r':
          out->append("\\r");
          break;
        case '\t':
          out->append("\\t");
          break;
        default:
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 15]);
      }
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

void append_number(double d, std::string* out) {
  if (!std::isfinite(d)) {
    out->append("null");
    return;
  }
  char buf[32];
  std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, d);  // shortest exact form
  out->append(buf, r.ptr);
}

void append_export_fields(const Message& msg, std::string* out) {
  const google::protobuf::Descriptor* d = msg.GetDescriptor();
  const Reflection* r = msg.GetReflection();
  bool first = true;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->is_repeated() ? r->FieldSize(msg, f) == 0 : !r->HasField(msg, f)) continue;
    if (!first) out->push_back(',');
    first = false;
    append_json_string(key_of(f), out);
    out->push_back(':');
    if (!f->is_repeated()) {
      append_value(msg, f, -1, out);
      continue;
    }
    out->push_back('[');
    for (int j = 0; j < r->FieldSize(msg, f); ++j) {
      if (j > 0) out->push_back(',');
      append_value(msg, f, j, out);
    }
    out->push_back(']');
  }
}

absl::Status read_export_fields(const Struct& obj, std::string_view skip, std::string_view where,
                                Message* msg) {
  const google::protobuf::Descriptor* d = msg->GetDescriptor();
  for (const auto& [key, value] : obj.fields()) {
    if (key == skip) continue;
    std::string path = absl::StrFormat("%s.%s", where, key);
    const FieldDescriptor* f = d->FindFieldByName(key);
    if (f == nullptr || is_instant(f)) {
      const FieldDescriptor* instant = d->FindFieldByName(key + "_ms");
      f = instant != nullptr && is_instant(instant) ? instant : nullptr;
    }
    if (f == nullptr) return bad(path, "no such field");
    if (absl::Status s = read_field(value, f, path, msg); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status parse_json_object(std::string_view line, Struct* out) {
  google::protobuf::util::JsonParseOptions options;
  auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), out, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a JSON object: ", std::string(parsed.message())));
  }
  return absl::OkStatus();
}

}  // namespace jszb::core
