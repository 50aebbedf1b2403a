#include "interchange/open311.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/china_time.h"
#include "interchange/open311_states.h"
#include "model/names.h"
#include "store/case_filter.h"

namespace jszb::core::open311 {

namespace {

void add_service(std::map<std::string, Service>& out, const v1::CategoryPath& path,
                 std::string_view description) {
  if (path.levels().empty()) return;
  std::string code = absl::StrJoin(path.levels(), "/");
  auto [it, added] = out.try_emplace(code);
  if (added) {
    it->second.code = code;
    it->second.name = path.levels(path.levels_size() - 1);
    it->second.group = path.levels(0);
  }
  if (it->second.description.empty()) it->second.description = std::string(description);
}

}  // namespace

std::vector<std::string_view> split_levels(std::string_view code) {
  std::vector<std::string_view> out;
  if (code.empty()) return out;
  for (std::size_t start = 0;;) {
    std::size_t slash = code.find('/', start);
    out.push_back(code.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

namespace {
std::string join(const std::vector<std::string_view>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}
}  // namespace

std::vector<Service> services(const Policy& policy) {
  std::map<std::string, Service> found;
  for (const v1::DispatchRule& r : policy.message().dispatch_rules()) {
    for (const v1::CategoryPath& p : r.match().categories()) add_service(found, p, r.description());
  }
  for (const v1::DeadlineRule& r : policy.message().deadline_rules()) {
    for (const v1::CategoryPath& p : r.match().categories()) add_service(found, p, "");
  }
  std::vector<Service> out;
  out.reserve(found.size());
  for (auto& [code, s] : found) out.push_back(std::move(s));
  return out;
}

std::string render_services(const std::vector<Service>& services, Format format) {
  std::vector<Record> records;
  records.reserve(services.size());
  for (const Service& s : services) {
    records.push_back({text("service_code", s.code), text("service_name", s.name),
                       text("description", s.description), boolean("metadata", false),
                       text("type", "realtime"), text("keywords", join(split_levels(s.code), ", ")),
                       text("group", s.group)});
  }
  return write_records(records, format, "services", "service");
}

const Service* find_service(const std::vector<Service>& services, std::string_view code) {
  const Service* best = nullptr;
  for (const Service& s : services) {
    bool under = code == s.code || (code.size() > s.code.size() && code[s.code.size()] == '/' &&
                                    code.substr(0, s.code.size()) == s.code);
    if (under && (best == nullptr || s.code.size() > best->code.size())) best = &s;
  }
  return best;
}

namespace {

// What the citizen was told: the unit's reply, or, for a request the centre
// finished itself, the answer or reason recorded with that event.
absl::StatusOr<std::string> status_notes(const Engine& engine, const Case& c) {
  if (!c.reply.text.empty()) return std::string(c.reply.text);
  if (c.state != State::kNotDispatched && c.state != State::kTerminated &&
      c.state != State::kAnsweredOnSpot) {
    return std::string();
  }
  std::string note;
  absl::Status s = engine.for_each_event(c.id, [&](const Event& e) {
    if (e.state == c.state && !e.payload.text.empty()) note = std::string(e.payload.text);
  });
  if (!s.ok()) return s;
  return note;
}

std::string degrees(double v, bool exact) {
  return exact ? absl::StrFormat("%.6f", v) : absl::StrFormat("%.3f", v);
}

absl::StatusOr<Record> request_record(const Engine& engine, const Case& c, bool with_personal) {
  const Intake& in = *c.intake;
  Record r;
  r.push_back(text("service_request_id", absl::StrCat(c.id)));
  r.push_back(text("status", status(c.state)));
  absl::StatusOr<std::string> notes = status_notes(engine, c);
  if (!notes.ok()) return notes.status();
  r.push_back(notes->empty() ? null("status_notes") : text("status_notes", *notes));
  std::vector<std::string_view> levels;
  for (std::string_view l : in.category) {
    if (!l.empty()) levels.push_back(l);
  }
  r.push_back(text("service_name", levels.empty() ? std::string_view() : levels.back()));
  r.push_back(text("service_code", join(levels, "/")));
  r.push_back(text("description", in.content));
  const Policy* policy = engine.policy(c.policy_version);
  if (policy == nullptr) policy = engine.policy();
  const UnitInfo* lead =
      policy != nullptr && c.lead_unit != 0 ? policy->unit(c.lead_unit) : nullptr;
  r.push_back(lead != nullptr ? text("agency_responsible", lead->name)
                              : null("agency_responsible"));
  r.push_back(null("service_notice"));
  r.push_back(text("requested_datetime", rfc3339_china(in.time)));
  r.push_back(text("updated_datetime", rfc3339_china(c.last_event)));
  const Deadline& reply = c.deadline(StepId::kReply);
  r.push_back(reply.start != 0 && !is_finished(c.state)
                  ? text("expected_datetime", rfc3339_china(reply.due))
                  : null("expected_datetime"));
  const Location& at = in.location;
  r.push_back(with_personal && !at.address.empty()
                  ? text("address", at.address)
                  : text("address", join({at.district, at.street, at.community}, "")));
  r.push_back(null("address_id"));
  r.push_back(null("zipcode"));
  if (at.has_point) {
    r.push_back(number("lat", degrees(at.lat, with_personal)));
    r.push_back(number("long", degrees(at.lon, with_personal)));
  } else {
    r.push_back(null("lat"));
    r.push_back(null("long"));
  }
  r.push_back(null("media_url"));
  // jszb's own, after the spec's: the state itself and FixMyStreet's reading.
  r.push_back(text("jszb_state", name(c.state)));
  r.push_back(text("fixmystreet_state", fixmystreet_state(c)));
  if (with_personal) {
    r.push_back(text("contact_name", in.contact.name));
    r.push_back(text("contact_phone", in.contact.phone));
  }
  return r;
}

bool status_matches(StatusFilter f, State s) {
  if (f == StatusFilter::kAny) return true;
  return (f == StatusFilter::kClosed) == is_finished(s);
}

absl::Status category_filter(std::string_view code, std::array<std::string_view, 3>& out) {
  if (code.empty()) return absl::OkStatus();
  std::vector<std::string_view> levels = split_levels(code);
  if (levels.size() > out.size()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "service_code \"%s\" has %d levels: a category path has at most 3", code, levels.size()));
  }
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (levels[i].empty()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("service_code \"%s\" has an empty level %d", code, i + 1));
    }
    out[i] = levels[i];
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> requests(Engine& engine, const Query& query, Format format) {
  CaseFilter filter;
  if (absl::Status s = category_filter(query.service_code, filter.category); !s.ok()) return s;
  filter.received_from = query.from;
  filter.received_until = query.until;
  std::vector<Record> records;
  // Each case is read and written before the next is fetched: a fetch may let
  // go of the case before.
  auto add = [&](CaseId id) -> absl::StatusOr<bool> {
    absl::StatusOr<const Case*> c = engine.fetch(id);
    if (!c.ok()) return c.status();
    if (*c == nullptr || !matches(filter, **c) || !status_matches(query.status, (*c)->state)) {
      return false;
    }
    absl::StatusOr<Record> r = request_record(engine, **c, query.with_personal);
    if (!r.ok()) return r.status();
    records.push_back(*std::move(r));
    return true;
  };
  if (query.id != 0) {
    absl::StatusOr<const Case*> c = engine.fetch(query.id);
    if (!c.ok()) return c.status();
    if (*c == nullptr) {
      return absl::NotFoundError(absl::StrFormat("service_request_id %d does not exist", query.id));
    }
    absl::StatusOr<bool> added = add(query.id);
    if (!added.ok()) return added.status();
  } else {
    // Pages of ids, so that a status filter still stops at `limit`.
    filter.limit = 512;
    for (;;) {
      absl::StatusOr<std::vector<CaseId>> ids = engine.list(filter);
      if (!ids.ok()) return ids.status();
      for (CaseId id : *ids) {
        absl::StatusOr<bool> added = add(id);
        if (!added.ok()) return added.status();
        if (query.limit != 0 && records.size() >= query.limit) break;
      }
      if (ids->size() < filter.limit || (query.limit != 0 && records.size() >= query.limit)) break;
      filter.after = ids->back();
    }
  }
  return write_records(records, format, "service_requests", "request");
}

}  // namespace jszb::core::open311
