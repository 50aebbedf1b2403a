#include "interchange/jsonl.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "interchange/case_stream.h"
#include "interchange/export_json.h"
#include "model/proto_codec.h"

namespace jszb::core {
namespace {

using google::protobuf::Struct;

// Personal data leaves only when asked for: the contact and the exact address.
void strip_personal(v1::Intake* intake, v1::Contact* contact) {
  contact->Clear();
  intake->mutable_location()->clear_address();
}

void append_record(const char* record, const google::protobuf::Message& msg, std::string* out) {
  absl::StrAppend(out, "{\"record\":\"", record, "\"");
  std::size_t before = out->size();
  out->push_back(',');
  append_export_fields(msg, out);
  if (out->size() == before + 1) out->pop_back();  // no fields
  out->append("}\n");
}

v1::Case case_record(const Case& c, bool with_personal) {
  v1::Case msg;
  to_proto(c, &msg);
  if (!with_personal) strip_personal(msg.mutable_intake(), msg.mutable_contact());
  if (!msg.has_contact() || msg.contact().ByteSizeLong() == 0) msg.clear_contact();
  return msg;
}

// The record a line holds: "case" or "event", and its object.
absl::StatusOr<std::string> record_of(std::string_view line, Struct* obj) {
  if (absl::Status s = parse_json_object(line, obj); !s.ok()) return s;
  auto it = obj->fields().find("record");
  if (it == obj->fields().end() ||
      it->second.kind_case() != google::protobuf::Value::kStringValue ||
      (it->second.string_value() != "case" && it->second.string_value() != "event")) {
    return absl::InvalidArgumentError("\"record\" must be \"case\" or \"event\"");
  }
  return it->second.string_value();
}

// The lines of one case: those from its case line (or its first event) on.
struct Group {
  std::size_t first = 0, end = 0;  // lines [first, end)
};

// Lines with the same case id follow each other, from its case line on.
// The record and case id of a line as the export writes it, read without
// parsing the line (parsing is most of an import's time); false for a line
// in another shape.
bool read_head(std::string_view line, bool* is_case, double* id) {
  constexpr std::string_view kCase = "{\"record\":\"case\",\"id\":";
  constexpr std::string_view kEvent = "{\"record\":\"event\",\"case_id\":";
  *is_case = line.substr(0, kCase.size()) == kCase;
  if (!*is_case && line.substr(0, kEvent.size()) != kEvent) return false;
  line.remove_prefix(*is_case ? kCase.size() : kEvent.size());
  std::uint64_t n = 0;
  std::size_t digits = line.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string_view::npos || line[digits] != ',') return false;
  if (!absl::SimpleAtoi(absl::string_view(line.data(), digits), &n)) return false;
  *id = static_cast<double>(n);
  return true;
}

// The record and case id of any line; nullopt when it has none.
std::optional<double> line_id(std::string_view line, bool* is_case) {
  double id = 0;
  if (read_head(line, is_case, &id)) return id;
  Struct obj;
  absl::StatusOr<std::string> record = record_of(line, &obj);
  if (!record.ok()) return std::nullopt;
  *is_case = *record == "case";
  auto it = obj.fields().find(*is_case ? "id" : "case_id");
  if (it == obj.fields().end() || it->second.kind_case() != google::protobuf::Value::kNumberValue)
    return std::nullopt;
  return it->second.number_value();
}

std::vector<Group> group_lines(const std::vector<Line>& lines) {
  std::vector<Group> groups;
  std::optional<double> current;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].text.empty()) continue;
    bool is_case = false;
    std::optional<double> id = line_id(lines[i].text, &is_case);
    // A line without a case id goes with the case around it, which it may
    // have belonged to: a bad line leaves its neighbours' case out too.
    bool same = !id || (current && *id == *current && !is_case);
    if (same && !groups.empty()) {
      groups.back().end = i + 1;
    } else {
      groups.push_back({i, i + 1});
    }
    if (id) current = id;
  }
  return groups;
}

absl::Status replay_line(Engine& engine, const Struct& obj) {
  v1::Event msg;
  if (absl::Status s = read_export_fields(obj, "record", "event", &msg); !s.ok()) return s;
  if (absl::Status s = check_strings(msg, "event"); !s.ok()) return s;
  DecodedEvent decoded;
  if (absl::Status s = from_proto(msg, &decoded); !s.ok()) return s;
  return engine.replay(decoded.event);
}

// The case line says what its events must make of the case.
absl::Status check_case(Engine& engine, const v1::Case& expected) {
  absl::StatusOr<const Case*> c = engine.fetch(expected.id());
  if (!c.ok()) return c.status();
  if (*c == nullptr) return absl::InvalidArgumentError("no event of this case follows its line");
  // Only what the line carries is compared: an export without personal data
  // leaves the contact and address out of its lines.
  v1::Case made = case_record(**c, true);
  if (!expected.has_contact()) made.clear_contact();
  if (expected.intake().location().address().empty()) {
    made.mutable_intake()->mutable_location()->clear_address();
  }
  std::string diff;
  google::protobuf::util::MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  if (differ.Compare(expected, made)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("the case line does not match what its events make: ", diff.substr(0, 300)));
}

absl::Status apply_group(Engine& engine, const std::vector<Line>& lines, const Group& g,
                         std::vector<BadRow>* bad) {
  std::optional<std::pair<std::uint64_t, v1::Case>> case_line;
  for (std::size_t i = g.first; i < g.end; ++i) {
    if (lines[i].text.empty()) continue;
    Struct obj;
    absl::StatusOr<std::string> record = record_of(lines[i].text, &obj);
    absl::Status s = record.status();
    if (s.ok() && *record == "event") {
      s = replay_line(engine, obj);
    } else if (s.ok()) {
      v1::Case msg;
      s = read_export_fields(obj, "record", "case", &msg);
      if (s.ok()) case_line.emplace(lines[i].number, std::move(msg));
    }
    if (s.ok()) continue;
    if (!is_bad_row(s)) return s;  // a failing store stops the import
    bad->push_back({lines[i].number, std::string(s.message())});
    return absl::OkStatus();  // the rest of the case would only fail after it
  }
  if (case_line) {
    if (absl::Status s = check_case(engine, case_line->second); !s.ok()) {
      bad->push_back({case_line->first, std::string(s.message())});
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status export_jsonl(const Engine& engine, const ExportOptions& options, const Sink& sink) {
  return export_cases(engine, options, sink, [&](const Case& c, std::string* out) {
    append_record("case", case_record(c, options.with_personal), out);
    v1::Event msg;
    return engine.for_each_event(c.id, [&](const Event& e) {
      msg.Clear();
      to_proto(e, &msg);
      if (!options.with_personal && msg.has_submission()) {
        v1::Submission* sub = msg.mutable_submission();
        strip_personal(sub->mutable_intake(), sub->mutable_contact());
        sub->clear_contact();
      }
      append_record("event", msg, out);
    });
  });
}

absl::Status import_jsonl(Engine& engine, const ImportOptions& options, std::string_view data,
                          ImportResult* out) {
  std::vector<Line> lines = split_lines(data);
  std::vector<Group> groups = group_lines(lines);
  return run_import(
      engine, options, groups.size(),
      [&](std::size_t g, std::vector<BadRow>* bad) {
        return apply_group(engine, lines, groups[g], bad);
      },
      out);
}

}  // namespace jszb::core
