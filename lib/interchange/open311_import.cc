#include "interchange/open311_import.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/china_time.h"
#include "interchange/open311.h"
#include "interchange/open311_reader.h"
#include "model/command.h"

namespace jszb::core::open311 {

namespace {

absl::Status bad(absl::string_view what) { return absl::InvalidArgumentError(what); }

std::string_view get(const Fields& f, std::string_view key) {
  auto it = f.find(key);
  return it == f.end() ? std::string_view() : std::string_view(it->second);
}

absl::StatusOr<TimeMs> time_of(const Fields& f, std::string_view key) {
  std::string_view text = get(f, key);
  if (text.empty()) return bad(absl::StrCat(std::string(key), " is missing"));
  absl::StatusOr<std::int64_t> t = parse_rfc3339(text);
  if (!t.ok()) return bad(absl::StrCat(std::string(key), ": ", t.status().message()));
  return *t;
}

// One request as an intake, with the strings it points to.
struct Entry {
  Intake intake;
  std::array<std::string, 3> category;
  std::string channel_ref, notes;
  bool closed = false;
  TimeMs updated = 0;
};

absl::Status point(const Fields& f, Intake& in) {
  std::string_view lat = get(f, "lat"), lon = get(f, "long");
  if (lat.empty() && lon.empty()) return absl::OkStatus();
  double a = 0, b = 0;
  if (!absl::SimpleAtod(std::string(lat), &a) || !absl::SimpleAtod(std::string(lon), &b) ||
      a < -90 || a > 90 || b < -180 || b > 180) {
    return bad(absl::StrFormat("lat/long \"%s\", \"%s\": expected WGS84 degrees", lat, lon));
  }
  in.location.has_point = true;
  in.location.lat = a;
  in.location.lon = b;
  return absl::OkStatus();
}

absl::Status read_entry(const Fields& f, Entry& e) {
  std::string_view id = get(f, "service_request_id");
  if (id.empty()) return bad("service_request_id is missing");
  std::string_view code = get(f, "service_code");
  std::vector<std::string_view> levels = split_levels(code);
  if (code.empty() || levels.size() > 3 ||
      std::any_of(levels.begin(), levels.end(), [](std::string_view l) { return l.empty(); })) {
    return bad(
        absl::StrFormat("service_code \"%s\": expected 1 to 3 category levels joined by /", code));
  }
  Intake& in = e.intake;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    e.category[i] = std::string(levels[i]);
    in.category[i] = e.category[i];
  }
  absl::StatusOr<TimeMs> requested = time_of(f, "requested_datetime");
  if (!requested.ok()) return requested.status();
  in.time = *requested;
  if (absl::Status s = point(f, in); !s.ok()) return s;
  in.location.address = get(f, "address");
  in.content = get(f, "description");
  if (in.content.empty()) return bad("description is missing");
  std::string_view status = get(f, "status");
  if (status != "open" && status != "closed") {
    return bad(absl::StrFormat("status is \"%s\": expected open or closed", status));
  }
  e.closed = status == "closed";
  if (e.closed) {
    absl::StatusOr<TimeMs> updated = time_of(f, "updated_datetime");
    if (!updated.ok()) return updated.status();
    if (*updated < in.time) return bad("updated_datetime is before requested_datetime");
    e.updated = *updated;
    e.notes = std::string(get(f, "status_notes"));
  }
  e.channel_ref = absl::StrCat("open311:", std::string(id));
  in.channel_ref = e.channel_ref;
  in.actor = Actor{Role::kOperator, 0, 0};
  in.channel = Channel::kWeb;
  in.kind = Kind::kHelp;
  in.urgency = Urgency::kNormal;
  return absl::OkStatus();
}

// Submits one request (and finishes it if closed). false: known already.
absl::StatusOr<bool> apply_entry(Engine& engine, const Entry& e) {
  absl::StatusOr<SubmitResult> r = engine.submit(e.intake);
  if (!r.ok()) return r.status();
  if (!r->created) return false;
  if (e.closed) {
    Command c;
    c.kind = CommandKind::kAnswerOnSpot;
    c.case_id = r->id;
    c.time = e.updated;
    c.actor = Actor{Role::kOperator, 0, 0};
    c.payload.text = e.notes;
    if (absl::Status s = engine.apply(c); !s.ok()) return s;
  }
  return true;
}

absl::Status refuse_all(std::vector<ImportProblem> bad_ones) {
  std::sort(bad_ones.begin(), bad_ones.end(),
            [](const ImportProblem& a, const ImportProblem& b) { return a.position < b.position; });
  std::vector<std::string> shown;
  for (std::size_t i = 0; i < bad_ones.size() && i < 5; ++i) shown.push_back(bad_ones[i].reason);
  return bad(absl::StrFormat("%d bad request(s), nothing imported: %s%s", bad_ones.size(),
                             absl::StrJoin(shown, "; "), bad_ones.size() > 5 ? "; …" : ""));
}

}  // namespace

absl::StatusOr<ImportResult> import_requests(Engine& engine, std::string_view data, Format format,
                                             bool skip_bad) {
  absl::StatusOr<std::vector<ReadRequest>> requests = read_requests(data, format);
  if (!requests.ok()) return requests.status();
  std::vector<Entry> entries(requests->size());
  std::vector<ImportProblem> bad_ones;
  std::vector<bool> skip(entries.size(), false);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const ReadRequest& r = (*requests)[i];
    if (absl::Status s = read_entry(r.fields, entries[i]); !s.ok()) {
      bad_ones.push_back({i + 1, absl::StrCat(r.where, ": ", s.message())});
      skip[i] = true;
    }
  }
  // The engine refuses a request only once it is applied: then the batch is
  // rolled back and, skipping bad requests, tried again without it, so that
  // no request is ever half imported (submitted, but not closed).
  for (;;) {
    if (!bad_ones.empty() && !skip_bad) return refuse_all(bad_ones);
    if (absl::Status s = engine.begin(); !s.ok()) return s;
    ImportResult result;
    bool refused = false;
    for (std::size_t i = 0; i < entries.size() && !refused; ++i) {
      if (skip[i]) continue;
      absl::StatusOr<bool> created = apply_entry(engine, entries[i]);
      if (!created.ok()) {
        bad_ones.push_back(
            {i + 1, absl::StrCat((*requests)[i].where, ": ", created.status().message())});
        skip[i] = refused = true;
      } else {
        ++(*created ? result.imported : result.known);
      }
    }
    if (refused) {
      engine.rollback();
      continue;
    }
    if (absl::Status s = engine.commit(); !s.ok()) return s;
    std::sort(bad_ones.begin(), bad_ones.end(), [](const ImportProblem& a, const ImportProblem& b) {
      return a.position < b.position;
    });
    result.bad = std::move(bad_ones);
    return result;
  }
}

}  // namespace jszb::core::open311
