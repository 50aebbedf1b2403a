#include "interchange/csv_cases.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/china_time.h"
#include "interchange/case_stream.h"
#include "interchange/csv.h"
#include "interchange/export_json.h"
#include "model/names.h"

namespace jszb::core {
namespace {

std::string time_text(TimeMs t) { return t == 0 ? "" : rfc3339_china(t); }
std::string flag(bool b) { return b ? "true" : "false"; }
std::string number(double d) {
  std::string out;
  append_number(d, &out);
  return out;
}

std::vector<std::string> case_row(const Engine& engine, const Case& c, bool with_personal) {
  const Intake& in = *c.intake;
  const Location& at = in.location;
  std::string lead_name;
  if (const Policy* p = engine.policy(c.policy_version); p != nullptr && c.lead_unit != 0) {
    if (const UnitInfo* u = p->unit(c.lead_unit)) lead_name = u->name;
  }
  auto text = [](std::string_view s) { return std::string(s); };
  auto personal = [&](std::string_view s) { return with_personal ? std::string(s) : ""; };
  bool replied = c.replied != 0, visited = c.visited != 0;
  return {absl::StrCat(c.id),
          time_text(in.time),
          text(name(in.channel)),
          text(in.channel_ref),
          text(name(in.kind)),
          text(in.category[0]),
          text(in.category[1]),
          text(in.category[2]),
          text(name(in.urgency)),
          text(at.district),
          text(at.street),
          text(at.community),
          personal(at.address),
          at.has_point ? number(at.lat) : "",
          at.has_point ? number(at.lon) : "",
          text(in.content),
          personal(in.contact.name),
          personal(in.contact.phone),
          text(name(c.state)),
          c.lead_unit == 0 ? "" : absl::StrCat(c.lead_unit),
          lead_name,
          time_text(c.dispatched),
          time_text(c.signed_for),
          time_text(c.replied),
          replied ? flag(c.reply.contacted) : "",
          replied ? flag(c.reply.solved) : "",
          replied ? text(c.reply.text) : "",
          time_text(c.visited),
          visited ? flag(c.visit.valid) : "",
          visited ? flag(c.visit.contacted) : "",
          visited ? flag(c.visit.solved) : "",
          visited ? text(name(c.visit.satisfaction)) : "",
          time_text(c.closed),
          text(name(c.not_dispatched_reason))};
}

// One record's fields by column name.
class Row {
 public:
  Row(const absl::flat_hash_map<std::string, std::size_t>& columns, const CsvRecord& r)
      : columns_(columns), record_(r) {}
  std::string_view get(std::string_view column) const {
    auto it = columns_.find(std::string(column));
    return it == columns_.end() ? std::string_view() : record_.fields[it->second];
  }
  absl::StatusOr<TimeMs> time(std::string_view column, bool required) const {
    std::string_view v = get(column);
    if (v.empty()) {
      if (!required) return TimeMs{0};
      return absl::InvalidArgumentError(absl::StrFormat("%s is empty", column));
    }
    absl::StatusOr<TimeMs> t = parse_rfc3339(v);
    if (!t.ok())
      return absl::InvalidArgumentError(absl::StrFormat("%s: %s", column, t.status().message()));
    return t;
  }
  absl::StatusOr<bool> flag(std::string_view column) const {
    std::string_view v = get(column);
    if (v == "true" || v == "1") return true;
    if (v == "false" || v == "0" || v.empty()) return false;
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: \"%s\" is not true or false", column, v));
  }
  template <class E>
  absl::StatusOr<E> named(std::string_view column, E if_empty) const {
    std::string_view v = get(column);
    if (v.empty()) return if_empty;
    for (int i = 1; i < 256; ++i) {
      if (name(static_cast<E>(i)) == v) return static_cast<E>(i);
    }
    return absl::InvalidArgumentError(absl::StrFormat("%s: \"%s\" is not a known name", column, v));
  }

 private:
  const absl::flat_hash_map<std::string, std::size_t>& columns_;
  const CsvRecord& record_;
};

absl::Status read_point(const Row& row, Location* at) {
  std::string_view lat = row.get("lat"), lon = row.get("lon");
  if (lat.empty() && lon.empty()) return absl::OkStatus();
  if (!absl::SimpleAtod(absl::string_view(lat.data(), lat.size()), &at->lat) ||
      !absl::SimpleAtod(absl::string_view(lon.data(), lon.size()), &at->lon)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("lat and lon: \"%s\", \"%s\" are not both numbers", lat, lon));
  }
  at->has_point = true;
  return absl::OkStatus();
}

