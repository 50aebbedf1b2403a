#include "interchange/open311_submit.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/utf8.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace jszb::core::open311 {

namespace {

using Fields = std::map<std::string, std::string, std::less<>>;

absl::Status invalid(absl::string_view what) { return absl::InvalidArgumentError(what); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

absl::StatusOr<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
      int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return invalid(
            absl::StrFormat("body: \"%s\" has a bad percent-escape", bounded_utf8(s, 64)));
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

absl::Status add_field(Fields& fields, std::string key, std::string value) {
  std::string shown = bounded_utf8(key, 64);
  if (!fields.emplace(std::move(key), std::move(value)).second) {
    return invalid(absl::StrFormat("%s is given twice", shown));
  }
  return absl::OkStatus();
}

absl::StatusOr<Fields> read_form(std::string_view body) {
  Fields fields;
  for (std::size_t start = 0; start <= body.size();) {
    std::size_t amp = body.find('&', start);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view pair = body.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    absl::StatusOr<std::string> key = percent_decode(pair.substr(0, eq));
    if (!key.ok()) return key.status();
    absl::StatusOr<std::string> value =
        percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!value.ok()) return value.status();
    if (absl::Status s = add_field(fields, *std::move(key), *std::move(value)); !s.ok()) return s;
  }
  return fields;
}

absl::StatusOr<Fields> read_json(std::string_view body) {
  google::protobuf::Struct object;
  auto parsed = google::protobuf::util::JsonStringToMessage(std::string(body), &object);
  if (!parsed.ok()) {
    return invalid(absl::StrCat("body is not a JSON object: ", std::string(parsed.message())));
  }
  Fields fields;
  for (const auto& [key, v] : object.fields()) {
    std::string value;
    if (v.kind_case() == google::protobuf::Value::kStringValue) {
      value = v.string_value();
    } else if (v.kind_case() == google::protobuf::Value::kNumberValue) {
      value = absl::StrFormat("%.17g", v.number_value());
    } else if (v.kind_case() == google::protobuf::Value::kNullValue) {
      continue;  // as if not given
    } else {
      return invalid(absl::StrFormat("%s must be a string or a number", bounded_utf8(key, 64)));
    }
    if (absl::Status s = add_field(fields, key, std::move(value)); !s.ok()) return s;
  }
  return fields;
}

// The fields of the spec's POST, and how long each may be.
constexpr std::pair<std::string_view, std::size_t> kKnown[] = {
    {"api_key", 256},
    {"jurisdiction_id", 256},
    {"service_code", 256 * 3 + 2},
    {"lat", 64},
    {"long", 64},
    {"address_string", 65536},
    {"address_id", 256},
    {"email", 256},
    {"device_id", 256},
    {"account_id", 256},
    {"first_name", 128},
    {"last_name", 127},
    {"phone", 256},
    {"description", 60000},
    {"media_url", 4096},
};

absl::Status check_fields(const Fields& fields) {
  for (const auto& [key, value] : fields) {
    const std::pair<std::string_view, std::size_t>* known = nullptr;
    for (const auto& k : kKnown) {
      if (k.first == key) known = &k;
    }
    if (known == nullptr) {
      if (absl::StartsWith(key, "attribute[")) {
        return invalid(absl::StrFormat("%s: this server's services take no attributes",
                                       bounded_utf8(key, 64)));
      }
      return invalid(absl::StrFormat("%s is not a field of a GeoReport v2 service request",
                                     bounded_utf8(key, 64)));
    }
    if (!is_valid_utf8(value)) return invalid(absl::StrFormat("%s is not valid UTF-8", key));
    if (value.size() > known->second) {
      return invalid(
          absl::StrFormat("%s is %d bytes long: at most %d", key, value.size(), known->second));
    }
  }
  return absl::OkStatus();
}

std::string_view get(const Fields& f, std::string_view key) {
  auto it = f.find(key);
  return it == f.end() ? std::string_view() : std::string_view(it->second);
}

absl::StatusOr<double> degrees(const Fields& f, std::string_view key, double limit) {
  std::string_view text = get(f, key);
  double v = 0;
  if (!absl::SimpleAtod(std::string(text), &v) || !std::isfinite(v) || v < -limit || v > limit) {
    return invalid(absl::StrFormat("%s is \"%s\": expected WGS84 degrees in [-%g, %g]", key,
                                   bounded_utf8(text, 64), limit, limit));
  }
  return v;
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

bool ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

absl::Status place(const Fields& f, Submission& out) {
  bool has_lat = f.count("lat") != 0, has_long = f.count("long") != 0;
  if (has_lat != has_long)
    return invalid(has_lat ? "lat is given without long" : "long is given without lat");
  Location& at = out.intake.location;
  if (has_lat) {
    absl::StatusOr<double> lat = degrees(f, "lat", 90);
    if (!lat.ok()) return lat.status();
    absl::StatusOr<double> lon = degrees(f, "long", 180);
    if (!lon.ok()) return lon.status();
    at.has_point = true;
    at.lat = *lat;
    at.lon = *lon;
  }
  out.address = std::string(get(f, "address_string"));
  if (out.address.empty() && !get(f, "address_id").empty()) {
    out.address = "address_id " + std::string(get(f, "address_id"));
  }
  if (!has_lat && out.address.empty()) {
    return invalid("a location is required: lat and long, address_string or address_id");
  }
  at.address = out.address;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Submission>> parse_submission(std::string_view body, Content content,
                                                             TimeMs time,
                                                             const std::vector<Service>& services) {
  absl::StatusOr<Fields> fields = content == Content::kJson ? read_json(body) : read_form(body);
  if (!fields.ok()) return fields.status();
  const Fields& f = *fields;
  if (absl::Status s = check_fields(f); !s.ok()) return s;

  auto out = std::make_unique<Submission>();
  std::string_view code = get(f, "service_code");
  if (code.empty()) return invalid("service_code is required (GET services lists them)");
  if (find_service(services, code) == nullptr) {
    return invalid(absl::StrFormat(
        "service_code \"%s\" is not a service of this policy (GET services lists them)", code));
  }
  std::vector<std::string_view> levels = split_levels(code);
  if (levels.size() > 3) {
    return invalid(absl::StrFormat("service_code \"%s\": a category has at most 3 levels", code));
  }
  Intake& in = out->intake;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    out->category[i] = std::string(levels[i]);
    in.category[i] = out->category[i];
  }
  if (absl::Status s = place(f, *out); !s.ok()) return s;

  std::string_view description = get(f, "description");
  if (description.empty()) return invalid("description is required: what the citizen asks");
  out->content = std::string(description);
  if (std::string_view media = get(f, "media_url"); !media.empty()) {
    (out->content += "\n") += media;  // kept with what was asked
  }
  in.content = out->content;

  // Chinese names read family name first, without a space.
  std::string_view first = get(f, "first_name"), last = get(f, "last_name");
  out->contact_name = ascii(first) && ascii(last) && !first.empty() && !last.empty()
                          ? std::string(first) + " " + std::string(last)
                          : std::string(last) + std::string(first);
  in.contact.name = out->contact_name;
  // The intake keeps one contact: the phone, or the email without one.
  out->contact_phone = std::string(get(f, "phone").empty() ? get(f, "email") : get(f, "phone"));
  in.contact.phone = out->contact_phone;

  out->channel_ref = absl::StrFormat("open311:%d:%016x", time, fnv1a(body));
  in.channel_ref = out->channel_ref;
  in.time = time;
  in.actor = Actor{Role::kCitizen, 0, 0};
  in.channel = Channel::kWeb;
  in.kind = Kind::kHelp;
  in.urgency = Urgency::kNormal;
  return out;
}

}  // namespace jszb::core::open311