absl::StatusOr<Intake> read_intake(const Row& row) {
  Intake in;
  absl::StatusOr<TimeMs> t = row.time("received", true);
  if (!t.ok()) return t.status();
  in.time = *t;
  in.actor.role = Role::kOperator;
  absl::StatusOr<Channel> channel = row.named("channel", Channel::kUnspecified);
  absl::StatusOr<Kind> kind = row.named("kind", Kind::kUnspecified);
  absl::StatusOr<Urgency> urgency = row.named("urgency", Urgency::kNormal);
  for (const absl::Status& s : {channel.status(), kind.status(), urgency.status()}) {
    if (!s.ok()) return s;
  }
  in.channel = *channel;
  in.kind = *kind;
  in.urgency = *urgency;
  in.channel_ref = row.get("channel_ref");
  in.category = {row.get("category_1"), row.get("category_2"), row.get("category_3")};
  in.location.district = row.get("district");
  in.location.street = row.get("street");
  in.location.community = row.get("community");
  in.location.address = row.get("address");
  if (absl::Status s = read_point(row, &in.location); !s.ok()) return s;
  in.content = row.get("content");
  in.contact = {row.get("contact_name"), row.get("contact_phone")};
  return in;
}

// The commands that take a received case to `state`, as the lifecycle's
// table leads: received -> dispatched -> handling -> replied -> visited ->
// closed, or straight to answered on the spot or not dispatched.
absl::Status bring_to_outcome(Engine& engine, CaseId id, const Row& row) {
  absl::StatusOr<State> state = row.named("state", State::kReceived);
  if (!state.ok()) return state.status();
  const Actor operator_{Role::kOperator, 0, 0}, dispatcher{Role::kDispatcher, 0, 0};
  auto run = [&](CommandKind kind, std::string_view at, Actor actor, Payload p) -> absl::Status {
    absl::StatusOr<TimeMs> t = row.time(at, true);
    if (!t.ok()) return t.status();
    absl::Status s = engine.apply(Command{kind, id, *t, actor, p});
    if (s.ok()) return s;
    return absl::Status(s.code(), absl::StrFormat("%s at %s: %s", name(kind), at, s.message()));
  };
  switch (*state) {
    case State::kReceived:
      return absl::OkStatus();
    case State::kAnsweredOnSpot:
      return run(CommandKind::kAnswerOnSpot, "closed", operator_, {});
    case State::kNotDispatched: {
      absl::StatusOr<NotDispatchedReason> reason =
          row.named("not_dispatched_reason", NotDispatchedReason::kUnspecified);
      if (!reason.ok()) return reason.status();
      Payload p;
      p.reason = *reason;
      return run(CommandKind::kNotDispatch, "closed", operator_, p);
    }
    case State::kDispatched:
    case State::kHandling:
    case State::kReplied:
    case State::kVisited:
    case State::kClosed:
      break;
    default:
      return absl::InvalidArgumentError(absl::StrFormat(
          "state \"%s\" cannot be reached from a CSV row (received, answered_on_spot, "
          "not_dispatched, dispatched, handling, replied, visited, closed)",
          name(*state)));
  }
  std::uint32_t lead = 0;
  std::string_view lead_text = row.get("lead_unit");
  if (!absl::SimpleAtoi(absl::string_view(lead_text.data(), lead_text.size()), &lead) ||
      lead == 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("lead_unit: \"%s\" is not a unit code", lead_text));
  }
  const Actor owner{Role::kUnit, lead, 0};
  Payload p;
  p.unit = lead;
  if (absl::Status s = run(CommandKind::kDispatch, "dispatched", dispatcher, p); !s.ok()) return s;
  if (*state == State::kDispatched) return absl::OkStatus();
  if (absl::Status s = run(CommandKind::kSign, "signed", owner, {}); !s.ok()) return s;
  if (*state == State::kHandling) return absl::OkStatus();
  p = Payload();
  absl::StatusOr<bool> contacted = row.flag("reply_contacted"), solved = row.flag("reply_solved");
  if (!contacted.ok() || !solved.ok()) return contacted.ok() ? solved.status() : contacted.status();
  p.contacted = *contacted;
  p.solved = *solved;
  p.text = row.get("reply_text");
  if (absl::Status s = run(CommandKind::kReply, "replied", owner, p); !s.ok()) return s;
  if (*state == State::kReplied) return absl::OkStatus();
  p = Payload();
  absl::StatusOr<bool> valid = row.flag("visit_valid");
  contacted = row.flag("visit_contacted");
  solved = row.flag("visit_solved");
  absl::StatusOr<Satisfaction> satisfaction = row.named("satisfaction", Satisfaction::kUnspecified);
  for (const absl::Status& s :
       {valid.status(), contacted.status(), solved.status(), satisfaction.status()}) {
    if (!s.ok()) return s;
  }
  p.valid_visit = *valid;
  p.contacted = *contacted;
  p.solved = *solved;
  p.satisfaction = *satisfaction;
  if (absl::Status s = run(CommandKind::kVisit, "visited", operator_, p); !s.ok()) return s;
  if (*state == State::kVisited) return absl::OkStatus();
  return run(CommandKind::kClose, "closed", operator_, {});
}

absl::Status import_row(Engine& engine, const Row& row) {
  absl::StatusOr<Intake> intake = read_intake(row);
  if (!intake.ok()) return intake.status();
  absl::StatusOr<SubmitResult> made = engine.submit(*intake);
  if (!made.ok()) return made.status();
  if (!made->created) {
    return absl::AlreadyExistsError(absl::StrFormat("channel_ref \"%s\" is known already (case %d)",
                                                    row.get("channel_ref"), made->id));
  }
  return bring_to_outcome(engine, made->id, row);
}

}  // namespace

absl::Status export_csv(const Engine& engine, const ExportOptions& options, const Sink& sink) {
  std::string header;
  append_csv_record(std::vector<std::string>(kCsvColumns.begin(), kCsvColumns.end()), &header);
  if (absl::Status s = sink(header); !s.ok()) return s;
  return export_cases(engine, options, sink, [&](const Case& c, std::string* out) {
    append_csv_record(case_row(engine, c, options.with_personal), out);
    return absl::OkStatus();
  });
}

absl::Status import_csv(Engine& engine, const ImportOptions& options, std::string_view data,
                        ImportResult* out) {
  // Every record, or why it could not be read (its line in `line`).
  struct Read {
    CsvRecord record;
    absl::Status error;
  };
  CsvReader reader(data);
  std::vector<Read> records;
  while (true) {
    Read r;
    absl::StatusOr<bool> more = reader.next(&r.record);
    if (more.ok() && !*more) break;
    r.error = more.status();
    bool blank = r.record.fields.size() == 1 && r.record.fields[0].empty();
    if (!r.error.ok() || !blank) records.push_back(std::move(r));
  }
  absl::flat_hash_map<std::string, std::size_t> columns;
  absl::Status header =
      records.empty() ? absl::InvalidArgumentError("no header row") : records.front().error;
  for (std::size_t i = 0; header.ok() && i < records.front().record.fields.size(); ++i) {
    const std::string& c = records.front().record.fields[i];
    if (std::find(kCsvColumns.begin(), kCsvColumns.end(), c) == kCsvColumns.end()) {
      header = absl::InvalidArgumentError(absl::StrCat("unknown column \"", c, "\""));
    } else if (!columns.emplace(c, i).second) {
      header = absl::InvalidArgumentError(absl::StrCat("column \"", c, "\" comes twice"));
    }
  }
  if (!header.ok()) {
    *out = ImportResult{0, 0, {{1, std::string(header.message())}}};
    return absl::InvalidArgumentError(absl::StrFormat("line 1: %s", header.message()));
  }
  return run_import(
      engine, options, records.size() - 1,
      [&](std::size_t g, std::vector<BadRow>* bad) {
        const Read& r = records[g + 1];
        absl::Status s = r.error;
        if (s.ok() && r.record.fields.size() != columns.size()) {
          s = absl::InvalidArgumentError(
              absl::StrCat(r.record.fields.size(), " fields, the header has ", columns.size()));
        }
        if (s.ok()) s = import_row(engine, Row(columns, r.record));
        if (!s.ok() && !is_bad_row(s)) return s;
        if (!s.ok()) bad->push_back({r.record.line, std::string(s.message())});
        return absl::OkStatus();
      },
      out);
}

}  // namespace jszb::core
